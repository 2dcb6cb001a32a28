// Embedding as the first layer of a Sequential takes int32 indices, as Keras 2 declares them, whether the
// shape comes from the layer (input_length, input_shape) or from the model's header: the IR's input value and
// the lowered program's input are int32 unless the model says otherwise. Predicting with Int32Array indices
// gives the embeddings' rows at those indices.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, type Lowered, lowerOne, lowerSample } from "./executor-helpers.js";

/** The dtype of the model's (only) input, in the typed IR and in the runtime program. */
function inputDtypes({ graph, program }: Lowered): { ir: string | undefined; program: string | undefined } {
  const value = graph.values.find((v) => v.id === graph.inputs[0]);
  return { ir: value?.type?.dtype, program: program.inputs[0]?.dtype };
}

describe("a Sequential's implicit input before Embedding", () => {
  it("is int32 in samples/embedding.kml", () => {
    const [embedding] = lowerSample("embedding");
    expect(inputDtypes(embedding!)).toEqual({ ir: "int32", program: "int32" });
  });

  it.each([
    [
      "input_length, then Flatten and Dense",
      "sequential m { Embedding(1000, 64, input_length=10)\n Flatten()\n Dense(4) }",
    ],
    ["the layer's input_shape", "sequential m { Embedding(1000, 64, input_shape=(10,)) }"],
    ["no length at all: (None, None)", "sequential m { Embedding(1000, 64)\n LSTM(4) }"],
    ["the header's input_shape", "sequential m(input_shape=(10,)) { Embedding(1000, 64) }"],
    ["the header's batch_input_shape", "sequential m(batch_input_shape=(2, 10)) { Embedding(1000, 64) }"],
    [
      "the header, with the layer's dtype=None",
      "sequential m(input_shape=(10,)) { Embedding(1000, 64, dtype=None) }",
    ],
  ])("is int32 with %s", (_name, source) => {
    expect(inputDtypes(lowerOne(source))).toEqual({ ir: "int32", program: "int32" });
  });

  it.each([
    ["the header says float32", 'sequential m(input_shape=(10,), dtype="float32") { Embedding(1000, 64) }'],
    ["the layer says float32", 'sequential m { Embedding(1000, 64, input_length=10, dtype="float32") }'],
    [
      "the layer says float32 under a header",
      'sequential m(input_shape=(10,)) { Embedding(1000, 64, dtype="float32") }',
    ],
    ["an explicit Input says nothing (float32)", "sequential m { Input(shape=(10,))\n Embedding(1000, 64) }"],
  ])("is what the model says when %s", (_name, source) => {
    expect(inputDtypes(lowerOne(source))).toEqual({ ir: "float32", program: "float32" });
  });

  it("stays float32 before other first layers, under a header or not", () => {
    expect(inputDtypes(lowerOne("sequential m(input_shape=(10,)) { Dense(4) }"))).toEqual({
      ir: "float32",
      program: "float32",
    });
    expect(inputDtypes(lowerOne("sequential m { Dense(4, input_shape=(10,)) }"))).toEqual({
      ir: "float32",
      program: "float32",
    });
  });
});

describe.each(["cpu", "wasm"] as BackendName[])("samples/embedding.kml on %s", (backend) => {
  const [{ program }] = lowerSample("embedding") as [Lowered];
  // Two sequences of 10 indices, the first and last rows of the 1000-row table among them.
  const indices = Int32Array.from([
    0, 999, 1, 2, 500, 17, 999, 0, 3, 998, 42, 7, 7, 123, 0, 456, 789, 1, 2, 3,
  ]);

  it("predicts, from Int32Array indices, the rows of `embeddings` at those indices", async () => {
    expect(program.inputs[0]!.dtype).toBe("int32");
    const model = await loadModel(program, { backend, seed: 5 });
    const table = model.weights.get("embedding_1/embeddings")!;
    expect(table.shape).toEqual([1000, 64]);
    const rows = table.dataSync();
    const expected = Array.from(indices).flatMap((i) => Array.from(rows.subarray(i * 64, (i + 1) * 64)));

    const [fromArray] = model.predict([{ data: indices, shape: [2, 10] }]);
    expect(fromArray!.shape).toEqual([2, 10, 64]);
    expectClose(fromArray!, expected, 0);
    const given = tf.tensor(indices, [2, 10], "int32");
    const [fromTensor] = model.predict([given]);
    expectClose(fromTensor!, expected, 0);
    tf.dispose([fromArray!, fromTensor!, given]);
    model.dispose();
  });

  it("refuses a float32 tensor, naming the dtype it takes", async () => {
    const model = await loadModel(program, { backend });
    const floats = tf.zeros([1, 10]);
    expect(() => model.predict([floats])).toThrow(
      'input "embedding_1_input" must be int32, got a float32 tensor',
    );
    tf.dispose(floats);
    model.dispose();
  });
});
