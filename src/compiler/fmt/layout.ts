// Where canonical text puts blank lines. Both printers use these rules, so the JSON form records a blank
// line exactly when the .kml text would show one the user chose (never one the layout implies anyway).
import type { Item, Stmt } from "../1-parse/ast.js";
import { impliedBlankLineBeforeItem } from "../1-parse/json/implied-layout.js";

/**
 * Whether canonical text shows a blank line before top-level item `index`: always around a body, and
 * between imports or dims only where the user left one (so a run of imports stays a group).
 */
export function blankLineBeforeItem(items: readonly Item[], index: number): boolean {
  if (index === 0) return false;
  return impliedBlankLineBeforeItem(items, index) || items[index]!.blankLineBefore;
}

/**
 * Whether a blank line separates the first item's leading comments from the item: the file's header
 * comment (a licence, a description) followed by a blank line stays apart from the first declaration.
 */
export function blankLineAfterHeaderComments(items: readonly Item[], index: number): boolean {
  const item = items[index];
  return index === 0 && item !== undefined && item.blankLineBefore && item.leadingComments.length > 0;
}

/** Whether canonical text shows a blank line before statement `index`; never right after the opening `{`. */
export function blankLineBeforeStmt(body: readonly Stmt[], index: number): boolean {
  return index > 0 && body[index]!.blankLineBefore;
}
