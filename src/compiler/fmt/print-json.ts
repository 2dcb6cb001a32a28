// `kerasc fmt --to json`: the kml JSON form of a file (grammar/kml-json.md), stable and 2-space indented.
import type {
  CallExpr,
  Comment,
  Expr,
  Item,
  KeywordArg,
  KmlFile,
  Param,
  Stmt,
  Trivia,
} from "../1-parse/ast.js";
import { impliedBlankLineBeforeItem } from "../1-parse/json/implied-layout.js";
import { KML_JSON_VERSION } from "../1-parse/json/vocabulary.js";
import { type JsonOut, jsonArray, jsonObject, jsonString, raw, renderJson } from "./json-layout.js";
import { blankLineAfterHeaderComments, blankLineBeforeStmt } from "./layout.js";
import { formatFloat, formatInt } from "./numbers.js";

type Entry = readonly [string, JsonOut];

/**
 * Prints a file in the kml JSON form. Floats keep a `.` or an exponent so they read back as floats;
 * optional fields (comments, blank lines, empty args) are left out so the JSON stays light. Reading
 * the result with parseKmlJson and printing it with printKml gives printKml of the same file.
 */
export function printKmlJson(file: KmlFile): string {
  const entries: Entry[] = [
    ["kml", raw(String(KML_JSON_VERSION))],
    [
      "items",
      jsonArray(
        file.items.map((_, index) => jsonItem(file.items, index)),
        true,
      ),
    ],
    ...commentsEntry("closingComments", file.closingComments),
  ];
  return `${renderJson(jsonObject(entries, true))}\n`;
}

function jsonItem(items: readonly Item[], index: number): JsonOut {
  const item = items[index]!;
  // Recorded only where it shows in the text and the layout does not force it anyway (around a body).
  const blankLine =
    index === 0
      ? blankLineAfterHeaderComments(items, index)
      : item.blankLineBefore && !impliedBlankLineBeforeItem(items, index);
  switch (item.kind) {
    case "import":
      return withTrivia(item, blankLine, [["import", jsonString(item.path.value)]], false);
    case "dim":
      return jsonStmt(item, blankLine);
    case "sequential": {
      const kwargs: Entry[] = item.headerArgs.length > 0 ? [["kwargs", jsonKwargs(item.headerArgs)]] : [];
      const fields: Entry[] = [
        ["sequential", jsonString(item.name.name)],
        ...kwargs,
        ["layers", jsonBody(item.body)],
        ...commentsEntry("closingComments", item.closingComments),
      ];
      return withTrivia(item, blankLine, fields, true);
    }
    case "model": {
      const fields: Entry[] = [
        ["model", jsonString(item.name.name)],
        ["body", jsonBody(item.body)],
        ...commentsEntry("closingComments", item.closingComments),
      ];
      return withTrivia(item, blankLine, fields, true);
    }
    case "block": {
      const params: Entry[] =
        item.params.length > 0 ? [["params", jsonArray(item.params.map(jsonParam))]] : [];
      const fields: Entry[] = [
        ["block", jsonString(item.name.name)],
        ...params,
        ["body", jsonBody(item.body)],
        ...commentsEntry("closingComments", item.closingComments),
      ];
      return withTrivia(item, blankLine, fields, true);
    }
  }
}

function jsonBody(body: readonly Stmt[]): JsonOut {
  return jsonArray(
    body.map((stmt, index) => jsonStmt(stmt, blankLineBeforeStmt(body, index))),
    true,
  );
}

function jsonStmt(stmt: Stmt, blankLine: boolean): JsonOut {
  return withTrivia(stmt, blankLine, stmtFields(stmt), false);
}

function stmtFields(stmt: Stmt): Entry[] {
  switch (stmt.kind) {
    case "assign":
      return [
        ["assign", jsonNames(stmt.targets)],
        ["value", jsonExpr(stmt.value)],
      ];
    case "outputs":
      return [["outputs", jsonNames(stmt.values)]];
    case "return":
      return [["return", jsonArray(stmt.values.map(jsonExpr))]];
    case "dim":
      return [["dim", jsonNames(stmt.names)]];
    case "expr": {
      // An expression object stands as the statement itself (`{"call": "Dense", ...}`); a plain value
      // such as a number cannot carry the statement's comments, so it is wrapped as `{"expr": ...}`.
      const expr = jsonExpr(stmt.expr);
      return expr.kind === "object" ? [...expr.entries] : [["expr", expr]];
    }
  }
}

/** Layout fields in reading order: the blank line and comments above, the code, the comment after it. */
function withTrivia(
  trivia: Trivia,
  blankLine: boolean,
  fields: readonly Entry[],
  multiline: boolean,
): JsonOut {
  const entries: Entry[] = [
    ...(blankLine ? [["blankLineBefore", raw("true")] as const] : []),
    ...commentsEntry("comments", trivia.leadingComments),
    ...fields,
    ...(trivia.trailingComment
      ? [["trailingComment", jsonString(trivia.trailingComment.text)] as const]
      : []),
  ];
  return jsonObject(entries, multiline);
}

function commentsEntry(key: string, comments: readonly Comment[]): Entry[] {
  return comments.length > 0 ? [[key, jsonArray(comments.map((c) => jsonString(c.text)))]] : [];
}

function jsonNames(names: readonly { readonly name: string }[]): JsonOut {
  return jsonArray(names.map((n) => jsonString(n.name)));
}

function jsonParam(param: Param): JsonOut {
  if (param.default === null) return jsonString(param.name.name);
  return jsonObject([
    ["param", jsonString(param.name.name)],
    ["default", jsonExpr(param.default)],
  ]);
}

function jsonExpr(expr: Expr): JsonOut {
  switch (expr.kind) {
    case "int":
      return raw(formatInt(expr.value));
    case "float":
      return raw(formatFloat(expr.value));
    case "string":
      return jsonString(expr.value);
    case "bool":
      return raw(String(expr.value));
    case "none":
      return raw("null");
    case "list":
      return jsonArray(expr.items.map(jsonExpr));
    case "tuple":
      return jsonObject([["tuple", jsonArray(expr.items.map(jsonExpr))]]);
    case "name":
      return jsonObject([["ref", jsonString(expr.name)]]);
    case "call":
      return jsonCall(expr);
    case "unary": {
      const operand = expr.operand;
      // `-3` is a negative JSON number, the way a person would write it; the reader turns it back into `-` 3.
      if (expr.op === "-" && operand.kind === "int") return raw(`-${formatInt(operand.value)}`);
      if (expr.op === "-" && operand.kind === "float") return raw(`-${formatFloat(operand.value)}`);
      return jsonObject([
        ["unary", jsonString(expr.op)],
        ["operand", jsonExpr(operand)],
      ]);
    }
    case "binary":
      return jsonObject([
        ["binary", jsonString(expr.op)],
        ["left", jsonExpr(expr.left)],
        ["right", jsonExpr(expr.right)],
      ]);
    case "lambda":
      return jsonObject([
        ["lambda", jsonNames(expr.params)],
        ["body", jsonExpr(expr.body)],
      ]);
  }
}

/**
 * A named callee is written as its name (`"call": "Dense"`), any other callee (`Dense(8)(x)`) as an
 * expression; a string literal callee is spelt `{"string": ...}` so that it does not read as a name.
 */
function jsonCall(call: CallExpr): JsonOut {
  const callee = jsonCallee(call.callee);
  const entries: Entry[] = [["call", callee]];
  if (call.args.length > 0) entries.push(["args", jsonArray(call.args.map(jsonExpr))]);
  if (call.kwargs.length > 0) entries.push(["kwargs", jsonKwargs(call.kwargs)]);
  return jsonObject(entries);
}

function jsonCallee(callee: Expr): JsonOut {
  if (callee.kind === "name") return jsonString(callee.name);
  if (callee.kind === "string") return jsonObject([["string", jsonString(callee.value)]]);
  return jsonExpr(callee);
}

function jsonKwargs(kwargs: readonly KeywordArg[]): JsonOut {
  return jsonObject(kwargs.map((k) => [k.name.name, jsonExpr(k.value)] as const));
}
