// The `dropout` op: the identity at inference; in training, tf.dropout with a seeded mask whose unknown
// (null) dims take the input's size, as Keras's `_get_noise_shape` fills them.
import { Add, Floor, Multiply, RealDiv } from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";

/** The `dropout` op. */
export const dropoutOps: OpGroup<"dropout"> = {
  dropout: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    // What tf.dropout runs in training; inference runs nothing.
    kernels: () => [Add, Floor, RealDiv, Multiply],
    run([x], attrs, _weights, ops, ctx) {
      const input = x!;
      if (!ctx.training || attrs.rate === 0) return [input];
      const noiseShape = attrs.noiseShape?.map((size, i) => size ?? input.shape[i]!);
      return [ops.dropout(input, attrs.rate, noiseShape, attrs.seed ?? ctx.nextSeed())];
    },
  },
};
