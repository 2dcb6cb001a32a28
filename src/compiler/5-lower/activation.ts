// Keras activation names as runtime steps: which ones tf.fused.matMul (and later conv) can apply in the
// same kernel, and the `activation` step for the rest. Shared by every layer with an `activation` argument.
import type { ActivationFn, FusedActivation } from "../../runtime/program.js";
import type { LowerContext, LowerValue } from "../layers/layer.js";
import type { ActivationName } from "../layers/objects/activations.js";

/** The runtime function of each Keras activation (typed, so a new Keras name needs an entry here). */
const RUNTIME_ACTIVATION: { readonly [A in ActivationName]: ActivationFn } = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  selu: "selu",
  softplus: "softplus",
  softsign: "softsign",
  tanh: "tanh",
  sigmoid: "sigmoid",
  hard_sigmoid: "hardSigmoid",
  exponential: "exp",
  softmax: "softmax",
};

/** Activations a fused kernel applies itself, on every backend (Keras's elu has alpha 1 here). */
const FUSABLE: ReadonlySet<ActivationName> = new Set<ActivationName>([
  "linear",
  "relu",
  "relu6",
  "elu",
  "sigmoid",
]);

/** The fused-kernel attribute for `name`, or undefined when it needs a step of its own. */
export function fusedActivation(name: ActivationName): FusedActivation | undefined {
  return FUSABLE.has(name) ? (RUNTIME_ACTIVATION[name] as FusedActivation) : undefined;
}

/** Appends the `activation` step applying Keras activation `name` to `x` (softmax on the last axis). */
export function emitActivation(ctx: LowerContext, x: LowerValue, name: ActivationName): LowerValue {
  return ctx.emit("activation", [x], { fn: RUNTIME_ACTIVATION[name] });
}

/**
 * A computation followed by Keras activation `name`: one step with the activation fused when a fused
 * kernel has it, else the computation unfused and an `activation` step.
 */
export function emitWithActivation(
  ctx: LowerContext,
  name: ActivationName,
  compute: (fused: FusedActivation) => LowerValue,
): LowerValue {
  const fused = fusedActivation(name);
  return fused ? compute(fused) : emitActivation(ctx, compute("linear"), name);
}

/** The runtime function of Keras activation `name` (None, spelled null, is linear). */
export function runtimeActivation(name: ActivationName | null): ActivationFn {
  return name === null ? "linear" : RUNTIME_ACTIVATION[name];
}
