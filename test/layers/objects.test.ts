// Initializers, regularizers and constraints: every spelling normalises to one ConfigObject, defaults filled.
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { ArgValue } from "../../src/ir/graph.js";
import { readCall } from "./helpers.js";

/** The bound value of one Dense argument written as `source`. */
function denseArg(arg: string, source: string): ArgValue | undefined {
  const result = bindLayerArgs(getLayerDef("Dense")!, readCall(`Dense(4, ${arg}=${source})`));
  expect(result.diagnostics).toEqual([]);
  return result.args[arg];
}

const glorotUniform = {
  className: "VarianceScaling",
  config: { scale: 1, mode: "fan_avg", distribution: "uniform", seed: null },
};

describe("initializers", () => {
  it("treat a name, its class spelling and an empty call alike", () => {
    expect(denseArg("kernel_initializer", '"glorot_uniform"')).toEqual(glorotUniform);
    expect(denseArg("kernel_initializer", '"GlorotUniform"')).toEqual(glorotUniform);
    expect(denseArg("kernel_initializer", "glorot_uniform()")).toEqual(glorotUniform);
    expect(denseArg("kernel_initializer", "GlorotUniform()")).toEqual(glorotUniform);
  });

  it("expand the Glorot/He/LeCun shorthands to their VarianceScaling, seed kept", () => {
    const vs = (scale: number, mode: string, distribution: string, seed: number | null = null) => ({
      className: "VarianceScaling",
      config: { scale, mode, distribution, seed },
    });
    expect(denseArg("kernel_initializer", "glorot_normal(seed=3)")).toEqual(vs(1, "fan_avg", "normal", 3));
    expect(denseArg("kernel_initializer", '"he_normal"')).toEqual(vs(2, "fan_in", "normal"));
    expect(denseArg("kernel_initializer", '"he_uniform"')).toEqual(vs(2, "fan_in", "uniform"));
    expect(denseArg("kernel_initializer", '"lecun_uniform"')).toEqual(vs(1, "fan_in", "uniform"));
    expect(denseArg("kernel_initializer", '"lecun_normal"')).toEqual(vs(1, "fan_in", "normal"));
    expect(denseArg("kernel_initializer", 'VarianceScaling(2.0, "fan_out")')).toEqual(
      vs(2, "fan_out", "normal"),
    );
  });

  it("fill every default of the parameterised classes", () => {
    expect(denseArg("kernel_initializer", "RandomNormal(stddev=0.1)")).toEqual({
      className: "RandomNormal",
      config: { mean: 0, stddev: 0.1, seed: null },
    });
    expect(denseArg("kernel_initializer", '"random_uniform"')).toEqual({
      className: "RandomUniform",
      config: { minval: -0.05, maxval: 0.05, seed: null },
    });
    expect(denseArg("kernel_initializer", '"uniform"')).toEqual({
      className: "RandomUniform",
      config: { minval: -0.05, maxval: 0.05, seed: null },
    });
    expect(denseArg("kernel_initializer", "TruncatedNormal(1.0, 0.5, 7)")).toEqual({
      className: "TruncatedNormal",
      config: { mean: 1, stddev: 0.5, seed: 7 },
    });
    expect(denseArg("kernel_initializer", "Constant(0.3)")).toEqual({
      className: "Constant",
      config: { value: 0.3 },
    });
    expect(denseArg("kernel_initializer", '"orthogonal"')).toEqual({
      className: "Orthogonal",
      config: { gain: 1, seed: null },
    });
    expect(denseArg("kernel_initializer", "Identity(gain=2)")).toEqual({
      className: "Identity",
      config: { gain: 2 },
    });
    expect(denseArg("bias_initializer", '"ones"')).toEqual({ className: "Ones", config: {} });
    expect(denseArg("bias_initializer", "Zeros()")).toEqual({ className: "Zeros", config: {} });
  });
});

describe("regularizers", () => {
  it("normalise l1, l2, l1_l2 and L1L2 to L1L2 {l1, l2}", () => {
    expect(denseArg("kernel_regularizer", "l2(0.01)")).toEqual({
      className: "L1L2",
      config: { l1: 0, l2: 0.01 },
    });
    expect(denseArg("kernel_regularizer", "l1(l=0.2)")).toEqual({
      className: "L1L2",
      config: { l1: 0.2, l2: 0 },
    });
    expect(denseArg("kernel_regularizer", '"l2"')).toEqual({
      className: "L1L2",
      config: { l1: 0, l2: 0.01 },
    });
    expect(denseArg("kernel_regularizer", "l1_l2(0.1, 0.2)")).toEqual({
      className: "L1L2",
      config: { l1: 0.1, l2: 0.2 },
    });
    expect(denseArg("kernel_regularizer", "L1L2(l2=0.5)")).toEqual({
      className: "L1L2",
      config: { l1: 0, l2: 0.5 },
    });
    expect(denseArg("kernel_regularizer", "None")).toBeNull();
  });
});

describe("constraints", () => {
  it("accept the snake, old and class spellings, defaults filled", () => {
    expect(denseArg("kernel_constraint", "max_norm(3)")).toEqual({
      className: "MaxNorm",
      config: { max_value: 3, axis: 0 },
    });
    expect(denseArg("kernel_constraint", "maxnorm(2.5, axis=[0, 1])")).toEqual({
      className: "MaxNorm",
      config: { max_value: 2.5, axis: [0, 1] },
    });
    expect(denseArg("kernel_constraint", '"non_neg"')).toEqual({ className: "NonNeg", config: {} });
    expect(denseArg("kernel_constraint", "UnitNorm(axis=-1)")).toEqual({
      className: "UnitNorm",
      config: { axis: -1 },
    });
    expect(denseArg("kernel_constraint", "MinMaxNorm(0.5)")).toEqual({
      className: "MinMaxNorm",
      config: { min_value: 0.5, max_value: 1, rate: 1, axis: 0 },
    });
  });
});
