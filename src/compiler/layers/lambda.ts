// The lambda family of the Keras 2 reference: Lambda and its tensor-expression language.
import type { LayerDef } from "./layer.js";

export const lambdaLayers: readonly LayerDef[] = [];
