// fast-check generators of random (valid) kml trees: expressions of every kind, statements, items and
// trivia, with placeholder spans. Names avoid reserved words; floats are finite and non-negative, as the
// parser makes them (a minus sign is a unary operator).
import fc from "fast-check";
import type {
  BinaryOperator,
  Comment,
  Expr,
  Identifier,
  Item,
  KeywordArg,
  KmlFile,
  Param,
  Stmt,
  Trivia,
} from "../../src/compiler/1-parse/ast.js";
import { span } from "./ast-builders.js";

const RESERVED = new Set(["sequential", "model", "block", "import", "dim", "outputs", "return", "lambda"]);

const nameText = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/)
  .filter((n) => !RESERVED.has(n) && !/^(True|False|None)$/.test(n));
const identifier: fc.Arbitrary<Identifier> = nameText.map((name) => ({ name, span }));
const identifiers = (min: number) => fc.array(identifier, { minLength: min, maxLength: 3 });
/** Parameter and keyword names must be unique (the parser reports repeats). */
const uniqueIdentifiers = (min: number) =>
  fc.uniqueArray(identifier, { minLength: min, maxLength: 3, selector: (id) => id.name });

const commentText = fc.string({ maxLength: 12 }).map((s) => `#${s.replace(/[\r\n]/g, " ")}`);
const comment: fc.Arbitrary<Comment> = commentText.map((text) => ({ text, span }));
const comments = fc.array(comment, { maxLength: 2 });

const BINARY: BinaryOperator[] = ["+", "-", "*", "/", "//", "%", "**"];

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie("expr");
  const list = fc.array(sub, { maxLength: 3 });
  const kwargs: fc.Arbitrary<KeywordArg[]> = fc.uniqueArray(
    fc.record({ name: identifier, value: sub }).map(({ name, value }) => ({ name, value, span })),
    { maxLength: 2, selector: (k) => k.name.name },
  );
  return {
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.maxSafeNat().map((value): Expr => ({ kind: "int", value, span })),
      fc
        .double({ min: 0, noNaN: true, noDefaultInfinity: true })
        .filter((v) => !Object.is(v, -0))
        .map((value): Expr => ({ kind: "float", value, span })),
      fc.string({ unit: "binary", maxLength: 8 }).map((value): Expr => ({ kind: "string", value, span })),
      fc.boolean().map((value): Expr => ({ kind: "bool", value, span })),
      fc.constant<Expr>({ kind: "none", span }),
      nameText.map((name): Expr => ({ kind: "name", name, span })),
      list.map((items): Expr => ({ kind: "tuple", items, span })),
      list.map((items): Expr => ({ kind: "list", items, span })),
      fc
        .record({ callee: sub, args: list, kwargs })
        .map(({ callee, args, kwargs }): Expr => ({ kind: "call", callee, args, kwargs, span })),
      fc
        .record({ op: fc.constantFrom<"-" | "+">("-", "+"), operand: sub })
        .map(({ op, operand }): Expr => ({ kind: "unary", op, operand, span })),
      fc
        .record({ op: fc.constantFrom(...BINARY), left: sub, right: sub })
        .map(({ op, left, right }): Expr => ({ kind: "binary", op, left, right, span })),
      fc
        .record({ params: uniqueIdentifiers(0), body: sub })
        .map(({ params, body }): Expr => ({ kind: "lambda", params, body, span })),
    ),
  };
});

export { expr };

const trivia: fc.Arbitrary<Trivia> = fc.record({
  leadingComments: comments,
  trailingComment: fc.option(comment, { nil: null }),
  blankLineBefore: fc.boolean(),
});

const stmt: fc.Arbitrary<Stmt> = fc.oneof(
  fc
    .record({ targets: identifiers(1), value: expr, t: trivia })
    .map(({ targets, value, t }): Stmt => ({ kind: "assign", targets, value, span, ...t })),
  fc.record({ e: expr, t: trivia }).map(({ e, t }): Stmt => ({ kind: "expr", expr: e, span, ...t })),
  fc.record({ names: identifiers(1), t: trivia }).map(
    ({ names, t }): Stmt => ({
      kind: "outputs",
      values: names.map((n) => ({ kind: "name", name: n.name, span })),
      span,
      ...t,
    }),
  ),
  fc
    .record({ values: fc.array(expr, { minLength: 1, maxLength: 3 }), t: trivia })
    .map(({ values, t }): Stmt => ({ kind: "return", values, span, ...t })),
  fc
    .record({ names: identifiers(1), t: trivia })
    .map(({ names, t }): Stmt => ({ kind: "dim", names, span, ...t })),
);

const body = fc.array(stmt, { maxLength: 4 });
/** Unique names; parameters with a default value come last, as the grammar requires. */
const params: fc.Arbitrary<Param[]> = fc
  .uniqueArray(fc.record({ name: identifier, value: fc.option(expr, { nil: null }) }), {
    maxLength: 3,
    selector: (p) => p.name.name,
  })
  .map((ps) =>
    ps
      .map(({ name, value }): Param => ({ name, default: value, span }))
      .sort((a, b) => Number(a.default !== null) - Number(b.default !== null)),
  );

const item: fc.Arbitrary<Item> = fc.oneof(
  fc
    .record({ path: fc.string({ maxLength: 10 }), t: trivia })
    .map(
      ({ path, t }): Item => ({ kind: "import", path: { kind: "string", value: path, span }, span, ...t }),
    ),
  fc
    .record({ names: identifiers(1), t: trivia })
    .map(({ names, t }): Item => ({ kind: "dim", names, span, ...t })),
  fc
    .record({
      name: identifier,
      header: fc.uniqueArray(fc.record({ name: identifier, value: expr }), {
        maxLength: 2,
        selector: (h) => h.name.name,
      }),
      body,
      closing: comments,
      t: trivia,
    })
    .map(
      ({ name, header, body, closing, t }): Item => ({
        kind: "sequential",
        name,
        headerArgs: header.map((h) => ({ ...h, span })),
        body,
        closingComments: closing,
        span,
        ...t,
      }),
    ),
  fc.record({ name: identifier, body, closing: comments, t: trivia }).map(
    ({ name, body, closing, t }): Item => ({
      kind: "model",
      name,
      body,
      closingComments: closing,
      span,
      ...t,
    }),
  ),
  fc
    .record({
      name: identifier,
      params,
      body,
      closing: comments,
      t: trivia,
    })
    .map(
      ({ name, params, body, closing, t }): Item => ({
        kind: "block",
        name,
        params,
        body,
        closingComments: closing,
        span,
        ...t,
      }),
    ),
);

/** A random file: a few items and closing comments, with random (not yet canonical) layout. */
export const kmlFile: fc.Arbitrary<KmlFile> = fc
  .record({ items: fc.array(item, { maxLength: 4 }), closing: comments })
  .map(({ items, closing }) => ({ kind: "file", path: "random.kml", items, closingComments: closing, span }));
