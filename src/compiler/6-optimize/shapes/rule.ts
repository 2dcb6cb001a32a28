// The contract of an op's output-type rule, and the slot types the rules read and write.
import type { OpAttrs, OpName, ProgramDim, ProgramDType } from "../../../runtime/program.js";
import { BATCH, dimOfSize, type Size, sizeOfDim } from "./size.js";

/** A slot's static type, as the plan records it: the shape (null: the batch or another unknown size). */
export interface SlotType {
  readonly shape: readonly ProgramDim[];
  readonly dtype: ProgramDType;
}

/**
 * A slot type with each axis's exact size (size.ts). `shape` is its ProgramDim view, which cannot tell
 * the batch from batch·T (both null on axis 0); byte counts should come from `sizes`.
 */
export interface SizedSlotType extends SlotType {
  readonly sizes: readonly Size[];
}

/**
 * An op's output types from its input types, its attributes and its weights' shapes, one per step output.
 * Throws when the inputs cannot be the op's (a wrong rank, a missing weight).
 */
export type OpShapeRule<K extends OpName> = (
  inputs: readonly SlotType[],
  attrs: OpAttrs[K],
  weights: readonly (readonly number[])[],
) => SizedSlotType[];

/** One rule per op of the vocabulary: a new op without a rule is a compile error. */
export type OpShapeRules = { readonly [K in OpName]: OpShapeRule<K> };

/** The exact sizes of a type; without them, null is the batch on axis 0 and unknown elsewhere. */
export function sizesOf(type: SlotType): readonly Size[] {
  if ("sizes" in type) return (type as SizedSlotType).sizes;
  return type.shape.map((dim, axis) => sizeOfDim(dim, axis === 0 ? BATCH : undefined));
}

/** A slot type from exact sizes. */
export const sized = (sizes: readonly Size[], dtype: ProgramDType): SizedSlotType => ({
  shape: sizes.map(dimOfSize),
  dtype,
  sizes,
});

/** The same sizes with another dtype, or the same type: most elementwise ops. */
export const like = (type: SlotType, dtype: ProgramDType = type.dtype): SizedSlotType =>
  sized(sizesOf(type), dtype);

/** tfjs's binary ops upcast int32 with float32 to float32. */
export const upcast = (...types: readonly SlotType[]): ProgramDType =>
  types.some((t) => t.dtype === "float32") ? "float32" : "int32";

/** Input `index` of a step, or an error naming what is missing. */
export function input(inputs: readonly SlotType[], index = 0): SlotType {
  const type = inputs[index];
  if (!type) throw new Error(`the step has no input ${index}`);
  return type;
}

/** Weight `index`'s shape, or an error naming what is missing. */
export function weight(weights: readonly (readonly number[])[], index = 0): readonly number[] {
  const shape = weights[index];
  if (!shape) throw new Error(`the step has no weight ${index}`);
  return shape;
}

/** Input `index`'s sizes, checked to have `rank` axes when given. */
export function sizesOfInput(inputs: readonly SlotType[], index = 0, rank?: number): readonly Size[] {
  const sizes = sizesOf(input(inputs, index));
  if (rank !== undefined && sizes.length !== rank)
    throw new Error(`input ${index} has rank ${sizes.length}, the op needs rank ${rank}`);
  return sizes;
}

/** `axis` (negative from the end) of a rank-`rank` tensor as an index, or an error. */
export function axisIndex(axis: number, rank: number): number {
  const index = axis < 0 ? rank + axis : axis;
  if (index < 0 || index >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return index;
}
