// What the builder hands to a layer's argument schema: each argument as written, already evaluated
// (block parameters substituted, constant arithmetic folded, symbolic dims identified), with its span.
// The schema (schema.ts) turns these into validated ArgValues or diagnostics.
import type { LambdaExpr } from "../1-parse/ast.js";
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
  /** `lambda x: ...` (only Lambda's `function` accepts it). */
  | { readonly kind: "lambda"; readonly expr: LambdaExpr; readonly span: Span }
  /** A name that denotes a tensor or layer, where a plain value was expected: always a type error. */
  | {
      readonly kind: "graphRef";
      readonly name: string;
      readonly what: "tensor" | "layer" | "block" | "model";
      readonly span: Span;
    };

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
