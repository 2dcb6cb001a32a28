// Error recovery: every independent syntax error is reported in one run, with its own position, and the
// parser keeps going (the good parts of the file still become AST).
import { describe, expect, it } from "vitest";
import { bodyOf, codesAt, parse } from "./helpers.js";

describe("recovery", () => {
  it("reports three broken statements in different places, each at its own line and column", () => {
    const text = [
      "model first {", //                          1
      "  a = Input(shape=(16,))", //               2
      '  b = Dense(8, activation="relu"(a)', //    3  missing `)`
      "  c = Dense(4)(b)", //                      4
      "  outputs c", //                            5
      "}", //                                      6
      "", //                                       7
      "sequential second {", //                    8
      "  Dense(8) Flatten()", //                   9  two layers on one line
      "  Dense(units=3, 4)", //                    10 positional after keyword
      "}", //                                      11
      "", //                                       12
      "model third {", //                          13
      "  x = Input(shape=(3,))", //                14
      "  y = = Dense(1)(x)", //                    15 a stray `=`
      "  outputs y", //                            16
      "}", //                                      17
    ].join("\n");
    const parsed = parse(text);
    expect(codesAt(parsed)).toEqual([
      "KML102 3:36-3:36",
      "KML101 9:12-9:19",
      "KML108 10:18-10:19",
      "KML101 15:7-15:8",
    ]);
    // Everything around the errors is still read.
    expect(parsed.file.items.map((i) => ("name" in i ? i.name.name : i.kind))).toEqual([
      "first",
      "second",
      "third",
    ]);
    expect(bodyOf(parsed.file, 0).map((s) => s.kind)).toEqual(["assign", "assign", "assign", "outputs"]);
    expect(bodyOf(parsed.file, 1).map((s) => s.kind)).toEqual(["expr", "expr"]);
    expect(bodyOf(parsed.file, 2).map((s) => s.kind)).toEqual(["assign", "outputs"]);
  });

  it("resynchronises at the end of each broken line, so errors on consecutive lines are all reported", () => {
    const parsed = parse("model m {\n  a = \n  b = (1 +)\n  c = [1, ,]\n  d = 1\n  outputs d\n}\n");
    expect(codesAt(parsed)).toEqual(["KML101 2:7-2:7", "KML101 3:11-3:12", "KML101 4:11-4:12"]);
    // `a` has no value and is left out; `b` and `c` keep what was read before the error.
    const body = bodyOf(parsed.file);
    expect(body.map((s) => (s.kind === "assign" ? s.targets[0]!.name : s.kind))).toEqual([
      "b",
      "c",
      "d",
      "outputs",
    ]);
  });

  it("recovers inside a call argument list and keeps the statement", () => {
    const parsed = parse("sequential s {\n  Dense(3 4)\n  Dense(5)\n}\n");
    expect(codesAt(parsed)).toEqual(["KML101 2:11-2:12"]);
    expect(bodyOf(parsed.file).map((s) => s.kind)).toEqual(["expr", "expr"]);
  });

  it("closes a body left open and still reads the next declaration", () => {
    const parsed = parse("model a {\n  x = Input(shape=(1,))\n\nblock b(x) {\n  return x\n}\n");
    expect(codesAt(parsed)).toEqual(["KML102 4:1-4:6"]);
    expect(parsed.file.items.map((i) => i.kind)).toEqual(["model", "block"]);
  });

  it("reads a declaration's body even when its name is missing, without an error per body line", () => {
    const parsed = parse("model {\n  a = 1\n  b = 2\n}\nmodel ok {\n  outputs z\n}\n");
    expect(codesAt(parsed)).toEqual(["KML101 1:7-1:8"]);
    expect(parsed.file.items.map((i) => ("name" in i ? i.name.name : i.kind))).toEqual(["ok"]);
  });

  it("reports each of several missing brackets on separate lines once", () => {
    const parsed = parse("model m {\n  a = f(1\n  b = [2\n  c = g((3)\n}\n");
    expect(codesAt(parsed)).toEqual(["KML102 2:10-2:10", "KML102 3:9-3:9", "KML102 4:12-4:12"]);
    expect(bodyOf(parsed.file).map((s) => s.kind)).toEqual(["assign", "assign", "assign"]);
  });

  it("reports absurdly deep nesting once per line instead of overflowing the stack, and goes on", () => {
    const deep = "(".repeat(2000);
    const text = `model m {\n  x = ${deep}1${")".repeat(1999)}\n  y = 2 ${"** 2 ".repeat(500)}\n  z = 3\n}\n`;
    const started = performance.now();
    const parsed = parse(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(codesAt(parsed)).toEqual(["KML113 2:107-2:108", "KML113 3:509-3:511"]);
    expect(bodyOf(parsed.file).map((s) => (s.kind === "assign" ? s.targets[0]!.name : s.kind))).toEqual([
      "x",
      "y",
      "z",
    ]);
  });
});
