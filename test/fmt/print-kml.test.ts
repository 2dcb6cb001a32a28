// Canonical .kml layout from hand-built trees: items, statements, blank lines and every place a comment goes.
import { describe, expect, it } from "vitest";
import { printKml } from "../../src/compiler/fmt/print-kml.js";
import {
  assign,
  bin,
  block,
  bool,
  call,
  dim,
  exprStmt,
  file,
  importDecl,
  int,
  list,
  model,
  outputs,
  param,
  ref,
  ret,
  sequential,
  str,
  trivia,
  tuple,
} from "./ast-builders.js";

describe("printKml layout", () => {
  it("prints an empty file as empty text", () => {
    expect(printKml(file([]))).toBe("");
  });

  it("prints every item kind with 2-space bodies and one blank line between declarations", () => {
    const text = printKml(
      file([
        importDecl("layers.kml"),
        dim(["T", "B"]),
        sequential("mnist", [exprStmt(call("Dense", [int(10)], { activation: str("softmax") }))], {
          header: { input_shape: tuple(int(784)) },
        }),
        block(
          "residual",
          [param("x"), param("filters"), param("kernel", int(3))],
          [
            assign(["y"], call(call("Conv2D", [ref("filters"), ref("kernel")]), [ref("x")])),
            ret([call(call("Add"), [list(ref("x"), ref("y"))])]),
          ],
        ),
        model("m", [
          assign(["a"], call("Input", [], { shape: tuple(ref("T"), int(16)) })),
          assign(["out", "h", "c"], call(call("LSTM", [int(4)], { return_state: bool(true) }), [ref("a")])),
          outputs(["out", "h"]),
        ]),
      ]),
    );
    expect(text).toBe(
      [
        'import "layers.kml"',
        "dim T, B",
        "",
        "sequential mnist(input_shape=(784,)) {",
        '  Dense(10, activation="softmax")',
        "}",
        "",
        "block residual(x, filters, kernel=3) {",
        "  y = Conv2D(filters, kernel)(x)",
        "  return Add()([x, y])",
        "}",
        "",
        "model m {",
        "  a = Input(shape=(T, 16))",
        "  out, h, c = LSTM(4, return_state=True)(a)",
        "  outputs out, h",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("prints a sequential without header arguments, a block without parameters and empty bodies", () => {
    expect(
      printKml(file([sequential("s", []), block("b", [], [ret([int(1), int(2)])]), model("m", [])])),
    ).toBe("sequential s {\n}\n\nblock b() {\n  return 1, 2\n}\n\nmodel m {\n}\n");
  });

  it("keeps a blank line between imports only where the source had one", () => {
    const items = [
      importDecl("a.kml"),
      importDecl("b.kml"),
      importDecl("c.kml", trivia({ blank: true })),
      dim(["T"]),
    ];
    expect(printKml(file(items))).toBe('import "a.kml"\nimport "b.kml"\n\nimport "c.kml"\ndim T\n');
  });

  it("keeps at most one blank line inside bodies and none right after the opening brace", () => {
    const body = [
      exprStmt(call("Flatten"), trivia({ blank: true })),
      exprStmt(call("Dense", [int(4)]), trivia({ blank: true })),
      exprStmt(call("Dense", [int(2)])),
    ];
    expect(printKml(file([sequential("s", body)]))).toBe(
      "sequential s {\n  Flatten()\n\n  Dense(4)\n  Dense(2)\n}\n",
    );
  });

  it("puts leading comments above, trailing comments two spaces after, closing comments before }", () => {
    const text = printKml(
      file(
        [
          importDecl("a.kml", trivia({ lead: ["# header", "#second"], trail: "# why" })),
          model(
            "m",
            [
              assign(
                ["x"],
                call("Input", [], { shape: tuple(int(4)) }),
                trivia({ lead: ["# input"], trail: "# (4,)" }),
              ),
              outputs(["x"], trivia({ blank: true, lead: ["# the end"] })),
            ],
            { closing: ["# todo: more layers"], trivia: trivia({ lead: ["# the model"], trail: "# done" }) },
          ),
        ],
        ["# end of file", "#"],
      ),
    );
    expect(text).toBe(
      [
        "# header",
        "#second",
        'import "a.kml"  # why',
        "",
        "# the model",
        "model m {",
        "  # input",
        "  x = Input(shape=(4,))  # (4,)",
        "",
        "  # the end",
        "  outputs x",
        "  # todo: more layers",
        "}  # done",
        "",
        "# end of file",
        "#",
        "",
      ].join("\n"),
    );
  });

  it("prints a file of comments only", () => {
    expect(printKml(file([], ["# nothing yet"]))).toBe("# nothing yet\n");
  });

  it("keeps long lines on one line", () => {
    const args = Array.from({ length: 40 }, (_, i) => int(i));
    const text = printKml(file([sequential("s", [exprStmt(call("F", args))])]));
    expect(text.split("\n")[1]).toBe(`  F(${args.map((_, i) => i).join(", ")})`);
  });

  it("prints an expression statement of any kind and a statement-level dim", () => {
    const text = printKml(file([model("m", [dim(["T"]), exprStmt(bin(ref("a"), "+", int(1)))])]));
    expect(text).toBe("model m {\n  dim T\n  a + 1\n}\n");
  });
});
