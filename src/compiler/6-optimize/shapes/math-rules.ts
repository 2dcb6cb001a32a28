// Output types of the arithmetic ops (matmul.ts, activation.ts, elementwise.ts, relu.ts, normalization.ts,
// pool.ts's reduce, dot.ts). Dtypes as tfjs computes them: int32 survives only what keeps integers
// (relu, max, +, ...); a JS number operand or a float weight makes float32.
import type { ActivationFn } from "../../../runtime/program.js";
import {
  axisIndex,
  input,
  like,
  type OpShapeRules,
  type SizedSlotType,
  type SlotType,
  sized,
  sizesOf,
  sizesOfInput,
  upcast,
  weight,
} from "./rule.js";
import { broadcastSize, knownSize, type Size, unifySizes } from "./size.js";

/** NumPy broadcasting of two shapes, right-aligned (a missing leading axis acts as 1). */
export function broadcastSizes(a: readonly Size[], b: readonly Size[]): Size[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[i - (rank - a.length)] ?? knownSize(1);
    const y = b[i - (rank - b.length)] ?? knownSize(1);
    return broadcastSize(x, y);
  });
}

/** Activations tfjs computes on int32 without converting it (measured on the cpu backend). */
const INT_KEEPING: ReadonlySet<ActivationFn> = new Set(["linear", "relu", "relu6", "selu", "softplus"]);

/** a ∘ b with broadcasting and tfjs's upcast. */
function binary(inputs: readonly SlotType[]): SizedSlotType[] {
  const [a, b] = [input(inputs, 0), input(inputs, 1)];
  return [sized(broadcastSizes(sizesOf(a), sizesOf(b)), upcast(a, b))];
}

/** The input's shape, float32 (the float weights or statistics upcast it). */
const floatLike = (inputs: readonly SlotType[]) => [like(input(inputs), "float32")];

/** The arithmetic ops' rules. */
export const mathRules: Pick<
  OpShapeRules,
  | "matMul"
  | "activation"
  | "add"
  | "sub"
  | "mul"
  | "maximum"
  | "minimum"
  | "addN"
  | "scale"
  | "relu"
  | "prelu"
  | "batchNorm"
  | "layerNorm"
  | "reduce"
  | "batchDot"
> = {
  // x[..., k] · kernel[k, n] → [..., n].
  matMul: (inputs, _attrs, weights) => {
    const [, units] = weight(weights);
    if (units === undefined) throw new Error("matMul's kernel must be (in, units)");
    return [sized([...sizesOfInput(inputs).slice(0, -1), knownSize(units)], "float32")];
  },
  activation: (inputs, attrs) => [like(input(inputs), INT_KEEPING.has(attrs.fn) ? undefined : "float32")],
  add: binary,
  sub: binary,
  mul: binary,
  maximum: binary,
  minimum: binary,
  // tf.addN takes one shape and dtype: the best known size of each axis.
  addN: (inputs) => {
    const all = inputs.map((_, i) => sizesOfInput(inputs, i));
    const sizes = all[0]!.map((_, axis) => all.map((s) => s[axis]!).reduce(unifySizes));
    return [sized(sizes, input(inputs).dtype)];
  },
  // tf.mul by a JS number is a float32 product.
  scale: floatLike,
  // K.relu: tf.relu / relu6 / clip keep int32; a threshold's float mask or the leak's alpha make float32.
  relu: (inputs, attrs) => [
    like(input(inputs), attrs.threshold !== 0 || attrs.alpha !== 0 ? "float32" : undefined),
  ],
  // relu(x) − alpha · relu(−x): x broadcast with alpha (x's shape without the batch, 1 on shared axes).
  prelu: (inputs, _attrs, weights) => [
    sized(broadcastSizes(sizesOfInput(inputs), weight(weights).map(knownSize)), "float32"),
  ],
  batchNorm: floatLike,
  layerNorm: floatLike,
  // The axes are removed; tf.max keeps int32, tf.mean makes float32.
  reduce: (inputs, attrs) => {
    const x = sizesOfInput(inputs);
    const axes = new Set(attrs.axes.map((a) => axisIndex(a, x.length)));
    const kept = x.filter((_, i) => !axes.has(i));
    return [sized(kept, attrs.mode === "max" ? input(inputs).dtype : "float32")];
  },
  // (batch, rest of a, rest of b), or (batch, 1) when nothing is left.
  batchDot: (inputs, attrs) => {
    const [a, b] = [sizesOfInput(inputs, 0), sizesOfInput(inputs, 1)];
    const [axisA, axisB] = [axisIndex(attrs.axes[0], a.length), axisIndex(attrs.axes[1], b.length)];
    const inner = [
      ...a.filter((_, i) => i !== 0 && i !== axisA),
      ...b.filter((_, i) => i !== 0 && i !== axisB),
    ];
    const dtype = attrs.normalize ? "float32" : upcast(input(inputs, 0), input(inputs, 1));
    return [sized([a[0]!, ...(inner.length === 0 ? [knownSize(1)] : inner)], dtype)];
  },
};
