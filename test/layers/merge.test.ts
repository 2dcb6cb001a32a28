// Shape rules of the merge layers, expected values worked by hand from Keras 2's `_Merge` and `Concatenate`
// (keras/layers/merge.py) and the reference's examples; errors with their codes and spans through the whole
// pipeline; and the lower-case functional forms (`add([a, b])` is `Add()([a, b])`).
import { describe, expect, it } from "vitest";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build, layerNames, outputShape } from "../build/helpers.js";
import { apply, tensor } from "./helpers.js";

const ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"] as const;

/** The output shapes of every layer of a graph, by layer name (one node per layer here). */
function shapesByLayer(text: string, graph = "m"): Record<string, unknown> {
  const b = build(text, {}, true);
  expect(b.codes()).toEqual([]);
  const g = b.graph(graph);
  const byNode = new Map(g.nodes.map((n) => [n.layer, n.outputs[0]]));
  return Object.fromEntries(
    g.layers.map((l) => [l.name, g.values.find((v) => v.id === byNode.get(l.id))?.type?.shape]),
  );
}

describe("the reference's Add example", () => {
  const example = (merge: string) => `model added {
  input1 = Input(shape=(16,))
  x1 = Dense(8, activation="relu")(input1)
  input2 = Input(shape=(32,))
  x2 = Dense(8, activation="relu")(input2)
  added = ${merge}
  out = Dense(4)(added)
  outputs out
}
`;

  it("Input (16,) → Dense(8), Input (32,) → Dense(8), Add → (None, 8), Dense(4) → (None, 4)", () => {
    expect(shapesByLayer(example("Add()([x1, x2])"), "added")).toEqual({
      input_1: [null, 16],
      dense_1: [null, 8],
      input_2: [null, 32],
      dense_2: [null, 8],
      add_1: [null, 8],
      dense_3: [null, 4],
    });
  });

  it("gives the same graph through the functional form `add([x1, x2])`", () => {
    const layer = build(example("Add()([x1, x2])"), {}, true).graph("added");
    const functional = build(example("add([x1, x2])"), {}, true).graph("added");
    expect(layerNames(functional)).toEqual(layerNames(layer));
    expect(functional.values.map((v) => v.type)).toEqual(layer.values.map((v) => v.type));
    expect(outputShape(functional)).toEqual([null, 4]);
  });

  it("has no weights", () => {
    const r = apply("Add()", [tensor([null, 8]), tensor([null, 8])]);
    expect(r.weights).toEqual([]);
    expect(r.params).toBe(0);
  });
});

describe("elementwise merges (Add, Subtract, Multiply, Average, Maximum, Minimum)", () => {
  it.each(ELEMENTWISE)("%s keeps the shape of equal inputs: (None, 8) and (None, 8) → (None, 8)", (name) => {
    const def = getLayerDef(name);
    expect(def?.family).toBe("merge");
    expect(def?.supportsMasking).toBe(true);
    const r = apply(`${name}()`, [tensor([null, 8]), tensor([null, 8])]);
    expect(r.outputs).toEqual([tensor([null, 8])]);
    expect(r.reports).toEqual([]);
  });

  it.each(ELEMENTWISE.filter((n) => n !== "Subtract"))(
    "%s takes two or more inputs: three (None, 3, 4) → (None, 3, 4)",
    (name) => {
      expect(getLayerDef(name)?.inputArity).toEqual({ min: 2, max: Number.POSITIVE_INFINITY });
      const r = apply(`${name}()`, [tensor([null, 3, 4]), tensor([null, 3, 4]), tensor([null, 3, 4])]);
      expect(r.outputs).toEqual([tensor([null, 3, 4])]);
    },
  );

  it("Subtract takes exactly two inputs", () => {
    expect(getLayerDef("Subtract")?.inputArity).toEqual({ min: 2, max: 2 });
  });

  it("broadcasts a size of 1 against the other input's size, axis by axis", () => {
    expect(apply("Add()", [tensor([null, 1, 4]), tensor([null, 3, 1])]).outputs).toEqual([
      tensor([null, 3, 4]),
    ]);
    expect(apply("Multiply()", [tensor([null, 5]), tensor([null, 1]), tensor([null, 5])]).outputs).toEqual([
      tensor([null, 5]),
    ]);
  });

  it("lines a lower-rank input up with the last axes: (None, 3, 4) and (None, 4) → (None, 3, 4)", () => {
    expect(apply("Add()", [tensor([null, 3, 4]), tensor([null, 4])]).outputs).toEqual([tensor([null, 3, 4])]);
    expect(apply("Add()", [tensor([null, 4]), tensor([null, 2, 3, 1])]).outputs).toEqual([
      tensor([null, 2, 3, 4]),
    ]);
  });

  it("keeps None where either input has None, as Keras does, even beside a known size", () => {
    expect(apply("Maximum()", [tensor([null, 5]), tensor([null, null])]).outputs).toEqual([
      tensor([null, null]),
    ]);
    expect(apply("Maximum()", [tensor([null, null]), tensor([null, 1])]).outputs).toEqual([
      tensor([null, null]),
    ]);
  });

  it("takes the one known batch size; different ones are an error", () => {
    expect(apply("Add()", [tensor([8, 4]), tensor([null, 4])]).outputs).toEqual([tensor([8, 4])]);
    const r = apply("Add()", [tensor([8, 4]), tensor([null, 4]), tensor([16, 4])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 2,
        expected: "the batch size of input 1, 8,",
        hint: "merged tensors must have the same batch size",
      },
    ]);
  });

  it("unifies symbolic dims: T with T or with 1 stays T, T with a size is that size, T with U clashes", () => {
    expect(apply("Add()", [tensor([null, "T", 4]), tensor([null, "T", 4])]).outputs).toEqual([
      tensor([null, "T", 4]),
    ]);
    expect(apply("Add()", [tensor([null, "T", 4]), tensor([null, 1, 4])]).outputs).toEqual([
      tensor([null, "T", 4]),
    ]);
    expect(apply("Add()", [tensor([null, "T"]), tensor([null, 5])]).outputs).toEqual([tensor([null, 5])]);
    const r = apply("Add()", [tensor([null, "T", 4]), tensor([null, "U", 4])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toMatchObject([
      { kind: "input", index: 1, expected: "the same shape as input 1, (None, T, 4)," },
    ]);
  });

  it("names the earlier input a clashing input disagrees with, not just the first", () => {
    const r = apply("Add()", [tensor([null, 1]), tensor([null, 4]), tensor([null, 8])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 2,
        expected: "the same shape as input 2, (None, 4),",
        hint: "merged inputs must agree on every axis, except that a size of 1 broadcasts and a lower-rank input lines up with the last axes: 8 does not match 4",
      },
    ]);
  });

  it("masks the output when any input is masked", () => {
    expect(apply("Average()", [tensor([null, 5, 3]), tensor([null, 5, 3], true)]).outputs).toEqual([
      tensor([null, 5, 3], true),
    ]);
    expect(apply("Average()", [tensor([null, 5, 3]), tensor([null, 5, 3])]).outputs).toEqual([
      tensor([null, 5, 3]),
    ]);
  });
});

describe("Concatenate", () => {
  it("joins on the last axis by default: (None, 3) and (None, 5) → (None, 8)", () => {
    const r = apply("Concatenate()", [tensor([null, 3]), tensor([null, 5])]);
    expect(r.outputs).toEqual([tensor([null, 8])]);
    expect(r.weights).toEqual([]);
  });

  it("joins on a given axis, negative counting from the end: Keras's (2, 2, 5) + (2, 1, 5) → (2, 3, 5)", () => {
    const inputs = [tensor([2, 2, 5]), tensor([2, 1, 5])];
    expect(apply("Concatenate(axis=1)", inputs).outputs).toEqual([tensor([2, 3, 5])]);
    expect(apply("Concatenate(axis=-2)", inputs).outputs).toEqual([tensor([2, 3, 5])]);
    expect(
      apply("Concatenate(1)", [tensor([null, 2, 5]), tensor([null, 1, 5]), tensor([null, 4, 5])]).outputs,
    ).toEqual([tensor([null, 7, 5])]);
  });

  it("sums to None when a size on the axis is None or symbolic", () => {
    expect(apply("Concatenate()", [tensor([null, 3]), tensor([null, null])]).outputs).toEqual([
      tensor([null, null]),
    ]);
    expect(apply("Concatenate(axis=1)", [tensor([null, "T", 4]), tensor([null, "T", 4])]).outputs).toEqual([
      tensor([null, null, 4]),
    ]);
  });

  it("takes the first input's dims off the axis, as Keras does", () => {
    expect(apply("Concatenate()", [tensor([null, null, 4]), tensor([null, 5, 4])]).outputs).toEqual([
      tensor([null, null, 8]),
    ]);
    expect(apply("Concatenate()", [tensor([null, "T", 4]), tensor([null, "T", 2])]).outputs).toEqual([
      tensor([null, "T", 6]),
    ]);
  });

  it("masks the output when any input is masked", () => {
    expect(apply("Concatenate()", [tensor([null, 5, 3], true), tensor([null, 5, 2])]).outputs).toEqual([
      tensor([null, 5, 5], true),
    ]);
  });

  it("needs the same rank and equal dims off the axis, naming the input that differs", () => {
    const rank = apply("Concatenate()", [tensor([null, 3, 4]), tensor([null, 4])]);
    expect(rank.outputs).toBeNull();
    expect(rank.reports).toEqual([
      {
        kind: "input",
        index: 1,
        expected: "a 3D input like input 1, (None, 3, 4),",
        hint: "Concatenate joins inputs of the same rank",
      },
    ]);
    const dims = apply("Concatenate()", [
      tensor([null, null, 4]),
      tensor([null, 3, 4]),
      tensor([null, 5, 2]),
    ]);
    expect(dims.outputs).toBeNull();
    expect(dims.reports).toEqual([
      {
        kind: "input",
        index: 2,
        expected: "the same shape as input 2, (None, 3, 4), outside the concatenation axis 2,",
        hint: "Concatenate joins inputs that agree on every other axis: axis 1 is 5 here but 3 in input 2",
      },
    ]);
  });

  it("rejects an axis that is out of range or resolves to the batch axis", () => {
    const inputs = [tensor([null, 3, 4]), tensor([null, 3, 4])];
    expect(apply("Concatenate(axis=3)", inputs).reports).toEqual([
      {
        kind: "argument",
        arg: "axis",
        message: "axis 3 is out of range for the 3D inputs (None, 3, 4)",
        hint: "concatenate along an axis from 1 to 2, or from -1 to -2",
      },
    ]);
    expect(apply("Concatenate(axis=-3)", inputs).reports).toMatchObject([
      { kind: "argument", arg: "axis", message: "axis -3 is the batch axis of the 3D inputs (None, 3, 4)" },
    ]);
  });
});

describe("merge errors through the pipeline", () => {
  it("KML401: inputs that do not broadcast, at the application, naming both inputs and shapes", () => {
    const b = build(
      `model m {
  a = Input(shape=(4,))
  b = Input(shape=(8,))
  y = Add()([a, b])
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "4:7"]]);
    const [d] = b.diagnostics;
    expect(d!.message).toBe(
      "Add `add_1` expects the same shape as input 1, (None, 4), as input 2; `input_2` at line 3 produces (None, 8)",
    );
    expect(d!.related!.map((r) => [b.at(r.span), r.message])).toEqual([
      ["3:7", "`input_2` produces (None, 8)"],
    ]);
  });

  it("KML401: symbolic dims that differ, and Concatenate inputs that differ off the axis", () => {
    const b = build(
      `dim T, U
model m {
  a = Input(shape=(T, 4))
  b = Input(shape=(U, 4))
  c = Input(shape=(T, 4))
  ok = Add()([a, c])
  bad = Add()([a, b])
  joined = Concatenate(axis=-1)([a, b])
  outputs ok, bad, joined
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML401", "7:9"],
      ["KML401", "8:12"],
    ]);
    expect(b.diagnostics[1]!.message).toBe(
      "Concatenate `concatenate_1` expects the same shape as input 1, (None, T, 4), outside the concatenation axis 2, as input 2; `input_2` at line 4 produces (None, U, 4)",
    );
    expect(outputShape(b.graph("m"), 0)).toEqual([null, "T", 4]);
  });

  it("KML402: a Concatenate axis that does not fit the inputs, at the constructor", () => {
    const b = build(
      `model m {
  a = Input(shape=(3, 4))
  y = Concatenate(axis=-3)([a, a])
  z = Concatenate(axis=5)([a, a])
  outputs y, z
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML402", "3:7"],
      ["KML402", "4:7"],
    ]);
    expect(b.diagnostics[0]!.message).toBe(
      "Concatenate `concatenate_1`: axis -3 is the batch axis of the 3D inputs (None, 3, 4)",
    );
  });

  it("axis=0 is rejected with the arguments, at the value", () => {
    const b = build(
      `model m {
  a = Input(shape=(3,))
  y = Concatenate(axis=0)([a, a])
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML313", "3:24"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "`axis` of Concatenate: axis 0 is the batch axis; Concatenate joins the features of each sample",
    );
  });

  it("KML403: Subtract of three tensors, Add of one, at the application", () => {
    const b = build(
      `model m {
  a = Input(shape=(4,))
  d = Subtract()([a, a, a])
  s = Add()(a)
  outputs d, s
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML403", "3:7"],
      ["KML403", "4:7"],
    ]);
    expect(b.diagnostics.map((d) => d.message)).toEqual([
      "Subtract `subtract_1` takes exactly 2 input tensors, got 3",
      "Add `add_1` takes at least 2 input tensors, got 1",
    ]);
  });
});

describe("functional forms", () => {
  it("add, subtract, multiply, average, maximum, minimum apply their layer to the list", () => {
    const shapes = shapesByLayer(`model m {
  a = Input(shape=(4,))
  b = Input(shape=(4,))
  s = add([a, b])
  d = subtract([a, b])
  p = multiply([a, b, s])
  v = average([a, b])
  hi = maximum([a, b])
  lo = minimum(inputs=[a, b])
  outputs s, d, p, v, hi, lo
}
`);
    expect(shapes).toEqual({
      input_1: [null, 4],
      input_2: [null, 4],
      add_1: [null, 4],
      subtract_1: [null, 4],
      multiply_1: [null, 4],
      average_1: [null, 4],
      maximum_1: [null, 4],
      minimum_1: [null, 4],
    });
  });

  it("concatenate takes the remaining arguments as the layer's: axis by keyword or position, name", () => {
    const b = build(
      `dim T
model m {
  a = Input(shape=(T, 4))
  b = Input(shape=(T, 4))
  x = concatenate([a, b], axis=1)
  y = concatenate([a, b], -1, name="features")
  z = concatenate([a, b])
  outputs x, y, z
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    const g = b.graph("m");
    expect(layerNames(g)).toEqual(["input_1", "input_2", "concatenate_1", "features", "concatenate_2"]);
    expect([0, 1, 2].map((i) => outputShape(g, i))).toEqual([
      [null, null, 4],
      [null, "T", 8],
      [null, "T", 8],
    ]);
    expect(g.layers.find((l) => l.name === "concatenate_1")?.args.axis).toBe(1);
  });

  it("lowers the inputs first, as Python evaluates them: the inner add is add_1", () => {
    const b = build(
      `model m {
  a = Input(shape=(4,))
  y = add([add([a, a]), a])
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    const g = b.graph("m");
    expect(layerNames(g)).toEqual(["input_1", "add_1", "add_2"]);
    expect(g.nodes.map((n) => g.layers.find((l) => l.id === n.layer)?.name)).toEqual([
      "input_1",
      "add_1",
      "add_2",
    ]);
  });

  it("reports input counts at inference and stray arguments at binding, with spans", () => {
    const b = build(
      `model m {
  a = Input(shape=(4,))
  y = add()
  z = add(a)
  w = add([a, a], 3)
  outputs y, z, w
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML302", "5:19"],
      ["KML403", "3:7"],
      ["KML403", "4:7"],
    ]);
    expect(b.diagnostics[1]!.message).toBe("Add `add_1` takes at least 2 input tensors, got 0");
  });

  it("a shape error in a functional form points at the call", () => {
    const b = build(
      `model m {
  a = Input(shape=(4,))
  b = Input(shape=(8,))
  y = maximum([a, b])
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "4:7"]]);
    expect(b.diagnostics[0]!.message).toMatch(/^Maximum `maximum_1` expects the same shape as input 1/);
  });

  it("is not a sequential line, and a local name or block called `add` shadows it", () => {
    const seq = build(
      `sequential s(input_shape=(3,)) {
  add([])
}
`,
      {},
      true,
    );
    expect(seq.codes()).toEqual([["KML210", "2:3"]]);
    expect(seq.diagnostics[0]!.message).toBe(
      "`add` is the functional form of Add, not a layer: it cannot be applied",
    );

    const shadowed = build(
      `block add(x) {
  return Dense(2)(x)
}
model m {
  a = Input(shape=(4,))
  y = add(a)
  outputs y
}
`,
      {},
      true,
    );
    expect(shadowed.codes()).toEqual([]);
    expect(outputShape(shadowed.graph("m"))).toEqual([null, 2]);
  });

  it("exists only for the merge layers, in lower case", () => {
    const b = build(
      `model m {
  a = Input(shape=(4,))
  y = dense(a)
  z = ADD([a, a])
  outputs y, z
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML209", "3:7"],
      ["KML209", "4:7"],
    ]);
    expect(b.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ["unknown layer `dense`", "did you mean `Dense`?"],
      ["unknown layer `ADD`", "did you mean `Add`?"],
    ]);
  });
});
