// Named-object families (initializers, regularizers, constraints): each member is accepted by name
// ("glorot_uniform") or as a call with its own checked arguments (`RandomNormal(stddev=0.05)`), and both
// normalise to one ConfigObject with every default filled, so later stages see a single form.
import type { ArgValue, ConfigObject } from "../../../ir/graph.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { suggest } from "../../diagnostics/suggest.js";
import type { Span } from "../../source.js";
import type { ArgInput } from "../arg-input.js";
import { bindCall } from "../bind.js";
import type { ArgCheck, ArgSchema, ArgSpec, ArgSpecs, ArgsOf } from "../schema.js";
import { type CommonOptions, isNoneInput, makeSpec } from "../spec-core.js";

/** One member of a family, e.g. RandomNormal, under every spelling Keras accepts. */
export interface ObjectDef {
  /** Accepted spellings, as a string or as a call; the first is shown in lists. */
  readonly names: readonly string[];
  readonly schema: ArgSchema;
  /** The canonical form of bound, defaulted arguments. */
  toConfig(args: Readonly<Record<string, ArgValue>>): ConfigObject;
}

/** Declares a member with typed arguments (the schema is the source of `args`' type). */
export function defineObject<A extends ArgSpecs>(
  names: readonly string[],
  schema: ArgSchema<A>,
  toConfig: (args: ArgsOf<A>) => ConfigObject,
): ObjectDef {
  return { names, schema, toConfig: (args) => toConfig(args as ArgsOf<A>) };
}

/** The family's "unknown name" diagnostic (one catalogue code per family). */
export type UnknownMember = (
  span: Span,
  owner: string,
  arg: string,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
) => Diagnostic;

export interface ObjectFamily {
  /** What an argument of this family expects: `an initializer such as "glorot_uniform" or RandomNormal(stddev=0.05)`. */
  readonly expected: string;
  readonly members: readonly ObjectDef[];
  readonly unknown: UnknownMember;
}

/** Every accepted spelling, in declaration order. */
export function familyNames(family: ObjectFamily): string[] {
  return family.members.flatMap((m) => m.names);
}

function findMember(family: ObjectFamily, name: string): ObjectDef | undefined {
  return family.members.find((m) => m.names.includes(name));
}

/**
 * The canonical value of a member named in a schema default ("glorot_uniform"). Declaration-time only:
 * a bad name is a bug in kerasc's own tables, so it throws.
 */
export function resolveMemberName(family: ObjectFamily, name: string): ConfigObject {
  const member = findMember(family, name);
  const bound =
    member && bindCall(member.schema, { owner: name, positional: [], keywords: [], span: NO_SPAN });
  if (!member || !bound?.ok) throw new Error(`kerasc bug: "${name}" is not a valid default in its family`);
  return member.toConfig(bound.args);
}

const NO_SPAN: Span = { file: "<kerasc>", start: 0, end: 0 };

/** Parses a name or call of the family; undefined after reporting. */
function parseMember(family: ObjectFamily, input: ArgInput, check: ArgCheck): ConfigObject | undefined {
  const written =
    input.kind === "call"
      ? { name: input.name, nameSpan: input.nameSpan, positional: input.args, keywords: input.kwargs }
      : input.kind === "scalar" && typeof input.value === "string"
        ? { name: input.value, nameSpan: input.span, positional: [], keywords: [] }
        : undefined;
  if (!written) return undefined;
  const member = findMember(family, written.name);
  if (!member) {
    const known = familyNames(family);
    check.report(
      family.unknown(
        written.nameSpan,
        check.owner,
        check.arg,
        written.name,
        suggest(written.name, known),
        known,
      ),
    );
    return undefined;
  }
  const bound = bindCall(member.schema, {
    owner: written.name,
    positional: written.positional,
    keywords: written.keywords,
    span: input.span,
  });
  for (const d of bound.diagnostics) check.report(d);
  return bound.ok ? member.toConfig(bound.args) : undefined;
}

export interface FamilyOptions {
  /** The default, by name ("glorot_uniform"), or null for None. Leave out for a required argument. */
  readonly default?: string | null;
  readonly doc?: string;
  /** Whether None is accepted (regularizers and constraints: yes; initializers: no). */
  readonly allowNone: boolean;
}

/** An argument taking a member of `family` by name or call (and None when allowed). */
export function familyArg(
  family: ObjectFamily,
  options: FamilyOptions & { allowNone: false },
): ArgSpec<ConfigObject>;
export function familyArg(
  family: ObjectFamily,
  options: FamilyOptions & { allowNone: true },
): ArgSpec<ConfigObject | null>;
export function familyArg(family: ObjectFamily, options: FamilyOptions): ArgSpec<ConfigObject | null> {
  const common: CommonOptions<ConfigObject | null> = {
    ...(options.doc !== undefined ? { doc: options.doc } : {}),
    ...(options.default === undefined
      ? {}
      : { default: options.default === null ? null : resolveMemberName(family, options.default) }),
  };
  return makeSpec<ConfigObject | null>(
    {
      expected: options.allowNone ? `${family.expected}, or None` : family.expected,
      matches: (input) =>
        input.kind === "call" ||
        (input.kind === "scalar" && typeof input.value === "string") ||
        (options.allowNone && isNoneInput(input)),
      convert: (input, check) => (isNoneInput(input) ? null : parseMember(family, input, check)),
    },
    common,
  );
}
