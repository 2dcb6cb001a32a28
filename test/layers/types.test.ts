// The schema is the source of the arguments' TypeScript type: ArgsOf derives each field's type.
import { describe, expectTypeOf, it } from "vitest";
import { arg } from "../../src/compiler/layers/arg.js";
import type { ShapeValue } from "../../src/compiler/layers/arg-shapes.js";
import type { ActivationName } from "../../src/compiler/layers/objects/activations.js";
import { type ArgsOf, defineSchema } from "../../src/compiler/layers/schema.js";
import type { ConfigObject } from "../../src/ir/graph.js";

describe("ArgsOf", () => {
  it("derives the bound argument types from the builders", () => {
    const schema = defineSchema({
      units: arg.int({ min: 1 }),
      rate: arg.float(),
      padding: arg.enumOf(["valid", "same"], { default: "valid" }),
      activation: arg.activation({ default: "linear" }),
      kernel_initializer: arg.initializer({ default: "glorot_uniform" }),
      kernel_regularizer: arg.regularizer(),
      noise_shape: arg.optional(arg.shape()),
      kernel_size: arg.intTuple(2),
    });
    type Args = ArgsOf<typeof schema.args>;
    expectTypeOf<Args["units"]>().toEqualTypeOf<number>();
    expectTypeOf<Args["rate"]>().toEqualTypeOf<number>();
    expectTypeOf<Args["padding"]>().toEqualTypeOf<"valid" | "same">();
    expectTypeOf<Args["activation"]>().toEqualTypeOf<ActivationName>();
    expectTypeOf<Args["kernel_initializer"]>().toEqualTypeOf<ConfigObject>();
    expectTypeOf<Args["kernel_regularizer"]>().toEqualTypeOf<ConfigObject | null>();
    expectTypeOf<Args["noise_shape"]>().toEqualTypeOf<ShapeValue | null>();
    expectTypeOf<Args["kernel_size"]>().toEqualTypeOf<readonly number[]>();
  });
});
