// The `matMul` op: Dense's computation, x[..., k] · kernel[k, n] (+ bias) with a fused activation. Inputs
// of rank > 2 are flattened to 2D around the product, as Keras's K.dot does, so any rank works.
import type { fused } from "@tensorflow/tfjs-core";
import { _FusedMatMul, BatchMatMul, Reshape } from "@tensorflow/tfjs-core";
import type { FusedActivation, OpAttrs } from "../program.js";
import { exactly, type OpGroup } from "./op-def.js";

type TfFusedActivation = NonNullable<Parameters<typeof fused.matMul>[0]["activation"]>;

/** tf.fused spells leaky ReLU in lower case. */
const TF_FUSED_NAMES: { readonly [F in FusedActivation]: TfFusedActivation } = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  sigmoid: "sigmoid",
  leakyRelu: "leakyrelu",
};

/** A plain product needs no fused kernel; anything else goes through tf.fused.matMul. */
const isPlain = (attrs: OpAttrs["matMul"], hasBias: boolean) => !hasBias && attrs.activation === "linear";

/** The `matMul` op. */
export const matMulOps: OpGroup<"matMul"> = {
  matMul: {
    inputs: exactly(1),
    weights: { min: 1, max: 2 },
    // Reshape only runs for inputs of rank > 2, a rank the step does not record: it is checked anyway.
    kernels: (attrs, weightCount) => [isPlain(attrs, weightCount > 1) ? BatchMatMul : _FusedMatMul, Reshape],
    run([x], attrs, [kernel, bias], ops) {
      const input = x!;
      const units = kernel!.shape[1]!;
      const depth = input.shape[input.rank - 1]!;
      const flat = input.rank > 2 ? ops.reshape(input, [-1, depth]) : input;
      const product = isPlain(attrs, bias !== undefined)
        ? ops.matMul(flat, kernel!)
        : ops.fusedMatMul({
            a: flat,
            b: kernel!,
            ...(bias ? { bias } : {}),
            activation: TF_FUSED_NAMES[attrs.activation],
            ...(attrs.activation === "leakyRelu" ? { leakyreluAlpha: attrs.alpha ?? 0.3 } : {}),
          });
      return [input.rank > 2 ? ops.reshape(product, [...input.shape.slice(0, -1), units]) : product];
    },
  },
};
