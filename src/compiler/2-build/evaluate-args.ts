// Evaluates a layer argument expression to the ArgInput the layer schema checks: literals, tuples and
// lists, block parameters substituted, constant arithmetic folded, dims identified, other calls
// (initializers, regularizers, wrapped layers) kept as calls, tensor or layer names passed on as graph
// references for the schema to reject with its own message, and lambdas and block names as functions.
import type { CallExpr, Expr, KeywordArg } from "../1-parse/ast.js";
import { notConstant } from "../diagnostics/catalogue/names.js";
import type { ArgInput, KeywordInput, LayerCallInput } from "../layers/arg-input.js";
import type { Span } from "../source.js";
import type { Denotation } from "./denotation.js";
import { foldBinary, foldUnary } from "./fold.js";
import { blockArgument, lambdaArgument } from "./function-arg.js";
import { type Env, type Resolution, reportUnresolved, resolveName } from "./resolve.js";

/** The argument's value, or undefined after reporting why it has none. */
export function evaluateArg(expr: Expr, env: Env): ArgInput | undefined {
  switch (expr.kind) {
    case "int":
      return { kind: "scalar", value: expr.value, isFloat: false, span: expr.span };
    case "float":
      return { kind: "scalar", value: expr.value, isFloat: true, span: expr.span };
    case "string":
    case "bool":
      return { kind: "scalar", value: expr.value, isFloat: false, span: expr.span };
    case "none":
      return { kind: "scalar", value: null, isFloat: false, span: expr.span };
    case "tuple":
    case "list": {
      const items = evaluateAll(expr.items, env);
      return items && { kind: "sequence", tuple: expr.kind === "tuple", items, span: expr.span };
    }
    case "lambda":
      return lambdaArgument(expr, (name, span) => captureName(name, span, env));
    case "name":
      return evaluateName(expr.name, expr.span, env);
    case "unary": {
      const operand = evaluateArg(expr.operand, env);
      return operand && folded(foldUnary(expr.op, operand, expr.span), expr.span, env);
    }
    case "binary": {
      const left = evaluateArg(expr.left, env);
      const right = evaluateArg(expr.right, env);
      return left && right && folded(foldBinary(expr.op, left, right, expr.span), expr.span, env);
    }
    case "call":
      return evaluateCall(expr, env);
  }
}

/** A constructor call's arguments as the schema takes them, or undefined when one could not be evaluated. */
export function evaluateLayerCall(call: CallExpr, layerName: string, env: Env): LayerCallInput | undefined {
  const positional = evaluateAll(call.args, env);
  const keywords = evaluateKeywords(call.kwargs, env);
  if (!positional || !keywords) return undefined;
  return { layerName, calleeSpan: call.callee.span, positional, keywords, span: call.span };
}

function evaluateAll(exprs: readonly Expr[], env: Env): ArgInput[] | undefined {
  // Every item is evaluated (not just up to the first failure) so that each problem is reported.
  const items = exprs.map((e) => evaluateArg(e, env));
  return items.every((i) => i !== undefined) ? (items as ArgInput[]) : undefined;
}

function evaluateKeywords(kwargs: readonly KeywordArg[], env: Env): KeywordInput[] | undefined {
  const values = kwargs.map((kw) => evaluateArg(kw.value, env));
  if (!values.every((v) => v !== undefined)) return undefined;
  return kwargs.map((kw, i) => ({
    name: kw.name.name,
    nameSpan: kw.name.span,
    value: values[i]!,
    span: kw.span,
  }));
}

function folded(result: ReturnType<typeof foldBinary>, span: Span, env: Env): ArgInput | undefined {
  if (result.ok) return result.arg;
  env.ctx.report(
    notConstant(
      span,
      `cannot compute this at build time: ${result.reason}`,
      "layer arguments must be constants",
    ),
  );
  return undefined;
}

function evaluateName(name: string, span: Span, env: Env): ArgInput | undefined {
  const resolved = resolveName(name, env);
  if (resolved.kind !== "unresolved") return fromResolution(resolved, name, span, env);
  reportUnresolved(name, span, env, false);
  return undefined;
}

/**
 * A free name of a lambda's body, evaluated where the lambda is written but not reported when unbound (the
 * function's lowering reports it with its own suggestions). A block name is a reference here, not a
 * function: functions are not values inside the expression language, and a block naming itself must not
 * be captured forever.
 */
function captureName(name: string, span: Span, env: Env): ArgInput | null | undefined {
  const resolved = resolveName(name, env);
  if (resolved.kind === "unresolved") return undefined;
  if (resolved.kind === "global" && resolved.decl.kind === "block")
    return { kind: "graphRef", name, what: "block", span };
  return fromResolution(resolved, name, span, env) ?? null;
}

/** A free name of a block's body: only top-level declarations are in its scope. */
function captureGlobal(name: string, span: Span, env: Env): ArgInput | undefined {
  const decl = env.ctx.program.get(name);
  if (!decl) return undefined;
  return decl.kind === "dim"
    ? { kind: "dim", name, span }
    : { kind: "graphRef", name, what: decl.kind, span };
}

function fromResolution(
  resolved: Exclude<Resolution, { kind: "unresolved" }>,
  name: string,
  span: Span,
  env: Env,
): ArgInput | undefined {
  switch (resolved.kind) {
    case "local":
      if (resolved.binding.role === "dim") {
        env.graph.useDim(name, resolved.binding.span);
        return { kind: "dim", name, span };
      }
      return fromDenotation(resolved.binding.denotation, name, span, env);
    case "global":
      if (resolved.decl.kind === "dim") {
        env.graph.useDim(name, resolved.decl.name.span);
        return { kind: "dim", name, span };
      }
      // A block passed by name is a tensor function (Lambda's); its body sees only top-level names.
      if (resolved.decl.kind === "block")
        return blockArgument(resolved.decl.decl, span, (free, at) => captureGlobal(free, at, env));
      return { kind: "graphRef", name, what: resolved.decl.kind, span };
    case "layerType":
    case "functionalForm":
      return { kind: "graphRef", name, what: "layer", span };
  }
}

/** A name bound in the body, used as an argument: constants substitute, tensors and layers are references. */
function fromDenotation(d: Denotation, name: string, span: Span, env: Env): ArgInput | undefined {
  switch (d.kind) {
    case "const":
      // A block parameter keeps the span of the argument at the call site: that is where the value was written.
      if (d.arg.kind === "dim") env.graph.useDim(d.arg.name, dimDeclaration(d.arg.name, env) ?? d.arg.span);
      return d.arg;
    case "tensor":
    case "tensors":
    case "list":
      return { kind: "graphRef", name, what: "tensor", span };
    case "layer":
      return { kind: "graphRef", name, what: "layer", span };
    case "poison":
      return undefined;
  }
}

/** `RandomNormal(stddev=0.1)`, `l2(0.01)` or a wrapped `Dense(8)`: kept as a call for the schema. */
function evaluateCall(call: CallExpr, env: Env): ArgInput | undefined {
  if (call.callee.kind !== "name") {
    env.ctx.report(
      notConstant(
        call.span,
        "a layer application cannot be an argument value",
        "apply the layer on its own line and pass the tensor as a layer input instead",
      ),
    );
    return undefined;
  }
  const args = evaluateAll(call.args, env);
  const kwargs = evaluateKeywords(call.kwargs, env);
  if (!args || !kwargs) return undefined;
  return { kind: "call", name: call.callee.name, nameSpan: call.callee.span, args, kwargs, span: call.span };
}

function dimDeclaration(name: string, env: Env): Span | undefined {
  const decl = env.ctx.program.get(name);
  return decl?.kind === "dim" ? decl.name.span : undefined;
}
