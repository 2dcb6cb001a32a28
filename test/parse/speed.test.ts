// Parsing scales linearly: a quadratic step would make 10,000 lines 100× slower than 1,000. The bounds are
// loose on purpose (a test is not a benchmark; `npm run bench` reports the real figures): best of three
// runs, 10k/1k below 30×, and an absolute ceiling that only a pathological parser would hit.
import { describe, expect, it } from "vitest";
import { bodyOf, parse } from "./helpers.js";

function sequentialModel(layers: number): string {
  const lines = ["sequential big(input_shape=(784,)) {"];
  for (let i = 0; i < layers; i++) {
    lines.push(
      `  Dense(${(i % 100) + 1}, activation="relu", kernel_initializer="glorot_uniform")  # layer ${i}`,
    );
  }
  lines.push("}");
  return lines.join("\n");
}

describe("speed", () => {
  function bestOfThree(layers: number): number {
    const text = sequentialModel(layers);
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const parsed = parse(text);
      best = Math.min(best, performance.now() - started);
      expect(parsed.diagnostics).toEqual([]);
      expect(bodyOf(parsed.file)).toHaveLength(layers);
      expect(bodyOf(parsed.file)[layers - 1]!.trailingComment?.text).toBe(`# layer ${layers - 1}`);
    }
    return best;
  }

  it("parses 10,000 lines in time linear in 1,000", () => {
    const small = bestOfThree(1_000);
    const large = bestOfThree(10_000);
    expect(large / small).toBeLessThan(30);
    expect(large).toBeLessThan(5000);
  });
});
