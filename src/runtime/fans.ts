// Fan-in and fan-out of a weight shape, as Keras's `_compute_fans` defines them for variance scaling.

/** The number of input and output units a weight connects. */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/**
 * Keras's `_compute_fans`: a scalar counts as 1 in and 1 out; a vector's length is both; a matrix
 * (input_dim, units) gives shape[0] in and shape[1] out; a larger shape is a convolution kernel laid out
 * (...spatial, in_channels, out_channels), whose fans are the channels times the receptive field (the
 * product of the spatial dims). Keras kernels are channels-last whatever the layer's data_format.
 */
export function computeFans(shape: readonly number[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptiveField = shape.slice(0, -2).reduce((product, dim) => product * dim, 1);
  return { fanIn: shape.at(-2)! * receptiveField, fanOut: shape.at(-1)! * receptiveField };
}
