// The parts every argument builder shares: common options, spec assembly, and checking one value
// against a spec (tensor names, kind mismatch, then the spec's own normalisation).
import type { ArgValue } from "../../ir/graph.js";
import { graphRefAsValue, wrongArgumentType } from "../diagnostics/catalogue/args.js";
import type { ArgInput } from "./arg-input.js";
import { describeInput } from "./describe-input.js";
import type { ArgCheck, ArgSpec } from "./schema.js";

/** Options every builder takes. Leaving out `default` makes the argument required. */
export interface CommonOptions<T> {
  readonly default?: T;
  readonly doc?: string;
  readonly keywordOnly?: boolean;
}

/** What a builder supplies; `makeSpec` adds the common options. */
export interface SpecCore<T extends ArgValue> {
  readonly expected: string;
  matches(input: ArgInput): boolean;
  convert(input: ArgInput, check: ArgCheck): T | undefined;
  mismatchHint?(input: ArgInput): string | undefined;
}

export function makeSpec<T extends ArgValue>(core: SpecCore<T>, options: CommonOptions<T>): ArgSpec<T> {
  return {
    expected: core.expected,
    doc: options.doc ?? "",
    default: options.default,
    keywordOnly: options.keywordOnly ?? false,
    matches: (input) => core.matches(input),
    convert: (input, check) => core.convert(input, check),
    ...(core.mismatchHint ? { mismatchHint: core.mismatchHint } : {}),
  };
}

/** The first tensor/layer/block/model name anywhere inside the input (tuples included). */
function findGraphRef(input: ArgInput): Extract<ArgInput, { kind: "graphRef" }> | undefined {
  if (input.kind === "graphRef") return input;
  if (input.kind === "sequence") {
    for (const item of input.items) {
      const found = findGraphRef(item);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Checks and normalises one value against its spec, reporting through `check`; undefined when invalid.
 * A tensor name gets its own diagnostic (the likeliest mistake: `Dense(x)` for `Dense(8)(x)`).
 */
export function parseArgValue<T extends ArgValue>(
  spec: ArgSpec<T>,
  input: ArgInput,
  check: ArgCheck,
): T | undefined {
  const ref = findGraphRef(input);
  if (ref) {
    check.report(graphRefAsValue(ref.span, check.owner, check.arg, ref.name, ref.what));
    return undefined;
  }
  if (!spec.matches(input)) {
    const hint = spec.mismatchHint?.(input) ?? quotedNumberHint(input);
    check.report(
      wrongArgumentType(input.span, check.owner, check.arg, spec.expected, describeInput(input), hint),
    );
    return undefined;
  }
  return spec.convert(input, check);
}

/** `"64"` where a number belongs is usually quoting by habit. */
function quotedNumberHint(input: ArgInput): string | undefined {
  if (input.kind !== "scalar" || typeof input.value !== "string") return undefined;
  const text = input.value.trim();
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? `write ${text} without quotes` : undefined;
}

/** Integer literal test shared by the builders (`3`, not `3.0`, not `True`). */
export function isIntInput(
  input: ArgInput,
): input is Extract<ArgInput, { kind: "scalar" }> & { value: number } {
  return (
    input.kind === "scalar" &&
    typeof input.value === "number" &&
    !input.isFloat &&
    Number.isInteger(input.value)
  );
}

/** Number literal test (ints count as floats, as in Python). */
export function isNumberInput(
  input: ArgInput,
): input is Extract<ArgInput, { kind: "scalar" }> & { value: number } {
  return input.kind === "scalar" && typeof input.value === "number";
}

export function isNoneInput(input: ArgInput): boolean {
  return input.kind === "scalar" && input.value === null;
}
