// Argument evaluation: literals, folded constant arithmetic (Python's meaning), block parameters, dims,
// initializer calls, and tensor names passed where a value belongs (the schema's KML312).
import { describe, expect, it } from "vitest";
import { foldBinary, foldUnary } from "../../src/compiler/2-build/fold.js";
import type { ArgInput } from "../../src/compiler/layers/arg-input.js";
import { build } from "./helpers.js";

const span = { file: "t.kml", start: 0, end: 1 };
const int = (value: number): ArgInput => ({ kind: "scalar", value, isFloat: false, span });
const float = (value: number): ArgInput => ({ kind: "scalar", value, isFloat: true, span });
const tuple = (...items: ArgInput[]): ArgInput => ({ kind: "sequence", tuple: true, items, span });

function value(result: ReturnType<typeof foldBinary>): unknown {
  if (!result.ok) return `error: ${result.reason}`;
  const arg = result.arg;
  if (arg.kind === "scalar") return [arg.value, arg.isFloat ? "float" : "int"];
  if (arg.kind === "sequence") return arg.items.map((i) => (i.kind === "scalar" ? i.value : "?"));
  return arg.kind;
}

describe("constant folding", () => {
  it("follows Python: true division gives a float, // floors, % takes the divisor's sign, ** on ints", () => {
    expect(value(foldBinary("*", int(16), int(2), span))).toEqual([32, "int"]);
    expect(value(foldBinary("/", int(7), int(2), span))).toEqual([3.5, "float"]);
    expect(value(foldBinary("/", int(8), int(2), span))).toEqual([4, "float"]);
    expect(value(foldBinary("//", int(-7), int(2), span))).toEqual([-4, "int"]);
    expect(value(foldBinary("%", int(-7), int(3), span))).toEqual([2, "int"]);
    expect(value(foldBinary("**", int(2), int(10), span))).toEqual([1024, "int"]);
    expect(value(foldBinary("**", int(2), int(-1), span))).toEqual([0.5, "float"]);
    expect(value(foldBinary("+", float(0.5), int(1), span))).toEqual([1.5, "float"]);
    expect(value(foldUnary("-", int(3), span))).toEqual([-3, "int"]);
  });

  it("concatenates and repeats tuples", () => {
    expect(value(foldBinary("+", tuple(int(28), int(28)), tuple(int(1)), span))).toEqual([28, 28, 1]);
    expect(value(foldBinary("*", tuple(int(3)), int(2), span))).toEqual([3, 3]);
  });

  it("refuses what is not a compile-time number", () => {
    expect(value(foldBinary("//", int(1), int(0), span))).toBe("error: division by zero");
    expect(value(foldBinary("*", int(2), { kind: "dim", name: "T", span }, span))).toBe(
      "error: `*` cannot be computed on the symbolic dimension `T` (its size is unknown at build time)",
    );
    expect(value(foldBinary("**", int(10), int(400), span))).toBe("error: the result is too large");
  });
});

describe("arguments in models", () => {
  it("folds arithmetic on block parameters and keeps the call-site span of a substituted value", () => {
    const b = build(`block proj(x, units) {
  return Dense(units * 2, input_shape=(units,) + (3,))(x)
}
model m {
  a = Input(shape=(4,))
  y = proj(a, 0)
  outputs y
}
`);
    // units * 2 = 0 is out of range: reported at the folded expression inside the block. The shape
    // (units,) + (3,) = (0, 3) is invalid too: its bad item is the `0` written at the call site.
    expect(b.codes()).toEqual([
      ["KML306", "2:16"],
      ["KML313", "6:15"],
    ]);
    expect(b.diagnostics[0]!.related!.map((r) => b.at(r.span))).toEqual(["6:7"]);
  });

  it("passes initializer calls, negative numbers and dims through to the schema", () => {
    const b = build(`dim T
model m {
  a = Input(shape=(T, 12))
  r = Reshape((-1, 3))(a)
  y = Dense(2, kernel_initializer=RandomNormal(stddev=0.1))(r)
  outputs y
}
`);
    expect(b.diagnostics).toEqual([]);
    const layers = b.graph("m").layers;
    expect(layers[1]!.args.target_shape).toEqual([-1, 3]);
    expect(layers[2]!.args.kernel_initializer).toEqual({
      className: "RandomNormal",
      config: { mean: 0, stddev: 0.1, seed: null },
    });
  });

  it("leaves a tensor name in argument position to the schema (KML312)", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  y = Dense(a)(a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML312", "3:13"]]);
  });

  it("reports an application used as an argument value (KML223)", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  y = Dense(Dense(2)(a))(a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML223", "3:13"]]);
  });
});
