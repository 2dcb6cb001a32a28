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
