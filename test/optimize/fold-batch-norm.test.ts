// fold-batch-norm: BatchNormalization folded into the kernel and bias of each kind of product (structure,
// the prologue transform, numbers against the unoptimized program with non-trivial statistics), the cases
// it must leave alone, the folded weights against the hand formula, and every sample.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { fromProgram, type OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { foldBatchNorm } from "../../src/compiler/6-optimize/passes/fold-batch-norm.js";
import { fuseActivations } from "../../src/compiler/6-optimize/passes/fuse-activations.js";
import { loadPlan } from "../../src/runtime/load-plan.js";
import { runPrologue } from "../../src/runtime/prologue.js";
import { randomInputs } from "../runtime/executor-helpers.js";
import {
  expectSameOnWasm,
  expectSameOutputs,
  opProgramOf,
  runPass,
  sampleModels,
  testPlan,
} from "./pass-harness.js";
import { RUN_SLOW_SAMPLES, SLOW_SAMPLE_TIMEOUT, SLOW_SAMPLES } from "./slow-samples.js";

/** BatchNormalization with statistics far from the identity, so a wrong fold shows in the numbers. */
const BN_ARGS =
  'gamma_initializer=RandomUniform(minval=0.5, maxval=2), beta_initializer="random_normal", moving_mean_initializer="random_normal", moving_variance_initializer=RandomUniform(minval=0.2, maxval=3)';

/** A one-model source: input shape, the layer before BN, BN's own extra arguments. */
function bnAfter(shape: string, layer: string, bnArgs = ""): string {
  return `
    model m {
      x = Input(shape=${shape})
      y = ${layer}(x)
      z = BatchNormalization(${[BN_ARGS, bnArgs].filter(Boolean).join(", ")})(y)
      outputs z
    }`;
}

const ops = (program: OpProgram) => program.steps.map((s) => s.op);

describe("fold-batch-norm folds BN into the product before it", () => {
  const cases: { name: string; source: string; product: string }[] = [
    { name: "Dense", source: bnAfter("(6,)", "Dense(4)"), product: "matMul" },
    { name: "Dense on 3D input", source: bnAfter("(5, 6)", "Dense(4, use_bias=False)"), product: "matMul" },
    {
      name: "Conv1D without bias",
      source: bnAfter("(9, 3)", "Conv1D(4, 3, use_bias=False)"),
      product: "conv",
    },
    {
      name: "Conv2D strided, same",
      source: bnAfter("(7, 7, 3)", 'Conv2D(5, 3, strides=2, padding="same")'),
      product: "conv",
    },
    { name: "Conv3D", source: bnAfter("(5, 5, 5, 2)", "Conv3D(3, 2)"), product: "conv" },
    {
      name: "DepthwiseConv2D with multiplier",
      source: bnAfter("(6, 6, 3)", "DepthwiseConv2D(3, depth_multiplier=2)"),
      product: "depthwiseConv",
    },
    {
      name: "SeparableConv2D (into its 1×1 conv)",
      source: bnAfter("(6, 6, 3)", "SeparableConv2D(4, 3, depth_multiplier=2)"),
      product: "conv",
    },
    {
      name: "Conv2DTranspose (kernel out, in)",
      source: bnAfter("(4, 4, 3)", "Conv2DTranspose(5, 3, strides=2)"),
      product: "convTranspose",
    },
    {
      name: "Conv3DTranspose without bias",
      source: bnAfter("(3, 3, 3, 2)", "Conv3DTranspose(3, 2, strides=2, use_bias=False)"),
      product: "convTranspose",
    },
    {
      name: "BN without center and scale",
      source: bnAfter("(7, 7, 3)", "Conv2D(4, 3)", "center=False, scale=False"),
      product: "conv",
    },
    { name: "BN without scale", source: bnAfter("(6,)", "Dense(4)", "scale=False"), product: "matMul" },
  ];
  for (const { name, source, product } of cases) {
    it(`${name}: no batchNorm left, the ${product} reads the folded kernel and bias`, async () => {
      const program = opProgramOf(source);
      const { program: after, changes } = runPass(foldBatchNorm, program);
      expect(ops(after)).not.toContain("batchNorm");
      expect(changes).toEqual([
        expect.stringMatching(/^folded batchNorm \(layer batch_normalization_1\) into /),
      ]);
      expect(after.prologue).toHaveLength(1);
      const [transform] = after.prologue;
      expect(transform!.op).toBe("foldBatchNorm");
      const step = after.steps.find(
        (s) => s.op === product && s.weights.some((w) => w.endsWith("@bn-folded")),
      )!;
      expect(step.weights).toEqual(transform!.outputs.map((w) => w.name));
      expect(after.outputs[0]!.slot).toBe(step.outputs[0]);
      await expectSameOutputs(program, after);
    });
  }

  it("uses the right channels and stride for each kernel layout", () => {
    const layout = (source: string) => runPass(foldBatchNorm, opProgramOf(source)).program.prologue[0]!.attrs;
    expect(layout(bnAfter("(6,)", "Dense(4)"))).toMatchObject({ channels: 4, stride: 1, hasBias: true });
    expect(layout(bnAfter("(9, 3)", "Conv1D(4, 3, use_bias=False)"))).toMatchObject({
      channels: 4,
      stride: 1,
      hasBias: false,
    });
    expect(layout(bnAfter("(6, 6, 3)", "DepthwiseConv2D(3, depth_multiplier=2)"))).toMatchObject({
      channels: 6,
      stride: 1,
    });
    expect(layout(bnAfter("(4, 4, 3)", "Conv2DTranspose(5, 3)"))).toMatchObject({ channels: 5, stride: 3 });
  });

  it("folds BN on axis 1 of a channels_first Conv2D through the transpose back to channels-first", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 7, 7))
        y = Conv2D(4, 3, data_format="channels_first")(x)
        z = BatchNormalization(axis=1, ${BN_ARGS})(y)
        outputs z
      }`);
    expect(ops(program)).toEqual(["transpose", "conv", "transpose", "batchNorm"]);
    const { program: after } = runPass(foldBatchNorm, program);
    expect(ops(after)).toEqual(["transpose", "conv", "transpose"]);
    expect(after.steps[1]!.weights).toEqual(["conv2d_1/kernel@bn-folded", "conv2d_1/bias@bn-folded"]);
    await expectSameOutputs(program, after);
  });

  it("folds a chain Conv2D → BN → Activation('relu') into one conv with relu (after fuse-activations)", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(8, 8, 3))
        y = Conv2D(4, 3, padding="same")(x)
        z = BatchNormalization(${BN_ARGS})(y)
        a = Activation("relu")(z)
        outputs a
      }`);
    const folded = runPass(foldBatchNorm, program).program;
    const { program: after } = runPass(fuseActivations, folded);
    expect(after.steps).toHaveLength(1);
    const [conv] = after.steps;
    expect(conv).toMatchObject({ op: "conv", attrs: { activation: "relu" } });
    expect(conv!.weights).toEqual(["conv2d_1/kernel@bn-folded", "conv2d_1/bias@bn-folded"]);
    expect(after.prologue.map((t) => t.op)).toEqual(["foldBatchNorm"]);
    expect(after.prologue[0]!.inputs).toEqual([
      "conv2d_1/kernel",
      "conv2d_1/bias",
      "batch_normalization_1/gamma",
      "batch_normalization_1/beta",
      "batch_normalization_1/moving_mean",
      "batch_normalization_1/moving_variance",
    ]);
    await expectSameOutputs(program, after);
    await expectSameOnWasm(program, after);
  });

  it("gives each fold of a shared layer its own derived weights", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(6,))
        shared = Dense(4)
        a = BatchNormalization(${BN_ARGS})(shared(x))
        b = BatchNormalization(${BN_ARGS})(shared(Dense(6)(x)))
        outputs a, b
      }`);
    const { program: after } = runPass(foldBatchNorm, program);
    expect(ops(after)).not.toContain("batchNorm");
    expect(after.prologue.flatMap((t) => t.outputs.map((w) => w.name))).toEqual([
      "dense_1/kernel@bn-folded",
      "dense_1/bias@bn-folded",
      "dense_1/kernel@bn-folded-2",
      "dense_1/bias@bn-folded-2",
    ]);
    await expectSameOutputs(program, after);
  });
});

describe("fold-batch-norm leaves alone", () => {
  const untouched: { name: string; source: string }[] = [
    {
      name: "a BN whose input another layer reads too",
      source: `
        model m {
          x = Input(shape=(6,))
          y = Dense(4)(x)
          z = BatchNormalization(${BN_ARGS})(y)
          w = Add()([y, z])
          outputs w
        }`,
    },
    {
      name: "a BN whose input is also a model output",
      source: `
        model m {
          x = Input(shape=(6,))
          y = Dense(4)(x)
          z = BatchNormalization(${BN_ARGS})(y)
          outputs y, z
        }`,
    },
    { name: "a conv with relu before BN", source: bnAfter("(7, 7, 3)", 'Conv2D(4, 3, activation="relu")') },
    { name: "a Dense with sigmoid before BN", source: bnAfter("(6,)", 'Dense(4, activation="sigmoid")') },
    { name: "BN over the steps of a Conv1D (axis 1)", source: bnAfter("(4, 3)", "Conv1D(4, 1)", "axis=1") },
    { name: "BN over the rows of a Dense on 3D input", source: bnAfter("(4, 6)", "Dense(4)", "axis=1") },
    {
      name: "BN on axis 1 of a channels_first conv's input (no product before it)",
      source: `
        model m {
          x = Input(shape=(3, 7, 7))
          z = BatchNormalization(axis=1, ${BN_ARGS})(x)
          y = Conv2D(4, 3, data_format="channels_first")(z)
          outputs y
        }`,
    },
    {
      name: "BN on a spatial axis after a channels_first conv",
      source: `
        model m {
          x = Input(shape=(3, 7, 7))
          y = Conv2D(4, 3, data_format="channels_first")(x)
          z = BatchNormalization(axis=2, ${BN_ARGS})(y)
          outputs z
        }`,
    },
  ];
  for (const { name, source } of untouched) {
    it(name, () => {
      const program = opProgramOf(source);
      const { program: after, changes } = runPass(foldBatchNorm, program);
      expect(changes).toEqual([]);
      expect(after.steps).toEqual(program.steps);
      expect(after.prologue).toEqual([]);
    });
  }
});

describe("the folded weights", () => {
  it("equal kernel·γ/√(var+ε) and (bias−mean)·γ/√(var+ε)+β, and predict as the unfolded model", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(2,))
        y = Dense(3)(x)
        z = BatchNormalization(epsilon=0.01)(y)
        outputs z
      }`);
    const kernel = Float32Array.from([0.5, -1, 2, 1.5, 0.25, -0.75]);
    const bias = Float32Array.from([0.1, -0.2, 0.3]);
    const gamma = Float32Array.from([2, 0.5, -1]);
    const beta = Float32Array.from([1, 0, -3]);
    const mean = Float32Array.from([0.4, -1.2, 2.5]);
    const variance = Float32Array.from([0.25, 4, 0.09]);
    const weights = new Map([
      ["dense_1/kernel", kernel],
      ["dense_1/bias", bias],
      ["batch_normalization_1/gamma", gamma],
      ["batch_normalization_1/beta", beta],
      ["batch_normalization_1/moving_mean", mean],
      ["batch_normalization_1/moving_variance", variance],
    ]);
    const { program: after } = runPass(foldBatchNorm, program);
    const values = runPrologue(after.prologue, weights);
    const factor = (c: number) => gamma[c]! / Math.sqrt(variance[c]! + 0.01);
    const expectedKernel = Array.from(kernel, (k, i) => k * factor(i % 3));
    const expectedBias = Array.from(bias, (b, c) => (b - mean[c]!) * factor(c) + beta[c]!);
    const close = (actual: Float32Array | Int32Array | undefined, expected: number[]) => {
      expect(actual).toHaveLength(expected.length);
      expected.forEach((e, i) => {
        expect(actual![i]).toBeCloseTo(e, 5);
      });
    };
    close(values.get("dense_1/kernel@bn-folded"), expectedKernel);
    close(values.get("dense_1/bias@bn-folded"), expectedBias);

    const [input] = randomInputs(testPlan(program), 3, { batch: 4, unknown: 1 });
    const predict = async (p: OpProgram) => {
      const model = await loadPlan(testPlan(p), { backend: "cpu", weights });
      try {
        const [y] = model.predict([input!]);
        const data = Array.from(y!.dataSync());
        tf.dispose(y);
        return data;
      } finally {
        model.dispose();
      }
    };
    const unfolded = await predict(program);
    const folded = await predict(after);
    // The hand formula applied to the input: x · kernel' + bias'.
    const x = input!.data;
    const byHand = Array.from({ length: 4 * 3 }, (_, i) => {
      const [row, c] = [Math.floor(i / 3), i % 3];
      return x[row * 2]! * expectedKernel[c]! + x[row * 2 + 1]! * expectedKernel[3 + c]! + expectedBias[c]!;
    });
    byHand.forEach((value, i) => {
      expect(folded[i]).toBeCloseTo(value, 4);
      expect(unfolded[i]).toBeCloseTo(value, 4);
    });
  });
});

describe("fold-batch-norm on every sample", () => {
  for (const { name, lowered } of sampleModels()) {
    it(
      `${name}: verified, same outputs`,
      async () => {
        const start = fromProgram(lowered.program);
        const { program } = runPass(foldBatchNorm, start);
        if (SLOW_SAMPLES.has(name) && !RUN_SLOW_SAMPLES) return;
        await expectSameOutputs(start, program);
      },
      SLOW_SAMPLE_TIMEOUT,
    );
  }
});
