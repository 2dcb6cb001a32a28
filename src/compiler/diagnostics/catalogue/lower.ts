// Diagnostics of lowering a typed model to runtime steps (KML701–KML799): layers kerasc cannot execute yet,
// or cannot execute in the configuration given.
import type { Span } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";
import type { LayerLabel } from "./shapes.js";

const NO_LOWERING = defineKind("KML701", "error", "layer cannot be executed yet");
const UNKNOWN_WEIGHT_SHAPE = defineKind("KML702", "error", "weight shape unknown until run time");
const CONFIGURATION_NOT_EXECUTABLE = defineKind("KML703", "error", "layer configuration cannot be executed");
const PLANNING_FAILED = defineKind("KML798", "error", "internal error while optimizing or planning a model");
const LOWERING_FAILED = defineKind("KML799", "error", "internal error while lowering a layer");

function label(layer: LayerLabel): string {
  return `${layer.type} \`${layer.name}\``;
}

/** A layer type with no `lower` hook: it type-checks, but kerasc cannot run it yet. Span: the layer. */
export function layerCannotExecuteYet(span: Span, layer: LayerLabel): Diagnostic {
  return makeDiagnostic(
    NO_LOWERING,
    span,
    `layer ${label(layer)} cannot be executed yet: kerasc has no runtime lowering for ${layer.type}`,
    { hint: "`kerasc check` still checks this model; running it needs a layer kerasc can execute" },
  );
}

/** A weight whose shape depends on a None or symbolic dim, so it cannot be allocated. Span: the layer. */
export function weightShapeUnknown(span: Span, layer: LayerLabel, weight: string, shape: string): Diagnostic {
  return makeDiagnostic(
    UNKNOWN_WEIGHT_SHAPE,
    span,
    `${label(layer)} cannot be executed: its weight \`${weight}\` has shape ${shape}, not known before run time`,
    { hint: "give the input a fixed size on the axes the layer's weights depend on" },
  );
}

/** The layer's lowering rejects this configuration, saying why. Span: the layer. */
export function layerConfigurationNotExecutable(span: Span, layer: LayerLabel, reason: string): Diagnostic {
  return makeDiagnostic(CONFIGURATION_NOT_EXECUTABLE, span, `${label(layer)} cannot be executed: ${reason}`);
}

/** A layer's lowering failed unexpectedly (a kerasc bug, reported instead of crashing). Span: the layer. */
export function loweringFailed(span: Span, layer: LayerLabel, detail: string): Diagnostic {
  return makeDiagnostic(LOWERING_FAILED, span, `internal error while lowering ${label(layer)}: ${detail}`, {
    hint: "this is a bug in kerasc; please report it with the model file",
  });
}

/** Optimizing or planning a lowered model failed (a kerasc bug, reported instead of crashing). Span: the model. */
export function planningFailed(span: Span, model: string, detail: string): Diagnostic {
  return makeDiagnostic(
    PLANNING_FAILED,
    span,
    `internal error while planning model \`${model}\`: ${detail}`,
    {
      hint: "this is a bug in kerasc; compiling with -O0 may avoid it; please report it with the model file",
    },
  );
}
