// The noise family of the Keras 2 reference: GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D/2D/3D.
import type { LayerDef } from "./layer.js";

export const noiseLayers: readonly LayerDef[] = [];
