// The summary's JSON, a stable contract (SPEC §4): exactly these fields, in this order, nothing more.
import type { Shape } from "../../ir/graph.js";
import type { ModelSummary, SummaryTensor } from "./summarize.js";

/** A shape as JSON: sizes, and null for every dimension not known as a number (None or symbolic). */
export type JsonShape = readonly (number | null)[];

/** The JSON of one model, as `kerasc summary --json` prints it. */
export interface SummaryJson {
  readonly name: string;
  readonly inputs: readonly { readonly name: string; readonly shape: JsonShape | null }[];
  readonly outputs: readonly { readonly name: string; readonly shape: JsonShape | null }[];
  readonly layers: readonly {
    readonly name: string;
    readonly type: string;
    /**
     * The contract's own union: one shape, or an array of shapes for a layer with several outputs. Null
     * when a shared layer's calls produce different shapes (Keras: "multiple") or the shape is unknown.
     */
    readonly outputShape: JsonShape | readonly (JsonShape | null)[] | null;
    readonly params: number | null;
  }[];
  readonly totalParams: number | null;
  readonly trainableParams: number | null;
  readonly nonTrainableParams: number | null;
}

/** The contract's JSON object for one model summary. */
export function summaryJson(summary: ModelSummary): SummaryJson {
  const tensor = (t: SummaryTensor) => ({ name: t.name, shape: jsonShape(t.shape) });
  return {
    name: summary.name,
    inputs: summary.inputs.map(tensor),
    outputs: summary.outputs.map(tensor),
    layers: summary.layers.map((layer) => ({
      name: layer.name,
      type: layer.type,
      outputShape: jsonOutputShape(layer.outputShapes),
      params: layer.params?.total ?? null,
    })),
    totalParams: summary.params?.total ?? null,
    trainableParams: summary.params?.trainable ?? null,
    nonTrainableParams: summary.params?.nonTrainable ?? null,
  };
}

/** A symbolic dim becomes null too: the contract promises numbers or null, and JSON readers rely on it. */
function jsonShape(shape: Shape | null): JsonShape | null {
  return shape === null ? null : shape.map((d) => (typeof d === "number" ? d : null));
}

function jsonOutputShape(
  shapes: readonly (Shape | null)[] | null,
): SummaryJson["layers"][number]["outputShape"] {
  if (shapes === null) return null;
  return shapes.length === 1 ? jsonShape(shapes[0]!) : shapes.map(jsonShape);
}

/**
 * JSON text indented by two spaces like `JSON.stringify(value, null, 2)`, except that an array of numbers
 * and nulls (a shape) stays on one line: `[null, 28, 28, 1]` reads better than five lines.
 */
export function stringifySummaryJson(value: unknown): string {
  return `${printJson(value, "")}\n`;
}

function printJson(value: unknown, indent: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((item) => item === null || typeof item === "number")) {
      return `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
    }
    return `[\n${value.map((item) => inner + printJson(item, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const fields = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${printJson(v, inner)}`);
  return `{\n${fields.join(",\n")}\n${indent}}`;
}
