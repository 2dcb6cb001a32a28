// Human-readable sizes for the summary's extra lines: "1.34 MFLOPs", "2.6 KB" (decimal prefixes, as
// FLOP counts are always given), and exact counts with thousands separators as Keras prints params.

const PREFIXES = ["", "k", "M", "G", "T", "P", "E"] as const;

/** `669706` → "669,706" (Keras's `{:,}`). */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** `1336330` → "1.34 MFLOPs"; below a thousand the exact count, "850 FLOPs". */
export function formatFlops(flops: number): string {
  return withPrefix(flops, "FLOPs");
}

/** `2600` → "2.6 KB" (1 KB = 1000 bytes); below a kilobyte the exact count, "512 B". */
export function formatBytes(bytes: number): string {
  return withPrefix(bytes, "B").replace(/ kB$/, " KB");
}

/** Three significant digits with a decimal prefix; trailing zeros dropped ("2.60" → "2.6"). */
function withPrefix(n: number, unit: string): string {
  let step = 0;
  let scaled = n;
  // Rounding can carry into the next prefix (999,950 → "1000 k"), so compare after rounding.
  while (step < PREFIXES.length - 1 && Number(scaled.toPrecision(3)) >= 1000) {
    scaled /= 1000;
    step++;
  }
  const digits = step === 0 ? String(Math.round(scaled)) : String(Number(scaled.toPrecision(3)));
  return `${digits} ${PREFIXES[step]}${unit}`;
}
