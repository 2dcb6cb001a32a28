// The blank lines the kml JSON form leaves implied: canonical .kml always sets a declaration with a body
// apart from its neighbours, so JSON records a blank line only where the writer chose one.
import type { Item } from "../ast.js";

function hasBody(item: Item): boolean {
  return item.kind === "sequential" || item.kind === "model" || item.kind === "block";
}

/** True when a blank line before top-level item `index` is implied by layout, whatever the source says. */
export function impliedBlankLineBeforeItem(items: readonly Item[], index: number): boolean {
  const previous = items[index - 1];
  const item = items[index];
  return previous !== undefined && item !== undefined && (hasBody(previous) || hasBody(item));
}

/** Sets `blankLineBefore` where it is implied, so a JSON file reads to the tree its .kml text parses to. */
export function withImpliedBlankLines(items: readonly Item[]): Item[] {
  return items.map((item, index) =>
    impliedBlankLineBeforeItem(items, index) && !item.blankLineBefore
      ? { ...item, blankLineBefore: true }
      : item,
  );
}
