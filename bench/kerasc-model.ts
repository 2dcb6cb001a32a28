// The one place the benchmark turns .kml source into a kerasc model it can run: compile() to the model's
// plan (optimized unless asked otherwise), then loadPlan — exactly what `kerasc FILE` + `kerasc run` do.
import {
  type BackendName,
  compile,
  hasErrors,
  loadPlan,
  type Model,
  renderDiagnosticsText,
  type WeightValues,
} from "../src/index.js";

export interface KerascLoadOptions {
  /** The inference-optimized plan (default true), or the -O0 one. */
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
  const compiled = compile(source, { fileName, plan: { optimize: options.optimize ?? true } });
  if (hasErrors(compiled.diagnostics) || !compiled.ir) {
    throw new Error(
      `${fileName} does not compile:\n${renderDiagnosticsText(compiled.diagnostics, compiled.sources, { color: false })}`,
    );
  }
  const [only, ...more] = compiled.plans;
  if (!only || more.length > 0) throw new Error(`${fileName} must define exactly one model`);
  const model = await loadPlan(only, {
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
