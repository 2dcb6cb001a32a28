// bindLayerArgs: positional and keyword binding, defaults, and one test per diagnostic code with its span.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { type BindResult, bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { Span } from "../../src/compiler/source.js";
import { FILE, readCall } from "./helpers.js";

function bind(text: string, dims: readonly string[] = []): BindResult {
  const call = readCall(text, dims);
  const def = getLayerDef(call.layerName);
  if (!def) throw new Error(`unknown layer in test: ${call.layerName}`);
  return bindLayerArgs(def, call);
}

/** The span of the `nth` occurrence of `part` in `text` (found by plain string search). */
function spanOf(text: string, part: string, nth = 0): Span {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(part, start + 1);
  if (start < 0) throw new Error(`${part} not in ${text}`);
  return { file: FILE, start, end: start + part.length };
}

/** The only diagnostic of a bind that must fail with exactly one. */
function single(result: BindResult): Diagnostic {
  expect(result.ok).toBe(false);
  expect(result.diagnostics).toHaveLength(1);
  return result.diagnostics[0]!;
}

describe("binding", () => {
  it("binds positional arguments in Keras signature order", () => {
    const r = bind("Dropout(0.5, (None, 1, 8), 42)");
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.args.rate).toBe(0.5);
    expect(r.args.noise_shape).toEqual([null, 1, 8]);
    expect(r.args.seed).toBe(42);
  });

  it("binds keywords by name and mixes them with positionals", () => {
    const r = bind('Dense(8, "relu", use_bias=False)');
    expect(r.ok).toBe(true);
    expect(r.args.units).toBe(8);
    expect(r.args.activation).toBe("relu");
    expect(r.args.use_bias).toBe(false);
  });

  it("fills every default, normalised, including the base keywords", () => {
    const r = bind("Dense(8)");
    expect(r.ok).toBe(true);
    expect(r.args).toEqual({
      units: 8,
      activation: "linear",
      use_bias: true,
      kernel_initializer: {
        className: "VarianceScaling",
        config: { scale: 1, mode: "fan_avg", distribution: "uniform", seed: null },
      },
      bias_initializer: { className: "Zeros", config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name: null,
      trainable: true,
      input_shape: null,
      batch_input_shape: null,
      batch_size: null,
      input_dim: null,
      dtype: null,
      weights: null,
    });
  });

  it("accepts the base keywords on every layer, shapes with symbolic dims included", () => {
    const r = bind('Flatten(name="flat", trainable=False, input_shape=(T, 4, 4), batch_size=32)', ["T"]);
    expect(r.ok).toBe(true);
    expect(r.args.name).toBe("flat");
    expect(r.args.trainable).toBe(false);
    expect(r.args.input_shape).toEqual([{ dim: "T" }, 4, 4]);
    expect(r.args.batch_size).toBe(32);
    expect(r.args.data_format).toBe("channels_last");
  });

  it("accepts an integer where a float is expected, as Python does", () => {
    expect(bind("Dropout(0)").args.rate).toBe(0);
  });

  it("normalises None to linear for activations and keeps enumerations case-insensitive where Keras is", () => {
    expect(bind("Dense(4, activation=None)").args.activation).toBe("linear");
    expect(bind('Flatten(data_format="Channels_First")').args.data_format).toBe("channels_first");
    expect(bind("Flatten(data_format=None)").args.data_format).toBe("channels_last");
  });

  it("reports every problem of a call, not just the first", () => {
    const r = bind('Dense("8", activaton="relu", use_bias=3)');
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(["KML301", "KML305", "KML305"]);
  });

  it("falls back to the default for an invalid argument, and leaves a bad required one out", () => {
    const r = bind('Dense("8", use_bias=3)');
    expect(r.ok).toBe(false);
    expect(r.args.use_bias).toBe(true);
    expect("units" in r.args).toBe(false);
  });
});

describe("KML301 unknown argument", () => {
  it("points at the keyword and suggests the closest argument", () => {
    const text = 'Dense(8, activaton="relu")';
    const d = single(bind(text));
    expect(d.code).toBe("KML301");
    expect(d.span).toEqual(spanOf(text, "activaton"));
    expect(d.span).toEqual({ file: FILE, start: 9, end: 18 });
    expect(d.message).toBe("Dense has no argument `activaton`");
    expect(d.hint).toBe("did you mean `activation`?");
  });

  it("considers the base keywords too", () => {
    const text = "Dense(8, input_shap=(4,))";
    const d = single(bind(text));
    expect(d.span).toEqual(spanOf(text, "input_shap"));
    expect(d.hint).toBe("did you mean `input_shape`?");
  });

  it("lists the layer's arguments when nothing is close", () => {
    const d = single(bind("Dropout(0.5, banana=1)"));
    expect(d.code).toBe("KML301");
    expect(d.hint).toBe("Dropout takes `rate`, `noise_shape`, `seed`");
  });
});

describe("KML302 too many positional arguments", () => {
  it("covers the extra arguments and names the positional ones", () => {
    const text = "Dropout(0.5, None, 1, 2, 3)";
    const d = single(bind(text));
    expect(d.code).toBe("KML302");
    expect(d.span).toEqual({ file: FILE, start: text.indexOf("2, 3"), end: text.indexOf("3)") + 1 });
    expect(d.message).toBe("Dropout takes at most 3 positional arguments (rate, noise_shape, seed), got 5");
  });

  it("handles layers without positional arguments beyond none", () => {
    const text = "Flatten(None, 3)";
    const d = single(bind(text));
    expect(d.span).toEqual(spanOf(text, "3"));
    expect(d.message).toBe("Flatten takes at most 1 positional argument (data_format), got 2");
  });
});

describe("KML303 argument given twice", () => {
  it("points at the keyword and relates the positional value", () => {
    const text = "Dense(8, units=16)";
    const d = single(bind(text));
    expect(d.code).toBe("KML303");
    expect(d.span).toEqual(spanOf(text, "units"));
    expect(d.related).toEqual([{ span: spanOf(text, "8"), message: "`units` is first given here" }]);
  });

  it("catches a keyword repeated", () => {
    const text = "Dense(units=8, units=16)";
    const d = single(bind(text));
    expect(d.code).toBe("KML303");
    expect(d.span).toEqual(spanOf(text, "units", 1));
    expect(d.related?.[0]?.span).toEqual(spanOf(text, "units", 0));
  });
});

describe("KML304 missing required argument", () => {
  it("points at the call and documents the argument", () => {
    const text = 'Dense(activation="relu")';
    const d = single(bind(text));
    expect(d.code).toBe("KML304");
    expect(d.span).toEqual({ file: FILE, start: 0, end: text.length });
    expect(d.message).toBe("Dense needs the argument `units`");
    expect(d.hint).toBe("`units`: positive integer, the output dimension");
  });
});

describe("KML305 wrong type", () => {
  it("says what was expected and what was found", () => {
    const text = 'Dense("64")';
    const d = single(bind(text));
    expect(d.code).toBe("KML305");
    expect(d.span).toEqual(spanOf(text, '"64"'));
    expect(d.message).toBe('`units` of Dense expects a positive integer, got the string "64"');
    expect(d.hint).toBe("write 64 without quotes");
  });

  it("distinguishes floats, booleans and tuples from integers", () => {
    expect(single(bind("Dense(64.0)")).message).toBe(
      "`units` of Dense expects a positive integer, got the float 64.0",
    );
    expect(single(bind("Dense(True)")).message).toBe(
      "`units` of Dense expects a positive integer, got the boolean True",
    );
    expect(single(bind("RepeatVector((3, 3))")).message).toBe(
      "`n` of RepeatVector expects a positive integer, got the tuple (3, 3)",
    );
  });

  it("rejects a symbolic dimension where a concrete integer is needed", () => {
    const text = "Dense(T)";
    const d = single(bind(text, ["T"]));
    expect(d.span).toEqual(spanOf(text, "T"));
    expect(d.message).toBe("`units` of Dense expects a positive integer, got the symbolic dimension `T`");
  });

  it("explains the one-element tuple when a shape is given as an integer", () => {
    const text = "Input(shape=784)";
    const d = single(bind(text));
    expect(d.code).toBe("KML305");
    expect(d.span).toEqual(spanOf(text, "784"));
    expect(d.message).toBe(
      "`shape` of Input expects a shape tuple such as (28, 28, 1) or None, got the integer 784",
    );
    expect(d.hint).toBe("a one-dimensional shape is a tuple with a comma: (784,)");
  });
});

describe("KML305 in shapes", () => {
  it("points Reshape users from None to -1", () => {
    const text = "Reshape((None, 3))";
    const d = single(bind(text));
    expect(d.code).toBe("KML305");
    expect(d.span).toEqual(spanOf(text, "(None, 3)"));
    expect(d.hint).toBe("None is not allowed here; use -1 for the one size to infer");
  });
});

describe("KML306 out of range", () => {
  it("gives the allowed range and the value", () => {
    const text = "Dropout(1.5)";
    const d = single(bind(text));
    expect(d.code).toBe("KML306");
    expect(d.span).toEqual(spanOf(text, "1.5"));
    expect(d.message).toBe("`rate` of Dropout must be in [0, 1), got 1.5");
  });

  it("excludes the open bound and checks lower bounds", () => {
    expect(single(bind("Dropout(1)")).message).toBe("`rate` of Dropout must be in [0, 1), got 1");
    expect(single(bind("Dropout(-0.1)")).message).toBe("`rate` of Dropout must be in [0, 1), got -0.1");
    expect(single(bind("Dense(0)")).message).toBe("`units` of Dense must be at least 1, got 0");
  });
});

describe("KML307 not one of an enumeration", () => {
  it("lists the choices and suggests the closest", () => {
    const text = 'Flatten(data_format="channels_lst")';
    const d = single(bind(text));
    expect(d.code).toBe("KML307");
    expect(d.span).toEqual(spanOf(text, '"channels_lst"'));
    expect(d.message).toBe(
      '`data_format` of Flatten must be one of "channels_last", "channels_first", got "channels_lst"',
    );
    expect(d.hint).toBe('did you mean "channels_last"?');
  });

  it("works inside initializer calls too", () => {
    const text = 'Dense(4, kernel_initializer=VarianceScaling(mode="fan_inn"))';
    const d = single(bind(text));
    expect(d.code).toBe("KML307");
    expect(d.span).toEqual(spanOf(text, '"fan_inn"'));
    expect(d.message).toBe(
      '`mode` of VarianceScaling must be one of "fan_in", "fan_out", "fan_avg", got "fan_inn"',
    );
    expect(d.hint).toBe('did you mean "fan_in"?');
  });
});

describe("KML308–KML311 unknown activation, initializer, regularizer, constraint", () => {
  it("KML308: an unknown activation name", () => {
    const text = 'Dense(8, activation="rleu")';
    const d = single(bind(text));
    expect(d.code).toBe("KML308");
    expect(d.span).toEqual(spanOf(text, '"rleu"'));
    expect(d.message).toBe('`activation` of Dense: unknown activation "rleu"');
    expect(d.hint).toBe('did you mean "relu"?');
  });

  it("KML308: leaky_relu is a layer in Keras 2, not an activation name", () => {
    const d = single(bind('Activation("leaky_relu")'));
    expect(d.code).toBe("KML308");
    expect(d.hint).toMatch(/^known activations: "linear", "relu", "relu6"/);
  });

  it("KML309: an unknown initializer name, as a string", () => {
    const text = 'Dense(8, kernel_initializer="glorot_unifrom")';
    const d = single(bind(text));
    expect(d.code).toBe("KML309");
    expect(d.span).toEqual(spanOf(text, '"glorot_unifrom"'));
    expect(d.message).toBe('`kernel_initializer` of Dense: unknown initializer "glorot_unifrom"');
    expect(d.hint).toBe('did you mean "glorot_uniform"?');
  });

  it("KML309: an unknown initializer call points at its name", () => {
    const text = "Dense(8, kernel_initializer=RandomNormall(stddev=1))";
    const d = single(bind(text));
    expect(d.code).toBe("KML309");
    expect(d.span).toEqual(spanOf(text, "RandomNormall"));
    expect(d.hint).toBe('did you mean "RandomNormal"?');
  });

  it("KML310: an unknown regularizer", () => {
    const text = "Dense(8, kernel_regularizer=l3(0.01))";
    const d = single(bind(text));
    expect(d.code).toBe("KML310");
    expect(d.span).toEqual(spanOf(text, "l3"));
    expect(d.message).toBe('`kernel_regularizer` of Dense: unknown regularizer "l3"');
    expect(d.hint).toBe('did you mean "l1"?');
  });

  it("KML311: an unknown constraint", () => {
    const text = 'Dense(8, kernel_constraint="unit_nrom")';
    const d = single(bind(text));
    expect(d.code).toBe("KML311");
    expect(d.span).toEqual(spanOf(text, '"unit_nrom"'));
    expect(d.hint).toBe('did you mean "unit_norm"?');
  });
});

describe("KML312 tensor where a value is expected", () => {
  it("points at the tensor name and shows how layers are applied", () => {
    const text = "Dense(x)";
    const d = single(bind(text));
    expect(d.code).toBe("KML312");
    expect(d.span).toEqual(spanOf(text, "x"));
    expect(d.message).toBe("`units` of Dense expects a value, but `x` is a tensor");
    expect(d.hint).toBe("a layer is applied to a tensor with a second call: `Dense(...)(x)`");
  });

  it("finds a tensor name inside a tuple", () => {
    const text = "Input(shape=(h, 3))";
    const d = single(bind(text));
    expect(d.code).toBe("KML312");
    expect(d.span).toEqual({ file: FILE, start: 13, end: 14 });
    expect(text.slice(13, 14)).toBe("h");
  });
});

describe("KML313 invalid argument", () => {
  it("allows only one -1 in a target shape, pointing at the second", () => {
    const text = "Reshape((-1, 2, -1))";
    const d = single(bind(text));
    expect(d.code).toBe("KML313");
    expect(d.span).toEqual(spanOf(text, "-1", 1));
    expect(d.message).toBe("`target_shape` of Reshape: only one dimension can be -1 (inferred)");
  });

  it("rejects zero or negative sizes in shapes", () => {
    const text = "Input(shape=(28, 0))";
    const d = single(bind(text));
    expect(d.code).toBe("KML313");
    expect(d.span).toEqual(spanOf(text, "0"));
    expect(d.message).toBe("`shape` of Input: dimension 2 is 0; sizes must be positive integers");
  });

  it("requires Permute's dims to be a permutation of 1..n", () => {
    const text = "Permute((1, 3))";
    const d = single(bind(text));
    expect(d.code).toBe("KML313");
    expect(d.span).toEqual(spanOf(text, "(1, 3)"));
    expect(d.message).toBe("`dims` of Permute: (1, 3) is not a permutation of 1..2");
  });

  it("requires Input to have shape or batch_shape (at the call), but not both (at batch_shape)", () => {
    const none = "Input()";
    const d1 = single(bind(none));
    expect(d1.code).toBe("KML313");
    expect(d1.span).toEqual({ file: FILE, start: 0, end: none.length });
    expect(d1.message).toBe("`shape` of Input: Input needs `shape` or `batch_shape`");
    const both = "Input(shape=(3,), batch_shape=(None, 3))";
    const d2 = single(bind(both));
    expect(d2.span).toEqual(spanOf(both, "(None, 3)"));
  });

  it("checks rules between an initializer's arguments", () => {
    const text = "Dense(2, kernel_initializer=RandomUniform(minval=1, maxval=0))";
    const d = single(bind(text));
    expect(d.code).toBe("KML313");
    expect(d.span).toEqual(spanOf(text, "1", 0));
    expect(d.message).toBe("`minval` of RandomUniform: minval 1 is greater than maxval 0");
  });
});

describe("diagnostics inside initializer, regularizer and constraint calls", () => {
  it("KML301 for an unknown argument of an initializer, at its keyword", () => {
    const text = "Dense(2, kernel_initializer=RandomNormal(stdev=0.1))";
    const d = single(bind(text));
    expect(d.code).toBe("KML301");
    expect(d.span).toEqual(spanOf(text, "stdev"));
    expect(d.message).toBe("RandomNormal has no argument `stdev`");
    expect(d.hint).toBe("did you mean `stddev`?");
  });

  it("KML305 for a wrong type inside a regularizer", () => {
    const text = 'Dense(2, kernel_regularizer=l2("0.01"))';
    const d = single(bind(text));
    expect(d.code).toBe("KML305");
    expect(d.span).toEqual(spanOf(text, '"0.01"'));
    expect(d.message).toBe('`l` of l2 expects a number at least 0, got the string "0.01"');
  });

  it("KML302 for too many arguments to a constraint", () => {
    const text = "Dense(2, kernel_constraint=NonNeg(1))";
    const d = single(bind(text));
    expect(d.code).toBe("KML302");
    expect(d.span).toEqual(spanOf(text, "1"));
    expect(d.message).toBe("NonNeg takes no positional arguments, got 1");
  });

  it("KML305 for None as an initializer", () => {
    const d = single(bind("Dense(2, kernel_initializer=None)"));
    expect(d.code).toBe("KML305");
    expect(d.message).toBe(
      '`kernel_initializer` of Dense expects an initializer such as "glorot_uniform" or RandomNormal(stddev=0.05), got None',
    );
  });
});
