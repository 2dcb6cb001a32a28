// The public face of the layer machinery for the other stages: lookup, binding, shape helpers.

export { arg } from "./arg.js";
export { BASE_ARG_NAMES, baseDeclaredInputShape } from "./base-args.js";
export { type BindResult, bindCall, bindLayerArgs, type CallInput } from "./bind.js";
export { defineLayer, type LayerArgs, type LayerDefinition, weight } from "./define-layer.js";
export type { LayerDef, LayerFamily, ShapeContext, WeightSpec } from "./layer.js";
export { builtinLayers, getLayerDef, LayerRegistry, layerNames, registerLayer } from "./registry.js";
export { type ArgSchema, type ArgSpec, type ArgsOf, defineSchema } from "./schema.js";
export { countParams, formatDim, formatShape, knownProduct } from "./shape-utils.js";
