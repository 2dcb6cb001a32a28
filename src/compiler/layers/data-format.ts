// Where the channels and the spatial axes of an image-like tensor are under `data_format`, and how a
// layer says which layout it expects — shared by the families whose shape rules depend on it.
import type { Dim, Shape } from "../../ir/graph.js";
import type { DataFormat } from "./arg.js";
import { rankName } from "./shape-utils.js";

/** The axis (batch = 0) holding the channels of a rank-`rank` tensor: last, or 1 for channels_first. */
export function channelsAxis(rank: number, format: DataFormat): number {
  return format === "channels_first" ? 1 : rank - 1;
}

/** The spatial axes (batch = 0) of a rank-`rank` tensor, in order: every axis but the batch and channels. */
export function spatialAxes(rank: number, format: DataFormat): number[] {
  const first = format === "channels_first" ? 2 : 1;
  return Array.from({ length: rank - 2 }, (_, i) => first + i);
}

/** The spatial dims of `shape` under `format`. */
export function spatialDims(shape: Shape, format: DataFormat): Dim[] {
  return spatialAxes(shape.length, format).map((axis) => shape[axis]!);
}

/**
 * `shape` with its spatial dims replaced by `spatial` (in order), batch and channels kept — how pooling,
 * padding and upsampling build their outputs in either layout.
 */
export function withSpatialDims(shape: Shape, format: DataFormat, spatial: readonly Dim[]): Dim[] {
  const axes = spatialAxes(shape.length, format);
  return shape.map((dim, axis) => {
    const at = axes.indexOf(axis);
    return at < 0 ? dim : spatial[at]!;
  });
}

/**
 * What a layer over `spatialNames` (e.g. ["rows", "cols"]) expects, in the words of the reference:
 * "a 4D input (batch, rows, cols, channels)" or, channels_first, "a 4D input (batch, channels, rows, cols)".
 * Temporal layers call the channels "features": (batch, steps, features).
 */
export function describeLayout(
  spatialNames: readonly string[],
  format: DataFormat,
  channelsName = "channels",
): string {
  const axes =
    format === "channels_first"
      ? ["batch", channelsName, ...spatialNames]
      : ["batch", ...spatialNames, channelsName];
  return `a ${rankName(axes.length)} input (${axes.join(", ")})`;
}
