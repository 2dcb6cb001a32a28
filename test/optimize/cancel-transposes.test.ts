// cancel-transposes: channels_first chains keep one transpose at each edge, the numbers stay the unoptimized
// program's, and a transpose with nowhere to cancel stays where it was.
import { describe, expect, it } from "vitest";
import { fromProgram, type OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { cancelTransposes } from "../../src/compiler/6-optimize/passes/cancel-transposes.js";
import { collapseReshapes } from "../../src/compiler/6-optimize/passes/collapse-reshapes.js";
import { expectSameOutputs, opProgramOf, runPass, sampleModels } from "./pass-harness.js";
import { RUN_SLOW_SAMPLES, SLOW_SAMPLE_TIMEOUT, SLOW_SAMPLES } from "./slow-samples.js";

const transposes = (program: OpProgram) => program.steps.filter((s) => s.op === "transpose");
const ops = (program: OpProgram) => program.steps.map((s) => s.op);

describe("cancel-transposes", () => {
  it("runs a channels_first conv / BN / pool / residual / global-pool chain channels-last after one transpose", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 16, 16))
        a = Conv2D(8, (3, 3), padding="same", activation="relu", data_format="channels_first")(x)
        b = BatchNormalization(axis=1)(a)
        c = MaxPooling2D((2, 2), data_format="channels_first")(b)
        d = Conv2D(8, (3, 3), padding="same", data_format="channels_first")(c)
        e = Conv2D(8, (1, 1), data_format="channels_first")(c)
        f = Add()([d, e])
        g = GlobalAveragePooling2D(data_format="channels_first")(f)
        y = Dense(4)(g)
        outputs y
      }`);
    expect(transposes(program)).toHaveLength(8);
    const { program: after, changes } = runPass(cancelTransposes, program);
    expect(ops(after)).toEqual([
      "transpose",
      "conv",
      "batchNorm",
      "pool",
      "conv",
      "conv",
      "add",
      "reduce",
      "matMul",
    ]);
    expect(transposes(after)[0]!.attrs.perm).toEqual([0, 2, 3, 1]);
    expect(after.steps.find((s) => s.op === "batchNorm")!.attrs.axis).toBe(3);
    expect(after.steps.find((s) => s.op === "reduce")!.attrs.axes).toEqual([1, 2]);
    expect(changes.length).toBeGreaterThan(0);
    await expectSameOutputs(program, after);
  });

  it("leaves one transpose at each edge of a channels_first chain whose output is 4D", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(4, 10, 10))
        a = Conv2D(6, (3, 3), data_format="channels_first")(x)
        b = Activation("tanh")(a)
        c = ZeroPadding2D(((1, 2), (0, 1)), data_format="channels_first")(b)
        d = AveragePooling2D((2, 2), data_format="channels_first")(c)
        e = Cropping2D(((1, 0), (0, 1)), data_format="channels_first")(d)
        f = UpSampling2D((2, 3), data_format="channels_first")(e)
        y = Conv2D(3, (1, 1), data_format="channels_first")(f)
        outputs y
      }`);
    const { program: after } = runPass(cancelTransposes, program);
    expect(ops(after)).toEqual([
      "transpose",
      "conv",
      "activation",
      "pad",
      "pool",
      "crop",
      "upsample",
      "conv",
      "transpose",
    ]);
    expect(transposes(after).map((s) => s.attrs.perm)).toEqual([
      [0, 2, 3, 1],
      [0, 3, 1, 2],
    ]);
    expect(after.steps.find((s) => s.op === "pad")!.attrs.paddings).toEqual([
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ]);
    expect(after.steps.find((s) => s.op === "upsample")!.attrs.factors).toEqual([1, 2, 3, 1]);
    await expectSameOutputs(program, after);
  });

  it("merges same-perm transposes into a concat with its axis remapped, and through softmax on channels", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 8, 8))
        a = Conv2D(4, (3, 3), padding="same", data_format="channels_first")(x)
        b = Conv2D(5, (1, 1), data_format="channels_first")(x)
        c = Concatenate(axis=1)([a, b])
        d = Softmax(axis=1)(c)
        e = MaxPooling2D((2, 2), data_format="channels_first")(d)
        y = Flatten(data_format="channels_first")(e)
        outputs y
      }`);
    const { program: after } = runPass(cancelTransposes, program);
    // Both convolutions read x through one transpose each (x itself is not transposed by a step).
    expect(ops(after)).toEqual([
      "transpose",
      "conv",
      "transpose",
      "conv",
      "concat",
      "activation",
      "pool",
      "reshape",
    ]);
    expect(after.steps.find((s) => s.op === "concat")!.attrs.axis).toBe(3);
    expect(after.steps.find((s) => s.op === "activation")!.attrs.axis).toBe(-1);
    await expectSameOutputs(program, after);
  });

  it("cancels through an identity shortcut: the block's input is read by a conv and by the Add", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(4, 8, 8))
        a = Conv2D(4, (3, 3), padding="same", data_format="channels_first")(x)
        b = Conv2D(4, (3, 3), padding="same", activation="relu", data_format="channels_first")(a)
        c = Add()([a, b])
        d = GlobalMaxPooling2D(data_format="channels_first")(c)
        y = Dense(3)(d)
        outputs y
      }`);
    const { program: after } = runPass(cancelTransposes, program);
    expect(ops(after)).toEqual(["transpose", "conv", "conv", "add", "reduce", "matMul"]);
    await expectSameOutputs(program, after);
  });

  it("moves a transpose down a BatchNormalization branch to meet the other branch's at an Add", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 8, 8))
        a = Conv2D(4, (3, 3), padding="same", data_format="channels_first")(x)
        b = BatchNormalization(axis=1)(a)
        c = Activation("relu")(b)
        d = Conv2D(4, (1, 1), data_format="channels_first")(x)
        e = Add()([c, d])
        f = GlobalAveragePooling2D(data_format="channels_first")(e)
        y = Dense(2)(f)
        outputs y
      }`);
    const { program: after } = runPass(cancelTransposes, program);
    // x is transposed once for each convolution reading it: merging those is common-step elimination's job.
    expect(ops(after)).toEqual([
      "transpose",
      "conv",
      "batchNorm",
      "activation",
      "transpose",
      "conv",
      "add",
      "reduce",
      "matMul",
    ]);
    await expectSameOutputs(program, after);
  });

  it("after collapse-reshapes, stacked channels_first TimeDistributed convolutions run between two transposes", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(2, 3, 8, 8))
        a = TimeDistributed(Conv2D(4, (3, 3), data_format="channels_first"))(x)
        b = TimeDistributed(Conv2D(2, (1, 1), activation="relu", data_format="channels_first"))(a)
        outputs b
      }`);
    expect(transposes(program)).toHaveLength(4);
    const collapsed = runPass(collapseReshapes, program).program;
    const { program: after } = runPass(cancelTransposes, collapsed);
    expect(ops(after)).toEqual(["reshape", "transpose", "conv", "conv", "transpose", "reshape"]);
    await expectSameOutputs(program, after);
  });

  it("keeps a transpose whose result is a model output or is read twice, and one with nowhere to cancel", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 8, 8))
        a = Conv2D(4, (3, 3), data_format="channels_first")(x)
        b = Activation("relu")(a)
        outputs a, b
      }`);
    const { program: after, changes } = runPass(cancelTransposes, program);
    expect(changes).toEqual([]);
    expect(after).toEqual(program);
  });

  it("does not move a transpose down a chain that never cancels", () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 8, 8))
        a = Conv2D(4, (3, 3), data_format="channels_first")(x)
        b = BatchNormalization(axis=1)(a)
        y = Activation("relu")(b)
        outputs y
      }`);
    const { program: after, changes } = runPass(cancelTransposes, program);
    expect(changes).toEqual([]);
    expect(ops(after)).toEqual(ops(program));
  });

  it("does not merge transposes of different permutations", () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(4, 4, 4))
        a = Permute((2, 3, 1))(x)
        b = Permute((3, 1, 2))(x)
        y = Add()([a, b])
        outputs y
      }`);
    expect(runPass(cancelTransposes, program).changes).toEqual([]);
  });

  it("cancels adjacent inverse Permutes and composes the rest", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(2, 3, 4))
        a = Permute((2, 3, 1))(x)
        b = Permute((3, 1, 2))(a)
        c = Permute((2, 1, 3))(b)
        d = Permute((3, 1, 2))(c)
        outputs d
      }`);
    const { program: after } = runPass(cancelTransposes, program);
    expect(ops(after)).toEqual(["transpose"]);
    expect(after.steps[0]!.inputs).toEqual([after.inputs[0]!.slot]);
    await expectSameOutputs(program, after);
  });
});

describe("collapse-reshapes then cancel-transposes on every sample", () => {
  for (const { name, lowered } of sampleModels()) {
    it(
      `${name}: verified, no more transposes, same outputs`,
      async () => {
        const start = fromProgram(lowered.program);
        let program = start;
        for (const pass of [collapseReshapes, cancelTransposes]) program = runPass(pass, program).program;
        expect(transposes(program).length).toBeLessThanOrEqual(transposes(start).length);
        expect(program.steps.length).toBeLessThanOrEqual(start.steps.length);
        if (SLOW_SAMPLES.has(name) && !RUN_SLOW_SAMPLES) return;
        await expectSameOutputs(start, program);
      },
      SLOW_SAMPLE_TIMEOUT,
    );
  }
});
