// Declares a layer with arguments typed by its schema (`ArgsOf`), and applies rules common to every
// layer's weights (a layer built with trainable=False has only non-trainable weights).
import type { ArgValue, ConfigObject, Dim, Shape, TensorType } from "../../ir/graph.js";
import type { BaseArgs } from "./base-args.js";
import type { LayerDef, LayerFamily, LowerContext, LowerValue, ShapeContext, WeightSpec } from "./layer.js";
import type { ArgSchema, ArgSpecs, ArgsOf } from "./schema.js";

/** A layer's bound arguments: its own schema's plus the base keywords. */
export type LayerArgs<A extends ArgSpecs> = ArgsOf<A> & BaseArgs;

/** A LayerDef whose rules see typed arguments. `weights` may be left out by weightless layers. */
export interface LayerDefinition<A extends ArgSpecs> {
  readonly name: string;
  readonly family: LayerFamily;
  readonly summary: string;
  readonly schema: ArgSchema<A>;
  readonly inputArity: { readonly min: number; readonly max: number };
  readonly supportsMasking: boolean;
  declaredInputShape?(args: LayerArgs<A>): Shape | undefined;
  inferOutputs(
    args: LayerArgs<A>,
    inputs: readonly TensorType[],
    ctx: ShapeContext,
  ): readonly TensorType[] | null;
  weights?(args: LayerArgs<A>, inputs: readonly TensorType[]): readonly WeightSpec[];
  /** FLOPs per sample (multiply-add = 2); leave out for layers that only move or drop data (0). */
  flops?(args: LayerArgs<A>, inputs: readonly TensorType[], outputs: readonly TensorType[]): number | null;
  /** The runtime steps computing the layer (LayerDef.lower); leave out while the layer cannot execute. */
  lower?(
    args: LayerArgs<A>,
    inputs: readonly TensorType[],
    outputs: readonly TensorType[],
    ctx: LowerContext,
  ): readonly LowerValue[] | null;
}

/**
 * Turns a typed definition into the registry's LayerDef. The casts are sound because `bindLayerArgs`
 * only hands `inferOutputs` arguments that passed this very schema.
 */
export function defineLayer<A extends ArgSpecs>(definition: LayerDefinition<A>): LayerDef {
  const typed = (args: Readonly<Record<string, ArgValue>>) => args as unknown as LayerArgs<A>;
  const { declaredInputShape, weights, flops, lower } = definition;
  return {
    name: definition.name,
    family: definition.family,
    summary: definition.summary,
    schema: definition.schema as unknown as ArgSchema,
    inputArity: definition.inputArity,
    supportsMasking: definition.supportsMasking,
    ...(declaredInputShape ? { declaredInputShape: (args) => declaredInputShape(typed(args)) } : {}),
    inferOutputs: (args, inputs, ctx) => definition.inferOutputs(typed(args), inputs, ctx),
    weights: (args, inputs) => {
      const specs = weights ? weights(typed(args), inputs) : [];
      // Keras: freezing a layer (trainable=False) moves all its weights to the non-trainable list.
      return args.trainable === false ? specs.map((w) => ({ ...w, trainable: false })) : specs;
    },
    flops: (args, inputs, outputs) => (flops ? flops(typed(args), inputs, outputs) : 0),
    ...(lower ? { lower: (args, inputs, outputs, ctx) => lower(typed(args), inputs, outputs, ctx) } : {}),
  };
}

/** A weight spec; trainable unless said otherwise (BatchNormalization's moving statistics are not). */
export function weight(
  name: string,
  shape: readonly Dim[],
  initializer: ConfigObject,
  trainable = true,
): WeightSpec {
  return { name, shape, trainable, initializer };
}

/** One output with the same type as the single input (activations, dropout, noise). */
export function sameAsInput(inputs: readonly TensorType[]): readonly TensorType[] | null {
  const input = inputs[0];
  return input ? [input] : null;
}
