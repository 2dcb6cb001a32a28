// Lambda end to end: the reference's two examples (x ** 2 and the antirectifier, without output_shape),
// output_shape checked against the inferred shape, multi-input functions, block constants, the IR it stores,
// and FLOPs — shapes worked by hand from NumPy/TensorFlow broadcasting and the reduction rules.
import { describe, expect, it } from "vitest";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { Graph, LayerInstance, TensorType } from "../../src/ir/graph.js";
import { formatTensorFunction, isTensorFunction, type TensorFunction } from "../../src/ir/tensor-expr.js";
import { compileKml, outputShape } from "../build/helpers.js";

const ANTIRECTIFIER = `block antirectifier(x) {
  x = x - mean(x, axis=1, keepdims=True)
  x = l2_normalize(x, axis=1)
  pos = relu(x)
  neg = relu(-x)
  return concatenate([pos, neg], axis=1)
}
`;

/** The output shape of model `m` (the only model), asserting a clean compile. */
function shapeOf(text: string): readonly (number | string | null)[] | undefined {
  const built = compileKml(text);
  expect(built.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return outputShape(built.graph("m"));
}

function lambdaLayer(graph: Graph, index = 0): LayerInstance {
  const layer = graph.layers.filter((l) => l.type === "Lambda")[index];
  if (!layer) throw new Error("no Lambda layer");
  return layer;
}

function functionOf(graph: Graph, index = 0): TensorFunction {
  const fn = lambdaLayer(graph, index).args.function;
  if (!isTensorFunction(fn)) throw new Error("no tensor function");
  return fn;
}

/** A one-input model applying `lambda` to an input of `shape`. */
function applied(shape: string, lambda: string, prelude = ""): string {
  return `${prelude}model m {
  x = Input(shape=${shape})
  y = Lambda(${lambda})(x)
  outputs y
}
`;
}

describe("the reference's examples", () => {
  it("Lambda(lambda x: x ** 2) keeps the shape: (None, 784) → (None, 784)", () => {
    const built = compileKml(`sequential m(input_shape=(784,)) {
  Lambda(lambda x: x ** 2)
}
`);
    expect(built.diagnostics).toEqual([]);
    expect(outputShape(built.graph("m"))).toEqual([null, 784]);
    const fn = functionOf(built.graph("m"));
    expect(fn.config.steps).toEqual([
      { className: "param", config: { index: 0 } },
      { className: "const", config: { value: 2 } },
      { className: "binary", config: { fn: "pow", a: 0, b: 1 } },
    ]);
    expect(formatTensorFunction(fn)).toBe("lambda x: x ** 2");
  });

  it("the antirectifier block gives (None, 2*784) for a 2D (None, 784) input, without output_shape", () => {
    const built = compileKml(`${ANTIRECTIFIER}
sequential m(input_shape=(784,)) {
  Lambda(antirectifier)
}
`);
    expect(built.diagnostics).toEqual([]);
    expect(outputShape(built.graph("m"))).toEqual([null, 1568]);
    // The block became the Lambda's function; it was not expanded into layers.
    expect(built.graph("m").layers.map((l) => l.type)).toEqual(["Input", "Lambda"]);
    expect(formatTensorFunction(functionOf(built.graph("m")))).toBe(
      "lambda x: concatenate([relu(l2_normalize(x - mean(x, axis=1, keepdims=True), axis=1), alpha=0, max_value=None), relu(-l2_normalize(x - mean(x, axis=1, keepdims=True), axis=1), alpha=0, max_value=None)], axis=1)",
    );
  });

  it("names the steps after the block's locals and drops none of them", () => {
    const fn = functionOf(compileKml(`${ANTIRECTIFIER}\n${applied("(6,)", "antirectifier")}`).graph("m"));
    expect(fn.config.steps.map((s) => s.className)).toEqual([
      "param",
      "reduce",
      "binary",
      "l2_normalize",
      "relu",
      "elementwise",
      "relu",
      "concatenate",
    ]);
    expect(fn.config.names).toEqual(["x", null, "x", "x", "pos", null, "neg", null]);
    expect(fn.config.result).toBe(7);
  });

  it("the same antirectifier written as one lambda has the same shape", () => {
    const inline =
      "lambda x: concatenate([relu(l2_normalize(x - mean(x, axis=1, keepdims=True), axis=1)), relu(-l2_normalize(x - mean(x, axis=1, keepdims=True), axis=1))], axis=1)";
    expect(shapeOf(applied("(10,)", inline))).toEqual([null, 20]);
  });

  it("a 2D input with a symbolic feature size: the concatenated size F + F is unknown (None)", () => {
    expect(shapeOf(`dim F\n${ANTIRECTIFIER}\n${applied("(F,)", "antirectifier")}`)).toEqual([null, null]);
  });
});

describe("output_shape", () => {
  const anti = (outputShape: string) =>
    `${ANTIRECTIFIER}
sequential m(input_shape=(784,)) {
  Dense(16)
  Lambda(antirectifier, output_shape=${outputShape})
}
`;

  it("accepts the inferred shape, and None entries accept any size", () => {
    expect(shapeOf(anti("(32,)"))).toEqual([null, 32]);
    expect(shapeOf(anti("(None,)"))).toEqual([null, 32]);
  });

  it("refines an unknown inferred size with the declared one", () => {
    expect(shapeOf(applied("(None, 3)", "lambda x: x * 2.0, output_shape=(7, 3)"))).toEqual([null, 7, 3]);
  });

  it("KML402: a size that differs from the inferred one, naming both shapes", () => {
    const built = compileKml(anti("(16,)"));
    expect(built.codes()).toEqual([["KML402", "11:3"]]);
    expect(built.diagnostics[0]!.message).toBe(
      "Lambda `lambda_1`: output_shape (16,) does not match the function's output (None, 32), which is (32,) without the batch axis",
    );
    expect(built.diagnostics[0]!.hint).toBe("leave output_shape out (kerasc infers it) or make it agree");
  });

  it("KML402: a rank that differs (output_shape has no batch dimension)", () => {
    const built = compileKml(anti("(None, 32)"));
    expect(built.codes()).toEqual([["KML402", "11:3"]]);
    expect(built.diagnostics[0]!.message).toContain("output_shape (None, 32) does not match");
  });

  it("KML305: a function computing the shape (kerasc infers it instead)", () => {
    const built = compileKml(`${ANTIRECTIFIER}
block antirectifier_output_shape(s) {
  return s
}
${applied("(4,)", "antirectifier, output_shape=antirectifier_output_shape")}`);
    expect(built.codes()).toEqual([["KML305", "14:42"]]);
    expect(built.diagnostics[0]!.hint).toBe(
      "kerasc infers the output shape from the function: leave output_shape out, or give a tuple",
    );
  });
});

describe("mask and arguments", () => {
  it("KML305: mask must be None (a Lambda computes no mask)", () => {
    const built = compileKml(applied("(4,)", "lambda x: x, mask=True"));
    expect(built.codes()).toEqual([["KML305", "3:32"]]);
    expect(built.diagnostics[0]!.message).toContain("a Lambda computes no mask");
  });

  it("KML305: arguments must be None, since a model file has no dict literal", () => {
    const built = compileKml(applied("(4,)", "lambda x: x, arguments=(1, 2)"));
    expect(built.codes()).toEqual([["KML305", "3:37"]]);
    expect(built.diagnostics[0]!.message).toContain("a model file has no dict literal");
  });

  it("KML404: a masked input is an error, since Keras's Lambda(mask=None) does not support masking", () => {
    expect(getLayerDef("Lambda")?.supportsMasking).toBe(false);
  });
});

describe("broadcasting (NumPy rules as TensorFlow infers static shapes)", () => {
  const two = (a: string, b: string, body: string, prelude = "") =>
    `${prelude}model m {
  a = Input(shape=${a})
  b = Input(shape=${b})
  y = Lambda(lambda p, q: ${body})([a, b])
  outputs y
}
`;

  it("a scalar broadcasts against everything: (None, 3, 4) * 2 → (None, 3, 4)", () => {
    expect(shapeOf(applied("(3, 4)", "lambda x: 2 * x + 1"))).toEqual([null, 3, 4]);
  });

  it("the lower rank lines up with the last axes: (None, 3, 4) - (None, 4) → (None, 3, 4)", () => {
    // Right-aligned: 4/4, 3/None → 3 (None must be 1 or 3), None/— → None.
    expect(shapeOf(two("(3, 4)", "(4,)", "p - q"))).toEqual([null, 3, 4]);
  });

  it("sizes of 1 stretch: (None, 3, 1) + (None, 1, 5) → (None, 3, 5)", () => {
    expect(shapeOf(two("(3, 1)", "(1, 5)", "p + q"))).toEqual([null, 3, 5]);
  });

  it("None beside 1 stays None: (None, None) * (None, 1) → (None, None)", () => {
    expect(shapeOf(two("(None,)", "(1,)", "p * q"))).toEqual([null, null]);
  });

  it("a keepdims reduction broadcasts back: x - mean(x, axis=-1, keepdims=True) on (None, 4, 5)", () => {
    expect(shapeOf(applied("(4, 5)", "lambda x: x - mean(x, axis=-1, keepdims=True)"))).toEqual([null, 4, 5]);
  });

  it("batch statistics with keepdims broadcast back over the batch: x / max(x, axis=0, keepdims=True)", () => {
    expect(shapeOf(applied("(5,)", "lambda x: x / max(x, axis=0, keepdims=True)"))).toEqual([null, 5]);
  });

  it("maximum, minimum and pow broadcast too", () => {
    expect(shapeOf(two("(2, 3)", "(3,)", "maximum(p, q) + minimum(q, 0) + pow(p, q)"))).toEqual([null, 2, 3]);
  });

  it("KML402: sizes that do not broadcast, naming the step and both shapes", () => {
    const built = compileKml(two("(3,)", "(4,)", "p * 2 + q"));
    expect(built.codes()).toEqual([["KML402", "4:7"]]);
    expect(built.diagnostics[0]!.message).toBe(
      "Lambda `lambda_1`: in `p * 2 + q`: (None, 3) and (None, 4) do not broadcast: axis -1 is 3 in one and 4 in the other",
    );
  });

  describe("symbolic dims", () => {
    it("T with T stays T, T with 1 stays T", () => {
      expect(shapeOf(two("(T, 8)", "(T, 8)", "p * q", "dim T\n"))).toEqual([null, "T", 8]);
      expect(shapeOf(two("(T, 8)", "(1, 8)", "p * q", "dim T\n"))).toEqual([null, "T", 8]);
    });

    it("T beside a size: the size (T must take it); T beside None: unknown", () => {
      expect(shapeOf(two("(T, 8)", "(4, 8)", "p * q", "dim T\n"))).toEqual([null, 4, 8]);
      expect(shapeOf(two("(T, 8)", "(None, 8)", "p * q", "dim T\n"))).toEqual([null, null, 8]);
    });

    it("KML402: two different symbolic dims do not broadcast", () => {
      const built = compileKml(two("(T, 8)", "(U, 8)", "p * q", "dim T, U\n"));
      expect(built.codes()).toEqual([["KML402", "5:7"]]);
      expect(built.diagnostics[0]!.message).toContain("axis -2 is T in one and U in the other");
    });
  });
});

describe("reductions and axes", () => {
  const on345 = (body: string) => shapeOf(applied("(4, 5)", `lambda x: ${body}`));

  it("drop the reduced axes, or keep them as 1 with keepdims", () => {
    expect(on345("sum(x, axis=-1)")).toEqual([null, 4]);
    expect(on345("mean(x, axis=(1, 2))")).toEqual([null]);
    expect(on345("max(x, axis=1, keepdims=True)")).toEqual([null, 1, 5]);
    expect(on345("min(x, 2)")).toEqual([null, 4]);
    expect(on345("prod(x, axis=[1, -1], keepdims=True)")).toEqual([null, 1, 1]);
    expect(on345("std(x, axis=1) + var(x, axis=1) + logsumexp(x, axis=1)")).toEqual([null, 5]);
  });

  it("axis=None with keepdims reduces everything to (1, 1, 1); it broadcasts back", () => {
    expect(on345("x - mean(x, keepdims=True)")).toEqual([null, 4, 5]);
  });

  it("shape-preserving functions with an axis: l2_normalize, softmax; elementwise ones", () => {
    expect(on345("softmax(l2_normalize(x, axis=(1, 2)), axis=1)")).toEqual([null, 4, 5]);
    expect(
      on345("clip(tanh(x), -0.5, 0.5) + elu(x, 0.5) + relu(x, alpha=0.1, max_value=6) + hard_sigmoid(x)"),
    ).toEqual([null, 4, 5]);
  });

  const failing = (body: string) => {
    const built = compileKml(applied("(4, 5)", `lambda x: ${body}`));
    expect(built.codes()).toEqual([["KML402", "3:7"]]);
    return built.diagnostics[0]!;
  };

  it("KML402: an axis out of range for the tensor", () => {
    expect(failing("mean(x, axis=3)").message).toBe(
      "Lambda `lambda_1`: in `mean(x, axis=3, keepdims=False)`: axis 3 is out of range for the 3D tensor (None, 4, 5)",
    );
    expect(failing("softmax(x, axis=-4)").message).toContain("axis -4 is out of range");
  });

  it("KML402: the same axis twice once negative axes are resolved", () => {
    expect(failing("sum(x, axis=(2, -1))").message).toContain("name axis 2 twice");
  });

  it("KML402: reducing the batch axis away (Keras would read the next axis as the batch)", () => {
    const d = failing("mean(x, axis=0)");
    expect(d.message).toContain("over axis 0, the batch axis, leaves no batch axis");
    expect(failing("sum(x)").message).toContain("leaves no batch axis");
  });

  it("KML402: a result whose first axis is no longer the batch", () => {
    expect(failing("mean(x, axis=(0, 1), keepdims=True)").message).toContain(
      "the result (1, 1, 5) does not keep the batch axis first",
    );
  });
});

describe("concatenate", () => {
  it("joins along the axis, other axes unified", () => {
    expect(shapeOf(applied("(4, 5)", "lambda x: concatenate([x, x * 2], axis=1)"))).toEqual([null, 8, 5]);
    expect(shapeOf(applied("(4, 5)", "lambda x: concatenate([x, x])"))).toEqual([null, 4, 10]);
  });

  const failing = (body: string) => {
    const built = compileKml(applied("(4, 5)", `lambda x: ${body}`));
    expect(built.codes()).toEqual([["KML402", "3:7"]]);
    return built.diagnostics[0]!.message;
  };

  it("KML402: along the batch axis, of different ranks, or disagreeing off the axis", () => {
    expect(failing("concatenate([x, x], axis=0)")).toContain("axis 0 is the batch axis of (None, 4, 5)");
    expect(failing("concatenate([x, sum(x, axis=1)])")).toContain(
      "tensor 2 (None, 5) is 2D but tensor 1 (None, 4, 5) is 3D",
    );
    expect(failing("concatenate([x, sum(x, axis=1, keepdims=True)], axis=2)")).toContain(
      "tensor 2 (None, 1, 5) does not match (None, 4, 5) on axis 1",
    );
  });
});

describe("several inputs", () => {
  it("one parameter per input tensor, in order", () => {
    const built = compileKml(`model m {
  a = Input(shape=(8,))
  b = Input(shape=(8,))
  d = Lambda(lambda u, v: sqrt(sum(square(u - v), axis=1, keepdims=True)))([a, b])
  outputs d
}
`);
    expect(built.diagnostics).toEqual([]);
    expect(outputShape(built.graph("m"))).toEqual([null, 1]);
    expect(functionOf(built.graph("m")).config.params).toEqual(["u", "v"]);
  });

  it("KML402: applied to another number of tensors than it has parameters", () => {
    const built = compileKml(applied("(8,)", "lambda a, b: a - b"));
    expect(built.codes()).toEqual([["KML402", "3:7"]]);
    expect(built.diagnostics[0]!.message).toBe(
      "Lambda `lambda_1`: the function takes 2 input tensors (a, b) but the layer is applied to 1",
    );
    expect(built.diagnostics[0]!.hint).toBe("apply it to a list of 2 tensors: `Lambda(...)([a, b])`");
  });
});

describe("the enclosing scope", () => {
  it("reads numbers from the enclosing block's parameters (which then count as used)", () => {
    const built = compileKml(`block scaled(x, factor, axis) {
  return Lambda(lambda t: t * factor - mean(t, axis=axis, keepdims=True))(x)
}
model m {
  x = Input(shape=(4, 5))
  y = scaled(x, 0.5, -1)
  outputs y
}
`);
    expect(built.diagnostics).toEqual([]);
    expect(outputShape(built.graph("m"))).toEqual([null, 4, 5]);
    expect(formatTensorFunction(functionOf(built.graph("m")))).toBe(
      "lambda t: t * 0.5 - mean(t, axis=-1, keepdims=True)",
    );
  });

  it("a lambda bound to a name is passed like a literal one", () => {
    expect(
      shapeOf(`model m {
  double = lambda t: t * 2
  x = Input(shape=(3,))
  y = Lambda(double)(x)
  outputs y
}
`),
    ).toEqual([null, 3]);
  });

  it("KML305: a block name given to another layer's argument", () => {
    const built = compileKml(
      `${ANTIRECTIFIER}${applied("(4,)", "lambda x: x").replace("Lambda(lambda x: x)", "Dense(antirectifier)")}`,
    );
    expect(built.codes()).toEqual([["KML305", "10:13"]]);
    expect(built.diagnostics[0]!.message).toContain("got the block `antirectifier`");
  });
});

describe("FLOPs per sample", () => {
  function flopsOf(text: string): number | null {
    const graph = compileKml(text).graph("m");
    const layer = lambdaLayer(graph);
    const node = graph.nodes.find((n) => n.layer === layer.id)!;
    const typeOf = (id: number): TensorType => graph.values.find((v) => v.id === id)!.type!;
    return getLayerDef("Lambda")!.flops(layer.args, node.inputs.map(typeOf), node.outputs.map(typeOf));
  }

  it("x ** 2 on 784 features: one operation per element = 784", () => {
    expect(flopsOf(applied("(784,)", "lambda x: x ** 2"))).toBe(784);
  });

  it("the antirectifier on 4 features: mean 4 + sub 4 + l2_normalize 3*4 + relu 4 + neg 4 + relu 4 = 32", () => {
    expect(flopsOf(`${ANTIRECTIFIER}${applied("(4,)", "antirectifier")}`)).toBe(32);
  });

  it("is unknown when a size is", () => {
    expect(flopsOf(applied("(None,)", "lambda x: x ** 2"))).toBeNull();
  });
});
