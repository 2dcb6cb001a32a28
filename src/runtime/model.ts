// loadModel: validates a program, selects its backend, checks that the backend has a kernel for every op,
// creates the weights once (given values, else seeded initializers) and returns a Model whose predict
// runs the executor. Everything that can be checked before a predict is checked here.
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, reactivateBackend, selectBackend } from "./backend.js";
import { disposeSteps, type ExecutableStep, prepareSteps, runSteps, type StepObserver } from "./executor.js";
import { initializeWeight } from "./initializers.js";
import { ModelError } from "./model-error.js";
import type { HeldStates, KernelContext } from "./ops/op-def.js";
import { getOpDef } from "./ops/registry.js";
import { defaultOps, type TfOps } from "./ops/tf-ops.js";
import type { OpAttrs, OpName, Program, ProgramInput, WeightDecl } from "./program.js";
import { forKey } from "./random.js";
import { describeStep, validateProgram } from "./validate.js";

/** Values for weights, by Keras weight name ("dense_1/kernel"), in C order. */
export type WeightValues = ReadonlyMap<string, Float32Array | Int32Array>;

export interface LoadOptions {
  /** Default "wasm", which falls back to "cpu" with a warning when it cannot start; "webgl" (a browser's) to wasm, then cpu. */
  readonly backend?: BackendName;
  /** Given weights; any weight left out is drawn from its initializer. */
  readonly weights?: WeightValues;
  /** Seed of the initializers and of training-mode randomness (default 0): same seed, same numbers. */
  readonly seed?: number;
  /** The tfjs functions kernels call (tests wrap them to see which ran). */
  readonly ops?: TfOps;
  /** Whether `backend` has `kernel` (default: tf.getKernel); tests simulate a backend lacking one. */
  readonly hasKernel?: (kernel: string, backend: string) => boolean;
  /** Where warnings go (default console.warn): a backend's fallback. */
  readonly warn?: (message: string) => void;
}

/** One model input: a tensor (left to the caller), or values in C order with their shape. */
export type ModelInput =
  | tf.Tensor
  | { readonly data: Float32Array | Int32Array; readonly shape: readonly number[] };

export interface PredictOptions {
  /** Training-mode forward: dropout acts (seeded). Default false. */
  readonly training?: boolean;
  /**
   * Called after each step with the slots alive then (see StepObserver): for tests that compare the run's
   * memory with the plan's, and for profiling. Absent by default.
   */
  readonly onStep?: StepObserver;
}

/** A loaded model. Its weights live until `dispose()`. */
export interface Model {
  /** The backend it runs on (another when the one asked for could not start: see LoadOptions.backend). */
  readonly backend: BackendName;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The weight tensors by Keras name; owned by the model (do not dispose them). */
  readonly weights: ReadonlyMap<string, tf.Tensor>;
  /**
   * A copy of every weight's values in C order, by Keras name ("dense_1/kernel"), in the program's weight
   * order: what `LoadOptions.weights` takes back (and `saveModelWeights` writes).
   */
  getWeights(): Map<string, Float32Array | Int32Array>;
  /**
   * Runs the model. Inputs by name, or as a list in `inputNames` order. Returns one tensor per output, in
   * `outputNames` order, owned by the caller; nothing else stays allocated.
   */
  predict(
    inputs: Readonly<Record<string, ModelInput>> | readonly ModelInput[],
    options?: PredictOptions,
  ): tf.Tensor[];
  /**
   * Zeroes the states of stateful recurrent layers (Keras's reset_states): the next predict starts from
   * zeros again. Stateless models have nothing to reset.
   */
  resetStates(): void;
  /** Frees every weight. The model cannot predict afterwards. */
  dispose(): void;
}

/** Kernels every program may run besides its ops': Identity copies an output that aliases an input. */
const EXECUTOR_KERNELS = [tf.Identity] as const;

/** Loads a program on a backend. Throws a ModelError for a malformed program, missing kernel or bad weight. */
export async function loadModel(program: Program, options: LoadOptions = {}): Promise<Model> {
  const slotCount = validateProgram(program);
  const backend = await selectBackend(options.backend, options.warn ? { warn: options.warn } : {});
  checkKernels(
    program,
    backend,
    options.hasKernel ?? ((kernel, name) => tf.getKernel(kernel, name) !== undefined),
  );
  const seed = options.seed ?? 0;
  const weights = createWeights(program.weights, options.weights ?? new Map(), seed);
  const ops = options.ops ?? defaultOps;
  let steps: ExecutableStep[];
  try {
    steps = prepareSteps(program, weights, ops);
  } catch (error) {
    // A kerasc bug, not a user mistake (the program and weights were checked): leave nothing behind.
    for (const tensor of weights.values()) tensor.dispose();
    throw error;
  }
  return new LoadedModel(program, backend, weights, steps, slotCount, { ops, seed });
}

/** Fails, naming the op and the kernel, when the backend lacks a kernel some step needs. */
function checkKernels(
  program: Program,
  backend: BackendName,
  hasKernel: (kernel: string, backend: string) => boolean,
): void {
  const missing = (kernel: string) => !hasKernel(kernel, backend);
  program.steps.forEach((step, index) => {
    const kernels = getOpDef(step.op)!.kernels(step.attrs as unknown as OpAttrs[OpName], step.weights.length);
    const kernel = kernels.find(missing);
    if (kernel !== undefined) {
      throw new ModelError(
        "missing-kernel",
        `op "${step.op}" (${describeStep(step, index)}) needs the tfjs kernel ${kernel}, which the ${backend} backend does not have`,
      );
    }
  });
  const kernel = EXECUTOR_KERNELS.find(missing);
  if (kernel !== undefined)
    throw new ModelError(
      "missing-kernel",
      `the ${backend} backend lacks the tfjs kernel ${kernel}, needed to copy outputs`,
    );
}

/**
 * One tensor per declared weight, from `given`, else its declared values, else its initializer under `seed`;
 * kept out of any tidy.
 */
function createWeights(
  decls: readonly WeightDecl[],
  given: WeightValues,
  seed: number,
): Map<string, tf.Tensor> {
  const declared = new Set(decls.map((d) => d.name));
  const unknown = [...given.keys()].filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw new ModelError(
      "weight-mismatch",
      `the model has no weight named ${unknown.map((n) => `"${n}"`).join(", ")}; its weights are ${[...declared].join(", ")}`,
    );
  }
  const weights = new Map<string, tf.Tensor>();
  try {
    for (const decl of decls) {
      const values = given.get(decl.name) ?? declaredValues(decl) ?? initialValues(decl, seed);
      const size = decl.shape.reduce((product, d) => product * d, 1);
      if (values.length !== size) {
        throw new ModelError(
          "weight-mismatch",
          `weight "${decl.name}" needs ${size} values for shape (${decl.shape.join(", ")}), got ${values.length}`,
        );
      }
      const data =
        decl.dtype === "int32" && values instanceof Float32Array ? Int32Array.from(values) : values;
      weights.set(decl.name, tf.keep(tf.tensor(data, [...decl.shape], decl.dtype)));
    }
  } catch (error) {
    for (const tensor of weights.values()) tensor.dispose();
    throw error;
  }
  return weights;
}

/** The values a weight declares (`weights=`), as the weight's dtype; undefined when it declares none. */
function declaredValues(decl: WeightDecl): Float32Array | Int32Array | undefined {
  if (!decl.values) return undefined;
  return decl.dtype === "int32" ? Int32Array.from(decl.values) : Float32Array.from(decl.values);
}

/** A weight's initial values from its initializer, drawn from the stream keyed by its name. */
function initialValues(decl: WeightDecl, seed: number): Float32Array {
  if (!decl.initializer) {
    throw new ModelError("weight-mismatch", `weight "${decl.name}" has no value and no initializer`);
  }
  const result = initializeWeight(decl.initializer, decl.shape, forKey(seed, decl.name));
  if (!result.ok) throw new ModelError("weight-mismatch", `weight "${decl.name}": ${result.error.message}`);
  return result.values;
}

class LoadedModel implements Model {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The output slots, in outputNames order (looked up once, not per predict). */
  private readonly outputSlots: readonly number[];
  private disposed = false;
  private calls = 0;
  private readonly weightSet: ReadonlySet<tf.Tensor>;
  /** The states stateful steps keep between predicts, by step key; absent means zeros. */
  private readonly held = new Map<object, readonly tf.Tensor[]>();
  private readonly heldStates: HeldStates = {
    get: (key) => this.held.get(key),
    set: (key, tensors) => {
      for (const tensor of this.held.get(key) ?? []) tensor.dispose();
      this.held.set(key, tensors);
    },
  };

  constructor(
    private readonly program: Program,
    readonly backend: BackendName,
    readonly weights: ReadonlyMap<string, tf.Tensor>,
    private readonly steps: readonly ExecutableStep[],
    private readonly slotCount: number,
    private readonly run: { readonly ops: TfOps; readonly seed: number },
  ) {
    this.inputNames = program.inputs.map((i) => i.name);
    this.outputNames = program.outputs.map((o) => o.name);
    this.outputSlots = program.outputs.map((o) => o.slot);
    // A step's prepared tensors are the model's too: never disposed by a run.
    this.weightSet = new Set([...weights.values(), ...steps.flatMap((step) => step.prepared)]);
  }

  predict(
    inputs: Readonly<Record<string, ModelInput>> | readonly ModelInput[],
    options: PredictOptions = {},
  ): tf.Tensor[] {
    if (this.disposed) throw new ModelError("disposed", "this model was disposed");
    reactivateBackend(this.backend);
    const call = this.calls++;
    let draws = 0;
    const context: KernelContext = {
      training: options.training ?? false,
      // One stream position per random op and call: reproducible from the seed, different on each call.
      nextSeed: () => forKey(this.run.seed, `predict/${call}/${draws++}`).nextUint32(),
      heldStates: this.heldStates,
    };
    const bound = bindInputs(this.program.inputs, inputs);
    return runSteps(this.steps, {
      slotCount: this.slotCount,
      inputs: bound.inputs,
      createdInputs: bound.created,
      outputs: this.outputSlots,
      weights: this.weightSet,
      ops: this.run.ops,
      context,
      onStep: options.onStep,
    });
  }

  getWeights(): Map<string, Float32Array | Int32Array> {
    if (this.disposed) throw new ModelError("disposed", "this model was disposed");
    // dataSync may return the backend's own buffer (cpu): slice so the caller owns its copy.
    return new Map(
      [...this.weights].map(([name, tensor]) => [
        name,
        (tensor.dataSync() as Float32Array | Int32Array).slice(),
      ]),
    );
  }

  resetStates(): void {
    for (const tensors of this.held.values()) for (const tensor of tensors) tensor.dispose();
    this.held.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.resetStates();
    disposeSteps(this.steps);
    for (const tensor of this.weights.values()) tensor.dispose();
  }
}

/**
 * Matches the given inputs to the program's, checking rank, fixed sizes, symbolic dims (the same size in
 * every input that names them) and dtype. Typed arrays become tensors the run owns.
 */
function bindInputs(
  declared: readonly ProgramInput[],
  given: Readonly<Record<string, ModelInput>> | readonly ModelInput[],
): { inputs: [number, tf.Tensor][]; created: Set<tf.Tensor> } {
  const fail = (message: string): never => {
    throw new ModelError("input-mismatch", message);
  };
  const names = declared.map((d) => d.name);
  const list = isInputList(given) ? given : names.map((name) => given[name]);
  if (isInputList(given) && given.length !== declared.length)
    fail(`the model takes ${declared.length} inputs (${names.join(", ")}), got ${given.length}`);
  if (!isInputList(given)) {
    const extra = Object.keys(given).filter((name) => !names.includes(name));
    if (extra.length > 0)
      fail(`the model has no input named ${extra.join(", ")}; its inputs are ${names.join(", ")}`);
  }

  const symbols = new Map<string, { size: number; input: string }>();
  const checked = declared.map((decl, i) => {
    const input = list[i] ?? fail(`input "${decl.name}" is missing`);
    const shape = input instanceof tf.Tensor ? input.shape : [...input.shape];
    const dtype =
      input instanceof tf.Tensor ? input.dtype : input.data instanceof Int32Array ? "int32" : "float32";
    checkShape(decl, shape, symbols, fail);
    if (input instanceof tf.Tensor && dtype !== decl.dtype)
      fail(`input "${decl.name}" must be ${decl.dtype}, got a ${dtype} tensor`);
    const size = shape.reduce((product, d) => product * d, 1);
    if (!(input instanceof tf.Tensor) && input.data.length !== size)
      fail(
        `input "${decl.name}" has ${input.data.length} values, but its shape (${shape.join(", ")}) holds ${size}`,
      );
    return { decl, input };
  });

  const created = new Set<tf.Tensor>();
  const inputs = checked.map(({ decl, input }): [number, tf.Tensor] => {
    if (input instanceof tf.Tensor) return [decl.slot, input];
    // Values of the other element type are converted on the host, so no kernel runs for it.
    const data =
      decl.dtype === "int32"
        ? input.data instanceof Int32Array
          ? input.data
          : Int32Array.from(input.data)
        : input.data instanceof Float32Array
          ? input.data
          : Float32Array.from(input.data);
    const tensor = tf.tensor(data, [...input.shape], decl.dtype);
    created.add(tensor);
    return [decl.slot, tensor];
  });
  return { inputs, created };
}

function isInputList(
  given: Readonly<Record<string, ModelInput>> | readonly ModelInput[],
): given is readonly ModelInput[] {
  return Array.isArray(given);
}

function checkShape(
  decl: ProgramInput,
  shape: readonly number[],
  symbols: Map<string, { size: number; input: string }>,
  fail: (message: string) => never,
): void {
  const expected = `(${decl.shape.map((d) => d ?? "None").join(", ")})`;
  if (shape.length !== decl.shape.length)
    fail(`input "${decl.name}" must have shape ${expected}, got (${shape.join(", ")})`);
  decl.shape.forEach((dim, axis) => {
    const size = shape[axis]!;
    if (typeof dim === "number" && size !== dim)
      fail(
        `input "${decl.name}" must have shape ${expected}, got (${shape.join(", ")}): axis ${axis} is ${size}`,
      );
    if (typeof dim !== "string") return;
    const seen = symbols.get(dim);
    if (seen && seen.size !== size)
      fail(`dimension ${dim} is ${seen.size} in input "${seen.input}" but ${size} in input "${decl.name}"`);
    symbols.set(dim, { size, input: decl.name });
  });
}
