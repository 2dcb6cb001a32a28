// Statements of model, sequential and block bodies from JSON, each with its comments and blank line.
import type { Node } from "jsonc-parser";
import { emptyList } from "../../diagnostics/catalogue/json.js";
import type { DimStmt, Stmt, Trivia } from "../ast.js";
import { type JsonReadContext, jsonPointer } from "./context.js";
import { type JsonFields, kindOf, readFields } from "./fields.js";
import { readNames } from "./names.js";
import { EXPR_WHAT, readExpr, readExprObject, readExprs } from "./read-expr.js";
import { readTrivia } from "./trivia.js";
import {
  EXPR_FIELDS,
  EXPR_KEYS,
  type ExprKey,
  STMT_FIELDS,
  STMT_KEYS,
  type StmtKey,
  TRIVIA_FIELDS,
} from "./vocabulary.js";

const STMT_OR_EXPR_KEYS: readonly (StmtKey | ExprKey)[] = [...STMT_KEYS, ...EXPR_KEYS];

const STMT_WHAT: Readonly<Record<StmtKey, string>> = {
  assign: "an assignment",
  outputs: "an outputs statement",
  return: "a return statement",
  dim: "a dim statement",
  expr: "an expression statement",
};

/** Reads a body: an array of statements. Statements with problems are reported and left out. */
export function readBody(ctx: JsonReadContext, node: Node): Stmt[] {
  const elements = ctx.array(node, "an array of statements") ?? [];
  return elements.map((element) => readStmt(ctx, element)).filter((s) => s !== undefined);
}

/** Reads one statement object; an expression object (e.g. a call) stands for an expression statement. */
export function readStmt(ctx: JsonReadContext, node: Node): Stmt | undefined {
  if (node.type !== "object") return ctx.wrongType(node, "a statement (an object)");
  const kind = kindOf(ctx, node, "a statement", STMT_OR_EXPR_KEYS);
  if (kind === undefined) return undefined;
  const span = ctx.span(node);
  if (isExprKey(kind)) {
    const fields = readFields(ctx, node, EXPR_WHAT[kind], [...EXPR_FIELDS[kind], ...TRIVIA_FIELDS]);
    const trivia = readTrivia(ctx, fields);
    const expr = readExprObject(ctx, kind, fields);
    return expr && { kind: "expr", expr, span, ...trivia };
  }
  const fields = readFields(ctx, node, STMT_WHAT[kind], [...STMT_FIELDS[kind], ...TRIVIA_FIELDS]);
  const trivia = readTrivia(ctx, fields);
  switch (kind) {
    case "assign": {
      const targetsNode = fields.required("assign");
      const targets =
        targetsNode && readNames(ctx, targetsNode, "the assigned names (an array)", "the assigned names");
      const valueNode = fields.required("value");
      const value = valueNode && readExpr(ctx, valueNode);
      return targets && value && { kind: "assign", targets, value, span, ...trivia };
    }
    case "outputs": {
      const namesNode = fields.required("outputs");
      const names = namesNode && readNames(ctx, namesNode, "the output names (an array)", "the outputs");
      const values = names?.map((n) => ({ kind: "name" as const, name: n.name, span: n.span }));
      return values && { kind: "outputs", values, span, ...trivia };
    }
    case "return": {
      const valuesNode = fields.required("return");
      const elements = valuesNode && ctx.array(valuesNode, "the returned values (an array)");
      if (valuesNode && elements?.length === 0) {
        ctx.report(emptyList(ctx.span(valuesNode), jsonPointer(valuesNode), "the returned values"));
        return undefined;
      }
      const values = elements && readExprs(ctx, elements);
      return values && { kind: "return", values, span, ...trivia };
    }
    case "dim":
      return readDim(ctx, fields, trivia);
    case "expr": {
      const exprNode = fields.required("expr");
      const expr = exprNode && readExpr(ctx, exprNode);
      return expr && { kind: "expr", expr, span, ...trivia };
    }
  }
}

/** `{"dim": ["T", "B"]}`, a statement or a top-level item. */
export function readDim(ctx: JsonReadContext, fields: JsonFields, trivia: Trivia): DimStmt | undefined {
  const namesNode = fields.required("dim");
  const names =
    namesNode && readNames(ctx, namesNode, "the dimension names (an array)", "the dimension names");
  return names && { kind: "dim", names, span: ctx.span(fields.node), ...trivia };
}

function isExprKey(key: StmtKey | ExprKey): key is ExprKey {
  return (EXPR_KEYS as readonly string[]).includes(key);
}
