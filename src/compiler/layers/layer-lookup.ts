// A forward reference to the layer registry for layer-valued arguments (`TimeDistributed(Dense(8))`).
// Layer families import the argument builders and the registry imports the families, so the builders
// cannot import the registry; registry.ts installs itself here when it loads.
import type { LayerDef } from "./layer.js";

export interface LayerLookup {
  get(name: string): LayerDef | undefined;
  names(): string[];
}

let installed: LayerLookup = { get: () => undefined, names: () => [] };

/** Called once by registry.ts. */
export function installLayerLookup(lookup: LayerLookup): void {
  installed = lookup;
}

/** The registry, as seen from argument binding. */
export function layerLookup(): LayerLookup {
  return installed;
}
