// The rest of the reference's core family (常用层 Core): ActivityRegularization and Masking. Both keep the
// input's shape; Masking is, with Embedding(mask_zero=True), where masks come from.
import { arg } from "./arg.js";
import { defineLayer, sameAsInput } from "./define-layer.js";
import type { LayerDef } from "./layer.js";
import { defineSchema } from "./schema.js";
import { knownProduct } from "./shape-utils.js";

const ONE_INPUT = { min: 1, max: 1 } as const;

/** `ActivityRegularization(l1=0.0, l2=0.0)`: the identity, adding an L1/L2 penalty on its input to the loss. */
export const ActivityRegularization = defineLayer({
  name: "ActivityRegularization",
  family: "core",
  summary: "Passes its input on unchanged and adds an L1/L2 penalty on it to the training loss.",
  schema: defineSchema({
    l1: arg.float({ min: 0, default: 0.0, doc: "L1 regularization factor (positive float)" }),
    l2: arg.float({ min: 0, default: 0.0, doc: "L2 regularization factor (positive float)" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs: (_args, inputs) => sameAsInput(inputs),
  // The penalty only matters to training a loss; the forward pass is the identity.
  lower: (_args, _inputs, _outputs, ctx) => [ctx.emit("identity", [ctx.inputs[0]!], {})],
});

/**
 * `Masking(mask_value=0.0)`: masks every timestep (axis 1) whose features all equal mask_value; later
 * layers skip those steps, and a layer that cannot take the mask is an error.
 */
export const Masking = defineLayer({
  name: "Masking",
  family: "core",
  summary: "Masks the timesteps whose features all equal mask_value, so later layers skip them.",
  schema: defineSchema({
    mask_value: arg.float({ default: 0.0, doc: "the value that marks a timestep to skip" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(_args, inputs) {
    const input = inputs[0];
    return input ? [{ ...input, masked: true }] : null;
  },
  // Per value: a comparison with mask_value and the multiplication that zeroes masked steps.
  flops(_args, [input]) {
    const elements = input ? knownProduct(input.shape.slice(1)) : null;
    return elements === null ? null : 2 * elements;
  },
  // Keras: mask = any(x != mask_value, axis=-1); output = x * mask (masked timesteps become zeros).
  lower(args, [input], _outputs, ctx) {
    const x = ctx.inputs[0]!;
    const mask = ctx.emit("notEqualMask", [x], { value: args.mask_value, anyLast: true });
    const rank = input?.shape.length ?? 3;
    const kept = ctx.emit("expandDims", [mask], { axis: rank - 1 });
    ctx.setOutputMask(0, mask);
    return [ctx.emit("mul", [x, kept], {})];
  },
});

/** ActivityRegularization and Masking, for the registry's core section. */
export const coreExtraLayers: readonly LayerDef[] = [ActivityRegularization, Masking];
