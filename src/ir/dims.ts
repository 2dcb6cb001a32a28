// Unification of dimensions and shapes where a layer needs them equal (merge layers, Dot, RNN states):
// a known size and `None` agree, a symbolic dim `T` agrees only with itself (or with None, or a size
// it may take at run time), two different sizes never do.
import type { Dim, Shape } from "./graph.js";

/** The most specific dim both can be, or undefined when they cannot be equal. */
export function unifyDims(a: Dim, b: Dim): Dim | undefined {
  if (a === null) return b;
  if (b === null) return a;
  if (typeof a === typeof b) return a === b ? a : undefined;
  // A size and a symbol: the symbol may take that size at run time; the size is what is known.
  return typeof a === "number" ? a : b;
}

export type ShapeUnification =
  | { readonly ok: true; readonly shape: Shape }
  | { readonly ok: false; readonly reason: "rank" }
  | { readonly ok: false; readonly reason: "dim"; readonly axis: number };

/**
 * Unifies two shapes axis by axis; axes in `free` (e.g. a Concatenate axis) may differ and come out as
 * `a`'s dim. Negative axes in `free` count from the end.
 */
export function unifyShapes(a: Shape, b: Shape, free: readonly number[] = []): ShapeUnification {
  if (a.length !== b.length) return { ok: false, reason: "rank" };
  const freeAxes = new Set(free.map((axis) => (axis < 0 ? a.length + axis : axis)));
  const shape: Dim[] = [];
  for (let axis = 0; axis < a.length; axis++) {
    const x = a[axis] ?? null;
    if (freeAxes.has(axis)) {
      shape.push(x);
      continue;
    }
    const unified = unifyDims(x, b[axis] ?? null);
    if (unified === undefined) return { ok: false, reason: "dim", axis };
    shape.push(unified);
  }
  return { ok: true, shape };
}

/** Unifies several shapes pairwise from the first (the inputs of a merge layer). */
export function unifyAllShapes(
  shapes: readonly Shape[],
  free: readonly number[] = [],
): ShapeUnification & { index?: number } {
  const [first, ...rest] = shapes;
  if (!first) return { ok: true, shape: [] };
  let current: Shape = first;
  for (let i = 0; i < rest.length; i++) {
    const result = unifyShapes(current, rest[i]!, free);
    if (!result.ok) return { ...result, index: i + 1 };
    current = result.shape;
  }
  return { ok: true, shape: current };
}
