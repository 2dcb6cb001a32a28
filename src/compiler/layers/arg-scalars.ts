// Argument builders for single values: integers and floats with ranges, booleans, strings,
// enumerations, and the combinators `optional` (None allowed) and `oneOf`.
import type { ArgValue } from "../../ir/graph.js";
import { argumentOutOfRange, notOneOf } from "../diagnostics/catalogue/args.js";
import { suggest } from "../diagnostics/suggest.js";
import type { ArgInput } from "./arg-input.js";
import { renderInput } from "./describe-input.js";
import type { ArgCheck, ArgSpec, ValueOf } from "./schema.js";
import {
  type CommonOptions,
  isIntInput,
  isNoneInput,
  isNumberInput,
  makeSpec,
  parseArgValue,
} from "./spec-core.js";

/** Bounds of a numeric argument; exclusive flags make the bound strict. */
export interface RangeOptions {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

/** "in [0, 1)", "at least 1", "greater than 0", "at most 5". Undefined when unbounded. */
export function describeRange(range: RangeOptions): string | undefined {
  const { min, max } = range;
  if (min !== undefined && max !== undefined) {
    return `in ${range.minExclusive ? "(" : "["}${min}, ${max}${range.maxExclusive ? ")" : "]"}`;
  }
  if (min !== undefined) return range.minExclusive ? `greater than ${min}` : `at least ${min}`;
  if (max !== undefined) return range.maxExclusive ? `less than ${max}` : `at most ${max}`;
  return undefined;
}

export function inRange(value: number, range: RangeOptions): boolean {
  const { min, max } = range;
  if (min !== undefined && (range.minExclusive ? value <= min : value < min)) return false;
  if (max !== undefined && (range.maxExclusive ? value >= max : value > max)) return false;
  return true;
}

/** Reports a value outside `range`; true when it is inside. */
export function checkRange(value: number, range: RangeOptions, input: ArgInput, check: ArgCheck): boolean {
  if (inRange(value, range)) return true;
  check.report(
    argumentOutOfRange(input.span, check.owner, check.arg, describeRange(range) ?? "", renderInput(input)),
  );
  return false;
}

/** "a positive integer", "a non-negative integer", "an integer in [1, 3]"; plural: "positive integers". */
export function describeInteger(range: RangeOptions, plural = false): string {
  const unbounded = range.max === undefined && !range.minExclusive;
  const noun = plural ? "integers" : "integer";
  if (unbounded && range.min === 1) return plural ? `positive ${noun}` : `a positive ${noun}`;
  if (unbounded && range.min === 0) return plural ? `non-negative ${noun}` : `a non-negative ${noun}`;
  const bounds = describeRange(range);
  const head = plural ? noun : `an ${noun}`;
  return bounds === undefined ? head : `${head} ${bounds}`;
}

export type IntOptions = CommonOptions<number> & RangeOptions;

/** An integer literal (not `3.0`, not `True`), within the range. */
export function int(options: IntOptions = {}): ArgSpec<number> {
  return makeSpec<number>(
    {
      expected: describeInteger(options),
      matches: isIntInput,
      convert: (input, check) => {
        const value = input.kind === "scalar" ? (input.value as number) : Number.NaN;
        return checkRange(value, options, input, check) ? value : undefined;
      },
    },
    options,
  );
}

export type FloatOptions = CommonOptions<number> & RangeOptions;

/** A number (an integer literal is accepted, as Python accepts 0 for 0.0), within the range. */
export function float(options: FloatOptions = {}): ArgSpec<number> {
  const bounds = describeRange(options);
  return makeSpec<number>(
    {
      expected: bounds === undefined ? "a number" : `a number ${bounds}`,
      matches: isNumberInput,
      convert: (input, check) => {
        const value = input.kind === "scalar" ? (input.value as number) : Number.NaN;
        return checkRange(value, options, input, check) ? value : undefined;
      },
    },
    options,
  );
}

/** `True` or `False`. */
export function bool(options: CommonOptions<boolean> = {}): ArgSpec<boolean> {
  return makeSpec<boolean>(
    {
      expected: "True or False",
      matches: (input) => input.kind === "scalar" && typeof input.value === "boolean",
      convert: (input) => (input.kind === "scalar" ? (input.value as boolean) : undefined),
    },
    options,
  );
}

/** Any string. */
export function string(options: CommonOptions<string> = {}): ArgSpec<string> {
  return makeSpec<string>(
    {
      expected: "a string",
      matches: (input) => input.kind === "scalar" && typeof input.value === "string",
      convert: (input) => (input.kind === "scalar" ? (input.value as string) : undefined),
    },
    options,
  );
}

export interface EnumOptions<C extends string> extends CommonOptions<C> {
  /** Accept any letter case (Keras lower-cases `padding` and `data_format` before checking them). */
  readonly caseInsensitive?: boolean;
}

/** One of a fixed set of strings; a near miss gets a "did you mean". */
export function enumOf<const C extends string>(
  choices: readonly C[],
  options: EnumOptions<C> = {},
): ArgSpec<C> {
  return makeSpec<C>(
    {
      expected: `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`,
      matches: (input) => input.kind === "scalar" && typeof input.value === "string",
      convert: (input, check) => {
        const written = input.kind === "scalar" ? String(input.value) : "";
        const found = choices.find((c) =>
          options.caseInsensitive ? c.toLowerCase() === written.toLowerCase() : c === written,
        );
        if (found !== undefined) return found;
        check.report(
          notOneOf(input.span, check.owner, check.arg, choices, written, suggest(written, choices)),
        );
        return undefined;
      },
    },
    options,
  );
}

/** `spec` or None; the default is None unless given. */
export function optional<T extends ArgValue>(
  spec: ArgSpec<T>,
  options: CommonOptions<T | null> = {},
): ArgSpec<T | null> {
  return makeSpec<T | null>(
    {
      expected: `${spec.expected} or None`,
      matches: (input) => isNoneInput(input) || spec.matches(input),
      convert: (input, check) => (isNoneInput(input) ? null : spec.convert(input, check)),
      mismatchHint: (input) => spec.mismatchHint?.(input),
    },
    { default: null, doc: spec.doc, keywordOnly: spec.keywordOnly, ...options },
  );
}

/** The first of `specs` whose kind matches decides (e.g. an integer, or a tuple of integers). */
export function oneOf<const S extends readonly ArgSpec[]>(
  specs: S,
  options: CommonOptions<ValueOf<S[number]>> = {},
): ArgSpec<ValueOf<S[number]>> {
  const expected = specs.map((s) => s.expected);
  return makeSpec<ValueOf<S[number]>>(
    {
      expected:
        expected.length <= 2
          ? expected.join(" or ")
          : `${expected.slice(0, -1).join(", ")} or ${expected[expected.length - 1]}`,
      matches: (input) => specs.some((s) => s.matches(input)),
      convert: (input, check) => {
        const spec = specs.find((s) => s.matches(input));
        return spec === undefined
          ? undefined
          : (parseArgValue(spec, input, check) as ValueOf<S[number]> | undefined);
      },
    },
    options,
  );
}

/** `spec`, with None standing for `noneValue` (Keras's `data_format=None` meaning "channels_last"). */
export function withNoneAs<T extends ArgValue>(
  spec: ArgSpec<T>,
  noneValue: T,
  options: CommonOptions<T> = {},
): ArgSpec<T> {
  return makeSpec<T>(
    {
      expected: `${spec.expected} or None`,
      matches: (input) => isNoneInput(input) || spec.matches(input),
      convert: (input, check) => (isNoneInput(input) ? noneValue : spec.convert(input, check)),
      mismatchHint: (input) => spec.mismatchHint?.(input),
    },
    { doc: spec.doc, keywordOnly: spec.keywordOnly, ...options },
  );
}

/** Only None: arguments Keras has that a model file cannot meaningfully set (Input's `tensor`). */
export function noneOnly(why: string, options: CommonOptions<null> = {}): ArgSpec<null> {
  return makeSpec<null>(
    { expected: `None (${why})`, matches: isNoneInput, convert: () => null },
    { default: null, ...options },
  );
}
