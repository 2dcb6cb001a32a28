// Helpers for the slot-type tests: every model of samples/*.kml compiled and lowered (with the lowering's
// value → slot map), and a step-by-step run on the cpu backend that keeps every slot's real tensor.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { lowerProgram } from "../../src/compiler/5-lower/lower.js";
import { BATCH, unknownInputAxis } from "../../src/compiler/6-optimize/op-shapes.js";
import { compile } from "../../src/compiler/index.js";
import type { Graph } from "../../src/ir/graph.js";
import { nodeHost } from "../../src/node-host.js";
import { loadModel } from "../../src/runtime/model.js";
import type { KernelContext } from "../../src/runtime/ops/op-def.js";
import { getOpDef } from "../../src/runtime/ops/registry.js";
import { defaultOps } from "../../src/runtime/ops/tf-ops.js";
import type { OpAttrs, OpName, Program, Slot } from "../../src/runtime/program.js";

const SAMPLES = join(import.meta.dirname, "../../samples");

/** One model of a sample, lowered. */
export interface SampleModel {
  /** "file.kml/model". */
  readonly label: string;
  readonly graph: Graph;
  readonly program: Program;
  readonly slotValues: ReadonlyMap<number, Slot>;
}

/** Every model of every samples/*.kml (the directory listed, so a new sample is covered too). */
export function sampleModels(): SampleModel[] {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith(".kml"));
  return files.flatMap((file) => {
    const path = join(SAMPLES, file);
    const compiled = compile(readFileSync(path, "utf8"), { fileName: path, host: nodeHost });
    expect(compiled.diagnostics, file).toEqual([]);
    const lowered = lowerProgram(compiled.ir!);
    expect(lowered.diagnostics, file).toEqual([]);
    return lowered.graphs.map((g, i) => ({
      label: `${file}/${g.name}`,
      graph: compiled.ir!.graphs[i]!,
      program: g.program!,
      slotValues: g.slotValues!,
    }));
  });
}

/** The run's sizes: batch 2, each symbolic dim and unknown input axis its own small size (3, 4, ...). */
export function runSizes(program: Program): Map<string, number> {
  const sizes = new Map<string, number>([[BATCH, 2]]);
  for (const input of program.inputs) {
    input.shape.forEach((dim, axis) => {
      const name =
        typeof dim === "string"
          ? dim
          : dim === null && axis > 0
            ? unknownInputAxis(input.name, axis)
            : undefined;
      if (name !== undefined && !sizes.has(name)) sizes.set(name, 2 + sizes.size);
    });
  }
  return sizes;
}

/** What a slot held in a run. */
export interface RealType {
  readonly shape: readonly number[];
  readonly dtype: string;
}

/**
 * Runs the program's steps one at a time on the cpu backend (as the executor does, each kernel in a tidy,
 * at inference) and returns every slot's real shape and dtype. Inputs are small non-negative values, so
 * int32 inputs are valid indices.
 */
export async function runEverySlot(
  program: Program,
  sizes: ReadonlyMap<string, number>,
): Promise<RealType[]> {
  const model = await loadModel(program, { backend: "cpu", seed: 1 });
  const table = new Map<Slot, tf.Tensor>();
  const context: KernelContext = { training: false, nextSeed: () => 1 };
  try {
    for (const input of program.inputs) {
      const shape = input.shape.map((dim, axis) =>
        typeof dim === "number"
          ? dim
          : sizes.get(dim ?? (axis === 0 ? BATCH : unknownInputAxis(input.name, axis)))!,
      );
      const count = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: count }, (_, i) => (i * 7) % 3);
      table.set(input.slot, tf.tensor(values, shape, input.dtype));
    }
    for (const step of program.steps) {
      const def = getOpDef(step.op)!;
      const inputs = step.inputs.map((slot) => table.get(slot)!);
      const weights = step.weights.map((name) => model.weights.get(name)!);
      const attrs = step.attrs as unknown as OpAttrs[OpName];
      const outputs = tf.tidy(() => def.run(inputs, attrs, weights, defaultOps, context));
      for (const [i, tensor] of outputs.entries()) table.set(step.outputs[i]!, tensor);
    }
    const real: RealType[] = [];
    for (const [slot, tensor] of table) real[slot] = { shape: tensor.shape, dtype: tensor.dtype };
    return real;
  } finally {
    for (const tensor of new Set(table.values())) tensor.dispose();
    model.dispose();
  }
}
