// The builders the rest of the catalogue needs (kernel_size, padding pairs, unions, data_format), bound
// through bindCall on small schemas so each normalisation and error is checked on its own.
import { describe, expect, it } from "vitest";
import { arg } from "../../src/compiler/layers/arg.js";
import { bindCall } from "../../src/compiler/layers/bind.js";
import { type ArgSchema, defineSchema } from "../../src/compiler/layers/schema.js";
import { readCall } from "./helpers.js";

function bindText(schema: ArgSchema, text: string) {
  const call = readCall(text);
  return bindCall(schema, {
    owner: call.layerName,
    positional: call.positional,
    keywords: call.keywords,
    span: call.span,
  });
}

const conv = defineSchema(
  {
    kernel_size: arg.intTuple(2, { min: 1 }),
    strides: arg.intTuple(2, { min: 1, default: [1, 1] }),
    padding: arg.enumOf(["valid", "same"], { default: "valid", caseInsensitive: true }),
    data_format: arg.dataFormat(),
    axes: arg.oneOf([arg.bool(), arg.intList()], { default: false }),
  },
  { baseArgs: false },
);

describe("intTuple", () => {
  it("widens an integer to the n-tuple and keeps a tuple", () => {
    expect(bindText(conv, "C(3)").args.kernel_size).toEqual([3, 3]);
    expect(bindText(conv, "C((3, 5), 2)").args).toMatchObject({ kernel_size: [3, 5], strides: [2, 2] });
  });

  it("rejects a tuple of the wrong length, with a hint", () => {
    const r = bindText(conv, "C((3, 3, 3))");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: "KML305",
      message:
        "`kernel_size` of C expects a positive integer or a tuple of 2 positive integers, got the tuple (3, 3, 3)",
      hint: "give one value per spatial dimension: 2 in all",
      span: { start: 2, end: 11 },
    });
  });

  it("checks each entry's range at the entry", () => {
    const r = bindText(conv, "C((3, 0))");
    expect(r.diagnostics[0]).toMatchObject({
      code: "KML306",
      message: "`kernel_size` of C must be at least 1, got 0",
      span: { start: 6, end: 7 },
    });
  });
});

describe("enumOf and dataFormat", () => {
  it("accept any case where Keras lower-cases, and map None to channels_last", () => {
    expect(bindText(conv, 'C(3, padding="SAME")').args.padding).toBe("same");
    expect(bindText(conv, "C(3)").args.data_format).toBe("channels_last");
    expect(bindText(conv, 'C(3, data_format="channels_first")').args.data_format).toBe("channels_first");
  });
});

describe("oneOf", () => {
  it("lets the first matching kind decide", () => {
    expect(bindText(conv, "C(3, axes=True)").args.axes).toBe(true);
    expect(bindText(conv, "C(3, axes=(1, 2))").args.axes).toEqual([1, 2]);
    expect(bindText(conv, "C(3, axes=1)").args.axes).toEqual([1]);
    expect(bindText(conv, "C(3)").args.axes).toBe(false);
  });

  it("describes every alternative when none matches", () => {
    const r = bindText(conv, 'C(3, axes="x")');
    expect(r.diagnostics[0]?.message).toBe(
      '`axes` of C expects True or False or an integer or a tuple of integers, got the string "x"',
    );
  });
});

describe("sidePairs", () => {
  const pad = defineSchema(
    { one: arg.optional(arg.sidePairs(1)), two: arg.optional(arg.sidePairs(2)) },
    { baseArgs: false },
  );

  it("normalises the symmetric and per-side forms to (before, after) pairs", () => {
    expect(bindText(pad, "P(one=2)").args.one).toEqual([[2, 2]]);
    expect(bindText(pad, "P(one=(1, 2))").args.one).toEqual([[1, 2]]);
    expect(bindText(pad, "P(two=1)").args.two).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(bindText(pad, "P(two=(1, 2))").args.two).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(bindText(pad, "P(two=((1, 2), (3, 4)))").args.two).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("rejects negative amounts and malformed nesting", () => {
    expect(bindText(pad, "P(two=((1, -2), (3, 4)))").diagnostics[0]).toMatchObject({
      code: "KML306",
      message: "`two` of P must be at least 0, got -2",
    });
    expect(bindText(pad, "P(two=((1, 2), 3))").diagnostics[0]?.code).toBe("KML305");
  });
});

describe("intList", () => {
  const schema = defineSchema(
    { axes: arg.intList({ min: 1 }), dims: arg.intList({ min: 1, allowScalar: false, default: [1] }) },
    { baseArgs: false },
  );

  it("accepts one integer or a tuple, unless scalars are disallowed", () => {
    expect(bindText(schema, "S(2)").args.axes).toEqual([2]);
    expect(bindText(schema, "S([1, 2])").args.axes).toEqual([1, 2]);
    expect(bindText(schema, "S(1, 2)").diagnostics[0]?.message).toBe(
      "`dims` of S expects a tuple of positive integers, got the integer 2",
    );
  });
});
