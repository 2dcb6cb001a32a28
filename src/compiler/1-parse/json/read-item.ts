// Top-level items from JSON: imports, dims, and the sequential, model and block declarations with bodies.
import type { Node } from "jsonc-parser";
import type { Item, Param } from "../ast.js";
import type { JsonReadContext } from "./context.js";
import { kindOf, readFields } from "./fields.js";
import { checkDefaultsLast, checkUniqueParameters } from "./grammar-rules.js";
import { readComments, readName } from "./names.js";
import { readExpr, readKeywordArgs } from "./read-expr.js";
import { readBody, readDim } from "./read-stmt.js";
import { readTrivia } from "./trivia.js";
import { ITEM_FIELDS, ITEM_KEYS, type ItemKey, PARAM_FIELDS, TRIVIA_FIELDS } from "./vocabulary.js";

const ITEM_WHAT: Readonly<Record<ItemKey, string>> = {
  import: "an import",
  dim: "a dim declaration",
  sequential: "a sequential model",
  model: "a model",
  block: "a block",
};

/** Reads one item object, or undefined (reported) when it cannot be read at all. */
export function readItem(ctx: JsonReadContext, node: Node): Item | undefined {
  if (node.type !== "object") return ctx.wrongType(node, "an item (an object)");
  const kind = kindOf(ctx, node, "an item", ITEM_KEYS);
  if (kind === undefined) return undefined;
  const fields = readFields(ctx, node, ITEM_WHAT[kind], [...ITEM_FIELDS[kind], ...TRIVIA_FIELDS]);
  const trivia = readTrivia(ctx, fields);
  const span = ctx.span(node);
  switch (kind) {
    case "import": {
      const pathNode = fields.required("import");
      const path = pathNode && ctx.string(pathNode, "the imported file's path (a string)");
      if (pathNode === undefined || path === undefined) return undefined;
      return {
        kind: "import",
        path: { kind: "string", value: path, span: ctx.span(pathNode) },
        span,
        ...trivia,
      };
    }
    case "dim":
      return readDim(ctx, fields, trivia);
    case "sequential": {
      const name = readDeclName(ctx, fields.required("sequential"));
      const kwargsNode = fields.optional("kwargs");
      const headerArgs = kwargsNode === undefined ? [] : readKeywordArgs(ctx, kwargsNode);
      const body = readBodyField(ctx, fields.required("layers"));
      const closingComments = readComments(ctx, fields.optional("closingComments"));
      if (!name || !headerArgs) return undefined;
      return { kind: "sequential", name, headerArgs, body, closingComments, span, ...trivia };
    }
    case "model": {
      const name = readDeclName(ctx, fields.required("model"));
      const body = readBodyField(ctx, fields.required("body"));
      const closingComments = readComments(ctx, fields.optional("closingComments"));
      return name && { kind: "model", name, body, closingComments, span, ...trivia };
    }
    case "block": {
      const name = readDeclName(ctx, fields.required("block"));
      const paramsNode = fields.optional("params");
      const params = paramsNode === undefined ? [] : readParams(ctx, paramsNode);
      const body = readBodyField(ctx, fields.required("body"));
      const closingComments = readComments(ctx, fields.optional("closingComments"));
      if (!name || !params) return undefined;
      return { kind: "block", name, params, body, closingComments, span, ...trivia };
    }
  }
}

function readDeclName(ctx: JsonReadContext, node: Node | undefined) {
  return node && readName(ctx, node);
}

/** A missing body has been reported; the declaration is kept (empty) so its name still resolves. */
function readBodyField(ctx: JsonReadContext, node: Node | undefined) {
  return node === undefined ? [] : readBody(ctx, node);
}

/** `["x", "filters", {"param": "kernel", "default": 3}]` */
function readParams(ctx: JsonReadContext, node: Node): Param[] | undefined {
  const elements = ctx.array(node, "an array of parameters");
  if (elements === undefined) return undefined;
  const params = elements.map((element) => readParam(ctx, element));
  if (!params.every((p) => p !== undefined)) return undefined;
  checkUniqueParameters(
    ctx,
    params.map((p) => p.name),
  );
  checkDefaultsLast(ctx, params);
  return params;
}

function readParam(ctx: JsonReadContext, node: Node): Param | undefined {
  const span = ctx.span(node);
  if (node.type === "string") {
    const name = readName(ctx, node);
    return name && { name, default: null, span };
  }
  if (node.type !== "object")
    return ctx.wrongType(node, 'a parameter (a name, or {"param": name, "default": value})');
  const fields = readFields(ctx, node, "a parameter", PARAM_FIELDS);
  const nameNode = fields.required("param");
  const name = nameNode && readName(ctx, nameNode);
  const defaultNode = fields.optional("default");
  const value = defaultNode === undefined ? null : readExpr(ctx, defaultNode);
  return name && value !== undefined ? { name, default: value, span } : undefined;
}
