// The execution plan (SPEC §6): what `kerasc FILE` writes and `kerasc run PLAN` / loadPlan execute. A plan is
// a program (steps over slots, weights by Keras name) plus what makes it a self-contained file: a format
// tag and version, the model's name, a load-time prologue of weight transforms (BatchNormalization folded
// into a convolution's kernel, ...), each slot's static type, the statistics, and the passes that made it.
// plan.schema.json describes the same format for other tools; loadPlan validates against it.
import type { PlanObject, PlanValue, Program, ProgramDim, ProgramDType, WeightDecl } from "./program.js";

/** The `format` field of every plan file. */
export const PLAN_FORMAT = "kerasc-plan";
/** The plan format version this runtime reads and the compiler writes. */
export const PLAN_VERSION = 1;

/** A weight a prologue transform creates from other weights. */
export interface DerivedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: ProgramDType;
}

/** One load-time weight transform: reads weights by name, creates `outputs`, runs once per load. */
export interface WeightTransform {
  readonly op: string;
  /** Weight names (declared or created by an earlier transform), in the order the transform takes them. */
  readonly inputs: readonly string[];
  readonly outputs: readonly DerivedWeight[];
  readonly attrs: Readonly<Record<string, PlanValue>>;
}

/** A slot's static type: the shape with the batch (and any other unknown size) as null. */
export interface SlotType {
  readonly shape: readonly ProgramDim[];
  readonly dtype: ProgramDType;
}

/** What the plan costs, from its static types and memory plan. */
export interface PlanStats {
  /** The batch size the byte and FLOP figures are for. */
  readonly batch: number;
  /** Multiply-adds counted as two FLOPs, for one batch; null when a size other than the batch is unknown. */
  readonly flops: number | null;
  /** Bytes of the weights the steps read (after the prologue). */
  readonly parameterBytes: number;
  /** The most bytes of activations alive at once (while a step runs, or handing back results); null when a size is unknown. */
  readonly peakActivationBytes: number | null;
}

/** What one optimization pass did: human-readable lines, one per rewrite. */
export interface PassRecord {
  readonly pass: string;
  readonly changes: readonly string[];
  /** The program's step count before and after the pass. */
  readonly stepsBefore: number;
  readonly stepsAfter: number;
}

/** A plan file's contents. */
export interface Plan extends Program {
  readonly format: typeof PLAN_FORMAT;
  /** The model's name in its source. */
  readonly model: string;
  /**
   * Optimized for inference: training-only ops (dropout, noise) were removed and BatchNormalization
   * folded, so `predict(x, { training: true })` is refused; compile with -O0 for training-mode forward.
   */
  readonly inferenceOnly: boolean;
  /** Run once at load, in order, after the declared weights exist. */
  readonly prologue: readonly WeightTransform[];
  /** The static type of every slot, by slot index. */
  readonly slots: readonly SlotType[];
  readonly stats: PlanStats;
  /** The passes applied, in order (empty at -O0). */
  readonly passes: readonly PassRecord[];
  /**
   * Where the weights' values are: a TF.js weights manifest, relative to the plan file. Absent: each
   * weight comes from its initializer under the load's seed.
   */
  readonly weightsManifest?: string;
}

/** Whether a value read from JSON claims to be a plan (a format tag); validation comes after. */
export function isPlanLike(value: unknown): value is { readonly format: string } {
  return typeof value === "object" && value !== null && (value as PlanObject).format === PLAN_FORMAT;
}

/** Every weight a plan's steps may name: the declared ones and those the prologue creates. */
export function availableWeights(
  plan: Pick<Plan, "weights" | "prologue">,
): readonly (WeightDecl | DerivedWeight)[] {
  return [...plan.weights, ...plan.prologue.flatMap((t) => t.outputs)];
}
