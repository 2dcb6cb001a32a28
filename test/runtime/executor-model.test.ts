// loadModel and predict as a user meets them: outputs never alias the model's tensors, a backend lacking a
// kernel fails at load naming the op, malformed programs and bad weights or inputs get errors that say what
// is wrong, seeded weights are deterministic, training-mode dropout acts. (No tensor leaks over many
// predicts of every sample, and dispose frees every weight: no-leak.test.ts.)
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend.js";
import { type LoadOptions, loadModel } from "../../src/runtime/model.js";
import { ModelError } from "../../src/runtime/model-error.js";
import { defaultOps, type TfOps } from "../../src/runtime/ops/tf-ops.js";
import { PROGRAM_VERSION, type Program, type Step } from "../../src/runtime/program.js";
import { lowerOne, lowerSample, randomInputs } from "./executor-helpers.js";

// tfjs needs a started backend before any tensor exists (else it starts wasm, asynchronously, and throws).
beforeAll(async () => {
  await selectBackend("cpu");
});

/** Awaits a rejected load and returns its ModelError. */
async function loadError(program: Program, options: LoadOptions = {}): Promise<ModelError> {
  const error = await loadModel(program, { backend: "cpu", ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe("outputs and aliasing", () => {
  it("returns a copy when an output is the input itself (Dropout at inference), so disposing it is safe", async () => {
    const { program } = lowerOne("sequential m(input_shape=(3,)) { Dropout(0.5) }");
    const model = await loadModel(program, { backend: "cpu" });
    const x = tf.tensor2d([[1, 2, 3]]);
    const before = tf.memory().numTensors;
    const [y] = model.predict([x]);
    expect(y).not.toBe(x);
    expect(Array.from(y!.dataSync())).toEqual([1, 2, 3]);
    tf.dispose(y!);
    expect(x.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it("returns distinct tensors when one value is two outputs", async () => {
    const { program } = lowerOne("model m { x = Input(shape=(2,))\n h = Dense(2)(x)\n outputs h, h }");
    const model = await loadModel(program, { backend: "cpu" });
    const before = tf.memory().numTensors;
    const [a, b] = model.predict({ x: { data: new Float32Array([1, 2]), shape: [1, 2] } });
    expect(a).not.toBe(b);
    expect(Array.from(a!.dataSync())).toEqual(Array.from(b!.dataSync()));
    tf.dispose([a!, b!]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("disposes what a run created when a kernel throws, and the model still works afterwards", async () => {
    const { program } = lowerOne('sequential m(input_shape=(4,)) { Dense(3)\n Activation("tanh") }');
    let fail = true;
    const ops: TfOps = {
      ...defaultOps,
      tanh: ((x: tf.Tensor) => {
        if (fail) throw new Error("tanh failed");
        return defaultOps.tanh(x);
      }) as TfOps["tanh"],
    };
    const model = await loadModel(program, { backend: "cpu", ops });
    const input = { data: new Float32Array(8), shape: [2, 4] };
    const before = tf.memory().numTensors;
    expect(() => model.predict([input])).toThrow(
      "step 1 (activation, layer activation_1) failed: tanh failed",
    );
    expect(tf.memory().numTensors).toBe(before);
    fail = false;
    tf.dispose(model.predict([input]));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("refuses to predict after dispose", async () => {
    const { program } = lowerOne("sequential m(input_shape=(4,)) { Dense(3) }");
    const model = await loadModel(program, { backend: "cpu" });
    model.dispose();
    expect(() => model.predict([tf.zeros([1, 4])])).toThrow(expect.objectContaining({ code: "disposed" }));
  });
});

describe("load-time kernel check", () => {
  it("fails naming the op, the step's layer and the kernel the backend lacks", async () => {
    const { program } = lowerOne('sequential m(input_shape=(4,)) { Dense(3)\n Activation("softsign") }');
    const lacking = (missing: string) => (kernel: string, backend: string) =>
      kernel !== missing && tf.getKernel(kernel, backend) !== undefined;
    const error = await loadError(program, { hasKernel: lacking("Abs") });
    expect(error.code).toBe("missing-kernel");
    expect(error.message).toBe(
      'op "activation" (step 1 (activation, layer activation_1)) needs the tfjs kernel Abs, which the cpu backend does not have',
    );
    const fused = await loadError(program, { hasKernel: lacking("_FusedMatMul") });
    expect(fused.message).toContain(
      'op "matMul" (step 0 (matMul, layer dense_1)) needs the tfjs kernel _FusedMatMul',
    );
  });

  it("passes on both backends for every op of the samples", async () => {
    for (const backend of ["cpu", "wasm"] as const) {
      for (const { program } of lowerSample("mnist_mlp")) {
        const model = await loadModel(program, { backend });
        model.dispose();
      }
    }
  });
});

describe("program validation", () => {
  const { program: valid } = lowerOne('sequential m(input_shape=(4,)) { Dense(3, activation="tanh") }');
  const withStep = (index: number, change: Partial<Step>): Program => ({
    ...valid,
    steps: valid.steps.map((s, i) => (i === index ? { ...s, ...change } : s)),
  });

  it.each<[string, Program, string]>([
    [
      "a newer version",
      { ...valid, version: PROGRAM_VERSION + 1 },
      `version ${PROGRAM_VERSION + 1}, but this runtime`,
    ],
    ["an unknown op", withStep(1, { op: "gelu" }), 'step 1 (gelu, layer dense_1): unknown op "gelu"'],
    ["a read before any write", withStep(0, { inputs: [5] }), "reads slot 5 before any step writes it"],
    ["a read after a free", withStep(1, { inputs: [0] }), "reads slot 0 after an earlier step freed it"],
    [
      "an undeclared weight",
      withStep(0, { weights: ["dense_9/kernel"] }),
      'names undeclared weight "dense_9/kernel"',
    ],
    ["a wrong input count", withStep(1, { inputs: [1, 1] }), "has 2 inputs, but activation takes 1"],
    ["a slot written twice", withStep(1, { outputs: [1] }), "writes slot 1, which already holds a value"],
    ["a freed output", withStep(1, { frees: [1, 2] }), 'output "dense_1" reads slot 2, which a step frees'],
  ])("rejects %s", async (_name, program, message) => {
    const error = await loadError(program);
    expect(error.code).toBe("invalid-program");
    expect(error.message).toContain(message);
  });
});

describe("weights", () => {
  const { program } = lowerOne("sequential m(input_shape=(4,)) { Dense(3) }");

  it("are drawn from the initializers, the same for the same seed on every backend", async () => {
    const values = async (seed: number, backend: "cpu" | "wasm") => {
      const model = await loadModel(program, { backend, seed });
      const kernel = Array.from(model.weights.get("dense_1/kernel")!.dataSync());
      const bias = Array.from(model.weights.get("dense_1/bias")!.dataSync());
      model.dispose();
      return { kernel, bias };
    };
    const cpu = await values(3, "cpu");
    expect(await values(3, "wasm")).toEqual(cpu);
    expect((await values(4, "cpu")).kernel).not.toEqual(cpu.kernel);
    expect(cpu.bias).toEqual([0, 0, 0]);
    // glorot_uniform: within ±sqrt(6 / (fan_in + fan_out)).
    const limit = Math.sqrt(6 / (4 + 3));
    expect(cpu.kernel.every((v) => Math.abs(v) <= limit)).toBe(true);
  });

  it("take given values by Keras name, the rest from their initializers", async () => {
    const kernel = Float32Array.from({ length: 12 }, (_, i) => i);
    const model = await loadModel(program, {
      backend: "cpu",
      weights: new Map([["dense_1/kernel", kernel]]),
    });
    expect(Array.from(model.weights.get("dense_1/kernel")!.dataSync())).toEqual(Array.from(kernel));
    const [y] = model.predict([{ data: new Float32Array([1, 0, 0, 1]), shape: [1, 4] }]);
    expect(Array.from(y!.dataSync())).toEqual([9, 11, 13]);
    tf.dispose(y!);
    model.dispose();
  });

  it("reject a value of the wrong size and a name the model lacks", async () => {
    const start = tf.memory().numTensors;
    const wrongSize = await loadError(program, { weights: new Map([["dense_1/bias", new Float32Array(4)]]) });
    expect(wrongSize.code).toBe("weight-mismatch");
    expect(wrongSize.message).toBe('weight "dense_1/bias" needs 3 values for shape (3), got 4');
    const unknown = await loadError(program, {
      weights: new Map([["dense_2/kernel", new Float32Array(12)]]),
    });
    expect(unknown.message).toBe(
      'the model has no weight named "dense_2/kernel"; its weights are dense_1/kernel, dense_1/bias',
    );
    expect(tf.memory().numTensors).toBe(start);
  });

  it("report an initializer that cannot make the weight", async () => {
    const broken: Program = {
      ...program,
      weights: program.weights.map((w) => ({ ...w, initializer: { className: "Fancy", config: {} } })),
    };
    const error = await loadError(broken);
    expect(error.code).toBe("weight-mismatch");
    expect(error.message).toMatch(/^weight "dense_1\/kernel": unknown initializer 'Fancy'/);
  });
});

describe("inputs", () => {
  const { program } = lowerSample("two_towers")[0]!;

  it("are taken by name or in order, and must not be missing or unknown", async () => {
    const model = await loadModel(program, { backend: "cpu" });
    const [query, document] = randomInputs(program);
    const byName = model.predict({ query: query!, document: document! });
    const inOrder = model.predict([query!, document!]);
    expect(Array.from(byName[0]!.dataSync())).toEqual(Array.from(inOrder[0]!.dataSync()));
    tf.dispose([...byName, ...inOrder]);
    expect(() => model.predict({ query: query! })).toThrow('input "document" is missing');
    expect(() => model.predict({ query: query!, document: document!, extra: query! })).toThrow(
      "the model has no input named extra; its inputs are query, document",
    );
    expect(() => model.predict([query!])).toThrow("the model takes 2 inputs (query, document), got 1");
    model.dispose();
  });

  it("must match the declared shape, symbolic dims included, and the dtype", async () => {
    const model = await loadModel(program, { backend: "cpu" });
    const input = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });
    expect(() => model.predict([input([2, 5, 15]), input([2, 5, 16])])).toThrow(
      'input "query" must have shape (None, T, 16), got (2, 5, 15): axis 2 is 15',
    );
    expect(() => model.predict([input([2, 5, 16]), input([2, 6, 16])])).toThrow(
      'dimension T is 5 in input "query" but 6 in input "document"',
    );
    expect(() => model.predict([input([2, 5]), input([2, 5, 16])])).toThrow(
      "must have shape (None, T, 16), got (2, 5)",
    );
    expect(() =>
      model.predict([{ data: new Float32Array(3), shape: [1, 1, 16] }, input([1, 1, 16])]),
    ).toThrow('input "query" has 3 values, but its shape (1, 1, 16) holds 16');
    const ints = tf.zeros([1, 1, 16], "int32");
    expect(() => model.predict([ints, ints])).toThrow('input "query" must be float32, got a int32 tensor');
    expect(() => model.predict([input([2, 5, 15]), input([2, 5, 16])])).toThrow(
      expect.objectContaining({ code: "input-mismatch" }),
    );
    tf.dispose(ints);
    model.dispose();
  });
});

describe("training mode", () => {
  it("drops about `rate` of the values, scales the rest by 1/(1-rate), and is the identity at inference", async () => {
    const { program } = lowerOne("sequential m(input_shape=(1000,)) { Dropout(0.25) }");
    const model = await loadModel(program, { backend: "cpu", seed: 5 });
    const ones = { data: new Float32Array(1000).fill(1), shape: [1, 1000] };
    const [kept] = model.predict([ones]);
    expect(Array.from(kept!.dataSync()).every((v) => v === 1)).toBe(true);
    const [dropped] = model.predict([ones], { training: true });
    const values = Array.from(dropped!.dataSync());
    const zeros = values.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(180);
    expect(zeros).toBeLessThan(320);
    expect(values.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    tf.dispose([kept!, dropped!]);
    model.dispose();
  });

  it("is reproducible from the seed: the same calls of two models give the same masks", async () => {
    const { program } = lowerOne("sequential m(input_shape=(64,)) { Dropout(0.5) }");
    const ones = { data: new Float32Array(64).fill(1), shape: [1, 64] };
    const masks = async () => {
      const model = await loadModel(program, { backend: "cpu", seed: 11 });
      const result = [0, 1].map(() => {
        const [y] = model.predict([ones], { training: true });
        const values = Array.from(y!.dataSync());
        tf.dispose(y!);
        return values;
      });
      model.dispose();
      return result;
    };
    const [first, second] = await masks();
    expect(await masks()).toEqual([first, second]);
    expect(first).not.toEqual(second);
  });

  it("applies noise_shape: one mask value per feature, shared across the timesteps", async () => {
    const { program } = lowerOne(
      "sequential m(input_shape=(6, 50)) { Dropout(0.5, noise_shape=(None, 1, 50)) }",
    );
    const model = await loadModel(program, { backend: "cpu" });
    const [y] = model.predict([{ data: new Float32Array(600).fill(1), shape: [2, 6, 50] }], {
      training: true,
    });
    const values = y!.arraySync() as number[][][];
    for (const sample of values) for (const step of sample) expect(step).toEqual(sample[0]);
    tf.dispose(y!);
    model.dispose();
  });
});

describe("backend selection", () => {
  it("starts wasm by default and cpu on request", async () => {
    expect(await selectBackend()).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(await selectBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });

  it("switches back to each model's backend before it runs", async () => {
    const { program } = lowerOne("sequential m(input_shape=(2,)) { Dense(2) }");
    const onWasm = await loadModel(program, { backend: "wasm" });
    const onCpu = await loadModel(program, { backend: "cpu" });
    const x = { data: new Float32Array([1, 2]), shape: [1, 2] };
    const [a] = onWasm.predict([x]);
    expect(tf.getBackend()).toBe("wasm");
    const [b] = onCpu.predict([x]);
    expect(tf.getBackend()).toBe("cpu");
    expect(Array.from(a!.dataSync())).toEqual(Array.from(b!.dataSync()));
    tf.dispose([a!, b!]);
    onWasm.dispose();
    onCpu.dispose();
  });
});
