// The embeddings family of the Keras 2 reference: Embedding.
import type { LayerDef } from "./layer.js";

export const embeddingLayers: readonly LayerDef[] = [];
