// The locally-connected family of the Keras 2 reference: LocallyConnected1D/2D (unshared weights).
import type { LayerDef } from "./layer.js";

export const locallyConnectedLayers: readonly LayerDef[] = [];
