// The `custom` op: a layer registered by the user (registerLayer in src/custom-layer.ts) runs its own
// `call` on tfjs tensors. The runtime keeps the calls by layer class name; a program naming a layer this
// runtime has no call for fails at load time, naming it.
import type { Tensor } from "@tensorflow/tfjs-core";
import type { PlanObject } from "../program.js";
import type { OpGroup } from "./op-def.js";

/** What a custom layer's `call` receives besides its inputs. */
export interface CustomCallContext {
  /** `predict(x, { training: true })`. */
  readonly training: boolean;
  /** A deterministic seed for random ops (from the model's seed). */
  nextSeed(): number;
}

/** A custom layer's forward pass (Keras's `call`), with the tfjs kernels it may run. */
export interface CustomCall {
  /**
   * The layer's output from its inputs, its weights by the names `build` gave them, and its arguments.
   * Intermediate tensors are disposed by the executor; the result must be a new tensor or an input.
   */
  call(
    inputs: readonly Tensor[],
    weights: Readonly<Record<string, Tensor>>,
    args: PlanObject,
    context: CustomCallContext,
  ): Tensor;
  /** The tfjs kernels `call` may run (tf.getKernel names), checked on the backend at load time. */
  readonly kernels?: readonly string[];
}

const CALLS = new Map<string, CustomCall>();

/** Registers the forward pass of custom layer `name` (replacing an earlier one of that name). */
export function registerCustomCall(name: string, call: CustomCall): void {
  CALLS.set(name, call);
}

/** The forward pass of custom layer `name`, or an error saying it was never registered. */
function callOf(name: string): CustomCall {
  const call = CALLS.get(name);
  if (!call)
    throw new Error(
      `the custom layer ${name} has no call in this runtime: registerLayer() it before loading the model`,
    );
  return call;
}

/** The `custom` op. */
export const customOps: OpGroup<"custom"> = {
  custom: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: { min: 0, max: Number.POSITIVE_INFINITY },
    // Looked up at load time: an unregistered layer fails there.
    kernels: (attrs) => callOf(attrs.layer).kernels ?? [],
    run(inputs, attrs, weights, _ops, ctx) {
      const named = Object.fromEntries(attrs.weights.map((name, i) => [name, weights[i]!]));
      return [callOf(attrs.layer).call(inputs, named, attrs.args, ctx)];
    },
  },
};
