// Dot (Keras 2 batch_dot, with normalize) on cpu and wasm: parity with TF.js layers for 2D and 3D inputs,
// and a plain-loop contraction for every axis pair of 3D and 4D inputs, normalised or not.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, lowerOne, randomInputs } from "./executor-helpers.js";
import { expectLayerParity } from "./layer-parity-helpers.js";

const dotModel = (a: string, b: string, layer: string) =>
  lowerOne(`model m { a = Input(shape=${a})\n b = Input(shape=${b})\n y = ${layer}([a, b])\n outputs y }`);

const TWIN_CASES: readonly (readonly [string, string, string, () => tfl.layers.Layer])[] = [
  ["(5,)", "(5,)", "Dot(axes=1)", () => tfl.layers.dot({ axes: 1 })],
  ["(5,)", "(5,)", "Dot(axes=-1, normalize=True)", () => tfl.layers.dot({ axes: -1, normalize: true })],
  ["(3, 4)", "(3, 5)", "Dot(axes=1)", () => tfl.layers.dot({ axes: 1 })],
  ["(3, 4)", "(5, 4)", "Dot(axes=(2, 2))", () => tfl.layers.dot({ axes: [2, 2] })],
  ["(3, 4)", "(4, 5)", "Dot(axes=(2, 1))", () => tfl.layers.dot({ axes: [2, 1] })],
  ["(3, 4)", "(5, 4)", "Dot(axes=2, normalize=True)", () => tfl.layers.dot({ axes: 2, normalize: true })],
];

/** A C-order array of `shape` as an index function. */
const reader = (data: ArrayLike<number>, shape: readonly number[]) => (index: readonly number[]) => {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i]! + index[i]!;
  return data[flat]!;
};

/** Every index of `shape`, in C order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let i = shape.length - 1; i >= 0; i--) {
      index.unshift(rest % shape[i]!);
      rest = Math.floor(rest / shape[i]!);
    }
    yield index;
  }
}

/** out[n, restA..., restB...] = Σ_k a[n, ..k at axisA..] · b[n, ..k at axisB..], each L2-normalised first if asked. */
function batchDot(
  a: { data: Float32Array | Int32Array; shape: number[] },
  b: { data: Float32Array | Int32Array; shape: number[] },
  axisA: number,
  axisB: number,
  normalize: boolean,
): number[] {
  const norms = (x: { data: Float32Array | Int32Array; shape: number[] }, axis: number) => {
    const at = reader(x.data, x.shape);
    return (index: readonly number[]) => {
      if (!normalize) return 1;
      let sum = 0;
      for (let k = 0; k < x.shape[axis]!; k++) sum += at(index.map((v, i) => (i === axis ? k : v))) ** 2;
      return 1 / Math.sqrt(Math.max(sum, 1e-12));
    };
  };
  const atA = reader(a.data, a.shape);
  const atB = reader(b.data, b.shape);
  const normA = norms(a, axisA);
  const normB = norms(b, axisB);
  const restA = a.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axisA);
  const restB = b.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axisB);
  const outShape = [a.shape[0]!, ...restA.map((i) => a.shape[i]!), ...restB.map((i) => b.shape[i]!)];
  const out: number[] = [];
  for (const index of indices(outShape)) {
    const ia = new Array<number>(a.shape.length).fill(0);
    const ib = new Array<number>(b.shape.length).fill(0);
    ia[0] = ib[0] = index[0]!;
    restA.forEach((axis, j) => {
      ia[axis] = index[1 + j]!;
    });
    restB.forEach((axis, j) => {
      ib[axis] = index[1 + restA.length + j]!;
    });
    let sum = 0;
    for (let k = 0; k < a.shape[axisA]!; k++) {
      ia[axisA] = k;
      ib[axisB] = k;
      sum += atA(ia) * normA(ia) * atB(ib) * normB(ib);
    }
    out.push(sum);
  }
  return out;
}

const LOOP_CASES: readonly (readonly [string, string, number, number, boolean, number[]])[] = [
  ["(3, 4)", "(4, 3)", 1, 2, false, [3, 4, 4]],
  ["(3, 4)", "(5, 3)", 1, 2, true, [3, 4, 5]],
  ["(2, 3, 4)", "(3, 5)", 2, 1, false, [3, 2, 4, 5]],
  ["(2, 3, 4)", "(4, 2, 3)", 1, 2, true, [3, 3, 4, 4, 3]],
  ["(4,)", "(2, 4)", 1, 2, false, [3, 2]],
];

describe.each<BackendName>(["cpu", "wasm"])("Dot on %s", (backend) => {
  it.each(TWIN_CASES)("%s · %s %s matches TF.js layers", async (a, b, layer, twin) => {
    await expectLayerParity(dotModel(a, b, layer), twin(), backend);
  });

  it.each(LOOP_CASES)(
    "%s · %s along axes (%i, %i), normalize %s: a plain loop",
    async (a, b, axisA, axisB, normalize, outShape) => {
      const layer = `Dot(axes=(${axisA}, ${axisB}), normalize=${normalize ? "True" : "False"})`;
      const { program } = dotModel(a, b, layer);
      const model = await loadModel(program, { backend });
      const [x, y] = randomInputs(program);
      const [out] = model.predict([x!, y!]);
      expect(out!.shape).toEqual(outShape);
      expectClose(out!, batchDot(x!, y!, axisA, axisB, normalize), 1e-5);
      tf.dispose(out!);
      model.dispose();
    },
  );
});
