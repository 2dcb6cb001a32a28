// Keras 2 initializers by every accepted spelling. Canonical form: the ConfigObject Keras 2 serialises,
// defaults filled; the Glorot/He/LeCun shorthands become the VarianceScaling they are defined as
// (glorot_uniform → VarianceScaling(scale=1, mode="fan_avg", distribution="uniform")), so the runtime
// implements nine classes: Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal,
// VarianceScaling, Orthogonal, Identity.
import type { ConfigObject } from "../../../ir/graph.js";
import { unknownInitializer } from "../../diagnostics/catalogue/args.js";
import { enumOf, float, int, optional } from "../arg-scalars.js";
import { defineSchema } from "../schema.js";
import { defineObject, type ObjectDef, type ObjectFamily } from "./family.js";

const seed = () => optional(int(), { doc: "random seed (None: nondeterministic)" });
const noArgs = defineSchema({}, { baseArgs: false });
const seedOnly = defineSchema({ seed: seed() }, { baseArgs: false });

/** The four arguments of VarianceScaling, in Keras order. */
const varianceScalingSchema = defineSchema(
  {
    scale: float({ default: 1.0, min: 0, minExclusive: true, doc: "scaling factor (positive)" }),
    mode: enumOf(["fan_in", "fan_out", "fan_avg"], {
      default: "fan_in",
      doc: "which fan the variance divides by",
    }),
    distribution: enumOf(["normal", "uniform", "truncated_normal", "untruncated_normal"], {
      default: "normal",
      doc: "the distribution samples are drawn from",
    }),
    seed: seed(),
  },
  { baseArgs: false },
);

function varianceScaling(
  scale: number,
  mode: string,
  distribution: string,
  seedValue: number | null,
): ConfigObject {
  return { className: "VarianceScaling", config: { scale, mode, distribution, seed: seedValue } };
}

/** A Glorot/He/LeCun shorthand: VarianceScaling with fixed scale, mode and distribution, and a seed. */
function shorthand(names: readonly string[], scale: number, mode: string, distribution: string): ObjectDef {
  return defineObject(names, seedOnly, (a) => varianceScaling(scale, mode, distribution, a.seed));
}

const meanStddev = (stddevDefault: number) =>
  defineSchema(
    {
      mean: float({ default: 0.0, doc: "mean of the distribution" }),
      stddev: float({ default: stddevDefault, min: 0, doc: "standard deviation of the distribution" }),
      seed: seed(),
    },
    { baseArgs: false },
  );

const members: readonly ObjectDef[] = [
  defineObject(["zeros", "zero", "Zeros"], noArgs, () => ({ className: "Zeros", config: {} })),
  defineObject(["ones", "one", "Ones"], noArgs, () => ({ className: "Ones", config: {} })),
  defineObject(
    ["constant", "Constant"],
    defineSchema({ value: float({ default: 0, doc: "the constant" }) }, { baseArgs: false }),
    (a) => ({ className: "Constant", config: { value: a.value } }),
  ),
  defineObject(["random_normal", "normal", "RandomNormal"], meanStddev(0.05), (a) => ({
    className: "RandomNormal",
    config: { mean: a.mean, stddev: a.stddev, seed: a.seed },
  })),
  defineObject(
    ["random_uniform", "uniform", "RandomUniform"],
    defineSchema(
      {
        minval: float({ default: -0.05, doc: "lower bound of the range" }),
        maxval: float({ default: 0.05, doc: "upper bound of the range" }),
        seed: seed(),
      },
      {
        baseArgs: false,
        check: (a, problems) => {
          if (a.minval > a.maxval)
            problems.report("minval", `minval ${a.minval} is greater than maxval ${a.maxval}`);
        },
      },
    ),
    (a) => ({ className: "RandomUniform", config: { minval: a.minval, maxval: a.maxval, seed: a.seed } }),
  ),
  defineObject(["truncated_normal", "TruncatedNormal"], meanStddev(0.05), (a) => ({
    className: "TruncatedNormal",
    config: { mean: a.mean, stddev: a.stddev, seed: a.seed },
  })),
  defineObject(["variance_scaling", "VarianceScaling"], varianceScalingSchema, (a) =>
    varianceScaling(a.scale, a.mode, a.distribution, a.seed),
  ),
  defineObject(
    ["orthogonal", "Orthogonal"],
    defineSchema(
      { gain: float({ default: 1.0, doc: "multiplicative factor" }), seed: seed() },
      { baseArgs: false },
    ),
    (a) => ({ className: "Orthogonal", config: { gain: a.gain, seed: a.seed } }),
  ),
  defineObject(
    ["identity", "Identity"],
    defineSchema({ gain: float({ default: 1.0, doc: "multiplicative factor" }) }, { baseArgs: false }),
    (a) => ({ className: "Identity", config: { gain: a.gain } }),
  ),
  shorthand(["lecun_uniform", "LecunUniform"], 1.0, "fan_in", "uniform"),
  shorthand(["lecun_normal", "LecunNormal"], 1.0, "fan_in", "normal"),
  shorthand(["glorot_normal", "GlorotNormal"], 1.0, "fan_avg", "normal"),
  shorthand(["glorot_uniform", "GlorotUniform"], 1.0, "fan_avg", "uniform"),
  shorthand(["he_normal", "HeNormal"], 2.0, "fan_in", "normal"),
  shorthand(["he_uniform", "HeUniform"], 2.0, "fan_in", "uniform"),
];

export const initializers: ObjectFamily = {
  expected: 'an initializer such as "glorot_uniform" or RandomNormal(stddev=0.05)',
  members,
  unknown: unknownInitializer,
};
