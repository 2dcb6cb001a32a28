// Every literal form of the language, with exact values, kinds and spans.
import { describe, expect, it } from "vitest";
import { expr, parse, shape, where } from "./helpers.js";

describe("number literals", () => {
  it.each([
    ["0", "int", 0],
    ["784", "int", 784],
    ["1.5", "float", 1.5],
    [".5", "float", 0.5],
    ["1.", "float", 1],
    ["1e-3", "float", 0.001],
    ["2.5E+2", "float", 250],
    ["3e2", "float", 300],
    ["9007199254740992", "int", 2 ** 53],
  ])("%s is a %s with value %d", (text, kind, value) => {
    expect(expr(text)).toEqual({ kind, value, span: { file: "test.kml", start: 16, end: 16 + text.length } });
  });

  it("reads a negative number as unary minus applied to the literal", () => {
    expect(shape(expr("-1"))).toEqual({ kind: "unary", op: "-", operand: { kind: "int", value: 1 } });
    expect(shape(expr("-0.25"))).toEqual({ kind: "unary", op: "-", operand: { kind: "float", value: 0.25 } });
  });
});

describe("string literals", () => {
  it("accepts both quote styles", () => {
    expect(shape(expr('"relu"'))).toEqual({ kind: "string", value: "relu" });
    expect(shape(expr("'same'"))).toEqual({ kind: "string", value: "same" });
  });

  it("decodes Python escapes, including the other quote and the same quote escaped", () => {
    expect(shape(expr(String.raw`"a\"b'c\n\t\\"`))).toEqual({ kind: "string", value: "a\"b'c\n\t\\" });
    expect(shape(expr(String.raw`'it\'s'`))).toEqual({ kind: "string", value: "it's" });
    expect(shape(expr(String.raw`"\x41\u00e9\0"`))).toEqual({ kind: "string", value: "A\u00e9\0" });
  });

  it("spans the quotes", () => {
    const parsed = parse('model m {\n  x = "relu"\n}\n');
    const stmt = parsed.file.items[0]!;
    expect(
      stmt.kind === "model" &&
        stmt.body[0]!.kind === "assign" &&
        where(parsed.source, stmt.body[0]!.value.span),
    ).toBe("2:7-2:13");
  });
});

describe("constants, tuples and lists", () => {
  it("reads True, False and None", () => {
    expect(shape(expr("True"))).toEqual({ kind: "bool", value: true });
    expect(shape(expr("False"))).toEqual({ kind: "bool", value: false });
    expect(shape(expr("None"))).toEqual({ kind: "none" });
  });

  it("makes a tuple of (3, 3), (784,) and (), but (3) is just 3", () => {
    expect(shape(expr("(3, 3)"))).toEqual({
      kind: "tuple",
      items: [
        { kind: "int", value: 3 },
        { kind: "int", value: 3 },
      ],
    });
    expect(shape(expr("(784,)"))).toEqual({ kind: "tuple", items: [{ kind: "int", value: 784 }] });
    expect(shape(expr("()"))).toEqual({ kind: "tuple", items: [] });
    // Not a tuple: the int itself, its span widened over the parentheses.
    expect(expr("(3)")).toEqual({ kind: "int", value: 3, span: { file: "test.kml", start: 16, end: 19 } });
  });

  it("nests tuples in tuples and takes None as a dimension", () => {
    expect(shape(expr("((1, 2), (None, 4),)"))).toEqual({
      kind: "tuple",
      items: [
        {
          kind: "tuple",
          items: [
            { kind: "int", value: 1 },
            { kind: "int", value: 2 },
          ],
        },
        { kind: "tuple", items: [{ kind: "none" }, { kind: "int", value: 4 }] },
      ],
    });
  });

  it("makes lists with and without a trailing comma, and the empty list", () => {
    expect(shape(expr("[a, b]"))).toEqual({
      kind: "list",
      items: [
        { kind: "name", name: "a" },
        { kind: "name", name: "b" },
      ],
    });
    expect(shape(expr("[a,]"))).toEqual({ kind: "list", items: [{ kind: "name", name: "a" }] });
    expect(shape(expr("[]"))).toEqual({ kind: "list", items: [] });
  });

  it("spans a tuple from its `(` to its `)`", () => {
    expect(expr("(784,)").span).toEqual({ file: "test.kml", start: 16, end: 22 });
  });
});
