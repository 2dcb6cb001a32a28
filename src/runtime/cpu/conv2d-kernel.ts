// kerasc's 2D convolution kernel for the cpu backend: tfjs's FusedConv2D (and Conv2D) of a 4D NHWC float32
// input, computed by conv2d.ts, then the bias and activation per output channel (epilogue.ts, the output
// viewed as (batch·outHeight·outWidth, outChannels)). Sizes and pads come from tfjs's own computeConv2DInfo,
// so every padding tfjs's kernels accept ('same', 'valid', a number, explicit pads) means the same here.
import * as tf from "@tensorflow/tfjs-core";
import { type CpuBackendLike, valuesOf } from "./backend-data.js";
import { conv2d } from "./conv2d.js";
import { applyFusedEpilogue, type FusedActivation } from "./epilogue.js";

/** The kernel's name: the NHWC 2D convolution with optional bias and activation. */
export const KERASC_CONV2D = "KerascConv2D";

type Conv2DInfoArgs = Parameters<typeof tf.backend_util.computeConv2DInfo>;

/** Inputs x, filter, bias?, preluActivationWeights?; attributes as FusedConv2D's (activation optional). */
export const conv2dKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as unknown as CpuBackendLike;
  const { x, filter, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } =
    attrs as unknown as {
      strides: Conv2DInfoArgs[2];
      pad: Conv2DInfoArgs[4];
      dataFormat?: string;
      dilations?: Conv2DInfoArgs[3];
      dimRoundingMode?: Conv2DInfoArgs[5];
      activation?: FusedActivation;
      leakyreluAlpha?: number;
    };
  if ((dataFormat ?? "NHWC") !== "NHWC") throw new Error(`KerascConv2D: NHWC only, not ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x!.shape as Conv2DInfoArgs[0],
    filter!.shape as Conv2DInfoArgs[1],
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
  );
  const out = new Float32Array(tf.util.sizeFromShape(info.outShape));
  conv2d(
    valuesOf(cpu, x!),
    valuesOf(cpu, filter!),
    {
      batch: info.batchSize,
      inHeight: info.inHeight,
      inWidth: info.inWidth,
      inChannels: info.inChannels,
      outHeight: info.outHeight,
      outWidth: info.outWidth,
      outChannels: info.outChannels,
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      dilationHeight: info.dilationHeight,
      dilationWidth: info.dilationWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    },
    out,
  );
  const m = info.batchSize * info.outHeight * info.outWidth;
  const n = info.outChannels;
  applyFusedEpilogue(
    cpu,
    out,
    m,
    n,
    { bias, preluActivationWeights, activation, leakyreluAlpha },
    KERASC_CONV2D,
  );
  return cpu.makeTensorInfo(info.outShape, "float32", out);
};
