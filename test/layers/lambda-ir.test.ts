// The tensor-expression IR's helpers the runtime relies on (recognising a function, operands, axes), its
// printed form with Python's precedence, and the broadcasting of one pair of dims, case by case.
import { describe, expect, it } from "vitest";
import { broadcastDim } from "../../src/compiler/layers/lambda-shapes.js";
import {
  formatTensorFunction,
  formatTensorStep,
  isTensorFunction,
  normalizeAxis,
  stepOperands,
  type TensorFunction,
  type TensorStep,
} from "../../src/ir/tensor-expr.js";
import { compileKml } from "../build/helpers.js";

/** The function `lambda <params>: <body>` compiles to (on inputs of shape (None, 3)). */
function compiled(params: string, body: string): TensorFunction {
  const inputs = params.split(", ");
  const built = compileKml(`model m {
${inputs.map((p) => `  ${p}_in = Input(shape=(3,))`).join("\n")}
  y = Lambda(lambda ${params}: ${body})([${inputs.map((p) => `${p}_in`).join(", ")}])
  outputs y
}
`);
  expect(built.diagnostics).toEqual([]);
  const fn = built.graph("m").layers.find((l) => l.type === "Lambda")!.args.function;
  if (!isTensorFunction(fn)) throw new Error("no function");
  return fn;
}

describe("accessors", () => {
  it("isTensorFunction tells a function from other argument values", () => {
    expect(isTensorFunction(compiled("x", "x * 2"))).toBe(true);
    expect(isTensorFunction({ className: "RandomNormal", config: {} })).toBe(false);
    expect(isTensorFunction([1, 2])).toBe(false);
    expect(isTensorFunction(null)).toBe(false);
    expect(isTensorFunction(undefined)).toBe(false);
  });

  it("stepOperands lists the steps a step reads, in order", () => {
    const steps: TensorStep[] = [
      { className: "param", config: { index: 0 } },
      { className: "const", config: { value: 1 } },
      { className: "binary", config: { fn: "add", a: 0, b: 1 } },
      { className: "concatenate", config: { xs: [2, 0, 2], axis: -1 } },
      { className: "reduce", config: { fn: "sum", x: 3, axis: null, keepdims: false } },
    ];
    expect(steps.map(stepOperands)).toEqual([[], [], [0, 1], [2, 0, 2], [3]]);
  });

  it("normalizeAxis counts negative axes from the end and rejects the rest", () => {
    expect([0, 2, -1, -3, 3, -4].map((a) => normalizeAxis(a, 3))).toEqual([0, 2, 2, 0, undefined, undefined]);
  });

  it("constants fold at build time: 2 ** 3 - 1 is one constant step, -1 is not a negation", () => {
    expect(compiled("x", "x * (2 ** 3 - 1) + -1").config.steps.map((s) => s.className)).toEqual([
      "param",
      "const",
      "binary",
      "const",
      "binary",
    ]);
  });
});

describe("printed form", () => {
  it.each([
    ["x", "x ** 2", "lambda x: x ** 2"],
    ["x", "-x ** 2", "lambda x: -x ** 2"],
    ["x", "(-x) ** 2", "lambda x: (-x) ** 2"],
    ["x", "x ** x ** 2", "lambda x: x ** x ** 2"],
    ["x", "(x ** 2) ** 3", "lambda x: (x ** 2) ** 3"],
    ["x", "x - (x - 1)", "lambda x: x - (x - 1)"],
    ["x", "(x - 1) - x", "lambda x: x - 1 - x"],
    ["x", "-(x * 2)", "lambda x: -(x * 2)"],
    ["x", "x / 2 // 3 % 4", "lambda x: x / 2 // 3 % 4"],
    ["a, b", "maximum(a, b) - minimum(a, 0.5)", "lambda a, b: maximum(a, b) - minimum(a, 0.5)"],
    ["x", "clip(x, None, 1)", "lambda x: clip(x, None, 1)"],
    ["x", "x - sum(x, axis=(0, 1), keepdims=True)", "lambda x: x - sum(x, axis=(0, 1), keepdims=True)"],
  ])("lambda %s: %s", (params, body, printed) => {
    expect(formatTensorFunction(compiled(params, body))).toBe(printed);
  });

  it("a step shows its named operands by name", () => {
    const fn: TensorFunction = {
      className: "TensorFunction",
      config: {
        params: ["x"],
        steps: [
          { className: "param", config: { index: 0 } },
          { className: "elementwise", config: { fn: "abs", x: 0 } },
          { className: "elementwise", config: { fn: "neg", x: 0 } },
          { className: "concatenate", config: { xs: [1, 2], axis: 1 } },
        ],
        result: 3,
        names: ["x", "pos", null, null],
      },
    };
    expect(formatTensorStep(fn, 3)).toBe("concatenate([pos, -x], axis=1)");
  });

  it("keeps the text short when steps are shared many times over", () => {
    const steps: TensorStep[] = [{ className: "param", config: { index: 0 } }];
    for (let i = 0; i < 40; i++) steps.push({ className: "binary", config: { fn: "mul", a: i, b: i } });
    const fn: TensorFunction = {
      className: "TensorFunction",
      config: { params: ["x"], steps, result: 40, names: steps.map((_, i) => (i === 0 ? "x" : null)) },
    };
    expect(formatTensorFunction(fn).length).toBeLessThan(400);
  });
});

describe("broadcastDim", () => {
  it.each<[number | string | null, number | string | null, number | string | null | undefined]>([
    [3, 3, 3],
    [1, 5, 5],
    [5, 1, 5],
    [3, 4, undefined],
    [null, 1, null],
    [null, 4, 4], // None must be 1 or 4 at run time: either way the result is 4
    [null, null, null],
    ["T", "T", "T"],
    ["T", 1, "T"],
    ["T", 4, 4],
    ["T", null, null],
    ["T", "U", undefined],
  ])("%s with %s → %s", (a, b, expected) => {
    expect(broadcastDim(a, b)).toBe(expected);
  });
});
