// The whole pass pipeline on every model of every sample: the verifier after each pass, and after every
// pass that changed the program its outputs equal the unoptimized program's within 1e-5 (cpu; the two
// samples with large fixed inputs run on wasm at batch 1, where a predict takes a second, not a minute).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromProgram, type OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { optimize, PASSES } from "../../src/compiler/6-optimize/pipeline.js";
import { lowerSource } from "../runtime/executor-helpers.js";
import { expectCloseOutputs, outputsOf, type RunSettings, sampleModels } from "./pass-harness.js";

/** The benchmark's models (conv + BatchNormalization + relu blocks, residual Adds, LSTM, autoencoder). */
function benchModels() {
  const dir = join(import.meta.dirname, "../../bench/models");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".kml"))
    .map((file) => ({
      name: `bench/${file}`,
      lowered: lowerSource(readFileSync(join(dir, file), "utf8"), join(dir, file))[0]!,
    }));
}

const HEAVY = new Set(["wrappers_time_distributed/time_distributed_conv", "rnn_conv_lstm/conv_lstm_movies"]);

describe("the optimization pipeline on every sample and benchmark model", () => {
  const models = [...sampleModels(), ...benchModels()];

  it("covers every sample file", () => {
    expect(new Set(models.map((m) => m.name.split("/")[0])).size).toBeGreaterThanOrEqual(24);
  });

  for (const { name, lowered } of models) {
    it(`${name}: verified after each pass; each change keeps the outputs`, { timeout: 120_000 }, async () => {
      const settings: RunSettings = HEAVY.has(name) ? { backend: "wasm", batch: 1 } : { backend: "cpu" };
      const start = fromProgram(lowered.program);
      const stages: { pass: string; program: OpProgram }[] = [];
      const { records } = optimize(start, {
        verify: true,
        afterPass: (pass, program) => {
          stages.push({ pass: pass.name, program });
        },
      });
      expect(records.map((r) => r.pass)).toEqual(PASSES.map((p) => p.name));
      const expected = await outputsOf(start, settings);
      for (const [i, record] of records.entries()) {
        if (record.changes.length === 0) continue;
        expectCloseOutputs(expected, await outputsOf(stages[i]!.program, settings));
      }
    });
  }
});
