// The `weights=` argument of every layer (Keras 2's Layer.set_weights at build): its arrays, in the layer's
// get_weights() order, become the program's weight values (WeightDecl.values, C order, no initializer); a
// list of another length (KML405), an array of another shape (KML406) or a ragged array (KML313) is an
// error at the argument.
import { describe, expect, it } from "vitest";
import { lowerProgram } from "../../src/compiler/5-lower/lower.js";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { printKmlJson } from "../../src/compiler/fmt/print-json.js";
import { compile } from "../../src/compiler/index.js";
import type { Program, WeightDecl } from "../../src/runtime/program.js";

/** Compiles and lowers one model: its program (undefined on errors) and the lowering's diagnostics. */
function lower(source: string): { program: Program | undefined; diagnostics: Diagnostic[] } {
  const compiled = compile(source, { fileName: "test.kml" });
  // compile may lower too (planning): then the weights diagnostics come back from it as well.
  const others = compiled.diagnostics.filter((d) => d.code !== "KML405" && d.code !== "KML406");
  expect(others).toEqual([]);
  const { graphs, diagnostics } = lowerProgram(compiled.ir!);
  return { program: graphs[0]?.program, diagnostics };
}

function lowered(source: string): Program {
  const { program, diagnostics } = lower(source);
  expect(diagnostics).toEqual([]);
  return program!;
}

/** The declared weights as [name, shape, values]. */
function declared(program: Program): [string, number[], number[] | undefined][] {
  return program.weights.map((w: WeightDecl) => [w.name, [...w.shape], w.values && [...w.values]]);
}

/** The text a diagnostic's span covers. */
function spanned(source: string, d: Diagnostic): string {
  return source.slice(d.span.start, d.span.end);
}

describe("weights= becomes the weights' values", () => {
  it("Dense: kernel (in, units) then bias, in C order, replacing the initializers", () => {
    const program = lowered(
      "sequential m(input_shape=(3,)) { Dense(2, weights=[[[1, 2], [3, 4], [5, 6]], [0.5, -0.5]]) }",
    );
    expect(declared(program)).toEqual([
      ["dense_1/kernel", [3, 2], [1, 2, 3, 4, 5, 6]],
      ["dense_1/bias", [2], [0.5, -0.5]],
    ]);
    for (const w of program.weights) expect(w.initializer).toBeUndefined();
  });

  it("leaves layers without weights= on their initializers", () => {
    const program = lowered("sequential m(input_shape=(3,)) { Dense(2, weights=None)\n Dense(1) }");
    for (const w of program.weights) {
      expect(w.values).toBeUndefined();
      expect(w.initializer).toBeDefined();
    }
  });

  it("Dense(use_bias=False): the kernel alone", () => {
    const program = lowered(
      "sequential m(input_shape=(2,)) { Dense(1, use_bias=False, weights=[[[7], [8]]]) }",
    );
    expect(declared(program)).toEqual([["dense_1/kernel", [2, 1], [7, 8]]]);
  });

  it("Conv2D: kernel (kh, kw, in, out) then bias", () => {
    const program = lowered(
      "sequential m(input_shape=(3, 3, 1)) { Conv2D(2, (1, 2), weights=[[[[[1, 2]], [[3, 4]]]], [9, 10]]) }",
    );
    expect(declared(program)).toEqual([
      ["conv2d_1/kernel", [1, 2, 1, 2], [1, 2, 3, 4]],
      ["conv2d_1/bias", [2], [9, 10]],
    ]);
  });

  it("BatchNormalization: gamma, beta, moving_mean, moving_variance; center/scale=False drop beta/gamma", () => {
    const bn = (args: string) =>
      declared(lowered(`sequential m(input_shape=(2,)) { BatchNormalization(${args}) }`));
    expect(bn("weights=[[1, 2], [3, 4], [5, 6], [7, 8]]")).toEqual([
      ["batch_normalization_1/gamma", [2], [1, 2]],
      ["batch_normalization_1/beta", [2], [3, 4]],
      ["batch_normalization_1/moving_mean", [2], [5, 6]],
      ["batch_normalization_1/moving_variance", [2], [7, 8]],
    ]);
    expect(bn("center=False, weights=[[1, 2], [5, 6], [7, 8]]")).toEqual([
      ["batch_normalization_1/gamma", [2], [1, 2]],
      ["batch_normalization_1/moving_mean", [2], [5, 6]],
      ["batch_normalization_1/moving_variance", [2], [7, 8]],
    ]);
    expect(bn("scale=False, weights=[[3, 4], [5, 6], [7, 8]]")).toEqual([
      ["batch_normalization_1/beta", [2], [3, 4]],
      ["batch_normalization_1/moving_mean", [2], [5, 6]],
      ["batch_normalization_1/moving_variance", [2], [7, 8]],
    ]);
    expect(bn("center=False, scale=False, weights=[[5, 6], [7, 8]]")).toEqual([
      ["batch_normalization_1/moving_mean", [2], [5, 6]],
      ["batch_normalization_1/moving_variance", [2], [7, 8]],
    ]);
  });

  it("LSTM: kernel (in, 4u), recurrent_kernel (u, 4u), bias (4u,)", () => {
    const k = JSON.stringify([Array.from({ length: 4 }, (_, i) => i)]);
    const r = JSON.stringify([Array.from({ length: 4 }, (_, i) => 10 + i)]);
    const program = lowered(
      `sequential m(input_shape=(5, 1)) { LSTM(1, weights=[${k}, ${r}, [20, 21, 22, 23]]) }`,
    );
    expect(declared(program)).toEqual([
      ["lstm_1/kernel", [1, 4], [0, 1, 2, 3]],
      ["lstm_1/recurrent_kernel", [1, 4], [10, 11, 12, 13]],
      ["lstm_1/bias", [4], [20, 21, 22, 23]],
    ]);
  });

  it("Embedding: the (input_dim, output_dim) table", () => {
    const program = lowered(
      'sequential m(input_shape=(2,), dtype="int32") { Embedding(3, 2, weights=[[[0, 1], [2, 3], [4, 5]]]) }',
    );
    expect(declared(program)).toEqual([["embedding_1/embeddings", [3, 2], [0, 1, 2, 3, 4, 5]]]);
  });

  it("Bidirectional(LSTM): the forward layer's weights, then the backward layer's", () => {
    // LSTM(1) on 1 feature: kernel (1, 4), recurrent_kernel (1, 4), bias (4,), twice.
    const row = (base: number) => `[[${[0, 1, 2, 3].map((i) => base + i).join(", ")}]]`;
    const bias = (base: number) => `[${[0, 1, 2, 3].map((i) => base + i).join(", ")}]`;
    const list = [row(0), row(10), bias(20), row(30), row(40), bias(50)].join(", ");
    const program = lowered(`sequential m(input_shape=(5, 1)) { Bidirectional(LSTM(1), weights=[${list}]) }`);
    const seq = (base: number) => [0, 1, 2, 3].map((i) => base + i);
    expect(declared(program)).toEqual([
      ["bidirectional_1/forward_kernel", [1, 4], seq(0)],
      ["bidirectional_1/forward_recurrent_kernel", [1, 4], seq(10)],
      ["bidirectional_1/forward_bias", [4], seq(20)],
      ["bidirectional_1/backward_kernel", [1, 4], seq(30)],
      ["bidirectional_1/backward_recurrent_kernel", [1, 4], seq(40)],
      ["bidirectional_1/backward_bias", [4], seq(50)],
    ]);
  });

  it("TimeDistributed takes its own list or, without one, the wrapped layer's", () => {
    const own = lowered(
      "sequential m(input_shape=(4, 2)) { TimeDistributed(Dense(1), weights=[[[1], [2]], [3]]) }",
    );
    const inner = lowered(
      "sequential m(input_shape=(4, 2)) { TimeDistributed(Dense(1, weights=[[[1], [2]], [3]])) }",
    );
    const expected = [
      ["time_distributed_1/kernel", [2, 1], [1, 2]],
      ["time_distributed_1/bias", [1], [3]],
    ];
    expect(declared(own)).toEqual(expected);
    expect(declared(inner)).toEqual(expected);
  });

  it("a shared layer keeps one weight set, given once", () => {
    const program = lowered(`model m {
  a = Input(shape=(2,))
  b = Input(shape=(2,))
  shared = Dense(1, weights=[[[1], [2]], [3]])
  y = shared(a)
  z = shared(b)
  outputs y, z
}`);
    expect(declared(program)).toEqual([
      ["dense_1/kernel", [2, 1], [1, 2]],
      ["dense_1/bias", [1], [3]],
    ]);
  });
});

describe("weights= that does not fit the layer", () => {
  it("reports another number of arrays than weights at the list (KML405)", () => {
    const list = "[[[1, 2], [3, 4], [5, 6]]]";
    const source = `sequential m(input_shape=(3,)) { Dense(2, weights=${list}) }`;
    const { program, diagnostics } = lower(source);
    expect(program).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.message, spanned(source, d), d.hint])).toEqual([
      [
        "KML405",
        "Dense `dense_1` has 2 weights, but `weights` gives 1 array",
        list,
        "one array per weight, in Keras's get_weights() order: kernel (3, 2), bias (2,)",
      ],
    ]);
  });

  it("counts use_bias=False's single weight", () => {
    const list = "[[[1], [2]], [3]]";
    const source = `sequential m(input_shape=(2,)) { Dense(1, use_bias=False, weights=${list}) }`;
    expect(lower(source).diagnostics.map((d) => [d.code, d.message, spanned(source, d)])).toEqual([
      ["KML405", "Dense `dense_1` has 1 weight, but `weights` gives 2 arrays", list],
    ]);
  });

  it("reports weights for a layer that has none (KML405)", () => {
    const source = 'sequential m(input_shape=(2,)) { Activation("relu", weights=[[1]]) }';
    const [d] = lower(source).diagnostics;
    expect([d?.code, d?.message, spanned(source, d!), d?.hint]).toEqual([
      "KML405",
      "Activation `activation_1` has 0 weights, but `weights` gives 1 array",
      "[[1]]",
      "the layer has no weights: leave `weights` out",
    ]);
  });

  it("checks Bidirectional's list against both layers' weights (KML405)", () => {
    const list = "[[[0, 1, 2, 3]], [[0, 1, 2, 3]], [0, 1, 2, 3]]";
    const source = `sequential m(input_shape=(5, 1)) { Bidirectional(LSTM(1), weights=${list}) }`;
    const [d] = lower(source).diagnostics;
    expect([d?.code, d?.message, spanned(source, d!)]).toEqual([
      "KML405",
      "Bidirectional `bidirectional_1` has 6 weights, but `weights` gives 3 arrays",
      list,
    ]);
    expect(d?.hint).toContain("forward_kernel (1, 4)");
    expect(d?.hint).toContain("backward_bias (4,)");
  });

  it("reports an array of another shape than its weight at that array (KML406)", () => {
    const source =
      "sequential m(input_shape=(3,)) { Dense(2, weights=[[[1, 2, 3], [4, 5, 6]], [0.5, -0.5]]) }";
    const { program, diagnostics } = lower(source);
    expect(program).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.message, spanned(source, d)])).toEqual([
      [
        "KML406",
        "Dense `dense_1`: weight `kernel` has shape (3, 2), but `weights[0]` has shape (2, 3)",
        "[[1, 2, 3], [4, 5, 6]]",
      ],
    ]);
  });

  it("reports a later array and a rank mismatch (KML406)", () => {
    const source =
      "sequential m(input_shape=(3,)) { Dense(2, weights=[[[1, 2], [3, 4], [5, 6]], [[0.5, -0.5]]]) }";
    const [d] = lower(source).diagnostics;
    expect([d?.code, d?.message, spanned(source, d!)]).toEqual([
      "KML406",
      "Dense `dense_1`: weight `bias` has shape (2,), but `weights[1]` has shape (1, 2)",
      "[[0.5, -0.5]]",
    ]);
  });

  it("reports a shared layer once", () => {
    const source = `model m {
  a = Input(shape=(2,))
  shared = Dense(2, weights=[[[1, 2]], [3, 4]])
  y = shared(shared(a))
  outputs y
}`;
    expect(lower(source).diagnostics.map((d) => d.code)).toEqual(["KML406"]);
  });

  it("points at the array in the JSON form too", () => {
    const kml = "sequential m(input_shape=(3,)) { Dense(2, weights=[[[1, 2, 3], [4, 5, 6]], [0.5, -0.5]]) }";
    const ast = compile(kml, { fileName: "test.kml" }).ast!;
    const json = printKmlJson(ast);
    const compiled = compile(json, { fileName: "test.kml.json" });
    const [d] = compiled.diagnostics;
    expect(d?.code).toBe("KML406");
    expect(JSON.parse(spanned(json, d!))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("rejects a ragged array where the argument is bound (KML313)", () => {
    const source = "sequential m(input_shape=(2,)) { Dense(2, weights=[[[1, 2], [3]], [0, 0]]) }";
    const diagnostics = compile(source, { fileName: "test.kml" }).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.message, spanned(source, d)])).toEqual([
      [
        "KML313",
        "`weights` of Dense: `weights[0]` is not an array: its rows differ in length or nesting",
        "[[1, 2], [3]]",
      ],
    ]);
  });
});
