// The convolutional family of the Keras 2 reference: Conv1D/2D/3D, SeparableConv1D/2D, DepthwiseConv2D, Conv2DTranspose, Conv3DTranspose, Cropping, UpSampling, ZeroPadding.
import type { LayerDef } from "./layer.js";

export const convolutionalLayers: readonly LayerDef[] = [];
