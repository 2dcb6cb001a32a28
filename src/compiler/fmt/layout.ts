// Where canonical text puts blank lines. Both printers use these rules, so the JSON form records a blank
// line exactly when the .kml text would show one the user chose (and never one the layout forces anyway).
import type { Item, Stmt } from "../1-parse/ast.js";

/** Items with a `{ ... }` body; they always stand apart from their neighbours. */
function hasBody(item: Item): boolean {
  return item.kind === "sequential" || item.kind === "model" || item.kind === "block";
}

/** True when the layout itself demands a blank line before top-level item `index`, whatever the user wrote. */
export function forcedBlankLineBeforeItem(items: readonly Item[], index: number): boolean {
  const previous = items[index - 1];
  const item = items[index];
  return previous !== undefined && item !== undefined && (hasBody(previous) || hasBody(item));
}

/**
 * Whether canonical text shows a blank line before top-level item `index`: always around a body, and
 * between imports or dims only where the user left one (so a run of imports stays a group).
 */
export function blankLineBeforeItem(items: readonly Item[], index: number): boolean {
  if (index === 0) return false;
  return forcedBlankLineBeforeItem(items, index) || items[index]!.blankLineBefore;
}

/** Whether canonical text shows a blank line before statement `index`; never right after the opening `{`. */
export function blankLineBeforeStmt(body: readonly Stmt[], index: number): boolean {
  return index > 0 && body[index]!.blankLineBefore;
}
