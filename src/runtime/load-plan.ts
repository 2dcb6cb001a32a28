// Loading a plan: validate it against plan.schema.json (a truncated or hand-edited plan gets a message
// naming the field, never a crash), draw or take the declared weights, run the prologue's weight transforms
// on the host, then load the steps as a program over the weights they read.
import { Ajv2020 } from "ajv/dist/2020.js";
import { initializeWeight } from "./initializers.js";
import { type LoadOptions, loadModel, type Model, type WeightValues } from "./model.js";
import { ModelError } from "./model-error.js";
import { availableWeights, isPlanLike, PLAN_FORMAT, PLAN_VERSION, type Plan } from "./plan.js";
import schema from "./plan.schema.json" with { type: "json" };
import { PROGRAM_VERSION, type Program, type WeightDecl } from "./program.js";
import { runPrologue } from "./prologue.js";
import { forKey } from "./random.js";

// Compiled once, on first use: most programs never load a plan.
let validator: ReturnType<Ajv2020["compile"]> | undefined;

/**
 * Checks that `value` (parsed JSON) is a plan this runtime can execute; throws a ModelError
 * ("invalid-program") naming the first offending field.
 */
export function parsePlan(value: unknown): Plan {
  const claimed = value as { format?: unknown; version?: unknown } | null;
  if (typeof value !== "object" || value === null || Array.isArray(value) || claimed?.format !== PLAN_FORMAT)
    fail(`not a kerasc plan (its "format" must be "${PLAN_FORMAT}")`);
  if (claimed?.version !== PLAN_VERSION)
    fail(`plan format version ${String(claimed?.version)}, but this runtime reads version ${PLAN_VERSION}`);
  validator ??= new Ajv2020({ allErrors: false, strict: false }).compile(schema);
  if (!validator(value)) {
    const error = validator.errors?.[0];
    const where = error?.instancePath ? `at ${error.instancePath}` : "at the top level";
    fail(`${where}: ${error?.message ?? "does not match the plan schema"}`);
  }
  return value as Plan;
}

/**
 * Loads a plan (validated first) on a backend. Weights: `options.weights` by declared name, the rest from
 * their initializers under `options.seed`; then the prologue derives the weights the steps read.
 */
export async function loadPlan(value: unknown, options: LoadOptions = {}): Promise<Model> {
  const plan = parsePlan(value);
  const given = options.weights ?? new Map();
  const declared = new Set(plan.weights.map((w) => w.name));
  const unknown = [...given.keys()].filter((name) => !declared.has(name));
  if (unknown.length > 0)
    throw new ModelError(
      "weight-mismatch",
      `the plan has no weight named ${unknown.map((n) => `"${n}"`).join(", ")}; its weights are ${[...declared].join(", ")}`,
    );
  const values = runPrologue(plan.prologue, sourceWeightValues(plan, options.seed ?? 0, given));

  // The program reads only the weights some step names: folded-away originals are not uploaded.
  const used = new Set(plan.steps.flatMap((step) => step.weights));
  const weights = availableWeights(plan).filter((w) => used.has(w.name));
  const program: Program = {
    version: PROGRAM_VERSION,
    inputs: plan.inputs,
    outputs: plan.outputs,
    weights: weights.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
    steps: plan.steps,
  };
  const usedValues: WeightValues = new Map(weights.map((w) => [w.name, values.get(w.name)!]));
  const model = await loadModel(program, { ...options, weights: usedValues });
  return plan.inferenceOnly ? inferenceOnly(model) : model;
}

/** Every declared weight's values: `given` by name, else its own values or initializer under `seed`. */
export function sourceWeightValues(
  plan: Pick<Plan, "weights">,
  seed: number,
  given: WeightValues = new Map(),
): Map<string, Float32Array | Int32Array> {
  return new Map(plan.weights.map((decl) => [decl.name, given.get(decl.name) ?? drawn(decl, seed)]));
}

/** Loads a plan (anything with the plan format tag, validated first) or a lowered runtime program. */
export async function loadPlanOrProgram(model: Plan | Program, options: LoadOptions = {}): Promise<Model> {
  return isPlanLike(model) ? loadPlan(model, options) : loadModel(model, options);
}

/**
 * A weight's initial values: its declared values (`weights=`), else drawn from its initializer from the
 * stream keyed by its name (as loadModel draws).
 */
function drawn(decl: WeightDecl, seed: number): Float32Array {
  if (decl.values) {
    const size = decl.shape.reduce((product, d) => product * d, 1);
    if (decl.values.length !== size)
      fail(
        `weight "${decl.name}" declares ${decl.values.length} values, but its shape (${decl.shape.join(", ")}) holds ${size}`,
        "weight-mismatch",
      );
    return Float32Array.from(decl.values);
  }
  if (!decl.initializer) fail(`weight "${decl.name}" has no value and no initializer`, "weight-mismatch");
  const result = initializeWeight(decl.initializer!, decl.shape, forKey(seed, decl.name));
  if (!result.ok) fail(`weight "${decl.name}": ${result.error.message}`, "weight-mismatch");
  return (result as { values: Float32Array }).values;
}

/** The model, refusing training-mode predicts its optimized steps cannot honour. */
function inferenceOnly(model: Model): Model {
  const predict = model.predict.bind(model);
  model.predict = (inputs, options) => {
    if (options?.training)
      throw new ModelError(
        "invalid-program",
        "this plan is optimized for inference (dropout and noise removed, BatchNormalization folded); compile it with -O0 to predict in training mode",
      );
    return predict(inputs, options);
  };
  return model;
}

function fail(message: string, code: "invalid-program" | "weight-mismatch" = "invalid-program"): never {
  throw new ModelError(code, code === "invalid-program" ? `invalid plan: ${message}` : message);
}
