// Properties over random trees: printing is a fixpoint of parse∘print, the printed text parses back to
// the same tree (once its layout is the canonical one), and the JSON form round-trips the same way.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Item, KmlFile, ModelDecl, Stmt } from "../../src/compiler/1-parse/ast.js";
import { impliedBlankLineBeforeItem } from "../../src/compiler/1-parse/json/implied-layout.js";
import { printExpr } from "../../src/compiler/fmt/print-expr.js";
import { printKmlJson } from "../../src/compiler/fmt/print-json.js";
import { printKml } from "../../src/compiler/fmt/print-kml.js";
import { expr, kmlFile } from "./arbitraries.js";
import { kml, kmlJson, withoutSpans } from "./round-trip.helpers.js";

/** The layout canonical text gives a tree: blank-line flags as printing shows them (see layout.ts). */
function canonicalLayout(file: KmlFile): KmlFile {
  const stmts = (body: readonly Stmt[]) =>
    body.map((s, i) => ({ ...s, blankLineBefore: i > 0 && s.blankLineBefore }));
  const items = file.items.map((item, index): Item => {
    const blank =
      index === 0
        ? item.blankLineBefore && item.leadingComments.length > 0
        : item.blankLineBefore || impliedBlankLineBeforeItem(file.items, index);
    return "body" in item
      ? { ...item, blankLineBefore: blank, body: stmts(item.body) }
      : { ...item, blankLineBefore: blank };
  });
  return { ...file, items };
}

describe("printing random trees", () => {
  it("printKml(parse(printKml(ast))) equals printKml(ast)", () => {
    fc.assert(
      fc.property(kmlFile, (file) => {
        const text = printKml(file);
        expect(printKml(kml(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("parse(printKml(ast)) is ast, once ast has the canonical layout", () => {
    fc.assert(
      fc.property(kmlFile, (file) => {
        expect(withoutSpans(kml(printKml(file)))).toEqual(withoutSpans(canonicalLayout(file)));
      }),
      { numRuns: 300 },
    );
  });

  it("the JSON form reads back to the same tree and the same text", () => {
    fc.assert(
      fc.property(kmlFile, (file) => {
        const json = printKmlJson(file);
        const back = kmlJson(json);
        expect(printKml(back)).toBe(printKml(file));
        expect(withoutSpans(back)).toEqual(withoutSpans(kml(printKml(file))));
        expect(printKmlJson(back)).toBe(json);
      }),
      { numRuns: 300 },
    );
  });

  it("a single expression prints as text that parses back to it", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const parsed = kml(`model m {\n  ${printExpr(e)}\n}\n`).items[0] as ModelDecl;
        const stmt = parsed.body[0]!;
        expect(stmt.kind).toBe("expr");
        expect(withoutSpans(stmt.kind === "expr" ? stmt.expr : null)).toEqual(withoutSpans(e));
      }),
      { numRuns: 500 },
    );
  });
});
