// The 2D transposed convolution on wasm as a sub-pixel convolution (src/runtime/ops/conv-transpose-subpixel.ts):
// one-step programs against tf.conv2dTranspose + bias + activation computed directly, over strides, kernel
// sizes, paddings, output paddings, odd and even sizes, batches, bias and fused activations; no
// Conv2DBackpropInput runs, the prepared tensors are freed with the model, and the sample autoencoder
// compiled whole gives cpu's outputs on wasm.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, loadPlan } from "../../src/index.js";
import { selectBackend } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { transposedLength } from "../../src/runtime/ops/conv.js";
import { subPixelFilter } from "../../src/runtime/ops/conv-transpose-subpixel.js";
import { defaultOps } from "../../src/runtime/ops/tf-ops.js";
import {
  type FusedActivation,
  type OpAttrs,
  PROGRAM_VERSION,
  type Program,
} from "../../src/runtime/program.js";
import { expectClose, randomInputs } from "./executor-helpers.js";

type Attrs = OpAttrs["convTranspose"];

const IN_CHANNELS = 3;
const OUT_CHANNELS = 4;

/** Deterministic values in [-1, 1). */
function values(size: number, seed: number): Float32Array {
  let state = seed * 2654435761;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** A program of one convTranspose step over x (batch, rows, cols, in). */
function convTransposeProgram(
  attrs: Attrs,
  input: readonly number[],
  kernel: readonly number[],
  bias: boolean,
): Program {
  const weights = [["k", kernel], ...(bias ? [["b", [OUT_CHANNELS]] as const] : [])] as const;
  return {
    version: PROGRAM_VERSION,
    inputs: [{ name: "x", slot: 0, shape: input, dtype: "float32" }],
    outputs: [{ name: "y", slot: 1 }],
    weights: weights.map(([name, shape]) => ({
      name,
      shape,
      dtype: "float32",
      initializer: { className: "Zeros", config: {} },
    })),
    steps: [
      {
        op: "convTranspose",
        inputs: [0],
        outputs: [1],
        attrs: attrs as unknown as Program["steps"][number]["attrs"],
        weights: weights.map(([name]) => name),
        frees: [0],
      },
    ],
  };
}

/** tf's activation functions as the op applies them after the bias. */
function activate(y: tf.Tensor, activation: FusedActivation, alpha: number | undefined): tf.Tensor {
  switch (activation) {
    case "linear":
      return y;
    case "relu":
      return tf.relu(y);
    case "relu6":
      return tf.relu6(y);
    case "elu":
      return tf.elu(y);
    case "sigmoid":
      return tf.sigmoid(y);
    case "leakyRelu":
      return tf.leakyRelu(y, alpha ?? 0.3);
  }
}

/** Whether TF's conv2d_transpose takes this output size: the forward convolution of it has the input's size. */
function tfAccepts(length: number, k: number, s: number, padding: "same" | "valid", size: number): boolean {
  const forward = padding === "same" ? Math.ceil(size / s) : Math.ceil((size - k + 1) / s);
  return forward === length;
}

interface Case {
  readonly name: string;
  readonly attrs: Attrs;
  readonly input: readonly [number, number, number, number];
  readonly kernel: readonly [number, number];
  readonly bias: boolean;
}

const STRIDES: readonly (readonly [number, number])[] = [
  [2, 2],
  [1, 1],
  [2, 1],
  [3, 3],
];
const KERNELS: readonly (readonly [number, number])[] = [
  [3, 3],
  [2, 2],
  [4, 4],
  [1, 1],
  [5, 3],
];
const SIZES: readonly (readonly [number, number])[] = [
  [5, 4],
  [4, 7],
  [6, 5],
];
const ACTIVATIONS: readonly FusedActivation[] = ["linear", "relu", "leakyRelu", "sigmoid", "elu", "relu6"];

/** Every stride × kernel × padding, without and with output padding (each axis's largest, and 0). */
function cases(): Case[] {
  const out: Case[] = [];
  for (const strides of STRIDES) {
    for (const kernel of KERNELS) {
      for (const padding of ["same", "valid"] as const) {
        const outputPaddings: (readonly number[] | null)[] = [null, strides.map((s) => s - 1), [0, 0]];
        for (const outputPadding of outputPaddings) {
          const i = out.length;
          const [rows, cols] = SIZES[i % SIZES.length]!;
          const spatial = [rows, cols].map((length, axis) =>
            transposedLength(length, kernel[axis]!, strides[axis]!, padding, outputPadding?.[axis] ?? null),
          );
          // Keras refuses output sizes TF's conv2d_transpose cannot make (even kernels, same, no extra row).
          if (
            ![rows, cols].every((l, axis) =>
              tfAccepts(l, kernel[axis]!, strides[axis]!, padding, spatial[axis]!),
            )
          )
            continue;
          const activation = ACTIVATIONS[i % ACTIVATIONS.length]!;
          const attrs: Attrs = {
            strides,
            padding,
            outputPadding,
            activation,
            ...(activation === "leakyRelu" && i % 2 === 0 ? { alpha: 0.15 } : {}),
          };
          const batch = i % 2 === 0 ? 1 : 3;
          const bias = i % 3 !== 1;
          out.push({
            name: `strides ${strides} kernel ${kernel} ${padding} output padding ${outputPadding ?? "none"} x ${[batch, rows, cols]} ${bias ? "bias" : "no bias"} ${activation}`,
            attrs,
            input: [batch, rows, cols, IN_CHANNELS],
            kernel,
            bias,
          });
        }
      }
    }
  }
  return out;
}

/** tf.conv2dTranspose + bias + activation, on the active backend. */
function reference(c: Case, x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor | undefined): tf.Tensor {
  const [batch, rows, cols] = c.input;
  const spatial = [rows, cols].map((length, axis) =>
    transposedLength(
      length,
      c.kernel[axis]!,
      c.attrs.strides[axis]!,
      c.attrs.padding,
      c.attrs.outputPadding?.[axis] ?? null,
    ),
  );
  const y = tf.conv2dTranspose(
    x,
    kernel,
    [batch, spatial[0]!, spatial[1]!, OUT_CHANNELS],
    c.attrs.strides as [number, number],
    c.attrs.padding,
  );
  return activate(bias ? tf.add(y, bias) : y, c.attrs.activation, c.attrs.alpha);
}

describe("convTranspose (2D) on wasm as a sub-pixel convolution", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
  });

  it.each(cases().map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = tf.memory().numTensors;
    const kernelShape = [...c.kernel, OUT_CHANNELS, IN_CHANNELS];
    const weights = new Map([
      [
        "k",
        values(
          kernelShape.reduce((a, b) => a * b, 1),
          1,
        ),
      ],
      ...(c.bias ? [["b", values(OUT_CHANNELS, 2)] as const] : []),
    ]);
    const program = convTransposeProgram(c.attrs, c.input, kernelShape, c.bias);
    const model = await loadModel(program, { backend: "wasm", weights });
    expect(model.backend).toBe("wasm");
    const x = tf.tensor4d(
      values(
        c.input.reduce((a, b) => a * b, 1),
        3,
      ),
      [...c.input],
    );
    const expected = tf.tidy(() =>
      reference(
        c,
        x,
        tf.tensor4d(weights.get("k")!, kernelShape as [number, number, number, number]),
        c.bias ? tf.tensor1d(weights.get("b")!) : undefined,
      ),
    );
    const loaded = tf.memory().numTensors;
    let actual: tf.Tensor | undefined;
    const profile = await tf.profile(() => {
      [actual] = model.predict([x]);
    });
    expectClose(actual!, expected, 1e-5);
    expect(profile.kernels.map((k) => k.name)).not.toContain("Conv2DBackpropInput");
    actual!.dispose();
    // Nothing of the run stays; a second run neither.
    expect(tf.memory().numTensors).toBe(loaded);
    tf.dispose(model.predict([x]));
    expect(tf.memory().numTensors).toBe(loaded);
    tf.dispose([x, expected]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("prepares a filter and a tiled bias on wasm, nothing on cpu", async () => {
    const attrs: Attrs = { strides: [2, 2], padding: "same", outputPadding: null, activation: "relu" };
    const program = convTransposeProgram(
      attrs,
      [1, 4, 4, IN_CHANNELS],
      [3, 3, OUT_CHANNELS, IN_CHANNELS],
      true,
    );
    for (const backend of ["cpu", "wasm"] as const) {
      const before = tf.memory().numTensors;
      const model = await loadModel(program, { backend });
      // The two weights, and on wasm the filter and the bias made from them.
      expect(tf.memory().numTensors - before).toBe(backend === "wasm" ? 4 : 2);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it("arranges the filter's taps by phase (one tap at a time)", async () => {
    await selectBackend("wasm");
    // 3×2 kernel, strides (2, 2): J = (2, 1); the tap (t, u) lands at m = (J − 1 − ⌊t/s⌋, ...), phase (t mod s, ...).
    const [kh, kw, sh, sw] = [3, 2, 2, 2];
    for (let t = 0; t < kh; t++) {
      for (let u = 0; u < kw; u++) {
        const kernel = tf.buffer([kh, kw, 1, 1]);
        kernel.set(1, t, u, 0, 0);
        const filter = tf.tidy(() => subPixelFilter(kernel.toTensor(), [sh, sw], defaultOps));
        expect(filter.shape).toEqual([2, 1, 1, sh * sw]);
        const expected = tf.buffer([2, 1, 1, sh * sw]);
        expected.set(1, 1 - Math.floor(t / sh), 0 - Math.floor(u / sw), 0, (t % sh) * sw + (u % sw));
        expect(Array.from(filter.dataSync())).toEqual(Array.from(expected.values));
        filter.dispose();
      }
    }
  });

  it("runs the sample autoencoder on wasm as on cpu", async () => {
    const source = readFileSync(join(import.meta.dirname, "../../bench/models/autoencoder.kml"), "utf8");
    const result = compile(source);
    const plan = result.plan!;
    expect(plan.steps.some((step) => step.op === "convTranspose")).toBe(true);
    const inputs = randomInputs(plan);
    const outputs: tf.Tensor[] = [];
    for (const backend of ["cpu", "wasm"] as const) {
      const model = await loadPlan(plan, { backend, seed: 7 });
      expect(model.backend).toBe(backend);
      const profile = await tf.profile(() => {
        outputs.push(...model.predict(inputs));
      });
      if (backend === "wasm") expect(profile.kernels.map((k) => k.name)).not.toContain("Conv2DBackpropInput");
      model.dispose();
    }
    expectClose(outputs[1]!, outputs[0]!, 1e-5);
    tf.dispose(outputs);
  });
});
