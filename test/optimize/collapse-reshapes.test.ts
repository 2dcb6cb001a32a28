// collapse-reshapes: reshape / expandDims / Flatten chains become one exact reshape, reshapes that change
// nothing go, transposes compose; chains whose sizes cannot be proven exact are left alone.
import { describe, expect, it } from "vitest";
import { fromProgram, type OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { collapseReshapes } from "../../src/compiler/6-optimize/passes/collapse-reshapes.js";
import type { PlanValue, ProgramDim, Step } from "../../src/runtime/program.js";
import { expectSameOutputs, opProgramOf, runPass, sampleModels } from "./pass-harness.js";
import { RUN_SLOW_SAMPLES, SLOW_SAMPLE_TIMEOUT, SLOW_SAMPLES } from "./slow-samples.js";

const ops = (program: OpProgram) => program.steps.map((s) => s.op);

/** A program of one input and a chain of weightless one-input steps, the last one's result the output. */
function chain(
  shape: readonly ProgramDim[],
  steps: readonly [string, Record<string, PlanValue>][],
): OpProgram {
  return fromProgram({
    version: 1,
    inputs: [{ name: "x", slot: 0, shape, dtype: "float32" }],
    outputs: [{ name: "y", slot: steps.length }],
    weights: [],
    steps: steps.map(
      ([op, attrs], i): Step => ({ op, inputs: [i], outputs: [i + 1], attrs, weights: [], frees: [] }),
    ),
  });
}

describe("collapse-reshapes", () => {
  it("collapses three Reshapes into one that copies the batch", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(12,))
        a = Reshape((3, 4))(x)
        b = Reshape((6, 2))(a)
        y = Reshape((-1, 2, 2))(b)
        outputs y
      }`);
    const { program: after, changes } = runPass(collapseReshapes, program);
    expect(ops(after)).toEqual(["reshape"]);
    expect(after.steps[0]!.attrs.shape).toEqual([0, 3, 2, 2]);
    expect(after.steps[0]!.inputs).toEqual([after.inputs[0]!.slot]);
    expect(changes).toHaveLength(2);
    await expectSameOutputs(program, after);
  });

  it("collapses Flatten → Reshape, also when the Reshape keeps the flat shape", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(4, 5))
        a = Dense(6)(x)
        b = Flatten()(a)
        c = Reshape((3, 8))(b)
        d = Dense(2)(c)
        e = Flatten()(d)
        f = Reshape((6,))(e)
        outputs f
      }`);
    const { program: after } = runPass(collapseReshapes, program);
    expect(ops(after)).toEqual(["matMul", "reshape", "matMul", "reshape"]);
    expect(after.steps[1]!.attrs.shape).toEqual([0, 3, 8]);
    expect(after.steps[3]!.attrs.shape).toEqual([0, 6]);
    await expectSameOutputs(program, after);
  });

  it("removes a reshape round trip entirely, the model output reading the input", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(6,))
        a = Reshape((2, 3))(x)
        y = Reshape((6,))(a)
        outputs y
      }`);
    const { program: after } = runPass(collapseReshapes, program);
    expect(after.steps).toEqual([]);
    expect(after.outputs[0]!.slot).toBe(after.inputs[0]!.slot);
    await expectSameOutputs(program, after);
  });

  it("turns an expandDims chain into one reshape", async () => {
    const program = chain(
      [null, 3],
      [
        ["expandDims", { axis: 1 }],
        ["expandDims", { axis: -1 }],
      ],
    );
    const { program: after } = runPass(collapseReshapes, program);
    expect(after.steps.map((s) => [s.op, s.attrs])).toEqual([["reshape", { shape: [0, 1, 3, 1] }]]);
    await expectSameOutputs(program, after);
  });

  it("leaves a chain alone when two sizes of the result are unknown", () => {
    // (batch, n, 4) → (batch, 4n) → (4n·batch / 4n, 4n): both sizes of the result are unknown.
    const program = chain(
      [null, null, 4],
      [
        ["reshape", { shape: [0, -1] }],
        ["reshape", { shape: [-1, 0] }],
      ],
    );
    const { program: after, changes } = runPass(collapseReshapes, program);
    expect(changes).toEqual([]);
    expect(ops(after)).toEqual(["reshape", "reshape"]);
  });

  it("collapses into -1 when one size is unknown, and keeps a reshape whose result is read twice", async () => {
    const once = chain(
      [null, null, 4],
      [
        ["reshape", { shape: [-1, 4] }],
        ["reshape", { shape: [-1, 2, 2] }],
      ],
    );
    const { program: after } = runPass(collapseReshapes, once);
    expect(after.steps.map((s) => s.attrs)).toEqual([{ shape: [-1, 2, 2] }]);
    await expectSameOutputs(once, after);

    const twice: OpProgram = { ...once, outputs: [...once.outputs, { name: "mid", slot: 1 }] };
    expect(runPass(collapseReshapes, twice).changes).toEqual([]);
  });

  it("composes Permutes and removes those that cancel", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(2, 3, 4))
        a = Permute((2, 3, 1))(x)
        b = Permute((3, 1, 2))(a)
        c = Permute((2, 1, 3))(b)
        d = Permute((3, 1, 2))(c)
        outputs d
      }`);
    const { program: after } = runPass(collapseReshapes, program);
    expect(after.steps.map((s) => [s.op, s.attrs])).toEqual([["transpose", { perm: [0, 3, 2, 1] }]]);
    expect(after.steps[0]!.inputs).toEqual([after.inputs[0]!.slot]);
    await expectSameOutputs(program, after);
  });

  it("cancels a channels_first layer's transpose back against Flatten's transpose to channels-last", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 8, 8))
        a = Conv2D(4, (3, 3), data_format="channels_first")(x)
        b = Flatten(data_format="channels_first")(a)
        outputs b
      }`);
    const { program: after } = runPass(collapseReshapes, program);
    expect(ops(after)).toEqual(["transpose", "conv", "reshape"]);
    await expectSameOutputs(program, after);
  });
});

describe("collapse-reshapes on every sample", () => {
  for (const { name, lowered } of sampleModels()) {
    it(
      `${name}: verified, no step added, same outputs`,
      async () => {
        const start = fromProgram(lowered.program);
        const { program } = runPass(collapseReshapes, start);
        expect(program.steps.length).toBeLessThanOrEqual(start.steps.length);
        if (SLOW_SAMPLES.has(name) && !RUN_SLOW_SAMPLES) return;
        await expectSameOutputs(start, program);
      },
      SLOW_SAMPLE_TIMEOUT,
    );
  }

  it("collapses the reshapes between the two TimeDistributed(Dense) of the sample", () => {
    const sample = sampleModels().find((m) => m.name === "wrappers_time_distributed/time_distributed_dense")!;
    const { program } = runPass(collapseReshapes, fromProgram(sample.lowered.program));
    expect(ops(program)).toEqual(["reshape", "matMul", "matMul", "reshape"]);
  });
});
