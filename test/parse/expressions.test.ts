// Expressions: calls, layer application, operators with Python precedence, lambda, multi-line calls.
import { describe, expect, it } from "vitest";
import { bodyOf, expr, parseClean, shape, where } from "./helpers.js";

const name = (n: string) => ({ kind: "name", name: n });
const int = (value: number) => ({ kind: "int", value });
const bin = (op: string, left: unknown, right: unknown) => ({ kind: "binary", op, left, right });

describe("calls", () => {
  it("keeps positional and keyword arguments apart, in order", () => {
    expect(shape(expr('Conv2D(32, (3, 3), activation="relu", padding="same")'))).toEqual({
      kind: "call",
      callee: name("Conv2D"),
      args: [int(32), { kind: "tuple", items: [int(3), int(3)] }],
      kwargs: [
        { name: { name: "activation" }, value: { kind: "string", value: "relu" } },
        { name: { name: "padding" }, value: { kind: "string", value: "same" } },
      ],
    });
  });

  it("reads layer application as a call of a call", () => {
    expect(shape(expr("Dense(8)(x)"))).toEqual({
      kind: "call",
      callee: { kind: "call", callee: name("Dense"), args: [int(8)], kwargs: [] },
      args: [name("x")],
      kwargs: [],
    });
  });

  it("reads list application Add()([a, b])", () => {
    expect(shape(expr("Add()([a, b])"))).toEqual({
      kind: "call",
      callee: { kind: "call", callee: name("Add"), args: [], kwargs: [] },
      args: [{ kind: "list", items: [name("a"), name("b")] }],
      kwargs: [],
    });
  });

  it("spans the callee through the closing parenthesis, for the inner and outer call", () => {
    const parsed = parseClean("model m {\n  y = Dense(8, use_bias=False)(x)\n}\n");
    const stmt = bodyOf(parsed.file)[0]!;
    if (stmt.kind !== "assign" || stmt.value.kind !== "call") throw new Error("shape");
    expect(where(parsed.source, stmt.value.span)).toBe("2:7-2:34");
    expect(where(parsed.source, stmt.value.callee.span)).toBe("2:7-2:31");
    const inner = stmt.value.callee;
    if (inner.kind !== "call") throw new Error("shape");
    expect(where(parsed.source, inner.kwargs[0]!.span)).toBe("2:16-2:30");
    expect(where(parsed.source, inner.kwargs[0]!.name.span)).toBe("2:16-2:24");
  });

  it("accepts a trailing comma and a call spread over several lines", () => {
    const parsed = parseClean(
      'model m {\n  y = Dense(\n    8,\n    activation="relu",\n  )(x)\n  z = y\n}\n',
    );
    const body = bodyOf(parsed.file);
    expect(body).toHaveLength(2);
    expect(shape(body[0])).toMatchObject({
      kind: "assign",
      value: { kind: "call", callee: { kind: "call", args: [int(8)] }, args: [name("x")] },
    });
    expect(where(parsed.source, body[0]!.span)).toBe("2:3-5:7");
  });

  it("continues a list over lines and before a closing bracket", () => {
    const parsed = parseClean("model m {\n  y = Concatenate()([\n    a,\n    b\n  ])\n}\n");
    expect(shape(bodyOf(parsed.file)[0])).toMatchObject({
      value: { args: [{ kind: "list", items: [name("a"), name("b")] }] },
    });
  });
});

describe("operators", () => {
  it("binds * tighter than + and associates to the left", () => {
    expect(shape(expr("a + b * c - d"))).toEqual(
      bin("-", bin("+", name("a"), bin("*", name("b"), name("c"))), name("d")),
    );
    expect(shape(expr("a / b // c % d"))).toEqual(
      bin("%", bin("//", bin("/", name("a"), name("b")), name("c")), name("d")),
    );
  });

  it("makes ** right-associative and tighter than a unary sign, like Python", () => {
    expect(shape(expr("2 ** 3 ** 2"))).toEqual(bin("**", int(2), bin("**", int(3), int(2))));
    expect(shape(expr("-2 ** 2"))).toEqual({ kind: "unary", op: "-", operand: bin("**", int(2), int(2)) });
    expect(shape(expr("2 ** -1"))).toEqual(bin("**", int(2), { kind: "unary", op: "-", operand: int(1) }));
  });

  it("honours parentheses and stacks signs", () => {
    expect(shape(expr("(a + b) * c"))).toEqual(bin("*", bin("+", name("a"), name("b")), name("c")));
    expect(shape(expr("- -a"))).toEqual({
      kind: "unary",
      op: "-",
      operand: { kind: "unary", op: "-", operand: name("a") },
    });
    expect(shape(expr("+a"))).toEqual({ kind: "unary", op: "+", operand: name("a") });
  });

  it("spans a binary expression from its left to its right operand, parentheses included", () => {
    expect(expr("a * (b + 1)").span).toEqual({ file: "test.kml", start: 16, end: 27 });
    const inner = expr("(b + 1)");
    expect(shape(inner)).toEqual(bin("+", name("b"), int(1)));
    expect(inner.span).toEqual({ file: "test.kml", start: 16, end: 23 });
  });
});

describe("lambda", () => {
  it("reads one and several parameters, and none", () => {
    expect(shape(expr("Lambda(lambda t: t ** 2)"))).toMatchObject({
      args: [{ kind: "lambda", params: [{ name: "t" }], body: bin("**", name("t"), int(2)) }],
    });
    expect(shape(expr("lambda a, b: a * b"))).toEqual({
      kind: "lambda",
      params: [{ name: "a" }, { name: "b" }],
      body: bin("*", name("a"), name("b")),
    });
    expect(shape(expr("lambda: 1"))).toEqual({ kind: "lambda", params: [], body: int(1) });
  });

  it("takes calls with keywords in its body and ends at the argument's comma", () => {
    expect(shape(expr("Lambda(lambda x: mean(x, axis=1, keepdims=True), name='m')"))).toMatchObject({
      args: [
        {
          kind: "lambda",
          body: {
            kind: "call",
            callee: name("mean"),
            args: [name("x")],
            kwargs: [{ name: { name: "axis" } }, { name: { name: "keepdims" } }],
          },
        },
      ],
      kwargs: [{ name: { name: "name" }, value: { kind: "string", value: "m" } }],
    });
  });

  it("spans from `lambda` to the end of its body", () => {
    expect(expr("lambda t: t + 1").span).toEqual({ file: "test.kml", start: 16, end: 31 });
  });
});
