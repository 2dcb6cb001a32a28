// The cleanup passes on every sample (structure and numeric equality) and on models made to need them.
import { describe, expect, it } from "vitest";
import { eliminateCommonSteps } from "../../src/compiler/6-optimize/passes/eliminate-common-steps.js";
import { eliminateDeadSteps } from "../../src/compiler/6-optimize/passes/eliminate-dead-steps.js";
import { removeInferenceNoops } from "../../src/compiler/6-optimize/passes/remove-inference-noops.js";
import { expectSameOutputs, opProgramOf, runPass } from "./pass-harness.js";

describe("remove-inference-noops", () => {
  it("removes Dropout, the noise layers and ActivityRegularization, and rewires their readers", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(6,))
        a = Dropout(0.5)(x)
        b = GaussianNoise(0.3)(a)
        c = Dense(4)(b)
        d = GaussianDropout(0.2)(c)
        e = AlphaDropout(0.1)(d)
        f = ActivityRegularization(l1=0.01)(e)
        g = Activation("linear")(f)
        outputs g
      }`);
    const { program: after, changes } = runPass(removeInferenceNoops, program);
    expect(after.steps.map((s) => s.op)).toEqual(["matMul"]);
    expect(changes).toHaveLength(program.steps.length - 1);
    expect(after.steps[0]!.inputs).toEqual([after.inputs[0]!.slot]);
    expect(after.outputs[0]!.slot).toBe(after.steps[0]!.outputs[0]);
    await expectSameOutputs(program, after);
  });

  it("keeps a model whose output is its input valid (Dropout straight to the output)", async () => {
    const program = opProgramOf("model m {\n  x = Input(shape=(3,))\n  y = Dropout(0.2)(x)\n  outputs y\n}");
    const { program: after } = runPass(removeInferenceNoops, program);
    expect(after.steps).toEqual([]);
    expect(after.outputs[0]!.slot).toBe(after.inputs[0]!.slot);
    await expectSameOutputs(program, after);
  });
});

describe("eliminate-common-steps", () => {
  it("merges a shared layer applied twice to the same tensor", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(5,))
        shared = Dense(3, activation="relu")
        a = shared(x)
        b = shared(x)
        y = Add()([a, b])
        outputs y
      }`);
    const before = program.steps.filter((s) => s.op === "matMul").length;
    const { program: after, changes } = runPass(eliminateCommonSteps, program);
    expect(before).toBe(2);
    expect(after.steps.filter((s) => s.op === "matMul")).toHaveLength(1);
    expect(changes).toEqual([expect.stringContaining("merged matMul (layer dense_1)")]);
    const add = after.steps.find((s) => s.op === "add")!;
    expect(add.inputs[0]).toBe(add.inputs[1]);
    await expectSameOutputs(program, after);
  });

  it("does not merge two layers with their own weights", () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(5,))
        a = Dense(3)(x)
        b = Dense(3)(x)
        outputs a, b
      }`);
    expect(runPass(eliminateCommonSteps, program).changes).toEqual([]);
  });
});

describe("eliminate-dead-steps", () => {
  it("removes a branch no output depends on, and what fed only it", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(5,))
        used = Dense(3)(x)
        h = Dense(8, activation="relu")(x)
        unused = Dense(2)(h)
        outputs used, unused
      }`);
    // The model stops returning `unused`: its branch is dead.
    const { program: after, changes } = runPass(eliminateDeadSteps, {
      ...program,
      outputs: program.outputs.slice(0, 1),
    });
    expect(after.steps.map((s) => s.layer)).toEqual(["dense_1"]);
    expect(changes).toHaveLength(2);
    await expectSameOutputs({ ...program, outputs: program.outputs.slice(0, 1) }, after);
  });

  it("keeps a stateful recurrent step even when its output is unused", () => {
    const program = opProgramOf(`
      model m {
        x = Input(batch_shape=(2, 3, 4))
        s = LSTM(3, stateful=True)(x)
        y = Dense(2)(Flatten()(x))
        outputs s, y
      }`);
    // Only y is read: the LSTM's state update is the one effect left.
    const onlyY = { ...program, outputs: program.outputs.slice(1) };
    const { program: after } = runPass(eliminateDeadSteps, onlyY);
    expect(after.steps.some((s) => s.op === "rnn")).toBe(true);
  });
});
