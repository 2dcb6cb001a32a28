// The registry: built-in lookup, names for suggestions, and duplicate rejection for custom layers.
import { describe, expect, it } from "vitest";
import { suggest } from "../../src/compiler/diagnostics/suggest.js";
import { Dense } from "../../src/compiler/layers/core.js";
import { defineLayer } from "../../src/compiler/layers/define-layer.js";
import { getLayerDef, LayerRegistry, layerNames } from "../../src/compiler/layers/registry.js";
import { defineSchema } from "../../src/compiler/layers/schema.js";

describe("layer registry", () => {
  it("knows the core and merge layers by their exact Keras names", () => {
    const names = layerNames();
    for (const name of [
      "Input",
      "Dense",
      "Activation",
      "Dropout",
      "Flatten",
      "Reshape",
      "Permute",
      "RepeatVector",
    ]) {
      expect(names).toContain(name);
    }
    for (const name of ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"]) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(getLayerDef("Dense")).toBe(Dense);
    expect(getLayerDef("dense")).toBeUndefined();
  });

  it("feeds suggestions for misspelt layer names", () => {
    expect(suggest("dense", layerNames())).toBe("Dense");
    expect(suggest("Flaten", layerNames())).toBe("Flatten");
  });

  it("registers custom layers and rejects a second layer of the same name", () => {
    const registry = new LayerRegistry([Dense]);
    const custom = defineLayer({
      name: "Antirectifier",
      family: "core",
      summary: "test layer",
      schema: defineSchema({}),
      inputArity: { min: 1, max: 1 },
      supportsMasking: false,
      inferOutputs: (_args, inputs) => inputs,
    });
    registry.register(custom);
    expect(registry.get("Antirectifier")).toBe(custom);
    expect(registry.names()).toEqual(["Dense", "Antirectifier"]);
    expect(() => registry.register(Dense)).toThrow('a layer named "Dense" is already registered');
  });
});
