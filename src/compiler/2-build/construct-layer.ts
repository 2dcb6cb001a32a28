// Constructing a layer: `Dense(8, activation="relu")` → arguments evaluated and bound to the layer's
// schema, the layer named as Keras would name it. An Input is a tensor the moment it is constructed.
import type { CallExpr } from "../1-parse/ast.js";
import { duplicateLayerName } from "../diagnostics/catalogue/names.js";
import type { LayerCallInput } from "../layers/arg-input.js";
import { bindLayerArgs } from "../layers/bind.js";
import type { LayerDef } from "../layers/layer.js";
import { type Denotation, type LayerObject, POISON } from "./denotation.js";
import { evaluateLayerCall } from "./evaluate-args.js";
import type { Env } from "./resolve.js";

/** `Layer(args)` written in the source. `outputs` is how many names an Input is unpacked into. */
export function constructLayer(def: LayerDef, call: CallExpr, env: Env, outputs = 1): Denotation {
  if (isInputLike(def)) env.graph.declaresInput = true;
  const input = evaluateLayerCall(call, def.name, env);
  return input ? constructFromInput(def, input, env, outputs) : POISON;
}

/** A layer from already evaluated arguments (also used for the implicit Input of a sequential model). */
export function constructFromInput(def: LayerDef, input: LayerCallInput, env: Env, outputs = 1): Denotation {
  const layer = bindLayer(def, input, env);
  if (!layer) return POISON;
  if (!isInputLike(def)) return { kind: "layer", layer };
  const values = env.graph.addNode(layer, [], outputs, input.span, env.ctx.expandedFrom);
  return values.length === 1
    ? { kind: "tensor", value: values[0]!, fromInput: true }
    : { kind: "tensors", values };
}

/** Layers that take no input tensors (Input) produce their tensor when constructed, not when applied. */
export function isInputLike(def: LayerDef): boolean {
  return def.inputArity.max === 0;
}

function bindLayer(def: LayerDef, input: LayerCallInput, env: Env): LayerObject | undefined {
  const bound = bindLayerArgs(def, input);
  for (const d of bound.diagnostics) env.ctx.report(d);
  if (!bound.ok) return undefined;
  const args = deepFreeze(bound.args);
  const inBlock = env.ctx.inBlock;
  let name: string;
  if (typeof args.name === "string") {
    name = args.name;
    const nameSpan = input.keywords.find((k) => k.name === "name")?.value.span ?? input.span;
    const owner = env.graph.naming.claim(name, nameSpan, inBlock);
    if (owner)
      env.ctx.report(
        duplicateLayerName(nameSpan, name, owner.span, owner.automatic, inBlock || owner.inBlock),
      );
  } else {
    name = env.graph.naming.automatic(def.name, input.span, inBlock);
  }
  return { def, name, args, span: input.span, expandedFrom: env.ctx.expandedFrom, id: undefined };
}

/** Arguments are shared by every node of a shared layer and by later passes: nothing may change them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    // for-in, not Object.values: no array per layer (args records have own, enumerable keys only).
    for (const key in value) deepFreeze(value[key]);
    Object.freeze(value);
  }
  return value;
}
