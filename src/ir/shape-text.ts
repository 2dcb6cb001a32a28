// Shapes as Keras prints them: `(None, 26, 26, 10)`, `(None,)`; symbolic dims by name.
import type { ArgValue, Dim, Shape, TensorType } from "./graph.js";

/** One dimension: a size, `None`, or a symbolic name such as `T`. */
export function formatDim(dim: Dim): string {
  return dim === null ? "None" : String(dim);
}

/** A shape in Python tuple spelling, so a one-element shape keeps its comma: `(None,)`. */
export function formatShape(shape: Shape): string {
  return shape.length === 1 ? `(${formatDim(shape[0] ?? null)},)` : `(${shape.map(formatDim).join(", ")})`;
}

/** A tensor type: the shape, then the dtype when it is not float32 and `masked` when a mask travels with it. */
export function formatTensorType(type: TensorType): string {
  const dtype = type.dtype === "float32" ? "" : ` ${type.dtype}`;
  return `${formatShape(type.shape)}${dtype}${type.masked ? " masked" : ""}`;
}

/** An argument value in .kml spelling: `None`, `True`, `"relu"`, `(3, 3)`, `T`, `RandomNormal(stddev=0.1)`. */
export function formatArgValue(value: ArgValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "inf" : "-inf";
  if (typeof value === "string") return JSON.stringify(value);
  if (isArgArray(value)) {
    const items = value.map(formatArgValue);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if ("dim" in value) return value.dim;
  const config = Object.entries(value.config).map(([k, v]) => `${k}=${formatArgValue(v)}`);
  return `${value.className}(${config.join(", ")})`;
}

function isArgArray(value: ArgValue): value is readonly ArgValue[] {
  return Array.isArray(value);
}
