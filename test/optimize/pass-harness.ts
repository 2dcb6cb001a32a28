// Test support for optimization passes: every sample's models as OpPrograms, a pass run with the verifier,
// and the numeric check every pass must pass — the rewritten program computes the unoptimized one's
// outputs (within 1e-5, scaled by their magnitude) on the cpu backend with the same seeded weights and inputs.
import { readdirSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { finishProgram } from "../../src/compiler/6-optimize/finish.js";
import { fromProgram, type OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { inferSlotTypes } from "../../src/compiler/6-optimize/op-shapes.js";
import type { Pass, PassContext, PassResult } from "../../src/compiler/6-optimize/pass.js";
import { verifyOpProgram } from "../../src/compiler/6-optimize/verify.js";
import { loadPlan } from "../../src/runtime/load-plan.js";
import { availableWeights, PLAN_FORMAT, PLAN_VERSION, type Plan } from "../../src/runtime/plan.js";
import {
  BATCH,
  type Lowered,
  lowerSample,
  lowerSource,
  randomInputs,
  SAMPLES,
} from "../runtime/executor-helpers.js";

/** Every model of every sample, named "sample/model". */
export function sampleModels(): { name: string; lowered: Lowered }[] {
  return readdirSync(SAMPLES)
    .filter((file) => file.endsWith(".kml"))
    .sort()
    .flatMap((file) => {
      const sample = file.replace(/\.kml$/, "");
      return lowerSample(sample).map((lowered) => ({ name: `${sample}/${lowered.graph.name}`, lowered }));
    });
}

/** The single model of .kml text, as the passes' starting OpProgram. */
export function opProgramOf(source: string): OpProgram {
  const [only] = lowerSource(source);
  return fromProgram(only!.program);
}

/** Slot types from the op shape rules, as the pipeline gives them to passes. */
export const passContext: PassContext = {
  types: (program) => inferSlotTypes({ ...program, weights: availableWeights(program) }),
};

/** Runs `pass` and the verifier after it (a failure names the pass). */
export function runPass(pass: Pass, program: OpProgram, context: PassContext = passContext): PassResult {
  const result = pass.run(program, context);
  verifyOpProgram(result.program, pass.name);
  return result;
}

/** A loadable plan of an OpProgram (slots finished and freed; statistics left out). */
export function testPlan(program: OpProgram, inferenceOnly = true): Plan {
  const { program: finished } = finishProgram(program);
  return {
    ...finished,
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    model: "test",
    inferenceOnly,
    slots: [],
    stats: { batch: 1, flops: null, parameterBytes: 0, peakActivationBytes: null },
    passes: [],
  };
}

/** Where and at what size a program's outputs are computed. */
export interface RunSettings {
  readonly backend?: "cpu" | "wasm";
  /** The batch and the other unknown sizes of the random inputs. */
  readonly batch?: number;
  readonly seed?: number;
}

/** The program's outputs for seeded random inputs and weights. */
export async function outputsOf(program: OpProgram, settings: RunSettings = {}): Promise<Float32Array[]> {
  const { backend = "cpu", batch = BATCH, seed = 7 } = settings;
  const inputs = randomInputs(testPlan(program), seed, { batch, unknown: 4 });
  const model = await loadPlan(testPlan(program), { backend, seed });
  try {
    const outputs = model.predict(inputs);
    const values = outputs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outputs);
    return values;
  } finally {
    model.dispose();
  }
}

/** Equal outputs within `tolerance` scaled by the expected outputs' magnitude (at least 1). */
export function expectCloseOutputs(expected: Float32Array[], actual: Float32Array[], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    expect(got.length).toBe(want.length);
    let scale = 1;
    let worst = 0;
    for (let j = 0; j < want.length; j++) {
      scale = Math.max(scale, Math.abs(want[j]!));
      worst = Math.max(worst, Math.abs(got[j]! - want[j]!));
    }
    expect(worst).toBeLessThanOrEqual(tolerance * scale);
  });
}

/** The pass's numeric contract: same outputs within 1e-5 scaled by the outputs' magnitude. */
export async function expectSameOutputs(
  before: OpProgram,
  after: OpProgram,
  tolerance = 1e-5,
  settings: RunSettings = {},
): Promise<void> {
  expectCloseOutputs(await outputsOf(before, settings), await outputsOf(after, settings), tolerance);
}

/** expectSameOutputs on the wasm backend (its fused kernels), batch 2. */
export async function expectSameOnWasm(before: OpProgram, after: OpProgram): Promise<void> {
  await expectSameOutputs(before, after, 1e-5, { backend: "wasm", batch: 2 });
}
