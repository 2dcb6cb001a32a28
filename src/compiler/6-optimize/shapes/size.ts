// Exact static sizes for the slot types: a size is a known factor times named sizes (the batch, symbolic
// dims, an input's unknown axes) — the SymbolicProduct that Reshape's checks already use — plus an offset.
// Products let reshapes that fold and unfold the batch (TimeDistributed: batch·T, then back to batch and T)
// keep every size exact, offsets let a causal Conv1D's padding and valid window (T + 2, then T) do the
// same, where a ProgramDim could only say null.
import type { ProgramDim } from "../../../runtime/program.js";
import { formatProduct, type SymbolicProduct } from "../../layers/shape-utils.js";

/**
 * One axis's size: `known` × the product of `symbols` (sorted, repeats allowed) + `offset`, or unknown.
 * A size without symbols is the number `known` (offset 0).
 */
export interface Size extends SymbolicProduct {
  readonly offset: number;
}

/** known · symbols + offset, a plain number when there are no symbols. */
function make(known: number, symbols: readonly string[], offset: number): Size {
  return symbols.length === 0
    ? { unknown: false, known: known + offset, symbols, offset: 0 }
    : { unknown: false, known, symbols, offset };
}

/** The batch's name in sizes. Parenthesised names cannot clash with a `dim T` identifier. */
export const BATCH = "(batch)";

/** The name of program input `input`'s unknown size on a non-batch `axis`. */
export const unknownInputAxis = (input: string, axis: number): string => `(${input}:${axis})`;

/** A size nothing is known about. */
export const UNKNOWN: Size = { unknown: true, known: 1, symbols: [], offset: 0 };

export const knownSize = (n: number): Size => make(n, [], 0);

const named = (name: string): Size => make(1, [name], 0);

/** The size a ProgramDim names: null is `nullAs` (the batch on axis 0, an input's own name elsewhere). */
export function sizeOfDim(dim: ProgramDim, nullAs: string | undefined): Size {
  if (typeof dim === "number") return knownSize(dim);
  if (dim !== null) return named(dim);
  return nullAs === undefined ? UNKNOWN : named(nullAs);
}

/** The ProgramDim view of a size: a number, a symbolic dim's name, or null for anything else. */
export function dimOfSize(size: Size): ProgramDim {
  if (size.unknown) return null;
  if (size.symbols.length === 0) return size.known;
  const [only] = size.symbols;
  const plain = size.known === 1 && size.offset === 0 && size.symbols.length === 1;
  return plain && !only!.startsWith("(") ? only! : null;
}

/** The size as a number when it has no names. */
export const numberOf = (size: Size): number | undefined =>
  !size.unknown && size.symbols.length === 0 ? size.known : undefined;

export const isOne = (size: Size): boolean => numberOf(size) === 1;

export function sameSize(a: Size, b: Size): boolean {
  return (
    !a.unknown &&
    !b.unknown &&
    a.known === b.known &&
    a.offset === b.offset &&
    a.symbols.length === b.symbols.length &&
    a.symbols.every((s, i) => s === b.symbols[i])
  );
}

/** a · b: exact unless both have symbols and one an offset too. */
export function multiply(a: Size, b: Size): Size {
  if (a.unknown || b.unknown) return UNKNOWN;
  const n = numberOf(b) ?? numberOf(a);
  if (n !== undefined) {
    const other = numberOf(b) === undefined ? b : a;
    return make(other.known * n, other.symbols, other.offset * n);
  }
  if (a.offset !== 0 || b.offset !== 0) return UNKNOWN;
  return make(a.known * b.known, [...a.symbols, ...b.symbols].sort(), 0);
}

export const product = (sizes: readonly Size[]): Size => sizes.reduce(multiply, knownSize(1));

/** a / b when it is exact (b's names all in a, its factor dividing a's), else unknown. */
export function divide(a: Size, b: Size): Size {
  if (a.unknown || b.unknown || b.known === 0 || a.known % b.known !== 0) return UNKNOWN;
  if (a.offset % b.known !== 0 || (a.offset !== 0 && numberOf(b) === undefined)) return UNKNOWN;
  if (b.offset !== 0) return UNKNOWN;
  const rest = [...a.symbols];
  for (const symbol of b.symbols) {
    const at = rest.indexOf(symbol);
    if (at < 0) return UNKNOWN;
    rest.splice(at, 1);
  }
  return make(a.known / b.known, rest, a.offset / b.known);
}

/** a + b: exact when one is a number (T + 2) or both have the same names (T + T = 2·T). */
export function add(a: Size, b: Size): Size {
  if (a.unknown || b.unknown) return UNKNOWN;
  const [n, m] = [numberOf(a), numberOf(b)];
  if (n !== undefined) return make(b.known, b.symbols, b.offset + n);
  if (m !== undefined) return make(a.known, a.symbols, a.offset + m);
  const same = a.symbols.length === b.symbols.length && a.symbols.every((s, i) => s === b.symbols[i]);
  return same ? make(a.known + b.known, a.symbols, a.offset + b.offset) : UNKNOWN;
}

/**
 * A window's length rule applied to a size: exact for numbers; with stride 1 every rule of
 * conv-arithmetic.ts is L + c (c = rule(0), see keepsEveryLength), so a symbolic size stays exact too.
 */
export function mapSize(size: Size, rule: (length: number) => number, stride: number): Size {
  const n = numberOf(size);
  if (n !== undefined) return knownSize(rule(n));
  return stride === 1 ? add(size, knownSize(rule(0))) : UNKNOWN;
}

/**
 * Two sizes that must be equal at run time (addN's operands, concat off its axis): the better known one.
 * A number wins over names (the names must take that value), names over unknown.
 */
export function unifySizes(a: Size, b: Size): Size {
  if (a.unknown) return b;
  if (b.unknown || numberOf(a) !== undefined) return a;
  return numberOf(b) !== undefined ? b : a;
}

/**
 * One right-aligned axis of NumPy broadcasting: a 1 stretches to the other, equal sizes stay, a number
 * wins over names or unknown (they must be 1 or that number), unknown beside names gives the names
 * (an unknown size must be 1 or equal); two different name products are unknown (either may be 1).
 */
export function broadcastSize(a: Size, b: Size): Size {
  if (isOne(a)) return b;
  if (isOne(b)) return a;
  if (sameSize(a, b)) return a;
  if (numberOf(a) !== undefined) return a;
  if (numberOf(b) !== undefined) return b;
  if (a.unknown) return b;
  if (b.unknown) return a;
  return UNKNOWN;
}

/** The size's value given values for its names, or undefined when unknown or a name has no value. */
export function evaluateSize(size: Size, values: ReadonlyMap<string, number>): number | undefined {
  if (size.unknown) return undefined;
  let total = size.known;
  for (const symbol of size.symbols) {
    const value = values.get(symbol);
    if (value === undefined) return undefined;
    total *= value;
  }
  return total + size.offset;
}

/** `4*T`, `(batch)*5`, `T+2`, `unknown`: for messages. */
export const formatSize = (size: Size): string =>
  size.offset === 0 || size.unknown
    ? formatProduct(size)
    : `${formatProduct(size)}${size.offset > 0 ? "+" : ""}${size.offset}`;
