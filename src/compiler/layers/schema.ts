// Argument schemas: for each layer (and each initializer, regularizer, constraint) the single source of its
// argument names in Keras signature order, their types, defaults, ranges, enumerations and docs — and,
// through `ArgsOf`, of the TypeScript type of its bound arguments. Builders live in arg.ts, binding in bind.ts.
import type { ArgValue } from "../../ir/graph.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ArgInput } from "./arg-input.js";
import type { LegacyKeywords } from "./legacy-keywords.js";
import type { LegacyPositional } from "./legacy-positional.js";

/** Where a value is being checked, for the messages of the diagnostics it may produce. */
export interface ArgCheck {
  /** The class being called: "Dense", "RandomNormal". */
  readonly owner: string;
  /** The argument's name as Keras spells it: "units". */
  readonly arg: string;
  report(diagnostic: Diagnostic): void;
}

/**
 * One argument: how to recognise a value of the right kind, how to normalise it (reporting range and
 * rule violations), its default and its documentation. `T` is the normalised value's type.
 */
export interface ArgSpec<T extends ArgValue = ArgValue> {
  /** What the argument takes, for "expects …, got …": "a positive integer", "a shape tuple such as (28, 28, 1)". */
  readonly expected: string;
  /** One line from the Keras reference. */
  readonly doc: string;
  /** The normalised default; undefined makes the argument required. */
  readonly default: T | undefined;
  /** True for arguments Keras takes only by keyword (the base layer's `**kwargs`). */
  readonly keywordOnly: boolean;
  /** Whether `input` is of the right kind (structure and types, not ranges). */
  matches(input: ArgInput): boolean;
  /** The normalised value of a matching input, or undefined after reporting why it is not allowed. */
  convert(input: ArgInput, check: ArgCheck): T | undefined;
  /** An extra hint for a non-matching input, e.g. "write (784,) for a one-dimensional shape". */
  mismatchHint?(input: ArgInput): string | undefined;
}

export type ArgSpecs = Readonly<Record<string, ArgSpec>>;

/** The normalised value type of one spec. */
export type ValueOf<S> = S extends ArgSpec<infer T> ? T : never;

/** The bound, defaulted arguments of a schema's specs, e.g. `ArgsOf<typeof denseArgs>` has `units: number`. */
export type ArgsOf<A extends ArgSpecs> = { readonly [K in keyof A]: ValueOf<A[K]> };

/** Reports a rule that spans several arguments, at the named argument (or the call when it was not written). */
export interface ArgProblems {
  report(arg: string, message: string, hint?: string): void;
}

export interface ArgSchema<A extends ArgSpecs = ArgSpecs> {
  /** Every argument, in Keras signature order (the order positional arguments bind in). */
  readonly args: A;
  /** The names that may be given positionally, in order. */
  readonly positional: readonly string[];
  /** Whether the common base-layer keywords (name, trainable, input_shape, ...) are accepted too. */
  readonly baseArgs: boolean;
  /** Rules between arguments, run only when every argument on its own was valid. */
  check?(args: ArgsOf<A>, problems: ArgProblems): void;
  /** Older keywords Keras 2 still accepts (`dim_ordering`), renamed to current arguments before binding. */
  readonly legacy?: LegacyKeywords;
  /** Keras 1 positional forms Keras 2 still converts (`Conv2D(64, 3, 3)`), rewritten before binding. */
  readonly legacyPositional?: LegacyPositional;
}

export interface SchemaOptions<A extends ArgSpecs> {
  /** Accept the base-layer keywords (default true; false for Input and for initializers etc.). */
  readonly baseArgs?: boolean;
  check?(args: ArgsOf<A>, problems: ArgProblems): void;
  readonly legacy?: LegacyKeywords;
  readonly legacyPositional?: LegacyPositional;
}

/** Declares a schema; the object's key order is the Keras signature order. */
export function defineSchema<A extends ArgSpecs>(args: A, options: SchemaOptions<A> = {}): ArgSchema<A> {
  const positional = Object.keys(args).filter((name) => !args[name]!.keywordOnly);
  const schema: ArgSchema<A> = {
    args,
    positional,
    baseArgs: options.baseArgs ?? true,
    ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
    ...(options.legacyPositional === undefined ? {} : { legacyPositional: options.legacyPositional }),
  };
  return options.check === undefined ? schema : { ...schema, check: options.check };
}
