// The pooling family of the Keras 2 reference: Max/AveragePooling1D/2D/3D and the global poolings.
import type { LayerDef } from "./layer.js";

export const poolingLayers: readonly LayerDef[] = [];
