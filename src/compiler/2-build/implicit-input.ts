// The Input node a sequential model creates implicitly, as Keras's Sequential does: from the header
// (`sequential m(input_shape=(784,))`, named `input_1`) or from the first layer's input_shape /
// batch_input_shape / batch_size / input_dim (named `<first layer>_input`, as Keras names it).
import type { Shape } from "../../ir/graph.js";
import type { CallExpr, SequentialDecl } from "../1-parse/ast.js";
import { unknownHeaderArgument } from "../diagnostics/catalogue/names.js";
import { suggest } from "../diagnostics/suggest.js";
import type { ArgInput, KeywordInput, LayerCallInput } from "../layers/arg-input.js";
import { baseArgsSchema, DTYPES } from "../layers/base-args.js";
import { baseDeclaredInputShape, bindCall, getLayerDef } from "../layers/index.js";
import type { LayerDef } from "../layers/layer.js";
import type { Span } from "../source.js";
import { constructFromInput } from "./construct-layer.js";
import type { Denotation, LayerObject } from "./denotation.js";
import { evaluateArg } from "./evaluate-args.js";
import type { Env } from "./resolve.js";

/** What a sequential header may say: the first layer's input keywords. */
export const HEADER_ARGUMENTS = [
  "input_shape",
  "batch_input_shape",
  "batch_size",
  "input_dim",
  "dtype",
] as const;

/** Keywords through which a first layer declares its input (where the implicit Input points). */
const DECLARING_KEYWORDS = new Set(["batch_input_shape", "input_shape", "input_dim", "input_length"]);

/**
 * The Input declared by the header, or undefined when the header declares no shape (or is invalid:
 * the problems are reported, and `failed` tells the caller not to ask the first layer instead).
 */
export function inputFromHeader(
  decl: SequentialDecl,
  env: Env,
): { input: Denotation | undefined; failed: boolean } {
  if (decl.headerArgs.length === 0) return { input: undefined, failed: false };
  const keywords: KeywordInput[] = [];
  let failed = false;
  for (const kw of decl.headerArgs) {
    if (!(HEADER_ARGUMENTS as readonly string[]).includes(kw.name.name)) {
      env.ctx.report(
        unknownHeaderArgument(
          kw.name.span,
          kw.name.name,
          suggest(kw.name.name, HEADER_ARGUMENTS),
          HEADER_ARGUMENTS,
        ),
      );
      failed = true;
      continue;
    }
    const value = evaluateArg(kw.value, env);
    if (value) keywords.push({ name: kw.name.name, nameSpan: kw.name.span, value, span: kw.span });
    else failed = true;
  }
  const bound = bindCall(baseArgsSchema, {
    owner: `sequential \`${decl.name.name}\``,
    positional: [],
    keywords,
    span: decl.name.span,
  });
  for (const d of bound.diagnostics) env.ctx.report(d);
  if (!bound.ok || failed) return { input: undefined, failed: true };
  const shape = baseDeclaredInputShape(bound.args);
  if (!shape) return { input: undefined, failed: false };
  const span = keywords.find((k) => DECLARING_KEYWORDS.has(k.name))?.span ?? decl.name.span;
  const dtype = typeof bound.args.dtype === "string" ? bound.args.dtype : firstLayerDtype(decl, env);
  return { input: makeInput(shape, dtype, undefined, span, env), failed: false };
}

/**
 * The input dtype the body's first layer declares, for a header that gives the shape but no dtype: the
 * header's keywords are the first layer's (`sequential m(input_shape=(10,)) { Embedding(1000, 64) }` is
 * `Embedding(1000, 64, input_shape=(10,))`), so Embedding's int32 indices hold here too. The layer's
 * `dtype=` when written as a valid string, else its own schema's default (Embedding: int32); undefined
 * (float32) otherwise, also when the first line is not a layer.
 */
function firstLayerDtype(decl: SequentialDecl, env: Env): string | undefined {
  const first = decl.body.find((stmt) => stmt.kind === "expr");
  const call = first?.kind === "expr" && first.expr.kind === "call" ? first.expr : undefined;
  // A model or block of that name shadows the layer type (sequential bodies bind no other names).
  if (call?.callee.kind !== "name" || env.ctx.program.get(call.callee.name)) return undefined;
  const def = getLayerDef(call.callee.name);
  if (!def) return undefined;
  const written = call.kwargs.find((kw) => kw.name.name === "dtype")?.value;
  if (written?.kind === "string") return DTYPES.find((d) => d === written.value);
  const fallback = def.schema.args.dtype?.default;
  return typeof fallback === "string" ? fallback : undefined;
}

/** The Input the first layer declares (`Dense(32, input_shape=(16,))`), or undefined when it declares none. */
export function inputFromFirstLayer(
  layer: LayerObject,
  call: LayerCallInput,
  env: Env,
): Denotation | undefined {
  const shape = layer.def.declaredInputShape?.(layer.args) ?? baseDeclaredInputShape(layer.args);
  if (!shape) return undefined;
  const span = call.keywords.find((k) => DECLARING_KEYWORDS.has(k.name))?.span ?? call.span;
  const dtype = typeof layer.args.dtype === "string" ? layer.args.dtype : undefined;
  return makeInput(shape, dtype, `${layer.name}_input`, span, env);
}

/**
 * Whether a first layer whose arguments failed to bind may still have meant to declare the input: it
 * writes one of the declaring keywords, or has its own spelling (Embedding's input_length).
 */
export function mayDeclareInputShape(def: LayerDef, call: CallExpr): boolean {
  return def.declaredInputShape !== undefined || call.kwargs.some((k) => DECLARING_KEYWORDS.has(k.name.name));
}

/** Constructs `Input(batch_shape=..., dtype=..., name=...)` as if it were written at `span`. */
function makeInput(
  shape: Shape,
  dtype: string | undefined,
  name: string | undefined,
  span: Span,
  env: Env,
): Denotation | undefined {
  const def = getLayerDef("Input");
  if (!def) return undefined;
  env.graph.declaresInput = true;
  const keyword = (key: string, value: ArgInput): KeywordInput => ({
    name: key,
    nameSpan: span,
    value,
    span,
  });
  const dims: ArgInput[] = shape.map((dim) =>
    typeof dim === "string"
      ? { kind: "dim", name: dim, span }
      : { kind: "scalar", value: dim, isFloat: false, span },
  );
  const keywords = [keyword("batch_shape", { kind: "sequence", tuple: true, items: dims, span })];
  if (dtype !== undefined)
    keywords.push(keyword("dtype", { kind: "scalar", value: dtype, isFloat: false, span }));
  if (name !== undefined)
    keywords.push(keyword("name", { kind: "scalar", value: name, isFloat: false, span }));
  return constructFromInput(
    def,
    { layerName: "Input", calleeSpan: span, positional: [], keywords, span },
    env,
  );
}
