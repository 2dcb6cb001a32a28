// Custom layers (Keras's "write your own layer"): a class name, its arguments, `build` (the weights, from
// the input shape), `computeOutputShape` and — at run time — `call`. The compile-time half is a LayerDef
// like any built-in one: its arguments are checked, its output shape inferred, its weights declared and
// counted; it lowers to one `custom` step that names the layer, so the runtime runs its registered call.
import type { ArgValue, ConfigObject, Dim, Shape, TensorType } from "../../ir/graph.js";
import type { PlanObject } from "../../runtime/program.js";
import { arg } from "./arg.js";
import { defineLayer, weight } from "./define-layer.js";
import type { LayerDef, WeightSpec } from "./layer.js";
import { resolveMemberName } from "./objects/family.js";
import { initializers } from "./objects/initializers.js";
import { type ArgSpec, defineSchema } from "./schema.js";

/** The type of a custom layer's argument. */
export type CustomArgType = "int" | "float" | "bool" | "string" | "intList" | "shape";

/** A custom layer's argument: its type, optionally a default (without one the argument is required). */
export type CustomArg =
  | CustomArgType
  | { readonly type: CustomArgType; readonly default?: ArgValue; readonly doc?: string };

/** A weight `build` creates: Keras's `add_weight(name, shape, initializer, trainable)`. */
export interface CustomWeight {
  readonly name: string;
  readonly shape: readonly Dim[];
  /** An initializer name ("uniform", "glorot_uniform", ...) or its config; default "glorot_uniform". */
  readonly initializer?: string | ConfigObject;
  readonly trainable?: boolean;
}

/** The compile-time half of a custom layer. */
export interface CustomLayerShapes {
  /** The class name written in models, e.g. "MyLayer". */
  readonly name: string;
  readonly summary?: string;
  /** Its arguments, in positional order. */
  readonly args?: Readonly<Record<string, CustomArg>>;
  /** How many input tensors it takes (default 1). */
  readonly inputs?: number;
  /** Keras's `build`: the weights, from the input shape(s) (batch first; a list for several inputs). */
  build?(
    inputShape: Shape | readonly Shape[],
    args: Readonly<Record<string, ArgValue>>,
  ): readonly CustomWeight[];
  /** Keras's `compute_output_shape`: the output shape, batch first. Throw to reject the input. */
  computeOutputShape(inputShape: Shape | readonly Shape[], args: Readonly<Record<string, ArgValue>>): Shape;
}

function argSpec(spec: CustomArg): ArgSpec<ArgValue> {
  const { type, default: fallback, doc } = typeof spec === "string" ? { type: spec } : spec;
  const options = {
    ...(fallback !== undefined ? { default: fallback as never } : {}),
    ...(doc ? { doc } : {}),
  };
  const specs: Record<CustomArgType, () => unknown> = {
    int: () => arg.int(options),
    float: () => arg.float(options),
    bool: () => arg.bool(options),
    string: () => arg.string(options),
    intList: () => arg.intList(options),
    shape: () => arg.shape(options),
  };
  return specs[type]() as ArgSpec<ArgValue>;
}

/** The user's own arguments out of the bound ones (which also hold the base keywords: name, trainable...). */
function ownArgs(
  names: readonly string[],
  args: Readonly<Record<string, ArgValue>>,
): Readonly<Record<string, ArgValue>> {
  return Object.fromEntries(names.map((name) => [name, args[name] ?? null]));
}

/** The LayerDef of a custom layer. */
export function defineCustomLayer(layer: CustomLayerShapes): LayerDef {
  const argNames = Object.keys(layer.args ?? {});
  const arity = layer.inputs ?? 1;
  const shapesOf = (inputs: readonly TensorType[]) => {
    const shapes = inputs.map((t) => t.shape);
    return arity === 1 ? shapes[0]! : shapes;
  };
  return defineLayer({
    name: layer.name,
    family: "core",
    summary: layer.summary ?? `The custom layer ${layer.name}.`,
    schema: defineSchema(Object.fromEntries(argNames.map((name) => [name, argSpec(layer.args![name]!)]))),
    inputArity: { min: arity, max: arity },
    supportsMasking: false,
    inferOutputs(args, inputs, ctx) {
      if (inputs.length !== arity) return null;
      let shape: Shape;
      try {
        shape = layer.computeOutputShape(shapesOf(inputs), ownArgs(argNames, args));
      } catch (error) {
        ctx.inputMismatch(
          0,
          `an input ${layer.name}.computeOutputShape accepts (${String((error as Error).message ?? error)})`,
        );
        return null;
      }
      return [{ shape, dtype: "float32", masked: false }];
    },
    weights(args, inputs): readonly WeightSpec[] {
      if (!layer.build || inputs.length !== arity) return [];
      return layer
        .build(shapesOf(inputs), ownArgs(argNames, args))
        .map((w) =>
          weight(
            w.name,
            w.shape,
            typeof w.initializer === "object"
              ? w.initializer
              : resolveMemberName(initializers, w.initializer ?? "glorot_uniform"),
            w.trainable ?? true,
          ),
        );
    },
    flops: () => null,
    lower(args, inputs, _outputs, ctx) {
      const names =
        layer.build && inputs.length === arity
          ? layer.build(shapesOf(inputs), ownArgs(argNames, args)).map((w) => w.name)
          : [];
      const attrs = { layer: layer.name, args: ownArgs(argNames, args) as PlanObject, weights: names };
      return [ctx.emit("custom", ctx.inputs, attrs, names)];
    },
  });
}
