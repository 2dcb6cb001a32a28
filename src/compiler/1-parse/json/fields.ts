// Reading a JSON object as a record of known fields: unknown keys get a did-you-mean, duplicates are
// reported, and the object's kind is told by which one of its kind keys ("call", "model", ...) it has.
import type { Node } from "jsonc-parser";
import {
  conflictingKinds,
  duplicateField,
  missingField,
  unknownField,
  unknownKind,
} from "../../diagnostics/catalogue/json.js";
import { suggest } from "../../diagnostics/suggest.js";
import { type JsonReadContext, jsonPointer } from "./context.js";

/** An object's fields by key: the value node of each property, plus the key node for spans. */
export class JsonFields {
  constructor(
    private readonly ctx: JsonReadContext,
    /** The object node itself (the span of "missing field" diagnostics). */
    readonly node: Node,
    /** What the object is, in messages: "a call", "a model". */
    readonly what: string,
    private readonly values: ReadonlyMap<string, Node>,
  ) {}

  /** The value of an optional field. */
  optional(key: string): Node | undefined {
    return this.values.get(key);
  }

  /** The value of a required field, or a missing-field diagnostic. */
  required(key: string): Node | undefined {
    const value = this.values.get(key);
    if (value === undefined) {
      this.ctx.report(missingField(this.ctx.span(this.node), jsonPointer(this.node), key, this.what));
    }
    return value;
  }
}

/** The key and value nodes of each complete property, in order (a property cut short by a syntax error has no value). */
export function propertiesOf(object: Node): { key: Node; value: Node }[] {
  const properties: { key: Node; value: Node }[] = [];
  for (const property of object.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key !== undefined && value !== undefined) properties.push({ key, value });
  }
  return properties;
}

/**
 * Reads an object's fields, reporting each key outside `allowed` (with the closest allowed key as a
 * suggestion) and each key given twice. Unknown and repeated fields are left out of the result.
 */
export function readFields(
  ctx: JsonReadContext,
  object: Node,
  what: string,
  allowed: readonly string[],
): JsonFields {
  const values = new Map<string, Node>();
  const keys = new Map<string, Node>();
  for (const { key, value } of propertiesOf(object)) {
    const name = String(key.value);
    const first = keys.get(name);
    if (first !== undefined) {
      ctx.report(duplicateField(ctx.span(key), jsonPointer(object), name, ctx.span(first)));
    } else if (!allowed.includes(name)) {
      const suggestion = suggest(name, allowed);
      ctx.report(unknownField(ctx.span(key), jsonPointer(key), name, what, allowed, suggestion));
    } else {
      keys.set(name, key);
      values.set(name, value);
    }
  }
  return new JsonFields(ctx, object, what, values);
}

/**
 * Which of `kinds` the object is, told by the one kind key it has. None or several is a diagnostic
 * (with a did-you-mean when a key is a near miss of a kind) and gives undefined.
 */
export function kindOf<K extends string>(
  ctx: JsonReadContext,
  object: Node,
  what: string,
  kinds: readonly K[],
): K | undefined {
  const keys = propertiesOf(object).map(({ key }) => String(key.value));
  const present = [...new Set(keys)].filter((key): key is K => (kinds as readonly string[]).includes(key));
  if (present.length === 1) return present[0];
  const span = ctx.span(object);
  const pointer = jsonPointer(object);
  if (present.length > 1) {
    ctx.report(conflictingKinds(span, pointer, present));
  } else {
    const suggestion = keys.map((key) => suggest(key, kinds)).find((s) => s !== undefined);
    ctx.report(unknownKind(span, pointer, what, kinds, suggestion));
  }
  return undefined;
}
