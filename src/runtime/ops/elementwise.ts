// Elementwise ops: binary add / sub / mul / maximum / minimum with NumPy broadcasting, addN over any number
// of same-shaped inputs, and scale by a constant. Keras's merge layers lower to these.
import type { Tensor } from "@tensorflow/tfjs-core";
import { Add, AddN, Maximum, Minimum, Multiply, Sub } from "@tensorflow/tfjs-core";
import type { OpName } from "../program.js";
import { exactly, NO_WEIGHTS, type OpDef, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/** A two-input op that runs one tfjs function and one kernel. */
function binary<K extends OpName>(
  kernel: string,
  apply: (ops: TfOps, a: Tensor, b: Tensor) => Tensor,
): OpDef<K> {
  return {
    inputs: exactly(2),
    weights: NO_WEIGHTS,
    kernels: () => [kernel],
    run: ([a, b], _attrs, _weights, ops) => [apply(ops, a!, b!)],
  };
}

/** The elementwise ops. */
export const elementwiseOps: OpGroup<"add" | "sub" | "mul" | "maximum" | "minimum" | "addN" | "scale"> = {
  add: binary(Add, (ops, a, b) => ops.add(a, b)),
  sub: binary(Sub, (ops, a, b) => ops.sub(a, b)),
  mul: binary(Multiply, (ops, a, b) => ops.mul(a, b)),
  maximum: binary(Maximum, (ops, a, b) => ops.maximum(a, b)),
  minimum: binary(Minimum, (ops, a, b) => ops.minimum(a, b)),
  addN: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: NO_WEIGHTS,
    kernels: () => [AddN],
    run: (inputs, _attrs, _weights, ops) => [ops.addN([...inputs])],
  },
  scale: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Multiply],
    run: ([x], attrs, _weights, ops) => [ops.mul(x!, attrs.factor)],
  },
};
