// The abstract syntax tree of a .kml file (and of its JSON twin). Plain readonly data, one `kind` per node.
// Both front ends (the chevrotain parser and the kml-JSON reader) produce exactly this tree, and the
// formatter prints it back; so everything a user wrote that must survive a round trip lives here,
// comments and blank lines included.
import type { Span } from "../source.js";

/** A `# ...` comment. `text` includes the leading `#` and no line terminator. */
export interface Comment {
  readonly text: string;
  readonly span: Span;
}

/** Comments and blank-line layout attached to a statement or top-level item. */
export interface Trivia {
  /** Whole-line comments directly above the item, in order. */
  readonly leadingComments: readonly Comment[];
  /** A comment after the item on its last line. */
  readonly trailingComment: Comment | null;
  /** True when at least one blank line separates this item from what precedes it in its body. */
  readonly blankLineBefore: boolean;
}

export interface Identifier {
  readonly name: string;
  readonly span: Span;
}

// ---- expressions ------------------------------------------------------------------------------

export interface IntLiteral {
  readonly kind: "int";
  readonly value: number;
  readonly span: Span;
}

/** A float literal; `value` is the number, printing is canonical (always with a `.` or exponent). */
export interface FloatLiteral {
  readonly kind: "float";
  readonly value: number;
  readonly span: Span;
}

export interface StringLiteral {
  readonly kind: "string";
  readonly value: string;
  readonly span: Span;
}

export interface BoolLiteral {
  readonly kind: "bool";
  readonly value: boolean;
  readonly span: Span;
}

export interface NoneLiteral {
  readonly kind: "none";
  readonly span: Span;
}

/** `(a, b)`, `(a,)` or `()`. A parenthesised single expression without comma is not a tuple. */
export interface TupleExpr {
  readonly kind: "tuple";
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** `[a, b]` */
export interface ListExpr {
  readonly kind: "list";
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** A reference to a value, layer, block, parameter or symbolic dimension. */
export interface NameExpr {
  readonly kind: "name";
  readonly name: string;
  readonly span: Span;
}

/** `name=value` inside a call. */
export interface KeywordArg {
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

/**
 * A call. `Dense(8)` has callee NameExpr "Dense"; the application `Dense(8)(x)` is a CallExpr whose callee
 * is the CallExpr `Dense(8)` and whose single positional argument is `x`. Positional arguments always
 * precede keyword arguments (the parser enforces it).
 */
export interface CallExpr {
  readonly kind: "call";
  readonly callee: Expr;
  readonly args: readonly Expr[];
  readonly kwargs: readonly KeywordArg[];
  readonly span: Span;
}

export type UnaryOperator = "-" | "+";

export interface UnaryExpr {
  readonly kind: "unary";
  readonly op: UnaryOperator;
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOperator = "+" | "-" | "*" | "/" | "//" | "%" | "**";

export interface BinaryExpr {
  readonly kind: "binary";
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `lambda x: x ** 2` or `lambda a, b: a * b` — only inside Lambda(...); evaluated by the tensor-expression language. */
export interface LambdaExpr {
  readonly kind: "lambda";
  readonly params: readonly Identifier[];
  readonly body: Expr;
  readonly span: Span;
}

export type Literal = IntLiteral | FloatLiteral | StringLiteral | BoolLiteral | NoneLiteral;

export type Expr = Literal | TupleExpr | ListExpr | NameExpr | CallExpr | UnaryExpr | BinaryExpr | LambdaExpr;

// ---- statements (inside model, sequential and block bodies) -------------------------------------

/** `x = expr` or `out, h, c = expr` (a multi-output layer unpacked). Rebinding a value name is allowed. */
export interface AssignStmt extends Trivia {
  readonly kind: "assign";
  readonly targets: readonly Identifier[];
  readonly value: Expr;
  readonly span: Span;
}

/** A bare expression: in a `sequential` body, the next layer; elsewhere a value nobody names (a warning). */
export interface ExprStmt extends Trivia {
  readonly kind: "expr";
  readonly expr: Expr;
  readonly span: Span;
}

/** `outputs a, b` — the model's outputs, in order. */
export interface OutputsStmt extends Trivia {
  readonly kind: "outputs";
  readonly values: readonly NameExpr[];
  readonly span: Span;
}

/** `return y` or `return a, b` — a block's results. */
export interface ReturnStmt extends Trivia {
  readonly kind: "return";
  readonly values: readonly Expr[];
  readonly span: Span;
}

/** `dim T` or `dim T, B` — named symbolic dimensions, usable wherever a shape takes an integer. */
export interface DimStmt extends Trivia {
  readonly kind: "dim";
  readonly names: readonly Identifier[];
  readonly span: Span;
}

export type Stmt = AssignStmt | ExprStmt | OutputsStmt | ReturnStmt | DimStmt;

// ---- top-level items ----------------------------------------------------------------------------

/** `import "other.kml"` — makes the other file's models, blocks and dims visible. */
export interface ImportDecl extends Trivia {
  readonly kind: "import";
  readonly path: StringLiteral;
  readonly span: Span;
}

/** `sequential NAME [(header kwargs)] { layer ... }`; header kwargs such as `input_shape=(784,)`. */
export interface SequentialDecl extends Trivia {
  readonly kind: "sequential";
  readonly name: Identifier;
  readonly headerArgs: readonly KeywordArg[];
  readonly body: readonly Stmt[];
  /** Comments after the last statement, before the closing `}`. */
  readonly closingComments: readonly Comment[];
  readonly span: Span;
}

/** `model NAME { ... outputs a, b }` — a functional model. */
export interface ModelDecl extends Trivia {
  readonly kind: "model";
  readonly name: Identifier;
  readonly body: readonly Stmt[];
  readonly closingComments: readonly Comment[];
  readonly span: Span;
}

/** A block parameter: `filters` or `kernel=3`. */
export interface Param {
  readonly name: Identifier;
  readonly default: Expr | null;
  readonly span: Span;
}

/**
 * `block NAME(params) { ...; return y }` — a reusable sub-graph expanded at each call site.
 * Called as `y = NAME(x, 16)` in a model, or as a line `NAME(16)` in a sequential body
 * (there the running tensor is the first argument).
 */
export interface BlockDecl extends Trivia {
  readonly kind: "block";
  readonly name: Identifier;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly closingComments: readonly Comment[];
  readonly span: Span;
}

export type Item = ImportDecl | SequentialDecl | ModelDecl | BlockDecl | DimStmt;

export interface KmlFile {
  readonly kind: "file";
  /** The path the file was read from (or a name given by the API caller). */
  readonly path: string;
  readonly items: readonly Item[];
  /** Comments after the last item. */
  readonly closingComments: readonly Comment[];
  readonly span: Span;
}
