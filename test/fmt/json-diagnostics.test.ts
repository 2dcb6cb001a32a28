// Every kml JSON diagnostic (KML501–KML519): its code, its line:col span, its message naming the JSON
// pointer, and its hint. Malformed input of any kind gives diagnostics, never an exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printKmlJson } from "../../src/compiler/fmt/print-json.js";
import { diagnose, doc, readJson } from "./json-helpers.js";

describe("JSON syntax", () => {
  it("KML501: a truncated file is reported once, at its end", () => {
    expect(diagnose('{"kml": 1, "items": [')).toEqual([
      ["KML501", "1:22-1:22", "invalid JSON: expected ']'"],
    ]);
  });

  it("KML501: text after the document", () => {
    expect(diagnose('{"kml": 1, "items": []} x')).toEqual([
      ["KML501", "1:25-1:26", "invalid JSON: unexpected character"],
    ]);
  });

  it("KML501: a trailing comma points at the comma", () => {
    expect(diagnose('{"kml": 1, "items": [\n  {"import": "a.kml"},\n]}')).toEqual([
      ["KML501", "2:22-2:23", "invalid JSON: a comma after the last element", "remove the comma"],
    ]);
    expect(diagnose('{"kml": 1, "items": [],\n}')).toEqual([
      ["KML501", "1:23-1:24", "invalid JSON: a comma after the last element", "remove the comma"],
    ]);
  });

  it("KML501: an unterminated string, a malformed number", () => {
    expect(diagnose('{"kml": 1, "items": ["abc')).toEqual([
      ["KML501", "1:22-1:26", "invalid JSON: unterminated string"],
    ]);
    expect(diagnose('{"kml": 01, "items": []}')).toEqual([
      ["KML501", "1:10-1:11", "invalid JSON: expected ','"],
    ]);
  });

  it("KML502: a // comment, with the fields that hold comments as the hint", () => {
    expect(diagnose('{\n  // my model\n  "kml": 1, "items": []}')).toEqual([
      [
        "KML502",
        "2:3-2:14",
        "comments are not allowed in kml JSON",
        'put the comment in a "comments" list (above) or a "trailingComment" of an item or statement',
      ],
    ]);
  });

  it("KML502: an unterminated comment at the end of the file stays inside the file", () => {
    expect(diagnose("/*")).toEqual([
      [
        "KML502",
        "1:1-1:3",
        "comments are not allowed in kml JSON",
        'put the comment in a "comments" list (above) or a "trailingComment" of an item or statement',
      ],
    ]);
  });

  it("KML505: absurd nesting is refused before the tree parser could exhaust the stack", () => {
    const deep = `{"kml": 1, "items": [${"[".repeat(20000)}${"]".repeat(20000)}]}`;
    expect(diagnose(deep)).toEqual([
      [
        "KML505",
        "1:276-1:277",
        "the JSON nests more than 256 levels deep here",
        "no model needs this depth; the file is probably generated wrongly",
      ],
    ]);
  });
});

describe("the document", () => {
  it("KML503: an empty file, an array, a Keras model", () => {
    const shape = 'a kml JSON document looks like {"kml": 1, "items": [...]}';
    expect(diagnose("  \n")).toEqual([
      ["KML503", "1:1-2:1", `expected a kml JSON document, found an empty file`, `${shape}`],
    ]);
    expect(diagnose("[]")).toEqual([
      ["KML503", "1:1-1:3", `expected a kml JSON document, found an array`, `${shape}`],
    ]);
    expect(diagnose('{"class_name": "Sequential", "config": {}}')).toEqual([
      [
        "KML503",
        "1:1-1:43",
        'expected a kml JSON document, found an object without a "kml" field',
        "this looks like a Keras model; convert it with `kerasc import`",
      ],
    ]);
  });

  it("KML504: only version 1, spelt as the integer 1", () => {
    const hint = 'this compiler reads "kml": 1';
    expect(diagnose('{"kml": 2, "items": []}')).toEqual([
      ["KML504", "1:9-1:10", `unsupported kml JSON version 2`, `${hint}`],
    ]);
    expect(diagnose('{"kml": 1.0, "items": []}')).toEqual([
      ["KML504", "1:9-1:12", `unsupported kml JSON version 1.0`, `${hint}`],
    ]);
  });
});

describe("structure", () => {
  it("KML510: an unknown field, with the field it resembles", () => {
    expect(diagnose(doc('{"sequential": "s", "layers": [{"call": "Dense", "argz": [1]}]}'))).toEqual([
      [
        "KML510",
        "4:54-4:60",
        'unknown field "argz" in a call at /items/0/layers/0/argz',
        'did you mean "args"?',
      ],
    ]);
  });

  it("KML510: an unknown field unlike any, with the fields the object has", () => {
    expect(diagnose(doc('{"import": "a.kml", "colour": "red"}'))).toEqual([
      [
        "KML510",
        "4:25-4:33",
        'unknown field "colour" in an import at /items/0/colour',
        'an import has the fields "import", "blankLineBefore", "comments", "trailingComment"',
      ],
    ]);
  });

  it("KML511: a missing field, at the object that lacks it", () => {
    expect(diagnose(doc('{"model": "m", "body": [{"assign": ["x"]}]}'))).toEqual([
      ["KML511", "4:29-4:46", 'an assignment at /items/0/body/0 needs the field "value"'],
    ]);
    expect(diagnose('{"kml": 1}')).toEqual([
      ["KML511", "1:1-1:11", 'a kml JSON document at the top level needs the field "items"'],
    ]);
  });

  it("KML512: a field of the wrong JSON type", () => {
    expect(diagnose(doc('{"sequential": "s", "layers": 3}'))).toEqual([
      ["KML512", "4:35-4:36", "expected an array of statements at /items/0/layers, found a number"],
    ]);
    expect(diagnose(doc('{"model": "m", "body": [3]}'))).toEqual([
      ["KML512", "4:29-4:30", "expected a statement (an object) at /items/0/body/0, found a number"],
    ]);
    expect(diagnose(doc('{"model": "m", "body": [{"expr": {"call": "f", "kwargs": [1]}}]}'))).toEqual([
      [
        "KML512",
        "4:62-4:65",
        "expected keyword arguments (an object) at /items/0/body/0/expr/kwargs, found an array",
      ],
    ]);
    expect(diagnose(doc('{"import": "a.kml", "blankLineBefore": "yes"}'))).toEqual([
      ["KML512", "4:44-4:49", 'expected true or false at /items/0/blankLineBefore, found the string "yes"'],
    ]);
  });

  it("KML513: an object that is no known kind, with a did-you-mean or the list of kinds", () => {
    expect(diagnose(doc('{"sequental": "m", "layers": []}'))).toEqual([
      ["KML513", "4:5-4:37", "cannot tell what an item at /items/0 is", 'did you mean "sequential"?'],
    ]);
    expect(diagnose(doc('{"foo": 1}'))).toEqual([
      [
        "KML513",
        "4:5-4:15",
        "cannot tell what an item at /items/0 is",
        'an item is an object with one of the keys "import", "dim", "sequential", "model", "block"',
      ],
    ]);
    expect(diagnose(doc('{"model": "m", "body": [{"expr": {"reff": "x"}}]}'))).toEqual([
      [
        "KML513",
        "4:38-4:51",
        "cannot tell what an expression at /items/0/body/0/expr is",
        'did you mean "ref"?',
      ],
    ]);
  });

  it("KML514: an object with two kind keys", () => {
    expect(diagnose(doc('{"model": "m", "body": [{"call": "Dense", "ref": "x"}]}'))).toEqual([
      [
        "KML514",
        "4:29-4:58",
        'the object at /items/0/body/0 cannot be both "call" and "ref"',
        "split it into separate objects, or remove one of the keys",
      ],
    ]);
  });

  it("KML515: names that .kml could not spell, and reserved words", () => {
    const rule = "names start with a letter or `_` and continue with letters, digits or `_`";
    expect(diagnose(doc('{"model": "m", "body": [{"outputs": ["my out"]}]}'))).toEqual([
      ["KML515", "4:42-4:50", `"my out" at /items/0/body/0/outputs/0 is not a valid name`, `${rule}`],
    ]);
    expect(diagnose(doc('{"model": "model", "body": []}'))).toEqual([
      ["KML515", "4:15-4:22", `"model" at /items/0/model is a reserved word`, `${rule}`],
    ]);
    expect(
      diagnose(doc('{"sequential": "s", "layers": [{"call": "Dense", "kwargs": {"units": 1, "2x": 2}}]}')),
    ).toEqual([
      ["KML515", "4:77-4:81", `"2x" at /items/0/layers/0/kwargs/2x is not a valid name`, `${rule}`],
    ]);
  });

  it("KML516: a comment that does not start with #", () => {
    expect(diagnose(doc('{"import": "a.kml", "comments": ["no hash"]}'))).toEqual([
      [
        "KML516",
        "4:38-4:47",
        'the comment "no hash" at /items/0/comments/0 is not a # comment',
        'a comment is one line starting with "#", e.g. "# shared encoder"',
      ],
    ]);
    expect(diagnose(doc('{"import": "a.kml", "trailingComment": "# two\\nlines"}'))).toEqual([
      [
        "KML516",
        "4:44-4:58",
        'the comment "# two\\nlines" at /items/0/trailingComment is not a # comment',
        'a comment is one line starting with "#", e.g. "# shared encoder"',
      ],
    ]);
  });

  it("KML517: an operator outside the language", () => {
    expect(
      diagnose(doc('{"model": "m", "body": [{"expr": {"binary": "^", "left": 1, "right": 2}}]}')),
    ).toEqual([
      [
        "KML517",
        "4:49-4:52",
        'unknown operator "^" at /items/0/body/0/expr/binary',
        'the operators here are "+", "-", "*", "/", "//", "%", "**"',
      ],
    ]);
    expect(diagnose(doc('{"model": "m", "body": [{"unary": "!", "operand": 1}]}'))).toEqual([
      [
        "KML517",
        "4:39-4:42",
        'unknown operator "!" at /items/0/body/0/unary',
        'the operators here are "-", "+"',
      ],
    ]);
  });

  it("KML518: a field given twice, with the first one as related location", () => {
    const { source, diagnostics } = readJson(doc('{"model": "m", "body": [], "body": []}'));
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["KML518", '"body" appears twice in the object at /items/0'],
    ]);
    const [d] = diagnostics;
    expect(source.position(d!.span.start)).toEqual({ line: 4, column: 32 });
    expect(source.position(d!.related![0]!.span.start)).toEqual({ line: 4, column: 20 });
  });

  it("KML519: lists the grammar needs non-empty", () => {
    expect(diagnose(doc('{"model": "m", "body": [{"outputs": []}]}'))).toEqual([
      ["KML519", "4:41-4:43", "the outputs at /items/0/body/0/outputs must not be empty"],
    ]);
    expect(diagnose(doc('{"block": "b", "body": [{"return": []}]}'))).toEqual([
      ["KML519", "4:40-4:42", "the returned values at /items/0/body/0/return must not be empty"],
    ]);
    expect(diagnose(doc('{"dim": []}'))).toEqual([
      ["KML519", "4:13-4:15", "the dimension names at /items/0/dim must not be empty"],
    ]);
    expect(diagnose(doc('{"model": "m", "body": [{"assign": [], "value": 1}]}'))).toEqual([
      ["KML519", "4:40-4:42", "the assigned names at /items/0/body/0/assign must not be empty"],
    ]);
  });

  it("KML107, KML109, KML111, KML112: the .kml parser's own rules, with the same codes", () => {
    expect(diagnose(doc('{"model": "m", "body": [{"expr": [9007199254740993, 1e999]}]}'))).toEqual([
      [
        "KML107",
        "4:39-4:55",
        "the integer 9007199254740993 is too large: integers must be at most 2^53 = 9007199254740992",
      ],
      ["KML107", "4:57-4:62", "the number 1e999 is too large: it overflows to infinity"],
    ]);
    expect(
      diagnose(doc('{"model": "m", "body": [{"call": "Dense", "kwargs": {"units": 1, "units": 2}}]}')),
    ).toEqual([["KML109", "4:70-4:77", "the keyword argument `units` is given twice", "remove one of them"]]);
    expect(
      diagnose(doc('{"block": "b", "params": [{"param": "k", "default": 3}, "x"], "body": []}')),
    ).toEqual([
      [
        "KML111",
        "4:61-4:64",
        "the parameter `x` has no default value but follows `k`, which has one",
        "put parameters with default values last, or give this one a default",
      ],
    ]);
    expect(
      diagnose(doc('{"block": "b", "params": ["x", "x"], "body": [{"lambda": ["t", "t"], "body": 1}]}')),
    ).toEqual([
      ["KML112", "4:36-4:39", "the parameter `x` is declared twice", "rename one of them"],
      ["KML112", "4:68-4:71", "the parameter `t` is declared twice", "rename one of them"],
    ]);
  });

  it("reports every independent problem of a file in one run", () => {
    const text = doc(
      '{"sequential": "s", "layers": [{"call": "Dense", "argz": [1]}]}',
      '{"model": "model", "body": []}',
      '{"import": 3}',
    );
    expect(diagnose(text).map(([code, span]) => [code, span])).toEqual([
      ["KML510", "4:54-4:60"],
      ["KML515", "5:15-5:22"],
      ["KML512", "6:16-6:17"],
    ]);
  });

  it("keeps the readable items of a file whose other items are wrong", () => {
    const { file } = readJson(doc('{"import": "a.kml"}', '{"model": 1, "body": []}', '{"dim": ["T"]}'));
    expect(file.items.map((i) => i.kind)).toEqual(["import", "dim"]);
  });
});

describe("malformed JSON never throws", () => {
  const sample = printKmlJson(
    readJson(
      doc(
        '{"comments": ["# c"], "sequential": "s", "kwargs": {"input_shape": {"tuple": [784]}}, "layers": [{"call": "Dense", "args": [10, -0.5], "kwargs": {"activation": "relu"}, "trailingComment": "# t"}]}',
        '{"block": "b", "params": ["x", {"param": "k", "default": 3}], "body": [{"return": [{"binary": "**", "left": {"ref": "x"}, "right": {"unary": "-", "operand": {"ref": "k"}}}]}]}',
        '{"model": "m", "body": [{"assign": ["a", "b"], "value": {"call": {"call": "LSTM", "args": [4]}, "args": [{"lambda": ["t"], "body": [null, true, "s"]}]}}, {"outputs": ["a"]}]}',
      ),
    ).file,
  );

  it("the sample itself reads cleanly", () => {
    expect(readJson(sample).diagnostics).toEqual([]);
  });

  it("every truncation of a valid document gives diagnostics with positions inside the file", () => {
    for (let cut = 0; cut < sample.length - 1; cut++) {
      const text = sample.slice(0, cut);
      const { diagnostics } = readJson(text);
      expect(diagnostics.length, `cut at ${cut}`).toBeGreaterThan(0);
      for (const d of diagnostics) {
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it("random text and random JSON values give diagnostics, not exceptions", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ kml: 1, items: [v] })),
        ),
        (text) => {
          const { diagnostics, file } = readJson(text);
          for (const d of diagnostics) expect(d.span.end).toBeLessThanOrEqual(text.length);
          expect(file.kind).toBe("file");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("single-character edits of a valid document never throw", () => {
    fc.assert(
      fc.property(
        fc.nat(sample.length - 1),
        fc.constantFrom("", "{", "}", "[", "]", ",", ":", '"', "1", "-", "x", "null"),
        (at, insert) => {
          const text = sample.slice(0, at) + insert + sample.slice(at + 1);
          const { diagnostics } = readJson(text);
          for (const d of diagnostics) expect(d.span.end).toBeLessThanOrEqual(text.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
