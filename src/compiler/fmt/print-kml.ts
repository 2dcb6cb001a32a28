// `kerasc fmt`: the canonical .kml text of a file, like gofmt — one layout for every tree, comments kept.
import type { Comment, Item, KmlFile, Param, Stmt, Trivia } from "../1-parse/ast.js";
import { blankLineAfterHeaderComments, blankLineBeforeItem, blankLineBeforeStmt } from "./layout.js";
import { printExpr, printKeywordArg, printList } from "./print-expr.js";
import { quoteKmlString } from "./strings.js";

const INDENT = "  ";

/**
 * Prints a file as canonical .kml: 2-space indentation, one statement per line, one blank line around
 * each model, sequential and block, at most one blank line inside bodies, comments where they were,
 * and exactly one newline at the end (an empty file stays empty). Printing is idempotent.
 */
export function printKml(file: KmlFile): string {
  const lines: string[] = [];
  file.items.forEach((item, index) => {
    if (blankLineBeforeItem(file.items, index)) lines.push("");
    printItem(item, lines, blankLineAfterHeaderComments(file.items, index));
  });
  if (file.closingComments.length > 0) {
    // Comments at the end of a file are a postscript, not part of the last item.
    if (file.items.length > 0) lines.push("");
    pushComments(file.closingComments, "", lines);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function printItem(item: Item, lines: string[], blankAfterComments: boolean): void {
  pushComments(item.leadingComments, "", lines);
  if (blankAfterComments) lines.push("");
  switch (item.kind) {
    case "import":
      lines.push(withTrailingComment(`import ${quoteKmlString(item.path.value)}`, item.trailingComment));
      break;
    case "dim":
      lines.push(withTrailingComment(stmtText(item), item.trailingComment));
      break;
    case "sequential": {
      const header = item.headerArgs.length > 0 ? `(${item.headerArgs.map(printKeywordArg).join(", ")})` : "";
      printBody(item, `sequential ${item.name.name}${header}`, lines);
      break;
    }
    case "model":
      printBody(item, `model ${item.name.name}`, lines);
      break;
    case "block":
      printBody(item, `block ${item.name.name}(${item.params.map(printParam).join(", ")})`, lines);
      break;
  }
}

interface BodyItem extends Trivia {
  readonly body: readonly Stmt[];
  readonly closingComments: readonly Comment[];
}

/** `header {`, the statements one level in, the closing comments, then `}` carrying the trailing comment. */
function printBody(item: BodyItem, header: string, lines: string[]): void {
  lines.push(`${header} {`);
  item.body.forEach((stmt, index) => {
    if (blankLineBeforeStmt(item.body, index)) lines.push("");
    printStmt(stmt, INDENT, lines);
  });
  pushComments(item.closingComments, INDENT, lines);
  lines.push(withTrailingComment("}", item.trailingComment));
}

/** A statement: its leading comments above it, its trailing comment after it. */
function printStmt(stmt: Stmt, indent: string, lines: string[]): void {
  pushComments(stmt.leadingComments, indent, lines);
  lines.push(indent + withTrailingComment(stmtText(stmt), stmt.trailingComment));
}

function stmtText(stmt: Stmt): string {
  switch (stmt.kind) {
    case "assign":
      return `${stmt.targets.map((t) => t.name).join(", ")} = ${printExpr(stmt.value)}`;
    case "expr":
      return printExpr(stmt.expr);
    case "outputs":
      return `outputs ${printList(stmt.values)}`;
    case "return":
      return stmt.values.length === 0 ? "return" : `return ${printList(stmt.values)}`;
    case "dim":
      return `dim ${stmt.names.map((n) => n.name).join(", ")}`;
  }
}

function printParam(param: Param): string {
  return param.default === null ? param.name.name : `${param.name.name}=${printExpr(param.default)}`;
}

function pushComments(comments: readonly Comment[], indent: string, lines: string[]): void {
  for (const comment of comments) lines.push(indent + comment.text);
}

/** Trailing comments sit two spaces after the code, as in Python's PEP 8. */
function withTrailingComment(text: string, comment: Comment | null): string {
  return comment === null ? text : `${text}  ${comment.text}`;
}
