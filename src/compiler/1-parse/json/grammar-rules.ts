// The rules the .kml parser enforces beyond the shape of the syntax, checked the same way (with the same
// codes) on JSON, so a JSON file is accepted exactly when its .kml text would be.
import {
  duplicateKeywordArgument,
  duplicateParameter,
  nonDefaultParameterAfterDefault,
  numberOutOfRange,
} from "../../diagnostics/catalogue/syntax.js";
import type { Span } from "../../source.js";
import type { Identifier, KeywordArg, Param } from "../ast.js";
import type { JsonReadContext } from "./context.js";

const MAX_EXACT_INTEGER = 2n ** 53n;

/** An int literal above 2^53 (not exact) or a float literal that overflows to infinity (KML107). */
export function checkNumberRange(ctx: JsonReadContext, digits: string, isInt: boolean, span: Span): void {
  const outOfRange = isInt
    ? digits.length > 15 && BigInt(digits) > MAX_EXACT_INTEGER
    : !Number.isFinite(Number(digits));
  if (outOfRange) ctx.report(numberOutOfRange(span, digits, !isInt));
}

/** Each keyword argument of a call once (KML109). */
export function checkUniqueKeywords(ctx: JsonReadContext, kwargs: readonly KeywordArg[]): void {
  const seen = new Map<string, Identifier>();
  for (const { name } of kwargs) {
    const first = seen.get(name.name);
    if (first !== undefined) ctx.report(duplicateKeywordArgument(name.span, name.name, first.span));
    else seen.set(name.name, name);
  }
}

/** Each parameter of a block or lambda once (KML112). */
export function checkUniqueParameters(ctx: JsonReadContext, names: readonly Identifier[]): void {
  const seen = new Map<string, Identifier>();
  for (const name of names) {
    const first = seen.get(name.name);
    if (first !== undefined) ctx.report(duplicateParameter(name.span, name.name, first.span));
    else seen.set(name.name, name);
  }
}

/** Parameters with defaults come last, as in Python (KML111). */
export function checkDefaultsLast(ctx: JsonReadContext, params: readonly Param[]): void {
  let defaulted: Param | undefined;
  for (const param of params) {
    if (param.default !== null) defaulted = param;
    else if (defaulted !== undefined) {
      ctx.report(nonDefaultParameterAfterDefault(param.span, param.name.name, defaulted.name.name));
    }
  }
}
