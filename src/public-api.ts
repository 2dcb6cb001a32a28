// kerasc's public API shared by Node (index.ts) and the browser (browser.ts): everything but compile and
// check (each entry gives them its own source host) and the Node-only file functions.

export type { KmlFile } from "./compiler/1-parse/ast.js";
// Execution: lower a typed graph to a runtime program, then load it on a backend and predict.
export { type LoweredGraph, lowerGraph, lowerProgram } from "./compiler/5-lower/lower.js";
export type { PlanOptions } from "./compiler/7-plan/index.js";
export type { Diagnostic, RelatedLocation, Severity } from "./compiler/diagnostics/diagnostic.js";
export { hasErrors } from "./compiler/diagnostics/diagnostic.js";
export { renderDiagnosticsText } from "./compiler/diagnostics/render-text.js";
export { printKmlJson } from "./compiler/fmt/print-json.js";
export { printKml } from "./compiler/fmt/print-kml.js";
export { graphToDot, renderDotToSvg } from "./compiler/graph/index.js";
export type { CompileInput, CompileOptions, CompileResult } from "./compiler/index.js";
export { parseSource } from "./compiler/index.js";
export { SourceFile, type SourceHost, type Span } from "./compiler/source.js";
export {
  type BatchTotals,
  type Connection,
  formatSummaryTable,
  type JsonShape,
  type LayerSummary,
  type ModelSummary,
  type ParamCount,
  type SummaryJson,
  type SummaryOptions,
  type SummaryTensor,
  stringifySummaryJson,
  summarizeGraph,
  summaryJson,
} from "./compiler/summary/index.js";
export {
  type CustomArg,
  type CustomArgType,
  type CustomCall,
  type CustomCallContext,
  type CustomLayer,
  type CustomWeight,
  registerLayer,
} from "./custom-layer.js";
export type * from "./ir/graph.js";
// Backends: loading a model selects its own; selectBackend is for running tfjs code of one's own beside it.
export { BACKEND_NAMES, type BackendName, selectBackend } from "./runtime/backend.js";
// Execution plans: what compile() returns per model and `kerasc FILE` writes; loadPlan runs one.
// loadModel takes a plan (as compile() returns or a .plan.json holds) or a lowered runtime program.
export { loadPlan, loadPlanOrProgram as loadModel, parsePlan } from "./runtime/load-plan.js";
export type {
  LoadOptions,
  Model,
  ModelInput,
  PredictOptions,
  WeightValues,
} from "./runtime/model.js";
// Weights in the TF.js format (manifest + binary shards) and arrays as NumPy .npy files.
export { type NpyArray, parseNpy, serializeNpy } from "./runtime/npy.js";
export {
  type PassRecord,
  PLAN_FORMAT,
  PLAN_VERSION,
  type Plan,
  type PlanStats,
  type SlotType,
  type WeightTransform,
} from "./runtime/plan.js";
export type { Program as RuntimeProgram } from "./runtime/program.js";
export {
  decodeWeights,
  encodeWeights,
  type NamedWeight,
  type WeightShard,
  type WeightsManifest,
} from "./runtime/weights-format.js";
