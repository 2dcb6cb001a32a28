// The execution API a build script or server uses: compile, lower, load, predict — no leaked tensors.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { compile, loadModel, lowerGraph } from "../../src/index.js";

describe("compile → lowerGraph → loadModel → predict", () => {
  it("runs a Dense model and gives the documented formula's numbers", async () => {
    const result = compile("sequential m(input_shape=(2,)) {\n  Dense(1, use_bias=False)\n}\n", {
      fileName: "m.kml",
    });
    expect(result.diagnostics).toEqual([]);
    const lowered = lowerGraph(result.ir!.graphs[0]!);
    expect(lowered.diagnostics).toEqual([]);
    const kernelName = lowered.program!.weights[0]!.name;
    // y = x · kernel with kernel = [[2], [-3]]: for x = [1, 1] the output is -1, for x = [4, 2] it is 2.
    const model = await loadModel(lowered.program!, {
      backend: "cpu",
      weights: new Map([[kernelName, Float32Array.from([2, -3])]]),
    });
    const before = tf.memory().numTensors;
    const input = tf.tensor2d([
      [1, 1],
      [4, 2],
    ]);
    const [output] = await model.predict([input]);
    expect(Array.from(await output!.data())).toEqual([-1, 2]);
    tf.dispose([input, output!]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("weights through the public API", () => {
  it("round-trips a model's weights through the TF.js weights format and loads them back", async () => {
    const { decodeWeights, encodeWeights } = await import("../../src/index.js");
    const result = compile("sequential m(input_shape=(3,)) {\n  Dense(2)\n}\n", { fileName: "w.kml" });
    const { program } = lowerGraph(result.ir!.graphs[0]!);
    const model = await loadModel(program!, { backend: "cpu", seed: 7 });
    const named = await Promise.all(
      [...model.weights].map(async ([name, tensor]) => ({
        name,
        shape: tensor.shape,
        dtype: "float32" as const,
        data: (await tensor.data()) as Float32Array,
      })),
    );
    const { manifest, shards } = encodeWeights(named);
    const decoded = decodeWeights(manifest, shards);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const reloaded = await loadModel(program!, {
      backend: "cpu",
      seed: 99, // a different seed: only the given weights can make the outputs agree
      weights: new Map(decoded.weights.map((w) => [w.name, w.data as Float32Array])),
    });
    const x = tf.tensor2d([[0.5, -1, 2]]);
    const [a] = model.predict([x]);
    const [b] = reloaded.predict([x]);
    expect(Array.from(await b!.data())).toEqual(Array.from(await a!.data()));
    tf.dispose([x, a!, b!]);
    model.dispose();
    reloaded.dispose();
  });
});
