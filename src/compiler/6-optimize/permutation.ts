// Permutations as the `transpose` op takes them (output axis i is input axis perm[i]), for the passes that
// compose, cancel and move transposes: inverse, composition, identity, and per-axis attributes carried
// from a transpose's output axes to its input's.

/** Whether `perm` leaves every axis in place. */
export function isIdentityPermutation(perm: readonly number[]): boolean {
  return perm.every((axis, i) => axis === i);
}

/** The permutation undoing `perm`: transpose(transpose(x, perm), inverse) = x. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse: number[] = new Array(perm.length);
  perm.forEach((axis, i) => {
    inverse[axis] = i;
  });
  return inverse;
}

/** transpose(transpose(x, first), second) = transpose(x, composed): composed[i] = first[second[i]]. */
export function composePermutations(first: readonly number[], second: readonly number[]): number[] {
  return second.map((axis) => first[axis]!);
}

/** Whether both permutations are the same. */
export function samePermutation(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((axis, i) => axis === b[i]);
}

/**
 * A per-axis list of transpose(x, perm)'s axes (pad's paddings, tile's reps) as the list of x's axes:
 * result[perm[i]] = list[i], so an op with it applied to x then transposed equals the op on the transpose.
 */
export function listOnInputAxes<T>(list: readonly T[], perm: readonly number[]): T[] {
  const result: T[] = new Array(list.length);
  perm.forEach((axis, i) => {
    result[axis] = list[i]!;
  });
  return result;
}
