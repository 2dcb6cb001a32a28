// A plan's load-time weight transforms, computed on the host in float64 before any tensor exists: they run
// once per load, and doing them in plain JavaScript makes the derived weights identical on every backend.
import { ModelError } from "./model-error.js";
import type { WeightTransform } from "./plan.js";
import type { PlanValue } from "./program.js";

type Values = Float32Array | Int32Array;
type Attrs = Readonly<Record<string, PlanValue>>;

/** A transform: its input values (in the transform's order) and attributes → one array per output. */
type TransformFn = (inputs: readonly Values[], attrs: Attrs) => Float32Array[];

/**
 * BatchNormalization folded into the layer before it. Inputs: kernel, then bias when `hasBias`, gamma when
 * `scale`, beta when `center`, moving mean, moving variance. Output channel c of a kernel element at flat
 * index i is ⌊i / stride⌋ mod channels: stride 1 for a (…, in, out) kernel or the merged (in, multiplier)
 * of a depthwise one, `in` for a transposed convolution's (…, out, in).
 * kernel' = kernel · γ/√(var + ε); bias' = (bias − mean) · γ/√(var + ε) + β.
 */
const foldBatchNorm: TransformFn = (inputs, attrs) => {
  const channels = attrs.channels as number;
  const stride = attrs.stride as number;
  const epsilon = attrs.epsilon as number;
  let next = 0;
  const take = (present: boolean) => (present ? inputs[next++] : undefined);
  const kernel = take(true)!;
  const bias = take(attrs.hasBias === true);
  const gamma = take(attrs.scale === true);
  const beta = take(attrs.center === true);
  const mean = take(true)!;
  const variance = take(true)!;
  const factor = Array.from(
    { length: channels },
    (_, c) => (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + epsilon),
  );
  const folded = new Float32Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) folded[i] = kernel[i]! * factor[Math.floor(i / stride) % channels]!;
  const foldedBias = new Float32Array(channels);
  for (let c = 0; c < channels; c++)
    foldedBias[c] = ((bias ? bias[c]! : 0) - mean[c]!) * factor[c]! + (beta ? beta[c]! : 0);
  return [folded, foldedBias];
};

const TRANSFORMS: Readonly<Record<string, TransformFn>> = { foldBatchNorm };

/** The names of the transforms this runtime knows. */
export const PROLOGUE_OPS: readonly string[] = Object.keys(TRANSFORMS);

/**
 * Runs the prologue over `values` (every declared weight's values, by name) and returns them with the
 * derived weights added. A transform reading a missing weight or producing the wrong size is a ModelError.
 */
export function runPrologue(
  prologue: readonly WeightTransform[],
  values: ReadonlyMap<string, Values>,
): Map<string, Values> {
  const result = new Map(values);
  prologue.forEach((transform, index) => {
    const what = `prologue step ${index} (${transform.op})`;
    const fn = Object.hasOwn(TRANSFORMS, transform.op) ? TRANSFORMS[transform.op]! : undefined;
    if (!fn) throw new ModelError("invalid-program", `invalid plan: ${what}: unknown transform`);
    const inputs = transform.inputs.map(
      (name) =>
        result.get(name) ??
        fail(`invalid plan: ${what} reads weight "${name}", which is neither declared nor derived before`),
    );
    let outputs: Float32Array[] = [];
    try {
      outputs = fn(inputs, transform.attrs);
    } catch (error) {
      fail(`invalid plan: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    transform.outputs.forEach((decl, i) => {
      const size = decl.shape.reduce((product, d) => product * d, 1);
      const data = outputs[i];
      if (!data || data.length !== size)
        fail(
          `invalid plan: ${what} makes ${data?.length ?? 0} values for "${decl.name}", which needs ${size}`,
        );
      result.set(decl.name, data!);
    });
  });
  return result;
}

function fail(message: string): never {
  throw new ModelError("invalid-program", message);
}
