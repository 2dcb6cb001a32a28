// Reading and writing tensors inside a kerasc cpu kernel: tfjs-backend-cpu keeps each tensor's values as a
// typed array in its data storage, and a kernel returns a TensorInfo made from a new array.
import type * as tf from "@tensorflow/tfjs-core";

/** The cpu backend's own storage, as tfjs-backend-cpu keeps it. */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** The values of a float32 tensor on the cpu backend (not a copy: never write to them). */
export const valuesOf = (backend: CpuBackendLike, t: tf.TensorInfo) =>
  backend.data.get(t.dataId).values as Float32Array;

/** Row-major (rows, columns) values stored transposed, as a new (columns, rows) array. */
export function transposed(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) out[j * rows + i] = values[i * columns + j]!;
  return out;
}
