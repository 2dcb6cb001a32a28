// compile() returns a plan per model; the plan survives JSON, validates against the published schema, loads
// with loadPlan and computes what the -O0 plan computes. Broken plans are refused with a clear message.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { compile, loadModel, loadPlan, lowerGraph, type Plan, parsePlan } from "../../src/index.js";
import { ModelError } from "../../src/runtime/model-error.js";
import { randomInputs } from "../runtime/executor-helpers.js";

const SAMPLES = join(import.meta.dirname, "../../samples");
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../src/runtime/plan.schema.json"), "utf8"),
);

function planOf(sample: string, optimize = true): Plan {
  const result = compile({ path: join(SAMPLES, `${sample}.kml`) }, { plan: { optimize } });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.plan!;
}

async function predict(plan: Plan, seed = 3): Promise<Float32Array[]> {
  const model = await loadPlan(JSON.parse(JSON.stringify(plan)), { backend: "cpu", seed });
  try {
    const outputs = model.predict(randomInputs(plan, seed));
    const values = outputs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outputs);
    return values;
  } finally {
    model.dispose();
  }
}

describe("compile() plans", () => {
  it("gives one plan per model, valid under plan.schema.json", () => {
    const result = compile({ path: join(SAMPLES, "two_towers.kml") });
    expect(result.plans.map((p) => p.model)).toEqual(result.ir!.graphs.map((g) => g.name));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const plan of result.plans)
      expect(validate(JSON.parse(JSON.stringify(plan))), JSON.stringify(validate.errors)).toBe(true);
  });

  it("records the passes at -O2 and none at -O0; the optimized MLP has no dropout step", () => {
    const optimized = planOf("mnist_mlp");
    const plain = planOf("mnist_mlp", false);
    expect(plain.passes).toEqual([]);
    expect(plain.inferenceOnly).toBe(false);
    expect(plain.steps.some((s) => s.op === "dropout")).toBe(true);
    expect(optimized.inferenceOnly).toBe(true);
    expect(optimized.steps.some((s) => s.op === "dropout")).toBe(false);
    expect(optimized.passes.find((p) => p.pass === "remove-inference-noops")!.changes.length).toBeGreaterThan(
      0,
    );
  });

  it("states the statistics: parameter bytes are 4 per parameter; peak memory grows with the batch", () => {
    const plan = planOf("mnist_mlp");
    const params = compile({ path: join(SAMPLES, "mnist_mlp.kml") }).summary()[0]!.params!.total;
    expect(plan.stats.parameterBytes).toBe(params * 4);
    const big = compile({ path: join(SAMPLES, "mnist_mlp.kml") }, { plan: { batch: 32 } }).plan!;
    expect(big.stats.batch).toBe(32);
    expect(big.stats.peakActivationBytes!).toBeGreaterThan(plan.stats.peakActivationBytes! * 16);
    expect(big.stats.flops).toBe(plan.stats.flops! * 32);
  });

  it("an optimized plan computes the -O0 plan's outputs", async () => {
    const [a, b] = [await predict(planOf("mnist_mlp")), await predict(planOf("mnist_mlp", false))];
    expect(a.length).toBe(1);
    for (const [i, v] of a[0]!.entries()) expect(v).toBeCloseTo(b[0]![i]!, 6);
  });

  it("refuses a training-mode predict on an inference-only plan", async () => {
    const plan = planOf("mnist_mlp");
    const model = await loadPlan(plan, { backend: "cpu" });
    try {
      expect(() => model.predict(randomInputs(plan), { training: true })).toThrow(
        /optimized for inference.*-O0/,
      );
    } finally {
      model.dispose();
    }
  });
});

describe("loadModel", () => {
  it("takes a plan or a lowered program, and both compute the same", async () => {
    const plan = planOf("dense", false);
    const { program } = lowerGraph(compile({ path: join(SAMPLES, "dense.kml") }).ir!.graphs[0]!);
    const inputs = randomInputs(plan, 2);
    const results: number[][] = [];
    for (const model of [
      await loadModel(plan, { backend: "cpu" }),
      await loadModel(program!, { backend: "cpu" }),
    ]) {
      const [out] = model.predict(inputs);
      results.push(Array.from(out!.dataSync()));
      out!.dispose();
      model.dispose();
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.length).toBeGreaterThan(0);
  });

  it("validates anything carrying the plan format tag as a plan", async () => {
    await expect(loadModel({ format: "kerasc-plan", version: 1 } as unknown as Plan)).rejects.toThrow(
      /invalid plan/,
    );
  });
});

describe("broken plans", () => {
  const plan = () => JSON.parse(JSON.stringify(planOf("mnist_mlp"))) as Record<string, unknown>;
  const refused = async (value: unknown, message: RegExp) => {
    const error = await loadPlan(value, { backend: "cpu" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toMatch(message);
  };

  it("not a plan at all", async () => {
    await refused([1, 2], /not a kerasc plan/);
    await refused({ version: 1 }, /not a kerasc plan/);
  });
  it("another version", async () => {
    await refused({ ...plan(), version: 99 }, /version 99.*version 1/);
  });
  it("a missing field is named", async () => {
    const { steps: _steps, ...rest } = plan();
    await refused(rest, /must have required property 'steps'/);
  });
  it("a wrong type is named with its path", async () => {
    const broken = plan();
    (broken.steps as { inputs: unknown }[])[0]!.inputs = ["x"];
    await refused(broken, /at \/steps\/0\/inputs\/0/);
  });
  it("a step reading a slot nobody wrote", async () => {
    const broken = plan();
    (broken.steps as { inputs: number[] }[])[0]!.inputs = [999];
    await refused(broken, /reads slot 999 before any step writes it/);
  });
  it("a truncated file (JSON cut mid-way) is the CLI's to report; a cut steps list is caught here", async () => {
    const broken = plan();
    broken.steps = (broken.steps as unknown[]).slice(0, 1);
    await refused(broken, /output .* reads slot \d+, which no step writes/);
  });
  it("a prologue transform that does not exist", async () => {
    const broken = plan();
    broken.prologue = [{ op: "magic", inputs: [], outputs: [], attrs: {} }];
    await refused(broken, /prologue step 0 \(magic\): unknown transform/);
  });
  it("parsePlan accepts what compile() writes", () => {
    expect(parsePlan(plan()).model).toBe("mnist_mlp");
  });
});

describe("a failure while planning", () => {
  it("is an internal-error diagnostic on the model (KML798), not an exception", () => {
    const source = "model m {\n  x = Input(shape=(3,))\n  y = Dense(2)(x)\n  outputs y\n}\n";
    const broken = {
      name: "broken",
      description: "throws",
      run: () => {
        throw new Error("boom");
      },
    };
    const result = compile(source, { fileName: "m.kml", plan: { passes: [broken] } });
    expect(result.plans).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["KML798", "internal error while planning model `m`: boom"],
    ]);
    expect(result.diagnostics[0]!.span.start).toBe(source.indexOf("model"));
  });
});
