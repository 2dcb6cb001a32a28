// Comments and blank lines become Trivia on the right node, and no comment is ever lost.
import { describe, expect, it } from "vitest";
import type { Comment, KmlFile } from "../../src/compiler/1-parse/ast.js";
import { bodyOf, item, parse, parseClean, where } from "./helpers.js";

const texts = (comments: readonly Comment[]) => comments.map((c) => c.text);

/** Every comment anywhere in the tree, in source order. */
function allComments(file: KmlFile): Comment[] {
  const found: Comment[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const v of value) visit(v);
    else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.text === "string" && record.span !== undefined && !("kind" in record)) {
        found.push(record as unknown as Comment);
        return;
      }
      for (const v of Object.values(record)) visit(v);
    }
  };
  visit(file);
  return found.sort((a, b) => a.span.start - b.span.start);
}

describe("comment attachment", () => {
  const text = `# file header
# about the model

model m {   # after the brace
  # above a
  # second line
  a = Input(shape=(3,))  # trailing a

  b = Dense(
    4,  # inside the call
    activation="relu",
  )(a)
  # before the brace
}  # after the model
# end of file
`;
  const { file, source } = parseClean(text);
  const model = item(file, "model");
  const [a, b] = bodyOf(file);

  it("gives whole-line comments above a declaration to it as leading comments", () => {
    expect(texts(model.leadingComments)).toEqual(["# file header", "# about the model"]);
    expect(where(source, model.leadingComments[1]!.span)).toBe("2:1-2:18");
  });

  it("gives the comment after `{` and the lines above a statement to that statement", () => {
    expect(texts(a!.leadingComments)).toEqual(["# after the brace", "# above a", "# second line"]);
  });

  it("makes a comment after code on the same line that statement's trailing comment", () => {
    expect(a!.trailingComment?.text).toBe("# trailing a");
    expect(where(source, a!.trailingComment!.span)).toBe("7:26-7:38");
    expect(b!.trailingComment).toBeNull();
  });

  it("moves a comment inside a multi-line call up to its statement", () => {
    expect(texts(b!.leadingComments)).toEqual(["# inside the call"]);
  });

  it("keeps comments before `}` as the body's closing comments and after `}` as the trailing comment", () => {
    expect(texts(model.closingComments)).toEqual(["# before the brace"]);
    expect(model.trailingComment?.text).toBe("# after the model");
  });

  it("keeps comments after the last item as the file's closing comments", () => {
    expect(texts(file.closingComments)).toEqual(["# end of file"]);
  });

  it("loses no comment", () => {
    expect(allComments(file).map((c) => c.text)).toEqual([
      "# file header",
      "# about the model",
      "# after the brace",
      "# above a",
      "# second line",
      "# trailing a",
      "# inside the call",
      "# before the brace",
      "# after the model",
      "# end of file",
    ]);
  });

  it("gives comments in a block's multi-line header to the block", () => {
    const parsed = parseClean("block b(\n  x,  # the input\n  n=2,\n) {\n  return x\n}\n");
    expect(texts(item(parsed.file, "block").leadingComments)).toEqual(["# the input"]);
  });

  it("keeps comments around a broken statement", () => {
    const parsed = parse("model m {\n  # one\n  x = = 3  # two\n  # three\n  y = 1\n}\n");
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["KML101"]);
    expect(allComments(parsed.file).map((c) => c.text)).toEqual(["# one", "# two", "# three"]);
  });

  it("strips the carriage return of a CRLF file from comment text", () => {
    const parsed = parseClean("model m {\r\n  outputs x  # out\r\n}\r\n");
    expect(bodyOf(parsed.file)[0]!.trailingComment?.text).toBe("# out");
  });
});

describe("blank lines", () => {
  it("marks statements and items preceded by at least one blank line", () => {
    const text =
      "dim T\n\n\nmodel m {\n  a = 1\n  b = 2\n\n  c = 3\n  # note\n\n  d = 4\n\n  # about e\n  e = 5\n}\nmodel n {\n}\n";
    const { file } = parseClean(text);
    expect(file.items.map((i) => i.blankLineBefore)).toEqual([false, true, false]);
    expect(bodyOf(file).map((s) => s.blankLineBefore)).toEqual([false, false, true, true, true]);
  });

  it("does not count a line holding only a comment as blank", () => {
    const { file } = parseClean("model m {\n  a = 1\n  # just a comment\n  b = 2\n}\n");
    expect(bodyOf(file).map((s) => s.blankLineBefore)).toEqual([false, false]);
  });

  it("counts a blank line at the start of a body or file", () => {
    const { file } = parseClean("\nmodel m {\n\n  a = 1\n}\n");
    expect(file.items[0]!.blankLineBefore).toBe(true);
    expect(bodyOf(file)[0]!.blankLineBefore).toBe(true);
  });
});
