// The slot-type rules against every sample: (1) each slot the lowering bound to an IR value has the IR's
// type, and the outputs the IR's output types; (2) a step-by-step cpu run at batch 2 gives every slot
// exactly the shape and dtype the rules say.
import { describe, expect, it } from "vitest";
import { inferSizedSlotTypes, type SizedSlotType } from "../../src/compiler/6-optimize/op-shapes.js";
import { evaluateSize } from "../../src/compiler/6-optimize/shapes/size.js";
import type { TensorType } from "../../src/ir/graph.js";
import { runEverySlot, runSizes, sampleModels } from "./op-shapes-helpers.js";

const MODELS = sampleModels();

/**
 * Models whose cpu run takes minutes (TimeDistributed(Conv2D) over ten 299×299 images, four ConvLSTM2D
 * layers on 40×40 images): run with KERASC_SLOW_TESTS=1. Their bound-slot checks always run.
 */
const SLOW = new Set([
  "wrappers_time_distributed.kml/time_distributed_conv",
  "rnn_conv_lstm.kml/conv_lstm_movies",
]);
const runSlow = process.env.KERASC_SLOW_TESTS === "1";

/**
 * Where a slot's type differs from the IR's: the dtype, the rank, or an axis. An axis agrees when equal,
 * or when the IR does not know it (null) and the rule does (the run test checks that size).
 */
function disagreement(rule: SizedSlotType, ir: TensorType): string | undefined {
  const irDType = ir.dtype === "int32" ? "int32" : "float32";
  if (rule.dtype !== irDType) return `dtype ${rule.dtype}, IR ${ir.dtype}`;
  if (rule.shape.length !== ir.shape.length)
    return `shape ${JSON.stringify(rule.shape)}, IR ${JSON.stringify(ir.shape)}`;
  const axis = ir.shape.findIndex((dim, i) => dim !== null && dim !== rule.shape[i]);
  return axis < 0
    ? undefined
    : `shape ${JSON.stringify(rule.shape)}, IR ${JSON.stringify(ir.shape)} (axis ${axis})`;
}

describe("slot types of the samples", () => {
  it("covers every sample", () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(MODELS.map((m) => [m.label, m] as const))(
    "%s: bound slots have the IR's types",
    (_label, model) => {
      const types = inferSizedSlotTypes(model.program);
      const problems: string[] = [];
      for (const value of model.graph.values) {
        const slot = model.slotValues.get(value.id);
        if (slot === undefined || !value.type) continue;
        const problem = disagreement(types[slot]!, value.type);
        if (problem) problems.push(`${value.name} (slot ${slot}): ${problem}`);
      }
      expect(problems).toEqual([]);
      // The program's outputs are the graph's, in order.
      const outputs = model.program.outputs.map((o) => types[o.slot]!);
      const irOutputs = model.graph.outputs.map((id) => model.graph.values.find((v) => v.id === id)!.type!);
      expect(outputs.map((t, i) => disagreement(t, irOutputs[i]!))).toEqual(irOutputs.map(() => undefined));
    },
  );

  it.each(MODELS.map((m) => [m.label, m] as const))(
    "%s: a cpu run agrees with every slot",
    async (label, model) => {
      if (SLOW.has(label) && !runSlow) return;
      const sizes = runSizes(model.program);
      const types = inferSizedSlotTypes(model.program);
      const real = await runEverySlot(model.program, sizes);
      const problems: string[] = [];
      let checkedSlots = 0;
      for (const [slot, tensor] of real.entries()) {
        if (!tensor) continue;
        const type = types[slot];
        if (!type) {
          problems.push(`slot ${slot} has no type`);
          continue;
        }
        checkedSlots++;
        const expected = type.sizes.map((size) => evaluateSize(size, sizes) ?? "unknown");
        if (type.dtype !== tensor.dtype || JSON.stringify(expected) !== JSON.stringify(tensor.shape))
          problems.push(
            `slot ${slot}: rule ${type.dtype} ${JSON.stringify(expected)}, run ${tensor.dtype} ${JSON.stringify(tensor.shape)}`,
          );
      }
      expect(problems).toEqual([]);
      expect(checkedSlots).toBe(types.filter(Boolean).length);
    },
    // The slow models, when run, take minutes on a shared machine.
    600_000,
  );
});
