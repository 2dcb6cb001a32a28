// Binds a call's written arguments to a schema, Python-style: positional in signature order, keywords by
// name, defaults filled; every problem becomes a diagnostic at the offending argument's span.
import type { ArgValue } from "../../ir/graph.js";
import {
  duplicateArgument,
  invalidArgument,
  missingArgument,
  tooManyPositionalArguments,
  unknownArgument,
} from "../diagnostics/catalogue/args.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { suggest } from "../diagnostics/suggest.js";
import { joinSpans, type Span } from "../source.js";
import type { ArgInput, KeywordInput, LayerCallInput } from "./arg-input.js";
import { baseArgsSchema } from "./base-args.js";
import type { LayerDef } from "./layer.js";
import { currentKeyword } from "./legacy-keywords.js";
import type { ArgCheck, ArgSchema, ArgSpec } from "./schema.js";
import { parseArgValue } from "./spec-core.js";

/** A call as binding sees it: a layer constructor, or an initializer/regularizer/constraint call inside one. */
export interface CallInput {
  /** The class being called, as written: "Dense", "RandomNormal". */
  readonly owner: string;
  readonly positional: readonly ArgInput[];
  readonly keywords: readonly KeywordInput[];
  /** The whole call (where a missing argument is reported). */
  readonly span: Span;
}

export interface BindResult {
  /**
   * Every argument of the schema (and the base keywords, for layers), normalised, defaults filled.
   * When `ok` is false an invalid argument falls back to its default, and a required one may be absent.
   */
  readonly args: Record<string, ArgValue>;
  readonly diagnostics: Diagnostic[];
  /** True when no error was reported: `args` is complete and valid, safe for `inferOutputs`. */
  readonly ok: boolean;
}

interface GivenArg {
  readonly input: ArgInput;
  /** Where "given twice" points back to: the positional value or the keyword's name. */
  readonly firstSpan: Span;
}

/** A schema's arguments by name, and the same as a list (iterating a Map allocates an entry per item). */
interface AllSpecs {
  readonly byName: ReadonlyMap<string, ArgSpec>;
  readonly list: readonly (readonly [string, ArgSpec])[];
}

const specsBySchema = new WeakMap<ArgSchema, AllSpecs>();

/** The schema's own arguments followed by the base keywords it does not redefine (built once per schema). */
function allSpecs(schema: ArgSchema): AllSpecs {
  const cached = specsBySchema.get(schema);
  if (cached) return cached;
  const byName = new Map<string, ArgSpec>(Object.entries(schema.args));
  if (schema.baseArgs) {
    for (const [name, spec] of Object.entries(baseArgsSchema.args))
      if (!byName.has(name)) byName.set(name, spec);
  }
  const specs = { byName, list: [...byName] };
  specsBySchema.set(schema, specs);
  return specs;
}

/** Binds `call` against `schema`. Never throws; problems come back as diagnostics. */
export function bindCall(schema: ArgSchema, call: CallInput): BindResult {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => diagnostics.push(d);
  const specs = allSpecs(schema).byName;
  const given = new Map<string, GivenArg>();
  const legacy = schema.legacyPositional?.(call.owner, call.positional);
  if (legacy) diagnostics.push(legacy.warning);
  const positional = legacy?.positional ?? call.positional;

  if (positional.length > schema.positional.length) {
    const span = joinSpans(
      positional[schema.positional.length]!.span,
      positional[positional.length - 1]!.span,
    );
    diagnostics.push(tooManyPositionalArguments(span, call.owner, schema.positional, positional.length));
  }
  for (let index = 0; index < positional.length && index < schema.positional.length; index++) {
    const input = positional[index]!;
    given.set(schema.positional[index]!, { input, firstSpan: input.span });
  }

  for (const written of call.keywords) {
    const current = currentKeyword(written, schema.legacy, call.keywords, call.owner);
    if ("problem" in current) {
      diagnostics.push(current.problem);
      continue;
    }
    const { keyword } = current;
    if (!specs.has(keyword.name)) {
      const suggestion = suggest(keyword.name, specs.keys());
      diagnostics.push(
        unknownArgument(keyword.nameSpan, call.owner, keyword.name, suggestion, Object.keys(schema.args)),
      );
      continue;
    }
    const earlier = given.get(keyword.name);
    if (earlier) {
      diagnostics.push(duplicateArgument(keyword.nameSpan, call.owner, keyword.name, earlier.firstSpan));
      continue;
    }
    given.set(keyword.name, { input: keyword.value, firstSpan: keyword.nameSpan });
  }

  const args: Record<string, ArgValue> = {};
  let valuesOk = true;
  for (const [name, spec] of allSpecs(schema).list) {
    const written = given.get(name);
    if (written) {
      const check: ArgCheck = { owner: call.owner, arg: name, report };
      const value = parseArgValue(spec, written.input, check);
      if (value !== undefined) {
        args[name] = value;
        continue;
      }
      valuesOk = false;
    } else if (spec.default === undefined) {
      diagnostics.push(missingArgument(call.span, call.owner, name, spec.doc));
      valuesOk = false;
    }
    if (spec.default !== undefined) args[name] = spec.default;
  }

  // Rules across arguments only make sense once each argument is valid on its own.
  if (valuesOk && schema.check) {
    schema.check(args, {
      report: (arg, message, hint) =>
        diagnostics.push(
          invalidArgument(given.get(arg)?.input.span ?? call.span, call.owner, arg, message, hint),
        ),
    });
  }
  return { args, diagnostics, ok: !diagnostics.some((d) => d.severity === "error") };
}

/**
 * Binds a layer constructor call `Dense(64, activation="relu")` to the layer's schema plus the base
 * keywords. The result's `args` is what `LayerInstance.args` holds and `inferOutputs` receives.
 */
export function bindLayerArgs(def: LayerDef, call: LayerCallInput): BindResult {
  return bindCall(def.schema, {
    owner: def.name,
    positional: call.positional,
    keywords: call.keywords,
    span: call.span,
  });
}
