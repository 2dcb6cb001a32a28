// The .kml grammar as a chevrotain CstParser: rules only (meaning lives in cst-to-ast.ts), plus one hook
// that hands each body statement's CST to a listener the moment it is parsed (see `onStatement`).
// grammar/kml.ebnf documents the same rules; grammar/generate.ts checks that it names every one.
import { type CstNode, CstParser, type IOrAlt, type TokenType } from "chevrotain";
import { errorInfoProvider } from "./error-info.js";
import {
  BinaryOperator,
  Block,
  Colon,
  Comma,
  Dim,
  Equals,
  False,
  FloatLiteral,
  Identifier,
  Import,
  IntLiteral,
  Lambda,
  LBrace,
  LBracket,
  LParen,
  Model,
  Newline,
  None,
  Outputs,
  parserTokens,
  RBrace,
  RBracket,
  Return,
  RParen,
  Sequential,
  Sign,
  StarStar,
  StringLiteral,
  True,
} from "./tokens.js";

/**
 * Tokens chevrotain may invent to repair a single missing token. A made-up name lets the rest of a
 * declaration parse (`model {` still reads its body); cst-to-ast.ts skips nodes whose name was made up.
 */
const INSERTABLE: ReadonlySet<TokenType> = new Set([Identifier, RParen, RBracket, Comma, Colon, Equals]);

export class KmlParser extends CstParser {
  // Alternatives are built once and reused: chevrotain would otherwise allocate the array and its closures
  // on every rule invocation, garbage that dominated parse time on large files (chevrotain's performance guide).
  private readonly alternativesByRule = new Map<string, IOrAlt<unknown>[]>();

  /**
   * Called with each body statement as soon as it is parsed, so its CST can be converted and dropped
   * while still young: a whole file's CST kept to the end is most of a large parse's peak heap.
   * A statement cut short by an error that recovery resolves above it is not passed here.
   */
  onStatement: ((statement: CstNode) => void) | undefined;

  constructor() {
    super(parserTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorInfoProvider });
    this.performSelfAnalysis();
  }

  /** A file: declarations, one per line. */
  /**
   * A file: lines, each a newline then at most one declaration. The newline comes first (the layout pass
   * puts one at the start of the file) so that what may follow an item is only a newline: a broken
   * item resynchronises at the end of its line, and trailing junk is skipped up to the next line.
   */
  file = this.RULE("file", () => {
    this.MANY(() => {
      this.CONSUME(Newline);
      this.OPTION(() => this.SUBRULE(this.item));
    });
  });

  item = this.RULE("item", () => {
    this.OR(
      this.alternatives("item", () => [
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.dimStatement) },
        { ALT: () => this.SUBRULE(this.sequentialDecl) },
        { ALT: () => this.SUBRULE(this.modelDecl) },
        { ALT: () => this.SUBRULE(this.blockDecl) },
      ]),
    );
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(Import);
    this.CONSUME(StringLiteral);
  });

  sequentialDecl = this.RULE("sequentialDecl", () => {
    this.CONSUME(Sequential);
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.callArguments));
    this.SUBRULE(this.body);
  });

  modelDecl = this.RULE("modelDecl", () => {
    this.CONSUME(Model);
    this.CONSUME(Identifier);
    this.SUBRULE(this.body);
  });

  blockDecl = this.RULE("blockDecl", () => {
    this.CONSUME(Block);
    this.CONSUME(Identifier);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.parameter);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.parameter);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RParen);
    this.SUBRULE(this.body);
  });

  parameter = this.RULE("parameter", () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.expression);
    });
  });

  /** `{` then lines, each a newline and at most one statement (the layout pass puts a newline after `{`). */
  body = this.RULE("body", () => {
    this.CONSUME(LBrace);
    this.MANY(this.bodyLine);
    this.CONSUME(RBrace);
  });

  statement = this.RULE("statement", () => {
    this.OR(
      this.alternatives("statement", () => [
        { ALT: () => this.SUBRULE(this.assignment) },
        { ALT: () => this.SUBRULE(this.outputsStatement) },
        { ALT: () => this.SUBRULE(this.returnStatement) },
        { ALT: () => this.SUBRULE(this.dimStatement) },
        // A bare expression: a layer line in a sequential body.
        { ALT: () => this.SUBRULE(this.expression) },
      ]),
    );
  });

  /** `x = expr` or `out, h, c = expr`. */
  assignment = this.RULE("assignment", () => {
    this.CONSUME(Identifier);
    this.MANY(this.moreNames);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  outputsStatement = this.RULE("outputsStatement", () => {
    this.CONSUME(Outputs);
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(Identifier);
    });
  });

  returnStatement = this.RULE("returnStatement", () => {
    this.CONSUME(Return);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expression);
    });
  });

  dimStatement = this.RULE("dimStatement", () => {
    this.CONSUME(Dim);
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(Identifier);
    });
  });

  /**
   * A lambda, or operands joined by binary operators. The operators are kept flat, in source order, and
   * cst-to-ast.ts applies Python's precedence; a flat rule keeps the CST small (parsing speed).
   */
  expression = this.RULE("expression", () => {
    this.OR(
      this.alternatives("expression", () => [
        { ALT: () => this.SUBRULE(this.lambdaExpression) },
        {
          ALT: () => {
            this.SUBRULE(this.operand);
            this.MANY(this.moreOperands);
          },
        },
      ]),
    );
  });

  /** `lambda a, b: body` — parameters are optional, as in Python. */
  lambdaExpression = this.RULE("lambdaExpression", () => {
    this.CONSUME(Lambda);
    this.OPTION(() => {
      this.CONSUME(Identifier);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.CONSUME2(Identifier);
      });
    });
    this.CONSUME(Colon);
    this.SUBRULE(this.expression);
  });

  /**
   * Signs, a primary value, calls on it, then an optional `** operand`. Signs bind looser than `**`
   * (`-2 ** 2` is `-(2 ** 2)`) and `**` is right-associative with a signed right side (`2 ** -1`), as in Python.
   * Calls chain: `Dense(8)`, `Dense(8)(x)`, `Add()([a, b])`.
   */
  operand = this.RULE("operand", () => {
    this.MANY(this.sign);
    this.OR(
      this.alternatives("operand", () => [
        { ALT: () => this.CONSUME(IntLiteral) },
        { ALT: () => this.CONSUME(FloatLiteral) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(True) },
        { ALT: () => this.CONSUME(False) },
        { ALT: () => this.CONSUME(None) },
        { ALT: () => this.CONSUME(Identifier) },
        { ALT: () => this.SUBRULE(this.parenthesized) },
        { ALT: () => this.SUBRULE(this.list) },
      ]),
    );
    this.MANY2(this.call);
    this.OPTION(this.power);
  });

  /** `(args)`: positional and `name=value` arguments (their order is checked in cst-to-ast.ts). */
  callArguments = this.RULE("callArguments", () => {
    this.CONSUME(LParen);
    this.OPTION(this.argumentList);
    this.CONSUME(RParen);
  });

  /** `value` or `name=value`. */
  argument = this.RULE("argument", () => {
    this.OPTION(this.keyword);
    this.SUBRULE(this.expression);
  });

  /** `(e)` is just `e`; `()`, `(e,)` and `(a, b)` are tuples — the commas decide. */
  parenthesized = this.RULE("parenthesized", () => {
    this.CONSUME(LParen);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(RParen);
  });

  list = this.RULE("list", () => {
    this.CONSUME(LBracket);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(RBracket);
  });

  /** `a, b` with an optional trailing comma. */
  expressionList = this.RULE("expressionList", () => {
    this.SUBRULE(this.expression);
    this.MANY(this.moreExpressions);
    this.OPTION(this.trailingComma);
  });

  // ---- the bodies of the per-line rules' repetitions and options, built once ---------------------
  // chevrotain takes a closure per MANY / OPTION; written inline, every rule call would allocate them
  // anew (some 25 per layer line). Only what runs at every line is hoisted; declarations keep theirs inline.

  private readonly bodyLine = () => {
    this.CONSUME(Newline);
    this.OPTION(this.bodyStatement);
  };

  private readonly bodyStatement = () => {
    const statement = this.SUBRULE(this.statement);
    this.ACTION(() => this.onStatement?.(statement));
  };

  /** `, name` after the first name of an assignment. */
  private readonly moreNames = () => {
    this.CONSUME(Comma);
    this.CONSUME2(Identifier);
  };

  private readonly moreOperands = () => {
    this.CONSUME(BinaryOperator);
    this.SUBRULE2(this.operand);
  };

  private readonly sign = () => this.CONSUME(Sign);

  private readonly call = () => this.SUBRULE(this.callArguments);

  private readonly power = () => {
    this.CONSUME(StarStar);
    this.SUBRULE2(this.operand);
  };

  private readonly argumentList = () => {
    this.SUBRULE(this.argument);
    this.MANY(this.moreArguments);
    this.OPTION2(this.trailingComma);
  };

  private readonly moreArguments = () => {
    this.CONSUME(Comma);
    this.SUBRULE2(this.argument);
  };

  /** `name=` before an argument's value. */
  private readonly keyword = () => {
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
  };

  private readonly moreExpressions = () => {
    this.CONSUME(Comma);
    this.SUBRULE2(this.expression);
  };

  private readonly trailingComma = () => this.CONSUME2(Comma);

  /** The rule's OR alternatives, built on its first invocation and reused after. */
  private alternatives(rule: string, build: () => IOrAlt<unknown>[]): IOrAlt<unknown>[] {
    let alternatives = this.alternativesByRule.get(rule);
    if (!alternatives) {
      alternatives = build();
      this.alternativesByRule.set(rule, alternatives);
    }
    return alternatives;
  }

  override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return INSERTABLE.has(tokType);
  }

  /**
   * Deleting one stray token is a fine repair (`Dense(3 4)`), but not of a newline (it would glue the next
   * line onto this one), and not to reach a name (`outputs = Dense(1)` would read `Dense` as the output).
   */
  override canTokenTypeBeDeletedInRecovery(expected: TokenType): boolean {
    return expected !== Identifier && this.LA(1).tokenType !== Newline;
  }
}

/** The one parser instance (chevrotain's self-analysis is costly; reuse by setting `parser.input`). */
export const kmlParser = new KmlParser();
