// What an expression denotes while a body is lowered: tensors, a layer object, a compile-time constant,
// or `poison` — an expression whose error was already reported, so every use of it stays silent.
import type { ArgValue, LayerId, ValueId } from "../../ir/graph.js";
import type { ArgInput } from "../layers/arg-input.js";
import { describeInput } from "../layers/describe-input.js";
import type { LayerDef } from "../layers/layer.js";
import type { Span } from "../source.js";

/**
 * A constructed layer. It is named at construction, as Keras names it, but enters the graph only when
 * first applied (a layer never applied is not part of the model). `id` is set at that first application.
 */
export interface LayerObject {
  readonly def: LayerDef;
  readonly name: string;
  readonly args: Readonly<Record<string, ArgValue>>;
  readonly span: Span;
  readonly expandedFrom: readonly Span[];
  id: LayerId | undefined;
}

export type Denotation =
  /** One tensor: a value of the graph. */
  | { readonly kind: "tensor"; readonly value: ValueId; readonly fromInput: boolean }
  /** The tensors a multi-output layer or a block returns; they must be unpacked into names. */
  | { readonly kind: "tensors"; readonly values: readonly ValueId[] }
  /** A list literal `[a, b]`, e.g. the inputs of a merge layer. */
  | {
      readonly kind: "list";
      readonly items: readonly Denotation[];
      /** Each item's source span, for a precise "not a tensor". */
      readonly spans: readonly Span[];
      readonly span: Span;
    }
  | { readonly kind: "layer"; readonly layer: LayerObject }
  /** A constant (number, string, tuple, ...), a symbolic dim or a lambda: anything a layer argument takes. */
  | { readonly kind: "const"; readonly arg: ArgInput }
  | { readonly kind: "poison" };

export const POISON: Denotation = Object.freeze({ kind: "poison" });

/** How a denotation reads in a message: "a tensor", "a layer (Dense)", "the integer 3". */
export function describeDenotation(d: Denotation): string {
  switch (d.kind) {
    case "tensor":
      return "a tensor";
    case "tensors":
      return `${d.values.length} tensors`;
    case "list":
      return "a list";
    case "layer":
      return `a layer (${d.layer.def.name})`;
    case "const":
      return describeInput(d.arg);
    case "poison":
      return "an invalid value";
  }
}
