// The IR: an immutable, typed layer graph. Built from the AST by src/compiler/2-build, typed by
// 3-infer, rewritten by passes. Every layer, node and value keeps the source span it came from.
// The IR carries spans as plain data ({file, start, end}); it never imports the compiler.

/** A half-open character range in a source file (same shape as the compiler's Span). */
export interface IRSpan {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/**
 * One dimension of a shape: a known size, `null` for unknown (Keras's None), or the name of a
 * symbolic dimension declared with `dim T` (known to be equal wherever the same name appears).
 */
export type Dim = number | string | null;

/** A full shape including the batch dimension at index 0. */
export type Shape = readonly Dim[];

export type DType = "float32" | "int32" | "bool";

export interface TensorType {
  readonly shape: Shape;
  readonly dtype: DType;
  /** True when a mask travels with this tensor (Embedding(mask_zero=True), Masking, ...). */
  readonly masked: boolean;
}

/** A reference to a symbolic dimension inside an argument value, e.g. `T` in `shape=(T, 16)`. */
export interface DimRef {
  readonly dim: string;
}

/** A structured argument such as an initializer `RandomNormal(stddev=0.1)` or regularizer `l2(0.01)`. */
export interface ConfigObject {
  readonly className: string;
  readonly config: Readonly<Record<string, ArgValue>>;
}

/** A validated, defaulted layer argument. Tuples and lists both become arrays. */
export type ArgValue = null | boolean | number | string | DimRef | ConfigObject | readonly ArgValue[];

export type LayerId = number;
export type NodeId = number;
export type ValueId = number;

/** A layer object: one weight set. Applied once per node that names it (shared layers have several). */
export interface LayerInstance {
  readonly id: LayerId;
  /** Keras-style unique name: the `name=` argument, or `dense_1`, `dense_2`, ... by type. */
  readonly name: string;
  /** Registry name of the layer class, e.g. "Dense". */
  readonly type: string;
  /** Every argument of the layer's schema, defaults filled in. */
  readonly args: Readonly<Record<string, ArgValue>>;
  /** The constructor call, e.g. `Dense(8, activation="relu")`. */
  readonly span: IRSpan;
  /** Block call sites this layer was expanded through, outermost first (empty outside blocks). */
  readonly expandedFrom: readonly IRSpan[];
}

/** One application of a layer to input values, producing output values. */
export interface IRNode {
  readonly id: NodeId;
  readonly layer: LayerId;
  readonly inputs: readonly ValueId[];
  readonly outputs: readonly ValueId[];
  /** The application, e.g. `encode(a)`, or the sequential line. */
  readonly span: IRSpan;
  readonly expandedFrom: readonly IRSpan[];
}

/** A tensor flowing along an edge of the graph. */
export interface IRValue {
  readonly id: ValueId;
  /** The source name it was bound to (`ea`), or `<layer name>` / `<layer name>_<i>` when unnamed. */
  readonly name: string;
  readonly producer: NodeId;
  /** Which output of the producing node (0 unless the layer has several outputs). */
  readonly outputIndex: number;
  /** Null until shape inference has run (or when inference failed upstream). */
  readonly type: TensorType | null;
  readonly span: IRSpan;
}

export interface SymbolicDimDecl {
  readonly name: string;
  readonly span: IRSpan;
}

export interface Graph {
  readonly name: string;
  readonly kind: "sequential" | "functional";
  readonly span: IRSpan;
  readonly layers: readonly LayerInstance[];
  /** In topological order: every node's inputs are produced by earlier nodes. */
  readonly nodes: readonly IRNode[];
  readonly values: readonly IRValue[];
  /** Values produced by Input nodes, in declaration order. */
  readonly inputs: readonly ValueId[];
  readonly outputs: readonly ValueId[];
  readonly dims: readonly SymbolicDimDecl[];
}

/** Everything compiled from one entry file (its models, in source order; imported files' models excluded). */
export interface Program {
  readonly graphs: readonly Graph[];
}
