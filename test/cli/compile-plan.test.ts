// `kerasc FILE` writes a plan (and with --weights-out its weights); `kerasc run PLAN` executes it with the
// numbers `kerasc run FILE -O0` gives; -O0, --emit ir-opt|plan and --dump-after show the stages; broken
// plan files get a clear message and exit 2.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNpy } from "../../src/runtime/npy.js";
import { runCli } from "./run-cli.js";

const SAMPLES = join(import.meta.dirname, "../../samples");
const dir = mkdtempSync(join(tmpdir(), "kerasc-plan-"));
copyFileSync(join(SAMPLES, "mnist_mlp.kml"), join(dir, "mlp.kml"));
const mlp = join(dir, "mlp.kml");

function readOutput(path: string): Float32Array {
  const parsed = parseNpy(new Uint8Array(readFileSync(path)));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.array.data as Float32Array;
}

describe("kerasc FILE", () => {
  it("writes FILE's plan next to it and reports the passes, the steps and the memory", async () => {
    const run = await runCli([mlp]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, "mlp.plan.json"), "utf8"));
    expect(plan.format).toBe("kerasc-plan");
    expect(plan.steps.map((s: { op: string }) => s.op)).not.toContain("dropout");
    expect(run.stdout).toContain("remove-inference-noops: 6 → 4 steps");
    expect(run.stdout).toContain("removed dropout (layer dropout_1)");
    expect(run.stdout).toContain("steps    6 → 4");
    expect(run.stdout).toMatch(/peak activations [\d.]+ KB at batch 1/);
  });

  it("-O0 writes the unoptimized plan; -o chooses the path", async () => {
    const out = join(dir, "plain.json");
    const run = await runCli([mlp, "-O0", "-o", out]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(plan.passes).toEqual([]);
    expect(plan.inferenceOnly).toBe(false);
    expect(plan.steps.filter((s: { op: string }) => s.op === "dropout")).toHaveLength(2);
    expect(run.stdout).toContain("passes   none (-O0)");
  });

  it("--emit ir-opt and --emit plan print instead of writing; --dump-after prints the program after a pass", async () => {
    const irOpt = await runCli([join(SAMPLES, "mnist_mlp.kml"), "--emit", "ir-opt"]);
    expect(irOpt.code).toBe(0);
    expect(irOpt.stdout).toMatch(/^program \(inputs %0: \(None, 784\) float32/);
    expect(irOpt.stdout).toContain(
      '= matMul(%0) {"activation":"relu"} [dense_1/kernel, dense_1/bias]  # dense_1',
    );
    expect(irOpt.stdout).not.toContain("dropout");
    const plan = await runCli([join(SAMPLES, "mnist_mlp.kml"), "--emit", "plan"]);
    expect(JSON.parse(plan.stdout).model).toBe("mnist_mlp");
    const dump = await runCli([
      join(SAMPLES, "mnist_mlp.kml"),
      "-O0",
      "--dump-after",
      "remove-inference-noops",
    ]);
    expect(dump.stdout).toBe("");
    const dumped = await runCli([join(SAMPLES, "mnist_mlp.kml"), "--dump-after", "remove-inference-noops"]);
    expect(dumped.stdout.split("\n").filter((l) => l.includes(" = ")).length).toBe(4);
  });

  it("an unknown --dump-after pass is a usage error listing the passes", async () => {
    const run = await runCli([mlp, "--dump-after", "fold-everything"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "--dump-after fold-everything: no such pass (passes: remove-inference-noops",
    );
  });

  it("-o with a file of several models asks for --model", async () => {
    const out = join(dir, "towers.plan.json");
    const run = await runCli([join(SAMPLES, "rnn_lstm.kml"), "-o", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("choose one with --model");
    expect(existsSync(out)).toBe(false);
  });
});

describe("kerasc run PLAN", () => {
  it("executes a written plan with its --weights-out weights: the numbers of kerasc run FILE -O0", async () => {
    const planPath = join(dir, "seeded.plan.json");
    const weights = join(dir, "weights");
    expect((await runCli([mlp, "-o", planPath, "--weights-out", weights, "--seed", "5"])).code).toBe(0);
    expect(readdirSync(weights)).toContain("weights_manifest.json");
    expect(JSON.parse(readFileSync(planPath, "utf8")).weightsManifest).toBe("weights/weights_manifest.json");
    // The plan's weights come from the manifest; the source run draws the same ones from seed 5.
    const fromPlan = join(dir, "from-plan.npy");
    const fromSource = join(dir, "from-source.npy");
    expect((await runCli(["run", planPath, "--seed", "1", "-o", fromPlan])).code).toBe(0);
    expect((await runCli(["run", mlp, "-O0", "--seed", "5", "-o", fromSource])).code).toBe(0);
    const [a, b] = [readOutput(fromPlan), readOutput(fromSource)];
    // Same weights (seed 5) but the plan run's random input used seed 1: the outputs must differ...
    expect(Array.from(a)).not.toEqual(Array.from(b));
    // ...and with the same input seed they agree.
    const same = join(dir, "same.npy");
    expect((await runCli(["run", planPath, "--seed", "5", "-o", same])).code).toBe(0);
    const c = readOutput(same);
    c.forEach((v, i) => {
      expect(Math.abs(v - b[i]!)).toBeLessThan(1e-6);
    });
  });

  it("a truncated plan file is refused with exit 2 and no output file", async () => {
    const text = readFileSync(join(dir, "mlp.plan.json"), "utf8");
    const cut = join(dir, "cut.plan.json");
    writeFileSync(cut, text.slice(0, text.length / 2));
    const out = join(dir, "never.npy");
    const run = await runCli(["run", cut, "-o", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not valid JSON");
    expect(run.stderr).toContain("cut short");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it("a hand-broken plan names the field", async () => {
    const plan = JSON.parse(readFileSync(join(dir, "mlp.plan.json"), "utf8"));
    plan.steps[1].op = 42;
    const broken = join(dir, "broken.plan.json");
    writeFileSync(broken, JSON.stringify(plan));
    const run = await runCli(["run", broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("invalid plan: at /steps/1/op: must be string");
  });
});
