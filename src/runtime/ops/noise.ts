// The noise ops: `gaussianNoise`, `gaussianDropout` and `alphaDropout` (Keras 2's formulas). Each is the
// identity at inference; in training (`predict(x, { training: true })`) its noise is drawn from the step's
// seed, or from the model's seed (ctx.nextSeed()) when the layer gives none, so runs are deterministic.
// SpatialDropout lowers to `dropout` with a noise shape and needs no op of its own.
import { Add, Cast, GreaterEqual, Multiply, Sub } from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";

/** Keras's SELU constants, which AlphaDropout keeps the statistics of. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** The `gaussianNoise`, `gaussianDropout` and `alphaDropout` ops. */
export const noiseOps: OpGroup<"gaussianNoise" | "gaussianDropout" | "alphaDropout"> = {
  // x + N(0, stddev²) noise of x's shape.
  gaussianNoise: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Add],
    run([x], attrs, _weights, ops, ctx) {
      const input = x!;
      if (!ctx.training || attrs.stddev === 0) return [input];
      const noise = ops.randomNormal(input.shape, 0, attrs.stddev, "float32", attrs.seed ?? ctx.nextSeed());
      return [ops.add(input, noise)];
    },
  },
  // x · N(1, rate / (1 − rate)) noise (Keras applies it only for 0 < rate < 1).
  gaussianDropout: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Multiply],
    run([x], attrs, _weights, ops, ctx) {
      const input = x!;
      if (!ctx.training || !(attrs.rate > 0 && attrs.rate < 1)) return [input];
      const stddev = Math.sqrt(attrs.rate / (1 - attrs.rate));
      const noise = ops.randomNormal(input.shape, 1, stddev, "float32", attrs.seed ?? ctx.nextSeed());
      return [ops.mul(input, noise)];
    },
  },
  // Keras 2: kept = uniform(noise_shape) ≥ rate; x' = x · kept + (1 − kept) · α' with α' = −α·scale of
  // SELU; then a · x' + b with a = ((1 − rate)(1 + rate·α'²))^−½ and b = −a·α'·rate.
  alphaDropout: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [GreaterEqual, Cast, Multiply, Sub, Add],
    run([x], attrs, _weights, ops, ctx) {
      const input = x!;
      const rate = attrs.rate;
      if (!ctx.training || !(rate > 0 && rate < 1)) return [input];
      const alphaP = -SELU_ALPHA * SELU_SCALE;
      const shape = attrs.noiseShape?.map((size, i) => size ?? input.shape[i]!) ?? input.shape;
      const uniform = ops.randomUniform(shape, 0, 1, "float32", attrs.seed ?? ctx.nextSeed());
      const kept = ops.cast(ops.greaterEqual(uniform, rate), "float32");
      const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
      const b = -a * alphaP * rate;
      const dropped = ops.add(ops.mul(input, kept), ops.mul(ops.sub(1, kept), alphaP));
      return [ops.add(ops.mul(dropped, a), b)];
    },
  },
};
