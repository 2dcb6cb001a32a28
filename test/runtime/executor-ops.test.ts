// The ops one by one: every activation against its hand-derived formula (alone and fused into Dense), each
// op's declared kernels against the kernels tf.profile sees it run on cpu and wasm, and the injectable `ops`
// object showing which tfjs functions ran.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { standsFor } from "../../src/runtime/cpu/kernels.js";
import { loadModel, type WeightValues } from "../../src/runtime/model.js";
import { registerCustomCall } from "../../src/runtime/ops/custom.js";
import { getOpDef, OP_NAMES } from "../../src/runtime/ops/registry.js";
import { defaultOps, type TfOps } from "../../src/runtime/ops/tf-ops.js";
import {
  ACTIVATION_FNS,
  type OpAttrs,
  type OpName,
  PROGRAM_VERSION,
  type Program,
  type RnnCellAttrs,
  type WeightDecl,
} from "../../src/runtime/program.js";
import { expectClose, lowerOne } from "./executor-helpers.js";

// A custom layer's call for the `custom` op's kernel check.
registerCustomCall("TestDouble", { call: ([x]) => tf.mul(x!, 2), kernels: [tf.Multiply] });

/** Values covering both signs, zero, and the regions where the activations bend or saturate. */
const X = [-7, -3, -1.5, -1, -0.4, -0.1, 0, 0.1, 0.4, 1, 1.5, 2.5, 3, 6.5, 8];

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Keras 2's definitions, written out elementwise (softmax separately: it needs the row). */
const FORMULAS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(Math.max(0, x), 6),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  softplus: (x) => Math.log(Math.exp(x) + 1),
  softsign: (x) => x / (Math.abs(x) + 1),
  tanh: (x) => Math.tanh(x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hard_sigmoid: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
  exponential: (x) => Math.exp(x),
};

/** Softmax over each row of `width` values. */
function softmaxRows(values: readonly number[], width: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += width) {
    const row = values.slice(start, start + width);
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    out.push(...exps.map((e) => e / sum));
  }
  return out;
}

/** A program of one step over inputs of the given shapes (weights given by name, values and shape). */
function oneStep<K extends OpName>(
  op: K,
  attrs: OpAttrs[K],
  inputShapes: readonly (readonly number[])[],
  weights: readonly (readonly [string, readonly number[]])[] = [],
): Program {
  const inputs = inputShapes.map((shape, slot) => ({
    name: `x${slot}`,
    slot,
    shape,
    dtype: "float32" as const,
  }));
  const out = inputs.length;
  return {
    version: PROGRAM_VERSION,
    inputs,
    outputs: [{ name: "y", slot: out }],
    weights: weights.map(
      ([name, shape]): WeightDecl => ({
        name,
        shape,
        dtype: "float32",
        initializer: { className: "Ones", config: {} },
      }),
    ),
    steps: [
      {
        op,
        inputs: inputs.map((i) => i.slot),
        outputs: [out],
        attrs: attrs as Program["steps"][number]["attrs"],
        weights: weights.map(([name]) => name),
        frees: inputs.map((i) => i.slot),
      },
    ],
  };
}

/** A lowered program with its inputs' batch size fixed at 2 (the kernel check feeds inputs of the declared shape). */
function withBatch(program: Program): Program {
  return { ...program, inputs: program.inputs.map((i) => ({ ...i, shape: [2, ...i.shape.slice(1)] })) };
}

/** One cell of each kind for the `rnn` kernel check. */
const RNN_CELLS: readonly (readonly [string, RnnCellAttrs])[] = (
  [
    ["simple", "simple", false],
    ["gru", "gru", false],
    ["gru reset_after", "gru", true],
    ["lstm", "lstm", false],
  ] as const
).map(([name, kind, resetAfter]) => [
  name,
  {
    kind,
    units: 2,
    activation: "tanh",
    recurrentActivation: "hardSigmoid",
    useBias: true,
    resetAfter,
    doubleBias: resetAfter,
    dropout: 0.3,
    recurrentDropout: 0.2,
    implementation: 1,
  },
]);
const RNN_GATES = { simple: 1, gru: 3, lstm: 4 } as const;
const RNN_FLAGS = {
  goBackwards: true,
  returnSequences: true,
  returnState: false,
  stateful: true,
  masked: true,
  initialState: false,
} as const;

/** Values 0.1·(i mod 7) - 0.3, a deterministic pattern with both signs. */
const pattern = (shape: readonly number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.1 * (i % 7) - 0.3);

describe.each<BackendName>(["cpu", "wasm"])("ops on %s", (backend) => {
  describe("activations against their formulas", () => {
    const input = { data: Float32Array.from(X), shape: [3, 5] };

    it.each(Object.keys(FORMULAS))("Activation(%s)", async (name) => {
      const { program } = lowerOne(`sequential m(input_shape=(5,)) { Activation("${name}") }`);
      const model = await loadModel(program, { backend });
      const [y] = model.predict([input]);
      expectClose(y!, X.map(FORMULAS[name]!), 1e-5);
      tf.dispose(y!);
      model.dispose();
    });

    it("Activation(softmax) normalises each row over the last axis", async () => {
      const { program } = lowerOne('sequential m(input_shape=(5,)) { Activation("softmax") }');
      const model = await loadModel(program, { backend });
      const [y] = model.predict([input]);
      expectClose(y!, softmaxRows(X, 5), 1e-5);
      tf.dispose(y!);
      model.dispose();
    });

    it.each([...Object.keys(FORMULAS), "softmax"])("Dense(activation=%s), fused or not", async (name) => {
      // kernel = identity (5×5), bias = 0.25: the activation sees x + 0.25.
      const { program } = lowerOne(`sequential m(input_shape=(5,)) { Dense(5, activation="${name}") }`);
      const kernel = Float32Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0));
      const weights: WeightValues = new Map([
        ["dense_1/kernel", kernel],
        ["dense_1/bias", new Float32Array(5).fill(0.25)],
      ]);
      const model = await loadModel(program, { backend, weights });
      const [y] = model.predict([input]);
      const shifted = X.map((x) => Math.fround(x + 0.25));
      expectClose(y!, name === "softmax" ? softmaxRows(shifted, 5) : shifted.map(FORMULAS[name]!), 1e-5);
      tf.dispose(y!);
      model.dispose();
    });

    it("elu with alpha ≠ 1 scales the negative side (Keras 2 K.elu), leakyRelu by its slope", async () => {
      const cases: [OpAttrs["activation"], (x: number) => number][] = [
        [{ fn: "elu", alpha: 0.5 }, (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1))],
        [{ fn: "leakyRelu", alpha: 0.1 }, (x) => (x > 0 ? x : 0.1 * x)],
        [{ fn: "leakyRelu" }, (x) => (x > 0 ? x : 0.3 * x)],
      ];
      for (const [attrs, formula] of cases) {
        const model = await loadModel(oneStep("activation", attrs, [[3, 5]]), { backend });
        const [y] = model.predict([input]);
        expectClose(y!, X.map(formula), 1e-5);
        tf.dispose(y!);
        model.dispose();
      }
    });

    it("softmax on a middle axis normalises along that axis", async () => {
      const model = await loadModel(oneStep("activation", { fn: "softmax", axis: 1 }, [[1, 3, 5]]), {
        backend,
      });
      const [y] = model.predict([{ data: Float32Array.from(X), shape: [1, 3, 5] }]);
      // Column j of the 3×5 matrix is normalised: transpose, softmax the rows, transpose back.
      const columns = [0, 1, 2, 3, 4].flatMap((j) => [0, 1, 2].map((i) => X[i * 5 + j]!));
      const normalised = softmaxRows(columns, 3);
      const expected = X.map((_, index) => normalised[(index % 5) * 3 + Math.floor(index / 5)]!);
      expectClose(y!, expected, 1e-5);
      tf.dispose(y!);
      model.dispose();
    });
  });

  describe("declared kernels", () => {
    /** A representative step per op (several for ops whose kernels depend on attributes or weights). */
    const CASES: readonly (readonly [string, Program])[] = [
      ["matMul plain", oneStep("matMul", { activation: "linear" }, [[2, 3]], [["k", [3, 4]]])],
      [
        "matMul fused 3D",
        oneStep(
          "matMul",
          { activation: "relu" },
          [[2, 5, 3]],
          [
            ["k", [3, 4]],
            ["b", [4]],
          ],
        ),
      ],
      [
        "matMul leakyRelu",
        oneStep("matMul", { activation: "leakyRelu", alpha: 0.2 }, [[2, 3]], [["k", [3, 4]]]),
      ],
      ...ACTIVATION_FNS.map((fn) => [`activation ${fn}`, oneStep("activation", { fn }, [[2, 3]])] as const),
      ["activation elu alpha", oneStep("activation", { fn: "elu", alpha: 0.5 }, [[2, 3]])],
      ["activation softmax axis", oneStep("activation", { fn: "softmax", axis: 1 }, [[2, 3, 4]])],
      // Sequences, masks and recurrent layers (ops/sequence.ts, ops/rnn.ts).
      ["gather", oneStep("gather", {}, [[2, 3]], [["e", [5, 2]]])],
      ["notEqualMask any", oneStep("notEqualMask", { value: 0, anyLast: true }, [[2, 3, 4]])],
      ["notEqualMask", oneStep("notEqualMask", { value: 0, anyLast: false }, [[2, 3]])],
      ["reverse", oneStep("reverse", { axis: 1 }, [[2, 3, 4]])],
      [
        "convLstm masked, stateful",
        oneStep(
          "convLstm",
          {
            ...RNN_FLAGS,
            filters: 2,
            strides: [1, 1],
            padding: "same",
            dilation: [1, 1],
            activation: "tanh",
            recurrentActivation: "hardSigmoid",
            useBias: true,
            dropout: 0.3,
            recurrentDropout: 0.2,
          },
          [
            [2, 3, 4, 4, 2],
            [2, 3],
          ],
          [
            ["k", [3, 3, 2, 8]],
            ["r", [3, 3, 2, 8]],
            ["b", [8]],
          ],
        ),
      ],
      ...RNN_CELLS.map(
        ([name, cell]) =>
          [
            `rnn ${name}, masked, stateful`,
            oneStep(
              "rnn",
              { ...RNN_FLAGS, cells: [cell] },
              [
                [2, 3, 2],
                [2, 3],
              ],
              [
                ["k", [2, cell.units * RNN_GATES[cell.kind]]],
                ["r", [cell.units, cell.units * RNN_GATES[cell.kind]]],
                ["b", [(cell.doubleBias ? 2 : 1) * cell.units * RNN_GATES[cell.kind]]],
              ],
            ),
          ] as const,
      ),
      ...(["add", "sub", "mul", "maximum", "minimum"] as const).map(
        (op) =>
          [
            op,
            oneStep(op, {}, [
              [2, 3],
              [2, 3],
            ]),
          ] as const,
      ),
      [
        "addN",
        oneStep("addN", {}, [
          [2, 3],
          [2, 3],
          [2, 3],
        ]),
      ],
      ["scale", oneStep("scale", { factor: 0.5 }, [[2, 3]])],
      ["reshape", oneStep("reshape", { shape: [0, -1] }, [[2, 3, 2]])],
      [
        "reshapeLike",
        oneStep("reshapeLike", { shape: [0, -1, 2] }, [
          [6, 2],
          [2, 3, 4],
        ]),
      ],
      ["expandDims", oneStep("expandDims", { axis: 1 }, [[2, 3]])],
      ["transpose", oneStep("transpose", { perm: [0, 2, 1] }, [[2, 3, 4]])],
      ["tile", oneStep("tile", { reps: [1, 2] }, [[2, 3]])],
      [
        "concat",
        oneStep("concat", { axis: 1 }, [
          [2, 3],
          [2, 1],
        ]),
      ],
      ["cast", oneStep("cast", { dtype: "int32" }, [[2, 3]])],
      ["identity", oneStep("identity", {}, [[2, 3]])],
      ["dropout", oneStep("dropout", { rate: 0.5, noiseShape: [null, 1], seed: null }, [[2, 3]])],
      // Convolution, pooling, padding and locally-connected ops (conv.ts, pool.ts, pad-crop.ts, local.ts).
      [
        "conv 1D plain",
        oneStep(
          "conv",
          { strides: [1], dilations: [2], padding: "valid", activation: "linear" },
          [[2, 6, 3]],
          [["k", [2, 3, 4]]],
        ),
      ],
      [
        "conv 2D fused relu",
        oneStep(
          "conv",
          { strides: [2, 2], dilations: [1, 1], padding: "same", activation: "relu" },
          [[2, 5, 5, 3]],
          [
            ["k", [3, 3, 3, 4]],
            ["b", [4]],
          ],
        ),
      ],
      [
        "conv 2D leakyRelu",
        oneStep(
          "conv",
          { strides: [1, 1], dilations: [1, 1], padding: "valid", activation: "leakyRelu", alpha: 0.2 },
          [[2, 4, 4, 2]],
          [["k", [2, 2, 2, 3]]],
        ),
      ],
      [
        "conv 3D bias elu",
        oneStep(
          "conv",
          { strides: [1, 1, 1], dilations: [1, 1, 1], padding: "same", activation: "elu" },
          [[2, 3, 4, 3, 2]],
          [
            ["k", [2, 2, 2, 2, 3]],
            ["b", [3]],
          ],
        ),
      ],
      [
        "depthwiseConv 2D plain",
        oneStep(
          "depthwiseConv",
          { strides: [1, 1], dilations: [2, 2], padding: "valid", activation: "linear" },
          [[2, 5, 5, 3]],
          [["k", [2, 2, 3, 2]]],
        ),
      ],
      [
        "depthwiseConv 1D fused",
        oneStep(
          "depthwiseConv",
          { strides: [2], dilations: [1], padding: "same", activation: "relu6" },
          [[2, 5, 3]],
          [
            ["k", [3, 3, 2]],
            ["b", [6]],
          ],
        ),
      ],
      [
        "convTranspose 2D bias relu",
        oneStep(
          "convTranspose",
          { strides: [2, 2], padding: "same", outputPadding: null, activation: "relu" },
          [[2, 3, 3, 2]],
          [
            ["k", [3, 3, 4, 2]],
            ["b", [4]],
          ],
        ),
      ],
      [
        "convTranspose 2D dilated",
        oneStep(
          "convTranspose",
          { strides: [1, 1], dilations: [2, 3], padding: "same", outputPadding: null, activation: "linear" },
          [[2, 3, 4, 2]],
          [["k", [3, 2, 4, 2]]],
        ),
      ],
      [
        "convTranspose 3D output padding sigmoid",
        oneStep(
          "convTranspose",
          { strides: [2, 1, 2], padding: "same", outputPadding: [1, 0, 0], activation: "sigmoid" },
          [[2, 2, 2, 2, 2]],
          [
            ["k", [3, 2, 2, 3, 2]],
            ["b", [3]],
          ],
        ),
      ],
      [
        "pool max 1D",
        oneStep("pool", { mode: "max", poolSize: [2], strides: [2], padding: "valid" }, [[2, 5, 3]]),
      ],
      [
        "pool avg 2D same",
        oneStep("pool", { mode: "avg", poolSize: [3, 2], strides: [2, 1], padding: "same" }, [[2, 5, 4, 3]]),
      ],
      [
        "pool max 3D same",
        oneStep("pool", { mode: "max", poolSize: [2, 3, 2], strides: [1, 2, 1], padding: "same" }, [
          [2, 3, 4, 3, 2],
        ]),
      ],
      [
        "pool avg 3D",
        oneStep("pool", { mode: "avg", poolSize: [2, 2, 2], strides: [2, 2, 2], padding: "valid" }, [
          [2, 4, 4, 4, 2],
        ]),
      ],
      ["reduce max", oneStep("reduce", { mode: "max", axes: [1, 2] }, [[2, 3, 4, 2]])],
      ["reduce mean", oneStep("reduce", { mode: "mean", axes: [2, 3, 4] }, [[2, 2, 3, 4, 2]])],
      [
        "pad",
        oneStep(
          "pad",
          {
            paddings: [
              [0, 0],
              [1, 2],
              [0, 1],
              [0, 0],
            ],
          },
          [[2, 3, 3, 2]],
        ),
      ],
      [
        "crop",
        oneStep(
          "crop",
          {
            cropping: [
              [0, 0],
              [1, 0],
              [0, 2],
              [0, 0],
            ],
          },
          [[2, 4, 4, 2]],
        ),
      ],
      ["upsample", oneStep("upsample", { factors: [1, 2, 1, 3, 1] }, [[2, 2, 3, 2, 2]])],
      ["resizeBilinear", oneStep("resizeBilinear", { factors: [2, 3] }, [[2, 3, 3, 2]])],
      [
        "localConv 2D channels_first bias relu",
        oneStep(
          "localConv",
          { kernelSize: [2, 2], strides: [1, 2], channelsFirst: true, activation: "relu" },
          [[2, 3, 4, 5]],
          [
            ["k", [6, 12, 4]],
            ["b", [3, 2, 4]],
          ],
        ),
      ],
      [
        "localConv 1D",
        oneStep(
          "localConv",
          { kernelSize: [3], strides: [1], channelsFirst: false, activation: "linear" },
          [[2, 5, 2]],
          [["k", [3, 6, 4]]],
        ),
      ],
      // Normalization, noise, Dot, ReLU variants and Lambda (relu.ts, normalization.ts, noise.ts, dot.ts,
      // tensor-function.ts).
      ["relu threshold", oneStep("relu", { alpha: 0, maxValue: null, threshold: 0.1 }, [[2, 3]])],
      ["relu leak and cap", oneStep("relu", { alpha: 0.2, maxValue: 0.15, threshold: 0 }, [[2, 3]])],
      ["relu everything", oneStep("relu", { alpha: 0.2, maxValue: 6, threshold: -0.1 }, [[2, 3]])],
      ["relu relu6 leak", oneStep("relu", { alpha: 0.2, maxValue: 6, threshold: 0 }, [[2, 3]])],
      ["prelu", oneStep("prelu", {}, [[2, 3, 2]], [["alpha", [3, 1]]])],
      [
        "batchNorm",
        oneStep(
          "batchNorm",
          { axis: 1, epsilon: 1e-3, center: true, scale: true },
          [[2, 3, 2]],
          [
            ["gamma", [3]],
            ["beta", [3]],
            ["mean", [3]],
            ["variance", [3]],
          ],
        ),
      ],
      [
        "batchNorm without center and scale",
        oneStep(
          "batchNorm",
          { axis: 2, epsilon: 1e-3, center: false, scale: false },
          [[2, 3, 2]],
          [
            ["mean", [2]],
            ["variance", [2]],
          ],
        ),
      ],
      [
        "layerNorm",
        oneStep(
          "layerNorm",
          { axes: [1, 2], epsilon: 1e-3, center: true, scale: true },
          [[2, 3, 2]],
          [
            ["gamma", [3, 2]],
            ["beta", [3, 2]],
          ],
        ),
      ],
      ["gaussianNoise", oneStep("gaussianNoise", { stddev: 0.5, seed: null }, [[2, 3]])],
      ["gaussianDropout", oneStep("gaussianDropout", { rate: 0.3, seed: 1 }, [[2, 3]])],
      ["alphaDropout", oneStep("alphaDropout", { rate: 0.3, noiseShape: [null, 1], seed: null }, [[2, 3]])],
      [
        "batchDot",
        oneStep("batchDot", { axes: [1, 2], normalize: false }, [
          [2, 3, 4],
          [2, 5, 3],
        ]),
      ],
      [
        "batchDot normalize",
        oneStep("batchDot", { axes: [2, 2], normalize: true }, [
          [2, 3, 4],
          [2, 5, 4],
        ]),
      ],
      ...[
        "-x + abs(x) * exp(x) - log(square(x) + 1) / sqrt(abs(x) + 1)",
        "sign(x) + round(x) + sin(x) + cos(x) + sigmoid(x) + hard_sigmoid(x) + tanh(x)",
        "softplus(x) + softsign(x) + selu(x) + relu(x, alpha=0.1, max_value=2) + elu(x, alpha=0.5)",
        "clip(x, -0.1, 0.2) + x // 0.3 + x % 0.3 + x ** 2 + maximum(x, 0.1) + minimum(x, 0.1)",
        "mean(x, axis=1, keepdims=True) + sum(x, axis=1, keepdims=True) + max(x, axis=1, keepdims=True)",
        "min(x, axis=1, keepdims=True) + prod(x, axis=1, keepdims=True) + std(x, axis=1, keepdims=True)",
        "var(x, axis=1, keepdims=True) + logsumexp(x, axis=1, keepdims=True)",
        "concatenate([l2_normalize(x, axis=1), softmax(x, axis=1)], axis=1)",
      ].map(
        (expression) =>
          [
            `tensorFunction ${expression}`,
            withBatch(lowerOne(`sequential m(input_shape=(3,)) { Lambda(lambda x: ${expression}) }`).program),
          ] as const,
      ),
      ["custom", oneStep("custom", { layer: "TestDouble", args: {}, weights: [] }, [[2, 3]])],
    ];

    it("has a case for every op of the vocabulary", () => {
      const covered = new Set(CASES.map(([, program]) => program.steps[0]!.op));
      expect(OP_NAMES.filter((op) => !covered.has(op))).toEqual([]);
    });

    it.each(CASES)("%s runs only the kernels it declares", async (_name, program) => {
      const model = await loadModel(program, { backend });
      const step = program.steps[0]!;
      const declared = getOpDef(step.op)!.kernels(step.attrs as never, step.weights.length);
      const inputs = program.inputs.map((i) => ({
        data: pattern(i.shape as number[]),
        shape: i.shape as number[],
      }));
      const seen: string[] = [];
      for (const training of [false, true]) {
        const profile = await tf.profile(() => {
          tf.dispose(model.predict(inputs, { training }));
        });
        // "x__op" entries are tfjs's customGrad wrappers around the real kernel (fusedMatMul__op), not kernels;
        // Identity is the executor's copy of an output that aliases its input (checked for every program).
        const ran = profile.kernels
          .map((k) => k.name)
          .filter((name) => name !== "Identity" && !name.endsWith("__op"));
        // A kerasc cpu kernel (src/runtime/cpu/kernels.ts) counts as the tfjs kernel it stands for.
        const isDeclared = (name: string) =>
          declared.includes(name) || standsFor(name).some((tfjs) => declared.includes(tfjs));
        expect(ran.filter((name) => !isDeclared(name))).toEqual([]);
        seen.push(...ran);
      }
      // The profile does see kernels: an op that declares some runs at least one in one of the modes.
      expect(seen.length > 0).toBe(declared.length > 0);
      model.dispose();
    });
  });
});

describe("the injectable ops object", () => {
  /** `ops` with every function wrapped to record its name when called. */
  function spying(): { ops: TfOps; calls: string[] } {
    const calls: string[] = [];
    const ops = Object.fromEntries(
      Object.entries(defaultOps).map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          calls.push(name);
          return (fn as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as unknown as TfOps;
    return { ops, calls };
  }

  it("shows a fused activation: Dense(relu) runs one fused product and no separate relu", async () => {
    const { ops, calls } = spying();
    const { program } = lowerOne('sequential m(input_shape=(4,)) { Dense(3, activation="relu") }');
    const model = await loadModel(program, { backend: "cpu", ops });
    tf.dispose(model.predict([tf.ones([2, 4])]));
    expect(calls).toEqual(["fusedMatMul"]);
    model.dispose();
  });

  it("shows an unfused one: Dense(tanh) runs the product, then tanh", async () => {
    const { ops, calls } = spying();
    const { program } = lowerOne(
      'sequential m(input_shape=(4,)) { Dense(3, activation="tanh", use_bias=False) }',
    );
    const model = await loadModel(program, { backend: "cpu", ops });
    tf.dispose(model.predict([tf.ones([2, 4])]));
    expect(calls).toEqual(["matMul", "tanh"]);
    model.dispose();
  });

  it("shows Dropout running nothing at inference and tf.dropout in training", async () => {
    const { ops, calls } = spying();
    const { program } = lowerOne("sequential m(input_shape=(4,)) { Dropout(0.5) }");
    const model = await loadModel(program, { backend: "cpu", ops });
    const x = tf.ones([2, 4]);
    tf.dispose(model.predict([x]));
    expect(calls).toEqual([]);
    tf.dispose(model.predict([x], { training: true }));
    expect(calls).toEqual(["dropout"]);
    tf.dispose(x);
    model.dispose();
  });
});
