// Keras 1's positional kernel sizes that Keras 2 still converts (keras/legacy/interfaces.py,
// conv2d_args_preprocessor / conv3d_args_preprocessor): `Conv2D(64, 3, 3)` means kernel_size=(3, 3), not
// strides=3. Without this, the old form would silently bind the second size to `strides`.
import { legacyCallForm } from "../diagnostics/catalogue/args.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { joinSpans } from "../source.js";
import type { ArgInput } from "./arg-input.js";

/** Rewrites legacy positional arguments into the Keras 2 form, with the warning that says so. */
export type LegacyPositional = (
  owner: string,
  positional: readonly ArgInput[],
) => { readonly positional: readonly ArgInput[]; readonly warning: Diagnostic } | undefined;

function isInt(input: ArgInput | undefined): boolean {
  return input?.kind === "scalar" && typeof input.value === "number" && !input.isFloat;
}

function text(input: ArgInput): string {
  return input.kind === "scalar" ? String(input.value) : "?";
}

/**
 * `(filters, d1, ..., dn)` with n separate integer sizes and nothing after them becomes
 * `(filters, (d1, ..., dn))`: exactly the case Keras 2's preprocessors convert.
 */
export function separateKernelSizes(rank: 2 | 3): LegacyPositional {
  return (owner, positional) => {
    const sizes = positional.slice(1);
    if (positional.length !== rank + 1 || !sizes.every(isInt)) return undefined;
    const span = joinSpans(sizes[0]!.span, sizes[rank - 1]!.span);
    const kernel: ArgInput = { kind: "sequence", tuple: true, items: sizes, span };
    const tuple = `(${sizes.map(text).join(", ")})`;
    const warning = legacyCallForm(span, owner, sizes.map(text).join(", "), `kernel_size=${tuple}`);
    return { positional: [positional[0]!, kernel], warning };
  };
}
