// Ops of sequences and masks: `gather` (Embedding's lookup), `notEqualMask` (the masks Masking and
// Embedding(mask_zero) create, as float32 1/0 values) and `reverse` (Bidirectional's backward sequence).
import { Any, Cast, GatherNd, GatherV2, NotEqual, Reshape, Reverse } from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";

/** The sequence and mask ops. */
export const sequenceOps: OpGroup<"gather" | "notEqualMask" | "reverse"> = {
  gather: {
    inputs: exactly(1),
    weights: exactly(1),
    // wasm: GatherNd over a view of the indices (direct-kernels.ts `gather`).
    kernels: () => [Cast, GatherV2, GatherNd, Reshape],
    run([x], _attrs, [embeddings], ops) {
      const indices = x!.dtype === "int32" ? x! : ops.cast(x!, "int32");
      return [ops.gather(embeddings!, indices, 0)];
    },
  },
  notEqualMask: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: (attrs) => (attrs.anyLast ? [NotEqual, Any, Cast] : [NotEqual, Cast]),
    run([x], attrs, _weights, ops) {
      const differs = ops.notEqual(x!, attrs.value);
      return [ops.cast(attrs.anyLast ? ops.any(differs, -1) : differs, "float32")];
    },
  },
  reverse: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Reverse],
    run: ([x], attrs, _weights, ops) => [ops.reverse(x!, attrs.axis)],
  },
};
