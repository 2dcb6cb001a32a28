// kerasc's product kernel for the cpu backend: tfjs's _FusedMatMul (and BatchMatMul) of 2D float32 operands,
// computed by gemm.ts, then the bias and activation (epilogue.ts).
import type * as tf from "@tensorflow/tfjs-core";
import { type CpuBackendLike, transposed, valuesOf } from "./backend-data.js";
import { applyFusedEpilogue, type FusedActivation } from "./epilogue.js";
import { gemm } from "./gemm.js";

/** The kernel's name: the product of 2D float32 operands with optional bias and activation. */
export const KERASC_MAT_MUL = "KerascMatMul";

/** Inputs a, b, bias?, preluActivationWeights?; attributes as _FusedMatMul's. */
export const matMulKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as unknown as CpuBackendLike;
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as {
    transposeA: boolean;
    transposeB: boolean;
    activation?: FusedActivation;
    leakyreluAlpha?: number;
  };
  const [aRows, aColumns] = a!.shape.slice(-2) as [number, number];
  const [bRows, bColumns] = b!.shape.slice(-2) as [number, number];
  const m = transposeA ? aColumns : aRows;
  const k = transposeA ? aRows : aColumns;
  const n = transposeB ? bRows : bColumns;
  const aValues = transposeA ? transposed(valuesOf(cpu, a!), aRows, aColumns) : valuesOf(cpu, a!);
  const bValues = transposeB ? transposed(valuesOf(cpu, b!), bRows, bColumns) : valuesOf(cpu, b!);
  const out = new Float32Array(m * n);
  gemm(aValues, bValues, m, k, n, out);
  applyFusedEpilogue(
    cpu,
    out,
    m,
    n,
    { bias, preluActivationWeights, activation, leakyreluAlpha },
    KERASC_MAT_MUL,
  );
  return cpu.makeTensorInfo([m, n], "float32", out);
};
