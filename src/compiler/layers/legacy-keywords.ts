// Older keyword spellings Keras 2 still accepts through its legacy interfaces (keras/legacy/interfaces.py)
// and the seed reference still shows — `dim_ordering="th"`, `border_mode="same"`, `pool_length=3` — turned
// into the Keras 2 argument before binding, so the IR only ever holds the current names and values.
import { invalidArgument } from "../diagnostics/catalogue/args.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { KeywordInput } from "./arg-input.js";

/** An older keyword and the current argument it stands for. */
export interface LegacyKeyword {
  /** The Keras 2 argument, e.g. `data_format` for `dim_ordering`. */
  readonly replacedBy: string;
  /** Old string values → current ones ("th" → "channels_first"; null is None); unlisted values pass as written. */
  readonly values?: Readonly<Record<string, string | null>>;
}

export type LegacyKeywords = Readonly<Record<string, LegacyKeyword>>;

/** Keras 1's `dim_ordering` ("tf", "th", "default") for `data_format`. */
export const LEGACY_DIM_ORDERING: LegacyKeywords = {
  dim_ordering: {
    replacedBy: "data_format",
    values: { tf: "channels_last", th: "channels_first", default: null },
  },
};

/** Keras 1's `border_mode` for `padding`. */
export const LEGACY_BORDER_MODE: LegacyKeywords = { border_mode: { replacedBy: "padding" } };

/**
 * `keyword` as its Keras 2 argument when it is a legacy spelling in `legacy`, else unchanged. Giving both
 * spellings is an error, as in Keras ("received both the legacy keyword argument and the Keras 2 one").
 */
export function currentKeyword(
  keyword: KeywordInput,
  legacy: LegacyKeywords | undefined,
  all: readonly KeywordInput[],
  owner: string,
): { readonly keyword: KeywordInput } | { readonly problem: Diagnostic } {
  const rule = legacy && Object.hasOwn(legacy, keyword.name) ? legacy[keyword.name] : undefined;
  if (!rule) return { keyword };
  if (all.some((k) => k.name === rule.replacedBy)) {
    const problem = invalidArgument(
      keyword.nameSpan,
      owner,
      keyword.name,
      `it is the older spelling of \`${rule.replacedBy}\`, which is given too`,
      `keep \`${rule.replacedBy}\` only`,
    );
    return { problem };
  }
  const { value } = keyword;
  const mapped =
    value.kind === "scalar" &&
    typeof value.value === "string" &&
    rule.values &&
    Object.hasOwn(rule.values, value.value)
      ? { ...value, value: rule.values[value.value] ?? null }
      : value;
  return { keyword: { ...keyword, name: rule.replacedBy, value: mapped } };
}
