// kerasc's transposed 2D convolution kernel for the cpu backend: tfjs's Conv2DBackpropInput (what
// tf.conv2dTranspose runs) of a 4D NHWC float32 dy, computed by conv2d-transpose.ts. Strides and pads come
// from tfjs's computeConv2DInfo of the output shape, as tfjs-backend-cpu's kernel computes them.
import * as tf from "@tensorflow/tfjs-core";
import { type CpuBackendLike, valuesOf } from "./backend-data.js";
import { conv2dTranspose } from "./conv2d-transpose.js";

/** The kernel's name: the NHWC transposed 2D convolution. */
export const KERASC_CONV2D_TRANSPOSE = "KerascConv2DTranspose";

type Conv2DInfoArgs = Parameters<typeof tf.backend_util.computeConv2DInfo>;

/** Inputs dy, filter; attributes as Conv2DBackpropInput's (inputShape: the output's shape). */
export const conv2dTransposeKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as unknown as CpuBackendLike;
  const { dy, filter } = inputs as Record<string, tf.TensorInfo>;
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
    inputShape: Conv2DInfoArgs[0];
    strides: Conv2DInfoArgs[2];
    pad: Conv2DInfoArgs[4];
    dataFormat?: string;
    dimRoundingMode?: Conv2DInfoArgs[5];
  };
  if ((dataFormat ?? "NHWC") !== "NHWC")
    throw new Error(`KerascConv2DTranspose: NHWC only, not ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter!.shape as Conv2DInfoArgs[1],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, inHeight, inWidth, inChannels] = dy!.shape as [number, number, number, number];
  if (batch !== info.batchSize)
    throw new Error(`KerascConv2DTranspose: dy [${dy!.shape}] and output [${inputShape}] differ in batch`);
  const out = new Float32Array(tf.util.sizeFromShape(info.inShape));
  conv2dTranspose(
    valuesOf(cpu, dy!),
    valuesOf(cpu, filter!),
    {
      batch,
      height: info.inHeight,
      width: info.inWidth,
      channels: info.inChannels,
      inHeight,
      inWidth,
      inChannels,
      usedHeight: Math.min(inHeight, info.outHeight),
      usedWidth: Math.min(inWidth, info.outWidth),
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    },
    out,
  );
  return cpu.makeTensorInfo(info.inShape, "float32", out);
};
