// Test helpers for the convolutional and locally-connected tests: argument diagnostics of one constructor
// call as [code, the text under its span, message], and a layer's FLOPs for given inputs.
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { TensorType } from "../../src/ir/graph.js";
import { readCall, recordingContext, spanText } from "./helpers.js";

function bind(text: string) {
  const call = readCall(text);
  const def = getLayerDef(call.layerName);
  if (!def) throw new Error(`no layer ${call.layerName}`);
  return { def, bound: bindLayerArgs(def, call) };
}

/** The diagnostics of binding `text`, as [code, the source text they point at, message]. */
export function bindErrors(text: string): [string, string, string][] {
  return bind(text).bound.diagnostics.map((d) => [d.code, spanText(text, d.span), d.message]);
}

/** FLOPs per sample of the layer `text` on `inputs` (which it must accept). */
export function flopsOf(text: string, inputs: readonly TensorType[]): number | null {
  const { def, bound } = bind(text);
  const { ctx, reports } = recordingContext();
  const outputs = def.inferOutputs(bound.args, inputs, ctx);
  if (!outputs) throw new Error(`${text} rejected its inputs: ${JSON.stringify(reports)}`);
  return def.flops(bound.args, inputs, outputs);
}
