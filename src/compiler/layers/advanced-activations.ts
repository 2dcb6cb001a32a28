// The advanced-activations family of the Keras 2 reference: LeakyReLU, PReLU, ELU, ThresholdedReLU, ReLU, Softmax.
import type { LayerDef } from "./layer.js";

export const advancedActivationLayers: readonly LayerDef[] = [];
