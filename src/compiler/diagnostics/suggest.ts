// "Did you mean …?": picks the candidate closest to a misspelt word, or nothing when none is close.

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment), so
 * `smae` is one edit from `same` — the typos people actually make.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition rule looks two rows back.
  let beforePrevious: number[] = new Array<number>(b.length + 1).fill(0);
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current: number[] = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current[j] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}

/** Case and underscores do not change what a Keras name means to a reader: `Conv2d`, `kernelSize`. */
function looseForm(word: string): string {
  return word.toLowerCase().replace(/_/g, "");
}

/**
 * The candidate the user most likely meant by `word`, or undefined when nothing is close enough.
 * Order of preference: a match ignoring case (`Conv2d` → `Conv2D`), a match ignoring case and
 * underscores (`kernelsize` → `kernel_size`), then the smallest edit distance within a third of the
 * word's length (at least 1), ties going to the earlier candidate.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((c) => c !== word);
  const lower = word.toLowerCase();
  const caseMatch = list.find((c) => c.toLowerCase() === lower);
  if (caseMatch !== undefined) return caseMatch;
  const loose = looseForm(word);
  const looseMatch = list.find((c) => looseForm(c) === loose);
  if (looseMatch !== undefined) return looseMatch;

  const maxDistance = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of list) {
    // Cheap bound first: the length difference alone already exceeds the budget.
    if (Math.abs(candidate.length - word.length) > maxDistance) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
