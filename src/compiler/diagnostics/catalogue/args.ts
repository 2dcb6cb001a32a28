// Diagnostics about constructor arguments of layers, initializers, regularizers and constraints (KML301–KML399).
// `owner` is the class being called ("Dense", "RandomNormal"); `arg` the argument's name as Keras spells it.
import type { Span } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const UNKNOWN_ARGUMENT = defineKind("KML301", "error", "unknown argument");
const TOO_MANY_POSITIONAL = defineKind("KML302", "error", "too many positional arguments");
const DUPLICATE_ARGUMENT = defineKind("KML303", "error", "argument given twice");
const MISSING_ARGUMENT = defineKind("KML304", "error", "missing required argument");
const WRONG_ARGUMENT_TYPE = defineKind("KML305", "error", "argument has the wrong type");
const ARGUMENT_OUT_OF_RANGE = defineKind("KML306", "error", "argument out of range");
const NOT_ONE_OF = defineKind("KML307", "error", "argument is not one of the allowed values");
const UNKNOWN_ACTIVATION = defineKind("KML308", "error", "unknown activation");
const UNKNOWN_INITIALIZER = defineKind("KML309", "error", "unknown initializer");
const UNKNOWN_REGULARIZER = defineKind("KML310", "error", "unknown regularizer");
const UNKNOWN_CONSTRAINT = defineKind("KML311", "error", "unknown constraint");
const GRAPH_REF_AS_VALUE = defineKind("KML312", "error", "tensor or layer used as an argument value");
const INVALID_ARGUMENT = defineKind("KML313", "error", "invalid argument value");

function didYouMean(suggestion: string | undefined, quote: (s: string) => string): string | undefined {
  return suggestion === undefined ? undefined : `did you mean ${quote(suggestion)}?`;
}

const backticks = (s: string): string => `\`${s}\``;
const doubleQuotes = (s: string): string => JSON.stringify(s);

/** Lists names for a hint, shortened when there are many. */
function listNames(names: readonly string[], quote: (s: string) => string, limit = 12): string {
  const shown = names.slice(0, limit).map(quote).join(", ");
  return names.length > limit ? `${shown}, … (${names.length} in all)` : shown;
}

/** `Dense(unit=3)`: no such argument. Span: the keyword's name. */
export function unknownArgument(
  span: Span,
  owner: string,
  arg: string,
  suggestion: string | undefined,
  accepted: readonly string[],
): Diagnostic {
  const hint =
    didYouMean(suggestion, backticks) ??
    (accepted.length > 0
      ? `${owner} takes ${listNames(accepted, backticks)}`
      : `${owner} takes no arguments`);
  return makeDiagnostic(UNKNOWN_ARGUMENT, span, `${owner} has no argument \`${arg}\``, { hint });
}

/** `Dropout(0.5, None, 1, 2)`: more positional arguments than the signature has. Span: the extra ones. */
export function tooManyPositionalArguments(
  span: Span,
  owner: string,
  positional: readonly string[],
  given: number,
): Diagnostic {
  const takes =
    positional.length === 0
      ? "takes no positional arguments"
      : `takes at most ${positional.length} positional argument${positional.length === 1 ? "" : "s"} (${positional.join(", ")})`;
  return makeDiagnostic(TOO_MANY_POSITIONAL, span, `${owner} ${takes}, got ${given}`, {
    hint: "remove the extra arguments or pass them by keyword, e.g. `name=value`",
  });
}

/** `Dense(8, units=8)` or `Dense(units=8, units=8)`. Span: the second occurrence; related: the first. */
export function duplicateArgument(span: Span, owner: string, arg: string, firstSpan: Span): Diagnostic {
  return makeDiagnostic(DUPLICATE_ARGUMENT, span, `\`${arg}\` of ${owner} is given twice`, {
    hint: "keep one of them",
    related: [{ span: firstSpan, message: `\`${arg}\` is first given here` }],
  });
}

/** `Dense()`: a required argument is absent. Span: the call. */
export function missingArgument(span: Span, owner: string, arg: string, doc: string): Diagnostic {
  const hint = doc.length > 0 ? `\`${arg}\`: ${doc}` : undefined;
  return makeDiagnostic(
    MISSING_ARGUMENT,
    span,
    `${owner} needs the argument \`${arg}\``,
    hint === undefined ? {} : { hint },
  );
}

/** `Dense("64")`: the value has the wrong kind. `got` describes it ("the string \"64\""). Span: the value. */
export function wrongArgumentType(
  span: Span,
  owner: string,
  arg: string,
  expected: string,
  got: string,
  hint?: string,
): Diagnostic {
  return makeDiagnostic(
    WRONG_ARGUMENT_TYPE,
    span,
    `\`${arg}\` of ${owner} expects ${expected}, got ${got}`,
    hint === undefined ? {} : { hint },
  );
}

/** `Dropout(1.5)`: right kind, outside the allowed range (`range` reads e.g. "in [0, 1)"). Span: the value. */
export function argumentOutOfRange(
  span: Span,
  owner: string,
  arg: string,
  range: string,
  got: string,
): Diagnostic {
  return makeDiagnostic(ARGUMENT_OUT_OF_RANGE, span, `\`${arg}\` of ${owner} must be ${range}, got ${got}`);
}

/** `padding="smae"`: not one of an enumeration. Span: the value. */
export function notOneOf(
  span: Span,
  owner: string,
  arg: string,
  choices: readonly string[],
  got: string,
  suggestion: string | undefined,
): Diagnostic {
  const hint = didYouMean(suggestion, doubleQuotes);
  return makeDiagnostic(
    NOT_ONE_OF,
    span,
    `\`${arg}\` of ${owner} must be one of ${listNames(choices, doubleQuotes, 20)}, got ${doubleQuotes(got)}`,
    hint === undefined ? {} : { hint },
  );
}

/** Shared wording of the four "unknown name in a family" codes; each keeps its own code below. */
function unknownFamilyMember(
  kind: typeof UNKNOWN_ACTIVATION,
  family: string,
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  const hint =
    didYouMean(suggestion, doubleQuotes) ?? `known ${family}s: ${listNames(known, doubleQuotes, 20)}`;
  return makeDiagnostic(kind, span, `\`${arg}\` of ${owner}: unknown ${family} ${doubleQuotes(name)}`, {
    hint,
  });
}

/** `activation="rleu"`. Span: the value. */
export function unknownActivation(
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  return unknownFamilyMember(UNKNOWN_ACTIVATION, "activation", span, owner, arg, name, suggestion, known);
}

/** `kernel_initializer="glorot_unifrom"` or `RandomNormall(...)`. Span: the string or the call's name. */
export function unknownInitializer(
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  return unknownFamilyMember(UNKNOWN_INITIALIZER, "initializer", span, owner, arg, name, suggestion, known);
}

/** `kernel_regularizer=l3(0.01)`. Span: the string or the call's name. */
export function unknownRegularizer(
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  return unknownFamilyMember(UNKNOWN_REGULARIZER, "regularizer", span, owner, arg, name, suggestion, known);
}

/** `kernel_constraint=maxnorn(2)`. Span: the string or the call's name. */
export function unknownConstraint(
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  return unknownFamilyMember(UNKNOWN_CONSTRAINT, "constraint", span, owner, arg, name, suggestion, known);
}

/** `Dense(x)` where `x` is a tensor: a graph name where a plain value belongs. Span: the name. */
export function graphRefAsValue(
  span: Span,
  owner: string,
  arg: string,
  name: string,
  what: "tensor" | "layer" | "block" | "model",
): Diagnostic {
  const hint =
    what === "tensor"
      ? `a layer is applied to a tensor with a second call: \`${owner}(...)(${name})\``
      : `an argument must be a literal value such as 8, "relu" or (3, 3)`;
  return makeDiagnostic(
    GRAPH_REF_AS_VALUE,
    span,
    `\`${arg}\` of ${owner} expects a value, but \`${name}\` is a ${what}`,
    { hint },
  );
}

/**
 * A value of the right type that breaks a rule of its own or of its combination with other arguments
 * (two -1 in a target shape, `dims` not a permutation, `shape` and `batch_shape` both given).
 * Span: the value (or the call when the rule concerns arguments that are absent).
 */
export function invalidArgument(
  span: Span,
  owner: string,
  arg: string,
  message: string,
  hint?: string,
): Diagnostic {
  return makeDiagnostic(
    INVALID_ARGUMENT,
    span,
    `\`${arg}\` of ${owner}: ${message}`,
    hint === undefined ? {} : { hint },
  );
}

const UNKNOWN_LAYER_ARGUMENT = defineKind("KML314", "error", "unknown layer in an argument");

/** `TimeDistributed(Dens(8))`: a layer-valued argument names no known layer. Span: the call's name. */
export function unknownLayerArgument(
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
): Diagnostic {
  const hint = didYouMean(suggestion, backticks);
  return makeDiagnostic(
    UNKNOWN_LAYER_ARGUMENT,
    span,
    `\`${arg}\` of ${owner}: unknown layer \`${name}\``,
    hint === undefined ? {} : { hint },
  );
}

const LEGACY_CALL_FORM = defineKind("KML350", "warning", "Keras 1 argument form");

/**
 * `Conv2D(64, 3, 3)`: Keras 1's separate kernel sizes, which Keras 2 still converts (with a warning) to
 * `kernel_size=(3, 3)`. Span: the converted arguments; `keras2` is the call's Keras 2 spelling of them.
 */
export function legacyCallForm(span: Span, owner: string, keras1: string, keras2: string): Diagnostic {
  return makeDiagnostic(
    LEGACY_CALL_FORM,
    span,
    `${owner}(..., ${keras1}) is the Keras 1 form: read as ${keras2}, as Keras 2 does`,
    { hint: `write ${keras2}` },
  );
}
