// Argument builders for values that are layers (`TimeDistributed(Dense(8))`, `RNN(LSTMCell(4))`) and
// lists of values (`StackedRNNCells([LSTMCell(4), LSTMCell(8)])`). A nested layer is bound against its
// own schema and normalised the way Keras serialises it: ConfigObject {className, config: its args}.
import type { ArgValue, ConfigObject } from "../../ir/graph.js";
import { invalidArgument, unknownLayerArgument } from "../diagnostics/catalogue/args.js";
import { suggest } from "../diagnostics/suggest.js";
import type { ArgInput } from "./arg-input.js";
import { bindLayerArgs } from "./bind.js";
import type { LayerDef } from "./layer.js";
import { layerLookup } from "./layer-lookup.js";
import type { ArgSpec } from "./schema.js";
import { type CommonOptions, makeSpec, parseArgValue } from "./spec-core.js";

export interface LayerArgOptions extends CommonOptions<ConfigObject> {
  /** What kind of layer is wanted, for messages: "a recurrent layer such as LSTM(32)". */
  readonly expected?: string;
  /** Restricts which layers fit: returns why `def` does not (e.g. "Bidirectional wraps a recurrent layer"). */
  readonly accept?: (def: LayerDef) => string | undefined;
}

/** A layer constructor call, bound and normalised to {className, config}. */
export function layer(options: LayerArgOptions = {}): ArgSpec<ConfigObject> {
  return makeSpec<ConfigObject>(
    {
      expected: options.expected ?? "a layer such as Dense(8)",
      matches: (input) => input.kind === "call",
      convert: (input, check) => {
        if (input.kind !== "call") return undefined;
        const layers = layerLookup();
        const def = layers.get(input.name);
        if (!def) {
          const suggestion = suggest(input.name, layers.names());
          check.report(unknownLayerArgument(input.nameSpan, check.owner, check.arg, input.name, suggestion));
          return undefined;
        }
        const refusal = options.accept?.(def);
        if (refusal !== undefined) {
          check.report(invalidArgument(input.nameSpan, check.owner, check.arg, refusal));
          return undefined;
        }
        const bound = bindLayerArgs(def, {
          layerName: input.name,
          calleeSpan: input.nameSpan,
          positional: input.args,
          keywords: input.kwargs,
          span: input.span,
        });
        for (const d of bound.diagnostics) check.report(d);
        return bound.ok ? { className: def.name, config: bound.args } : undefined;
      },
    },
    options,
  );
}

export interface ListOptions extends CommonOptions<readonly ArgValue[]> {
  /** The fewest items allowed (default 1). */
  readonly minItems?: number;
}

/** A list or tuple whose every item is checked against `item`; each item's problems point at that item. */
export function listOf<T extends ArgValue>(
  item: ArgSpec<T>,
  options: ListOptions = {},
): ArgSpec<readonly T[]> {
  const minItems = options.minItems ?? 1;
  const isSequence = (input: ArgInput): input is Extract<ArgInput, { kind: "sequence" }> =>
    input.kind === "sequence";
  return makeSpec<readonly T[]>(
    {
      expected: `a list of ${minItems > 1 ? `at least ${minItems} ` : ""}items, each ${item.expected}`,
      matches: (input) => isSequence(input) && input.items.length >= minItems,
      convert: (input, check) => {
        if (!isSequence(input)) return undefined;
        const values = input.items.map((entry) => parseArgValue(item, entry, check));
        return values.every((v) => v !== undefined) ? (values as T[]) : undefined;
      },
    },
    options as CommonOptions<readonly T[]>,
  );
}
