// The grammar's documentation and generated files stay in step with the parser.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createSyntaxDiagramsCode, generateCstDts, Lexer } from "chevrotain";
import { describe, expect, it } from "vitest";
import { ebnfRuleNames, rulesMissingFromEbnf } from "../../grammar/generate.js";
import { kmlParser } from "../../src/compiler/1-parse/parser.js";
import { lexerTokens } from "../../src/compiler/1-parse/tokens.js";

const ROOT = join(import.meta.dirname, "../..");

describe("grammar files", () => {
  it("kml.ebnf defines every parser rule", () => {
    const ebnf = readFileSync(join(ROOT, "grammar/kml.ebnf"), "utf8");
    expect(rulesMissingFromEbnf(ebnf)).toEqual([]);
    expect(ebnfRuleNames(ebnf).has("operand")).toBe(true);
    expect(rulesMissingFromEbnf("file ::= item*")).toContain("operand");
  });

  it("the committed cst.d.ts is what the parser generates (run `npm run grammar` after grammar changes)", () => {
    // The formatter may re-space the generated text and drop redundant parentheses; compare the rest.
    const normalize = (text: string) => text.replace(/^\/\/.*\n/, "").replace(/[\s()]/g, "");
    const committed = readFileSync(join(ROOT, "src/compiler/1-parse/cst.d.ts"), "utf8");
    const generated = generateCstDts(kmlParser.getGAstProductions(), {
      visitorInterfaceName: "KmlCstVisitor",
    });
    expect(normalize(committed)).toBe(normalize(generated));
  });

  it("the committed railroad diagrams are what the parser draws", () => {
    const html = readFileSync(join(ROOT, "grammar/railroad.html"), "utf8");
    expect(html).toBe(createSyntaxDiagramsCode(kmlParser.getSerializedGastProductions()));
    expect(html).toContain('"name": "operand"');
  });

  it("the token definitions pass chevrotain's lexer validations (skipped at startup for speed)", () => {
    const validated = new Lexer(lexerTokens, { positionTracking: "onlyOffset", ensureOptimizations: true });
    expect(validated.lexerDefinitionErrors).toEqual([]);
  });
});
