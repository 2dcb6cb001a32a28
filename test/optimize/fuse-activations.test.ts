// fuse-activations: an activation (or a ReLU that is one of the fused functions) after a linear product
// fused into the product's attributes — for each product op and rank, each fusible function, the cases
// left alone, numbers against the unoptimized program (cpu; one conv case on wasm), and every sample.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { fromProgram, type OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { foldBatchNorm } from "../../src/compiler/6-optimize/passes/fold-batch-norm.js";
import { fuseActivations } from "../../src/compiler/6-optimize/passes/fuse-activations.js";
import { removeInferenceNoops } from "../../src/compiler/6-optimize/passes/remove-inference-noops.js";
import { standsFor } from "../../src/runtime/cpu/kernels.js";
import { loadPlan } from "../../src/runtime/load-plan.js";
import { getOpDef } from "../../src/runtime/ops/registry.js";
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

/** A one-model source: input shape, the product layer, the activation layer after it. */
function activationAfter(shape: string, layer: string, activation: string): string {
  return `
    model m {
      x = Input(shape=${shape})
      y = ${layer}(x)
      z = ${activation}(y)
      outputs z
    }`;
}

const ops = (program: OpProgram) => program.steps.map((s) => s.op);

describe("fuse-activations fuses into each product op, every rank", () => {
  const products: { name: string; shape: string; layer: string; op: string }[] = [
    { name: "Dense", shape: "(6,)", layer: "Dense(4)", op: "matMul" },
    {
      name: "Dense without bias on 3D input",
      shape: "(5, 6)",
      layer: "Dense(4, use_bias=False)",
      op: "matMul",
    },
    { name: "Conv1D", shape: "(9, 3)", layer: "Conv1D(4, 3)", op: "conv" },
    { name: "Conv2D without bias", shape: "(7, 7, 3)", layer: "Conv2D(4, 3, use_bias=False)", op: "conv" },
    { name: "Conv3D (unfused kernel)", shape: "(5, 5, 5, 2)", layer: "Conv3D(3, 2)", op: "conv" },
    {
      name: "DepthwiseConv2D",
      shape: "(6, 6, 3)",
      layer: "DepthwiseConv2D(3, depth_multiplier=2)",
      op: "depthwiseConv",
    },
    {
      name: "Conv2DTranspose",
      shape: "(4, 4, 3)",
      layer: "Conv2DTranspose(5, 3, strides=2)",
      op: "convTranspose",
    },
    { name: "Conv3DTranspose", shape: "(3, 3, 3, 2)", layer: "Conv3DTranspose(3, 2)", op: "convTranspose" },
  ];
  // ELU with alpha ≠ 1: tf.fused's elu has no alpha, so the product scales elu's negative part after it.
  const activations = [
    { layer: "LeakyReLU(alpha=0.2)", name: "leaky_re_lu_1", fused: { activation: "leakyRelu", alpha: 0.2 } },
    { layer: "ELU(alpha=0.5)", name: "elu_1", fused: { activation: "elu", alpha: 0.5 } },
  ];
  for (const { name, shape, layer, op } of products) {
    for (const activation of activations) {
      it(`${name} + ${activation.layer}: one ${op} with ${JSON.stringify(activation.fused)}`, async () => {
        const program = opProgramOf(activationAfter(shape, layer, activation.layer));
        const { program: after, changes } = runPass(fuseActivations, program);
        expect(ops(after)).toEqual([op]);
        expect(after.steps[0]!.attrs).toMatchObject(activation.fused);
        expect(changes).toEqual([
          expect.stringMatching(new RegExp(`^fused activation \\(layer ${activation.name}\\) into `)),
        ]);
        expect(after.outputs[0]!.slot).toBe(after.steps[0]!.outputs[0]);
        await expectSameOutputs(program, after);
        // On wasm too: its fused kernels, and the sub-pixel path of a 2D transposed convolution.
        await expectSameOnWasm(program, after);
      });
    }
  }
});

describe("fuse-activations fuses each fusible function", () => {
  const functions: { activation: string; fused: Record<string, unknown> }[] = [
    { activation: 'Activation("relu")', fused: { activation: "relu" } },
    { activation: 'Activation("sigmoid")', fused: { activation: "sigmoid" } },
    { activation: 'Activation("elu")', fused: { activation: "elu" } },
    { activation: "ELU(alpha=1.0)", fused: { activation: "elu" } },
    { activation: "LeakyReLU()", fused: { activation: "leakyRelu", alpha: 0.3 } },
    { activation: "ReLU()", fused: { activation: "relu" } },
    { activation: "ReLU(max_value=6)", fused: { activation: "relu6" } },
    { activation: "ReLU(negative_slope=0.1)", fused: { activation: "leakyRelu", alpha: 0.1 } },
    { activation: "ReLU(negative_slope=1.5)", fused: { activation: "leakyRelu", alpha: 1.5 } },
  ];
  for (const { activation, fused } of functions) {
    it(`Conv2D + ${activation}`, async () => {
      const program = opProgramOf(activationAfter("(7, 7, 3)", "Conv2D(4, 3)", activation));
      const { program: after } = runPass(fuseActivations, program);
      expect(ops(after)).toEqual(["conv"]);
      expect(after.steps[0]!.attrs).toEqual({ ...program.steps[0]!.attrs, ...fused });
      await expectSameOutputs(program, after);
    });
  }

  // No layer lowers to a `relu` step that is plain relu or relu6 (ReLU picks the activation op then):
  // such steps are made by hand from a LeakyReLU model.
  for (const [attrs, fused] of [
    [{ alpha: 0, maxValue: null, threshold: 0 }, { activation: "relu" }],
    [{ alpha: 0, maxValue: 6, threshold: 0 }, { activation: "relu6" }],
  ] as const) {
    it(`Dense + a relu step ${JSON.stringify(attrs)}`, async () => {
      const leaky = opProgramOf(activationAfter("(6,)", "Dense(4)", "LeakyReLU()"));
      const [dense, reader] = leaky.steps;
      const program: OpProgram = { ...leaky, steps: [dense!, { ...reader!, op: "relu", attrs }] };
      const { program: after } = runPass(fuseActivations, program);
      expect(ops(after)).toEqual(["matMul"]);
      expect(after.steps[0]!.attrs).toEqual({ ...dense!.attrs, ...fused });
      await expectSameOutputs(program, after);
    });
  }

  it("on wasm too: Conv2D + ReLU(max_value=6) and Dense + LeakyReLU compute the unfused numbers", async () => {
    for (const source of [
      activationAfter("(7, 7, 3)", 'Conv2D(4, 3, padding="same")', "ReLU(max_value=6)"),
      activationAfter("(6, 6, 3)", "DepthwiseConv2D(3)", "ELU()"),
      activationAfter("(6,)", "Dense(4)", "LeakyReLU(alpha=0.2)"),
    ]) {
      const program = opProgramOf(source);
      const { program: after } = runPass(fuseActivations, program);
      expect(after.steps).toHaveLength(1);
      await expectSameOnWasm(program, after);
    }
  });
});

describe("fuse-activations leaves alone", () => {
  const untouched: { name: string; source: string }[] = [
    {
      name: "a product another layer reads too",
      source: `
        model m {
          x = Input(shape=(6,))
          y = Dense(4)(x)
          z = Activation("relu")(y)
          w = Add()([y, z])
          outputs w
        }`,
    },
    {
      name: "a product that is also a model output",
      source: `
        model m {
          x = Input(shape=(6,))
          y = Dense(4)(x)
          z = Activation("relu")(y)
          outputs y, z
        }`,
    },
    {
      name: "a product with its own activation",
      source: activationAfter("(6,)", 'Dense(4, activation="tanh")', 'Activation("relu")'),
    },
    {
      name: "an unfusible function (tanh)",
      source: activationAfter("(6,)", "Dense(4)", 'Activation("tanh")'),
    },
    { name: "softmax", source: activationAfter("(6,)", "Dense(4)", "Softmax()") },
    {
      name: "ReLU with a cap other than 6",
      source: activationAfter("(6,)", "Dense(4)", "ReLU(max_value=4)"),
    },
    { name: "ReLU with a threshold", source: activationAfter("(6,)", "Dense(4)", "ReLU(threshold=0.5)") },
    { name: "ThresholdedReLU", source: activationAfter("(6,)", "Dense(4)", "ThresholdedReLU(theta=0.5)") },
    {
      name: "leaky ReLU with a cap",
      source: activationAfter("(6,)", "Dense(4)", "ReLU(max_value=6, negative_slope=0.1)"),
    },
    {
      name: "PReLU without shared axes after a conv (alpha per position)",
      source: activationAfter("(7, 7, 3)", "Conv2D(4, 3)", "PReLU()"),
    },
    {
      name: "PReLU after a Dense on 3D input (alpha per step)",
      source: activationAfter("(5, 6)", "Dense(4)", "PReLU()"),
    },
    {
      name: "PReLU after a transposed convolution",
      source: activationAfter("(4, 4, 3)", "Conv2DTranspose(5, 3)", "PReLU(shared_axes=[1, 2])"),
    },
    {
      name: "an activation after a non-product (pooling)",
      source: activationAfter("(6, 6, 3)", "MaxPooling2D()", 'Activation("relu")'),
    },
    {
      name: "a second activation after a fused one",
      source: `
        model m {
          x = Input(shape=(6,))
          y = Dense(4, activation="relu")(x)
          z = Activation("sigmoid")(y)
          outputs z
        }`,
    },
  ];
  for (const { name, source } of untouched) {
    it(name, () => {
      const program = opProgramOf(source);
      const { program: after, changes } = runPass(fuseActivations, program);
      expect(changes).toEqual([]);
      expect(after.steps).toEqual(program.steps);
    });
  }

  it("fuses only the first of two activations in a row", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(6,))
        y = Dense(4)(x)
        z = Activation("relu")(y)
        w = Activation("sigmoid")(z)
        outputs w
      }`);
    const { program: after } = runPass(fuseActivations, program);
    expect(ops(after)).toEqual(["matMul", "activation"]);
    expect(after.steps[0]!.attrs.activation).toBe("relu");
    expect(after.steps[1]!.attrs.fn).toBe("sigmoid");
    await expectSameOutputs(program, after);
  });
});

describe("fuse-activations fuses PReLU with one alpha per channel", () => {
  const ALPHA = "alpha_initializer=RandomUniform(minval=-0.5, maxval=1.5)";
  const cases: { name: string; shape: string; layer: string; prelu: string; op: string }[] = [
    { name: "Dense", shape: "(6,)", layer: "Dense(4)", prelu: `PReLU(${ALPHA})`, op: "matMul" },
    {
      name: "Dense on 3D input",
      shape: "(5, 6)",
      layer: "Dense(4)",
      prelu: `PReLU(${ALPHA}, shared_axes=[1])`,
      op: "matMul",
    },
    {
      name: "Conv1D",
      shape: "(9, 3)",
      layer: "Conv1D(4, 3, use_bias=False)",
      prelu: `PReLU(${ALPHA}, shared_axes=[1])`,
      op: "conv",
    },
    {
      name: "Conv2D",
      shape: "(7, 7, 3)",
      layer: 'Conv2D(4, 3, padding="same")',
      prelu: `PReLU(${ALPHA}, shared_axes=[1, 2])`,
      op: "conv",
    },
    {
      name: "Conv3D",
      shape: "(4, 4, 4, 2)",
      layer: "Conv3D(3, 2)",
      prelu: `PReLU(${ALPHA}, shared_axes=[1, 2, 3])`,
      op: "conv",
    },
    {
      name: "DepthwiseConv2D",
      shape: "(6, 6, 3)",
      layer: "DepthwiseConv2D(3, depth_multiplier=2)",
      prelu: `PReLU(${ALPHA}, shared_axes=[1, 2])`,
      op: "depthwiseConv",
    },
  ];
  for (const { name, shape, layer, prelu, op } of cases) {
    it(`${name} + ${prelu}: one ${op} with prelu reading alpha last, same numbers on cpu and wasm`, async () => {
      const program = opProgramOf(activationAfter(shape, layer, prelu));
      const { program: after, changes } = runPass(fuseActivations, program);
      expect(ops(after)).toEqual([op]);
      expect(after.steps[0]!.attrs.activation).toBe("prelu");
      expect(after.steps[0]!.weights).toEqual([...program.steps[0]!.weights, "p_re_lu_1/alpha"]);
      expect(changes).toEqual([expect.stringMatching(/^fused prelu \(layer p_re_lu_1\) into .* as prelu$/)]);
      await expectSameOutputs(program, after);
      await expectSameOnWasm(program, after);
    });
  }

  it("runs only the kernels the op lists (fused on 2D convolutions, unfused after 3D ones)", async () => {
    for (const { shape, layer, prelu } of cases) {
      const program = runPass(fuseActivations, opProgramOf(activationAfter(shape, layer, prelu))).program;
      const step = program.steps[0]!;
      const listed = new Set(getOpDef(step.op)!.kernels(step.attrs as never, step.weights.length));
      const model = await loadPlan(testPlan(program), { backend: "cpu", seed: 1 });
      try {
        const inputs = randomInputs(testPlan(program), 2, { batch: 2, unknown: 4 });
        const profile = await tf.profile(() => model.predict(inputs));
        tf.dispose(profile.result as tf.Tensor[]);
        // "x__op" entries wrap a real kernel, Identity copies an aliased output (as in executor-ops.test.ts).
        const ran = profile.kernels
          .map((k) => k.name)
          .filter((name) => name !== "Identity" && !name.endsWith("__op"));
        expect(ran.length).toBeGreaterThan(0);
        // A kerasc cpu kernel counts as the tfjs kernel it stands for (src/runtime/cpu/kernels.ts).
        const isListed = (name: string) => listed.has(name) || standsFor(name).some((k) => listed.has(k));
        expect(ran.filter((name) => !isListed(name))).toEqual([]);
        if (step.op !== "conv" || (step.attrs.strides as number[]).length < 3)
          expect(ran).not.toContain("Neg");
      } finally {
        model.dispose();
      }
    }
  });

  it("a prelu step with alpha per position still computes PReLU (the kernel applies it after the product)", async () => {
    for (const source of [
      activationAfter("(5, 6)", "Dense(4)", `PReLU(${ALPHA})`),
      activationAfter("(7, 7, 3)", "Conv2D(4, 3)", `PReLU(${ALPHA})`),
      activationAfter("(9, 3)", "Conv1D(4, 3)", `PReLU(${ALPHA}, shared_axes=[2])`),
    ]) {
      const program = opProgramOf(source);
      const [product, prelu] = program.steps;
      const fused: OpProgram = {
        ...program,
        steps: [
          {
            ...product!,
            attrs: { ...product!.attrs, activation: "prelu" },
            weights: [...product!.weights, ...prelu!.weights],
          },
        ],
        outputs: [{ ...program.outputs[0]!, slot: product!.outputs[0]! }],
      };
      await expectSameOutputs(program, fused);
      await expectSameOnWasm(program, fused);
    }
  });
});

describe("remove-inference-noops, fold-batch-norm, fuse-activations on every sample", () => {
  for (const { name, lowered } of sampleModels()) {
    it(
      `${name}: verified, same outputs`,
      async () => {
        const start = fromProgram(lowered.program);
        let program = start;
        for (const pass of [removeInferenceNoops, foldBatchNorm, fuseActivations])
          program = runPass(pass, program).program;
        if (SLOW_SAMPLES.has(name) && !RUN_SLOW_SAMPLES) return;
        await expectSameOutputs(start, program);
      },
      SLOW_SAMPLE_TIMEOUT,
    );
  }
});
