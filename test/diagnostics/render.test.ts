// The text renderer and the machine formats of `kerasc check`, on hand-made diagnostics.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { formatGithub } from "../../src/compiler/diagnostics/formats/github.js";
import { formatJson } from "../../src/compiler/diagnostics/formats/json.js";
import { locate } from "../../src/compiler/diagnostics/formats/locate.js";
import { formatSarif } from "../../src/compiler/diagnostics/formats/sarif.js";
import { renderDiagnosticsText } from "../../src/compiler/diagnostics/render-text.js";
import { SourceFile } from "../../src/compiler/source.js";

const text = "sequential m {\n  Conv2D(32, kernal_size=3)\n\tDense(4)\n}\n";
const source = new SourceFile("models/m.kml", text);
const start = text.indexOf("kernal_size");
const typo: Diagnostic = {
  severity: "error",
  code: "KML301",
  message: "Conv2D has no argument `kernal_size`",
  span: { file: "models/m.kml", start, end: start + "kernal_size".length },
  hint: "did you mean `kernel_size`?",
};
const denseStart = text.indexOf("Dense");
const warning: Diagnostic = {
  severity: "warning",
  code: "KML250",
  message: "value, never used",
  span: { file: "models/m.kml", start: denseStart, end: denseStart + 5 },
  related: [{ span: { file: "models/m.kml", start: 0, end: 10 }, message: "model starts here" }],
};
const sources = new Map([[source.path, source]]);

describe("text rendering", () => {
  it("prints file:line:col, the source line and a caret under exactly the span, then the hint", () => {
    const out = renderDiagnosticsText([typo], sources, { color: false });
    const lines = out.split("\n");
    expect(lines[0]).toBe("models/m.kml:2:14: error KML301: Conv2D has no argument `kernal_size`");
    expect(lines[1]).toBe("    2 |   Conv2D(32, kernal_size=3)");
    // The caret line starts at the same column as the source text and covers 11 characters.
    const caretColumn = lines[2]!.indexOf("^");
    expect(caretColumn).toBe(lines[1]!.indexOf("kernal_size"));
    expect(lines[2]!.slice(caretColumn)).toBe("^".repeat(11));
    expect(lines[3]).toBe("      = hint: did you mean `kernel_size`?");
  });

  it("keeps the caret aligned after a tab and prints related notes with their own snippet", () => {
    const out = renderDiagnosticsText([warning], sources, { color: false });
    const lines = out.split("\n");
    expect(lines[0]).toBe("models/m.kml:3:2: warning KML250: value, never used");
    expect(lines[2]!.indexOf("^")).toBe(lines[1]!.indexOf("Dense"));
    expect(lines[3]).toBe("models/m.kml:1:1: note: model starts here");
    expect(lines[5]!.trim()).toBe("| ^^^^^^^^^^");
  });

  it("uses ANSI colours only when asked", () => {
    expect(renderDiagnosticsText([typo], sources, { color: false })).not.toContain("\u001b[");
    expect(renderDiagnosticsText([typo], sources, { color: true })).toContain("\u001b[31merror");
  });
});

describe("machine formats", () => {
  const reports = [{ file: "models/m.kml", diagnostics: [locate(typo, source), locate(warning, source)] }];

  it("json has exactly the SPEC's fields with 1-based, end-exclusive positions", () => {
    const parsed = JSON.parse(formatJson(reports));
    expect(parsed).toEqual({
      files: [
        {
          file: "models/m.kml",
          diagnostics: [
            {
              severity: "error",
              code: "KML301",
              message: "Conv2D has no argument `kernal_size`",
              line: 2,
              column: 14,
              endLine: 2,
              endColumn: 25,
            },
            {
              severity: "warning",
              code: "KML250",
              message: "value, never used",
              line: 3,
              column: 2,
              endLine: 3,
              endColumn: 7,
            },
          ],
        },
      ],
    });
  });

  it("github writes one workflow command per diagnostic with escaped data", () => {
    const lines = formatGithub(reports).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "::error file=models/m.kml,line=2,col=14,endLine=2,endColumn=25,title=kerasc KML301::" +
        "Conv2D has no argument `kernal_size` (hint: did you mean `kernel_size`?)",
    );
    expect(lines[1]).toMatch(/^::warning file=models\/m.kml,line=3,col=2,/);
    // The message ", never used" contains a comma: data keeps it, only properties escape commas.
    expect(lines[1]).toMatch(/::value, never used$/);
    const multiline = formatGithub([
      { file: "a,b:c.kml", diagnostics: [locate({ ...typo, message: "50% of\nit" }, source)] },
    ]);
    expect(multiline).toContain("file=a%2Cb%3Ac.kml,");
    expect(multiline).toContain("::50%25 of%0Ait");
  });

  it("sarif is a 2.1.0 log whose results point at the region and name a declared rule", () => {
    const log = JSON.parse(formatSarif(reports, { version: "1.2.3" }));
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("kerasc");
    expect(run.tool.driver.version).toBe("1.2.3");
    expect(run.results).toHaveLength(2);
    expect(run.results[0]).toMatchObject({
      ruleId: "KML301",
      level: "error",
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "models/m.kml" },
            region: { startLine: 2, startColumn: 14, endLine: 2, endColumn: 25 },
          },
        },
      ],
    });
    expect(run.results[1].level).toBe("warning");
    for (const result of run.results) {
      if (result.ruleIndex !== undefined)
        expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    }
  });
});
