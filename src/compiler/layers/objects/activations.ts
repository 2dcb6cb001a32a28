// Activation functions by name, as Keras 2 spells them (plus relu6, which SPEC §3 lists). None means linear.
// Keras 2 has no "leaky_relu" (or swish/gelu) activation name: LeakyReLU is a layer there.
import { unknownActivation } from "../../diagnostics/catalogue/args.js";
import { suggest } from "../../diagnostics/suggest.js";
import type { ArgSpec } from "../schema.js";
import { type CommonOptions, isNoneInput, makeSpec } from "../spec-core.js";

export const ACTIVATIONS = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "tanh",
  "sigmoid",
  "hard_sigmoid",
  "exponential",
  "softmax",
] as const;

export type ActivationName = (typeof ACTIVATIONS)[number];

function isActivation(name: string): name is ActivationName {
  return (ACTIVATIONS as readonly string[]).includes(name);
}

/** An activation name; None normalises to "linear" (Keras: no activation). */
export function activationArg(options: CommonOptions<ActivationName> = {}): ArgSpec<ActivationName> {
  return makeSpec<ActivationName>(
    {
      expected: 'an activation name such as "relu", or None',
      matches: (input) => isNoneInput(input) || (input.kind === "scalar" && typeof input.value === "string"),
      convert: (input, check) => {
        if (input.kind !== "scalar" || input.value === null) return "linear";
        const name = String(input.value);
        if (isActivation(name)) return name;
        check.report(
          unknownActivation(
            input.span,
            check.owner,
            check.arg,
            name,
            suggest(name, ACTIVATIONS),
            ACTIVATIONS,
          ),
        );
        return undefined;
      },
    },
    options,
  );
}
