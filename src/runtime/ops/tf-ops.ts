// The tfjs functions kernels call, gathered in one injectable object (STYLE.md "Runtime ops are
// injectable"): a test passes a wrapped copy to see exactly which tfjs functions a program ran.
import * as tf from "@tensorflow/tfjs-core";
import * as direct from "./direct-kernels.js";

/**
 * The default `ops`: tfjs-core's own functions (never chained methods, which Node's bundle lacks), except
 * the hot products, convolutions, pools and softmax, which call their kernels directly (direct-kernels.ts:
 * the same kernels without the op wrappers' per-call bookkeeping; on cpu, kerasc's own for the products and
 * 2D convolutions).
 */
export const defaultOps = {
  matMul: direct.matMul,
  fusedMatMul: direct.fusedMatMul,
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
  maximum: tf.maximum,
  minimum: tf.minimum,
  addN: tf.addN,
  abs: tf.abs,
  exp: tf.exp,
  relu: tf.relu,
  relu6: tf.relu6,
  elu: tf.elu,
  selu: tf.selu,
  leakyRelu: tf.leakyRelu,
  softplus: tf.softplus,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  softmax: direct.softmax,
  clipByValue: tf.clipByValue,
  greater: tf.greater,
  where: tf.where,
  reshape: tf.reshape,
  expandDims: tf.expandDims,
  transpose: tf.transpose,
  tile: tf.tile,
  concat: tf.concat,
  cast: tf.cast,
  dropout: tf.dropout,
  // Recurrent, mask and gather ops (rnn.ts, sequence.ts).
  split: tf.split,
  unstack: tf.unstack,
  stack: tf.stack,
  zeros: tf.zeros,
  clone: tf.clone,
  keep: tf.keep,
  notEqual: tf.notEqual,
  any: tf.any,
  gather: direct.gather,
  reverse: tf.reverse,
  // Normalization, noise, Dot and Lambda ops (normalization.ts, noise.ts, dot.ts, relu.ts, tensor-function.ts).
  neg: tf.neg,
  rsqrt: tf.rsqrt,
  batchNorm: tf.batchNorm,
  square: tf.square,
  sum: tf.sum,
  min: tf.min,
  prod: tf.prod,
  logSumExp: tf.logSumExp,
  log: tf.log,
  sqrt: tf.sqrt,
  sign: tf.sign,
  round: tf.round,
  sin: tf.sin,
  cos: tf.cos,
  pow: tf.pow,
  floor: tf.floor,
  greaterEqual: tf.greaterEqual,
  scalar: tf.scalar,
  randomNormal: tf.randomNormal,
  randomUniform: tf.randomUniform,
  mean: tf.mean,
  max: tf.max,
  // Convolution, pooling, padding and locally-connected ops (conv.ts, pool.ts, pad-crop.ts, local.ts).
  conv2d: direct.conv2d,
  fusedConv2d: direct.fusedConv2d,
  conv3d: tf.conv3d,
  depthwiseConv2d: tf.depthwiseConv2d,
  fusedDepthwiseConv2d: tf.fused.depthwiseConv2d,
  conv2dTranspose: direct.conv2dTranspose,
  maxPool: direct.maxPool,
  avgPool: direct.avgPool,
  avgPool3d: tf.avgPool3d,
  pad: tf.pad,
  slice: tf.slice,
  resizeBilinear: tf.image.resizeBilinear,
  resizeNearestNeighbor: tf.image.resizeNearestNeighbor,
  tensor4d: tf.tensor4d,
};

/** The shape of an injectable `ops` object: every function a kernel may call. */
export type TfOps = typeof defaultOps;
