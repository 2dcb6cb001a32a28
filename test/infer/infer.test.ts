// Shape inference over whole models: shapes worked by hand from the Keras 2 rules, and each KML4xx
// diagnostic with its position, message (layer, expectation, upstream producer and line) and no cascades.
import { describe, expect, it } from "vitest";
import { inferProgram } from "../../src/compiler/3-infer/infer.js";
import { defineLayer } from "../../src/compiler/layers/define-layer.js";
import { registerLayer } from "../../src/compiler/layers/registry.js";
import { defineSchema } from "../../src/compiler/layers/schema.js";
import { build, compileKml, outputShape } from "../build/helpers.js";

// Test-only layers: one that emits a mask, one whose shape rule throws (vitest isolates this file's registry).
registerLayer(
  defineLayer({
    name: "TestMasking",
    family: "core",
    summary: "test: passes its input on with a mask",
    schema: defineSchema({}),
    inputArity: { min: 1, max: 1 },
    supportsMasking: true,
    inferOutputs: (_args, [input]) => (input ? [{ ...input, masked: true }] : null),
  }),
);
registerLayer(
  defineLayer({
    name: "TestBroken",
    family: "core",
    summary: "test: a shape rule with a bug",
    schema: defineSchema({}),
    inputArity: { min: 1, max: 1 },
    supportsMasking: true,
    inferOutputs: () => {
      throw new Error("boom");
    },
  }),
);

function shapesOf(text: string, graph: string): (readonly (number | string | null)[] | null)[] {
  const g = compileKml(text).graph(graph);
  return g.values.map((v) => v.type?.shape ?? null);
}

describe("shapes", () => {
  it("types every value of a sequential MLP", () => {
    expect(
      shapesOf(
        `sequential mlp(input_shape=(784,)) {
  Dense(512, activation="relu")
  Dropout(0.2)
  Dense(10, activation="softmax")
}
`,
        "mlp",
      ),
    ).toEqual([
      [null, 784],
      [null, 512],
      [null, 512],
      [null, 10],
    ]);
  });

  it("follows Reshape with -1, Permute (1-based) and RepeatVector", () => {
    expect(
      shapesOf(
        `sequential s {
  Reshape((3, 4), input_shape=(12,))
  Reshape((-1, 2, 2))
  Reshape((3, 4))
  Permute((2, 1))
  Flatten()
  RepeatVector(5)
}
`,
        "s",
      ),
    ).toEqual([
      [null, 12],
      [null, 3, 4],
      [null, 3, 2, 2],
      [null, 3, 4],
      [null, 4, 3],
      [null, 12],
      [null, 5, 12],
    ]);
  });

  it("shares a symbolic dim between two inputs and carries it through shared layers", () => {
    const b = compileKml(`dim T
model two_towers {
  query = Input(shape=(T, 16))
  document = Input(shape=(T, 16))
  encode = Dense(8, activation="relu")
  q = encode(query)
  d = encode(document)
  d_t = Permute((2, 1))(d)
  outputs q, d_t
}
`);
    expect(b.diagnostics).toEqual([]);
    const g = b.graph("two_towers");
    expect(g.inputs.map((id) => g.values[id]!.type!.shape)).toEqual([
      [null, "T", 16],
      [null, "T", 16],
    ]);
    expect(outputShape(g, 0)).toEqual([null, "T", 8]);
    expect(outputShape(g, 1)).toEqual([null, 8, "T"]);
    expect(g.values.every((v) => v.type?.dtype === "float32" && !v.type.masked)).toBe(true);
  });

  it("keeps the batch size and dtype an Input declares", () => {
    const g = compileKml(`sequential s {
  Dense(3, input_shape=(4,), batch_size=16, dtype="int32")
}
`).graph("s");
    expect(g.values[0]!.type).toEqual({ shape: [16, 4], dtype: "int32", masked: false });
    expect(outputShape(g)).toEqual([16, 3]);
  });

  it("builds a new typed program and leaves the built one untouched", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  outputs a
}
`);
    const typed = inferProgram(b.program);
    expect(b.program.graphs[0]!.values[0]!.type).toBeNull();
    expect(typed.program.graphs[0]!.values[0]!.type!.shape).toEqual([null, 4]);
    expect(typed.program.graphs[0]!.nodes).toBe(b.program.graphs[0]!.nodes);
    expect(Object.isFrozen(typed.program.graphs[0]!.values[0])).toBe(true);
  });
});

describe("shape diagnostics", () => {
  it("KML401: names the layer, what it expects, and the upstream layer and line that produced the input", () => {
    const b = compileKml(`model m {
  a = Input(shape=(6,))
  r = Reshape((2, 3))(a)
  f = Flatten()(r)
  y = Dense(3)(Reshape((-1,))(a))
  z = Flatten()(y)
  outputs f, z
}
`);
    expect(b.codes()).toEqual([["KML401", "6:7"]]);
    const [d] = b.diagnostics;
    expect(d!.message).toBe(
      "Flatten `flatten_2` expects an input of rank 3 or more (batch, d1, d2, ...); `dense_1` at line 5 produces (None, 3)",
    );
    expect(d!.related!.map((r) => [b.at(r.span), r.message])).toEqual([
      ["5:7", "`dense_1` produces (None, 3)"],
    ]);
  });

  it("KML401: skips everything downstream of the failed layer (no cascade)", () => {
    const b = compileKml(`sequential s {
  Dense(4, input_shape=(None,))
  Dropout(0.5, noise_shape=(None, 1, 1))
  Dense(2)
}
`);
    expect(b.codes()).toEqual([["KML401", "2:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Dense `dense_1` expects a known last dimension (the features it connects), not None; `dense_1_input` at line 2 produces (None, None)",
    );
    expect(b.graph("s").values.map((v) => v.type?.shape ?? null)).toEqual([[null, null], null, null, null]);
  });

  it("KML402: an argument that does not fit the input, at the layer's constructor", () => {
    const b = compileKml(`model m {
  a = Input(shape=(8,))
  d = Dropout(0.5, noise_shape=(None, 1, 1))(a)
  outputs d
}
`);
    expect(b.codes()).toEqual([["KML402", "3:7"]]);
    expect(b.diagnostics[0]!.message).toMatch(
      /^Dropout `dropout_1`: noise_shape \(None, 1, 1\) has 3 dimensions/,
    );
  });

  it("KML403: a layer applied to the wrong number of tensors", () => {
    const b = compileKml(`model m {
  a = Input(shape=(4,))
  b = Input(shape=(4,))
  y = Dense(3)([a, b])
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML403", "4:7"]]);
    expect(b.diagnostics[0]!.message).toBe("Dense `dense_1` takes exactly 1 input tensor, got 2");
  });

  it("KML404: a mask reaching a layer that cannot take one", () => {
    const b = compileKml(`model m {
  a = Input(shape=(4, 2))
  m = TestMasking()(a)
  f = Flatten()(m)
  outputs f
}
`);
    expect(b.codes()).toEqual([["KML404", "4:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Flatten `flatten_1` cannot take a masked input; `test_masking_1` at line 3 produces (None, 4, 2) masked",
    );
  });

  it("KML499: a shape rule that throws becomes a diagnostic, not a crash", () => {
    const b = compileKml(`model m {
  a = Input(shape=(4,))
  y = TestBroken()(a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML499", "3:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "internal error while inferring the shape of TestBroken `test_broken_1`: boom",
    );
  });

  it("notes the block calls a shape problem inside a block was expanded from", () => {
    const b = compileKml(`block flat(x) {
  return Flatten()(x)
}
model m {
  a = Input(shape=(4,))
  b = Input(shape=(2, 2))
  p = flat(b)
  q = flat(a)
  outputs p, q
}
`);
    expect(b.codes()).toEqual([["KML401", "2:10"]]);
    expect(b.diagnostics[0]!.related!.map((r) => [b.at(r.span), r.message])).toEqual([
      ["5:7", "`input_1` produces (None, 4)"],
      ["8:7", "in a block expanded from here"],
    ]);
  });
});
