// Diagnostics about tensor shapes found by shape inference (KML401–KML499): each names the layer, what it
// expects, what it got and which upstream layer produced the offending input.
import type { Span } from "../../source.js";
import type { Diagnostic, RelatedLocation } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const INPUT_SHAPE_MISMATCH = defineKind("KML401", "error", "input shape does not fit the layer");
const ARGUMENT_SHAPE_MISMATCH = defineKind("KML402", "error", "layer argument does not fit the input shape");
const WRONG_INPUT_COUNT = defineKind("KML403", "error", "wrong number of input tensors");
const MASK_NOT_SUPPORTED = defineKind("KML404", "error", "a mask reaches a layer that cannot take one");
const WEIGHT_COUNT_MISMATCH = defineKind("KML405", "error", "`weights` gives the wrong number of arrays");
const WEIGHT_SHAPE_MISMATCH = defineKind("KML406", "error", "an array of `weights` has the wrong shape");
const SHAPE_RULE_FAILED = defineKind("KML499", "error", "internal error in a layer's shape rule");

/** The layer a shape diagnostic is about, as the message shows it. */
export interface LayerLabel {
  /** Registry name: "Dense". */
  readonly type: string;
  /** Instance name: "dense_2". */
  readonly name: string;
}

/** The upstream tensor behind an offending input. */
export interface Producer {
  /** The producing layer's instance name, e.g. "reshape_1". */
  readonly layer: string;
  /** " at line 3" (or "" when lines are unknown). */
  readonly where: string;
  /** The produced shape as Keras prints it: "(None, 26, 26, 10)". */
  readonly shape: string;
  readonly span: Span;
}

function label(layer: LayerLabel): string {
  return `${layer.type} \`${layer.name}\``;
}

/**
 * A layer's input has a shape the layer cannot take, e.g. "Dense `dense_2` expects an input whose last
 * dimension is known; `reshape_1` at line 3 produces (None, None)". Span: the layer application.
 */
export function inputShapeMismatch(
  span: Span,
  layer: LayerLabel,
  inputIndex: number | undefined,
  expected: string,
  producer: Producer,
  hint: string | undefined,
  context: readonly RelatedLocation[],
): Diagnostic {
  const which = inputIndex === undefined ? "" : ` as input ${inputIndex + 1}`;
  const message = `${label(layer)} expects ${expected}${which}; \`${producer.layer}\`${producer.where} produces ${producer.shape}`;
  return makeDiagnostic(INPUT_SHAPE_MISMATCH, span, message, {
    ...(hint === undefined ? {} : { hint }),
    related: [
      { span: producer.span, message: `\`${producer.layer}\` produces ${producer.shape}` },
      ...context,
    ],
  });
}

/**
 * An argument that cannot work with the inputs the layer receives (Reshape's target_shape does not divide
 * the input size). Span: the layer's constructor.
 */
export function argumentShapeMismatch(
  span: Span,
  layer: LayerLabel,
  arg: string,
  message: string,
  hint: string | undefined,
  context: readonly RelatedLocation[],
): Diagnostic {
  // The layer's message names the argument already ("noise_shape (None, 1) has 2 dimensions but ...").
  return makeDiagnostic(ARGUMENT_SHAPE_MISMATCH, span, `${label(layer)}: ${message}`, {
    hint: hint ?? `check \`${arg}\` against the input shape`,
    related: context,
  });
}

/** `Add()([x])` or `Dense(3)([a, b])`. Span: the application. */
export function wrongInputCount(
  span: Span,
  layer: LayerLabel,
  min: number,
  max: number,
  got: number,
  context: readonly RelatedLocation[],
): Diagnostic {
  const takes =
    min === max
      ? `exactly ${min} input tensor${min === 1 ? "" : "s"}`
      : max === Number.POSITIVE_INFINITY
        ? `at least ${min} input tensors`
        : `${min} to ${max} input tensors`;
  const hint =
    max === 1
      ? `apply it to one tensor: \`${layer.type}(...)(x)\``
      : `pass the tensors as a list: \`${layer.type}(...)([a, b])\``;
  return makeDiagnostic(WRONG_INPUT_COUNT, span, `${label(layer)} takes ${takes}, got ${got}`, {
    hint,
    related: context,
  });
}

/**
 * A masked tensor (from Embedding(mask_zero=True) or Masking) reaches a layer that does not support
 * masking, which Keras rejects. Span: the layer application.
 */
export function maskNotSupported(
  span: Span,
  layer: LayerLabel,
  producer: Producer,
  context: readonly RelatedLocation[],
): Diagnostic {
  return makeDiagnostic(
    MASK_NOT_SUPPORTED,
    span,
    `${label(layer)} cannot take a masked input; \`${producer.layer}\`${producer.where} produces ${producer.shape}`,
    {
      hint: "drop mask_zero=True / Masking, or put a layer that consumes the mask (such as an RNN) in between",
      related: [{ span: producer.span, message: `the mask comes from \`${producer.layer}\`` }, ...context],
    },
  );
}

/** A layer's shape rule failed unexpectedly (a kerasc bug, reported instead of crashing). Span: the layer. */
export function shapeRuleFailed(span: Span, layer: LayerLabel, detail: string): Diagnostic {
  return makeDiagnostic(
    SHAPE_RULE_FAILED,
    span,
    `internal error while inferring the shape of ${label(layer)}: ${detail}`,
    { hint: "this is a bug in kerasc; please report it with the model file" },
  );
}

/** One weight of a layer as the `weights` diagnostics list it: "kernel (3, 2)". */
export interface WeightLabel {
  readonly name: string;
  /** As Keras prints it: "(3, 2)", "(2,)". */
  readonly shape: string;
}

function weightOrder(weights: readonly WeightLabel[]): string {
  return weights.length === 0
    ? "the layer has no weights: leave `weights` out"
    : `one array per weight, in Keras's get_weights() order: ${weights.map((w) => `${w.name} ${w.shape}`).join(", ")}`;
}

/**
 * `weights=` lists another number of arrays than the layer has weights (Keras's set_weights: "... with a
 * weight list of length 1, but the layer was expecting 2 weights"). Span: the `weights` list.
 */
export function weightCountMismatch(
  span: Span,
  layer: LayerLabel,
  given: number,
  weights: readonly WeightLabel[],
  context: readonly RelatedLocation[],
): Diagnostic {
  const has = `${weights.length} weight${weights.length === 1 ? "" : "s"}`;
  const gives = `${given} array${given === 1 ? "" : "s"}`;
  return makeDiagnostic(
    WEIGHT_COUNT_MISMATCH,
    span,
    `${label(layer)} has ${has}, but \`weights\` gives ${gives}`,
    { hint: weightOrder(weights), related: context },
  );
}

/**
 * Array `index` of `weights=` does not have its weight's shape (Keras: "Layer weight shape (3, 2) not
 * compatible with provided weight shape (2, 3)"). Span: that array.
 */
export function weightShapeMismatch(
  span: Span,
  layer: LayerLabel,
  index: number,
  weight: WeightLabel,
  given: string,
  weights: readonly WeightLabel[],
  context: readonly RelatedLocation[],
): Diagnostic {
  return makeDiagnostic(
    WEIGHT_SHAPE_MISMATCH,
    span,
    `${label(layer)}: weight \`${weight.name}\` has shape ${weight.shape}, but \`weights[${index}]\` has shape ${given}`,
    { hint: weightOrder(weights), related: context },
  );
}
