// Layer-valued arguments (wrappers, RNN cells) and lists of values: nested binding and its diagnostics.
import { describe, expect, it } from "vitest";
import { arg } from "../../src/compiler/layers/arg.js";
import { bindCall } from "../../src/compiler/layers/bind.js";
import "../../src/compiler/layers/registry.js";
import { defineSchema } from "../../src/compiler/layers/schema.js";
import { FILE, readCall } from "./helpers.js";

const wrapper = defineSchema(
  {
    layer: arg.layer({ accept: (def) => (def.name === "Input" ? "Input cannot be wrapped" : undefined) }),
    more: arg.optional(arg.listOf(arg.layer())),
  },
  { baseArgs: false },
);

function bindText(text: string) {
  const call = readCall(text);
  return bindCall(wrapper, {
    owner: call.layerName,
    positional: call.positional,
    keywords: call.keywords,
    span: call.span,
  });
}

describe("arg.layer", () => {
  it("binds the nested layer against its own schema and keeps it as {className, config}", () => {
    const r = bindText('W(Dense(8, activation="relu"))');
    expect(r.diagnostics).toEqual([]);
    expect(r.args.layer).toMatchObject({
      className: "Dense",
      config: { units: 8, activation: "relu", use_bias: true },
    });
  });

  it("KML314: an unknown layer name, at the name, with a suggestion", () => {
    const text = "W(Dens(8))";
    const r = bindText(text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: "KML314",
      message: "`layer` of W: unknown layer `Dens`",
      hint: "did you mean `Dense`?",
      span: { file: FILE, start: 2, end: 6 },
    });
  });

  it("reports the nested layer's own argument problems at their spans", () => {
    const text = "W(Dense(0))";
    const r = bindText(text);
    expect(r.diagnostics[0]).toMatchObject({
      code: "KML306",
      message: "`units` of Dense must be at least 1, got 0",
      span: { start: 8, end: 9 },
    });
  });

  it("applies the layer's restriction", () => {
    const r = bindText("W(Input(shape=(3,)))");
    expect(r.diagnostics[0]).toMatchObject({
      code: "KML313",
      message: "`layer` of W: Input cannot be wrapped",
    });
  });

  it("rejects a plain value where a layer is expected", () => {
    expect(bindText("W(8)").diagnostics[0]).toMatchObject({
      code: "KML305",
      message: "`layer` of W expects a layer such as Dense(8), got the integer 8",
    });
  });
});

describe("arg.listOf", () => {
  it("checks every item and keeps their order", () => {
    const r = bindText("W(Dense(1), more=[Dense(2), Dropout(0.5)])");
    expect(r.diagnostics).toEqual([]);
    expect(r.args.more).toMatchObject([{ className: "Dense" }, { className: "Dropout" }]);
  });

  it("points at the offending item", () => {
    const text = "W(Dense(1), more=[Dense(2), 3])";
    const r = bindText(text);
    expect(r.diagnostics[0]).toMatchObject({
      code: "KML305",
      span: { start: text.indexOf("3]"), end: text.indexOf("3]") + 1 },
    });
  });
});
