// Pass fuse-activations: a product with a linear activation whose output only an activation step reads
// takes that activation into its own attributes, and the activation step goes:
//   fn(product(x; activation = linear)) = product(x; activation = fn)
// for matMul, conv, depthwiseConv and convTranspose (tf.fused kernels for matMul and 1–2 spatial axes of
// conv/depthwiseConv; the same activation applied after the product for 3D conv and convTranspose, so the
// identity holds for every rank each op runs). The readers fused are
// - `activation` with fn relu, relu6, sigmoid, leakyRelu (any alpha, kept explicit) or elu (an alpha ≠ 1
//   kept: tf.fused's elu has none, so the product scales elu's negative part after its fused kernel);
// - `relu` (Keras K.relu) when it is one of those: alpha 0, no cap, threshold 0 is relu; a cap of 6 is
//   relu6; alpha > 0 without cap or threshold is x < 0 ? alpha·x : x, leakyRelu with that alpha;
// - `prelu` (PReLU) into matMul, conv and depthwiseConv, as their prelu activation with alpha as a last
//   weight, when alpha is one per channel (its other axes shared, size 1) or a single value: the fused
//   kernels read alpha as a row of channels repeated over the output (wasm's XNNPACK prelu_nc), which is
//   PReLU's broadcast only then. convTranspose has no prelu activation.
import type { ActivationFn, ProductActivation, Slot, Step } from "../../../runtime/program.js";
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

/** The ops with a fused `activation` (and `alpha`) attribute this pass fills in. */
const PRODUCTS = new Set(["matMul", "conv", "depthwiseConv", "convTranspose"]);

/** A fused activation as the product's attributes spell it (prelu: and the alpha weight it appends). */
interface Fused {
  readonly activation: ProductActivation;
  readonly alpha?: number;
  readonly weight?: string;
}

/** The products with a prelu activation. */
const PRELU_PRODUCTS = new Set(["matMul", "conv", "depthwiseConv"]);

/** What a reader rule may look at besides the reader: weight shapes, the channels of the reader's input. */
interface ReaderContext {
  weightShape(name: string): readonly number[] | undefined;
  inputChannels(): number | string | null | undefined;
}

/** Keras's LeakyReLU default slope, which the activation op applies when no alpha is given. */
const DEFAULT_LEAKY_ALPHA = 0.3;

/** For each reader op: the fused activation it computes, or undefined when it is none. */
const FUSIBLE_READERS: Readonly<Record<string, (step: Step, context: ReaderContext) => Fused | undefined>> = {
  activation({ attrs }) {
    const fn = attrs.fn as ActivationFn;
    const alpha = attrs.alpha as number | undefined;
    if (fn === "relu" || fn === "relu6" || fn === "sigmoid") return { activation: fn };
    if (fn === "elu")
      return (alpha ?? 1) === 1 ? { activation: "elu" } : { activation: "elu", alpha: alpha! };
    if (fn === "leakyRelu") return { activation: "leakyRelu", alpha: alpha ?? DEFAULT_LEAKY_ALPHA };
    return undefined;
  },
  relu({ attrs }) {
    const { alpha, maxValue, threshold } = attrs as {
      alpha: number;
      maxValue: number | null;
      threshold: number;
    };
    if (threshold !== 0) return undefined;
    if (alpha === 0 && maxValue === null) return { activation: "relu" };
    if (alpha === 0 && maxValue === 6) return { activation: "relu6" };
    if (alpha > 0 && maxValue === null) return { activation: "leakyRelu", alpha };
    return undefined;
  },
  prelu({ weights }, context) {
    const [weight] = weights;
    const shape = weight === undefined ? undefined : context.weightShape(weight);
    if (!shape || weights.length !== 1) return undefined;
    const size = shape.reduce((product, d) => product * d, 1);
    const perChannel = shape.every((d, i) => d === 1 || i === shape.length - 1);
    if (!perChannel || (size !== 1 && shape.at(-1) !== context.inputChannels())) return undefined;
    return { activation: "prelu", weight: weight! };
  },
};

/** The product's attributes with `fused` in place of its linear activation. */
function withActivation(attrs: Step["attrs"], fused: Fused): Step["attrs"] {
  const { alpha: _alpha, ...rest } = attrs;
  // The alpha weight goes with the step's weights, not its attributes.
  return {
    ...rest,
    activation: fused.activation,
    ...(fused.alpha === undefined ? {} : { alpha: fused.alpha }),
  };
}

export const fuseActivations: Pass = {
  name: "fuse-activations",
  description: "fuses an activation step into the matMul or convolution before it",
  run(program, context) {
    const writers = producers(program);
    const shapes = new Map<string, readonly number[]>(program.weights.map((w) => [w.name, w.shape]));
    for (const transform of program.prologue) for (const w of transform.outputs) shapes.set(w.name, w.shape);
    let types: ReturnType<typeof context.types> | undefined;
    const reads = consumers(program);
    const kept = outputSlots(program);
    const steps = [...program.steps];
    const fusedInto = new Set<number>();
    const removed = new Set<number>();
    const replacements = new Map<Slot, Slot>();
    const changes: string[] = [];
    program.steps.forEach((reader, index) => {
      const fusedOf = Object.hasOwn(FUSIBLE_READERS, reader.op) ? FUSIBLE_READERS[reader.op] : undefined;
      if (!fusedOf || reader.inputs.length !== 1 || reader.outputs.length !== 1) return;
      const slot = reader.inputs[0]!;
      const source = writers.get(slot);
      if (source === undefined || fusedInto.has(source) || readCount(slot, reads, kept) !== 1) return;
      const product = steps[source]!;
      if (!PRODUCTS.has(product.op) || product.outputs.length !== 1) return;
      if (product.attrs.activation !== "linear") return;
      const fused = fusedOf(reader, {
        weightShape: (name) => shapes.get(name),
        inputChannels() {
          types ??= context.types(program);
          return types[slot]?.shape.at(-1);
        },
      });
      if (!fused || (fused.activation === "prelu" && !PRELU_PRODUCTS.has(product.op))) return;
      const weights = fused.weight === undefined ? product.weights : [...product.weights, fused.weight];
      steps[source] = { ...product, attrs: withActivation(product.attrs, fused), weights };
      fusedInto.add(source);
      removed.add(index);
      replacements.set(reader.outputs[0]!, slot);
      changes.push(`fused ${describe(reader)} into ${describe(product)} as ${fused.activation}`);
    });
    const fused: OpProgram = { ...program, steps };
    return { program: replaceUses(withoutSteps(fused, removed), replacements), changes };
  },
};
