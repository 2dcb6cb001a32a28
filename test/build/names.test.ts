// One test per name-resolution / structure diagnostic (KML201–KML252): code, position, and the parts of
// the message and hint a user relies on.

import { describe, expect, it } from "vitest";
import { KERAS_LAYER_NAMES } from "../../src/compiler/layers/keras-names.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build, compileKml } from "./helpers.js";

describe("undefined names", () => {
  it("KML201: an undefined name, with a suggestion from the names in scope", () => {
    const b = build(`model m {
  inputs_a = Input(shape=(4,))
  y = Dense(3)(input_a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML201", "3:16"]]);
    const [d] = b.diagnostics;
    expect(d!.message).toBe("`input_a` is not defined");
    expect(d!.hint).toBe("did you mean `inputs_a`?");
    expect(d!.span.end - d!.span.start).toBe("input_a".length);
  });

  it("KML202: a name used before the line that defines it, pointing at the definition", () => {
    const b = build(`model m {
  y = Dense(3)(x)
  x = Input(shape=(4,))
  outputs y
}
`);
    expect(b.codes()).toEqual([
      ["KML202", "2:16"],
      ["KML250", "3:3"],
    ]);
    const [d] = b.diagnostics;
    expect(d!.message).toBe("`x` is used before it is defined at line 3");
    expect(d!.related!.map((r) => b.at(r.span))).toEqual(["3:3"]);
  });

  it("KML202: a name used in its own first definition", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  x = Dense(3)(x)
  outputs a
}
`);
    expect(b.codes()).toEqual([["KML202", "3:16"]]);
    expect(b.diagnostics[0]!.message).toBe("`x` is used in its own definition");
  });

  it("KML209: an unknown layer suggests the closest layer or block name", () => {
    const b = build(`block residual(x) {
  return Dense(4)(x)
}
model m {
  a = Input(shape=(4,))
  h = dense(4)(a)
  y = residul(h)
  outputs y
}
`);
    expect(b.codes()).toEqual([
      ["KML209", "6:7"],
      ["KML209", "7:7"],
    ]);
    expect(b.diagnostics.map((d) => d.hint)).toEqual(["did you mean `Dense`?", "did you mean `residual`?"]);
    expect(b.diagnostics[0]!.message).toBe("unknown layer `dense`");
  });

  it("KML209 suggests Keras layers this release does not implement yet, and maps Keras 1 names", () => {
    const b = build(`sequential m(input_shape=(28, 28, 1)) {
  Conv2d(8, 3)
  Convolution2D(8, 3, 3)
}
`);
    expect(b.codes()).toEqual([
      ["KML209", "2:3"],
      ["KML209", "3:3"],
    ]);
    expect(b.diagnostics.map((d) => d.hint)).toEqual(["did you mean `Conv2D`?", "did you mean `Conv2D`?"]);
  });

  it("KML231: a correctly spelled Keras 2 layer that kerasc does not support yet", () => {
    // Transitional: while the catalogue is incomplete, a real Keras name gets KML231, never "unknown layer".
    const unimplemented = KERAS_LAYER_NAMES.filter((name) => /^[A-Z]/.test(name) && !getLayerDef(name));
    for (const name of unimplemented) {
      const b = build(`sequential m(input_shape=(10, 4)) {\n  ${name}(8)\n}\n`);
      expect(b.codes()).toEqual([["KML231", "2:3"]]);
      expect(b.diagnostics[0]!.message).toBe(
        `\`${name}\` is a Keras 2 layer that kerasc does not support yet`,
      );
    }
    const implemented = KERAS_LAYER_NAMES.filter((name) => getLayerDef(name));
    expect(implemented).toContain("Dense");
  });
});

describe("duplicates", () => {
  it("KML203: two top-level items with one name, and a dim declared twice in a file", () => {
    const b = build(`dim T
block enc(x) {
  return Dense(4)(x)
}
model enc {
  a = Input(shape=(4,))
  outputs a
}
dim T
`);
    expect(b.codes()).toEqual([
      ["KML203", "5:7"],
      ["KML203", "9:5"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("model `enc` is already declared as a block");
    expect(b.diagnostics[0]!.related!.map((r) => b.at(r.span))).toEqual(["2:7"]);
  });

  it("KML203: a name clashing with an imported file's block, reported in the importing file", () => {
    const b = build(
      `import "lib.kml"
block enc(x) {
  return Dense(2)(x)
}
`,
      { "lib.kml": "block enc(x) {\n  return Dense(4)(x)\n}\n" },
    );
    expect(b.codes()).toEqual([["KML203", "2:7"]]);
    expect(b.diagnostics[0]!.message).toBe("block `enc` is already declared as a block in lib.kml");
    expect(b.diagnostics[0]!.related!.map((r) => b.at(r.span))).toEqual(["lib.kml:1:7"]);
  });

  it("KML203: a dim declared twice inside one body", () => {
    const b = build(`model m {
  dim T
  dim T
  a = Input(shape=(T,))
  outputs a
}
`);
    expect(b.codes()).toEqual([["KML203", "3:7"]]);
  });

  it("does not expand a block whose parameter is declared twice (the front end reports KML112)", () => {
    const b = build(
      `block twice(x, units, units) {
  return Dense(units)(x)
}
model m {
  a = Input(shape=(4,))
  y = twice(a, 3, 5)
  outputs y
}
`,
      {},
      false,
      { allowSyntax: ["KML112"] },
    );
    expect(b.codes()).toEqual([]);
    expect(b.graph("m").layers.map((l) => l.type)).toEqual(["Input"]);
  });

  it("KML205: two layers named alike, and a name= clashing with an automatic name", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  h = Dense(4, name="hidden")(a)
  h = Dense(4, name="hidden")(h)
  y = Dense(2)(h)
  z = Dense(2, name="dense_1")(y)
  outputs z
}
`);
    expect(b.codes()).toEqual([
      ["KML205", "4:21"],
      ["KML205", "6:21"],
    ]);
    const [first, second] = b.diagnostics;
    expect(first!.message).toBe("the model already has a layer named `hidden`");
    expect(first!.related!.map((r) => b.at(r.span))).toEqual(["3:21"]);
    expect(second!.related!.map((r) => r.message)).toEqual(["this layer is automatically named `dense_1`"]);
  });

  it("KML205: a name= inside a block expanded twice", () => {
    const b = build(`block head(x) {
  return Dense(2, name="head")(x)
}
model m {
  a = Input(shape=(4,))
  p = head(a)
  q = head(a)
  outputs p, q
}
`);
    expect(b.codes()).toEqual([["KML205", "2:24"]]);
    const [d] = b.diagnostics;
    expect(d!.hint).toContain("a block expanded twice");
    // The note says which expansion clashed: the second call.
    expect(d!.related!.map((r) => b.at(r.span))).toEqual(["2:24", "7:7"]);
  });
});

describe("cycles and imports", () => {
  it("KML206: a block calling itself, directly and through another block", () => {
    const b = build(`block self(x) {
  return self(x)
}
block ping(x) {
  return pong(x)
}
block pong(x) {
  return ping(x)
}
model m {
  a = Input(shape=(4,))
  y = ping(a)
  z = self(a)
  outputs y, z
}
`);
    expect(b.codes()).toEqual([
      ["KML206", "2:10"],
      ["KML206", "8:10"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("block `self` calls itself");
    expect(b.diagnostics[1]!.message).toBe("block `ping` calls itself through `ping` → `pong` → `ping`");
    expect(b.program.graphs[0]!.nodes).toHaveLength(1); // only the Input: the cyclic calls expand to nothing
  });

  it("KML207: an import cycle, reported at the import that closes it", () => {
    const b = build(
      `import "a.kml"
`,
      {
        "a.kml": 'import "b.kml"\nblock fa(x) {\n  return x\n}\n',
        "b.kml": 'import "a.kml"\n',
      },
    );
    expect(b.codes()).toEqual([["KML207", "b.kml:1:8"]]);
    expect(b.diagnostics[0]!.message).toBe('import cycle: "a.kml" → "b.kml" → "a.kml"');
  });

  it("KML208: an import that cannot be read, at its path", () => {
    const b = build(`import "missing.kml"
model m {
  a = Input(shape=(4,))
  outputs a
}
`);
    expect(b.codes()).toEqual([["KML208", "1:8"]]);
    expect(b.diagnostics[0]!.message).toBe('cannot import "missing.kml": no such file');
    expect(b.program.graphs).toHaveLength(1);
  });
});

describe("wrong kinds", () => {
  it("KML210: applying a tensor, or an Input, as a layer", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  y = a(a)
  z = Input(shape=(4,))(a)
  outputs a
}
`);
    // `y` and `z` are bound to nothing valid, so they are not reported as unused too.
    expect(b.codes()).toEqual([
      ["KML210", "3:7"],
      ["KML210", "4:7"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("`a` is a tensor, not a layer: it cannot be applied");
    expect(b.diagnostics[0]!.hint).toBe("to apply a layer to it, write `Dense(8)(a)`");
    expect(b.diagnostics[1]!.hint).toContain("already produced a tensor");
  });

  it("KML211: a layer or a number where a tensor is needed", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  enc = Dense(4)
  y = Dense(2)(enc)
  z = Dense(2)([a, 5])
  outputs enc
}
`);
    expect(b.codes()).toEqual([
      ["KML211", "4:16"],
      ["KML211", "5:20"],
      ["KML211", "6:11"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("a layer's input must be a tensor, but this is a layer (Dense)");
    expect(b.diagnostics[1]!.message).toBe("a layer's input must be a tensor, but this is the integer 5");
    expect(b.diagnostics[2]!.message).toBe("a model output must be a tensor, but this is a layer (Dense)");
  });

  it("KML212: a layer constructed alone on a line of a model", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  Dense(3)
  outputs a
}
`);
    expect(b.codes()).toEqual([["KML212", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe("Dense is constructed but never applied to a tensor");
  });

  it("KML213: unpacking a block's two results into one name, or one tensor into two", () => {
    const b = build(`block split(x) {
  return Dense(2)(x), Dense(3)(x)
}
model m {
  a = Input(shape=(4,))
  y = split(a)
  p, q = a
  outputs y
}
`);
    expect(b.codes()).toEqual([
      ["KML213", "6:3"],
      ["KML213", "7:3"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("`split` produces 2 tensors, but 1 name is bound");
    expect(b.diagnostics[0]!.hint).toBe("unpack them into 2 names: `t1, t2 = ...`");
    expect(b.diagnostics[1]!.message).toBe("the right-hand side produces 1 tensor, but 2 names are bound");
  });

  it("KML213: unpacking a single-output layer into two names is found by inference", () => {
    const b = compileKml(`model m {
  a = Input(shape=(4,))
  p, q = Dense(3)(a)
  outputs p, q
}
`);
    expect(b.codes()).toEqual([["KML213", "3:10"]]);
    expect(b.diagnostics[0]!.message).toBe("Dense produces 1 tensor, but 2 names are bound");
  });

  it("KML230: a constant alone on a line", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  3
  outputs a
}
`);
    expect(b.codes()).toEqual([["KML230", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe("this line is the integer 3 and has no effect");
  });
});

describe("model structure", () => {
  it("KML214 and KML215: a model without outputs and without an Input", () => {
    const b = build(`model empty {
  enc = Dense(4)
}
`);
    expect(b.codes()).toEqual([
      ["KML214", "1:7"],
      ["KML215", "1:7"],
      ["KML251", "2:3"],
    ]);
    expect(b.diagnostics[2]!.message).toBe("layer `enc` is constructed but never applied");
  });

  it("KML221: statements in the wrong body", () => {
    const b = build(`block blk(x) {
  outputs x
  return x
}
model m {
  a = Input(shape=(4,))
  return a
  outputs a
  outputs a
}
sequential s(input_shape=(4,)) {
  y = Dense(3)
}
`);
    expect(b.codes()).toEqual([
      ["KML221", "7:3"],
      ["KML221", "9:3"],
      ["KML221", "12:3"],
    ]);
    expect(b.diagnostics.map((d) => d.message)).toEqual([
      "`return` belongs in a block",
      "a model has one `outputs` statement",
      "a sequential body has no named values",
    ]);
  });

  it("KML221: `outputs` inside a block, reported once the block is used", () => {
    const b = build(`block blk(x) {
  outputs x
  return x
}
model m {
  a = Input(shape=(4,))
  y = blk(a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML221", "2:3"]]);
    expect(b.diagnostics[0]!.related!.map((r) => b.at(r.span))).toEqual(["7:7"]);
  });

  it("KML222: a block without return", () => {
    const b = build(`block nothing(x) {
  y = Dense(3)(x)
}
model m {
  a = Input(shape=(4,))
  z = nothing(a)
  outputs z
}
`);
    expect(b.codes()).toEqual([
      ["KML251", "2:3"],
      ["KML222", "1:7"],
    ]);
  });

  it("KML224: a model applied as a layer", () => {
    const b = build(`model inner {
  a = Input(shape=(4,))
  outputs a
}
model outer {
  a = Input(shape=(4,))
  y = inner(a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML224", "7:7"]]);
    expect(b.diagnostics[0]!.hint).toContain("block");
  });
});

describe("sequential models", () => {
  it("KML216: no input shape on the header nor on the first layer", () => {
    const b = build(`sequential s {
  Dense(3)
  Dense(2)
}
sequential empty {
}
block blk(x) {
  return x
}
sequential starts_with_block {
  blk()
}
`);
    expect(b.codes()).toEqual([
      ["KML216", "2:3"],
      ["KML216", "5:12"],
      ["KML216", "11:3"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("sequential model `s` does not say what shape its input has");
    expect(b.diagnostics[2]!.hint).toContain("a block line needs a running tensor");
  });

  it("KML216: still reported when the first layer has another error", () => {
    const b = build(`sequential s {
  Dense(3, activation="relux")
}
`);
    expect(b.codes()).toEqual([
      ["KML308", "2:23"],
      ["KML216", "2:3"],
    ]);
  });

  it("KML225: an Input after the first line", () => {
    const b = build(`sequential s {
  Input(shape=(4,))
  Dense(3)
  Input(shape=(4,))
}
`);
    expect(b.codes()).toEqual([["KML225", "4:3"]]);
  });

  it("KML227: a sequential line that is not a layer", () => {
    const b = build(`sequential s(input_shape=(4,)) {
  Dense(3)(x)
  relu
}
`);
    expect(b.codes()).toEqual([
      ["KML227", "2:3"],
      ["KML227", "3:3"],
    ]);
    expect(b.diagnostics[0]!.hint).toContain("write just the layer");
  });

  it("KML229: an unknown header argument, with a suggestion", () => {
    const b = build(`sequential s(input_shap=(4,)) {
  Dense(3)
}
`);
    expect(b.codes()).toEqual([["KML229", "1:14"]]);
    expect(b.diagnostics[0]!.hint).toBe("did you mean `input_shape`?");
  });
});

describe("block calls", () => {
  const block = `block dense_block(x, units, rate=0.1) {
  h = Dense(units)(x)
  return Dropout(rate)(h)
}
`;

  it("KML217: too many arguments, counting the running tensor on a sequential line", () => {
    const b = build(`${block}model m {
  a = Input(shape=(4,))
  y = dense_block(a, 8, 0.2, 5)
  outputs y
}
sequential s(input_shape=(4,)) {
  dense_block(8, 0.2, 5)
}
`);
    expect(b.codes()).toEqual([
      ["KML217", "7:30"],
      ["KML217", "11:23"],
    ]);
    expect(b.diagnostics[0]!.message).toBe("block `dense_block` takes 3 arguments, got 4");
    expect(b.diagnostics[1]!.message).toContain("the running tensor is the first");
  });

  it("KML218: an unknown keyword, with a suggestion", () => {
    const b = build(`${block}model m {
  a = Input(shape=(4,))
  y = dense_block(a, unit=8)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML218", "7:22"]]);
    expect(b.diagnostics[0]!.hint).toBe("did you mean `units`?");
  });

  it("KML219: a missing argument, pointing at the parameter", () => {
    const b = build(`${block}model m {
  a = Input(shape=(4,))
  y = dense_block(a)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML219", "7:7"]]);
    expect(b.diagnostics[0]!.related!.map((r) => b.at(r.span))).toEqual(["1:22"]);
  });

  it("KML220: an argument given positionally and by keyword", () => {
    const b = build(`${block}model m {
  a = Input(shape=(4,))
  y = dense_block(a, 8, units=16)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML220", "7:25"]]);
    expect(b.diagnostics[0]!.related!.map((r) => b.at(r.span))).toEqual(["7:22"]);
  });

  it("KML226: nested blocks that multiply beyond the node budget", () => {
    const b = build(
      `block leaf(x) {
  return Dense(2)(x)
}
block two(x) {
  return leaf(leaf(x))
}
block four(x) {
  return two(two(x))
}
model m {
  a = Input(shape=(4,))
  y = four(four(a))
  outputs y
}
`,
      {},
      false,
      { maxNodesPerGraph: 5 },
    );
    // The inner call expands first (4 Dense + the Input = 5 nodes); the outer one hits the budget.
    expect(b.codes()).toEqual([["KML226", "12:7"]]);
    expect(b.graph("m").nodes).toHaveLength(5);
  });
});

describe("arguments", () => {
  it("KML223: arithmetic that cannot be folded at build time", () => {
    const b = build(`dim T
model m {
  a = Input(shape=(T, 4))
  y = Dense(T * 2)(a)
  z = Dense(3 // 0)(a)
  outputs y, z
}
`);
    expect(b.codes()).toEqual([
      ["KML223", "4:13"],
      ["KML223", "5:13"],
    ]);
    expect(b.diagnostics[0]!.message).toBe(
      "cannot compute this at build time: `*` cannot be computed on the symbolic dimension `T` (its size is unknown at build time)",
    );
    expect(b.diagnostics[1]!.message).toBe("cannot compute this at build time: division by zero");
  });

  it("KML228: a keyword other than initial_state when applying a layer", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  y = Dense(3)(a, training=True)
  outputs y
}
`);
    expect(b.codes()).toEqual([["KML228", "3:19"]]);
  });
});

describe("unused things (warnings)", () => {
  it("KML250: an Input nothing reads, bound or not", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  b = Input(shape=(4,))
  Input(shape=(2,))
  outputs a
}
`);
    expect(b.codes()).toEqual([
      ["KML250", "4:3"],
      ["KML250", "3:3"],
    ]);
    expect(b.diagnostics.every((d) => d.severity === "warning")).toBe(true);
    expect(b.diagnostics[1]!.message).toBe("Input `b` is never used");
  });

  it("KML251: a value assigned but never used; a rebound value whose first binding is unread", () => {
    const b = build(`model m {
  a = Input(shape=(4,))
  h = Dense(4)(a)
  h = Dense(2)(a)
  Dense(2)(h)
  outputs h
}
`);
    expect(b.codes()).toEqual([
      ["KML251", "5:3"],
      ["KML251", "3:3"],
    ]);
    expect(b.diagnostics.map((d) => d.message)).toEqual([
      "the tensor computed here is never used",
      "`h` is assigned but never used",
    ]);
  });

  it("KML252: a block parameter never read, reported once for two expansions", () => {
    const b = build(`block blk(x, units) {
  return Dense(4)(x)
}
model m {
  a = Input(shape=(4,))
  y = blk(a, 3)
  z = blk(y, 5)
  outputs z
}
`);
    expect(b.codes()).toEqual([["KML252", "1:14"]]);
    expect(b.diagnostics[0]!.severity).toBe("warning");
  });
});
