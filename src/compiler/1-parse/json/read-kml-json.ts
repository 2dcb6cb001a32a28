// The kml JSON front end (grammar/kml-json.md): JSON text → the same AST the .kml parser builds, with each
// node's span set to the JSON node it came from, so later diagnostics point into the JSON file.
import type { Node } from "jsonc-parser";
import { notAKmlDocument, unsupportedVersion } from "../../diagnostics/catalogue/json.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../source.js";
import type { Comment, Item, KmlFile } from "../ast.js";
import { JsonReadContext } from "./context.js";
import { propertiesOf, readFields } from "./fields.js";
import { withImpliedBlankLines } from "./implied-layout.js";
import { readComments } from "./names.js";
import { readItem } from "./read-item.js";
import { parseJsonSyntax } from "./syntax.js";
import { FILE_FIELDS, KML_JSON_VERSION } from "./vocabulary.js";

/** Keys that mark a Keras `model.to_json()` or TF.js `model.json` file, which `kerasc import` reads instead. */
const KERAS_KEYS = ["class_name", "config", "modelTopology", "keras_version"];

/**
 * Reads a `.kml.json` file. Never throws: JSON syntax errors (KML501–KML505) and structural problems
 * (KML510–KML519, each naming the JSON pointer) come back as diagnostics. Parts that cannot be read are
 * left out of the tree; after a syntax error the tree is empty.
 */
export function parseKmlJson(source: SourceFile): { file: KmlFile; diagnostics: Diagnostic[] } {
  const ctx = new JsonReadContext(source);
  const root = source.text.trim() === "" ? emptyDocument(ctx) : parseJsonSyntax(ctx);
  const { items, closingComments } = root === undefined ? EMPTY : readDocument(ctx, root);
  const file: KmlFile = {
    kind: "file",
    path: source.path,
    items,
    closingComments,
    span: source.span(0, source.text.length),
  };
  return { file, diagnostics: ctx.diagnostics };
}

const EMPTY = { items: [], closingComments: [] };

function readDocument(ctx: JsonReadContext, root: Node): { items: Item[]; closingComments: Comment[] } {
  const keys = root.type === "object" ? propertiesOf(root).map(({ key }) => String(key.value)) : [];
  if (!keys.includes("kml")) {
    const found = root.type === "object" ? 'an object without a "kml" field' : describeRoot(root);
    ctx.report(
      notAKmlDocument(
        ctx.span(root),
        found,
        keys.some((k) => KERAS_KEYS.includes(k)),
      ),
    );
    return EMPTY;
  }
  const fields = readFields(ctx, root, "a kml JSON document", FILE_FIELDS);
  const version = fields.required("kml")!;
  const versionText = ctx.source.text.slice(version.offset, version.offset + version.length);
  if (versionText !== String(KML_JSON_VERSION)) {
    ctx.report(unsupportedVersion(ctx.span(version), versionText));
    return EMPTY;
  }
  const itemsNode = fields.required("items");
  const elements = (itemsNode && ctx.array(itemsNode, "an array of items")) ?? [];
  return {
    items: withImpliedBlankLines(
      elements.map((element) => readItem(ctx, element)).filter((i) => i !== undefined),
    ),
    closingComments: readComments(ctx, fields.optional("closingComments")),
  };
}

/** An empty file is not a syntax error so much as no document at all. */
function emptyDocument(ctx: JsonReadContext): undefined {
  ctx.report(notAKmlDocument(ctx.source.span(0, ctx.source.text.length), "an empty file", false));
  return undefined;
}

function describeRoot(root: Node): string {
  return root.type === "array" ? "an array" : `a JSON ${root.type}`;
}
