// Parameter counts per layer (for `kerasc summary`), from each layer's weight specs and the input types
// of its first application — a shared layer's weights are counted once, as Keras counts them.
import type { Graph, LayerId, TensorType } from "../../ir/graph.js";
import { knownProduct } from "../layers/index.js";
import { getLayerDef } from "../layers/registry.js";

export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly total: number;
}

/**
 * Each layer's parameter count; null when it cannot be known (an input was not typed, or a weight
 * depends on a dimension that is None or symbolic).
 */
export function layerParamCounts(graph: Graph): Map<LayerId, ParamCount | null> {
  const types = new Map(graph.values.map((v) => [v.id, v.type]));
  const layers = new Map(graph.layers.map((l) => [l.id, l]));
  const counts = new Map<LayerId, ParamCount | null>();
  for (const node of graph.nodes) {
    if (counts.has(node.layer)) continue;
    const layer = layers.get(node.layer);
    counts.set(
      node.layer,
      layer
        ? countFor(
            layer.type,
            layer.args,
            node.inputs.map((id) => types.get(id) ?? null),
          )
        : null,
    );
  }
  return counts;
}

function countFor(
  type: string,
  args: Graph["layers"][number]["args"],
  inputs: readonly (TensorType | null)[],
): ParamCount | null {
  const def = getLayerDef(type);
  if (!def || inputs.some((t) => t === null)) return null;
  let trainable = 0;
  let nonTrainable = 0;
  for (const weight of def.weights(args, inputs as TensorType[])) {
    const size = knownProduct(weight.shape);
    if (size === null) return null;
    if (weight.trainable) trainable += size;
    else nonTrainable += size;
  }
  return { trainable, nonTrainable, total: trainable + nonTrainable };
}

/** Totals over the graph's layers; `complete` is false when some layer's count is unknown. */
export function graphParamTotals(graph: Graph): ParamCount & { readonly complete: boolean } {
  let trainable = 0;
  let nonTrainable = 0;
  let complete = true;
  for (const count of layerParamCounts(graph).values()) {
    if (!count) {
      complete = false;
      continue;
    }
    trainable += count.trainable;
    nonTrainable += count.nonTrainable;
  }
  return { trainable, nonTrainable, total: trainable + nonTrainable, complete };
}
