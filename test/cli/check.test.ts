// `kerasc check`: formats, exit codes, globs and --max-warnings, as CI uses them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "kerasc-check-"));
const typoFile = join(dir, "typo.kml");
writeFileSync(typoFile, 'sequential m(input_shape=(16,)) {\n  Dense(32, activaton="relu")\n}\n');
const cleanFile = join(dir, "clean.kml");
writeFileSync(cleanFile, "sequential m(input_shape=(16,)) {\n  Dense(32)\n}\n");
const warningFile = join(dir, "warn.kml");
// `unused` is an Input nobody reads: a warning, not an error.
writeFileSync(
  warningFile,
  "model m {\n  a = Input(shape=(4,))\n  unused = Input(shape=(4,))\n  y = Dense(2)(a)\n  outputs y\n}\n",
);

describe("kerasc check", () => {
  it("exits 0 on a clean file and says so", async () => {
    const run = await runCli(["check", cleanFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("checked 1 file: 0 errors and 0 warnings");
  });

  it("explains a misspelled argument a newcomer can act on, and exits 1", async () => {
    const run = await runCli(["check", typoFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${typoFile}:2:13: error`);
    expect(run.stdout).toContain("activaton");
    expect(run.stdout).toContain("did you mean `activation`?");
    expect(run.stdout).toContain('    2 |   Dense(32, activaton="relu")');
  });

  it("reports every file in SPEC json, including clean ones", async () => {
    const run = await runCli(["check", "--format", "json", cleanFile, typoFile]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: { file: string }) => f.file)).toEqual([cleanFile, typoFile]);
    expect(report.files[0].diagnostics).toEqual([]);
    const [d] = report.files[1].diagnostics;
    expect(Object.keys(d).sort()).toEqual(
      ["code", "column", "endColumn", "endLine", "line", "message", "severity"].sort(),
    );
    expect(d).toMatchObject({ severity: "error", line: 2, column: 13, endLine: 2, endColumn: 22 });
  });

  it("writes GitHub annotations", async () => {
    const run = await runCli(["check", "--format", "github", typoFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^::error file=${typoFile.replace(/[/.]/g, "\\$&")},line=2,col=13,`),
    );
  });

  it("expands globs itself", async () => {
    const run = await runCli(["check", "--format", "json", join(dir, "*.kml")]);
    const files = JSON.parse(run.stdout).files.map((f: { file: string }) => f.file);
    expect(files).toEqual([cleanFile, typoFile, warningFile].sort());
  });

  it("fails on warnings only beyond --max-warnings", async () => {
    const lenient = await runCli(["check", warningFile]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("0 errors and 1 warning");
    expect((await runCli(["check", "--max-warnings", "1", warningFile])).code).toBe(0);
    expect((await runCli(["check", "--max-warnings", "0", warningFile])).code).toBe(1);
  });

  it("exits 2 for usage and I/O errors, with one line and no stack trace", async () => {
    const missing = await runCli(["check", join(dir, "nope.kml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.kml");
    expect(missing.stderr).not.toContain("    at ");
    expect((await runCli(["check", "--format", "xml", cleanFile])).code).toBe(2);
    expect((await runCli(["check", "--max-warnings", "-3", cleanFile])).code).toBe(2);
    expect((await runCli(["check", "--bogus", cleanFile])).code).toBe(2);
    expect((await runCli(["check"])).code).toBe(2);
    expect((await runCli(["check", join(dir, "*.none")])).code).toBe(2);
  });
});
