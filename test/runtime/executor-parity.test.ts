// Parity with TF.js layers (SPEC §7) on cpu and wasm: every core and merge layer in the configurations that
// change its computation, and every sample built only from them, against its twin with the same weights.
import { readdirSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import {
  expectClose,
  expectTwinParity,
  hasTwin,
  lowerOne,
  lowerSample,
  randomInputs,
  SAMPLES,
} from "./executor-helpers.js";

/** One model per layer configuration: (name, .kml text). */
const LAYER_CASES: readonly (readonly [string, string])[] = [
  ["Dense relu (fused)", 'sequential m(input_shape=(6,)) { Dense(4, activation="relu") }'],
  ["Dense sigmoid (fused)", 'sequential m(input_shape=(6,)) { Dense(4, activation="sigmoid") }'],
  ["Dense softmax (unfused)", 'sequential m(input_shape=(6,)) { Dense(4, activation="softmax") }'],
  ["Dense without bias", "sequential m(input_shape=(6,)) { Dense(4, use_bias=False) }"],
  ["Dense on a 3D input (last axis)", 'sequential m(input_shape=(5, 6)) { Dense(4, activation="tanh") }'],
  ["Dense on a 4D input", 'sequential m(input_shape=(2, 3, 6)) { Dense(4, activation="elu") }'],
  [
    "Dense on an int32 input",
    'model m { x = Input(shape=(6,), dtype="int32")\n y = Dense(3)(x)\n outputs y }',
  ],
  ...[
    "relu",
    "relu6",
    "elu",
    "selu",
    "softplus",
    "softsign",
    "tanh",
    "sigmoid",
    "hard_sigmoid",
    "linear",
  ].map((fn) => [`Activation ${fn}`, `sequential m(input_shape=(4, 6)) { Activation("${fn}") }`] as const),
  ["Activation softmax on a 3D input", 'sequential m(input_shape=(4, 6)) { Activation("softmax") }'],
  ["Dropout (inference)", "sequential m(input_shape=(6,)) { Dense(5)\n Dropout(0.5) }"],
  ["Flatten", "sequential m(input_shape=(3, 4, 2)) { Flatten() }"],
  ["Flatten channels_first", 'sequential m(input_shape=(3, 4, 2)) { Flatten(data_format="channels_first") }'],
  ["Reshape with -1", "sequential m(input_shape=(12,)) { Reshape((-1, 2, 3)) }"],
  ["Permute 3D", "sequential m(input_shape=(3, 4)) { Permute((2, 1)) }"],
  ["Permute 4D", "sequential m(input_shape=(2, 3, 4)) { Permute((3, 1, 2)) }"],
  ["RepeatVector", "sequential m(input_shape=(4,)) { RepeatVector(3) }"],
  ...["Add", "Multiply", "Average", "Maximum", "Minimum"].map(
    (layer) =>
      [
        `${layer} of three inputs`,
        `model m { a = Input(shape=(4,))\n b = Input(shape=(4,))\n c = Input(shape=(4,))\n y = ${layer}()([a, b, c])\n outputs y }`,
      ] as const,
  ),
  [
    "Add across ranks (Keras expands at axis 1)",
    "model m { a = Input(shape=(3, 4))\n b = Input(shape=(4,))\n y = Add()([a, b])\n outputs y }",
  ],
  [
    "Multiply with a size-1 axis",
    "model m { a = Input(shape=(3, 4))\n b = Input(shape=(1, 4))\n y = Multiply()([a, b])\n outputs y }",
  ],
  [
    "Concatenate on the last axis",
    "model m { a = Input(shape=(3, 4))\n b = Input(shape=(3, 2))\n y = Concatenate()([a, b])\n outputs y }",
  ],
  [
    "Concatenate on axis 1",
    "model m { a = Input(shape=(3, 4))\n b = Input(shape=(2, 4))\n y = Concatenate(axis=1)([a, b])\n outputs y }",
  ],
  [
    "Subtract (a custom twin: TF.js layers has none)",
    "model m { a = Input(shape=(4,))\n b = Input(shape=(4,))\n y = Subtract()([a, b])\n outputs y }",
  ],
];

/** The samples whose every layer has a TF.js layers twin. */
const TWIN_SAMPLES = readdirSync(SAMPLES)
  .filter((file) => file.endsWith(".kml"))
  .map((file) => file.slice(0, -4))
  .filter((name) => {
    try {
      return lowerSample(name).every((l) => hasTwin(l.graph));
    } catch {
      return false; // a sample with layers kerasc cannot lower yet
    }
  });

describe.each<BackendName>(["cpu", "wasm"])("parity with TF.js layers on %s", (backend) => {
  it.each(LAYER_CASES)("%s", async (_name, source) => {
    await expectTwinParity(lowerOne(source), backend);
  });

  it("covers the samples built from core and merge layers", () => {
    expect(TWIN_SAMPLES).toEqual(
      expect.arrayContaining([
        "block_mlp",
        "conv_autoencoder",
        "conv_flatten",
        "dense",
        "merge_add",
        "merge_subtract",
        "mnist_mlp",
        "permute_repeat",
        "reshape",
        "two_towers",
      ]),
    );
  });

  it.each(TWIN_SAMPLES)("sample %s", async (name) => {
    for (const lowered of lowerSample(name)) await expectTwinParity(lowered, backend);
  });

  it("Subtract broadcasts like an independent loop over the arrays", async () => {
    const { program } = lowerOne(
      "model m { a = Input(shape=(2, 3))\n b = Input(shape=(3,))\n y = Subtract()([a, b])\n outputs y }",
    );
    const [a, b] = randomInputs(program);
    const model = await loadModel(program, { backend });
    const [y] = model.predict([a!, b!]);
    // Keras expands b at axis 1: y[n, i, j] = a[n, i, j] - b[n, j].
    const expected = a!.data.map((value, index) => {
      const n = Math.floor(index / 6);
      const j = index % 3;
      return value - b!.data[n * 3 + j]!;
    });
    expectClose(y!, expected);
    tf.dispose(y!);
    model.dispose();
  });
});
