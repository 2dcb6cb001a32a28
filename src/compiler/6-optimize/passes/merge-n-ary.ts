// Pass merge-n-ary: many-operand merges as one op. A chain of binary adds over operands of one shape (what
// Add()([a, b, c, ...]) lowers to, or adds feeding adds) becomes one addN, and a concat feeding only another
// concat on the same axis is spliced into it — one kernel and no intermediate sums or joins.
import type { SlotType } from "../../../runtime/plan.js";
import type { Slot, Step } from "../../../runtime/program.js";
import { consumers, describe, outputSlots, producers, readCount, withoutSteps } from "../op-program.js";
import type { Pass } from "../pass.js";

/** Same shape and dtype, every size known but the batch (null on axis 0 is the batch for every slot). */
function sameShape(types: readonly (SlotType | undefined)[], slots: readonly Slot[]): boolean {
  const first = types[slots[0]!];
  if (!first) return false;
  const known = first.shape.every((d, axis) => typeof d === "number" || (axis === 0 && d === null));
  return (
    known &&
    slots.every((slot) => {
      const type = types[slot];
      return (
        type !== undefined &&
        type.dtype === first.dtype &&
        type.shape.length === first.shape.length &&
        type.shape.every((d, axis) => d === first.shape[axis])
      );
    })
  );
}

const isSum = (step: Step | undefined) => step?.op === "add" || step?.op === "addN";
const isConcatOn = (step: Step | undefined, axis: unknown) =>
  step?.op === "concat" && step.attrs.axis === axis;

export const mergeNAry: Pass = {
  name: "merge-n-ary",
  description: "turns chains of adds into one addN and nested concats on one axis into one concat",
  run(program, context) {
    const types = context.types(program);
    const written = producers(program);
    const reads = consumers(program);
    const kept = outputSlots(program);
    const steps = [...program.steps];
    const absorbed = new Set<number>();
    const changes: string[] = [];
    // An operand produced by a step of the same kind that only this step reads: its operands are spliced in.
    const expand = (slot: Slot, accepts: (step: Step | undefined) => boolean): Slot[] => {
      const index = written.get(slot);
      const step = index === undefined ? undefined : steps[index];
      if (index === undefined || !accepts(step) || readCount(slot, reads, kept) !== 1) return [slot];
      absorbed.add(index);
      return step!.inputs.flatMap((operand) => expand(operand, accepts));
    };
    // Last to first: the outermost merge of a chain absorbs the inner ones before they are visited.
    for (let index = steps.length - 1; index >= 0; index--) {
      const step = steps[index]!;
      if (absorbed.has(index)) continue;
      if (isSum(step) && sameShape(types, [...step.inputs, step.outputs[0]!])) {
        const before = absorbed.size;
        const operands = step.inputs.flatMap((slot) =>
          expand(slot, (s) => isSum(s) && sameShape(types, [...s!.inputs, s!.outputs[0]!])),
        );
        if (absorbed.size === before) continue;
        steps[index] = { ...step, op: "addN", inputs: operands, attrs: {} };
        changes.push(`${describe(step)}: ${operands.length} operands summed by one addN`);
      } else if (step.op === "concat") {
        const before = absorbed.size;
        const operands = step.inputs.flatMap((slot) => expand(slot, (s) => isConcatOn(s, step.attrs.axis)));
        if (absorbed.size === before) continue;
        steps[index] = { ...step, inputs: operands };
        changes.push(`${describe(step)}: ${operands.length} operands joined by one concat`);
      }
    }
    return { program: withoutSteps({ ...program, steps }, absorbed), changes };
  },
};
