// Diagnostics about names, blocks, imports and model structure (KML201–KML299): what the builder finds
// while turning the AST into an IR graph. Warnings start at KML250.
import type { Span } from "../../source.js";
import type { Diagnostic, RelatedLocation } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const UNDEFINED_NAME = defineKind("KML201", "error", "undefined name");
const USED_BEFORE_DEFINITION = defineKind("KML202", "error", "name used before its definition");
const DUPLICATE_DECLARATION = defineKind("KML203", "error", "duplicate model, block or dim name");
const DUPLICATE_LAYER_NAME = defineKind("KML205", "error", "duplicate layer name in a model");
const BLOCK_CYCLE = defineKind("KML206", "error", "block calls itself");
const IMPORT_CYCLE = defineKind("KML207", "error", "import cycle");
const IMPORT_FAILED = defineKind("KML208", "error", "import cannot be read");
const UNKNOWN_LAYER = defineKind("KML209", "error", "unknown layer");
const NOT_A_LAYER = defineKind("KML210", "error", "called value is not a layer");
const NOT_A_TENSOR = defineKind("KML211", "error", "a tensor is needed here");
const LAYER_NOT_APPLIED = defineKind("KML212", "error", "layer constructed but never applied");
const UNPACK_MISMATCH = defineKind("KML213", "error", "unpacking count mismatch");
const MODEL_WITHOUT_OUTPUTS = defineKind("KML214", "error", "model without outputs");
const MODEL_WITHOUT_INPUT = defineKind("KML215", "error", "model without Input");
const SEQUENTIAL_WITHOUT_INPUT_SHAPE = defineKind("KML216", "error", "sequential model without input shape");
const TOO_MANY_BLOCK_ARGUMENTS = defineKind("KML217", "error", "too many block arguments");
const UNKNOWN_BLOCK_KEYWORD = defineKind("KML218", "error", "unknown block parameter");
const MISSING_BLOCK_ARGUMENT = defineKind("KML219", "error", "missing block argument");
const BLOCK_ARGUMENT_TWICE = defineKind("KML220", "error", "block argument given twice");
const STATEMENT_NOT_ALLOWED = defineKind("KML221", "error", "statement not allowed here");
const BLOCK_WITHOUT_RETURN = defineKind("KML222", "error", "block without return");
const NOT_CONSTANT = defineKind("KML223", "error", "value cannot be computed at compile time");
const MODEL_USED_AS_LAYER = defineKind("KML224", "error", "model used as a layer");
const MISPLACED_INPUT = defineKind("KML225", "error", "Input inside a sequential model");
const EXPANSION_TOO_LARGE = defineKind("KML226", "error", "block expansion too large");
const SEQUENTIAL_LINE_NOT_LAYER = defineKind("KML227", "error", "sequential line is not a layer");
const UNSUPPORTED_CALL_KEYWORD = defineKind("KML228", "error", "unsupported keyword in a layer application");
const UNKNOWN_HEADER_ARGUMENT = defineKind("KML229", "error", "unknown sequential header argument");
const STATEMENT_WITHOUT_EFFECT = defineKind("KML230", "error", "statement without effect");
const UNSUPPORTED_LAYER = defineKind("KML231", "error", "Keras layer not supported yet");

const UNUSED_INPUT = defineKind("KML250", "warning", "unused Input");
const UNUSED_VALUE = defineKind("KML251", "warning", "unused value");
const UNUSED_BLOCK_PARAMETER = defineKind("KML252", "warning", "unused block parameter");

const code = (s: string): string => `\`${s}\``;

function didYouMean(suggestion: string | undefined): string | undefined {
  return suggestion === undefined ? undefined : `did you mean ${code(suggestion)}?`;
}

/** `Dense(8)(y)` where nothing named `y` exists. Span: the name. */
export function undefinedName(span: Span, name: string, suggestion: string | undefined): Diagnostic {
  return makeDiagnostic(UNDEFINED_NAME, span, `${code(name)} is not defined`, {
    hint: didYouMean(suggestion) ?? `define it before this line, e.g. \`${name} = Input(shape=(...))\``,
  });
}

/**
 * `y = Dense(8)(x)` before `x = ...`: the name exists in this body, but only further down.
 * Span: the use; related: the definition. `where` is e.g. " on line 7" (empty without sources); `own`
 * when the use is inside the very statement that first defines the name (`x = Dense(3)(x)`).
 */
export function usedBeforeDefinition(
  span: Span,
  name: string,
  definition: Span,
  where: string,
  own: boolean,
): Diagnostic {
  const message = own
    ? `${code(name)} is used in its own definition`
    : `${code(name)} is used before it is defined${where}`;
  return makeDiagnostic(USED_BEFORE_DEFINITION, span, message, {
    hint: own
      ? `a name can only be rebound from an earlier value; define ${code(name)} on an earlier line`
      : `statements run top to bottom: move the definition of ${code(name)} above this line`,
    related: [{ span: definition, message: `${code(name)} is defined here` }],
  });
}

/** Two models / blocks / dims with one name, in one file or across imports. Span: the second name. */
export function duplicateDeclaration(
  span: Span,
  what: string,
  name: string,
  first: Span,
  firstWhat: string,
): Diagnostic {
  const elsewhere = first.file !== span.file ? ` in ${first.file}` : "";
  return makeDiagnostic(
    DUPLICATE_DECLARATION,
    span,
    `${what} ${code(name)} is already declared as a ${firstWhat}${elsewhere}`,
    {
      hint: "models, blocks and dims share one namespace across a file and its imports; rename one of them",
      related: [{ span: first, message: `the first ${code(name)} is declared here` }],
    },
  );
}

/**
 * Two layers of one model with the same name (Keras requires unique layer names).
 * Span: the later `name=` value (or the layer); related: the layer that has the name already.
 */
export function duplicateLayerName(
  span: Span,
  name: string,
  first: Span,
  firstIsAutomatic: boolean,
  inBlock: boolean,
): Diagnostic {
  const hint = inBlock
    ? "a block expanded twice constructs its layers twice: drop `name=` or pass the name as a block parameter"
    : "layer names must be unique within a model; choose another name";
  return makeDiagnostic(DUPLICATE_LAYER_NAME, span, `the model already has a layer named ${code(name)}`, {
    hint,
    related: [
      {
        span: first,
        message: firstIsAutomatic
          ? `this layer is automatically named ${code(name)}`
          : `${code(name)} is first used here`,
      },
    ],
  });
}

/** A block that expands into itself, directly or through others. Span: the call that closes the cycle. */
export function blockCycle(
  span: Span,
  chain: readonly string[],
  declarations: readonly RelatedLocation[],
): Diagnostic {
  const path = chain.map(code).join(" → ");
  const message =
    chain.length <= 2
      ? `block ${code(chain[0] ?? "")} calls itself`
      : `block ${code(chain[0] ?? "")} calls itself through ${path}`;
  return makeDiagnostic(BLOCK_CYCLE, span, message, {
    hint: "blocks are expanded at build time, so they cannot be recursive; unroll the repetition instead",
    related: declarations,
  });
}

/** `a.kml` imports `b.kml` which imports `a.kml`. Span: the import that closes the cycle. */
export function importCycle(span: Span, chain: readonly string[]): Diagnostic {
  return makeDiagnostic(IMPORT_CYCLE, span, `import cycle: ${chain.map((p) => `"${p}"`).join(" → ")}`, {
    hint: "move what both files need into a third file that imports neither",
  });
}

/** `import "missing.kml"`. Span: the path string. */
export function importFailed(span: Span, path: string, reason: string): Diagnostic {
  return makeDiagnostic(IMPORT_FAILED, span, `cannot import "${path}": ${reason}`, {
    hint: "import paths are relative to the importing file",
  });
}

/** `Conv2d(32, 3)`: no layer, block or model of that name. Span: the name. */
export function unknownLayer(span: Span, name: string, suggestion: string | undefined): Diagnostic {
  return makeDiagnostic(UNKNOWN_LAYER, span, `unknown layer ${code(name)}`, {
    hint:
      didYouMean(suggestion) ??
      "kerasc knows the Keras 2 layers listed in the README, plus the blocks declared in this file and its imports",
  });
}

/** `Conv2D(32, 3)` in a release that does not implement Conv2D yet. Span: the name. */
export function unsupportedLayer(span: Span, name: string): Diagnostic {
  return makeDiagnostic(
    UNSUPPORTED_LAYER,
    span,
    `${code(name)} is a Keras 2 layer that kerasc does not support yet`,
    {
      hint: "the README lists the layers this release checks",
    },
  );
}

/** `x(y)` where `x` is a tensor, or `Input(...)(x)`. Span: the callee; `what` describes it ("a tensor"). */
export function notALayer(span: Span, name: string, what: string, hint: string): Diagnostic {
  return makeDiagnostic(NOT_A_LAYER, span, `${name} is ${what}, not a layer: it cannot be applied`, { hint });
}

/** A layer, number or block where a tensor is needed (a layer's input, `outputs`, `return`). Span: the expression. */
export function notATensor(span: Span, what: string, where: string, hint: string): Diagnostic {
  return makeDiagnostic(NOT_A_TENSOR, span, `${where} must be a tensor, but this is ${what}`, { hint });
}

/** `Dense(8)` alone on a line of a model or block body. Span: the constructor call. */
export function layerNotApplied(span: Span, layerType: string): Diagnostic {
  return makeDiagnostic(
    LAYER_NOT_APPLIED,
    span,
    `${layerType} is constructed but never applied to a tensor`,
    {
      hint: `apply it, e.g. \`y = ${layerType}(...)(x)\`, or bind it to a name to apply later; only a \`sequential\` body applies layers implicitly`,
    },
  );
}

/**
 * `a, b = Dense(3)(x)`: the number of names differs from the number of tensors produced.
 * Span: the assignment targets (or the application).
 */
export function unpackCountMismatch(
  span: Span,
  producer: string,
  produced: number,
  names: number,
): Diagnostic {
  const tensors = `${produced} tensor${produced === 1 ? "" : "s"}`;
  const hint =
    produced > 1 && names === 1
      ? `unpack them into ${produced} names: \`${Array.from({ length: produced }, (_, i) => `t${i + 1}`).join(", ")} = ...\``
      : `write exactly ${produced} name${produced === 1 ? "" : "s"} on the left`;
  return makeDiagnostic(
    UNPACK_MISMATCH,
    span,
    `${producer} produces ${tensors}, but ${names} name${names === 1 ? " is" : "s are"} bound`,
    { hint },
  );
}

/** A `model` body without an `outputs` statement. Span: the model's name. */
export function modelWithoutOutputs(span: Span, model: string): Diagnostic {
  return makeDiagnostic(MODEL_WITHOUT_OUTPUTS, span, `model ${code(model)} has no \`outputs\` statement`, {
    hint: "end the body with the model's results, e.g. `outputs y` or `outputs a, b`",
  });
}

/** A `model` body that never creates an `Input`. Span: the model's name. */
export function modelWithoutInput(span: Span, model: string): Diagnostic {
  return makeDiagnostic(MODEL_WITHOUT_INPUT, span, `model ${code(model)} has no Input`, {
    hint: "declare each input tensor, e.g. `x = Input(shape=(784,))`",
  });
}

/**
 * A sequential model whose input shape is given neither on the header nor on the first layer.
 * Span: the first layer line, or the model's name when the body is empty.
 */
export function sequentialWithoutInputShape(span: Span, model: string, firstIsBlock: boolean): Diagnostic {
  const hint = firstIsBlock
    ? `a block line needs a running tensor: give the shape on the header, e.g. \`sequential ${model}(input_shape=(784,)) {\``
    : `give the shape on the header, \`sequential ${model}(input_shape=(784,)) {\`, or on the first layer, e.g. \`Dense(64, input_shape=(784,))\``;
  return makeDiagnostic(
    SEQUENTIAL_WITHOUT_INPUT_SHAPE,
    span,
    `sequential model ${code(model)} does not say what shape its input has`,
    { hint },
  );
}

/** `residual(x, 32, 3, 9)` when the block has three parameters. Span: the first extra argument. */
export function tooManyBlockArguments(
  span: Span,
  block: string,
  params: readonly string[],
  given: number,
  sequentialLine: boolean,
): Diagnostic {
  const implicit = sequentialLine ? " (on a sequential line the running tensor is the first)" : "";
  return makeDiagnostic(
    TOO_MANY_BLOCK_ARGUMENTS,
    span,
    `block ${code(block)} takes ${params.length} argument${params.length === 1 ? "" : "s"}${implicit}, got ${given}`,
    { hint: `its parameters are ${params.map(code).join(", ") || "none"}` },
  );
}

/** `residual(x, filter=32)`: no such parameter. Span: the keyword. */
export function unknownBlockKeyword(
  span: Span,
  block: string,
  keyword: string,
  suggestion: string | undefined,
  params: readonly string[],
): Diagnostic {
  return makeDiagnostic(
    UNKNOWN_BLOCK_KEYWORD,
    span,
    `block ${code(block)} has no parameter ${code(keyword)}`,
    {
      hint: didYouMean(suggestion) ?? `its parameters are ${params.map(code).join(", ") || "none"}`,
    },
  );
}

/** `residual(x)` when `filters` has no default. Span: the call; related: the parameter. */
export function missingBlockArgument(span: Span, block: string, param: string, paramSpan: Span): Diagnostic {
  return makeDiagnostic(
    MISSING_BLOCK_ARGUMENT,
    span,
    `block ${code(block)} needs the argument ${code(param)}`,
    {
      hint: `pass it positionally or as \`${param}=...\``,
      related: [{ span: paramSpan, message: `${code(param)} is declared here without a default` }],
    },
  );
}

/** `residual(x, 32, filters=64)`. Span: the second occurrence; related: the first. */
export function blockArgumentGivenTwice(span: Span, block: string, param: string, first: Span): Diagnostic {
  return makeDiagnostic(
    BLOCK_ARGUMENT_TWICE,
    span,
    `argument ${code(param)} of block ${code(block)} is given twice`,
    { hint: "keep one of them", related: [{ span: first, message: `${code(param)} is first given here` }] },
  );
}

/**
 * A statement in a body that cannot hold it: `return` in a model, `outputs` in a block, an assignment in a
 * sequential body, a second `outputs`. Span: the statement.
 */
export function statementNotAllowed(span: Span, message: string, hint: string): Diagnostic {
  return makeDiagnostic(STATEMENT_NOT_ALLOWED, span, message, { hint });
}

/** A block body without `return`. Span: the block's name. */
export function blockWithoutReturn(span: Span, block: string): Diagnostic {
  return makeDiagnostic(BLOCK_WITHOUT_RETURN, span, `block ${code(block)} does not return anything`, {
    hint: "end the block with `return y` (or `return a, b`) naming the tensors it produces",
  });
}

/** An argument expression kerasc cannot fold to a constant (`T * 2`, `1 // 0`, a layer application). */
export function notConstant(span: Span, reason: string, hint: string): Diagnostic {
  return makeDiagnostic(NOT_CONSTANT, span, reason, { hint });
}

/** `other_model(x)`: nesting models is not supported. Span: the callee. */
export function modelUsedAsLayer(span: Span, model: string): Diagnostic {
  return makeDiagnostic(MODEL_USED_AS_LAYER, span, `model ${code(model)} cannot be used as a layer`, {
    hint: "turn the shared part into a `block` and call it from both models",
  });
}

/** `Input(...)` on a later line of a sequential body. Span: the call. */
export function misplacedInput(span: Span): Diagnostic {
  return makeDiagnostic(MISPLACED_INPUT, span, "Input can only be the first line of a sequential model", {
    hint: "a sequential model has one input, given by its header, its first layer or a first-line Input; use a `model` for several inputs",
  });
}

/** Nested blocks multiplying into more layers than a model can reasonably have. Span: the outermost call. */
export function expansionTooLarge(span: Span, limit: number): Diagnostic {
  return makeDiagnostic(
    EXPANSION_TOO_LARGE,
    span,
    `expanding this block call makes the model larger than ${limit} layer applications`,
    { hint: "blocks that call other blocks several times grow exponentially; check the nesting" },
  );
}

/** A sequential line that is not `Layer(args)` or `block(args)`. Span: the line. */
export function sequentialLineNotLayer(span: Span, hint: string): Diagnostic {
  return makeDiagnostic(
    SEQUENTIAL_LINE_NOT_LAYER,
    span,
    "each line of a sequential model must be a layer or a block call",
    { hint },
  );
}

/** `layer(x, training=True)`: keywords other than `initial_state` are not part of the language. */
export function unsupportedApplicationKeyword(span: Span, keyword: string): Diagnostic {
  return makeDiagnostic(
    UNSUPPORTED_CALL_KEYWORD,
    span,
    `applying a layer takes no keyword ${code(keyword)}`,
    {
      hint: "pass tensors positionally, several as a list: `layer([a, b])`; only `initial_state=` is accepted",
    },
  );
}

/** `sequential m(input_shap=(3,))`. Span: the keyword. */
export function unknownHeaderArgument(
  span: Span,
  name: string,
  suggestion: string | undefined,
  accepted: readonly string[],
): Diagnostic {
  return makeDiagnostic(
    UNKNOWN_HEADER_ARGUMENT,
    span,
    `a sequential header takes no argument ${code(name)}`,
    { hint: didYouMean(suggestion) ?? `it takes ${accepted.map(code).join(", ")}` },
  );
}

/** `3` or `filters` alone on a line: computes nothing. Span: the statement. */
export function statementWithoutEffect(span: Span, what: string): Diagnostic {
  return makeDiagnostic(STATEMENT_WITHOUT_EFFECT, span, `this line is ${what} and has no effect`, {
    hint: "remove it, or apply a layer: `y = Layer(...)(x)`",
  });
}

/** An `Input` that nothing reads. Span: the name it is bound to (or the call). */
export function unusedInput(span: Span, name: string | undefined): Diagnostic {
  const what = name === undefined ? "this Input" : `Input ${code(name)}`;
  return makeDiagnostic(UNUSED_INPUT, span, `${what} is never used`, {
    hint: "feed it to a layer, or remove it (the model would still expect data for it)",
  });
}

/** A value (tensor or layer) assigned but never read nor output. Span: the name (or the statement). */
export function unusedValue(span: Span, name: string | undefined, isLayer: boolean): Diagnostic {
  const message = isLayer
    ? `layer ${code(name ?? "")} is constructed but never applied`
    : name === undefined
      ? "the tensor computed here is never used"
      : `${code(name)} is assigned but never used`;
  const hint = isLayer
    ? `apply it, e.g. \`y = ${name ?? "layer"}(x)\`, or remove it`
    : "use it, list it in `outputs`, or remove the line";
  return makeDiagnostic(UNUSED_VALUE, span, message, { hint });
}

/** A block parameter the body never reads. Span: the parameter. */
export function unusedBlockParameter(span: Span, block: string, param: string): Diagnostic {
  return makeDiagnostic(
    UNUSED_BLOCK_PARAMETER,
    span,
    `parameter ${code(param)} of block ${code(block)} is never used`,
    { hint: "remove it, or use it in the block body" },
  );
}
