// The tfjs functions kernels call, gathered in one injectable object (STYLE.md "Runtime ops are
// injectable"): a test passes a wrapped copy to see exactly which tfjs functions a program ran.
import * as tf from "@tensorflow/tfjs-core";

/** The default `ops`: tfjs-core's own functions (never chained methods, which Node's bundle lacks). */
export const defaultOps = {
  matMul: tf.matMul,
  fusedMatMul: tf.fused.matMul,
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
  softmax: tf.softmax,
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
};

/** The shape of an injectable `ops` object: every function a kernel may call. */
export type TfOps = typeof defaultOps;
