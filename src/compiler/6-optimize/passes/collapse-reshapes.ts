// Pass collapse-reshapes: chains of data-movement steps that only rename the layout become one step.
//   Reshape(Reshape(x)) = Reshape(x)          when the first result is read only by the second and the final
//                                             sizes are exact from the static types (Flatten → Reshape too;
//                                             expandDims counts as a reshape on either side)
//   Reshape(x) = x                            when the result's type is provably the input's
//   Transpose(q, Transpose(p, x)) = Transpose(p∘q, x), and = x when p∘q is the identity
// A sized target keeps its numbers, a size that is provably the input's at the same index becomes 0
// (copy), and at most one other size becomes -1; a chain needing more is left alone, as is a reshapeLike
// that is not the first of a chain (its sizes come from another input at run time).
import type { OpAttrs, ProgramDim, Slot, Step } from "../../../runtime/program.js";
import { describe, outputSlots } from "../op-program.js";
import type { Pass } from "../pass.js";
import { composePermutations, isIdentityPermutation } from "../permutation.js";

type SlotTypes = readonly ({ readonly shape: readonly ProgramDim[] } | undefined)[];

const attrsOf = <K extends keyof OpAttrs>(step: Step, _op: K): OpAttrs[K] =>
  step.attrs as unknown as OpAttrs[K];

/** The ops whose result is its input's elements in the same order: what a reshape may replace. */
const RESHAPING_OPS = new Set(["reshape", "reshapeLike", "expandDims"]);

/**
 * Whether a reshape's result provably has its input's sizes: the same rank and dims, every dim a number
 * (none 0) or a named symbol except at most one unknown (null) at the same axis on both sides — the element
 * count is unchanged, so that one agrees too.
 */
export function sameReshapeType(input: readonly ProgramDim[], output: readonly ProgramDim[]): boolean {
  if (input.length !== output.length) return false;
  let unknown = 0;
  for (let i = 0; i < input.length; i++) {
    const [a, b] = [input[i], output[i]];
    if (a === null && b === null) unknown++;
    else if (a !== b || a === 0) return false;
  }
  return unknown <= 1;
}

/** For each output axis of a reshaping step, the input axis it provably copies (same size), or undefined. */
function copiedAxis(step: Step, axis: number, inputRank: number): number | undefined {
  if (step.op === "reshape") return attrsOf(step, "reshape").shape[axis] === 0 ? axis : undefined;
  if (step.op === "expandDims") {
    const raw = attrsOf(step, "expandDims").axis;
    const at = raw < 0 ? inputRank + 1 + raw : raw;
    if (axis === at) return undefined;
    return axis < at ? axis : axis - 1;
  }
  return undefined;
}

/**
 * The target of one reshape of `x` equal to `second(first(x))`, or undefined when it cannot be exact:
 * each axis of the final result is its known size, 0 when it is x's size at the same index, or the one -1.
 */
function collapsedTarget(first: Step, second: Step, types: SlotTypes): number[] | undefined {
  const x = types[first.inputs[0]!]?.shape;
  const y = types[first.outputs[0]!]?.shape;
  const z = types[second.outputs[0]!]?.shape;
  if (!x || !y || !z) return undefined;
  let inferred = 0;
  const target = z.map((dim, j) => {
    if (typeof dim === "number") return dim;
    const k = copiedAxis(second, j, y.length);
    const m = k === undefined ? undefined : copiedAxis(first, k, x.length);
    if (m === j) return 0;
    inferred++;
    return -1;
  });
  // A known size 0 would read as "copy": leave such (empty) tensors alone.
  if (inferred > 1 || z.some((dim) => dim === 0)) return undefined;
  return target;
}

export const collapseReshapes: Pass = {
  name: "collapse-reshapes",
  description: "merges reshape and transpose chains, removes reshapes that change nothing",
  run(program, context) {
    // Computed once, when the first reshape needs them: every rewrite keeps the surviving slots' values.
    let known: SlotTypes | undefined;
    const types = () => (known ??= context.types(program));
    const steps: (Step | undefined)[] = [...program.steps];
    const producer = new Map<Slot, number>();
    const reads = new Map<Slot, number>();
    const addReads = (slot: Slot, n: number) => reads.set(slot, (reads.get(slot) ?? 0) + n);
    for (const step of program.steps) for (const slot of step.inputs) addReads(slot, 1);
    for (const slot of outputSlots(program)) addReads(slot, 1);
    const alias = new Map<Slot, Slot>();
    const resolve = (slot: Slot) => alias.get(slot) ?? slot;
    const changes: string[] = [];

    // The step's result is its input: later reads of the output read the input.
    const bypass = (index: number, step: Step) => {
      const [input, output] = [step.inputs[0]!, step.outputs[0]!];
      alias.set(output, input);
      addReads(input, (reads.get(output) ?? 0) - 1);
      reads.set(output, 0);
      steps[index] = undefined;
    };
    // The step read `from`'s producer's input instead of `from`; the producer goes when nobody reads it.
    const readThrough = (from: Slot, to: Slot) => {
      addReads(from, -1);
      addReads(to, 1);
      if ((reads.get(from) ?? 0) > 0) return;
      steps[producer.get(from)!] = undefined;
      addReads(to, -1);
    };

    for (let index = 0; index < steps.length; index++) {
      const original = steps[index]!;
      let step: Step = original.inputs.some((s) => alias.has(s))
        ? { ...original, inputs: original.inputs.map(resolve) }
        : original;
      steps[index] = step;
      for (const slot of step.outputs) producer.set(slot, index);
      const input = step.inputs[0]!;
      const before = producer.has(input) ? steps[producer.get(input)!] : undefined;

      if (step.op === "transpose") {
        let perm = attrsOf(step, "transpose").perm;
        if (before?.op === "transpose") {
          perm = composePermutations(attrsOf(before, "transpose").perm, perm);
          changes.push(`composed ${describe(before)} with ${describe(step)}`);
          step = { ...step, inputs: before.inputs, attrs: { perm } };
          steps[index] = step;
          readThrough(input, before.inputs[0]!);
        }
        if (isIdentityPermutation(perm)) {
          changes.push(`removed ${describe(step)}: it permutes nothing`);
          bypass(index, step);
        }
        continue;
      }

      if (step.op !== "reshape" && step.op !== "expandDims" && step.op !== "reshapeLike") continue;
      // A reshapeLike reads its sizes from a second input: only ever removed whole.
      if (step.op !== "reshapeLike" && before && RESHAPING_OPS.has(before.op) && reads.get(input) === 1) {
        const target = collapsedTarget(before, step, types());
        if (target) {
          changes.push(`collapsed ${describe(before)} and ${describe(step)} into one reshape`);
          step = {
            ...step,
            op: "reshape",
            inputs: [before.inputs[0]!],
            attrs: { shape: target },
          };
          steps[index] = step;
          steps[producer.get(input)!] = undefined;
          reads.set(input, 0);
          // before's read of its input is now this step's; a reshapeLike's second input loses a reader.
          for (const extra of before.inputs.slice(1)) addReads(extra, -1);
        }
      }
      const from = types()[step.inputs[0]!]?.shape;
      const to = types()[step.outputs[0]!]?.shape;
      if (step.op !== "expandDims" && from && to && sameReshapeType(from, to)) {
        changes.push(`removed ${describe(step)}: its result has its input's shape`);
        for (const extra of step.inputs.slice(1)) addReads(extra, -1);
        bypass(index, step);
      }
    }

    return {
      program: {
        ...program,
        steps: steps.filter((step): step is Step => step !== undefined),
        outputs: program.outputs.map((o) => (alias.has(o.slot) ? { ...o, slot: resolve(o.slot) } : o)),
      },
      changes,
    };
  },
};
