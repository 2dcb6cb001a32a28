// Argument builders for tuples: shapes (ints, None, symbolic dims, one -1), "int or n-tuple" arguments
// such as kernel_size and strides, integer lists such as shared_axes, per-side paddings, and raw number data.
import type { ArgValue, DimRef } from "../../ir/graph.js";
import { invalidArgument } from "../diagnostics/catalogue/args.js";
import type { ArgInput } from "./arg-input.js";
import { checkRange, describeInteger, type RangeOptions } from "./arg-scalars.js";
import type { ArgCheck, ArgSpec } from "./schema.js";
import { type CommonOptions, isIntInput, isNoneInput, isNumberInput, makeSpec } from "./spec-core.js";

type SequenceInput = Extract<ArgInput, { kind: "sequence" }>;

function isSequence(input: ArgInput): input is SequenceInput {
  return input.kind === "sequence";
}

/** One entry of a shape argument: a size, None (unknown), or a symbolic dimension. */
export type ShapeDim = number | null | DimRef;
export type ShapeValue = readonly ShapeDim[];

export interface ShapeOptions extends CommonOptions<ShapeValue> {
  /** None entries allowed (unknown sizes; default true). */
  readonly allowNone?: boolean;
  /** One -1 entry allowed, meaning "infer this size" (Reshape's target_shape; default false). */
  readonly allowInferred?: boolean;
  /** Symbolic dimensions (`dim T`) allowed (default true). */
  readonly allowSymbolic?: boolean;
}

/** A shape tuple such as (28, 28, 1), (T, 16) or (None, 8); every size at least 1. */
export function shape(options: ShapeOptions = {}): ArgSpec<ShapeValue> {
  const allowNone = options.allowNone ?? true;
  const allowInferred = options.allowInferred ?? false;
  const allowSymbolic = options.allowSymbolic ?? true;
  const entryMatches = (item: ArgInput): boolean =>
    isIntInput(item) || (allowNone && isNoneInput(item)) || (allowSymbolic && item.kind === "dim");
  return makeSpec<ShapeValue>(
    {
      expected: "a shape tuple such as (28, 28, 1)",
      matches: (input) => isSequence(input) && input.items.every(entryMatches),
      convert: (input, check) => {
        if (!isSequence(input)) return undefined;
        let ok = true;
        let inferredSeen = false;
        const dims = input.items.map((item, index): ShapeDim => {
          if (item.kind === "dim") return { dim: item.name };
          if (item.kind !== "scalar" || item.value === null) return null;
          const size = item.value as number;
          if (size >= 1) return size;
          if (size === -1 && allowInferred && !inferredSeen) {
            inferredSeen = true;
            return -1;
          }
          ok = false;
          const why =
            size === -1 && allowInferred
              ? "only one dimension can be -1 (inferred)"
              : `dimension ${index + 1} is ${size}; sizes must be positive integers${allowInferred ? " (or one -1)" : ""}`;
          check.report(invalidArgument(item.span, check.owner, check.arg, why));
          return size;
        });
        return ok ? dims : undefined;
      },
      mismatchHint: (input) => {
        if (isIntInput(input)) return `a one-dimensional shape is a tuple with a comma: (${input.value},)`;
        if (!allowNone && isSequence(input) && input.items.some(isNoneInput)) {
          return allowInferred
            ? "None is not allowed here; use -1 for the one size to infer"
            : "None is not allowed here";
        }
        return undefined;
      },
    },
    options,
  );
}

/** Converts `items` with per-item ranges; undefined when any is out of range (each reported). */
function intsInRange(items: readonly ArgInput[], range: RangeOptions, check: ArgCheck): number[] | undefined {
  let ok = true;
  const values = items.map((item) => {
    const value = item.kind === "scalar" ? (item.value as number) : Number.NaN;
    if (!checkRange(value, range, item, check)) ok = false;
    return value;
  });
  return ok ? values : undefined;
}

export type IntTupleOptions = CommonOptions<readonly number[]> & RangeOptions;

/** An integer or a tuple of exactly `n` integers, normalised to the tuple: kernel_size 3 → [3, 3]. */
export function intTuple(n: number, options: IntTupleOptions = {}): ArgSpec<readonly number[]> {
  return makeSpec<readonly number[]>(
    {
      expected: `${describeInteger(options)} or ${n === 1 ? "a one-element tuple of it" : `a tuple of ${n} ${describeInteger(options, true)}`}`,
      matches: (input) =>
        isIntInput(input) || (isSequence(input) && input.items.length === n && input.items.every(isIntInput)),
      convert: (input, check) => {
        const items = isSequence(input) ? input.items : new Array<ArgInput>(n).fill(input);
        return intsInRange(items, options, check);
      },
      mismatchHint: (input) =>
        isSequence(input) && input.items.every(isIntInput)
          ? `give one value per spatial dimension: ${n} in all`
          : undefined,
    },
    options,
  );
}

export interface IntListOptions extends CommonOptions<readonly number[]>, RangeOptions {
  /** Whether a lone integer is accepted as a one-element list (default true; Permute's dims: false). */
  readonly allowScalar?: boolean;
}

/** A non-empty tuple/list of integers (or, unless disallowed, one integer), normalised to a list: 1 → [1]. */
export function intList(options: IntListOptions = {}): ArgSpec<readonly number[]> {
  const allowScalar = options.allowScalar ?? true;
  const plural = describeInteger(options, true);
  return makeSpec<readonly number[]>(
    {
      expected: allowScalar ? `${describeInteger(options)} or a tuple of ${plural}` : `a tuple of ${plural}`,
      matches: (input) =>
        (allowScalar && isIntInput(input)) ||
        (isSequence(input) && input.items.length > 0 && input.items.every(isIntInput)),
      convert: (input, check) => intsInRange(isSequence(input) ? input.items : [input], options, check),
    },
    options,
  );
}

/** (before, after) amounts per spatial dimension. */
export type SidePairs = readonly (readonly [number, number])[];

/**
 * Per-side amounts for `n` spatial dimensions (ZeroPadding/Cropping), normalised to n (before, after) pairs:
 * for n = 1: `1` → [[1, 1]], `(1, 2)` → [[1, 2]]; for n ≥ 2: `1` → n × [1, 1], `(1, 2)` → [[1, 1], [2, 2]],
 * `((1, 2), (3, 4))` → [[1, 2], [3, 4]]. Every amount is at least 0.
 */
export function sidePairs(n: number, options: CommonOptions<SidePairs> = {}): ArgSpec<SidePairs> {
  const isPair = (item: ArgInput): item is SequenceInput =>
    isSequence(item) && item.items.length === 2 && item.items.every(isIntInput);
  const range: RangeOptions = { min: 0 };
  return makeSpec<SidePairs>(
    {
      expected:
        n === 1
          ? "a non-negative integer or a (before, after) tuple"
          : `a non-negative integer, a tuple of ${n} integers or a tuple of ${n} (before, after) tuples`,
      matches: (input) =>
        isIntInput(input) ||
        (isSequence(input) &&
          input.items.length === (n === 1 ? 2 : n) &&
          (input.items.every(isIntInput) || (n > 1 && input.items.every(isPair)))),
      convert: (input, check) => {
        if (!isSequence(input)) {
          const [k] = intsInRange([input], range, check) ?? [];
          return k === undefined ? undefined : Array.from({ length: n }, () => [k, k] as const);
        }
        if (n === 1) {
          const pair = intsInRange(input.items, range, check);
          return pair === undefined ? undefined : [[pair[0]!, pair[1]!] as const];
        }
        if (input.items.every(isIntInput)) {
          const each = intsInRange(input.items, range, check);
          return each === undefined ? undefined : each.map((k) => [k, k] as const);
        }
        const flat = intsInRange(
          input.items.flatMap((item) => (isSequence(item) ? item.items : [])),
          range,
          check,
        );
        return flat === undefined
          ? undefined
          : Array.from({ length: n }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!] as const);
      },
    },
    options,
  );
}

/** Nested lists of numbers, kept as nested arrays (the base `weights` argument). */
export function numberData(options: CommonOptions<readonly ArgValue[]> = {}): ArgSpec<readonly ArgValue[]> {
  const matchesData = (input: ArgInput): boolean =>
    isNumberInput(input) || (isSequence(input) && input.items.every(matchesData));
  const toData = (input: ArgInput): ArgValue =>
    isSequence(input) ? input.items.map(toData) : input.kind === "scalar" ? (input.value as number) : null;
  return makeSpec<readonly ArgValue[]>(
    {
      expected: "a list of arrays of numbers",
      matches: (input) => isSequence(input) && input.items.every(matchesData),
      convert: (input) => (isSequence(input) ? input.items.map(toData) : undefined),
    },
    options,
  );
}

/** Renders a normalised shape value for messages: (None, T, 16). */
export function renderShapeValue(value: ShapeValue): string {
  const items = value.map((d) => (d === null ? "None" : typeof d === "number" ? String(d) : d.dim));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}
