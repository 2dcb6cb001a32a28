// The contract of an op: how it runs (a kernel over tfjs functions) and which tfjs kernels it needs, so a
// model can check at load time that its backend has them all.
import type { Tensor } from "@tensorflow/tfjs-core";
import type { OpAttrs, OpName } from "../program.js";
import type { TfOps } from "./tf-ops.js";

/** What a kernel may know about the call it runs in. */
export interface KernelContext {
  /** `predict(x, { training: true })`: dropout and noise ops act; otherwise they are identities. */
  readonly training: boolean;
  /** A fresh seed for a random op, from the model's seed, the call count and the step: deterministic. */
  nextSeed(): number;
  /** States a stateful op keeps between predicts (the model owns them; resetStates clears them). */
  readonly heldStates?: HeldStates;
}

/**
 * Tensors a stateful step keeps in the model between calls, keyed by an object of the step (its first
 * weight, so a shared layer has one state, as in Keras). `set` takes ownership: the tensors must be kept
 * out of the step's tidy (tf.keep); the ones they replace are disposed.
 */
export interface HeldStates {
  get(key: object): readonly Tensor[] | undefined;
  set(key: object, tensors: readonly Tensor[]): void;
}

/**
 * One op of the vocabulary. `run` gets the step's input tensors, its attributes and weights (in the order
 * the step names them) and returns its outputs; intermediates it creates are disposed by the executor's
 * per-step tidy, and it may return an input unchanged (the executor tracks aliases).
 */
export interface OpDef<K extends OpName> {
  /** How many input slots the step takes. */
  readonly inputs: { readonly min: number; readonly max: number };
  /** How many weights the step names. */
  readonly weights: { readonly min: number; readonly max: number };
  /** The tfjs kernel names (`tf.getKernel`) a step with these attributes and weights may run. */
  kernels(attrs: OpAttrs[K], weightCount: number): readonly string[];
  /**
   * Load time, on the model's backend: tensors derived from the step's weights in the form this backend's
   * kernels want (a rearranged filter, a view), computed once and owned by the model. `run` gets them as
   * `prepared` (empty when the op has no `prepare` or it returned nothing); their meaning is the op's own.
   */
  prepare?(attrs: OpAttrs[K], weights: readonly Tensor[], ops: TfOps): readonly Tensor[] | undefined;
  run(
    inputs: readonly Tensor[],
    attrs: OpAttrs[K],
    weights: readonly Tensor[],
    ops: TfOps,
    ctx: KernelContext,
    prepared?: readonly Tensor[],
  ): Tensor[];
}

/** Op definitions for some ops of the vocabulary: what each kernel module exports. */
export type OpGroup<K extends OpName> = { readonly [P in K]: OpDef<P> };

/** Arity of ops that take exactly `n` inputs. */
export const exactly = (n: number) => ({ min: n, max: n }) as const;

/** No weights. */
export const NO_WEIGHTS = exactly(0);
