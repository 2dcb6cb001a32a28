// The wrappers family of the Keras 2 reference: TimeDistributed, Bidirectional.
import type { LayerDef } from "./layer.js";

export const wrapperLayers: readonly LayerDef[] = [];
