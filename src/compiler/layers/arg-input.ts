// What the builder hands to a layer's argument schema: each argument as written, already evaluated
// (block parameters substituted, constant arithmetic folded, symbolic dims identified), with its span.
// The schema (schema.ts) turns these into validated ArgValues or diagnostics.
import type { Param, Stmt } from "../1-parse/ast.js";
import type { Span } from "../source.js";

export type ArgInput =
  | {
      readonly kind: "scalar";
      readonly value: null | boolean | number | string;
      readonly isFloat: boolean;
      readonly span: Span;
    }
  /** A symbolic dimension declared with `dim T`. */
  | { readonly kind: "dim"; readonly name: string; readonly span: Span }
  | {
      readonly kind: "sequence";
      readonly tuple: boolean;
      readonly items: readonly ArgInput[];
      readonly span: Span;
    }
  /** A call that is not a layer, e.g. `RandomNormal(stddev=0.1)` or `l2(0.01)`. */
  | {
      readonly kind: "call";
      readonly name: string;
      readonly nameSpan: Span;
      readonly args: readonly ArgInput[];
      readonly kwargs: readonly KeywordInput[];
      readonly span: Span;
    }
  | FunctionInput
  /** A name that denotes a tensor or layer, where a plain value was expected: always a type error. */
  | {
      readonly kind: "graphRef";
      readonly name: string;
      readonly what: "tensor" | "layer" | "block" | "model";
      readonly span: Span;
    };

/**
 * A tensor function (only Lambda's `function` accepts it): `lambda x: e`, as a body of one `return e`, or a
 * `block` passed by name, whose body the Lambda lowers instead of the builder expanding it as layers.
 */
export interface FunctionInput {
  readonly kind: "function";
  /** The block passed by name (its declared name); undefined for a lambda. */
  readonly block: { readonly name: string; readonly span: Span } | undefined;
  /** The parameters, one per input tensor (a lambda's have no defaults). */
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  /**
   * The free names of the body (neither parameters nor assigned in it) as the enclosing scope evaluates
   * them: a block parameter's number, a tensor of the model as a graphRef, ... Null marks a name whose
   * definition was already reported as invalid. Names absent here are undefined.
   */
  readonly captured: ReadonlyMap<string, ArgInput | null>;
  /** The lambda, or the block's name where it is passed. */
  readonly span: Span;
}

export interface KeywordInput {
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: ArgInput;
  readonly span: Span;
}

/** One constructor call `Layer(positional..., keyword=...)` as the schema sees it. */
export interface LayerCallInput {
  readonly layerName: string;
  readonly calleeSpan: Span;
  readonly positional: readonly ArgInput[];
  readonly keywords: readonly KeywordInput[];
  /** The whole constructor call. */
  readonly span: Span;
}
