// Name lookup for one body: its own bindings first, then the program's models, blocks and dims, then
// the layer registry — and the diagnostics for a name that is none of these.
import { atLine } from "../../ir/locate.js";
import {
  undefinedName,
  unknownLayer,
  unsupportedLayer,
  usedBeforeDefinition,
} from "../diagnostics/catalogue/names.js";
import { suggest } from "../diagnostics/suggest.js";
import { KERAS_LAYER_NAMES, KERAS1_LAYER_ALIASES } from "../layers/keras-names.js";
import type { LayerDef } from "../layers/layer.js";
import { getLayerDef, layerNames } from "../layers/registry.js";
import type { Span } from "../source.js";
import type { BuildContext } from "./build-context.js";
import type { GraphBuilder } from "./graph-builder.js";
import type { GlobalDecl } from "./program-scope.js";
import type { Binding, BodyScope } from "./scope.js";

/** Everything lowering one body needs. */
export interface Env {
  readonly ctx: BuildContext;
  readonly graph: GraphBuilder;
  readonly scope: BodyScope;
}

export type Resolution =
  | { readonly kind: "local"; readonly binding: Binding }
  | { readonly kind: "global"; readonly decl: GlobalDecl }
  | { readonly kind: "layerType"; readonly def: LayerDef }
  /** `add` in `add([a, b])`: a layer's functional form, `def` applied to the call's first argument. */
  | { readonly kind: "functionalForm"; readonly def: LayerDef }
  | { readonly kind: "unresolved" };

/** What `name` means at this point of the body; a local binding is marked used. */
export function resolveName(name: string, env: Env): Resolution {
  const binding = env.scope.use(name);
  if (binding) return { kind: "local", binding };
  const decl = env.ctx.program.get(name);
  if (decl) return { kind: "global", decl };
  const def = getLayerDef(name);
  if (def) return { kind: "layerType", def };
  const form = functionalFormOf(name);
  if (form) return { kind: "functionalForm", def: form };
  return { kind: "unresolved" };
}

/**
 * The layer `name` is the functional form of. Keras spells the merge layers' functional forms in lower
 * case (`add` for Add, `concatenate` for Concatenate): `add(inputs, **kwargs)` is `Add(**kwargs)(inputs)`.
 */
export function functionalFormOf(name: string): LayerDef | undefined {
  const def = getLayerDef(name.charAt(0).toUpperCase() + name.slice(1));
  return def?.family === "merge" && def.name.toLowerCase() === name ? def : undefined;
}

/**
 * Reports a name that resolved to nothing: used before its definition further down the body, an unknown
 * layer when it is called (`Conv2d(...)`), or an undefined name.
 */
export function reportUnresolved(name: string, span: Span, env: Env, called: boolean): void {
  const later = env.scope.definedLater(name);
  if (later) {
    const where = atLine(env.ctx.lineOf, later.span, span.file);
    env.ctx.report(usedBeforeDefinition(span, name, later.span, where, later.own));
    return;
  }
  if (called) {
    if (KERAS_LAYER_NAMES.includes(name)) {
      env.ctx.report(unsupportedLayer(span, name));
      return;
    }
    // Keras 1 spellings map to their Keras 2 class; otherwise the closest layer, block or model name.
    const candidates = [
      ...new Set([...layerNames(), ...KERAS_LAYER_NAMES]),
      ...env.ctx.program.namesOf("block"),
      ...env.ctx.program.namesOf("model"),
    ];
    env.ctx.report(unknownLayer(span, name, KERAS1_LAYER_ALIASES[name] ?? suggest(name, candidates)));
    return;
  }
  const candidates = [...env.scope.names(), ...env.ctx.program.names()];
  const suggestion = suggest(name, candidates);
  // The name the user probably meant should not also be reported as unused.
  if (suggestion !== undefined) env.scope.use(suggestion);
  env.ctx.report(undefinedName(span, name, suggestion));
}
