// Meaning for the grammar: a CST visitor that builds the AST of ast.ts, with spans as character offsets,
// comments attached as Trivia, literals decoded, and the argument-order rules checked. It tolerates the
// partial trees error recovery leaves behind: anything missing is skipped, never invented.
import type { CstNode, IToken } from "chevrotain";
import {
  duplicateKeywordArgument,
  duplicateParameter,
  nonDefaultParameterAfterDefault,
  positionalAfterKeyword,
  positionalHeaderArgument,
} from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source.js";
import type {
  BinaryOperator,
  BlockDecl,
  Comment,
  DimStmt,
  Expr,
  Identifier,
  ImportDecl,
  Item,
  KeywordArg,
  KmlFile,
  ModelDecl,
  NameExpr,
  Param,
  SequentialDecl,
  Stmt,
  StringLiteral,
  Trivia,
  UnaryOperator,
} from "./ast.js";
import type {
  ArgumentCstChildren,
  AssignmentCstChildren,
  BlockDeclCstChildren,
  BodyCstChildren,
  BodyCstNode,
  CallArgumentsCstChildren,
  CallArgumentsCstNode,
  DimStatementCstChildren,
  ExpressionCstChildren,
  ExpressionCstNode,
  ExpressionListCstChildren,
  ExpressionListCstNode,
  FileCstChildren,
  ImportDeclCstChildren,
  ItemCstChildren,
  KmlCstVisitor,
  LambdaExpressionCstChildren,
  ListCstChildren,
  ModelDeclCstChildren,
  OperandCstChildren,
  OutputsStatementCstChildren,
  ParameterCstChildren,
  ParameterCstNode,
  ParenthesizedCstChildren,
  ReturnStatementCstChildren,
  SequentialDeclCstChildren,
  StatementCstChildren,
} from "./cst.js";
import { isSynthetic } from "./layout.js";
import { decodeFloat, decodeInt, decodeString } from "./literals.js";
import { kmlParser } from "./parser.js";
import { attachTrivia, type CommentCursor, hasBlankLineBetween } from "./trivia.js";

/** A token the user wrote (not one invented by recovery), or undefined. */
function written(tokens: readonly IToken[] | undefined, index = 0): IToken | undefined {
  const token = tokens?.[index];
  return token === undefined || token.isInsertedInRecovery || Number.isNaN(token.startOffset)
    ? undefined
    : token;
}

/** Every token the user wrote, in order. */
function allWritten(tokens: readonly IToken[] | undefined): IToken[] {
  return (tokens ?? []).filter((t) => !t.isInsertedInRecovery && !Number.isNaN(t.startOffset));
}

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

/**
 * Whether a declaration got as far as its `{`. One that did not (a broken header) is left out of the
 * AST rather than kept as an empty model that later stages would complain about again.
 */
function hasBody(body: readonly BodyCstNode[] | undefined): boolean {
  return written(body?.[0]?.children.LBrace) !== undefined;
}

/** Positional and keyword arguments of one call, already checked for order and duplicates. */
interface Arguments {
  readonly args: Expr[];
  readonly kwargs: KeywordArg[];
}

/** A statement or item before its Trivia is attached (distributes over unions, unlike Omit). */
type Bare<T> = T extends unknown ? Omit<T, keyof Trivia> : never;

/**
 * Completes a node built by this visitor with its trivia. The node is fresh and not yet shared, so
 * adding the fields in place is safe, and far cheaper than an object spread per statement.
 */
function withTrivia<T extends object>(node: T, trivia: Trivia): T & Trivia {
  return Object.assign(node, trivia);
}

/** Binding strength of the flat binary operators (`**` binds tighter still and is parsed in `operand`). */
const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  "+": 1,
  "-": 1,
  "*": 2,
  "/": 2,
  "//": 2,
  "%": 2,
  "**": 3,
};

const BaseVisitor = kmlParser.getBaseCstVisitorConstructor();

/** Builds one file's AST; create one per parse (it holds that parse's comments and diagnostics). */
export class CstToAst extends BaseVisitor implements KmlCstVisitor<void, unknown> {
  constructor(
    private readonly source: SourceFile,
    private readonly comments: CommentCursor,
    private readonly diagnostics: Diagnostic[],
  ) {
    super();
    this.validateVisitor();
  }

  private span(start: number, end: number): Span {
    return this.source.span(start, end);
  }

  private tokenSpan(token: IToken): Span {
    return this.source.span(token.startOffset, tokenEnd(token));
  }

  private identifier(token: IToken): Identifier {
    return { name: token.image, span: this.tokenSpan(token) };
  }

  private expr(node: ExpressionCstNode | undefined): Expr | null {
    return node === undefined ? null : (this.visit(node) as Expr | null);
  }

  private node<T>(node: CstNode | undefined): T | null {
    return node === undefined ? null : (this.visit(node) as T | null);
  }

  // ---- file and items ---------------------------------------------------------------------------

  file(ctx: FileCstChildren): KmlFile {
    const items: Item[] = [];
    for (const node of ctx.item ?? []) {
      const item = this.node<Item>(node);
      if (item !== null) items.push(item);
    }
    return {
      kind: "file",
      path: this.source.path,
      items,
      closingComments: this.comments.rest(),
      span: this.span(0, this.source.text.length),
    };
  }

  /** The end of the previous item, for blank-line detection. */
  private previousItemEnd = 0;

  /** Imports and dims get their trivia here; declarations attach their own around their bodies. */
  item(ctx: ItemCstChildren): Item | null {
    const simple = ctx.importDecl?.[0] ?? ctx.dimStatement?.[0];
    let item: Item | null;
    if (simple !== undefined) {
      const bare = this.node<Bare<ImportDecl | DimStmt>>(simple);
      item = bare === null ? null : (withTrivia(bare, this.trivia(this.previousItemEnd, bare.span)) as Item);
    } else {
      item = this.node<Item>(ctx.sequentialDecl?.[0] ?? ctx.modelDecl?.[0] ?? ctx.blockDecl?.[0]);
    }
    if (item !== null) this.previousItemEnd = item.span.end;
    return item;
  }

  importDecl(ctx: ImportDeclCstChildren): Bare<ImportDecl> | null {
    const keyword = written(ctx.Import);
    const pathToken = written(ctx.StringLiteral);
    if (keyword === undefined || pathToken === undefined) return null;
    const path = this.stringLiteral(pathToken);
    return { kind: "import", path, span: this.span(keyword.startOffset, path.span.end) };
  }

  sequentialDecl(ctx: SequentialDeclCstChildren): SequentialDecl | null {
    const keyword = written(ctx.Sequential);
    const name = written(ctx.Identifier);
    if (keyword === undefined || name === undefined || !hasBody(ctx.body)) return null;
    const leading = this.declLeading(keyword, ctx.body?.[0]);
    const headerArgs = this.headerArguments(ctx.callArguments?.[0], name.image);
    return {
      kind: "sequential",
      name: this.identifier(name),
      headerArgs,
      ...this.declBody(keyword, leading, ctx.body?.[0]),
    };
  }

  modelDecl(ctx: ModelDeclCstChildren): ModelDecl | null {
    const keyword = written(ctx.Model);
    const name = written(ctx.Identifier);
    if (keyword === undefined || name === undefined || !hasBody(ctx.body)) return null;
    const leading = this.declLeading(keyword, ctx.body?.[0]);
    return { kind: "model", name: this.identifier(name), ...this.declBody(keyword, leading, ctx.body?.[0]) };
  }

  blockDecl(ctx: BlockDeclCstChildren): BlockDecl | null {
    const keyword = written(ctx.Block);
    const name = written(ctx.Identifier);
    if (keyword === undefined || name === undefined || !hasBody(ctx.body)) return null;
    const leading = this.declLeading(keyword, ctx.body?.[0]);
    const params = this.parameters(ctx.parameter ?? []);
    return {
      kind: "block",
      name: this.identifier(name),
      params,
      ...this.declBody(keyword, leading, ctx.body?.[0]),
    };
  }

  /** Comments above a declaration and in its header (before the `{`): all lead the declaration. */
  private declLeading(
    keyword: IToken,
    body: BodyCstNode | undefined,
  ): { comments: Comment[]; blank: boolean } {
    const comments = this.comments.takeBefore(keyword.startOffset);
    const brace = written(body?.children.LBrace);
    if (brace !== undefined) for (const c of this.comments.takeBefore(brace.startOffset)) comments.push(c);
    return {
      comments,
      blank: hasBlankLineBetween(this.source.text, this.previousItemEnd, keyword.startOffset),
    };
  }

  /** A declaration's body statements, closing comments, span and trivia (trailing comment after `}`). */
  private declBody(
    keyword: IToken,
    leading: { comments: Comment[]; blank: boolean },
    body: BodyCstNode | undefined,
  ): { body: Stmt[]; closingComments: Comment[]; span: Span } & Trivia {
    const statements = body === undefined ? [] : (this.visit(body) as Stmt[]);
    const close = written(body?.children.RBrace);
    // The layout pass closes every `{`, so `close` is missing only in a body cut short by an error.
    const closeOffset =
      close?.startOffset ?? statements[statements.length - 1]?.span.end ?? tokenEnd(keyword);
    const closingComments = this.comments.takeBefore(closeOffset);
    const end = close !== undefined && !isSynthetic(close) ? tokenEnd(close) : closeOffset;
    return {
      body: statements,
      closingComments,
      span: this.span(keyword.startOffset, end),
      leadingComments: leading.comments,
      trailingComment: this.comments.takeTrailing(end),
      blankLineBefore: leading.blank,
    };
  }

  /** Statements converted as soon as they were parsed, by their (since emptied) CST node. */
  private readonly parsedStatements = new Map<CstNode, Bare<Stmt> | null>();

  /**
   * Converts a statement the parser has just finished (KmlParser.onStatement) and empties its CST node,
   * so the subtree dies young instead of living until the whole file is parsed. Trivia is attached later,
   * by `body`: the comments are taken in source order, and a declaration's header comes first.
   */
  statementParsed(node: CstNode): void {
    this.parsedStatements.set(node, this.node<Bare<Stmt>>(node));
    (node as { children: CstNode["children"] }).children = {};
  }

  body(ctx: BodyCstChildren): Stmt[] {
    const statements: Stmt[] = [];
    const brace = written(ctx.LBrace);
    let previousEnd = brace === undefined ? 0 : tokenEnd(brace);
    for (const node of ctx.statement ?? []) {
      const parsed = this.parsedStatements.get(node);
      // A statement an error cut short reached the CST without passing through `statementParsed`.
      const statement = parsed !== undefined ? parsed : this.node<Bare<Stmt>>(node);
      if (statement === null) continue;
      statements.push(withTrivia(statement, this.trivia(previousEnd, statement.span)) as Stmt);
      previousEnd = statement.span.end;
    }
    return statements;
  }

  private trivia(previousEnd: number, span: Span): Trivia {
    return attachTrivia(this.comments, this.source.text, previousEnd, span.start, span.end);
  }

  // ---- statements (returned without trivia; `body` and `item` attach it in source order) -----------

  statement(ctx: StatementCstChildren): Bare<Stmt> | null {
    const node =
      ctx.assignment?.[0] ?? ctx.outputsStatement?.[0] ?? ctx.returnStatement?.[0] ?? ctx.dimStatement?.[0];
    if (node !== undefined) return this.node<Bare<Stmt>>(node);
    const expr = this.expr(ctx.expression?.[0]);
    return expr === null ? null : { kind: "expr", expr, span: expr.span };
  }

  assignment(ctx: AssignmentCstChildren): Bare<Stmt> | null {
    const targets = allWritten(ctx.Identifier).map((t) => this.identifier(t));
    const value = this.expr(ctx.expression?.[0]);
    const first = targets[0];
    if (first === undefined || value === null) return null;
    return { kind: "assign", targets, value, span: this.span(first.span.start, value.span.end) };
  }

  outputsStatement(ctx: OutputsStatementCstChildren): Bare<Stmt> | null {
    const keyword = written(ctx.Outputs);
    const values: NameExpr[] = allWritten(ctx.Identifier).map((t) => ({
      kind: "name",
      name: t.image,
      span: this.tokenSpan(t),
    }));
    const last = values[values.length - 1];
    if (keyword === undefined || last === undefined) return null;
    return { kind: "outputs", values, span: this.span(keyword.startOffset, last.span.end) };
  }

  returnStatement(ctx: ReturnStatementCstChildren): Bare<Stmt> | null {
    const keyword = written(ctx.Return);
    const values = (ctx.expression ?? []).map((e) => this.expr(e)).filter((e): e is Expr => e !== null);
    const last = values[values.length - 1];
    if (keyword === undefined || last === undefined) return null;
    return { kind: "return", values, span: this.span(keyword.startOffset, last.span.end) };
  }

  /** `dim T, B`, at top level or in a body (trivia is added by `item` or `body`). */
  dimStatement(ctx: DimStatementCstChildren): Bare<DimStmt> | null {
    const keyword = written(ctx.Dim);
    const names = allWritten(ctx.Identifier).map((t) => this.identifier(t));
    const last = names[names.length - 1];
    if (keyword === undefined || last === undefined) return null;
    return { kind: "dim", names, span: this.span(keyword.startOffset, last.span.end) };
  }

  // ---- expressions ------------------------------------------------------------------------------

  /** Applies precedence to the flat `operand (op operand)*` list: `*` `/` `//` `%` before `+` `-`, left to right. */
  expression(ctx: ExpressionCstChildren): Expr | null {
    const lambda = ctx.lambdaExpression?.[0];
    if (lambda !== undefined) return this.node<Expr>(lambda);
    const operands = ctx.operand ?? [];
    const first = this.node<Expr>(operands[0]);
    if (operands.length === 1 || first === null) return first;
    const operators = ctx.BinaryOperator ?? [];
    const values: Expr[] = [first];
    const pending: BinaryOperator[] = [];
    for (let i = 1; i < operands.length; i++) {
      const right = this.node<Expr>(operands[i]);
      const op = written(operators, i - 1);
      // An operand lost to recovery ends the chain there; what was read so far is kept.
      if (right === null || op === undefined) break;
      const operator = op.image as BinaryOperator;
      while (pending.length > 0 && PRECEDENCE[pending[pending.length - 1]!] >= PRECEDENCE[operator]) {
        this.reduce(values, pending);
      }
      pending.push(operator);
      values.push(right);
    }
    while (pending.length > 0) this.reduce(values, pending);
    return values[0]!;
  }

  private reduce(values: Expr[], pending: BinaryOperator[]): void {
    const right = values.pop()!;
    const left = values.pop()!;
    const op = pending.pop()!;
    values.push({ kind: "binary", op, left, right, span: this.span(left.span.start, right.span.end) });
  }

  lambdaExpression(ctx: LambdaExpressionCstChildren): Expr | null {
    const keyword = written(ctx.Lambda);
    const body = this.expr(ctx.expression?.[0]);
    if (keyword === undefined || body === null) return null;
    const params = allWritten(ctx.Identifier).map((t) => this.identifier(t));
    this.checkUniqueNames(params);
    return { kind: "lambda", params, body, span: this.span(keyword.startOffset, body.span.end) };
  }

  /** Signs (outermost first), a primary, its calls, then `** operand`: `-a(x) ** 2` is `-((a(x)) ** 2)`. */
  operand(ctx: OperandCstChildren): Expr | null {
    let value = this.primary(ctx);
    for (const call of ctx.callArguments ?? []) {
      if (value === null) break;
      const { args, kwargs, end } = this.visit(call) as Arguments & { end: number };
      value = { kind: "call", callee: value, args, kwargs, span: this.span(value.span.start, end) };
    }
    if (value === null) return null;
    const exponent = this.node<Expr>(ctx.operand?.[0]);
    if (exponent !== null && written(ctx.StarStar) !== undefined) {
      value = {
        kind: "binary",
        op: "**",
        left: value,
        right: exponent,
        span: this.span(value.span.start, exponent.span.end),
      };
    }
    const signs = ctx.Sign ?? [];
    for (let i = signs.length - 1; i >= 0; i--) {
      const sign = written(signs, i);
      if (sign === undefined) continue;
      const operand: Expr = value;
      value = {
        kind: "unary",
        op: sign.image as UnaryOperator,
        operand,
        span: this.span(sign.startOffset, operand.span.end),
      };
    }
    return value;
  }

  private primary(ctx: OperandCstChildren): Expr | null {
    const diagnostics = this.diagnostics;
    const source = this.source;
    let token = written(ctx.IntLiteral);
    if (token !== undefined) {
      const value = decodeInt(token.image, token.startOffset, source, diagnostics);
      return { kind: "int", value, span: this.tokenSpan(token) };
    }
    token = written(ctx.FloatLiteral);
    if (token !== undefined) {
      const value = decodeFloat(token.image, token.startOffset, source, diagnostics);
      return { kind: "float", value, span: this.tokenSpan(token) };
    }
    token = written(ctx.StringLiteral);
    if (token !== undefined) return this.stringLiteral(token);
    token = written(ctx.True) ?? written(ctx.False);
    if (token !== undefined)
      return { kind: "bool", value: token.image === "True", span: this.tokenSpan(token) };
    token = written(ctx.None);
    if (token !== undefined) return { kind: "none", span: this.tokenSpan(token) };
    token = written(ctx.Identifier);
    if (token !== undefined) return { kind: "name", name: token.image, span: this.tokenSpan(token) };
    return this.node<Expr>(ctx.parenthesized?.[0] ?? ctx.list?.[0]);
  }

  /** The arguments of one call, checked against Python's rules: positional first, each keyword once. */
  callArguments(ctx: CallArgumentsCstChildren): Arguments & { end: number } {
    const close = written(ctx.RParen);
    const open = written(ctx.LParen);
    const end = close === undefined || isSynthetic(close) ? (open ? tokenEnd(open) : 0) : tokenEnd(close);
    const args: Expr[] = [];
    const kwargs: KeywordArg[] = [];
    for (const node of ctx.argument ?? []) {
      const argument = this.visit(node) as KeywordArg | Expr | null;
      if (argument === null) continue;
      if ("kind" in argument) {
        const lastKeyword = kwargs[kwargs.length - 1];
        if (lastKeyword !== undefined) {
          this.diagnostics.push(
            positionalAfterKeyword(argument.span, lastKeyword.name.span, lastKeyword.name.name),
          );
        }
        args.push(argument);
        continue;
      }
      const previous = kwargs.find((k) => k.name.name === argument.name.name);
      if (previous !== undefined) {
        this.diagnostics.push(
          duplicateKeywordArgument(argument.name.span, argument.name.name, previous.name.span),
        );
      }
      kwargs.push(argument);
    }
    return {
      args,
      kwargs,
      end: Math.max(end, args[args.length - 1]?.span.end ?? 0, kwargs[kwargs.length - 1]?.span.end ?? 0),
    };
  }

  /** An argument: an Expr when positional, a KeywordArg (which has no `kind`) when named. */
  argument(ctx: ArgumentCstChildren): KeywordArg | Expr | null {
    const value = this.expr(ctx.expression?.[0]);
    if (value === null) return null;
    const name = written(ctx.Identifier);
    if (name === undefined) return value;
    return { name: this.identifier(name), value, span: this.span(name.startOffset, value.span.end) };
  }

  private stringLiteral(token: IToken): StringLiteral {
    const value = decodeString(token.image, token.startOffset, this.source, this.diagnostics);
    return { kind: "string", value, span: this.tokenSpan(token) };
  }

  /** `(e)` is `e` itself; with a comma, or empty, it is a tuple. */
  parenthesized(ctx: ParenthesizedCstChildren): Expr | null {
    const open = written(ctx.LParen);
    const list = ctx.expressionList?.[0];
    const items = list === undefined ? [] : (this.visit(list) as Expr[]);
    const isTuple = list === undefined || (list.children.Comma?.length ?? 0) > 0;
    const inner = items[0];
    if (open === undefined || (!isTuple && inner === undefined)) return null;
    const span = this.span(open.startOffset, this.closeEnd(ctx.RParen, items, open));
    // `(e)` is `e` itself, but its span takes in the parentheses, so `a * (b + 1)` underlines to the `)`.
    if (!isTuple && inner !== undefined) return { ...inner, span };
    return { kind: "tuple", items, span };
  }

  list(ctx: ListCstChildren): Expr | null {
    const open = written(ctx.LBracket);
    if (open === undefined) return null;
    const list: ExpressionListCstNode | undefined = ctx.expressionList?.[0];
    const items = list === undefined ? [] : (this.visit(list) as Expr[]);
    return {
      kind: "list",
      items,
      span: this.span(open.startOffset, this.closeEnd(ctx.RBracket, items, open)),
    };
  }

  /** Where a bracketed expression ends: its closer, or (when the closer was invented) its last item. */
  private closeEnd(closers: IToken[] | undefined, items: readonly Expr[], open: IToken): number {
    const close = written(closers);
    if (close !== undefined && !isSynthetic(close)) return tokenEnd(close);
    return items[items.length - 1]?.span.end ?? tokenEnd(open);
  }

  expressionList(ctx: ExpressionListCstChildren): Expr[] {
    return (ctx.expression ?? []).map((e) => this.expr(e)).filter((e): e is Expr => e !== null);
  }

  // ---- declarations' parameters and header ------------------------------------------------------

  /** `sequential m(input_shape=(784,))`: keyword arguments only. */
  private headerArguments(list: CallArgumentsCstNode | undefined, modelName: string): KeywordArg[] {
    if (list === undefined) return [];
    const { args, kwargs } = this.visit(list) as Arguments;
    for (const arg of args) this.diagnostics.push(positionalHeaderArgument(arg.span, modelName));
    return kwargs;
  }

  private parameters(nodes: readonly ParameterCstNode[]): Param[] {
    const params = nodes.map((n) => this.visit(n) as Param | null).filter((p): p is Param => p !== null);
    this.checkUniqueNames(params.map((p) => p.name));
    let defaulted: Param | undefined;
    for (const param of params) {
      if (param.default !== null) defaulted = param;
      else if (defaulted !== undefined) {
        this.diagnostics.push(
          nonDefaultParameterAfterDefault(param.span, param.name.name, defaulted.name.name),
        );
      }
    }
    return params;
  }

  parameter(ctx: ParameterCstChildren): Param | null {
    const name = written(ctx.Identifier);
    if (name === undefined) return null;
    const value = this.expr(ctx.expression?.[0]);
    const end = value?.span.end ?? tokenEnd(name);
    return { name: this.identifier(name), default: value, span: this.span(name.startOffset, end) };
  }

  private checkUniqueNames(names: readonly Identifier[]): void {
    const seen = new Map<string, Identifier>();
    for (const name of names) {
      const first = seen.get(name.name);
      if (first !== undefined) this.diagnostics.push(duplicateParameter(name.span, name.name, first.span));
      else seen.set(name.name, name);
    }
  }
}
