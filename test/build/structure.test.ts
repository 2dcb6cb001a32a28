// Graph structure built from .kml: shared layers, block expansion, sequential inputs, rebinding,
// layer naming and imports. Positions are "line:col" of spans.
import { describe, expect, it } from "vitest";
import { toSnakeCase } from "../../src/compiler/2-build/layer-naming.js";
import { build, layerNames } from "./helpers.js";

describe("functional models", () => {
  it("applies a shared layer twice: one LayerInstance, two nodes", () => {
    const b = build(`model siamese {
  a = Input(shape=(16,))
  b = Input(shape=(16,))
  encode = Dense(8, activation="relu")
  ea = encode(a)
  eb = encode(b)
  outputs ea, eb
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("siamese");
    expect(g.kind).toBe("functional");
    expect(layerNames(g)).toEqual(["input_1", "input_2", "dense_1"]);
    const dense = g.layers.find((l) => l.type === "Dense")!;
    const applications = g.nodes.filter((n) => n.layer === dense.id);
    expect(applications.map((n) => n.inputs)).toEqual([[g.inputs[0]], [g.inputs[1]]]);
    expect(applications.map((n) => b.at(n.span))).toEqual(["5:8", "6:8"]);
    expect(b.at(dense.span)).toBe("4:12");
    expect(dense.args.units).toBe(8);
    expect(dense.args.activation).toBe("relu");
    expect(g.outputs).toEqual(applications.map((n) => n.outputs[0]));
    expect(g.values.filter((v) => g.outputs.includes(v.id)).map((v) => v.name)).toEqual(["ea", "eb"]);
  });

  it("rebinds a name to each new value (SSA-like), reading the previous binding", () => {
    const b = build(`model m {
  x = Input(shape=(4,))
  x = Dense(8)(x)
  x = Dense(2)(x)
  outputs x
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("m");
    expect(g.nodes.map((n) => n.inputs)).toEqual([[], [0], [1]]);
    expect(g.outputs).toEqual([2]);
    expect(g.values.map((v) => v.name)).toEqual(["x", "x", "x"]);
  });

  it("names layers like Keras 2: name=, or snake_case type with a per-type counter from 1", () => {
    const b = build(`model m {
  a = Input(shape=(4,), name="pixels")
  h = Dense(8)(a)
  h = Dropout(0.5)(h)
  h = Dense(8, name="hidden")(h)
  h = Dense(4)(h)
  h = RepeatVector(3)(h)
  outputs h
}
`);
    expect(layerNames(b.graph("m"))).toEqual([
      "pixels",
      "dense_1",
      "dropout_1",
      "hidden",
      "dense_2",
      "repeat_vector_1",
    ]);
  });

  it("snake-cases class names as Keras's _to_snake_case does", () => {
    expect(
      [
        "Conv2D",
        "MaxPooling2D",
        "PReLU",
        "LSTM",
        "SimpleRNN",
        "BatchNormalization",
        "CuDNNLSTM",
        "Conv2DTranspose",
      ].map(toSnakeCase),
    ).toEqual([
      "conv2d",
      "max_pooling2d",
      "p_re_lu",
      "lstm",
      "simple_rnn",
      "batch_normalization",
      "cu_dnnlstm",
      "conv2d_transpose",
    ]);
  });

  it("applies a layer to a list and nested applications inline", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  y = Dense(2)(Dense(3)(a))
  outputs y
}
`);
    const g = b.graph("m");
    expect(layerNames(g)).toEqual(["input_1", "dense_2", "dense_1"]);
    expect(g.nodes.map((n) => [g.layers[n.layer]!.name, n.inputs])).toEqual([
      ["input_1", []],
      ["dense_2", [0]],
      ["dense_1", [1]],
    ]);
  });

  it("records the symbolic dims a graph uses", () => {
    const b = build(`dim T, B
model m {
  a = Input(shape=(T, 4))
  outputs a
}
`);
    expect(b.graph("m").dims.map((d) => [d.name, b.at(d.span)])).toEqual([["T", "1:5"]]);
    expect(b.graph("m").layers[0]!.args.shape).toEqual([{ dim: "T" }, 4]);
  });

  it("keeps one graph per model and sequential, in source order, and never throws on a broken one", () => {
    const b = build(`sequential first(input_shape=(3,)) {
  Dense(2)
}
model second {
  a = Input(shape=(3,))
  y = Dense(units=-1)(a)
  outputs y
}
`);
    expect(b.program.graphs.map((g) => [g.name, g.kind])).toEqual([
      ["first", "sequential"],
      ["second", "functional"],
    ]);
    expect(b.codes()).toEqual([["KML306", "6:19"]]);
    // The broken layer is left out; its output is not an output of the graph.
    expect(b.graph("second").nodes).toHaveLength(1);
    expect(b.graph("second").outputs).toEqual([]);
  });

  it("freezes what it builds", () => {
    const g = build(`model m {
  a = Input(shape=(4,))
  outputs a
}
`).graph("m");
    expect(Object.isFrozen(g)).toBe(true);
    expect(Object.isFrozen(g.nodes)).toBe(true);
    expect(Object.isFrozen(g.layers[0])).toBe(true);
    expect(Object.isFrozen(g.layers[0]!.args.shape)).toBe(true);
  });
});

describe("blocks", () => {
  const residual = `block residual(x, units, rate=0.5) {
  y = Dense(units, activation="relu")(x)
  y = Dropout(rate)(y)
  return Dense(units)(y)
}
`;

  it("expands a block twice: distinct layers, spans inside the block, expandedFrom at each call", () => {
    const b = build(`${residual}model m {
  a = Input(shape=(8,))
  h = residual(a, 8)
  h = residual(h, units=8, rate=0.1)
  outputs h
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("m");
    expect(layerNames(g)).toEqual([
      "input_1",
      "dense_1",
      "dropout_1",
      "dense_2",
      "dense_3",
      "dropout_2",
      "dense_4",
    ]);
    const expanded = g.layers.slice(1);
    expect(expanded.map((l) => b.at(l.span))).toEqual(["2:7", "3:7", "4:10", "2:7", "3:7", "4:10"]);
    expect(expanded.map((l) => l.expandedFrom.map(b.at))).toEqual([
      ["8:7"],
      ["8:7"],
      ["8:7"],
      ["9:7"],
      ["9:7"],
      ["9:7"],
    ]);
    expect(g.nodes.map((n) => n.expandedFrom.map(b.at))).toEqual([
      [],
      ["8:7"],
      ["8:7"],
      ["8:7"],
      ["9:7"],
      ["9:7"],
      ["9:7"],
    ]);
    expect(g.nodes.slice(1).map((n) => b.at(n.span))).toEqual(["2:7", "3:7", "4:10", "2:7", "3:7", "4:10"]);
    // Parameters substituted: the default rate, then the keyword.
    expect(expanded.filter((l) => l.type === "Dropout").map((l) => l.args.rate)).toEqual([0.5, 0.1]);
    expect(g.nodes.map((n) => n.inputs)).toEqual([[], [0], [1], [2], [3], [4], [5]]);
  });

  it("records nested expansions outermost first", () => {
    const b = build(`block inner(x) {
  return Dense(2)(x)
}
block outer(x) {
  return inner(x)
}
model m {
  a = Input(shape=(4,))
  y = outer(a)
  outputs y
}
`);
    const dense = b.graph("m").layers[1]!;
    expect(dense.expandedFrom.map(b.at)).toEqual(["9:7", "5:10"]);
  });

  it("passes constants, folded arithmetic, dims and layers as block arguments", () => {
    const b = build(`dim T
block widen(x, units, shared) {
  h = Dense(units * 2 + 1)(x)
  return shared(h)
}
model m {
  a = Input(shape=(T, 4))
  enc = Dense(3)
  y = widen(a, 4, enc)
  z = enc(a)
  outputs y, z
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("m");
    expect(layerNames(g)).toEqual(["input_1", "dense_2", "dense_1"]);
    expect(g.layers[1]!.args.units).toBe(9);
    // The shared layer passed into the block is the same LayerInstance as the one applied outside.
    expect(g.nodes.filter((n) => n.layer === 2)).toHaveLength(2);
  });

  it("returns several tensors, unpacked at the call", () => {
    const b = build(`block heads(x) {
  return Dense(1)(x), Dense(2)(x)
}
model m {
  a = Input(shape=(4,))
  p, q = heads(a)
  outputs p, q
}
`);
    expect(b.diagnostics).toEqual([]);
    expect(b.graph("m").outputs).toEqual([1, 2]);
    expect(b.graph("m").values.map((v) => v.name)).toEqual(["a", "p", "q"]);
  });
});

describe("sequential models", () => {
  it("creates the Input from the header, named input_1", () => {
    const b = build(`sequential mlp(input_shape=(784,)) {
  Dense(512, activation="relu")
  Dropout(0.2)
  Dense(10, activation="softmax")
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("mlp");
    expect(g.kind).toBe("sequential");
    expect(layerNames(g)).toEqual(["input_1", "dense_1", "dropout_1", "dense_2"]);
    expect(g.layers[0]!.args.batch_shape).toEqual([null, 784]);
    expect(b.at(g.layers[0]!.span)).toBe("1:16");
    expect(g.inputs).toEqual([0]);
    expect(g.outputs).toEqual([3]);
    expect(g.nodes.map((n) => b.at(n.span))).toEqual(["1:16", "2:3", "3:3", "4:3"]);
  });

  it("creates the Input from the first layer's input_shape, named <layer>_input", () => {
    const b = build(`sequential s {
  Dense(32, input_shape=(16,))
  Dense(8)
}
`);
    const g = b.graph("s");
    expect(layerNames(g)).toEqual(["dense_1_input", "dense_1", "dense_2"]);
    expect(g.layers[0]!.args.batch_shape).toEqual([null, 16]);
    expect(b.at(g.layers[0]!.span)).toBe("2:13");
  });

  it("creates the Input from input_dim, and from batch_size with input_shape", () => {
    const b = build(`sequential by_dim {
  Dense(32, input_dim=784)
}
sequential by_batch {
  Dense(32, input_shape=(10, 4), batch_size=8, dtype="int32")
}
sequential by_header(batch_input_shape=(2, 5)) {
  Dense(1)
}
`);
    expect(b.graph("by_dim").layers[0]!.args.batch_shape).toEqual([null, 784]);
    const batch = b.graph("by_batch").layers[0]!;
    expect(batch.args.batch_shape).toEqual([8, 10, 4]);
    expect(batch.args.dtype).toBe("int32");
    expect(b.graph("by_header").layers[0]!.args.batch_shape).toEqual([2, 5]);
  });

  it("accepts an explicit Input as the first line", () => {
    const b = build(`sequential s {
  Input(shape=(4,))
  Dense(2)
}
`);
    expect(b.diagnostics).toEqual([]);
    expect(layerNames(b.graph("s"))).toEqual(["input_1", "dense_1"]);
  });

  it("passes the running tensor to a block line as its first parameter", () => {
    const b = build(`block dense_block(x, units, rate=0.1) {
  h = Dense(units, activation="relu")(x)
  return Dropout(rate)(h)
}
sequential tabular(input_shape=(20,)) {
  dense_block(64)
  dense_block(32, rate=0.2)
  Dense(1, activation="sigmoid")
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("tabular");
    expect(layerNames(g)).toEqual(["input_1", "dense_1", "dropout_1", "dense_2", "dropout_2", "dense_3"]);
    expect(g.nodes.map((n) => n.inputs)).toEqual([[], [0], [1], [2], [3], [4]]);
    expect(g.layers.map((l) => l.expandedFrom.map(b.at))).toEqual([
      [],
      ["6:3"],
      ["6:3"],
      ["7:3"],
      ["7:3"],
      [],
    ]);
  });

  it("keeps checking every line's arguments after an error, without shape cascades", () => {
    const b = build(`sequential s(input_shape=(4,)) {
  Dense(units=0)
  Dense(4)
  Dropout(2.0)
}
`);
    expect(b.codes()).toEqual([
      ["KML306", "2:15"],
      ["KML306", "4:11"],
    ]);
    expect(b.graph("s").outputs).toEqual([]);
  });
});

describe("imports", () => {
  it("uses an imported file's blocks and dims", () => {
    const b = build(
      `import "lib/blocks.kml"
model m {
  a = Input(shape=(T, 4))
  y = proj(a)
  outputs y
}
`,
      { "lib/blocks.kml": "dim T\nblock proj(x) {\n  return Dense(2)(x)\n}\n" },
    );
    expect(b.diagnostics).toEqual([]);
    const dense = b.graph("m").layers[1]!;
    expect(dense.span.file).toBe("lib/blocks.kml");
    expect(b.at(dense.span)).toBe("lib/blocks.kml:3:10");
    expect(dense.expandedFrom.map(b.at)).toEqual(["4:7"]);
    expect(b.graph("m").dims.map((d) => b.at(d.span))).toEqual(["lib/blocks.kml:1:5"]);
  });

  it("reads a file imported twice (directly and through another file) once, without duplicate clashes", () => {
    let reads = 0;
    const files: Record<string, string> = {
      "a.kml": 'import "common.kml"\nblock fa(x) {\n  return common(x)\n}\n',
      "common.kml": "block common(x) {\n  return Dense(2)(x)\n}\n",
    };
    const counting = new Proxy(files, {
      get(target, key: string) {
        if (key === "common.kml") reads++;
        return target[key];
      },
    });
    const b = build(
      `import "a.kml"
import "common.kml"
import "common.kml"
model m {
  a = Input(shape=(4,))
  y = fa(a)
  outputs y
}
`,
      counting,
    );
    expect(b.diagnostics).toEqual([]);
    expect(layerNames(b.graph("m"))).toEqual(["input_1", "dense_1"]);
    // The resolver is asked each time (the caller caches parses); the builder declares the file once.
    expect(reads).toBe(3);
  });

  it("does not build graphs for imported models", () => {
    const b = build(
      `import "other.kml"
`,
      { "other.kml": "model other {\n  a = Input(shape=(2,))\n  outputs a\n}\n" },
    );
    expect(b.program.graphs).toEqual([]);
  });
});
