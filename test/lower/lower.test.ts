// Lowering structure: the steps, slots, frees and weights each core and merge layer becomes, shared layers
// reading one weight set, and the diagnostics for layers that cannot run (KML701–KML799). No backend needed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lowerGraph } from "../../src/compiler/5-lower/lower.js";
import { compile } from "../../src/compiler/index.js";
import type { LayerDef } from "../../src/compiler/layers/layer.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { Graph } from "../../src/ir/graph.js";
import { nodeHost } from "../../src/node-host.js";
import type { Program, Step } from "../../src/runtime/program.js";
import { validateProgram } from "../../src/runtime/validate.js";

const SAMPLES = join(import.meta.dirname, "../../samples");

function graphOf(source: string): Graph {
  // The typed IR only: these tests lower it themselves.
  const compiled = compile(source, { fileName: "test.kml", host: nodeHost, plan: false });
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return compiled.ir!.graphs[0]!;
}

function lower(source: string): Program {
  const result = lowerGraph(graphOf(source));
  expect(result.diagnostics).toEqual([]);
  return result.program!;
}

/** Steps without the bookkeeping a test is not about: [op, inputs, outputs, attrs]. */
const opsOf = (program: Program) => program.steps.map((s) => [s.op, s.inputs, s.outputs, s.attrs]);

describe("lowering the core layers", () => {
  it("turns mnist_mlp into fused matMuls, dropouts and a softmax, each slot freed at its last use", () => {
    const path = join(SAMPLES, "mnist_mlp.kml");
    const compiled = compile(readFileSync(path, "utf8"), { fileName: path });
    const program = lowerGraph(compiled.ir!.graphs[0]!).program!;
    expect(program.inputs).toEqual([{ name: "input_1", slot: 0, shape: [null, 784], dtype: "float32" }]);
    expect(program.outputs).toEqual([{ name: "dense_3", slot: 6 }]);
    expect(program.steps.map((s: Step) => [s.op, s.inputs, s.outputs, s.frees, s.weights, s.layer])).toEqual([
      ["matMul", [0], [1], [0], ["dense_1/kernel", "dense_1/bias"], "dense_1"],
      ["dropout", [1], [2], [1], [], "dropout_1"],
      ["matMul", [2], [3], [2], ["dense_2/kernel", "dense_2/bias"], "dense_2"],
      ["dropout", [3], [4], [3], [], "dropout_2"],
      ["matMul", [4], [5], [4], ["dense_3/kernel", "dense_3/bias"], "dense_3"],
      ["activation", [5], [6], [5], [], "dense_3"],
    ]);
    expect(program.steps[0]!.attrs).toEqual({ activation: "relu" });
    expect(program.steps[1]!.attrs).toEqual({ rate: 0.2, noiseShape: null, seed: null });
    expect(program.steps[4]!.attrs).toEqual({ activation: "linear" });
    expect(program.steps[5]!.attrs).toEqual({ fn: "softmax" });
    expect(program.weights.map((w) => [w.name, w.shape, w.dtype, w.initializer?.className])).toEqual([
      ["dense_1/kernel", [784, 512], "float32", "VarianceScaling"],
      ["dense_1/bias", [512], "float32", "Zeros"],
      ["dense_2/kernel", [512, 512], "float32", "VarianceScaling"],
      ["dense_2/bias", [512], "float32", "Zeros"],
      ["dense_3/kernel", [512, 10], "float32", "VarianceScaling"],
      ["dense_3/bias", [10], "float32", "Zeros"],
    ]);
    expect(validateProgram(program)).toBe(7);
  });

  it("is plain JSON: a round trip through JSON.stringify changes nothing", () => {
    const program = lower('sequential m(input_shape=(4,)) { Dense(3, activation="tanh")\n RepeatVector(2) }');
    expect(JSON.parse(JSON.stringify(program))).toEqual(program);
  });

  it("fuses the activations tf.fused.matMul has and runs the others as their own step", () => {
    for (const fused of ["linear", "relu", "relu6", "elu", "sigmoid"]) {
      expect(opsOf(lower(`sequential m(input_shape=(4,)) { Dense(3, activation="${fused}") }`))).toEqual([
        ["matMul", [0], [1], { activation: fused }],
      ]);
    }
    const runtimeName: Record<string, string> = { hard_sigmoid: "hardSigmoid", exponential: "exp" };
    for (const keras of ["selu", "softplus", "softsign", "tanh", "hard_sigmoid", "exponential", "softmax"]) {
      expect(opsOf(lower(`sequential m(input_shape=(4,)) { Dense(3, activation="${keras}") }`))).toEqual([
        ["matMul", [0], [1], { activation: "linear" }],
        ["activation", [1], [2], { fn: runtimeName[keras] ?? keras }],
      ]);
    }
  });

  it("omits the bias weight without use_bias, and casts an int32 input to float first", () => {
    const program = lower(
      'model m { x = Input(shape=(4,), dtype="int32")\n y = Dense(3, use_bias=False)(x)\n outputs y }',
    );
    expect(program.inputs[0]!.dtype).toBe("int32");
    expect(opsOf(program)).toEqual([
      ["cast", [0], [1], { dtype: "float32" }],
      ["matMul", [1], [2], { activation: "linear" }],
    ]);
    expect(program.steps[1]!.weights).toEqual(["dense_1/kernel"]);
  });

  it("lowers Activation to one step, even when linear", () => {
    expect(opsOf(lower('sequential m(input_shape=(4,)) { Activation("linear") }'))).toEqual([
      ["activation", [0], [1], { fn: "linear" }],
    ]);
  });

  it("keeps Dropout's noise_shape, with None for the sizes taken from the input", () => {
    const program = lower(
      "sequential m(input_shape=(5, 4)) { Dropout(0.3, noise_shape=(None, 1, 4), seed=9) }",
    );
    expect(program.steps[0]!.attrs).toEqual({ rate: 0.3, noiseShape: [null, 1, 4], seed: 9 });
  });

  it("flattens with reshape (0 keeps the batch), moving channels_first channels last first", () => {
    expect(opsOf(lower("sequential m(input_shape=(3, 4, 2)) { Flatten() }"))).toEqual([
      ["reshape", [0], [1], { shape: [0, -1] }],
    ]);
    expect(
      opsOf(lower('sequential m(input_shape=(3, 4, 2)) { Flatten(data_format="channels_first") }')),
    ).toEqual([
      ["transpose", [0], [1], { perm: [0, 2, 3, 1] }],
      ["reshape", [1], [2], { shape: [0, -1] }],
    ]);
  });

  it("reshapes to (0, target) and lets the runtime infer a single symbolic size", () => {
    expect(opsOf(lower("sequential m(input_shape=(12,)) { Reshape((-1, 2, 3)) }"))).toEqual([
      ["reshape", [0], [1], { shape: [0, -1, 2, 3] }],
    ]);
    expect(
      opsOf(lower("dim T\nmodel m { x = Input(shape=(T, 4))\n y = Reshape((T, 2, 2))(x)\n outputs y }")),
    ).toEqual([["reshape", [0], [1], { shape: [0, -1, 2, 2] }]]);
  });

  it("permutes with a transpose that keeps the batch first, and repeats with expandDims + tile", () => {
    expect(opsOf(lower("sequential m(input_shape=(2, 3, 4)) { Permute((3, 1, 2)) }"))).toEqual([
      ["transpose", [0], [1], { perm: [0, 3, 1, 2] }],
    ]);
    expect(opsOf(lower("sequential m(input_shape=(4,)) { RepeatVector(3) }"))).toEqual([
      ["expandDims", [0], [1], { axis: 1 }],
      ["tile", [1], [2], { reps: [1, 3, 1] }],
    ]);
  });

  it("keeps symbolic input dims by name for the runtime to check", () => {
    const program = lower("dim T\nmodel m { x = Input(shape=(T, 4))\n y = Dense(2)(x)\n outputs y }");
    expect(program.inputs[0]).toEqual({ name: "x", slot: 0, shape: [null, "T", 4], dtype: "float32" });
  });
});

describe("lowering the merge layers", () => {
  const three = (layer: string) =>
    `model m { a = Input(shape=(4,))\n b = Input(shape=(4,))\n c = Input(shape=(4,))\n y = ${layer}([a, b, c])\n outputs y }`;

  it("folds Add, Multiply, Maximum and Minimum left to right over binary ops", () => {
    const op: Record<string, string> = {
      Add: "add",
      Multiply: "mul",
      Maximum: "maximum",
      Minimum: "minimum",
    };
    for (const [layer, name] of Object.entries(op)) {
      expect(opsOf(lower(three(`${layer}()`)))).toEqual([
        [name, [0, 1], [3], {}],
        [name, [3, 2], [4], {}],
      ]);
    }
  });

  it("averages as Keras does: the sum, scaled by 1/n", () => {
    expect(opsOf(lower(three("Average()")))).toEqual([
      ["add", [0, 1], [3], {}],
      ["add", [3, 2], [4], {}],
      ["scale", [4], [5], { factor: 1 / 3 }],
    ]);
  });

  it("subtracts the second input from the first", () => {
    expect(
      opsOf(
        lower(
          "model m { a = Input(shape=(4,))\n b = Input(shape=(4,))\n y = Subtract()([a, b])\n outputs y }",
        ),
      ),
    ).toEqual([["sub", [0, 1], [2], {}]]);
  });

  it("expands a lower-rank input at axis 1 (Keras's _Merge) before the op", () => {
    const program = lower(
      "model m { a = Input(shape=(3, 2, 4))\n b = Input(shape=(4,))\n y = Add()([a, b])\n outputs y }",
    );
    expect(opsOf(program)).toEqual([
      ["expandDims", [1], [2], { axis: 1 }],
      ["expandDims", [2], [3], { axis: 1 }],
      ["add", [0, 3], [4], {}],
    ]);
  });

  it("concatenates along the axis counted from the front", () => {
    const source = (axis: number) =>
      `model m { a = Input(shape=(3, 4))\n b = Input(shape=(3, 2))\n y = Concatenate(axis=${axis})([a, b])\n outputs y }`;
    expect(opsOf(lower(source(-1)))).toEqual([["concat", [0, 1], [2], { axis: 2 }]]);
    expect(opsOf(lower(source(2)))).toEqual([["concat", [0, 1], [2], { axis: 2 }]]);
  });
});

describe("slots, frees and weights", () => {
  it("declares a shared layer's weights once; both applications read them", () => {
    const path = join(SAMPLES, "two_towers.kml");
    const compiled = compile(readFileSync(path, "utf8"), { fileName: path });
    const program = lowerGraph(compiled.ir!.graphs[0]!).program!;
    expect(program.weights.map((w) => w.name)).toEqual([
      "dense_1/kernel",
      "dense_1/bias",
      "dense_2/kernel",
      "dense_2/bias",
    ]);
    const encoders = program.steps.filter((s) => s.layer === "dense_1");
    expect(encoders.map((s) => [s.inputs, s.weights])).toEqual([
      [[0], ["dense_1/kernel", "dense_1/bias"]],
      [[1], ["dense_1/kernel", "dense_1/bias"]],
    ]);
    expect(program.inputs.map((i) => i.name)).toEqual(["query", "document"]);
    expect(program.outputs.map((o) => o.name)).toEqual(["score", "d_t"]);
  });

  it("frees a value read twice after its second reader, and never frees an output", () => {
    const program = lower(
      "model m { x = Input(shape=(4,))\n h = Dense(4)(x)\n a = Dense(2)(h)\n b = Dense(2)(h)\n y = Add()([a, b])\n outputs y, h }",
    );
    expect(program.steps.map((s) => [s.inputs, s.outputs, s.frees])).toEqual([
      [[0], [1], [0]],
      [[1], [2], []],
      [[1], [3], []],
      [[2, 3], [4], [2, 3]],
    ]);
    expect(program.outputs).toEqual([
      { name: "y", slot: 4 },
      { name: "h", slot: 1 },
    ]);
  });

  it("frees a value nothing reads at the step that wrote it", () => {
    const program = lower(
      "model m { x = Input(shape=(4,))\n unused = Dense(3)(x)\n y = Dense(2)(x)\n outputs y }",
    );
    expect(program.steps.map((s) => [s.inputs, s.outputs, s.frees])).toEqual([
      [[0], [1], [1]],
      [[0], [2], [0]],
    ]);
  });

  it("names outputs apart when a name was rebound", () => {
    const program = lower(
      "model m { x = Input(shape=(4,))\n h = Dense(4)(x)\n a = h\n h = Dense(2)(h)\n outputs a, h }",
    );
    expect(program.outputs).toEqual([
      { name: "h", slot: 1 },
      { name: "h_2", slot: 2 },
    ]);
  });

  it("lowers every model of every sample built from core and merge layers to a valid program", () => {
    for (const name of [
      "block_mlp",
      "dense",
      "merge_add",
      "merge_subtract",
      "mnist_mlp",
      "permute_repeat",
      "reshape",
    ]) {
      const path = join(SAMPLES, `${name}.kml`);
      const compiled = compile(readFileSync(path, "utf8"), { fileName: path, host: nodeHost });
      for (const graph of compiled.ir!.graphs) {
        const { program, diagnostics } = lowerGraph(graph);
        expect(diagnostics).toEqual([]);
        expect(() => validateProgram(program!)).not.toThrow();
      }
    }
  });
});

describe("lowering diagnostics", () => {
  /** The registry, with Dense replaced by `dense`. */
  const withDense =
    (dense: LayerDef) =>
    (type: string): LayerDef | undefined =>
      type === "Dense" ? dense : getLayerDef(type);
  const denseDef = getLayerDef("Dense")!;
  const source = "sequential m(input_shape=(4,)) { Dense(3) }";

  it("reports a layer without a lowering once, however often it is applied (KML701)", () => {
    const { lower: _lower, ...unlowered } = denseDef;
    const graph = graphOf("model m { x = Input(shape=(4,))\n d = Dense(4)\n y = d(d(x))\n outputs y }");
    const result = lowerGraph(graph, { lookup: withDense(unlowered) });
    expect(result.program).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["KML701", "layer Dense `dense_1` cannot be executed yet: kerasc has no runtime lowering for Dense"],
    ]);
  });

  it("reports a weight whose shape is unknown until run time (KML702)", () => {
    const unknownWeight: LayerDef = {
      ...denseDef,
      weights: () => [{ name: "kernel", shape: [null, 3], trainable: true, initializer: null }],
    };
    const result = lowerGraph(graphOf(source), { lookup: withDense(unknownWeight) });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "KML702",
        "Dense `dense_1` cannot be executed: its weight `kernel` has shape (None, 3), not known before run time",
      ],
    ]);
  });

  it("reports a Reshape with two sizes known only at run time (KML703)", () => {
    const graph = graphOf(
      "dim T\ndim U\nmodel m { x = Input(shape=(T, U, 4))\n y = Reshape((U, T, 4))(x)\n outputs y }",
    );
    const result = lowerGraph(graph);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["KML703"]);
    expect(result.diagnostics[0]!.message).toContain(
      "target_shape (U, T, 4) has 2 sizes known only at run time",
    );
    const span = result.diagnostics[0]!.span;
    expect(span.end).toBeGreaterThan(span.start);
  });

  it("turns a lowering that throws into an internal-error diagnostic (KML799)", () => {
    const broken: LayerDef = {
      ...denseDef,
      lower: (_args, _inputs, _outputs, ctx) => [
        ctx.emit("matMul", ctx.inputs, { activation: "linear" }, ["gamma"]),
      ],
    };
    const result = lowerGraph(graphOf(source), { lookup: withDense(broken) });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["KML799", 'internal error while lowering Dense `dense_1`: Dense has no weight "gamma"'],
    ]);
  });
});

describe("lowering the advanced activation, normalization, noise, Dot and Lambda layers", () => {
  /** The one layer's steps of `sequential m(input_shape=shape) { layer }`: [op, attrs, weights]. */
  const stepsOf = (shape: string, layer: string) =>
    lower(`sequential m(input_shape=${shape}) { ${layer} }`).steps.map((s) => [s.op, s.attrs, s.weights]);

  it.each([
    ["(4,)", "LeakyReLU(alpha=0.1)", [["activation", { fn: "leakyRelu", alpha: 0.1 }, []]]],
    ["(4,)", "ELU(alpha=0.5)", [["activation", { fn: "elu", alpha: 0.5 }, []]]],
    ["(4,)", "ThresholdedReLU(theta=0.5)", [["relu", { alpha: 0, maxValue: null, threshold: 0.5 }, []]]],
    ["(4,)", "ReLU()", [["activation", { fn: "relu" }, []]]],
    ["(4,)", "ReLU(max_value=6.0)", [["activation", { fn: "relu6" }, []]]],
    [
      "(4,)",
      "ReLU(max_value=2.0, negative_slope=0.1)",
      [["relu", { alpha: 0.1, maxValue: 2, threshold: 0 }, []]],
    ],
    ["(3, 4)", "Softmax(axis=-2)", [["activation", { fn: "softmax", axis: 1 }, []]]],
    ["(3, 4)", "PReLU(shared_axes=[1])", [["prelu", {}, ["p_re_lu_1/alpha"]]]],
    [
      "(3, 4, 2)",
      "BatchNormalization(axis=1, center=False)",
      [
        [
          "batchNorm",
          { axis: 1, epsilon: 1e-3, center: false, scale: true },
          [
            "batch_normalization_1/gamma",
            "batch_normalization_1/moving_mean",
            "batch_normalization_1/moving_variance",
          ],
        ],
      ],
    ],
    [
      "(3, 4)",
      "LayerNormalization(axis=[-2, -1], scale=False)",
      [
        [
          "layerNorm",
          { axes: [1, 2], epsilon: 1e-3, center: true, scale: false },
          ["layer_normalization_1/beta"],
        ],
      ],
    ],
    ["(4,)", "GaussianNoise(0.1)", [["gaussianNoise", { stddev: 0.1, seed: null }, []]]],
    ["(4,)", "GaussianDropout(0.1)", [["gaussianDropout", { rate: 0.1, seed: null }, []]]],
    [
      "(3, 4)",
      "AlphaDropout(0.1, noise_shape=(None, 1, 4), seed=5)",
      [["alphaDropout", { rate: 0.1, noiseShape: [null, 1, 4], seed: 5 }, []]],
    ],
    [
      "(3, 4)",
      "SpatialDropout1D(0.2)",
      [["dropout", { rate: 0.2, noiseShape: [null, 1, null], seed: null }, []]],
    ],
    [
      "(3, 4, 2)",
      'SpatialDropout2D(0.2, data_format="channels_first")',
      [["dropout", { rate: 0.2, noiseShape: [null, null, 1, 1], seed: null }, []]],
    ],
    [
      "(2, 3, 4, 2)",
      "SpatialDropout3D(0.2)",
      [["dropout", { rate: 0.2, noiseShape: [null, 1, 1, 1, null], seed: null }, []]],
    ],
    ["(4,)", "ActivityRegularization(l1=0.1)", [["identity", {}, []]]],
  ] as const)("%s %s", (shape, layer, steps) => {
    expect(stepsOf(shape, layer)).toEqual(steps);
  });

  it("Dot becomes batchDot with both axes counted from the front", () => {
    const program = lower(
      "model m { a = Input(shape=(3, 4))\n b = Input(shape=(5, 4))\n y = Dot(axes=-1, normalize=True)([a, b])\n outputs y }",
    );
    expect(opsOf(program)).toEqual([["batchDot", [0, 1], [2], { axes: [2, 2], normalize: true }]]);
  });

  it("Lambda becomes one tensorFunction step carrying the function", () => {
    const source = "sequential m(input_shape=(4,)) { Lambda(lambda x: x ** 2) }";
    const program = lower(source);
    const graph = graphOf(source);
    const lambda = graph.layers.find((l) => l.type === "Lambda")!;
    expect(opsOf(program)).toEqual([["tensorFunction", [0], [1], { function: lambda.args.function }]]);
    expect(validateProgram(program)).toBe(2);
  });
});
