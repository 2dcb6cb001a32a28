// The summary as Keras 2's `model.summary()` prints it (keras/utils/layer_utils.py `print_summary`),
// followed by kerasc's own lines: FLOPs and activation memory per sample and per batch.
import type { Shape } from "../../ir/graph.js";
import { formatShape } from "../../ir/shape-text.js";
import type { Connection, LayerSummary, ModelSummary } from "./summarize.js";
import { formatBytes, formatCount, formatFlops } from "./units.js";

/** Keras's line lengths and column stops: 65 wide for chains, 98 with the "Connected to" column. */
const CHAIN_COLUMNS = { width: 65, stops: [0.45, 0.85, 1] } as const;
const GRAPH_COLUMNS = { width: 98, stops: [0.33, 0.55, 0.67, 1] } as const;

/**
 * The summary table, Keras's layout exactly (fields cut at their column, rules of `_` and `=`), except
 * that trailing spaces are trimmed. Ends with a newline.
 */
export function formatSummaryTable(summary: ModelSummary): string {
  const columns = summary.showConnections ? GRAPH_COLUMNS : CHAIN_COLUMNS;
  const stops = columns.stops.map((p) => Math.floor(columns.width * p));
  const row = (fields: readonly string[]) => formatRow(fields, stops);
  const thin = "_".repeat(columns.width);
  const thick = "=".repeat(columns.width);
  const headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"];

  const lines = [`Model: "${summary.name}"`, thin, row(headers.slice(0, stops.length)), thick];
  summary.layers.forEach((layer, i) => {
    lines.push(...layerRows(layer, summary.showConnections).map(row));
    lines.push(i === summary.layers.length - 1 ? thick : thin);
  });
  const params = summary.params;
  const count = (n: number | undefined) => (n === undefined ? "unknown" : formatCount(n));
  lines.push(
    `Total params: ${count(params?.total)}`,
    `Trainable params: ${count(params?.trainable)}`,
    `Non-trainable params: ${count(params?.nonTrainable)}`,
    thin,
    ...costLines(summary),
  );
  return `${lines.join("\n")}\n`;
}

/** A layer's row, then one row per further connection (Keras lists a shared layer's inputs one a line). */
function layerRows(layer: LayerSummary, withConnections: boolean): string[][] {
  const first = [
    `${layer.name} (${layer.type})`,
    formatKerasShapes(layer.outputShapes),
    layer.params === null ? "?" : String(layer.params.total),
  ];
  if (!withConnections) return [first];
  const [head, ...rest] = layer.connectedTo.map(formatConnection);
  return [[...first, head ?? ""], ...rest.map((c) => ["", "", "", c])];
}

/** Keras's `print_row`: each field cut at its column stop and padded to it, one space kept between fields. */
function formatRow(fields: readonly string[], stops: readonly number[]): string {
  let line = "";
  fields.forEach((field, i) => {
    if (i > 0) line = `${line.slice(0, -1)} `;
    line = (line + field).slice(0, stops[i]);
    line = line.padEnd(stops[i]!);
  });
  return line.trimEnd();
}

/** Python's `str()` of Keras's `output_shape` / `input_shape`: a tuple, a list of tuples, or "multiple". */
export function formatKerasShapes(shapes: readonly (Shape | null)[] | null): string {
  if (shapes === null) return "multiple";
  const texts = shapes.map((s) => (s === null ? "?" : formatShape(s)));
  return texts.length === 1 ? texts[0]! : `[${texts.join(", ")}]`;
}

/** `dense_1[0][0]`: the producing layer, which of its calls, which of that call's outputs. */
export function formatConnection(connection: Connection): string {
  return `${connection.layer}[${connection.nodeIndex}][${connection.tensorIndex}]`;
}

/** kerasc's lines after Keras's table: FLOPs and activation memory, per sample and per batch. */
function costLines(summary: ModelSummary): string[] {
  // The exact count follows the rounded one only when rounding hid something (from a thousand up).
  const exact = (n: number, unit: string) => (n < 1000 ? "" : ` (${formatCount(n)}${unit})`);
  const flops = (n: number | null) =>
    n === null ? unknownBecause(summary.unknownFlops) : `${formatFlops(n)}${exact(n, "")}`;
  const bytes = (n: number | null) =>
    n === null ? unknownBecause(summary.unknownActivations) : `${formatBytes(n)}${exact(n, " bytes")}`;
  const lines = [
    `FLOPs per sample: ${flops(summary.flops)}`,
    `Activation memory per sample: ${bytes(summary.activationBytes)}`,
  ];
  const batch = summary.perBatch;
  if (batch) {
    lines.push(
      `FLOPs per batch of ${formatCount(batch.batch)}: ${flops(batch.flops)}`,
      `Activation memory per batch of ${formatCount(batch.batch)}: ${bytes(batch.activationBytes)}`,
    );
  }
  return lines;
}

/** Names the first few layers to blame; a symbolic input dim can make every layer unknown. */
function unknownBecause(layers: readonly string[]): string {
  const named =
    layers.length > 3 ? `${layers.slice(0, 3).join(", ")} and ${layers.length - 3} more` : layers.join(", ");
  const verb = layers.length === 1 ? "depends" : "depend";
  return `unknown (${named} ${verb} on a dimension that is None or symbolic)`;
}
