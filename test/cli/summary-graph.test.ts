// `kerasc summary` and `kerasc graph` end to end: exit codes, the table and JSON on stdout, --batch and
// --model, and graph files (.svg rendered by Graphviz, .dot) written whole or not at all.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "kerasc-summary-"));
const sample = (name: string) => join(import.meta.dirname, "../../samples", name);

function modelFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const twoModels = modelFile(
  "two.kml",
  `sequential small(input_shape=(4,)) {
  Dense(3, activation="relu")
}

model pair {
  a = Input(shape=(4,))
  b = Input(shape=(4,))
  shared = Dense(2)
  x = shared(a)
  y = shared(b)
  outputs x, y
}
`,
);

describe("kerasc summary", () => {
  it("prints Keras's table with totals, FLOPs and activation memory", async () => {
    const run = await runCli(["summary", sample("mnist_mlp.kml")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Model: "mnist_mlp"\n');
    expect(run.stdout).toContain("\ndense_1 (Dense)              (None, 512)               401920\n");
    expect(run.stdout).toContain("\nTotal params: 669,706\n");
    expect(run.stdout).toContain("\nFLOPs per sample: 1.34 MFLOPs (1,339,412)\n");
    expect(run.stdout).toContain("\nActivation memory per sample: 11.4 KB (11,368 bytes)\n");
    expect(run.stdout).not.toContain("per batch");
  });

  it("--batch N adds the totals for N samples", async () => {
    const run = await runCli(["summary", sample("mnist_mlp.kml"), "--batch", "64"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("\nFLOPs per batch of 64: 85.7 MFLOPs (85,722,368)\n");
    expect(run.stdout).toContain("\nActivation memory per batch of 64: 728 KB (727,552 bytes)\n");
  });

  it("--json prints SPEC's object for a one-model file", async () => {
    const run = await runCli(["summary", sample("mnist_mlp.kml"), "--json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      name: "mnist_mlp",
      inputs: [{ name: "input_1", shape: [null, 784] }],
      outputs: [{ name: "dense_3", shape: [null, 10] }],
      totalParams: 669706,
      trainableParams: 669706,
      nonTrainableParams: 0,
    });
    expect(json.layers[0]).toEqual({
      name: "dense_1",
      type: "Dense",
      outputShape: [null, 512],
      params: 401920,
    });
  });

  it("--json prints an array for several models; --model picks one object", async () => {
    const all = await runCli(["summary", twoModels, "--json"]);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).map((m: { name: string }) => m.name)).toEqual(["small", "pair"]);
    const one = await runCli(["summary", twoModels, "--json", "--model", "pair"]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ name: "pair", totalParams: 10 });
  });

  it("prints one table per model, the table for --model only", async () => {
    const all = await runCli(["summary", twoModels]);
    expect(all.stdout.match(/^Model: /gm)).toHaveLength(2);
    const one = await runCli(["summary", twoModels, "--model", "small"]);
    expect(one.stdout.match(/^Model: /gm)).toHaveLength(1);
    expect(one.stdout).toContain('Model: "small"');
  });

  it("exits 1 with the diagnostics when the model has errors, and prints no summary", async () => {
    const file = modelFile("bad.kml", "sequential m(input_shape=(4, 4)) {\n  Flatten()\n  LSTM(3)\n}\n");
    const run = await runCli(["summary", file, "--json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${file}:3:`);
    expect(run.stderr).toContain("1 error");
  });

  it("exits 2 for usage errors: a missing file, an unknown --model, a bad --batch", async () => {
    expect((await runCli(["summary", join(dir, "missing.kml")])).code).toBe(2);
    const unknown = await runCli(["summary", twoModels, "--model", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no model named "nope" (it has: small, pair)');
    expect((await runCli(["summary", twoModels, "--batch", "0"])).code).toBe(2);
    expect((await runCli(["summary", twoModels, "--batch", "two"])).code).toBe(2);
  });
});

describe("kerasc graph", () => {
  it("prints DOT on stdout without -o", async () => {
    const run = await runCli(["graph", sample("mnist_mlp.kml")]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('digraph "mnist_mlp" {')).toBe(true);
    expect(run.stdout).toContain('[label="(None, 512)"]');
  });

  it("-o x.svg writes a real SVG with every layer name and the shapes on its edges", async () => {
    const out = join(dir, "mlp.svg");
    const run = await runCli(["graph", sample("mnist_mlp.kml"), "-o", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`wrote ${out}`);
    const svg = readFileSync(out, "utf8");
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    for (const name of ["input_1", "dense_1", "dropout_1", "dense_2", "dropout_2", "dense_3"]) {
      expect(svg).toContain(`>${name}: `);
    }
    // Edge labels are drawn as text of their own: one per tensor, four of them (None, 512).
    expect(svg.match(/class="edge"/g)).toHaveLength(5);
    expect(svg.match(/>\(None, 512\)<\/text>/g)?.length).toBeGreaterThanOrEqual(4);
    expect(svg).toContain(">(None, 784)</text>");
  });

  it("-o x.dot writes the DOT text stdout would show; --model picks one model", async () => {
    const out = join(dir, "pair.dot");
    expect((await runCli(["graph", twoModels, "--model", "pair", "-o", out])).code).toBe(0);
    const stdout = (await runCli(["graph", twoModels, "--model", "pair"])).stdout;
    expect(readFileSync(out, "utf8")).toBe(stdout);
    expect(stdout).not.toContain("small");
  });

  it("escapes odd layer names so Graphviz still draws them", async () => {
    const file = modelFile(
      "odd.kml",
      'sequential odd(input_shape=(2,)) {\n  Dense(1, name="a<b> & \\"c\\" {d|e}")\n}\n',
    );
    const out = join(dir, "odd.svg");
    const run = await runCli(["graph", file, "-o", out]);
    expect(run.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(">a&lt;b&gt; &amp; &quot;c&quot; {d|e}: Dense</text>");
  });

  it("exits 2 for an output it cannot write, before compiling, and leaves nothing behind", async () => {
    const sub = mkdtempSync(join(dir, "out-"));
    const png = await runCli(["graph", sample("mnist_mlp.kml"), "-o", join(sub, "x.png")]);
    expect(png.code).toBe(2);
    expect(png.stderr).toContain("-o takes a .svg file");
    const missingDir = await runCli(["graph", sample("mnist_mlp.kml"), "-o", join(sub, "no", "x.svg")]);
    expect(missingDir.code).toBe(2);
    expect(readdirSync(sub)).toEqual([]);
  });

  it("exits 1 with diagnostics for a model with errors, writing no file", async () => {
    const file = modelFile("bad-graph.kml", "sequential m(input_shape=(4,)) {\n  Dense(0)\n}\n");
    const out = join(dir, "bad.svg");
    const run = await runCli(["graph", file, "-o", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:2:`);
    expect(existsSync(out)).toBe(false);
  });
});
