// The `matMul` op: Dense's computation, x[..., k] · kernel[k, n] (+ bias) with a fused activation. Inputs
// of rank > 2 are flattened to 2D around the product, as Keras's K.dot does, so any rank works. The prelu
// activation takes its alpha as a last weight (conv.ts's helpers, shared with the convolutions).
import { _FusedMatMul, BatchMatMul, Reshape } from "@tensorflow/tfjs-core";
import type { OpAttrs } from "../program.js";
import {
  afterFusedElu,
  afterFusedEluKernels,
  applyPrelu,
  fusedPreluAlpha,
  hasBiasWeight,
  PRELU_KERNELS,
  productWeights,
  TF_FUSED_NAMES,
} from "./conv.js";
import { exactly, type OpGroup } from "./op-def.js";

/** A plain product needs no fused kernel; anything else goes through tf.fused.matMul. */
const isPlain = (attrs: OpAttrs["matMul"], hasBias: boolean) => !hasBias && attrs.activation === "linear";

/** The `matMul` op. */
export const matMulOps: OpGroup<"matMul"> = {
  matMul: {
    inputs: exactly(1),
    // kernel, bias?, alpha (prelu)
    weights: { min: 1, max: 3 },
    // Reshape only runs for inputs of rank > 2, a rank the step does not record: it is checked anyway.
    kernels(attrs, weightCount) {
      if (attrs.activation === "prelu") return [BatchMatMul, _FusedMatMul, Reshape, ...PRELU_KERNELS];
      return [
        isPlain(attrs, hasBiasWeight(attrs.activation, weightCount)) ? BatchMatMul : _FusedMatMul,
        Reshape,
        ...afterFusedEluKernels(attrs),
      ];
    },
    run([x], attrs, weights, ops) {
      const { kernel, bias, alpha } = productWeights(weights, attrs.activation);
      const input = x!;
      const units = kernel!.shape[1]!;
      const depth = input.shape[input.rank - 1]!;
      const flat = input.rank > 2 ? ops.reshape(input, [-1, depth]) : input;
      // A prelu alpha the fused kernels would misread (not per unit) follows the product unfused.
      const fusedAlpha = alpha ? fusedPreluAlpha(alpha, units, ops) : undefined;
      const after = alpha !== undefined && fusedAlpha === undefined ? alpha : undefined;
      const activation = after ? "linear" : attrs.activation;
      const product = isPlain({ ...attrs, activation }, bias !== undefined)
        ? ops.matMul(flat, kernel!)
        : ops.fusedMatMul({
            a: flat,
            b: kernel!,
            ...(bias ? { bias } : {}),
            activation: TF_FUSED_NAMES[activation],
            ...(activation === "leakyRelu" ? { leakyreluAlpha: attrs.alpha ?? 0.3 } : {}),
            ...(fusedAlpha ? { preluActivationWeights: fusedAlpha } : {}),
          });
      const shaped = input.rank > 2 ? ops.reshape(product, [...input.shape.slice(0, -1), units]) : product;
      const output = afterFusedElu(shaped, attrs, ops);
      return [after ? applyPrelu(output, after, ops) : output];
    },
  },
};
