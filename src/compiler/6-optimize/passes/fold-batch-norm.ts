// Pass fold-batch-norm: an inference BatchNormalization on the output channels of a linear product is
// folded into that product's kernel and bias by a load-time prologue transform (foldBatchNorm):
//   BN(conv(x, K) + b) = conv(x, K·f) + (b − μ)·f + β,  f = γ / √(σ² + ε) per output channel
// for conv (any rank), depthwiseConv, convTranspose and matMul whose activation is linear (a non-linear
// fused activation sits between the product and BN: nothing to fold) and whose output only BN reads.
// A product without bias gains the folded one (each of these ops takes an optional bias). SeparableConv
// lowers to depthwiseConv then a 1×1 conv, so BN after it folds into that conv.
// BN must normalise the channels axis, the last axis of the product's output. One transpose between them
// is looked through (channels_first: conv, transpose to channels-first, BN on axis 1):
//   BN_a(transpose_p(y)) = transpose_p(BN_last(y))  when p[a] is y's last axis,
// so BN folds into the product and the transpose stays. Any other axis (BN over the steps of a Conv1D,
// over the rows of a Dense on 3D input) scales per position, not per kernel column: never folded.
import type { DerivedWeight, WeightTransform } from "../../../runtime/plan.js";
import type { Slot, Step } from "../../../runtime/program.js";
import {
  consumers,
  describe,
  type OpProgram,
  outputSlots,
  producers,
  readCount,
  replaceUses,
  withoutSteps,
} from "../op-program.js";
import type { Pass } from "../pass.js";

/** Where a kernel's output channels are: their count and foldBatchNorm's stride (prologue.ts). */
interface ChannelLayout {
  readonly channels: number;
  readonly stride: number;
}

/** The products BN folds into, by op, and the channel layout of their kernel. */
const FOLDABLE: Readonly<Record<string, (kernel: readonly number[]) => ChannelLayout>> = {
  // (…, in, out)
  conv: (kernel) => ({ channels: kernel.at(-1)!, stride: 1 }),
  // (in, out)
  matMul: (kernel) => ({ channels: kernel.at(-1)!, stride: 1 }),
  // (…, in, multiplier): output channel i·multiplier + m, the two last axes merged
  depthwiseConv: (kernel) => ({ channels: kernel.at(-2)! * kernel.at(-1)!, stride: 1 }),
  // (…, out, in)
  convTranspose: (kernel) => ({ channels: kernel.at(-2)!, stride: kernel.at(-1)! }),
};

/** Suffix of the weights a fold derives. */
const SUFFIX = "@bn-folded";

/** A BN step and the product it folds into. */
interface Fold {
  readonly product: number;
  readonly layout: ChannelLayout;
}

export const foldBatchNorm: Pass = {
  name: "fold-batch-norm",
  description: "folds inference BatchNormalization into the kernel and bias of the product before it",
  run(program, context) {
    const writers = producers(program);
    const reads = consumers(program);
    const kept = outputSlots(program);
    const types = context.types(program);
    const shapes = new Map<string, readonly number[]>(program.weights.map((w) => [w.name, w.shape]));
    for (const transform of program.prologue) for (const w of transform.outputs) shapes.set(w.name, w.shape);
    const taken = new Set(shapes.keys());

    /** The step writing `slot` when one step (and no model output) reads it, else undefined. */
    const soleWriter = (slot: Slot): number | undefined => {
      const index = writers.get(slot);
      if (index === undefined || readCount(slot, reads, kept) !== 1) return undefined;
      return program.steps[index]!.outputs.length === 1 ? index : undefined;
    };

    /** The product BN folds into, looking through one transpose that moves the product's channels. */
    const foldOf = (bn: Step): Fold | undefined => {
      const attrs = bn.attrs as { axis: number; center: boolean; scale: boolean };
      if (bn.inputs.length !== 1 || bn.outputs.length !== 1) return undefined;
      if (bn.weights.length !== 2 + Number(attrs.center) + Number(attrs.scale)) return undefined;
      const rank = types[bn.inputs[0]!]?.shape.length;
      let source = soleWriter(bn.inputs[0]!);
      if (rank === undefined || source === undefined) return undefined;
      let channelAxis = attrs.axis;
      const between = program.steps[source]!;
      if (between.op === "transpose" && between.inputs.length === 1) {
        channelAxis = (between.attrs.perm as readonly number[])[channelAxis]!;
        source = soleWriter(between.inputs[0]!);
        if (source === undefined) return undefined;
      }
      if (channelAxis !== rank - 1) return undefined;
      const product = program.steps[source]!;
      const layoutOf = Object.hasOwn(FOLDABLE, product.op) ? FOLDABLE[product.op] : undefined;
      if (!layoutOf || product.attrs.activation !== "linear") return undefined;
      const kernel = shapes.get(product.weights[0]!);
      if (!kernel || product.weights.length > 2) return undefined;
      const layout = layoutOf(kernel);
      // BN's statistics are per channel of the product: anything else is not this fold.
      const statistics = shapes.get(bn.weights.at(-1)!);
      if (statistics?.length !== 1 || statistics[0] !== layout.channels) return undefined;
      return { product: source, layout };
    };

    /** `base` + SUFFIX, numbered when another weight has that name already. */
    const derivedName = (base: string): string => {
      let name = `${base}${SUFFIX}`;
      for (let n = 2; taken.has(name); n++) name = `${base}${SUFFIX}-${n}`;
      taken.add(name);
      return name;
    };

    const steps = [...program.steps];
    const prologue: WeightTransform[] = [...program.prologue];
    const removed = new Set<number>();
    const replacements = new Map<Slot, Slot>();
    const changes: string[] = [];
    program.steps.forEach((bn, index) => {
      if (bn.op !== "batchNorm") return;
      const fold = foldOf(bn);
      if (!fold) return;
      const product = steps[fold.product]!;
      const [kernel, bias] = product.weights as [string, string | undefined];
      const owner = product.layer ?? kernel.slice(0, Math.max(kernel.lastIndexOf("/"), 0));
      const outputs: DerivedWeight[] = [
        { name: derivedName(kernel), shape: shapes.get(kernel)!, dtype: "float32" },
        { name: derivedName(bias ?? `${owner}/bias`), shape: [fold.layout.channels], dtype: "float32" },
      ];
      const { epsilon, center, scale } = bn.attrs;
      prologue.push({
        op: "foldBatchNorm",
        inputs: [kernel, ...(bias === undefined ? [] : [bias]), ...bn.weights],
        outputs,
        attrs: {
          ...fold.layout,
          epsilon: epsilon!,
          hasBias: bias !== undefined,
          center: center!,
          scale: scale!,
        },
      });
      steps[fold.product] = { ...product, weights: outputs.map((w) => w.name) };
      removed.add(index);
      replacements.set(bn.outputs[0]!, bn.inputs[0]!);
      changes.push(`folded ${describe(bn)} into ${describe(product)}`);
    });
    const folded: OpProgram = { ...program, steps, prologue };
    return { program: replaceUses(withoutSteps(folded, removed), replacements), changes };
  },
};
