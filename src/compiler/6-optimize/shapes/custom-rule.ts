// The `custom` op's output type: the registered layer's own shape rule (its computeOutputShape, through
// the LayerDef registerLayer made), which only this process's registry knows.
import type { ArgValue, TensorType } from "../../../ir/graph.js";
import type { ShapeContext } from "../../layers/layer.js";
import { getLayerDef } from "../../layers/registry.js";
import { type OpShapeRules, sized, sizesOf } from "./rule.js";
import { BATCH, sizeOfDim } from "./size.js";

/** The custom op's rule. */
export const customRules: Pick<OpShapeRules, "custom"> = {
  custom: (inputs, attrs) => {
    const def = getLayerDef(attrs.layer);
    if (!def)
      throw new Error(
        `the custom layer ${attrs.layer} is not registered in this process: registerLayer() it to type its outputs`,
      );
    const types: TensorType[] = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype, masked: false }));
    const refuse = (message: string) => {
      throw new Error(`${attrs.layer} refuses its inputs: ${message}`);
    };
    const ctx: ShapeContext = {
      inputMismatch: (_i, expected) => refuse(expected),
      argumentMismatch: (_a, m) => refuse(m),
    };
    // The lowering wrote the layer's own ArgValues as the step's args (custom.ts).
    const args = attrs.args as unknown as Readonly<Record<string, ArgValue>>;
    const outputs = def.inferOutputs(args, types, ctx);
    if (!outputs) throw new Error(`${attrs.layer} gave no output type`);
    // Batch first, as Keras's compute_output_shape: axis 0 is the inputs' batch.
    const batch = inputs[0] ? sizesOf(inputs[0])[0] : undefined;
    return outputs.map((output) => {
      const sizes = output.shape.map((dim, axis) =>
        axis === 0 && dim === null ? (batch ?? sizeOfDim(null, BATCH)) : sizeOfDim(dim, undefined),
      );
      return sized(sizes, output.dtype === "int32" ? "int32" : "float32");
    });
  },
};
