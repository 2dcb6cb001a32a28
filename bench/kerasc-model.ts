// The one place the benchmark turns .kml source into a kerasc model it can run. Everything kerasc-side
// that the inference table times goes through `loadKerascModel`: when compile() starts returning an
// optimized plan that loadModel(plan) runs, only this function changes.
import {
  type BackendName,
  compile,
  hasErrors,
  loadModel,
  lowerProgram,
  type Model,
  renderDiagnosticsText,
  type WeightValues,
} from "../src/index.js";

export interface KerascLoadOptions {
  /**
   * Ask for the inference-optimized form (no-ops removed, BatchNormalization folded, activations fused).
   * Today compile() + lowerProgram() have no optimizer, so both settings give the same unoptimized program;
   * the switch to the plan API honours it.
   */
  readonly optimize?: boolean;
  /** Weight values by Keras name ("dense_1/kernel"); any left out come from the seeded initializers. */
  readonly weights?: WeightValues;
  /** Seed of the initializers (default 0). */
  readonly seed?: number;
  /** The name diagnostics use for the source (default "bench.kml"). */
  readonly fileName?: string;
}

/**
 * Compiles `source` (one model) and loads it on `backend`. Throws with the rendered diagnostics when the
 * source does not compile, and when the backend asked for is not the one it runs on (wasm falling back to
 * cpu would make the row compare different backends).
 */
export async function loadKerascModel(
  source: string,
  backend: BackendName,
  options: KerascLoadOptions = {},
): Promise<Model> {
  const fileName = options.fileName ?? "bench.kml";
  const compiled = compile(source, { fileName });
  if (hasErrors(compiled.diagnostics) || !compiled.ir) {
    throw new Error(
      `${fileName} does not compile:\n${renderDiagnosticsText(compiled.diagnostics, compiled.sources, { color: false })}`,
    );
  }
  const lowered = lowerProgram(compiled.ir);
  if (lowered.diagnostics.length > 0) {
    throw new Error(
      `${fileName} cannot be lowered:\n${renderDiagnosticsText(lowered.diagnostics, compiled.sources, { color: false })}`,
    );
  }
  const [only, ...more] = lowered.graphs;
  if (!only?.program || more.length > 0) throw new Error(`${fileName} must define exactly one model`);
  const model = await loadModel(only.program, {
    backend,
    seed: options.seed ?? 0,
    ...(options.weights ? { weights: options.weights } : {}),
  });
  if (model.backend !== backend) {
    model.dispose();
    throw new Error(`kerasc could not run on ${backend} (it fell back to ${model.backend})`);
  }
  return model;
}
