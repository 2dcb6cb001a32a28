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
