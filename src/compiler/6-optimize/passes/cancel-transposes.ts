// Pass cancel-transposes: channels_first layers lower to transpose(to channels-last) → op → transpose(back)
// each; this pass moves those transposes down the graph until they meet their inverses, so a chain of
// channels_first layers runs channels-last between one transpose at its start and (at most) one at its end.
//   Transpose(q, Transpose(p, x)) = Transpose(p∘q, x), and = x when p∘q is the identity (every reader)
//   F(Transpose(p, x)) = Transpose(p, F'(x))           F layout-agnostic, its axes remapped through p:
//                                                       activation (softmax's axis), relu, scale, cast,
//                                                       dropout and the noise ops, batchNorm, layerNorm
//                                                       (one axis), pad, crop, upsample, tile, reverse
//   Reduce(A, Transpose(p, x)) = Transpose(q, Reduce(p[A], x))   q the kept axes' order (often the identity)
//   G(Transpose(p, a), Transpose(p, b), …) = Transpose(p, G'(a, b, …))   G elementwise or concat, all its
//                                                       inputs transposed by the same p
// A transpose moves only when its result has no other reader and is no model output, and only down a chain
// that ends where it cancels (meets a transpose, vanishes into a reduce, or merges with the other inputs'
// transposes), so the number of transposes never grows and a transpose with nowhere to go stays put.
import type { OpAttrs, PlanValue, Slot, Step } from "../../../runtime/program.js";
import { describe, nextFreeSlot, type OpProgram } from "../op-program.js";
import type { Pass } from "../pass.js";
import {
  composePermutations,
  isIdentityPermutation,
  listOnInputAxes,
  samePermutation,
} from "../permutation.js";

type Attrs = Readonly<Record<string, PlanValue>>;

const attrsOf = <K extends keyof OpAttrs>(step: Step, _op: K): OpAttrs[K] =>
  step.attrs as unknown as OpAttrs[K];
const permOf = (step: Step): readonly number[] => attrsOf(step, "transpose").perm;

/** Ops with several inputs that commute with one transpose of all of them (broadcasting included). */
const MERGING_OPS = new Set(["add", "sub", "mul", "maximum", "minimum", "addN", "concat"]);

/** Elementwise ops whose attributes name no axis. */
const ELEMENTWISE_OPS = new Set(["relu", "scale", "cast", "identity", "gaussianNoise", "gaussianDropout"]);

/**
 * How a one-input step `op(transpose(x, perm))` runs on x instead: its attributes on x's axes and the
 * permutation its result still needs (the same perm, or the kept axes' order after a reduce); undefined
 * when the op depends on the layout or the rewrite would cost more (softmax moved off the last axis).
 */
function sunkThrough(step: Step, perm: readonly number[]): { attrs: Attrs; perm: number[] } | undefined {
  if (step.inputs.length !== 1 || step.outputs.length !== 1) return undefined;
  const rank = perm.length;
  const same = (attrs: Attrs) => ({ attrs, perm: [...perm] });
  const onInput = (axis: number) => perm[axis < 0 ? rank + axis : axis];
  if (ELEMENTWISE_OPS.has(step.op)) return same(step.attrs);
  switch (step.op) {
    case "activation": {
      const attrs = attrsOf(step, "activation");
      if (attrs.fn !== "softmax") return same(step.attrs);
      const axis = onInput(attrs.axis ?? -1)!;
      const wasLast = (attrs.axis ?? -1) === -1 || attrs.axis === rank - 1;
      // The kernel runs softmax off the last axis between two transposes of its own.
      if (wasLast && axis !== rank - 1) return undefined;
      return same({ ...step.attrs, axis: axis === rank - 1 ? -1 : axis });
    }
    case "dropout":
    case "alphaDropout": {
      const noise = attrsOf(step, "dropout").noiseShape;
      return same({ ...step.attrs, noiseShape: noise === null ? null : listOnInputAxes(noise, perm) });
    }
    case "batchNorm": {
      const axis = onInput(attrsOf(step, "batchNorm").axis)!;
      return axis >= 1 ? same({ ...step.attrs, axis }) : undefined;
    }
    case "layerNorm": {
      // Its weights have the normalized axes' sizes in order: one axis keeps them valid.
      const axes = attrsOf(step, "layerNorm").axes;
      if (axes.length !== 1) return undefined;
      const axis = onInput(axes[0]!)!;
      return axis >= 1 ? same({ ...step.attrs, axes: [axis] }) : undefined;
    }
    case "pad":
      return same({ ...step.attrs, paddings: listOnInputAxes(attrsOf(step, "pad").paddings, perm) });
    case "crop":
      return same({ ...step.attrs, cropping: listOnInputAxes(attrsOf(step, "crop").cropping, perm) });
    case "upsample":
      return same({ ...step.attrs, factors: listOnInputAxes(attrsOf(step, "upsample").factors, perm) });
    case "tile":
      return same({ ...step.attrs, reps: listOnInputAxes(attrsOf(step, "tile").reps, perm) });
    case "reverse":
      return same({ ...step.attrs, axis: onInput(attrsOf(step, "reverse").axis)! });
    case "reduce": {
      const removed = attrsOf(step, "reduce").axes.map((axis) => perm[axis]!);
      // The kept axes: in the result of reduce(x) they come in x's order; the original result wants them in
      // the transposed order.
      const kept = [...perm.keys()].filter((axis) => !removed.includes(axis));
      const order = perm.filter((axis) => !removed.includes(axis)).map((axis) => kept.indexOf(axis));
      return { attrs: { ...step.attrs, axes: [...removed].sort((a, b) => a - b) }, perm: order };
    }
    default:
      return undefined;
  }
}

/** The program as steps that can be replaced in place, with producers and readers kept current. */
class EditableProgram {
  private readonly cells: Step[][];
  private readonly cellOf = new Map<Step, number>();
  private readonly producers = new Map<Slot, Step>();
  private readonly readers = new Map<Slot, Step[]>();
  private readonly outputs: { readonly name: string; slot: Slot }[];
  private next: Slot;

  constructor(private readonly program: OpProgram) {
    this.cells = program.steps.map((step, index) => {
      this.add(step, index);
      return [step];
    });
    this.outputs = program.outputs.map((o) => ({ ...o }));
    this.next = nextFreeSlot(program);
  }

  private add(step: Step, cell: number): void {
    this.cellOf.set(step, cell);
    for (const slot of step.outputs) this.producers.set(slot, step);
    for (const slot of step.inputs) {
      const list = this.readers.get(slot);
      if (list) list.push(step);
      else this.readers.set(slot, [step]);
    }
  }

  private drop(step: Step): number {
    const cell = this.cellOf.get(step)!;
    this.cellOf.delete(step);
    for (const slot of step.outputs) if (this.producers.get(slot) === step) this.producers.delete(slot);
    for (const slot of step.inputs) {
      const list = this.readers.get(slot)!;
      this.readers.set(
        slot,
        list.filter((reader) => reader !== step),
      );
    }
    return cell;
  }

  has(step: Step): boolean {
    return this.cellOf.has(step);
  }

  producer(slot: Slot): Step | undefined {
    return this.producers.get(slot);
  }

  /** The distinct steps reading `slot`. */
  readersOf(slot: Slot): Step[] {
    return [...new Set(this.readers.get(slot) ?? [])];
  }

  isOutput(slot: Slot): boolean {
    return this.outputs.some((o) => o.slot === slot);
  }

  /** Read by nothing but `step` (and not a model output). */
  readOnlyBy(slot: Slot, step: Step): boolean {
    const readers = this.readersOf(slot);
    return readers.length === 1 && readers[0] === step && !this.isOutput(slot);
  }

  freshSlot(): Slot {
    return this.next++;
  }

  /** `old` becomes `replacements`, run where it ran. */
  replace(old: Step, replacements: readonly Step[]): void {
    const cell = this.drop(old);
    const list = this.cells[cell]!;
    list.splice(list.indexOf(old), 1, ...replacements);
    for (const step of replacements) this.add(step, cell);
  }

  remove(step: Step): void {
    this.replace(step, []);
  }

  /** Every read of `from` (steps and model outputs) reads `to` instead. */
  redirect(from: Slot, to: Slot): void {
    for (const reader of this.readersOf(from))
      this.replace(reader, [{ ...reader, inputs: reader.inputs.map((s) => (s === from ? to : s)) }]);
    for (const output of this.outputs) if (output.slot === from) output.slot = to;
  }

  result(): OpProgram {
    return { ...this.program, steps: this.cells.flat(), outputs: this.outputs };
  }
}

export const cancelTransposes: Pass = {
  name: "cancel-transposes",
  description: "moves transposes through layout-agnostic ops until they cancel (channels_first chains)",
  run(program) {
    const edit = new EditableProgram(program);
    const changes: string[] = [];
    const work: Step[] = program.steps.filter((step) => step.op === "transpose");

    /** Whether `slot` is transpose(x, perm) seen through perm-keeping one-reader steps, read only by `reader`. */
    const transposedSource = (slot: Slot, perm: readonly number[], reader: Step): boolean => {
      const from = edit.producer(slot);
      if (!from || !edit.readOnlyBy(slot, reader)) return false;
      if (from.op === "transpose") return samePermutation(permOf(from), perm);
      const sunk = sunkThrough(from, perm);
      return (
        sunk !== undefined &&
        samePermutation(sunk.perm, perm) &&
        transposedSource(from.inputs[0]!, perm, from)
      );
    };

    /**
     * Whether transpose(perm) moved below `step` (its only reader) and on down the chain cancels: it reaches
     * a transpose, vanishes into a reduce, or joins the other inputs' transposes at an elementwise merge.
     */
    const leadsToCancel = (first: Step, firstPerm: readonly number[]): boolean => {
      let step = first;
      let perm = firstPerm;
      for (;;) {
        if (MERGING_OPS.has(step.op))
          return new Set(step.inputs).size > 1 && step.inputs.every((s) => transposedSource(s, perm, step));
        const sunk = sunkThrough(step, perm);
        if (!sunk) return false;
        if (isIdentityPermutation(sunk.perm)) return true;
        const out = step.outputs[0]!;
        const readers = edit.readersOf(out);
        if (edit.isOutput(out) || readers.length === 0) return false;
        if (readers.every((r) => r.op === "transpose")) return true;
        if (readers.length !== 1) return false;
        step = readers[0]!;
        perm = sunk.perm;
      }
    };

    const transposeStep = (from: Step, input: Slot, perm: readonly number[], output: Slot): Step => ({
      op: "transpose",
      inputs: [input],
      outputs: [output],
      attrs: { perm: [...perm] },
      weights: [],
      frees: [],
      ...(from.layer === undefined ? {} : { layer: from.layer }),
    });

    /** Re-examine the transposes around `slot` after its readers changed. */
    const revisit = (slot: Slot) => {
      const from = edit.producer(slot);
      if (from?.op === "transpose") work.push(from);
      for (const reader of edit.readersOf(slot)) if (reader.op === "transpose") work.push(reader);
    };

    /** Removes `step` when it permutes nothing or nobody reads it; true when it went. */
    const removeIfUseless = (step: Step): boolean => {
      const [input, output] = [step.inputs[0]!, step.outputs[0]!];
      if (isIdentityPermutation(permOf(step))) {
        edit.redirect(output, input);
        edit.remove(step);
      } else if (edit.readersOf(output).length === 0 && !edit.isOutput(output)) {
        edit.remove(step);
      } else return false;
      revisit(input);
      return true;
    };

    while (work.length > 0) {
      const transpose = work.shift()!;
      if (!edit.has(transpose)) continue;
      const perm = permOf(transpose);
      const [x, y] = [transpose.inputs[0]!, transpose.outputs[0]!];
      if (removeIfUseless(transpose)) continue;

      // Every transpose reading this one reads x through the composed permutation.
      const followers = edit.readersOf(y).filter((r) => r.op === "transpose");
      for (const follower of followers) {
        const composed = composePermutations(perm, permOf(follower));
        changes.push(
          isIdentityPermutation(composed)
            ? `cancelled ${describe(transpose)} against ${describe(follower)}`
            : `composed ${describe(transpose)} with ${describe(follower)}`,
        );
        const merged = { ...follower, inputs: [x], attrs: { perm: composed } };
        edit.replace(follower, [merged]);
        work.push(merged);
      }
      if (followers.length > 0) {
        if (!removeIfUseless(transpose)) work.push(transpose);
        revisit(x);
        continue;
      }

      const readers = edit.readersOf(y);
      if (readers.length !== 1 || edit.isOutput(y)) continue;
      const reader = readers[0]!;
      if (MERGING_OPS.has(reader.op)) {
        if (
          !reader.inputs.every(
            (s) => transposedSource(s, perm, reader) && edit.producer(s)!.op === "transpose",
          )
        )
          continue;
        // G(transpose(a), transpose(b), …) = transpose(G'(a, b, …)).
        const sources = [...new Set(reader.inputs.map((s) => edit.producer(s)!))];
        // One transpose read twice (add(t, t)) would only move: nothing cancels.
        if (sources.length < 2) continue;
        const inner = edit.freshSlot();
        const attrs = reader.op === "concat" ? { axis: perm[attrsOf(reader, "concat").axis]! } : reader.attrs;
        const moved = transposeStep(transpose, inner, perm, reader.outputs[0]!);
        edit.replace(reader, [
          {
            ...reader,
            inputs: reader.inputs.map((s) => edit.producer(s)!.inputs[0]!),
            outputs: [inner],
            attrs,
          },
          moved,
        ]);
        for (const source of sources) edit.remove(source);
        changes.push(
          `moved the transposes of ${describe(reader)}'s ${sources.length} inputs below it as one`,
        );
        work.push(moved);
        for (const source of sources) revisit(source.inputs[0]!);
        continue;
      }

      const sunk = sunkThrough(reader, perm);
      if (!sunk || !leadsToCancel(reader, perm)) continue;
      // F(transpose(p, x)) = transpose(q, F'(x)), or F'(x) alone when q is the identity.
      const last = reader.outputs[0]!;
      const identity = isIdentityPermutation(sunk.perm);
      const inner = identity ? last : edit.freshSlot();
      const rewritten: Step = { ...reader, inputs: [x], outputs: [inner], attrs: sunk.attrs };
      const moved = identity ? [] : [transposeStep(transpose, inner, sunk.perm, last)];
      edit.replace(reader, [rewritten, ...moved]);
      edit.remove(transpose);
      changes.push(
        identity
          ? `removed ${describe(transpose)}: ${describe(reader)} reads its input instead`
          : `moved ${describe(transpose)} below ${describe(reader)}`,
      );
      work.push(...moved);
      revisit(x);
    }

    return { program: edit.result(), changes };
  },
};
