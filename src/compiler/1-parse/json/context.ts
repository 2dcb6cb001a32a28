// What every part of the kml JSON reader shares: the source (for spans), the diagnostics so far,
// and the small typed accessors over jsonc-parser's tree that report a wrong type instead of throwing.
import type { Node } from "jsonc-parser";
import { wrongType } from "../../diagnostics/catalogue/json.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../../source.js";

export class JsonReadContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly source: SourceFile) {}

  /** The span of a JSON node: the span every AST node read from it carries. */
  span(node: Node): Span {
    return this.source.span(node.offset, node.offset + node.length);
  }

  report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  /** Reports a wrong JSON type at `node` and returns undefined, so callers can `return ctx.wrongType(...)`. */
  wrongType(node: Node, expected: string): undefined {
    this.report(wrongType(this.span(node), jsonPointer(node), expected, describeJson(node)));
    return undefined;
  }

  /** The node's string value, or a wrong-type diagnostic. */
  string(node: Node, expected = "a string"): string | undefined {
    return node.type === "string" ? (node.value as string) : this.wrongType(node, expected);
  }

  /** The node's elements, or a wrong-type diagnostic. */
  array(node: Node, expected: string): readonly Node[] | undefined {
    return node.type === "array" ? (node.children ?? []) : this.wrongType(node, expected);
  }

  /** The node's boolean value, or a wrong-type diagnostic. */
  boolean(node: Node, expected = "true or false"): boolean | undefined {
    return node.type === "boolean" ? (node.value as boolean) : this.wrongType(node, expected);
  }
}

/** The RFC 6901 pointer of a node (`/items/0/layers/2`, "" for the root); a property key points at its property. */
export function jsonPointer(node: Node): string {
  const segments: string[] = [];
  let current: Node = node;
  while (current.parent !== undefined) {
    const parent: Node = current.parent;
    if (parent.type === "property") {
      // Both the key and the value of a property are named by the key.
      const key = parent.children?.[0];
      segments.push(key?.type === "string" ? String(key.value) : "");
      if (parent.parent === undefined) break;
      current = parent.parent;
    } else {
      segments.push(String(parent.children?.indexOf(current) ?? 0));
      current = parent;
    }
  }
  return segments
    .reverse()
    .map((s) => `/${s.replaceAll("~", "~0").replaceAll("/", "~1")}`)
    .join("");
}

/** How a JSON value is named in messages: "a number", "an array", "null", ... */
export function describeJson(node: Node): string {
  switch (node.type) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return `the string ${JSON.stringify(node.value)}`;
    case "number":
      return "a number";
    case "boolean":
      return String(node.value);
    case "null":
      return "null";
    case "property":
      return "a property";
  }
}
