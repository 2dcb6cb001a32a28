// Output types of the ops that move data (ops/shape.ts, pad-crop.ts, sequence.ts, dropout.ts, noise.ts):
// sizes rearranged, repeated, padded or cut; the dtype kept unless the kernel converts it.
import {
  axisIndex,
  input,
  like,
  type OpShapeRules,
  type SizedSlotType,
  type SlotType,
  sized,
  sizesOfInput,
  weight,
} from "./rule.js";
import { add, divide, knownSize, multiply, product, type Size, UNKNOWN, unifySizes } from "./size.js";

/**
 * The sizes a reshape to `target` gives: 0 copies `copied`'s size at that index, -1 is the input's
 * element count over the other sizes' (exact when the names cancel, as the folded batch of Flatten).
 */
export function reshapedSizes(
  x: readonly Size[],
  target: readonly number[],
  copied: readonly Size[],
): Size[] {
  const sizes = target.map((size, i) => {
    if (size !== 0) return size === -1 ? UNKNOWN : knownSize(size);
    const copy = copied[i];
    if (!copy) throw new Error(`reshape copies axis ${i}, which the input does not have`);
    return copy;
  });
  const inferred = target.indexOf(-1);
  if (inferred >= 0) sizes[inferred] = divide(product(x), product(sizes.filter((_, i) => i !== inferred)));
  return sizes;
}

/** A size grown by `delta` (padding) or shrunk (negative: cropping). */
const grown = (size: Size, delta: number): Size => add(size, knownSize(delta));

/** Each axis's size times a factor (tile, upsample). */
const scaledSizes = (x: readonly Size[], factors: readonly number[]): Size[] =>
  x.map((size, i) => multiply(size, knownSize(factors[i] ?? 1)));

/** The input type itself: identity, and the training-only ops (the identity at inference, x's shape in training). */
const same = (inputs: readonly SlotType[]) => [like(input(inputs))];

/** tfjs's concat: sizes summed on `axis`, equal elsewhere; the first input's dtype. */
function concatenated(inputs: readonly SlotType[], axis: number): SizedSlotType {
  const all = inputs.map((_, i) => sizesOfInput(inputs, i));
  const first = all[0]!;
  const at = axisIndex(axis, first.length);
  if (all.some((s) => s.length !== first.length)) throw new Error("concat joins inputs of one rank");
  const sizes = first.map((_, i) => all.map((s) => s[i]!).reduce(i === at ? add : unifySizes));
  return sized(sizes, input(inputs).dtype);
}

/** The data-movement ops' rules. */
export const dataRules: Pick<
  OpShapeRules,
  | "reshape"
  | "reshapeLike"
  | "expandDims"
  | "transpose"
  | "tile"
  | "concat"
  | "cast"
  | "identity"
  | "dropout"
  | "gaussianNoise"
  | "gaussianDropout"
  | "alphaDropout"
  | "pad"
  | "crop"
  | "upsample"
  | "resizeBilinear"
  | "reverse"
  | "gather"
  | "notEqualMask"
> = {
  reshape: (inputs, attrs) => {
    const x = sizesOfInput(inputs);
    return [sized(reshapedSizes(x, attrs.shape, x), input(inputs).dtype)];
  },
  // 0 copies the second input's size: only its shape is read.
  reshapeLike: (inputs, attrs) => [
    sized(reshapedSizes(sizesOfInput(inputs), attrs.shape, sizesOfInput(inputs, 1)), input(inputs).dtype),
  ],
  expandDims: (inputs, attrs) => {
    const x = sizesOfInput(inputs);
    // tf.expandDims counts a negative axis from the end of the output.
    const at = attrs.axis < 0 ? x.length + 1 + attrs.axis : attrs.axis;
    if (at < 0 || at > x.length) throw new Error(`axis ${attrs.axis} is out of range for rank ${x.length}`);
    return [sized([...x.slice(0, at), knownSize(1), ...x.slice(at)], input(inputs).dtype)];
  },
  transpose: (inputs, attrs) => {
    const x = sizesOfInput(inputs, 0, attrs.perm.length);
    return [
      sized(
        attrs.perm.map((axis) => x[axisIndex(axis, x.length)]!),
        input(inputs).dtype,
      ),
    ];
  },
  tile: (inputs, attrs) => [
    sized(scaledSizes(sizesOfInput(inputs, 0, attrs.reps.length), attrs.reps), input(inputs).dtype),
  ],
  concat: (inputs, attrs) => [concatenated(inputs, attrs.axis)],
  cast: (inputs, attrs) => [like(input(inputs), attrs.dtype)],
  identity: same,
  dropout: same,
  gaussianNoise: same,
  gaussianDropout: same,
  alphaDropout: same,
  pad: (inputs, attrs) => {
    const x = sizesOfInput(inputs, 0, attrs.paddings.length);
    return [
      sized(
        x.map((size, i) => grown(size, attrs.paddings[i]![0] + attrs.paddings[i]![1])),
        input(inputs).dtype,
      ),
    ];
  },
  crop: (inputs, attrs) => {
    const x = sizesOfInput(inputs, 0, attrs.cropping.length);
    return [
      sized(
        x.map((size, i) => grown(size, -attrs.cropping[i]![0] - attrs.cropping[i]![1])),
        input(inputs).dtype,
      ),
    ];
  },
  upsample: (inputs, attrs) => [
    sized(scaledSizes(sizesOfInput(inputs, 0, attrs.factors.length), attrs.factors), input(inputs).dtype),
  ],
  // tf.image.resizeBilinear returns float32 whatever it reads.
  resizeBilinear: (inputs, attrs) => {
    const x = sizesOfInput(inputs);
    return [sized(scaledSizes(x, [1, ...attrs.factors]), "float32")];
  },
  reverse: same,
  // The embeddings' rows (float32) at each index: the indices' shape plus the row length.
  gather: (inputs, _attrs, weights) => {
    const [, rowLength] = weight(weights);
    if (rowLength === undefined) throw new Error("gather's embeddings must be (rows, row length)");
    return [sized([...sizesOfInput(inputs), knownSize(rowLength)], "float32")];
  },
  notEqualMask: (inputs, attrs) => {
    const x = sizesOfInput(inputs);
    return [sized(attrs.anyLast ? x.slice(0, -1) : x, "float32")];
  },
};
