// Canonical expression text: every literal form, calls, and the fewest parentheses Python precedence needs.
import { describe, expect, it } from "vitest";
import { printExpr } from "../../src/compiler/fmt/print-expr.js";
import {
  bin,
  bool,
  call,
  float,
  int,
  lambda,
  list,
  neg,
  none,
  pos,
  ref,
  str,
  tuple,
} from "./ast-builders.js";

describe("literals", () => {
  it.each([
    [int(0), "0"],
    [int(784), "784"],
    [int(2 ** 60), "1152921504606846976"],
    [float(1), "1.0"],
    [float(0.25), "0.25"],
    [float(0.5), "0.5"],
    [float(1e-3), "0.001"],
    [float(1e-7), "1e-7"],
    [float(1.5e300), "1.5e+300"],
    [float(1e21), "1e+21"],
    [float(123456789012), "123456789012.0"],
    [float(Number.POSITIVE_INFINITY), "1e999"],
    [bool(true), "True"],
    [bool(false), "False"],
    [none, "None"],
  ])("%o prints as %s", (expr, text) => {
    expect(printExpr(expr)).toBe(text);
  });

  it("always double-quotes strings and escapes only what needs it", () => {
    expect(printExpr(str("relu"))).toBe('"relu"');
    expect(printExpr(str("it's"))).toBe(`"it's"`);
    expect(printExpr(str('say "hi"'))).toBe('"say \\"hi\\""');
    expect(printExpr(str("a\\b"))).toBe('"a\\\\b"');
    expect(printExpr(str("line\nnext\ttab\rret"))).toBe('"line\\nnext\\ttab\\rret"');
    expect(printExpr(str("bell\u0007nul\u0000del\u007f"))).toBe('"bell\\u0007nul\\u0000del\\u007f"');
    expect(printExpr(str("ünï ☃ 😀"))).toBe('"ünï ☃ 😀"');
  });
});

describe("collections and calls", () => {
  it("prints tuples with the 1-tuple comma, lists with brackets", () => {
    expect(printExpr(tuple())).toBe("()");
    expect(printExpr(tuple(int(784)))).toBe("(784,)");
    expect(printExpr(tuple(int(3), int(3)))).toBe("(3, 3)");
    expect(printExpr(list())).toBe("[]");
    expect(printExpr(list(ref("a"), ref("b")))).toBe("[a, b]");
    expect(printExpr(tuple(tuple(int(1)), list(tuple())))).toBe("((1,), [()])");
  });

  it("prints keyword arguments as key=value after the positional ones", () => {
    const conv = call("Conv2D", [int(32), tuple(int(3), int(3))], {
      activation: str("relu"),
      padding: str("same"),
    });
    expect(printExpr(conv)).toBe('Conv2D(32, (3, 3), activation="relu", padding="same")');
    expect(printExpr(call("Flatten"))).toBe("Flatten()");
  });

  it("prints a layer applied to a value as a call of a call", () => {
    expect(printExpr(call(call("Dense", [int(8)]), [ref("x")]))).toBe("Dense(8)(x)");
    expect(printExpr(call(call("Add"), [list(ref("x"), ref("y"))]))).toBe("Add()([x, y])");
  });
});

describe("operators", () => {
  const [a, b, c] = [ref("a"), ref("b"), ref("c")];

  it("spaces binary operators and keeps left-grouping without parentheses", () => {
    expect(printExpr(bin(bin(a, "-", b), "+", c))).toBe("a - b + c");
    expect(printExpr(bin(a, "-", bin(b, "+", c)))).toBe("a - (b + c)");
    expect(printExpr(bin(bin(a, "//", b), "%", c))).toBe("a // b % c");
    expect(printExpr(bin(a, "/", bin(b, "*", c)))).toBe("a / (b * c)");
  });

  it("puts parentheses only where precedence needs them", () => {
    expect(printExpr(bin(a, "+", bin(b, "*", c)))).toBe("a + b * c");
    expect(printExpr(bin(bin(a, "+", b), "*", c))).toBe("(a + b) * c");
    expect(printExpr(bin(a, "*", bin(b, "**", int(2))))).toBe("a * b ** 2");
  });

  it("groups ** to the right and lets a unary minus bind looser than it", () => {
    expect(printExpr(bin(a, "**", bin(b, "**", c)))).toBe("a ** b ** c");
    expect(printExpr(bin(bin(a, "**", b), "**", c))).toBe("(a ** b) ** c");
    expect(printExpr(neg(bin(a, "**", int(2))))).toBe("-a ** 2");
    expect(printExpr(bin(neg(a), "**", int(2)))).toBe("(-a) ** 2");
    expect(printExpr(bin(int(2), "**", neg(int(1))))).toBe("2 ** -1");
  });

  it("prints unary signs tight, nested ones too", () => {
    expect(printExpr(neg(int(1)))).toBe("-1");
    expect(printExpr(pos(float(0.5)))).toBe("+0.5");
    expect(printExpr(neg(neg(a)))).toBe("--a");
    expect(printExpr(neg(bin(a, "*", b)))).toBe("-(a * b)");
    expect(printExpr(bin(a, "*", neg(b)))).toBe("a * -b");
    expect(printExpr(bin(a, "-", neg(b)))).toBe("a - -b");
  });

  it("parenthesises a call's callee only when it is not already a postfix expression", () => {
    expect(printExpr(call(bin(a, "+", b), [c]))).toBe("(a + b)(c)");
    expect(printExpr(bin(call("f", [a]), "**", int(2)))).toBe("f(a) ** 2");
  });

  it("prints lambdas and wraps them when they are an operand", () => {
    const square = lambda(["t"], bin(ref("t"), "**", int(2)));
    expect(printExpr(square)).toBe("lambda t: t ** 2");
    expect(printExpr(lambda(["x", "y"], bin(ref("x"), "*", ref("y"))))).toBe("lambda x, y: x * y");
    expect(printExpr(lambda([], int(1)))).toBe("lambda: 1");
    expect(printExpr(call("Lambda", [square]))).toBe("Lambda(lambda t: t ** 2)");
    expect(printExpr(bin(square, "+", int(1)))).toBe("(lambda t: t ** 2) + 1");
    expect(printExpr(lambda(["t"], lambda(["u"], ref("u"))))).toBe("lambda t: lambda u: u");
    expect(printExpr(tuple(square))).toBe("(lambda t: t ** 2,)");
  });
});
