// The summary stage's public face: summarize a typed graph, print it as Keras does, or as SPEC's JSON.
export { formatConnection, formatKerasShapes, formatSummaryTable } from "./format-table.js";
export { type JsonShape, type SummaryJson, stringifySummaryJson, summaryJson } from "./json.js";
export { type InboundTensor, type KerasNetwork, kerasNetwork, type NetworkLayer } from "./network.js";
export {
  type BatchTotals,
  bytesPerSample,
  type Connection,
  commonShapes,
  type LayerSummary,
  type ModelSummary,
  type ParamCount,
  type SummaryOptions,
  type SummaryTensor,
  summarizeGraph,
} from "./summarize.js";
export { formatBytes, formatCount, formatFlops } from "./units.js";
