// Every diagnostic of Lambda's tensor functions (KML601–KML614), each with its code and position, and the
// message or hint that says what to do.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { compileKml } from "../build/helpers.js";

/** A one-input model applying `Lambda(<lambda>)` on line 3, column 14 onwards. */
function withLambda(lambda: string, shape = "(4, 5)"): string {
  return `model m {
  x = Input(shape=${shape})
  y = Lambda(${lambda})(x)
  outputs y
}
`;
}

/** A block used as the function of a Lambda on line `body lines + 5`. */
function withBlock(params: string, body: string): string {
  return `block f(${params}) {
${body}
}
model m {
  x = Input(shape=(4, 5))
  y = Lambda(f)(x)
  outputs y
}
`;
}

/** The diagnostics of `text` as [code, "line:col"], and the first one. */
function diagnose(text: string): { codes: [string, string][]; first: Diagnostic } {
  const built = compileKml(text);
  return { codes: built.codes(), first: built.diagnostics[0]! };
}

describe("KML601 unknown function", () => {
  it("at the callee, with a did-you-mean", () => {
    const { codes, first } = diagnose(withLambda("lambda x: mena(x, axis=1)"));
    expect(codes).toEqual([["KML601", "3:24"]]);
    expect(first.message).toBe("unknown function `mena` in a tensor expression");
    expect(first.hint).toBe("did you mean `mean`?");
  });

  it("lists the functions when nothing is close (Python's K. prefix is not part of the language)", () => {
    const { codes, first } = diagnose(withLambda("lambda x: batch_dot(x, x)"));
    expect(codes).toEqual([["KML601", "3:24"]]);
    expect(first.hint).toContain("`abs`, `exp`");
    expect(first.hint).toContain("`concatenate`");
  });
});

describe("KML602 wrong argument count", () => {
  it("a missing required argument, at the call", () => {
    const { codes, first } = diagnose(withLambda("lambda x: clip(x, 0)"));
    expect(codes).toEqual([["KML602", "3:24"]]);
    expect(first.message).toBe("`clip` needs the argument `max_value`");
    expect(first.hint).toBe("its signature is `clip(x, min_value, max_value)`");
  });

  it("extra positional arguments, at the extra ones", () => {
    const { codes, first } = diagnose(withLambda("lambda x: relu(x, 0.1, 6, 7)"));
    expect(codes).toEqual([["KML602", "3:40"]]);
    expect(first.message).toBe("`relu` takes at most 3 arguments, got 4");
  });
});

describe("KML603 unknown keyword", () => {
  it("at the keyword, with a did-you-mean", () => {
    const { codes, first } = diagnose(withLambda("lambda x: mean(x, axes=1)"));
    expect(codes).toEqual([["KML603", "3:32"]]);
    expect(first.message).toBe("`mean` has no argument `axes`");
    expect(first.hint).toBe("did you mean `axis`?");
  });
});

describe("KML604 argument given twice", () => {
  it("at the second one, pointing back at the first", () => {
    const { codes, first } = diagnose(withLambda("lambda x: mean(x, 1, axis=1)"));
    expect(codes).toEqual([["KML604", "3:35"]]);
    expect(first.message).toBe("`axis` of `mean` is given twice");
    expect(first.related?.[0]?.message).toBe("`axis` is first given here");
  });
});

describe("KML605 name not visible in the function", () => {
  it("an undefined name, with a did-you-mean among the function's names", () => {
    const { codes, first } = diagnose(withLambda("lambda inp: imp * 2"));
    expect(codes).toEqual([["KML605", "3:26"]]);
    expect(first.message).toBe("`imp` is not defined in this function");
    expect(first.hint).toBe("did you mean `inp`?");
  });

  it("a tensor of the model: pass it as another input", () => {
    const { codes, first } = diagnose(`model m {
  a = Input(shape=(4,))
  b = Input(shape=(4,))
  y = Lambda(lambda t: t + b)(a)
  outputs y
}
`);
    expect(codes).toEqual([["KML605", "4:28"]]);
    expect(first.message).toBe("`b` is a tensor of the model, but a function reads only its parameters");
    expect(first.hint).toBe("pass it as a second input: `Lambda(lambda x, b: ...)([x, b])`");
  });

  it("a symbolic dimension has no size at build time", () => {
    const { codes, first } = diagnose(`dim T\n${withLambda("lambda x: x * T", "(T, 5)")}`);
    expect(codes).toEqual([["KML605", "4:28"]]);
    expect(first.message).toContain("is a symbolic dimension");
  });

  it("a local of a block read before its assignment, pointing back at the Lambda", () => {
    const { codes, first } = diagnose(withBlock("x", "  y = z * 2\n  z = x\n  return y"));
    expect(codes).toEqual([["KML605", "2:7"]]);
    expect(first.message).toBe("`z` is used before it is assigned");
    expect(first.related).toEqual([
      expect.objectContaining({ message: "block `f` is used as Lambda's function here" }),
    ]);
  });

  it("a block's body does not see the names of the model using it", () => {
    const { codes } = diagnose(`block f(t) {
  return t * x
}
model m {
  x = Input(shape=(4,))
  y = Lambda(f)(x)
  outputs y
}
`);
    expect(codes).toEqual([["KML605", "2:14"]]);
  });
});

describe("KML606 tensor where a constant is required", () => {
  it("an axis computed from a tensor", () => {
    const { codes, first } = diagnose(withLambda("lambda x: mean(x, axis=x)"));
    expect(codes).toEqual([["KML606", "3:37"]]);
    expect(first.message).toBe(
      "`axis` of `mean` must be a constant (None, an integer axis or a tuple of axes), not a tensor",
    );
  });
});

describe("KML607 invalid constant", () => {
  it("a constant of the wrong type", () => {
    const { codes, first } = diagnose(withLambda('lambda x: softmax(x, axis="1")'));
    expect(codes).toEqual([["KML607", "3:40"]]);
    expect(first.message).toBe('`axis` of `softmax` must be an integer axis, not the string "1"');
  });

  it("an axis listed twice", () => {
    const { codes, first } = diagnose(withLambda("lambda x: sum(x, axis=(1, 1))"));
    expect(codes).toEqual([["KML607", "3:36"]]);
    expect(first.message).toBe("`axis` of `sum` lists axis 1 twice");
  });

  it("constant arithmetic without a finite result", () => {
    const { codes, first } = diagnose(withLambda("lambda x: x * (1 / 0)"));
    expect(codes).toEqual([["KML607", "3:28"]]);
    expect(first.message).toBe("`/` on 1 and 0 does not give a finite number");
  });
});

describe("KML608 not a tensor", () => {
  it("a string operand", () => {
    const { codes, first } = diagnose(withLambda('lambda x: x + "a"'));
    expect(codes).toEqual([["KML608", "3:28"]]);
    expect(first.message).toBe('the right operand of `+` must be a tensor, not the string "a"');
  });

  it("a list where one tensor belongs, and one tensor where concatenate wants a list", () => {
    expect(diagnose(withLambda("lambda x: relu([x, x])")).first.hint).toBe(
      "only `concatenate` takes a list of tensors",
    );
    const { codes, first } = diagnose(withLambda("lambda x: concatenate(x)"));
    expect(codes).toEqual([["KML608", "3:36"]]);
    expect(first.message).toBe("`tensors` of `concatenate` must be a list of tensors, not a single tensor");
  });

  it("a list as the result", () => {
    const { codes, first } = diagnose(withLambda("lambda x: [x, x]"));
    expect(codes).toEqual([["KML608", "3:24"]]);
    expect(first.hint).toBe("concatenate them: `concatenate([a, b])`");
  });
});

describe("KML609 statement not allowed", () => {
  it.each([
    ["outputs", "  outputs x\n  return x", "2:3", "`outputs` is not allowed in a tensor function"],
    ["dim", "  dim T\n  return x", "2:3", "`dim` is not allowed in a tensor function"],
    ["a bare expression", "  relu(x)\n  return x", "2:3", "an expression whose value is not used"],
    ["unpacking", "  a, b = x\n  return a", "2:3", "unpacking into several names"],
    ["several results", "  return x, x", "2:3", "returning several values"],
    ["a statement after return", "  return x\n  y = x", "3:3", "a statement after `return`"],
  ])("%s", (_what, body, at, message) => {
    const { codes, first } = diagnose(withBlock("x", body));
    expect(codes).toEqual([["KML609", at]]);
    expect(first.message).toContain(message);
  });
});

describe("KML610 expression not allowed", () => {
  it("a nested lambda", () => {
    const { codes, first } = diagnose(withLambda("lambda x: relu(lambda y: y)"));
    expect(codes).toEqual([["KML610", "3:29"]]);
    expect(first.message).toBe("a nested `lambda` is not allowed in a tensor expression");
  });

  it("calling the result of a call", () => {
    const { codes } = diagnose(withLambda("lambda x: relu(x)(x)"));
    expect(codes).toEqual([["KML610", "3:24"]]);
  });
});

describe("KML611 block without return", () => {
  it("at the block's name", () => {
    const { codes, first } = diagnose(withBlock("x", "  y = relu(x)"));
    expect(codes).toEqual([["KML611", "1:7"]]);
    expect(first.message).toBe("block `f` is used as a function but has no `return`");
  });
});

describe("KML612 invalid parameters", () => {
  it("a lambda without parameters", () => {
    const { codes, first } = diagnose(withLambda("lambda: 1"));
    expect(codes).toEqual([["KML612", "3:14"]]);
    expect(first.message).toBe("a tensor function needs a parameter for its input tensor");
  });

  it("a block parameter with a default value", () => {
    const { codes, first } = diagnose(withBlock("x, k=2", "  return x * k"));
    expect(codes).toEqual([["KML612", "1:12"]]);
    expect(first.message).toContain("parameter `k` has a default value");
  });
});

describe("KML613 constant result", () => {
  it.each([["lambda x: 2.0"], ["lambda x: maximum(1, 2)"]])("%s", (lambda) => {
    const { codes, first } = diagnose(withLambda(lambda));
    expect(codes).toEqual([["KML613", "3:24"]]);
    expect(first.message).toBe("the function's result does not depend on its inputs");
  });
});

describe("KML614 unused parameter", () => {
  it("is a warning; the Lambda still compiles", () => {
    const { codes, first } = diagnose(`model m {
  a = Input(shape=(4,))
  b = Input(shape=(4,))
  y = Lambda(lambda p, q: p * 2)([a, b])
  outputs y
}
`);
    expect(codes).toEqual([["KML614", "4:24"]]);
    expect(first.severity).toBe("warning");
    expect(first.message).toBe("parameter `q` is never used");
  });
});

it("reports every problem of a function, not just the first", () => {
  const { codes } = diagnose(withLambda("lambda x: mena(x) + relu(x, beta=1) + y"));
  expect(codes).toEqual([
    ["KML601", "3:24"],
    ["KML603", "3:42"],
    ["KML605", "3:52"],
  ]);
});
