// Hand-built AST nodes for printer tests: every span is a placeholder, every trivia field explicit.
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
import type { Span } from "../../src/compiler/source.js";

export const span: Span = { file: "test.kml", start: 0, end: 0 };

export const id = (name: string): Identifier => ({ name, span });
export const comment = (text: string): Comment => ({ text, span });

export const int = (value: number): Expr => ({ kind: "int", value, span });
export const float = (value: number): Expr => ({ kind: "float", value, span });
export const str = (value: string): Expr => ({ kind: "string", value, span });
export const bool = (value: boolean): Expr => ({ kind: "bool", value, span });
export const none: Expr = { kind: "none", span };
export const ref = (name: string): Expr => ({ kind: "name", name, span });
export const tuple = (...items: Expr[]): Expr => ({ kind: "tuple", items, span });
export const list = (...items: Expr[]): Expr => ({ kind: "list", items, span });
export const neg = (operand: Expr): Expr => ({ kind: "unary", op: "-", operand, span });
export const pos = (operand: Expr): Expr => ({ kind: "unary", op: "+", operand, span });
export const bin = (left: Expr, op: BinaryOperator, right: Expr): Expr => ({
  kind: "binary",
  op,
  left,
  right,
  span,
});
export const lambda = (params: string[], body: Expr): Expr => ({
  kind: "lambda",
  params: params.map(id),
  body,
  span,
});

export function kw(name: string, value: Expr): KeywordArg {
  return { name: id(name), value, span };
}

/** `call("Dense", [int(8)], {activation: str("relu")})`; a string callee is a name. */
export function call(callee: Expr | string, args: Expr[] = [], kwargs: Record<string, Expr> = {}): Expr {
  return {
    kind: "call",
    callee: typeof callee === "string" ? ref(callee) : callee,
    args,
    kwargs: Object.entries(kwargs).map(([k, v]) => kw(k, v)),
    span,
  };
}

export const noTrivia: Trivia = { leadingComments: [], trailingComment: null, blankLineBefore: false };

/** Trivia from a short description: leading comment texts, a trailing comment, a blank line. */
export function trivia(t: { lead?: string[]; trail?: string; blank?: boolean } = {}): Trivia {
  return {
    leadingComments: (t.lead ?? []).map(comment),
    trailingComment: t.trail === undefined ? null : comment(t.trail),
    blankLineBefore: t.blank ?? false,
  };
}

export const exprStmt = (expr: Expr, t: Trivia = noTrivia): Stmt => ({ kind: "expr", expr, span, ...t });
export const assign = (targets: string[], value: Expr, t: Trivia = noTrivia): Stmt => ({
  kind: "assign",
  targets: targets.map(id),
  value,
  span,
  ...t,
});
export const outputs = (names: string[], t: Trivia = noTrivia): Stmt => ({
  kind: "outputs",
  values: names.map((n) => ({ kind: "name", name: n, span })),
  span,
  ...t,
});
export const ret = (values: Expr[], t: Trivia = noTrivia): Stmt => ({ kind: "return", values, span, ...t });
export const dim = (names: string[], t: Trivia = noTrivia) =>
  ({ kind: "dim", names: names.map(id), span, ...t }) as const;

export const importDecl = (path: string, t: Trivia = noTrivia): Item => ({
  kind: "import",
  path: { kind: "string", value: path, span },
  span,
  ...t,
});

export function sequential(
  name: string,
  body: Stmt[],
  opts: { header?: Record<string, Expr>; closing?: string[]; trivia?: Trivia } = {},
): Item {
  return {
    kind: "sequential",
    name: id(name),
    headerArgs: Object.entries(opts.header ?? {}).map(([k, v]) => kw(k, v)),
    body,
    closingComments: (opts.closing ?? []).map(comment),
    span,
    ...(opts.trivia ?? noTrivia),
  };
}

export function model(name: string, body: Stmt[], opts: { closing?: string[]; trivia?: Trivia } = {}): Item {
  return {
    kind: "model",
    name: id(name),
    body,
    closingComments: (opts.closing ?? []).map(comment),
    span,
    ...(opts.trivia ?? noTrivia),
  };
}

export const param = (name: string, value: Expr | null = null): Param => ({
  name: id(name),
  default: value,
  span,
});

export function block(
  name: string,
  params: Param[],
  body: Stmt[],
  opts: { closing?: string[]; trivia?: Trivia } = {},
): Item {
  return {
    kind: "block",
    name: id(name),
    params,
    body,
    closingComments: (opts.closing ?? []).map(comment),
    span,
    ...(opts.trivia ?? noTrivia),
  };
}

export function file(items: Item[], closing: string[] = []): KmlFile {
  return { kind: "file", path: "test.kml", items, closingComments: closing.map(comment), span };
}
