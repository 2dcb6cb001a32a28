// The static memory plan against the executor (issue 5, item 4): for every model of every sample (found on
// disk in samples/, so a new sample is covered without a list to update) and a few models written for the
// purpose (a residual block, a branch that dies early, recurrent layers, outputs the executor must copy, and
// identity aliasing in -O0 plans), the plan runs through loadPlan's predict with an `onStep` observer
// (PredictOptions.onStep), which sees the slots alive after each step's outputs are stored and before its
// frees are released. Unknown sizes other than the batch get a size through planMemory's `dims`, so no
// model is skipped. After each step:
//   (a) the bytes the live slots hold (a tensor held by two slots, when an op returns its input, counted
//       once) are at most what planMemory says for the step, and the run's peak is at most the plan's
//       stats.peakActivationBytes at the same batch (or, when a non-batch size is unknown, planMemory's peak
//       with those sizes given through its `dims`);
//   (b) the estimate is tight, not merely an upper bound: each live slot holds exactly the bytes its static
//       type gives, the live slots are exactly those the plan says (written and not yet freed), and the
//       measured peak is at least half the estimate, so an estimate inflated by any factor fails;
//   (c) every tensor of a slot the previous step freed is disposed, unless the caller owns it (a model
//       input given as a tensor) or another live slot still holds it; a tensor the last step freed is
//       disposed once predict returns, unless it is a result;
// and tf.memory().numBytes, relative to just before the predict, grows by exactly the live slots' bytes the
// run owns: no hidden tensor (a kernel's intermediate, a copy) outlives its step. While predict hands back
// its results (copying those it does not own), the bytes held are at most planMemory's `atEnd`, and the
// caller's input tensors are never disposed. Each model runs twice, with caller-owned tensors and with typed
// arrays (which the run turns into tensors and disposes at their last use).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { inferSizedSlotTypes, slotBytes, unknownInputAxis } from "../../src/compiler/6-optimize/op-shapes.js";
import { planMemory } from "../../src/compiler/7-plan/memory-plan.js";
import { compile } from "../../src/compiler/index.js";
import { nodeHost } from "../../src/node-host.js";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadPlan } from "../../src/runtime/load-plan.js";
import type { Model } from "../../src/runtime/model.js";
import { availableWeights, type Plan } from "../../src/runtime/plan.js";
import type { Slot } from "../../src/runtime/program.js";
import { type InputSizes, randomInputs, SAMPLES } from "./executor-helpers.js";

/** The batch every model runs at, and the size of its other unknown axes (timesteps, `dim T`). */
const SIZES: InputSizes = { batch: 2, unknown: 3 };

/**
 * Models whose inputs are large and fixed, so that one predict costs 15-45 s on cpu (measured on the
 * 2-core development machine): ConvLSTM2D on 40x40 frames with 40 filters, four times; a Conv2D with 64
 * filters on ten 299x299 images. They run on wasm, one batch sample, ConvLSTM2D over a single frame (the
 * ten frames of the other are fixed): about 1 and 5 s for the whole check.
 */
const HEAVY: ReadonlyMap<string, { readonly backend: BackendName; readonly sizes: InputSizes }> = new Map([
  ["conv_lstm_movies", { backend: "wasm", sizes: { batch: 1, unknown: 1 } }],
  ["time_distributed_conv", { backend: "wasm", sizes: { batch: 1, unknown: 2 } }],
]);

/** Models written here for what the samples lack or have only in passing. */
const EXTRA = `
# A ResNet-style block: the shortcut stays alive across the whole residual branch, then Add joins them.
model residual {
  x = Input(shape=(8, 8, 4))
  stem = Conv2D(8, 3, padding="same", activation="relu")(x)
  y = Conv2D(8, 3, padding="same", activation="relu")(stem)
  y = Conv2D(8, 3, padding="same")(y)
  y = Add()([stem, y])
  y = Activation("relu")(y)
  y = GlobalAveragePooling2D()(y)
  out = Dense(3)(y)
  outputs out
}

# A wide side branch that dies early: its bytes must leave the live set long before the main path ends.
model early_branch {
  x = Input(shape=(32,))
  side = Dense(256, activation="relu")(x)
  side = Dense(4)(side)
  main = Dense(16, activation="relu")(x)
  main = Concatenate()([main, side])
  main = Dense(16, activation="relu")(main)
  main = Dense(16, activation="relu")(main)
  main = Dense(16, activation="relu")(main)
  out = Dense(2)(main)
  outputs out
}

# Identity aliasing, run unoptimized (-O0 keeps Dropout, which at inference returns its input): the input's
# tensor is also the first dropout's, the last Dense's is also the output's.
model identities {
  x = Input(shape=(16,))
  d = Dropout(0.5)(x)
  h = Dense(8)(d)
  out = Dropout(0.5)(h)
  outputs out, d
}

# Outputs the executor copies as it hands them back: the caller's own input, and a slot listed twice.
model passthrough {
  x = Input(shape=(64,))
  y = Dense(4)(x)
  outputs x, y, y
}

# No steps at all: the only output is the input.
model bare {
  x = Input(shape=(64,))
  outputs x
}

# Recurrent layers over unknown timesteps, one returning its states (some of which nothing reads).
model recurrent {
  x = Input(shape=(None, 6))
  seq = LSTM(8, return_sequences=True)(x)
  seq = GRU(5, return_sequences=True)(seq)
  last, h, c = LSTM(4, return_state=True)(seq)
  out = Dense(2)(last)
  outputs out, h
}
`;

interface Case {
  readonly label: string;
  readonly plan: Plan;
  readonly backend: BackendName;
  readonly sizes: InputSizes;
}

const SAMPLE_FILES = readdirSync(SAMPLES)
  .filter((name) => name.endsWith(".kml"))
  .sort();

function plansOf(source: { path: string } | string, batch: number, optimize: boolean): readonly Plan[] {
  const plan = { batch, optimize };
  const result =
    typeof source === "string"
      ? compile(source, { fileName: "memory-plan.kml", host: nodeHost, plan })
      : compile(source, { host: nodeHost, plan });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.plans;
}

/** Every model of a source, each compiled at the batch it runs at. */
function casesOf(label: string, source: { path: string } | string, optimize = true): Case[] {
  const plans = plansOf(source, SIZES.batch, optimize);
  return plans.map((plan, index) => {
    const heavy = HEAVY.get(plan.model);
    // A heavy model runs at its own batch: its stats are taken at that batch.
    const atBatch = heavy ? plansOf(source, heavy.sizes.batch, optimize)[index]! : plan;
    return {
      label: `${label}/${plan.model}${optimize ? "" : " -O0"}`,
      plan: atBatch,
      backend: heavy?.backend ?? "cpu",
      sizes: heavy?.sizes ?? SIZES,
    };
  });
}

const SAMPLE_CASES = SAMPLE_FILES.flatMap((file) => casesOf(file, { path: join(SAMPLES, file) }));
const EXTRA_CASES = [
  ...casesOf("extra", EXTRA),
  ...casesOf("extra", EXTRA, false).filter((c) => c.plan.model === "identities"),
  ...casesOf("mnist_mlp.kml", { path: join(SAMPLES, "mnist_mlp.kml") }, false),
];

/** The sizes of the non-batch unknown axes, by the names planMemory's `dims` takes. */
function unknownDims(plan: Plan, size: number): Map<string, number> {
  const dims = new Map<string, number>();
  for (const input of plan.inputs)
    input.shape.forEach((dim, axis) => {
      if (axis === 0 || typeof dim === "number") return;
      dims.set(dim === null ? unknownInputAxis(input.name, axis) : dim, size);
    });
  return dims;
}

const bytesOf = (tensor: tf.Tensor) => tensor.size * 4;

/** Bytes of the distinct tensors among `tensors`. */
const distinctBytes = (tensors: Iterable<tf.Tensor>) =>
  [...new Set(tensors)].reduce((sum, tensor) => sum + bytesOf(tensor), 0);

interface Measured {
  /** Distinct live bytes after each step's outputs are stored. */
  readonly duringStep: number[];
  /** Distinct bytes held while predict hands back its results: what the steps left alive and the results. */
  readonly atEnd: number;
}

/**
 * One predict, checking (a)-(c) and tf.memory() at each step against the plan's `duringStep` and slot
 * sizes; returns the measured bytes.
 */
function measuredPredict(
  model: Model,
  c: Case,
  expectedDuring: readonly number[],
  slotSizes: readonly (number | undefined)[],
  form: "tensors" | "arrays",
): Measured {
  const { plan } = c;
  const arrays = randomInputs(plan, 1, c.sizes);
  const tensors =
    form === "tensors" ? arrays.map((a, i) => tf.tensor(a.data, a.shape, plan.inputs[i]!.dtype)) : undefined;
  const callerOwned = new Set<tf.Tensor>(tensors ?? []);
  const weights = new Set(model.weights.values());
  const base = tf.memory().numBytes;

  const measured: number[] = [];
  // The slots the plan says are alive: the inputs, then each step's outputs until the step that frees them.
  const planned = new Set<Slot>(plan.inputs.map((input) => input.slot));
  let freedBefore: tf.Tensor[] = [];
  // The tensors alive after the last step's frees (before any step: the caller's inputs; a typed array's
  // tensor in a model without steps is a result).
  let leftAlive: tf.Tensor[] = tensors ?? [];
  const onStep = (index: number, live: ReadonlyMap<Slot, tf.Tensor>) => {
    const step = plan.steps[index]!;
    const where = `${c.label}, step ${index} (${step.op}${step.layer ? `, ${step.layer}` : ""})`;
    for (const slot of step.outputs) planned.add(slot);
    expect(
      [...live.keys()].sort((a, b) => a - b),
      `${where}: live slots`,
    ).toEqual([...planned].sort((a, b) => a - b));
    for (const [slot, tensor] of live)
      expect(bytesOf(tensor), `${where}: bytes of slot ${slot}`).toBe(slotSizes[slot]);

    // (c) What the previous step freed is gone, unless the caller owns it or a live slot still holds it.
    const held = new Set(live.values());
    for (const tensor of freedBefore)
      if (!callerOwned.has(tensor) && !held.has(tensor) && !weights.has(tensor))
        expect(tensor.isDisposed, `${where}: a tensor the previous step freed`).toBe(true);
    freedBefore = step.frees.map((slot) => live.get(slot)!);

    // (a) At most the plan's bytes for the step; (b) exactly them but for what aliasing shares: the plan
    // adds up the static sizes of the very slots the run holds (a tensor two slots hold counted twice).
    const bytes = distinctBytes(live.values());
    measured.push(bytes);
    expect(bytes, `${where}: live bytes`).toBeLessThanOrEqual(expectedDuring[index]!);
    const perSlot = [...live.keys()].reduce((sum, slot) => sum + slotSizes[slot]!, 0);
    expect(expectedDuring[index], `${where}: the plan's bytes`).toBe(perSlot);

    // Nothing else grew: the run's own live tensors are all the engine gained since the predict began.
    const owned = [...held].filter((t) => !callerOwned.has(t) && !weights.has(t));
    expect(tf.memory().numBytes - base, `${where}: tf.memory().numBytes growth`).toBe(distinctBytes(owned));

    for (const slot of step.frees) planned.delete(slot);
    leftAlive = [...live].filter(([slot]) => !step.frees.includes(slot)).map(([, tensor]) => tensor);
  };

  const results = model.predict(tensors ?? arrays, { onStep });
  const atEnd = distinctBytes([...leftAlive, ...results]);
  try {
    expect(measured.length).toBe(plan.steps.length);
    const kept = new Set(results);
    for (const tensor of freedBefore)
      if (!callerOwned.has(tensor) && !kept.has(tensor) && !weights.has(tensor))
        expect(tensor.isDisposed, `${c.label}: a tensor the last step freed`).toBe(true);
    // After the run only the results remain (copies of any that alias an input or a weight).
    expect(tf.memory().numBytes - base, `${c.label}: bytes after predict`).toBe(distinctBytes(results));
    for (const tensor of callerOwned) expect(tensor.isDisposed, `${c.label}: a caller's input`).toBe(false);
  } finally {
    tf.dispose(results);
    if (tensors) tf.dispose(tensors);
  }
  return { duringStep: measured, atEnd };
}

/** Whether some step keeps state between predicts (Keras's stateful=True). */
const isStateful = (plan: Plan) =>
  plan.steps.some((step) => (step.attrs as { readonly stateful?: unknown }).stateful === true);

async function checkCase(c: Case): Promise<void> {
  const { plan, sizes } = c;
  const dims = unknownDims(plan, sizes.unknown);
  const types = inferSizedSlotTypes({ ...plan, weights: availableWeights(plan) });
  const memory = planMemory(plan, types, sizes.batch, dims);
  expect(memory, `${c.label}: every size is known once the unknown dims are given`).toBeDefined();
  const { duringStep, atEnd, peak } = memory!;
  // The plan's own statistic is the same figure when no size besides the batch is unknown.
  if (dims.size === 0) expect(plan.stats.peakActivationBytes).toBe(peak);
  else expect(plan.stats.peakActivationBytes).toBeNull();
  const slotSizes = types.map((type) => slotBytes(type, sizes.batch, dims));

  const model = await loadPlan(JSON.parse(JSON.stringify(plan)), { backend: c.backend, seed: 3 });
  try {
    // A stateful layer's first predict creates the states it then keeps (outside the slots): predict once
    // first, so that from then on each predict replaces them with as many bytes.
    if (isStateful(plan)) tf.dispose(model.predict(randomInputs(plan, 2, sizes)));
    for (const form of ["tensors", "arrays"] as const) {
      const measured = measuredPredict(model, c, duringStep, slotSizes, form);
      expect(measured.atEnd, `${c.label}: bytes while the results are handed back`).toBeLessThanOrEqual(
        atEnd,
      );
      const measuredPeak = Math.max(...measured.duringStep, measured.atEnd);
      const estimate = dims.size === 0 ? plan.stats.peakActivationBytes! : peak;
      expect(measuredPeak, `${c.label}: measured peak`).toBeLessThanOrEqual(estimate);
      expect(measuredPeak, `${c.label}: measured peak against the estimate`).toBeGreaterThanOrEqual(
        estimate / 2,
      );
    }
  } finally {
    model.dispose();
  }
}

describe("the static memory plan holds at run time", () => {
  it("covers every sample file and finds the heavy models it runs on wasm", () => {
    expect(SAMPLE_FILES.length).toBeGreaterThan(20);
    const models = new Set(SAMPLE_CASES.map((c) => c.plan.model));
    for (const name of HEAVY.keys()) expect(models).toContain(name);
  });

  for (const c of SAMPLE_CASES)
    it(`${c.label} (${c.backend}, batch ${c.sizes.batch})`, { timeout: 30_000 }, () => checkCase(c));

  for (const c of EXTRA_CASES) it(c.label, () => checkCase(c));
});
