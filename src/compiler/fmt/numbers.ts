// The canonical spelling of numeric literals, shared by the .kml and the JSON printers so both agree.

/**
 * An integer literal's digits. Integers past 2^53 are printed digit for digit (never `1e+21`),
 * so the text still reads back as an integer of the same value.
 */
export function formatInt(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  // Not reachable from either front end; keeps the value rather than inventing one.
  return String(value);
}

/**
 * A float literal: JavaScript's shortest round-trip spelling plus `.0` when that spelling looks like
 * an integer, so `1.0` stays a float and `1e-7` or `0.25` read back as the same number.
 * Infinity (only reachable from an overflowing literal such as `1e999`) is printed as `1e999`.
 */
export function formatFloat(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "1e999";
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}
