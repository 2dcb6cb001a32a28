// The one explicit registry of layer definitions: every built-in family listed here, plus custom layers
// registered through the API. The builder looks layer names up here; unknown names get a suggestion.
import { advancedActivationLayers } from "./advanced-activations.js";
import { convolutionalLayers } from "./convolutional.js";
import { coreLayers } from "./core.js";
import { coreExtraLayers } from "./core-extras.js";
import { embeddingLayers } from "./embeddings.js";
import { lambdaLayers } from "./lambda.js";
import type { LayerDef } from "./layer.js";
import { installLayerLookup } from "./layer-lookup.js";
import { locallyConnectedLayers } from "./locally-connected.js";
import { mergeLayers } from "./merge.js";
import { noiseLayers } from "./noise.js";
import { normalizationLayers } from "./normalization.js";
import { poolingLayers } from "./pooling.js";
import { recurrentLayers } from "./recurrent.js";
import { wrapperLayers } from "./wrappers.js";

/** A set of layer definitions by class name. Names are case-sensitive, as in Keras. */
export class LayerRegistry {
  private readonly defs = new Map<string, LayerDef>();

  constructor(defs: readonly LayerDef[] = []) {
    for (const def of defs) this.register(def);
  }

  /** Adds a definition. A second layer with the same name is a programming error, so it throws. */
  register(def: LayerDef): void {
    if (this.defs.has(def.name)) throw new Error(`a layer named "${def.name}" is already registered`);
    this.defs.set(def.name, def);
  }

  get(name: string): LayerDef | undefined {
    return this.defs.get(name);
  }

  /** Every registered name, in registration order. */
  names(): string[] {
    return [...this.defs.keys()];
  }
}

/** The built-in layers, family by family, in the seed reference's order. */
export const builtinLayers: readonly LayerDef[] = [
  ...coreLayers,
  ...coreExtraLayers,
  ...lambdaLayers,
  ...convolutionalLayers,
  ...poolingLayers,
  ...locallyConnectedLayers,
  ...recurrentLayers,
  ...embeddingLayers,
  ...mergeLayers,
  ...advancedActivationLayers,
  ...normalizationLayers,
  ...noiseLayers,
  ...wrapperLayers,
];

const defaultRegistry = new LayerRegistry(builtinLayers);
installLayerLookup(defaultRegistry);

/** The definition of a layer class by its exact name, e.g. "Dense". */
export function getLayerDef(name: string): LayerDef | undefined {
  return defaultRegistry.get(name);
}

/** Every known layer name (for "did you mean" on an unknown layer). */
export function layerNames(): string[] {
  return defaultRegistry.names();
}

/** Registers a custom layer for every later compilation; throws if the name is taken. */
export function registerLayer(def: LayerDef): void {
  defaultRegistry.register(def);
}
