// The IR's text form (golden output of a small typed program) and the verifier's checks on broken graphs.
import { describe, expect, it } from "vitest";
import type { Graph, IRNode, IRValue } from "../../src/ir/graph.js";
import { printProgram } from "../../src/ir/print.js";
import { formatShape } from "../../src/ir/shape-text.js";
import { verifyGraph } from "../../src/ir/verify.js";
import { build, compileKml } from "../build/helpers.js";

describe("printProgram", () => {
  it("prints a typed program: dims, inputs, one line per node, a shared layer's args once, outputs", () => {
    const b = compileKml(`dim T
model siamese {
  a = Input(shape=(T, 16))
  b = Input(shape=(T, 16))
  encode = Dense(8, use_bias=False, kernel_initializer="zeros")
  ea = encode(a)
  eb = encode(b)
  outputs ea, eb
}
sequential s(input_shape=(6,)) {
  Reshape((2, 3))
  Dropout(0.5)
}
`);
    expect(printProgram(b.program)).toBe(`graph siamese (functional)
  dims T
  inputs %0, %1
  %0 = Input[input_1]() {shape=(T, 16), dtype="float32", sparse=False} : (None, T, 16)  # a
  %1 = Input[input_2]() {shape=(T, 16), dtype="float32", sparse=False} : (None, T, 16)  # b
  %2 = Dense[dense_1](%0) {units=8, activation="linear", use_bias=False, kernel_initializer=Zeros(), bias_initializer=Zeros()} : (None, T, 8)  # ea
  %3 = Dense[dense_1](%1) : (None, T, 8)  # eb
  outputs %2, %3

graph s (sequential)
  inputs %0
  %0 = Input[input_1]() {batch_shape=(None, 6), dtype="float32", sparse=False} : (None, 6)  # input_1
  %1 = Reshape[reshape_1](%0) {target_shape=(2, 3)} : (None, 2, 3)  # reshape_1
  %2 = Dropout[dropout_1](%1) {rate=0.5} : (None, 2, 3)  # dropout_1
  outputs %2
`);
  });

  it("prints `?` for values inference has not typed", () => {
    const text = printProgram(
      build(`model m {
  a = Input(shape=(4,))
  outputs a
}
`).program,
    );
    expect(text).toContain('%0 = Input[input_1]() {shape=(4,), dtype="float32", sparse=False} : ?  # a');
  });

  it("spells shapes as Keras prints them", () => {
    expect(formatShape([null, 26, 26, 10])).toBe("(None, 26, 26, 10)");
    expect(formatShape([null])).toBe("(None,)");
    expect(formatShape([null, "T"])).toBe("(None, T)");
  });
});

describe("verifyGraph", () => {
  const good = (): Graph =>
    build(`model m {
  a = Input(shape=(4,))
  h = Dense(3)(a)
  y = Dense(2)(h)
  outputs y
}
`).graph("m");

  const withNodes = (g: Graph, nodes: IRNode[]): Graph => ({ ...g, nodes });
  const withValues = (g: Graph, values: IRValue[]): Graph => ({ ...g, values });

  it("accepts what the builder produces", () => {
    expect(verifyGraph(good())).toEqual([]);
  });

  it("finds nodes out of topological order", () => {
    const g = good();
    const [input, first, second] = g.nodes;
    expect(verifyGraph(withNodes(g, [input!, second!, first!]))).toEqual([
      "graph m: node 2 reads %1 before it is produced (not topological)",
    ]);
  });

  it("finds a value produced twice, a dangling read, an unknown layer and a bad output", () => {
    const g = good();
    const [input, first, second] = g.nodes;
    const broken = withNodes(g, [
      input!,
      { ...first!, outputs: [1] },
      { ...second!, inputs: [7], outputs: [1], layer: 9 },
    ]);
    expect(verifyGraph({ ...broken, outputs: [5] })).toEqual([
      "graph m: node 2 applies unknown layer 9",
      "graph m: node 2 reads unknown value %7",
      "graph m: value %1 is produced twice",
      "graph m: value %1 says it is output 0 of node 1, but it is output 0 of node 2",
      "graph m: value %2 is produced by no node",
      "graph m: output %5 does not exist",
    ]);
  });

  it("finds duplicate ids and values whose producer disagrees", () => {
    const g = good();
    const values = g.values.map((v) => (v.id === 2 ? { ...v, producer: 0 } : v));
    expect(verifyGraph(withValues(g, [...values, g.values[0]!]))).toEqual([
      "graph m: value id 0 is used twice",
      "graph m: value %2 says it is output 0 of node 0, but it is output 0 of node 2",
    ]);
  });

  it("finds a graph input produced by a node with inputs", () => {
    const g = good();
    expect(verifyGraph({ ...g, inputs: [1] })).toEqual([
      "graph m: input %1 is produced by a node with inputs",
    ]);
  });
});
