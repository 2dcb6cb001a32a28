// Diagnostics of the kml JSON front end (KML501–KML549): JSON syntax, then the shape of the kml JSON form.
// Every structural message names the JSON pointer of the offending node, because a JSON file has no
// statement a reader could recognise by eye.
import type { Span } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const INVALID_JSON = defineKind("KML501", "error", "invalid JSON");
const JSON_COMMENT = defineKind("KML502", "error", "comment in JSON");
const NOT_A_KML_DOCUMENT = defineKind("KML503", "error", "not a kml JSON document");
const UNSUPPORTED_VERSION = defineKind("KML504", "error", "unsupported kml JSON version");
const NESTING_TOO_DEEP = defineKind("KML505", "error", "JSON nested too deeply");
const UNKNOWN_FIELD = defineKind("KML510", "error", "unknown field in kml JSON");
const MISSING_FIELD = defineKind("KML511", "error", "missing field in kml JSON");
const WRONG_TYPE = defineKind("KML512", "error", "wrong JSON type for a field");
const UNKNOWN_KIND = defineKind("KML513", "error", "unrecognised kml JSON object");
const CONFLICTING_KINDS = defineKind("KML514", "error", "kml JSON object of two kinds");
const INVALID_NAME = defineKind("KML515", "error", "invalid name in kml JSON");
const INVALID_COMMENT = defineKind("KML516", "error", "invalid comment text in kml JSON");
const UNKNOWN_OPERATOR = defineKind("KML517", "error", "unknown operator in kml JSON");
const DUPLICATE_FIELD = defineKind("KML518", "error", "duplicate field in kml JSON");
const EMPTY_LIST = defineKind("KML519", "error", "empty list in kml JSON");

const DOCUMENT_SHAPE = 'a kml JSON document looks like {"kml": 1, "items": [...]}';

/** `quoted` names a field or value the way it is written in JSON. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** Where in the document: a JSON pointer, or words for the root (whose pointer is the empty string). */
function at(pointer: string): string {
  return pointer === "" ? "the top level" : pointer;
}

function didYouMean(suggestion: string | undefined, otherwise: string): string {
  return suggestion === undefined ? otherwise : `did you mean ${quoted(suggestion)}?`;
}

/** The text is not JSON; `problem` says what the JSON parser expected, e.g. "expected ','". */
export function invalidJson(span: Span, problem: string, hint?: string): Diagnostic {
  return makeDiagnostic(INVALID_JSON, span, `invalid JSON: ${problem}`, hint === undefined ? {} : { hint });
}

/** A `//` or `/* *\/` comment: JSON has none, and a kml comment must survive conversion to .kml. */
export function jsonComment(span: Span): Diagnostic {
  return makeDiagnostic(JSON_COMMENT, span, "comments are not allowed in kml JSON", {
    hint: 'put the comment in a "comments" list (above) or a "trailingComment" of an item or statement',
  });
}

/** The document is valid JSON but not the kml JSON form (another JSON file, or a Keras model). */
export function notAKmlDocument(span: Span, found: string, looksLikeKeras: boolean): Diagnostic {
  return makeDiagnostic(NOT_A_KML_DOCUMENT, span, `expected a kml JSON document, found ${found}`, {
    hint: looksLikeKeras ? "this looks like a Keras model; convert it with `kerasc import`" : DOCUMENT_SHAPE,
  });
}

/** `"kml"` holds something other than the one version this compiler reads. */
export function unsupportedVersion(span: Span, found: string): Diagnostic {
  return makeDiagnostic(UNSUPPORTED_VERSION, span, `unsupported kml JSON version ${found}`, {
    hint: 'this compiler reads "kml": 1',
  });
}

/** The document nests deeper than any model needs; reading on would risk exhausting the stack. */
export function nestingTooDeep(span: Span, limit: number): Diagnostic {
  return makeDiagnostic(NESTING_TOO_DEEP, span, `the JSON nests more than ${limit} levels deep here`, {
    hint: "no model needs this depth; the file is probably generated wrongly",
  });
}

/** A field the object's kind does not have; `fields` are the ones it does. */
export function unknownField(
  span: Span,
  pointer: string,
  key: string,
  what: string,
  fields: readonly string[],
  suggestion: string | undefined,
): Diagnostic {
  return makeDiagnostic(UNKNOWN_FIELD, span, `unknown field ${quoted(key)} in ${what} at ${at(pointer)}`, {
    hint: didYouMean(suggestion, `${what} has the fields ${fields.map(quoted).join(", ")}`),
  });
}

/** A required field is absent; the span is the object that lacks it. */
export function missingField(span: Span, pointer: string, key: string, what: string): Diagnostic {
  return makeDiagnostic(MISSING_FIELD, span, `${what} at ${at(pointer)} needs the field ${quoted(key)}`);
}

/** A field holds the wrong JSON type, e.g. a number where a list of statements belongs. */
export function wrongType(span: Span, pointer: string, expected: string, found: string): Diagnostic {
  return makeDiagnostic(WRONG_TYPE, span, `expected ${expected} at ${at(pointer)}, found ${found}`);
}

/** An object with none of the keys that say what it is (`"call"`, `"model"`, ...). */
export function unknownKind(
  span: Span,
  pointer: string,
  what: string,
  kinds: readonly string[],
  suggestion: string | undefined,
): Diagnostic {
  const expected = kinds.map(quoted).join(", ");
  return makeDiagnostic(UNKNOWN_KIND, span, `cannot tell what ${what} at ${at(pointer)} is`, {
    hint: didYouMean(suggestion, `${what} is an object with one of the keys ${expected}`),
  });
}

/** An object with two keys that each say what it is, e.g. both `"call"` and `"ref"`. */
export function conflictingKinds(span: Span, pointer: string, keys: readonly string[]): Diagnostic {
  return makeDiagnostic(
    CONFLICTING_KINDS,
    span,
    `the object at ${at(pointer)} cannot be both ${keys.map(quoted).join(" and ")}`,
    { hint: "split it into separate objects, or remove one of the keys" },
  );
}

/** A name that the .kml language could not spell: not an identifier, or a reserved word. */
export function invalidName(span: Span, pointer: string, name: string, reserved: boolean): Diagnostic {
  const why = reserved ? "is a reserved word" : "is not a valid name";
  return makeDiagnostic(INVALID_NAME, span, `${quoted(name)} at ${at(pointer)} ${why}`, {
    hint: "names start with a letter or `_` and continue with letters, digits or `_`",
  });
}

/** Comment text that would not print as a `#` comment line. */
export function invalidComment(span: Span, pointer: string, text: string): Diagnostic {
  return makeDiagnostic(
    INVALID_COMMENT,
    span,
    `the comment ${quoted(text)} at ${at(pointer)} is not a # comment`,
    {
      hint: 'a comment is one line starting with "#", e.g. "# shared encoder"',
    },
  );
}

/** A unary or binary operator outside the language's set. */
export function unknownOperator(
  span: Span,
  pointer: string,
  op: string,
  operators: readonly string[],
): Diagnostic {
  return makeDiagnostic(UNKNOWN_OPERATOR, span, `unknown operator ${quoted(op)} at ${at(pointer)}`, {
    hint: `the operators here are ${operators.map(quoted).join(", ")}`,
  });
}

/** The same field twice in one object; JSON readers disagree on which one wins, so neither does. */
export function duplicateField(span: Span, pointer: string, key: string, first: Span): Diagnostic {
  return makeDiagnostic(
    DUPLICATE_FIELD,
    span,
    `${quoted(key)} appears twice in the object at ${at(pointer)}`,
    {
      related: [{ span: first, message: "first given here" }],
    },
  );
}

/** A list that the language requires to hold at least one element (`outputs`, assignment targets, ...). */
export function emptyList(span: Span, pointer: string, what: string): Diagnostic {
  return makeDiagnostic(EMPTY_LIST, span, `${what} at ${at(pointer)} must not be empty`);
}
