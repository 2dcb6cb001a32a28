// The keys of the kml JSON form (grammar/kml-json.md), shared by the reader and the JSON printer.
// Every object says what it is by one "kind key" (`{"call": ...}`, `{"model": ...}`); the others are fields.

/** The value of `"kml"` this compiler reads and writes. */
export const KML_JSON_VERSION = 1;

/** Fields every item and statement may carry: the comments and blank line around it in .kml text. */
export const TRIVIA_FIELDS = ["blankLineBefore", "comments", "trailingComment"] as const;

/** Expression objects (numbers, strings, booleans, null and arrays are expressions by themselves). */
export const EXPR_FIELDS = {
  tuple: ["tuple"],
  ref: ["ref"],
  call: ["call", "args", "kwargs"],
  unary: ["unary", "operand"],
  binary: ["binary", "left", "right"],
  lambda: ["lambda", "body"],
  /** A string literal spelt out, for the one place a bare string means a name: a call's callee. */
  string: ["string"],
} as const;

export type ExprKey = keyof typeof EXPR_FIELDS;
export const EXPR_KEYS = Object.keys(EXPR_FIELDS) as ExprKey[];

/** Statements; an expression object standing as a statement is an expression statement. */
export const STMT_FIELDS = {
  assign: ["assign", "value"],
  outputs: ["outputs"],
  return: ["return"],
  dim: ["dim"],
  expr: ["expr"],
} as const;

export type StmtKey = keyof typeof STMT_FIELDS;
export const STMT_KEYS = Object.keys(STMT_FIELDS) as StmtKey[];

/** Top-level items. */
export const ITEM_FIELDS = {
  import: ["import"],
  dim: ["dim"],
  sequential: ["sequential", "kwargs", "layers", "closingComments"],
  model: ["model", "body", "closingComments"],
  block: ["block", "params", "body", "closingComments"],
} as const;

export type ItemKey = keyof typeof ITEM_FIELDS;
export const ITEM_KEYS = Object.keys(ITEM_FIELDS) as ItemKey[];

/** The fields of the document object. */
export const FILE_FIELDS = ["kml", "items", "closingComments"] as const;

/** A block parameter with a default value: `{"param": "kernel", "default": 3}`. */
export const PARAM_FIELDS = ["param", "default"] as const;
