// `registerLayer`: a custom layer for both halves of kerasc — the compiler (arguments, shape, weights) and
// the runtime (its `call`) — as Keras's "write your own layer" defines one with build / call /
// compute_output_shape. Registered once per process, before compiling and loading models that use it.
import { type CustomLayerShapes, defineCustomLayer } from "./compiler/layers/custom.js";
import { registerLayer as registerLayerDef } from "./compiler/layers/registry.js";
import { type CustomCall, registerCustomCall } from "./runtime/ops/custom.js";

export type { CustomArg, CustomArgType, CustomWeight } from "./compiler/layers/custom.js";
export type { CustomCall, CustomCallContext } from "./runtime/ops/custom.js";

/** A custom layer: its name, arguments, build, computeOutputShape (compile time) and call (run time). */
export interface CustomLayer extends CustomLayerShapes {
  readonly call: CustomCall["call"];
  /** The tfjs kernels `call` may run, checked on the backend at load time (default: none checked). */
  readonly kernels?: readonly string[];
}

/**
 * Registers a custom layer: models may then use it by name (`MyLayer(output_dim=32)`), and loaded models
 * run its `call`. Throws if a layer of that name exists.
 */
export function registerLayer(layer: CustomLayer): void {
  registerLayerDef(defineCustomLayer(layer));
  registerCustomCall(layer.name, { call: layer.call, ...(layer.kernels ? { kernels: layer.kernels } : {}) });
}
