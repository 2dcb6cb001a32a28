// Statements and top-level items: every construct of the language, with spans (line:col) of key nodes.
import { describe, expect, it } from "vitest";
import { bodyOf, item, parseClean, shape, where } from "./helpers.js";

const TOUR = `# comment
import "other.kml"
dim T                      # named symbolic dimension
sequential mnist_cnn(input_shape=(28, 28, 1)) {
  Conv2D(32, (3, 3), activation="relu")
  residual(32)
  Dense(10, activation="softmax")
}
block residual(x, filters, kernel=3) {
  y = Conv2D(filters, kernel, padding="same", activation="relu")(x)
  y = Conv2D(filters, (kernel, kernel), padding="same")(y)
  return Add()([x, y])
}
model siamese {
  a = Input(shape=(T, 16))
  b = Input(shape=(T, 16))
  encode = Dense(8, activation="relu")
  ea = encode(a)
  eb = encode(b)
  d = Subtract()([ea, eb])
  out, h, c = LSTM(4, return_state=True)(d)
  sq = Lambda(lambda t: t ** 2)(out)
  outputs sq, h
}
`;

describe("the language tour", () => {
  const { file, source } = parseClean(TOUR);

  it("reads the items in order", () => {
    expect(file.items.map((i) => i.kind)).toEqual(["import", "dim", "sequential", "block", "model"]);
    expect(file.path).toBe("test.kml");
    expect(file.span).toEqual({ file: "test.kml", start: 0, end: TOUR.length });
  });

  it("reads import with its path and span", () => {
    const imp = item(file, "import");
    expect(imp.path.value).toBe("other.kml");
    expect(where(source, imp.span)).toBe("2:1-2:19");
    expect(where(source, imp.path.span)).toBe("2:8-2:19");
  });

  it("reads a top-level dim", () => {
    const dim = item(file, "dim");
    expect(dim.names.map((n) => n.name)).toEqual(["T"]);
    expect(where(source, dim.span)).toBe("3:1-3:6");
  });

  it("reads sequential header keyword arguments and one expression statement per layer", () => {
    const seq = item(file, "sequential");
    expect(seq.name.name).toBe("mnist_cnn");
    expect(where(source, seq.name.span)).toBe("4:12-4:21");
    expect(shape(seq.headerArgs)).toEqual([
      {
        name: { name: "input_shape" },
        value: {
          kind: "tuple",
          items: [
            { kind: "int", value: 28 },
            { kind: "int", value: 28 },
            { kind: "int", value: 1 },
          ],
        },
      },
    ]);
    expect(seq.body.map((s) => s.kind)).toEqual(["expr", "expr", "expr"]);
    expect(seq.body.map((s) => where(source, s.span))).toEqual(["5:3-5:40", "6:3-6:15", "7:3-7:34"]);
    expect(where(source, seq.span)).toBe("4:1-8:2");
  });

  it("reads block parameters with defaults, rebinding and return", () => {
    const block = item(file, "block");
    expect(block.name.name).toBe("residual");
    expect(shape(block.params)).toEqual([
      { name: { name: "x" }, default: null },
      { name: { name: "filters" }, default: null },
      { name: { name: "kernel" }, default: { kind: "int", value: 3 } },
    ]);
    expect(where(source, block.params[2]!.span)).toBe("9:28-9:36");
    expect(block.body.map((s) => s.kind)).toEqual(["assign", "assign", "return"]);
    const ret = block.body[2]!;
    expect(ret.kind === "return" && ret.values.length).toBe(1);
    expect(where(source, ret.span)).toBe("12:3-12:23");
  });

  it("reads the functional model: shared layer, tuple targets, lambda and outputs", () => {
    const body = item(file, "model").body;
    expect(body.map((s) => s.kind)).toEqual([
      "assign",
      "assign",
      "assign",
      "assign",
      "assign",
      "assign",
      "assign",
      "assign",
      "outputs",
    ]);
    const unpack = body[6]!;
    if (unpack.kind !== "assign") throw new Error("shape");
    expect(unpack.targets.map((t) => t.name)).toEqual(["out", "h", "c"]);
    expect(unpack.targets.map((t) => where(source, t.span))).toEqual([
      "21:3-21:6",
      "21:8-21:9",
      "21:11-21:12",
    ]);
    expect(where(source, unpack.span)).toBe("21:3-21:44");
    const outputs = body[8]!;
    expect(shape(outputs)).toMatchObject({
      kind: "outputs",
      values: [
        { kind: "name", name: "sq" },
        { kind: "name", name: "h" },
      ],
    });
    expect(where(source, outputs.span)).toBe("23:3-23:16");
  });
});

describe("smaller forms", () => {
  it("reads `sequential NAME {` without a header, and an empty header", () => {
    const { file } = parseClean("sequential a {\n  Dense(1)\n}\nsequential b() {\n}\n");
    expect(item(file, "sequential", 0).headerArgs).toEqual([]);
    expect(item(file, "sequential", 1).headerArgs).toEqual([]);
    expect(item(file, "sequential", 1).body).toEqual([]);
  });

  it("reads dim with several names, at top level and in a body", () => {
    const { file, source } = parseClean(
      "dim T, B\nmodel m {\n  dim H\n  x = Input(shape=(T, H))\n  outputs x\n}\n",
    );
    expect(item(file, "dim").names.map((n) => n.name)).toEqual(["T", "B"]);
    const inner = bodyOf(file)[0]!;
    expect(inner.kind === "dim" && inner.names.map((n) => where(source, n.span))).toEqual(["3:7-3:8"]);
  });

  it("reads several models and blocks in one file", () => {
    const text =
      "model a {\n  outputs x\n}\nblock b() {\n  return 1\n}\nmodel c {\n  outputs y\n}\nsequential d {\n}\n";
    const { file } = parseClean(text);
    expect(file.items.map((i) => ("name" in i ? `${i.kind} ${i.name.name}` : i.kind))).toEqual([
      "model a",
      "block b",
      "model c",
      "sequential d",
    ]);
  });

  it("reads return of several values and a block with a trailing comma in its parameters", () => {
    const { file } = parseClean("block split(x, units=4,) {\n  return Dense(units)(x), x\n}\n");
    const block = item(file, "block");
    expect(block.params.map((p) => p.name.name)).toEqual(["x", "units"]);
    const ret = block.body[0]!;
    expect(ret.kind === "return" && ret.values.map((v) => v.kind)).toEqual(["call", "name"]);
  });

  it("accepts a one-line body, a missing final newline, CRLF line ends and blank lines", () => {
    const { file } = parseClean("model m { outputs x }");
    expect(shape(bodyOf(file))).toMatchObject([{ kind: "outputs" }]);
    const crlf = parseClean("model m {\r\n  x = 1\r\n\r\n  outputs x\r\n}\r\n");
    expect(bodyOf(crlf.file).map((s) => s.kind)).toEqual(["assign", "outputs"]);
    expect(where(crlf.source, bodyOf(crlf.file)[1]!.span)).toBe("4:3-4:12");
  });

  it("accepts `{` on the line after the header", () => {
    const { file } = parseClean("model m\n{\n  outputs x\n}\nblock b(x)\n\n{\n  return x\n}\n");
    expect(file.items.map((i) => i.kind)).toEqual(["model", "block"]);
    expect(bodyOf(file, 1).map((s) => s.kind)).toEqual(["return"]);
  });

  it("parses the empty file and a file of comments", () => {
    expect(parseClean("").file.items).toEqual([]);
    const comments = parseClean("# a\n\n# b\n");
    expect(comments.file.items).toEqual([]);
    expect(comments.file.closingComments.map((c) => c.text)).toEqual(["# a", "# b"]);
  });

  it("lets keyword-like words that are not keywords be names (Model, inputs, output)", () => {
    const { file } = parseClean(
      "model m {\n  inputs = Input(shape=(3,))\n  output = Dense(1)(inputs)\n  outputs output\n}\n",
    );
    expect(bodyOf(file).map((s) => s.kind)).toEqual(["assign", "assign", "outputs"]);
  });
});
