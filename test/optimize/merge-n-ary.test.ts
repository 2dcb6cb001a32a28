// merge-n-ary: Add of many inputs and nested adds become one addN; nested concats on one axis one concat;
// broadcasting adds, operands read elsewhere and concats on other axes stay as they are.
import { describe, expect, it } from "vitest";
import { mergeNAry } from "../../src/compiler/6-optimize/passes/merge-n-ary.js";
import { expectSameOutputs, opProgramOf, runPass } from "./pass-harness.js";

const ops = (program: { steps: readonly { op: string }[] }) => program.steps.map((s) => s.op);

describe("merge-n-ary", () => {
  it("Add()([a, b, c, d]) becomes one addN of four operands", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(4,))
        a = Dense(3)(x)
        b = Dense(3)(x)
        c = Dense(3)(x)
        d = Dense(3)(x)
        y = Add()([a, b, c, d])
        outputs y
      }`);
    expect(ops(program).filter((op) => op === "add")).toHaveLength(3);
    const { program: after, changes } = runPass(mergeNAry, program);
    expect(ops(after).filter((op) => op === "add")).toHaveLength(0);
    const sum = after.steps.find((s) => s.op === "addN")!;
    expect(sum.inputs).toHaveLength(4);
    expect(changes).toEqual(["add (layer add_1): 4 operands summed by one addN"]);
    await expectSameOutputs(program, after);
  });

  it("nested Adds merge; an inner sum another layer reads stays", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(4,))
        a = Dense(4)(x)
        s1 = Add()([x, a])
        s2 = Add()([s1, a])
        s3 = Add()([s2, x])
        r = Dense(2)(s1)
        outputs s3, r
      }`);
    const { program: after } = runPass(mergeNAry, program);
    // s1 is read by the Dense too, so it stays; s2 is spliced into s3.
    expect(ops(after).filter((op) => op === "add")).toHaveLength(1);
    expect(after.steps.find((s) => s.op === "addN")!.inputs).toHaveLength(3);
    await expectSameOutputs(program, after);
  });

  it("leaves a broadcasting add alone", () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(3, 4))
        b = Input(shape=(1, 4))
        c = Input(shape=(3, 4))
        y = Add()([x, b, c])
        outputs y
      }`);
    expect(runPass(mergeNAry, program).changes).toEqual([]);
  });

  it("splices nested concats on the same axis, not on another", async () => {
    const program = opProgramOf(`
      model m {
        x = Input(shape=(2, 3))
        y = Input(shape=(2, 3))
        a = Concatenate(axis=-1)([x, y])
        b = Concatenate(axis=-1)([a, x])
        c = Concatenate(axis=1)([b, b])
        outputs c
      }`);
    const { program: after, changes } = runPass(mergeNAry, program);
    expect(ops(after)).toEqual(["concat", "concat"]);
    expect(after.steps[0]!.inputs).toHaveLength(3);
    expect(changes).toHaveLength(1);
    await expectSameOutputs(program, after);
  });
});
