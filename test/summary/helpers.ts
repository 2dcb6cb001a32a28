// Summary test helpers: compile .kml text (it must be error-free) and summarize one of its models.
import { expect } from "vitest";
import { compile } from "../../src/compiler/index.js";
import type { ModelSummary, SummaryOptions } from "../../src/compiler/summary/index.js";
import type { Graph } from "../../src/ir/graph.js";

/** The typed graph of model `name` (the first model when not given); fails the test on any error. */
export function compileModel(text: string, name?: string): Graph {
  const result = compile(text, { fileName: "main.kml" });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const graphs = result.ir?.graphs ?? [];
  const graph = name === undefined ? graphs[0] : graphs.find((g) => g.name === name);
  expect(graph, `model ${name ?? "(first)"}`).toBeDefined();
  return graph!;
}

/** The summary of the first model of `text` through the public path, `compile(...).summary()`. */
export function summarize(text: string, options: SummaryOptions = {}): ModelSummary {
  const result = compile(text, { fileName: "main.kml" });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return result.summary(options)[0]!;
}

/** A row of the summary as plain data, for compact expectations. */
export function row(summary: ModelSummary, name: string) {
  const layer = summary.layers.find((l) => l.name === name);
  expect(layer, `layer ${name}`).toBeDefined();
  return layer!;
}

/** Keras's MNIST multilayer perceptron (samples/mnist_mlp.kml). */
export const MNIST_MLP = `sequential mnist_mlp(input_shape=(784,)) {
  Dense(512, activation="relu")
  Dropout(0.2)
  Dense(512, activation="relu")
  Dropout(0.2)
  Dense(10, activation="softmax")
}
`;

/** SPEC §2's siamese model with Concatenate (data movement only: 0 FLOPs) in place of Subtract. */
export const SIAMESE = `model siamese {
  a = Input(shape=(16,))
  b = Input(shape=(16,))
  encode = Dense(8, activation="relu")
  ea = encode(a)
  eb = encode(b)
  d = Concatenate()([ea, eb])
  out = Dense(1, activation="sigmoid")(d)
  outputs out
}
`;
