// Lowers an expression of a model or block body to what it denotes, adding nodes to the graph as layers
// are applied: `Dense(8)` constructs, `encode(a)` applies, `residual(x, 32)` expands a block, `add([a, b])`
// constructs and applies, `[a, b]` lists tensors, anything else is a constant.
import type { CallExpr, Expr, NameExpr } from "../1-parse/ast.js";
import {
  expansionTooLarge,
  modelUsedAsLayer,
  notALayer,
  notATensor,
  unsupportedApplicationKeyword,
} from "../diagnostics/catalogue/names.js";
import type { ArgInput } from "../layers/arg-input.js";
import type { LayerDef } from "../layers/layer.js";
import type { Span } from "../source.js";
import { walkExpr } from "./ast-walk.js";
import { constructLayer } from "./construct-layer.js";
import { type Denotation, describeDenotation, type LayerObject, POISON } from "./denotation.js";
import { evaluateArg } from "./evaluate-args.js";
import { expandBlock } from "./expand-block.js";
import { type Env, reportUnresolved, resolveName } from "./resolve.js";

/**
 * What `expr` denotes. `outputs` is the number of names it is unpacked into: an application creates that
 * many output tensors (inference checks the layer really produces as many).
 */
export function lowerExpr(expr: Expr, env: Env, outputs = 1): Denotation {
  switch (expr.kind) {
    case "name":
      return lowerName(expr, env);
    case "call":
      return lowerCall(expr, env, outputs);
    case "list":
    case "tuple":
      return lowerSequence(expr.items, expr.kind === "tuple", expr.span, env);
    default: {
      const arg = evaluateArg(expr, env);
      return arg ? { kind: "const", arg } : POISON;
    }
  }
}

function lowerName(expr: NameExpr, env: Env): Denotation {
  const resolved = resolveName(expr.name, env);
  switch (resolved.kind) {
    case "local":
      if (resolved.binding.role === "dim")
        return { kind: "const", arg: { kind: "dim", name: expr.name, span: expr.span } };
      return resolved.binding.denotation;
    case "global":
      if (resolved.decl.kind === "dim") {
        env.graph.useDim(expr.name, resolved.decl.name.span);
        return { kind: "const", arg: { kind: "dim", name: expr.name, span: expr.span } };
      }
      return {
        kind: "const",
        arg: { kind: "graphRef", name: expr.name, what: resolved.decl.kind, span: expr.span },
      };
    case "layerType":
    case "functionalForm":
      return { kind: "const", arg: { kind: "graphRef", name: expr.name, what: "layer", span: expr.span } };
    case "unresolved":
      reportUnresolved(expr.name, expr.span, env, false);
      return POISON;
  }
}

/** `(3, 3)` is a constant; `[a, b]` with tensors in it is a list of tensors. */
function lowerSequence(items: readonly Expr[], tuple: boolean, span: Span, env: Env): Denotation {
  const lowered = items.map((item) => lowerExpr(item, env));
  if (lowered.some((d) => d.kind === "poison")) return POISON;
  if (lowered.every((d) => d.kind === "const")) {
    const args: ArgInput[] = lowered.map((d) => (d as Extract<Denotation, { kind: "const" }>).arg);
    return { kind: "const", arg: { kind: "sequence", tuple, items: args, span } };
  }
  return { kind: "list", items: lowered, spans: items.map((i) => i.span), span };
}

function lowerCall(call: CallExpr, env: Env, outputs: number): Denotation {
  if (call.callee.kind === "name") return lowerNamedCall(call, call.callee, env, outputs);
  // `Dense(8)(x)`, `Dense(8)(x)(y)`: the callee is itself an expression.
  const callee = lowerExpr(call.callee, env);
  return applyDenotation(callee, call, describeCallee(call.callee), env, outputs);
}

function lowerNamedCall(call: CallExpr, callee: NameExpr, env: Env, outputs: number): Denotation {
  const resolved = resolveName(callee.name, env);
  switch (resolved.kind) {
    case "local":
      return applyDenotation(resolved.binding.denotation, call, `\`${callee.name}\``, env, outputs);
    case "global":
      switch (resolved.decl.kind) {
        case "block":
          return expandBlock(resolved.decl.decl, call, env, undefined);
        case "model":
          env.ctx.report(modelUsedAsLayer(callee.span, callee.name));
          lowerInputs(call, env);
          return POISON;
        case "dim":
          env.ctx.report(
            notALayer(
              callee.span,
              `\`${callee.name}\``,
              "a symbolic dimension",
              "only layers and blocks can be called",
            ),
          );
          return POISON;
      }
      break;
    case "layerType":
      return constructLayer(resolved.def, call, env, outputs);
    case "functionalForm":
      return applyFunctionalForm(resolved.def, call, env, outputs);
    case "unresolved":
      reportUnresolved(callee.name, callee.span, env, true);
      // Unknown callee: its arguments may be layer arguments or tensors, so only note the names as read.
      markNamesUsed(call, env);
      return POISON;
  }
}

/**
 * `add([a, b])`, `concatenate([a, b], axis=1)`: a functional form is its layer constructed from the other
 * arguments and applied to the first one (or to `inputs=`), as Keras's `Concatenate(axis=1)([a, b])`. The
 * inputs are lowered first, as Python evaluates them first: `add([add([a, b]), c])` names the inner `add_1`.
 * Without inputs the layer is applied to none, and inference reports how many it takes.
 */
function applyFunctionalForm(def: LayerDef, call: CallExpr, env: Env, outputs: number): Denotation {
  const [first, ...rest] = call.args;
  const inputsKeyword = first ? undefined : call.kwargs.find((kw) => kw.name.name === "inputs");
  const inputsExpr = first ?? inputsKeyword?.value;
  const inputs: number[] = [];
  const inputsOk =
    inputsExpr === undefined ||
    collectTensors(lowerExpr(inputsExpr, env), inputsExpr.span, inputs, env, "a layer's input");
  const constructorCall: CallExpr = {
    ...call,
    args: rest,
    kwargs: call.kwargs.filter((kw) => kw !== inputsKeyword),
  };
  const layer = constructLayer(def, constructorCall, env);
  if (!inputsOk || layer.kind !== "layer") return POISON;
  return applyLayerTo(layer.layer, inputs, outputs, call.span, env);
}

/** Calls what `callee` denotes with the call's arguments as input tensors. */
function applyDenotation(
  callee: Denotation,
  call: CallExpr,
  calleeText: string,
  env: Env,
  outputs: number,
): Denotation {
  if (callee.kind === "layer") return applyLayer(callee.layer, call, env, outputs);
  if (callee.kind !== "poison") {
    const tensor = callee.kind === "tensor" || callee.kind === "tensors";
    const hint = tensor
      ? call.callee.kind === "call"
        ? "this call already produced a tensor; apply a layer to it instead: `Dense(8)(x)`"
        : `to apply a layer to it, write \`Dense(8)(${calleeText.replace(/`/g, "")})\``
      : "only layers and blocks can be called";
    env.ctx.report(notALayer(call.callee.span, calleeText, describeDenotation(callee), hint));
  }
  lowerInputs(call, env);
  return POISON;
}

/** `layer(x)`, `layer([a, b])`, `lstm(x, initial_state=[h, c])`: one node reading the input tensors. */
export function applyLayer(layer: LayerObject, call: CallExpr, env: Env, outputs: number): Denotation {
  const inputs = lowerInputs(call, env);
  return inputs ? applyLayerTo(layer, inputs, outputs, call.span, env) : POISON;
}

/**
 * Adds the node applying `layer` to `inputs` (the sequential lowering calls this with the running tensor).
 * `inputs` is handed to the graph as is: pass a fresh array.
 */
export function applyLayerTo(
  layer: LayerObject,
  inputs: number[],
  outputs: number,
  span: Span,
  env: Env,
): Denotation {
  if (env.graph.nodeCount >= env.ctx.maxNodesPerGraph) {
    if (!env.graph.overBudget)
      env.ctx.report(expansionTooLarge(env.ctx.expandedFrom[0] ?? span, env.ctx.maxNodesPerGraph));
    env.graph.overBudget = true;
    return POISON;
  }
  const values = env.graph.addNode(layer, inputs, outputs, span, env.ctx.expandedFrom);
  return values.length === 1
    ? { kind: "tensor", value: values[0]!, fromInput: false }
    : { kind: "tensors", values };
}

/**
 * The input tensors of an application, flattened (`[a, b]` and `a, b` alike), with `initial_state=`
 * appended as Keras's recurrent layers do. Undefined when one is not a tensor (reported) or invalid.
 */
function lowerInputs(call: CallExpr, env: Env): number[] | undefined {
  const values: number[] = [];
  let ok = true;
  const take = (expr: Expr): void => {
    const d = lowerExpr(expr, env);
    if (!collectTensors(d, expr.span, values, env, "a layer's input")) ok = false;
  };
  for (const arg of call.args) take(arg);
  for (const kw of call.kwargs) {
    if (kw.name.name === "initial_state") take(kw.value);
    else {
      env.ctx.report(unsupportedApplicationKeyword(kw.name.span, kw.name.name));
      ok = false;
    }
  }
  return ok ? values : undefined;
}

/**
 * Appends the tensors `d` denotes to `into`; false (after reporting what it is instead) when `d` is not
 * made of tensors, or silently when it is invalid. `where` completes "… must be a tensor".
 */
export function collectTensors(d: Denotation, span: Span, into: number[], env: Env, where: string): boolean {
  switch (d.kind) {
    case "tensor":
      into.push(d.value);
      return true;
    case "tensors":
      into.push(...d.values);
      return true;
    case "list":
      return d.items
        .map((item, i) => collectTensors(item, d.spans[i] ?? d.span, into, env, where))
        .every(Boolean);
    case "poison":
      return false;
    case "layer":
      env.ctx.report(
        notATensor(
          span,
          describeDenotation(d),
          where,
          `apply the layer to get a tensor, e.g. \`${d.layer.def.name}(...)(x)\``,
        ),
      );
      return false;
    case "const":
      env.ctx.report(
        notATensor(
          span,
          describeDenotation(d),
          where,
          "pass a tensor: a name bound to `Input(...)` or to a layer's output",
        ),
      );
      return false;
  }
}

/** Marks every name in the call's arguments as read, without resolving them (no cascade of "unused"). */
function markNamesUsed(call: CallExpr, env: Env): void {
  const visit = (expr: Expr) => {
    if (expr.kind === "name") env.scope.use(expr.name);
  };
  for (const arg of call.args) walkExpr(arg, visit);
  for (const kw of call.kwargs) walkExpr(kw.value, visit);
}

function describeCallee(callee: Expr): string {
  if (callee.kind === "call" && callee.callee.kind === "name") return `\`${callee.callee.name}(...)\``;
  return "this expression";
}
