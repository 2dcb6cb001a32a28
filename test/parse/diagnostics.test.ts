// One test per syntax diagnostic code (KML101–KML112, KML199): its code, its exact span, its words.
import { describe, expect, it } from "vitest";
import { internalParserError } from "../../src/compiler/diagnostics/catalogue/syntax.js";
import { codesAt, parse, where } from "./helpers.js";

/** The only diagnostic of a parse, checked to be the only one. */
function only(text: string) {
  const parsed = parse(text);
  expect(codesAt(parsed)).toHaveLength(1);
  return { ...parsed.diagnostics[0]!, at: where(parsed.source, parsed.diagnostics[0]!.span), parsed };
}

describe("KML101 unexpected token", () => {
  it("says what a statement needed and what it found", () => {
    const d = only("model m {\n  x = \n  outputs x\n}\n");
    expect(d.code).toBe("KML101");
    expect(d.at).toBe("2:7-2:7"); // an end of line is an empty span right after the code
    expect(d.message).toBe(
      "expected a value (a number, a string, a name, `(`, `[` or `lambda`), found end of line",
    );
  });

  it("reports two statements on one line at the second one", () => {
    const d = only("sequential s {\n  Dense(8) Dense(3)\n}\n");
    expect(d.code).toBe("KML101");
    expect(d.at).toBe("2:12-2:17");
    expect(d.message).toBe("expected end of line, found the name `Dense`");
    expect(d.hint).toBe("put each statement on its own line");
  });

  it("asks for a declaration at the top level", () => {
    const d = only("Dense(3)\nmodel m {\n  outputs x\n}\n");
    expect(d.code).toBe("KML101");
    expect(d.at).toBe("1:1-1:6");
    expect(d.message).toBe(
      "expected a declaration (`sequential`, `model`, `block`, `import` or `dim`), found the name `Dense`",
    );
  });

  it("explains a reserved word used as a name", () => {
    const d = only("model m {\n  outputs = Dense(1)(x)\n}\n");
    expect(d.code).toBe("KML101");
    expect(d.at).toBe("2:11-2:12");
    expect(d.message).toBe("expected a name, found `=`");
    expect(d.hint).toBe("`outputs` is a reserved word in .kml and cannot be assigned; choose another name");
    const named = only("model model {\n}\n");
    expect(named.at).toBe("1:7-1:12");
    expect(named.message).toBe("expected a name, found the keyword `model`");
    expect(named.hint).toBe("`model` is a reserved word in .kml; choose another name");
  });

  it("asks for a comma or the closing bracket when list items run together", () => {
    const d = only('sequential s {\n  Dense(10 activation="relu")\n}\n');
    expect(d.code).toBe("KML101");
    expect(d.at).toBe("2:12-2:22");
    expect(d.message).toBe("expected `,` or `)`, found the name `activation`");
    expect(d.hint).toBe("separate the items with `,`");
  });

  it("points at the end of the file when the file stops mid-statement", () => {
    const d = only("import");
    expect(d.code).toBe("KML101");
    expect(d.at).toBe("1:7-1:7");
    expect(d.message).toBe("expected a string, found end of file");
  });
});

describe("KML102 missing closing bracket", () => {
  it("reports a `)` missing at the end of the line and points at the `(`", () => {
    const d = only(
      'model m {\n  x = Input(shape=(3,))\n  y = Dense(8, activation="relu"(x)\n  outputs y\n}\n',
    );
    expect(d.code).toBe("KML102");
    expect(d.at).toBe("3:36-3:36");
    expect(d.message).toBe("expected `)` to close the call opened at 3:12, found end of line");
    expect(d.related?.map((r) => `${where(d.parsed.source, r.span)} ${r.message}`)).toEqual([
      "3:12-3:13 the call opened here",
    ]);
  });

  it("reports a `]` missing before a `)`", () => {
    const d = only("model m {\n  y = Add()([a, b)\n}\n");
    expect(d.code).toBe("KML102");
    expect(d.at).toBe("2:18-2:19");
    expect(d.message).toBe("expected `]` to close the list opened at 2:13, found `)`");
  });

  it("reports a `)` missing where a `]` closes nothing, on the next line", () => {
    const d = only("model m {\n  v = Dense(8)(x\n  ]\n}\n");
    expect(d.code).toBe("KML102");
    expect(d.at).toBe("3:3-3:4");
    expect(d.message).toBe("expected `)` to close the call opened at 2:15, found `]`");
  });

  it("names a block's parameter list and a sequential header", () => {
    const block = only("block b(x, y {\n  return x\n}\n");
    expect(block.message).toBe("expected `)` to close the parameter list opened at 1:8, found `{`");
    expect(block.at).toBe("1:14-1:15");
    const header = only("sequential s(input_shape=(3,) {\n}\n");
    expect(header.message).toBe("expected `)` to close the header opened at 1:13, found `{`");
  });

  it("reports a `}` missing before the next declaration, naming the body", () => {
    const d = only("model a {\n  outputs x\nmodel b {\n  outputs y\n}\n");
    expect(d.code).toBe("KML102");
    expect(d.at).toBe("3:1-3:6");
    expect(d.message).toBe(
      "expected `}` to close the body of `model a` opened at 1:9, found the keyword `model`",
    );
    expect(d.parsed.file.items.map((i) => i.kind)).toEqual(["model", "model"]);
  });

  it("reports a `}` missing at the end of the file", () => {
    const d = only("sequential s {\n  Dense(3)\n");
    expect(d.code).toBe("KML102");
    expect(d.at).toBe("2:11-2:11");
    expect(d.message).toBe(
      "expected `}` to close the body of `sequential s` opened at 1:14, found end of file",
    );
  });
});

describe("KML103 unmatched closing bracket", () => {
  it("reports a `)` that closes nothing and parses on without it", () => {
    const d = only("model m {\n  y = Dense(4)(x))\n  outputs y\n}\n");
    expect(d.code).toBe("KML103");
    expect(d.at).toBe("2:18-2:19");
    expect(d.message).toBe("this `)` closes nothing: there is no open `(` before it");
    expect(d.parsed.file.items[0]!.kind === "model" && d.parsed.file.items[0]!.body.length).toBe(2);
  });

  it("reports a stray `}` at the top level", () => {
    const d = only("model m {\n}\n}\n");
    expect(d.code).toBe("KML103");
    expect(d.at).toBe("3:1-3:2");
  });
});

describe("KML104 unterminated string", () => {
  it("covers the string to the end of the line and keeps its text", () => {
    const d = only('sequential s {\n  Dense(3, activation="relu)\n}\n');
    expect(d.code).toBe("KML104");
    expect(d.at).toBe("2:23-2:29");
    expect(d.message).toBe('this string has no closing `"` before the end of the line');
    const seq = d.parsed.file.items[0]!;
    const stmt = seq.kind === "sequential" ? seq.body[0] : undefined;
    expect(stmt?.kind === "expr" && stmt.expr.kind === "call" && stmt.expr.kwargs[0]!.value).toMatchObject({
      kind: "string",
      value: "relu)",
    });
  });
});

describe("KML105 invalid character", () => {
  it("reports one run of stray characters once, with a hint for `;`", () => {
    const d = only("model m {\n  x = 1;\n}\n");
    expect(d.code).toBe("KML105");
    expect(d.at).toBe("2:8-2:9");
    expect(d.message).toBe("`;` is not part of the .kml language");
    expect(d.hint).toBe("statements end at the end of a line; .kml needs no `;`");
    const run = only("model m {\n  x = 3 $$ 4\n}\n");
    expect(run.code).toBe("KML105");
    expect(run.at).toBe("2:9-2:11");
  });
});

describe("KML106 unknown escape sequence", () => {
  it("warns and keeps the backslash, like Python", () => {
    const d = only('model m {\n  x = "a\\qb"\n}\n');
    expect(d.code).toBe("KML106");
    expect(d.severity).toBe("warning");
    expect(d.at).toBe("2:9-2:11");
    const stmt = d.parsed.file.items[0]!.kind === "model" ? d.parsed.file.items[0]!.body[0] : undefined;
    expect(stmt?.kind === "assign" && stmt.value).toMatchObject({ kind: "string", value: "a\\qb" });
  });
});

describe("KML107 number out of range", () => {
  it("reports an integer above 2^53", () => {
    const d = only("model m {\n  x = 9007199254740993\n}\n");
    expect(d.code).toBe("KML107");
    expect(d.at).toBe("2:7-2:23");
    expect(d.message).toBe(
      "the integer 9007199254740993 is too large: integers must be at most 2^53 = 9007199254740992",
    );
  });

  it("reports a float that overflows", () => {
    const d = only("model m {\n  x = 1e999\n}\n");
    expect(d.code).toBe("KML107");
    expect(d.at).toBe("2:7-2:12");
    expect(d.message).toBe("the number 1e999 is too large: it overflows to infinity");
  });
});

describe("KML108 positional argument after keyword argument", () => {
  it("points at the positional argument and back at the keyword", () => {
    const d = only("sequential s {\n  Dense(units=3, 4)\n}\n");
    expect(d.code).toBe("KML108");
    expect(d.at).toBe("2:18-2:19");
    expect(d.message).toBe("a positional argument cannot follow the keyword argument `units=`");
    expect(d.related?.map((r) => where(d.parsed.source, r.span))).toEqual(["2:9-2:14"]);
  });
});

describe("KML109 duplicate keyword argument", () => {
  it("reports the second occurrence, not a positional plus keyword of the same name", () => {
    const d = only("sequential s {\n  Dense(units=3, units=4)\n}\n");
    expect(d.code).toBe("KML109");
    expect(d.at).toBe("2:18-2:23");
    expect(d.message).toBe("the keyword argument `units` is given twice");
    expect(d.related?.map((r) => where(d.parsed.source, r.span))).toEqual(["2:9-2:14"]);
    // Binding a positional argument and a keyword to the same parameter is the schema's job, not syntax.
    expect(parse("sequential s {\n  Dense(3, units=4)\n}\n").diagnostics).toEqual([]);
  });
});

describe("KML110 positional argument in a sequential header", () => {
  it("asks for a keyword argument", () => {
    const d = only("sequential s((784,)) {\n  Dense(3)\n}\n");
    expect(d.code).toBe("KML110");
    expect(d.at).toBe("1:14-1:20");
    expect(d.message).toBe("the header of `sequential s` takes only keyword arguments");
  });
});

describe("KML111 parameter without default after a defaulted one", () => {
  it("names both parameters", () => {
    const d = only("block b(x, k=3, f) {\n  return x\n}\n");
    expect(d.code).toBe("KML111");
    expect(d.at).toBe("1:17-1:18");
    expect(d.message).toBe("the parameter `f` has no default value but follows `k`, which has one");
  });
});

describe("KML112 duplicate parameter", () => {
  it("reports a block parameter declared twice", () => {
    const d = only("block b(x, y, x=1) {\n  return x\n}\n");
    expect(d.code).toBe("KML112");
    expect(d.at).toBe("1:15-1:16");
    expect(d.related?.map((r) => where(d.parsed.source, r.span))).toEqual(["1:9-1:10"]);
  });

  it("reports a lambda parameter declared twice", () => {
    const d = only("model m {\n  y = Lambda(lambda t, t: t)(x)\n}\n");
    expect(d.code).toBe("KML112");
    expect(d.at).toBe("2:24-2:25");
    expect(d.message).toBe("the parameter `t` is declared twice");
  });
});

describe("KML113 expression nested too deeply", () => {
  it("points at the bracket past the limit of 100 and leaves out the rest of the line", () => {
    const d = only(`model m {\n  x = ${"[".repeat(101)}${"]".repeat(101)}\n}\n`);
    expect(d.code).toBe("KML113");
    expect(d.at).toBe("2:107-2:108");
    expect(d.message).toBe("this expression is nested more than 100 levels deep");
    expect(parse(`model m {\n  x = ${"[".repeat(100)}${"]".repeat(100)}\n}\n`).diagnostics).toEqual([]);
  });
});

describe("KML199 internal parser error", () => {
  it("is an error that asks for a bug report (the fuzz tests assert it never happens)", () => {
    const d = internalParserError({ file: "x.kml", start: 0, end: 0 }, "boom");
    expect(d.code).toBe("KML199");
    expect(d.severity).toBe("error");
    expect(d.message).toBe("kerasc's parser failed on this file: boom");
  });
});
