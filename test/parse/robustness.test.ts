// The parser on hostile input: random token streams never make it throw or hang, every span (of a
// diagnostic or an AST node) lies inside the file, and no comment is ever dropped.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kmlLexer } from "../../src/compiler/1-parse/tokens.js";
import { tokenSoup } from "../fuzz/tokens.js";
import { parse } from "./helpers.js";

const soup = tokenSoup(200);

/** Every `span` in the AST. */
function spans(value: unknown, out: { start: number; end: number }[] = []): { start: number; end: number }[] {
  if (Array.isArray(value)) for (const v of value) spans(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "span") out.push(v as { start: number; end: number });
      else spans(v, out);
    }
  }
  return out;
}

/** Every comment text in the AST (comments are the only objects with `text` and no `kind`). */
function commentCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + commentCount(v), 0);
  if (value === null || typeof value !== "object") return 0;
  if ("text" in value && !("kind" in value)) return 1;
  return Object.values(value).reduce((n: number, v) => n + commentCount(v), 0);
}

describe("robustness", () => {
  it("survives random token streams with spans inside the file and every comment kept", () => {
    fc.assert(
      fc.property(soup, (text) => {
        const started = performance.now();
        const { file, diagnostics } = parse(text);
        expect(performance.now() - started).toBeLessThan(1000);
        expect(diagnostics.filter((d) => d.code === "KML199")).toEqual([]);
        const all = [
          ...diagnostics.map((d) => d.span),
          ...diagnostics.flatMap((d) => d.related ?? []).map((r) => r.span),
        ];
        for (const span of [...all, ...spans(file)]) {
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeGreaterThanOrEqual(span.start);
          expect(span.end).toBeLessThanOrEqual(text.length);
        }
        expect(commentCount(file)).toBe(kmlLexer.tokenize(text).groups.comments?.length ?? 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("reports an error whenever the text is not valid, and parses valid text without any", () => {
    // A cheap oracle: a statement line with one token removed from a valid model is either still valid
    // (then no diagnostics) or invalid (then at least one): never an exception or a silent half-parse.
    const valid =
      'model m {\n  a = Input(shape=(16,))\n  b = Dense(8, activation="relu")(a)\n  outputs b\n}\n';
    expect(parse(valid).diagnostics).toEqual([]);
    const broken = valid.replace("(a)", "(a");
    expect(parse(broken).diagnostics.map((d) => d.code)).toEqual(["KML102"]);
  });
});
