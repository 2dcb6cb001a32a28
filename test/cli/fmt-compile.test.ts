// `kerasc fmt` (canonical text, kml ⇄ JSON, --write) and `kerasc FILE` (the compile report), end to end.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "kerasc-fmt-"));
const messy =
  "# head\nsequential   m( input_shape = ( 16 , ) ){\n  Dense( 32,activation='relu' )   # wide\n\n\n  Dropout(.5)\n}\n";
const canonical =
  '# head\nsequential m(input_shape=(16,)) {\n  Dense(32, activation="relu")  # wide\n\n  Dropout(0.5)\n}\n';

describe("kerasc fmt", () => {
  it("prints canonical text to stdout and leaves the file alone", async () => {
    const file = join(dir, "messy.kml");
    writeFileSync(file, messy);
    const run = await runCli(["fmt", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(canonical);
    expect(readFileSync(file, "utf8")).toBe(messy);
  });

  it("--write rewrites in place; converting to JSON and back gives the canonical text", async () => {
    const file = join(dir, "convert.kml");
    writeFileSync(file, messy);
    expect((await runCli(["fmt", file, "--write"])).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(canonical);
    expect((await runCli(["fmt", file, "--to", "json", "--write"])).code).toBe(0);
    const jsonFile = `${file}.json`;
    expect(JSON.parse(readFileSync(jsonFile, "utf8"))).toBeTypeOf("object");
    const back = await runCli(["fmt", jsonFile, "--to", "kml"]);
    expect(back.code).toBe(0);
    expect(back.stdout).toBe(canonical);
  });

  it("never rewrites a file with syntax errors and leaves no temporary file behind", async () => {
    const sub = mkdtempSync(join(dir, "broken-"));
    const file = join(sub, "broken.kml");
    const broken = "sequential m {\n  Dense(32\n}\n";
    writeFileSync(file, broken);
    const run = await runCli(["fmt", file, "--write"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:`);
    expect(readFileSync(file, "utf8")).toBe(broken);
    expect(readdirSync(sub)).toEqual(["broken.kml"]);
  });

  it("exits 2 for a missing file", async () => {
    expect((await runCli(["fmt", join(dir, "missing.kml")])).code).toBe(2);
  });
});

describe("kerasc FILE", () => {
  it("compiles the README's default sample and reports its model", async () => {
    const run = await runCli([join(import.meta.dirname, "../../samples/mnist_mlp.kml")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("mnist_mlp");
    // 784*512+512 + 512*512+512 + 512*10+10 parameters, by Dense's documented formula.
    expect(run.stdout).toContain((784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10).toLocaleString("en-US"));
  });

  it("reports all syntax errors of a file at once and exits 1", async () => {
    const file = join(dir, "three.kml");
    writeFileSync(
      file,
      "model m {\n  a = Input(shape=(4,)\n  b = = Dense(2)(a)\n  c = Dense(2)(b))\n  outputs c\n}\n",
    );
    const run = await runCli([file]);
    expect(run.code).toBe(1);
    const locations = [
      ...run.stderr.matchAll(new RegExp(`${file.replace(/[/.]/g, "\\$&")}:(\\d+):\\d+: error`, "g")),
    ];
    expect(locations.map((m) => m[1])).toEqual(expect.arrayContaining(["2", "3", "4"]));
  });

  it("--emit ir prints the typed graph", async () => {
    const run = await runCli([join(import.meta.dirname, "../../samples/dense.kml"), "--emit", "ir"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("dense_stack");
    expect(run.stdout).toContain("(None, 32)");
  });

  it("writes nothing when compilation fails", async () => {
    const sub = mkdtempSync(join(dir, "fail-"));
    const file = join(sub, "bad.kml");
    writeFileSync(file, "sequential m { Dense(0, input_shape=(3,)) }\n");
    expect((await runCli([file])).code).toBe(1);
    expect(readdirSync(sub)).toEqual(["bad.kml"]);
    expect(existsSync(join(sub, "bad.plan.json"))).toBe(false);
  });
});
