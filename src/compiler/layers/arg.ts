// The typed argument builders layer schemas are written with: `arg.int({ min: 1 })`, `arg.activation()`, ...
import type { ConfigObject } from "../../ir/graph.js";
import { layer, listOf } from "./arg-layers.js";
import { bool, enumOf, float, int, noneOnly, oneOf, optional, string, withNoneAs } from "./arg-scalars.js";
import { intList, intTuple, numberData, shape, sidePairs } from "./arg-shapes.js";
import { activationArg } from "./objects/activations.js";
import { constraints } from "./objects/constraints.js";
import { familyArg } from "./objects/family.js";
import { initializers } from "./objects/initializers.js";
import { regularizers } from "./objects/regularizers.js";
import type { ArgSpec } from "./schema.js";

export const DATA_FORMATS = ["channels_last", "channels_first"] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

interface DocOption {
  readonly doc?: string;
}

export const arg = {
  int,
  float,
  bool,
  string,
  enumOf,
  optional,
  oneOf,
  withNoneAs,
  noneOnly,
  shape,
  intTuple,
  intList,
  sidePairs,
  numberData,
  layer,
  listOf,
  /**
   * `data_format`: "channels_last" or "channels_first", any case (Keras lower-cases it); None and the
   * default mean "channels_last" (Keras's image_data_format() out of the box).
   */
  dataFormat(options: DocOption = {}): ArgSpec<DataFormat> {
    return withNoneAs(enumOf(DATA_FORMATS, { caseInsensitive: true }), "channels_last", {
      default: "channels_last",
      doc: options.doc ?? "the position of the channels axis: channels_last (default) or channels_first",
    });
  },
  /** An activation name (None → "linear"); default "linear" unless given. */
  activation: activationArg,
  /** An initializer by name or call, normalised to a ConfigObject; `default` is a name ("glorot_uniform"). */
  initializer(options: DocOption & { readonly default?: string } = {}): ArgSpec<ConfigObject> {
    return familyArg(initializers, { ...options, allowNone: false });
  },
  /** A regularizer (`l2(0.01)`, `L1L2(l1=...)`) or None (the default). */
  regularizer(options: DocOption = {}): ArgSpec<ConfigObject | null> {
    return familyArg(regularizers, { ...options, default: null, allowNone: true });
  },
  /** A weight constraint (`max_norm(2)`, `NonNeg()`) or None (the default). */
  constraint(options: DocOption = {}): ArgSpec<ConfigObject | null> {
    return familyArg(constraints, { ...options, default: null, allowNone: true });
  },
} as const;
