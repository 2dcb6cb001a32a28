// Shape arithmetic shared by every layer's shape rule: formatting as Keras prints shapes, known-size
// products, dimension equality with symbolic dims, and parameter counts.
import type { Dim, Shape } from "../../ir/graph.js";
import type { WeightSpec } from "./layer.js";

/** A dimension as Keras prints it: `None`, `26`, or a symbolic dimension's name. */
export function formatDim(dim: Dim): string {
  return dim === null ? "None" : String(dim);
}

/** A shape as Keras prints it: `(None, 26, 26, 10)`, `(None,)`. */
export function formatShape(shape: Shape): string {
  const dims = shape.map(formatDim);
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

export function isKnownDim(dim: Dim): dim is number {
  return typeof dim === "number";
}

/** The product of the dimensions, or null when any is unknown or symbolic. The empty product is 1. */
export function knownProduct(dims: readonly Dim[]): number | null {
  let product = 1;
  for (const dim of dims) {
    if (!isKnownDim(dim)) return null;
    product *= dim;
  }
  return product;
}

/** The first dimension that is not a known size (with its index), if any. */
export function firstUnknownDim(dims: readonly Dim[]): { index: number; dim: Dim } | undefined {
  const index = dims.findIndex((d) => !isKnownDim(d));
  return index < 0 ? undefined : { index, dim: dims[index]! };
}

/**
 * Whether two dimensions can be the same size: equal sizes, the same symbolic name, or either unknown.
 * A size and a symbolic dim may agree (the symbol is bound at run time), so they are compatible too.
 */
export function dimsCompatible(a: Dim, b: Dim): boolean {
  if (a === null || b === null) return true;
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "string" && typeof b === "string") return a === b;
  return true;
}

/** "2D", "3D": Keras's way of naming a rank. */
export function rankName(rank: number): string {
  return `${rank}D`;
}

/** Keras's parameter count: the sum of the products of the weight shapes; null when a size is unknown. */
export function countParams(weights: readonly WeightSpec[]): number | null {
  let total = 0;
  for (const weight of weights) {
    const size = knownProduct(weight.shape);
    if (size === null) return null;
    total += size;
  }
  return total;
}

/**
 * A product of dimensions kept exactly: a known size times a multiset of symbolic dims (sorted names),
 * or `unknown` when some dim is None. Reshape uses it to check sizes that involve `dim T`.
 */
export interface SymbolicProduct {
  readonly unknown: boolean;
  readonly known: number;
  readonly symbols: readonly string[];
}

export function symbolicProduct(dims: readonly Dim[]): SymbolicProduct {
  let known = 1;
  const symbols: string[] = [];
  let unknown = false;
  for (const dim of dims) {
    if (dim === null) unknown = true;
    else if (typeof dim === "number") known *= dim;
    else symbols.push(dim);
  }
  return { unknown, known, symbols: symbols.sort() };
}

/** Renders a symbolic product: `12`, `4*T`, `T*U`. */
export function formatProduct(product: SymbolicProduct): string {
  if (product.unknown) return "unknown";
  const parts = [
    ...(product.known !== 1 || product.symbols.length === 0 ? [String(product.known)] : []),
    ...product.symbols,
  ];
  return parts.join("*");
}
