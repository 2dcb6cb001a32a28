// Expressions from JSON: numbers, strings, true/false/null and arrays stand for themselves; tuples, names,
// calls, operators and lambdas are objects told apart by their kind key.
import type { Node } from "jsonc-parser";
import { unknownOperator } from "../../diagnostics/catalogue/json.js";
import type { BinaryOperator, Expr, KeywordArg, UnaryOperator } from "../ast.js";
import { type JsonReadContext, jsonPointer } from "./context.js";
import { type JsonFields, kindOf, propertiesOf, readFields } from "./fields.js";
import { checkNumberRange, checkUniqueKeywords, checkUniqueParameters } from "./grammar-rules.js";
import { readName, readNames } from "./names.js";
import { EXPR_FIELDS, EXPR_KEYS, type ExprKey } from "./vocabulary.js";

const UNARY_OPERATORS: readonly UnaryOperator[] = ["-", "+"];
const BINARY_OPERATORS: readonly BinaryOperator[] = ["+", "-", "*", "/", "//", "%", "**"];

/** How expression objects are named in messages. */
export const EXPR_WHAT: Readonly<Record<ExprKey, string>> = {
  tuple: "a tuple",
  ref: "a name reference",
  call: "a call",
  unary: "a unary operation",
  binary: "a binary operation",
  lambda: "a lambda",
  string: "a string literal",
};

/**
 * Reads any expression. Returns undefined when some part of it is wrong (each wrong part has been
 * reported), so the statement holding it is dropped rather than compiled half-read.
 */
export function readExpr(ctx: JsonReadContext, node: Node): Expr | undefined {
  const span = ctx.span(node);
  switch (node.type) {
    case "number":
      return readNumber(ctx, node);
    case "string":
      return { kind: "string", value: node.value as string, span };
    case "boolean":
      return { kind: "bool", value: node.value as boolean, span };
    case "null":
      return { kind: "none", span };
    case "array": {
      const items = readExprs(ctx, node.children ?? []);
      return items && { kind: "list", items, span };
    }
    case "object": {
      const kind = kindOf(ctx, node, "an expression", EXPR_KEYS);
      if (kind === undefined) return undefined;
      return readExprObject(ctx, kind, readFields(ctx, node, EXPR_WHAT[kind], EXPR_FIELDS[kind]));
    }
    case "property":
      return undefined;
  }
}

/** Reads every element (reporting all problems), or undefined when any is wrong. */
export function readExprs(ctx: JsonReadContext, nodes: readonly Node[]): Expr[] | undefined {
  const exprs = nodes.map((n) => readExpr(ctx, n));
  return exprs.every((e) => e !== undefined) ? exprs : undefined;
}

/**
 * A number's kind comes from its text, as in .kml: `1` is an int, `1.0` and `1e3` are floats. A leading
 * minus is the unary minus the .kml parser would see, so `-3` converts to `-3` and back unchanged.
 */
function readNumber(ctx: JsonReadContext, node: Node): Expr {
  const raw = ctx.source.text.slice(node.offset, node.offset + node.length);
  const negative = raw.startsWith("-");
  const digits = negative ? raw.slice(1) : raw;
  const start = negative ? node.offset + 1 : node.offset;
  const literalSpan = ctx.source.span(start, node.offset + node.length);
  const kind = /^[0-9]+$/.test(digits) ? "int" : "float";
  checkNumberRange(ctx, digits, kind === "int", literalSpan);
  const literal: Expr = { kind, value: Number(digits), span: literalSpan };
  return negative ? { kind: "unary", op: "-", operand: literal, span: ctx.span(node) } : literal;
}

/** Reads an expression object whose kind is known and whose fields have been collected. */
export function readExprObject(ctx: JsonReadContext, kind: ExprKey, fields: JsonFields): Expr | undefined {
  const span = ctx.span(fields.node);
  switch (kind) {
    case "tuple": {
      const elements = field(fields, "tuple", (n) => ctx.array(n, "the elements of a tuple (an array)"));
      const items = elements && readExprs(ctx, elements);
      return items && { kind: "tuple", items, span };
    }
    case "ref": {
      const name = field(fields, "ref", (n) => readName(ctx, n));
      return name && { kind: "name", name: name.name, span };
    }
    case "call":
      return readCall(ctx, fields);
    case "unary": {
      const op = field(fields, "unary", (n) => readOperator(ctx, n, UNARY_OPERATORS));
      const operand = field(fields, "operand", (n) => readExpr(ctx, n));
      return op && operand && { kind: "unary", op, operand, span };
    }
    case "binary": {
      const op = field(fields, "binary", (n) => readOperator(ctx, n, BINARY_OPERATORS));
      const left = field(fields, "left", (n) => readExpr(ctx, n));
      const right = field(fields, "right", (n) => readExpr(ctx, n));
      return op && left && right && { kind: "binary", op, left, right, span };
    }
    case "lambda": {
      const params = field(fields, "lambda", (n) =>
        readNames(ctx, n, "the parameters of a lambda (an array)"),
      );
      const body = field(fields, "body", (n) => readExpr(ctx, n));
      if (params) checkUniqueParameters(ctx, params);
      return params && body && { kind: "lambda", params, body, span };
    }
    case "string": {
      const value = field(fields, "string", (n) => ctx.string(n));
      return value === undefined ? undefined : { kind: "string", value, span };
    }
  }
}

/** Reads a required field with `read`; a missing field has been reported. */
function field<T>(fields: JsonFields, key: string, read: (node: Node) => T | undefined): T | undefined {
  const node = fields.required(key);
  return node === undefined ? undefined : read(node);
}

/** `{"call": callee, "args": [...], "kwargs": {...}}`; a string callee is a name, an object any expression. */
function readCall(ctx: JsonReadContext, fields: JsonFields): Expr | undefined {
  const calleeNode = fields.required("call");
  const callee = calleeNode && readCallee(ctx, calleeNode);
  const argsNode = fields.optional("args");
  const argNodes = argsNode === undefined ? [] : ctx.array(argsNode, "the positional arguments (an array)");
  const args = argNodes && readExprs(ctx, argNodes);
  const kwargsNode = fields.optional("kwargs");
  const kwargs = kwargsNode === undefined ? [] : readKeywordArgs(ctx, kwargsNode);
  if (!callee || !args || !kwargs) return undefined;
  return { kind: "call", callee, args, kwargs, span: ctx.span(fields.node) };
}

function readCallee(ctx: JsonReadContext, node: Node): Expr | undefined {
  if (node.type !== "string") return readExpr(ctx, node);
  const name = readName(ctx, node, "a callee");
  return name && { kind: "name", name: name.name, span: name.span };
}

/** `{"units": 8, "activation": "relu"}`: keyword arguments in the order written (repeats are kept for the checker). */
export function readKeywordArgs(ctx: JsonReadContext, node: Node): KeywordArg[] | undefined {
  if (node.type !== "object") return ctx.wrongType(node, "keyword arguments (an object)");
  const kwargs: (KeywordArg | undefined)[] = propertiesOf(node).map(({ key, value }) => {
    const name = readName(ctx, key);
    const expr = readExpr(ctx, value);
    const span = ctx.span(key.parent ?? key);
    return name && expr && { name, value: expr, span };
  });
  if (!kwargs.every((k) => k !== undefined)) return undefined;
  checkUniqueKeywords(ctx, kwargs);
  return kwargs;
}

function readOperator<Op extends string>(
  ctx: JsonReadContext,
  node: Node,
  operators: readonly Op[],
): Op | undefined {
  const op = ctx.string(node, "an operator (a string)");
  if (op === undefined) return undefined;
  if ((operators as readonly string[]).includes(op)) return op as Op;
  ctx.report(unknownOperator(ctx.span(node), jsonPointer(node), op, operators));
  return undefined;
}
