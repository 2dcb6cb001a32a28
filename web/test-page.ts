// The browser test's page code (test/browser/webgl.test.ts drives it through web/test.html): compiles a
// source, runs its plan on webgl and on cpu with the same seeded weights and the same inputs, and reports
// the backends used, the outputs' differences and the tensors alive around a predict.
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, compile, loadPlan, type Model } from "../src/browser.js";

/** An input as Node sends it: values in C order. */
export interface PageInput {
  readonly data: readonly number[];
  readonly dtype: "float32" | "int32";
  readonly shape: readonly number[];
}

export interface Comparison {
  readonly model: string;
  /** The backends the two models report they run on (asked: webgl, cpu). */
  readonly backends: readonly [BackendName, BackendName];
  /** tfjs's active backend while the webgl model predicted. */
  readonly activeDuringPredict: string;
  /** The WebGL version tfjs uses and whether it renders to float32 textures (else float16). */
  readonly webgl: { readonly version: number; readonly float32: boolean };
  /** The smallest and largest cpu output value. */
  readonly cpuRange: readonly [number, number];
  readonly warnings: readonly string[];
  readonly outputShapes: readonly (readonly number[])[];
  /** max |webgl − cpu| over every output value. */
  readonly maxAbs: number;
  /** max |webgl − cpu| / max(1, |cpu|). */
  readonly maxRel: number;
  /** tf.memory().numTensors before and after each model's predict (its outputs disposed). */
  readonly tensors: Readonly<Record<"webgl" | "cpu", readonly [number, number]>>;
}

/** Predicts once, returning the outputs' values and the tensor counts around the predict. */
async function run(model: Model, inputs: readonly PageInput[]) {
  const before = tf.memory().numTensors;
  const outputs = model.predict(
    inputs.map((i) => ({
      data: i.dtype === "int32" ? Int32Array.from(i.data) : Float32Array.from(i.data),
      shape: i.shape,
    })),
  );
  const active = tf.getBackend();
  const values = await Promise.all(outputs.map((t) => t.data()));
  const shapes = outputs.map((t) => t.shape);
  tf.dispose(outputs);
  return { values, shapes, active, tensors: [before, tf.memory().numTensors] as const };
}

async function compareBackends(
  source: string,
  inputs: readonly PageInput[],
  seed: number,
): Promise<Comparison> {
  const result = compile(source);
  const plan = result.plan;
  if (!plan) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);
  const gl = await loadPlan(plan, { backend: "webgl", seed, warn });
  const cpu = await loadPlan(plan, { backend: "cpu", seed, warn });
  try {
    const a = await run(gl, inputs);
    const b = await run(cpu, inputs);
    let maxAbs = 0;
    let maxRel = 0;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    a.values.forEach((values, o) => {
      const want = b.values[o]!;
      for (const value of want) {
        low = Math.min(low, Number(value));
        high = Math.max(high, Number(value));
      }
      if (values.length !== want.length)
        throw new Error(`output ${o}: ${values.length} ≠ ${want.length} values`);
      for (let i = 0; i < values.length; i++) {
        const diff = Math.abs(Number(values[i]) - Number(want[i]));
        maxAbs = Math.max(maxAbs, diff);
        maxRel = Math.max(maxRel, diff / Math.max(1, Math.abs(Number(want[i]))));
      }
    });
    return {
      model: plan.model,
      backends: [gl.backend, cpu.backend],
      activeDuringPredict: a.active,
      webgl: {
        version: tf.env().getNumber("WEBGL_VERSION"),
        float32: tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED"),
      },
      cpuRange: [low, high],
      warnings,
      outputShapes: a.shapes,
      maxAbs,
      maxRel,
      tensors: { webgl: a.tensors, cpu: b.tensors },
    };
  } finally {
    gl.dispose();
    cpu.dispose();
  }
}

/** What the test calls through page.evaluate. */
(globalThis as { kerascTest?: unknown }).kerascTest = { compareBackends };
