// The normalization family of the Keras 2 reference: BatchNormalization, LayerNormalization.
import type { LayerDef } from "./layer.js";

export const normalizationLayers: readonly LayerDef[] = [];
