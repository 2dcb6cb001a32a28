// Lowers a tensor function — a lambda's single `return`, or the statements of a block passed to Lambda — to
// the tensor-expression IR, reporting each problem at its own span (KML601–KML614). Numbers fold at build
// time; everything that depends on an input becomes a step.

import type { BinaryFn, TensorFunction, TensorStep } from "../../ir/tensor-expr.js";
import { stepOperands } from "../../ir/tensor-expr.js";
import type { BinaryOperator, CallExpr, Expr, Stmt } from "../1-parse/ast.js";
import {
  constantTensorFunctionResult,
  expressionNotInTensorFunction,
  invalidTensorConstant,
  invalidTensorFunctionParameters,
  nameNotInTensorFunction,
  notATensorOperand,
  statementNotInTensorFunction,
  tensorArgumentGivenTwice,
  tensorFunctionWithoutReturn,
  tensorWhereConstantRequired,
  unknownTensorFunction,
  unknownTensorKeyword,
  unusedTensorFunctionParameter,
  wrongTensorArgumentCount,
} from "../diagnostics/catalogue/lambda.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { suggest } from "../diagnostics/suggest.js";
import { joinSpans, type Span } from "../source.js";
import type { ArgInput, FunctionInput } from "./arg-input.js";
import {
  CONSTANT_KINDS,
  type ConstValue,
  capturedProblem,
  constOf,
  convertConstant,
  describeConst,
  foldNumbers,
} from "./lambda-constants.js";
import {
  type BoundTensorArgs,
  formatSignature,
  TENSOR_FUNCTIONS,
  type TensorFunctionSpec,
  type TensorParam,
} from "./lambda-functions.js";

/** What an expression of the function denotes; `poison` means its problem was reported already. */
type Lowered =
  | { readonly kind: "tensor"; readonly step: number; readonly span: Span }
  | { readonly kind: "const"; readonly value: ConstValue; readonly span: Span }
  | { readonly kind: "list"; readonly items: readonly Lowered[]; readonly span: Span }
  | { readonly kind: "poison" };

const POISON: Lowered = { kind: "poison" };

const OPERATORS: Readonly<Record<BinaryOperator, BinaryFn>> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "//": "floordiv",
  "%": "mod",
  "**": "pow",
};

/**
 * The IR of `input`, or undefined after reporting why there is none (warnings alone still give a function).
 * A function with a duplicate parameter was reported by the front end (KML112) and is left alone.
 */
export function lowerTensorFunction(
  input: FunctionInput,
  report: (d: Diagnostic) => void,
): TensorFunction | undefined {
  const names = input.params.map((p) => p.name.name);
  if (new Set(names).size !== names.length) return undefined;
  const block = input.block;
  // Problems inside a block's body also point back at the Lambda that uses it.
  const located = block
    ? (d: Diagnostic) =>
        report({
          ...d,
          related: [
            ...(d.related ?? []),
            { span: input.span, message: `block \`${block.name}\` is used as Lambda's function here` },
          ],
        })
    : report;
  return new FunctionLowering(input, located).run();
}

class FunctionLowering {
  private readonly steps: TensorStep[] = [];
  private readonly names: (string | null)[] = [];
  private readonly scope = new Map<string, Lowered>();
  /** Names the body assigns anywhere: reading one before its assignment is its own mistake. */
  private readonly assigned = new Set<string>();
  private errors = 0;

  constructor(
    private readonly input: FunctionInput,
    private readonly reportTo: (d: Diagnostic) => void,
  ) {
    for (const stmt of input.body)
      if (stmt.kind === "assign") for (const target of stmt.targets) this.assigned.add(target.name);
  }

  private report(d: Diagnostic): void {
    if (d.severity === "error") this.errors++;
    this.reportTo(d);
  }

  /** Appends a step; its index. */
  private push(step: TensorStep): number {
    this.steps.push(step);
    this.names.push(null);
    return this.steps.length - 1;
  }

  private emit(step: TensorStep, span: Span): Lowered {
    return { kind: "tensor", step: this.push(step), span };
  }

  run(): TensorFunction | undefined {
    if (!this.bindParameters()) return undefined;
    const result = this.lowerBody(this.input.body);
    if (!result) {
      if (this.input.block)
        this.report(tensorFunctionWithoutReturn(this.input.block.span, this.input.block.name));
      return undefined;
    }
    const step = this.resultStep(result.value, result.span);
    return step === undefined || this.errors > 0 ? undefined : this.finish(step);
  }

  /** One param step per parameter, in order; false after reporting parameters a function cannot have. */
  private bindParameters(): boolean {
    const { params, span } = this.input;
    if (params.length === 0) {
      this.report(
        invalidTensorFunctionParameters(
          span,
          "a tensor function needs a parameter for its input tensor",
          "write `lambda x: ...`; Lambda passes its input as `x`",
        ),
      );
      return false;
    }
    let ok = true;
    params.forEach((param, index) => {
      if (param.default) {
        ok = false;
        this.report(
          invalidTensorFunctionParameters(
            param.span,
            `parameter \`${param.name.name}\` has a default value, but a function's parameters are its input tensors`,
            "write constants into the body instead, e.g. `x * 2.0`",
          ),
        );
      }
      const lowered = this.emit({ className: "param", config: { index } }, param.name.span);
      this.names[index] = param.name.name;
      this.scope.set(param.name.name, lowered);
    });
    return ok;
  }

  /** Lowers the statements up to `return`; undefined when there is none (or it was invalid). */
  private lowerBody(body: readonly Stmt[]): { value: Lowered; span: Span } | undefined {
    let returned: { value: Lowered; span: Span } | undefined;
    let returnSeen = false;
    for (const stmt of body) {
      if (returnSeen) {
        this.report(
          statementNotInTensorFunction(stmt.span, "a statement after `return`", "`return` ends the function"),
        );
        break;
      }
      switch (stmt.kind) {
        case "assign":
          this.lowerAssign(stmt);
          break;
        case "return":
          returnSeen = true;
          if (stmt.values.length !== 1) {
            this.report(
              statementNotInTensorFunction(
                stmt.span,
                "returning several values",
                "a Lambda has one output: return one tensor, e.g. `concatenate([a, b])`",
              ),
            );
          } else {
            returned = { value: this.lowerExpr(stmt.values[0]!), span: stmt.values[0]!.span };
          }
          break;
        case "expr":
          if (this.lowerExpr(stmt.expr).kind !== "poison")
            this.report(
              statementNotInTensorFunction(
                stmt.span,
                "an expression whose value is not used",
                "bind it to a name, `y = ...`, or return it",
              ),
            );
          break;
        case "outputs":
          this.report(
            statementNotInTensorFunction(
              stmt.span,
              "`outputs`",
              "a function hands back its result with `return y`",
            ),
          );
          break;
        case "dim":
          this.report(
            statementNotInTensorFunction(
              stmt.span,
              "`dim`",
              "declare symbolic dimensions at the top level or in a model",
            ),
          );
          break;
      }
    }
    return returnSeen ? (returned ?? { value: POISON, span: this.input.span }) : undefined;
  }

  private lowerAssign(stmt: Extract<Stmt, { kind: "assign" }>): void {
    if (stmt.targets.length !== 1) {
      this.report(
        statementNotInTensorFunction(
          stmt.span,
          "unpacking into several names",
          "each expression gives one tensor: `y = ...`",
        ),
      );
      for (const target of stmt.targets) this.scope.set(target.name, POISON);
      return;
    }
    const target = stmt.targets[0]!;
    const value = this.lowerExpr(stmt.value);
    // The first name a step is bound to is how messages and the printed IR show it.
    if (value.kind === "tensor" && this.names[value.step] === null) this.names[value.step] = target.name;
    this.scope.set(target.name, value);
  }

  /** The step the function returns, or undefined after reporting a result that is not an input's function. */
  private resultStep(value: Lowered, span: Span): number | undefined {
    switch (value.kind) {
      case "poison":
        return undefined;
      case "list":
        this.report(
          notATensorOperand(
            span,
            "the function's result",
            "a tensor",
            "a list",
            "concatenate them: `concatenate([a, b])`",
          ),
        );
        return undefined;
      case "const":
        if (typeof value.value === "number") this.report(constantTensorFunctionResult(span));
        else
          this.report(
            notATensorOperand(span, "the function's result", "a tensor", describeConst(value.value)),
          );
        return undefined;
      case "tensor":
        if (!this.dependsOnInput(value.step)) {
          this.report(constantTensorFunctionResult(span));
          return undefined;
        }
        return value.step;
    }
  }

  private reachableFrom(result: number): Set<number> {
    const reachable = new Set<number>();
    const pending = [result];
    for (let step = pending.pop(); step !== undefined; step = pending.pop()) {
      if (reachable.has(step)) continue;
      reachable.add(step);
      pending.push(...stepOperands(this.steps[step]!));
    }
    return reachable;
  }

  private dependsOnInput(result: number): boolean {
    return [...this.reachableFrom(result)].some((i) => this.steps[i]!.className === "param");
  }

  /**
   * The finished function: steps the result does not read are dropped (an unused local costs nothing at
   * run time), parameters stay so that input i is always step i; an unread parameter is a warning.
   */
  private finish(result: number): TensorFunction {
    const reachable = this.reachableFrom(result);
    this.input.params.forEach((param, index) => {
      if (!reachable.has(index)) this.report(unusedTensorFunctionParameter(param.name.span, param.name.name));
    });
    const renumber: number[] = [];
    const steps: TensorStep[] = [];
    const names: (string | null)[] = [];
    this.steps.forEach((step, i) => {
      if (i >= this.input.params.length && !reachable.has(i)) return;
      renumber[i] = steps.length;
      steps.push(renumberStep(step, (j) => renumber[j]!));
      names.push(this.names[i]!);
    });
    return {
      className: "TensorFunction",
      config: { params: this.input.params.map((p) => p.name.name), steps, result: renumber[result]!, names },
    };
  }

  // ---- expressions ----------------------------------------------------------------------------------

  private lowerExpr(expr: Expr): Lowered {
    switch (expr.kind) {
      case "int":
      case "float":
      case "string":
      case "bool":
        return { kind: "const", value: expr.value, span: expr.span };
      case "none":
        return { kind: "const", value: null, span: expr.span };
      case "tuple":
      case "list": {
        const items = expr.items.map((item) => this.lowerExpr(item));
        if (items.some((i) => i.kind === "poison")) return POISON;
        if (items.every((i) => i.kind === "const"))
          return {
            kind: "const",
            value: items.map((i) => (i as { value: ConstValue }).value),
            span: expr.span,
          };
        return { kind: "list", items, span: expr.span };
      }
      case "name":
        return this.lowerName(expr.name, expr.span);
      case "unary":
        return this.lowerUnary(expr);
      case "binary":
        return this.lowerBinary(expr);
      case "call":
        return this.lowerCall(expr);
      case "lambda":
        this.report(
          expressionNotInTensorFunction(expr.span, "a nested `lambda`", "write its expression inline"),
        );
        return POISON;
    }
  }

  private lowerName(name: string, span: Span): Lowered {
    const local = this.scope.get(name);
    if (local) return local.kind === "poison" ? local : { ...local, span };
    if (this.assigned.has(name)) {
      this.report(
        nameNotInTensorFunction(span, name, "is used before it is assigned", "assign it on an earlier line"),
      );
      return POISON;
    }
    const captured = this.input.captured.get(name);
    if (captured === null) return POISON;
    if (captured !== undefined) return this.fromCaptured(captured, name, span);
    const suggestion = suggest(name, [...this.scope.keys(), ...this.input.captured.keys()]);
    const hint =
      suggestion !== undefined
        ? `did you mean \`${suggestion}\`?`
        : this.input.block
          ? "a block used as a function sees its parameters and the names it assigns"
          : "a lambda sees its parameters and the numbers of the enclosing block";
    this.report(nameNotInTensorFunction(span, name, "is not defined in this function", hint));
    return POISON;
  }

  /** A free name's value from the enclosing scope: numbers (and other constants) only. */
  private fromCaptured(value: ArgInput, name: string, span: Span): Lowered {
    const constant = constOf(value);
    if (constant !== undefined) return { kind: "const", value: constant, span };
    const [why, hint] = capturedProblem(value, name);
    this.report(nameNotInTensorFunction(span, name, why, hint));
    return POISON;
  }

  private lowerUnary(expr: Extract<Expr, { kind: "unary" }>): Lowered {
    const operand = this.lowerExpr(expr.operand);
    if (operand.kind === "const" && typeof operand.value === "number")
      return { kind: "const", value: expr.op === "-" ? -operand.value : operand.value, span: expr.span };
    const x = this.tensorOf(operand, `the operand of \`${expr.op}\``);
    if (x === undefined) return POISON;
    return expr.op === "+"
      ? { kind: "tensor", step: x, span: expr.span }
      : this.emit({ className: "elementwise", config: { fn: "neg", x } }, expr.span);
  }

  private lowerBinary(expr: Extract<Expr, { kind: "binary" }>): Lowered {
    const left = this.lowerExpr(expr.left);
    const right = this.lowerExpr(expr.right);
    const fn = OPERATORS[expr.op];
    if (left.kind === "const" && right.kind === "const") {
      if (typeof left.value === "number" && typeof right.value === "number") {
        const value = foldNumbers(fn, left.value, right.value);
        if (Number.isFinite(value)) return { kind: "const", value, span: expr.span };
        this.report(
          invalidTensorConstant(
            expr.span,
            `\`${expr.op}\` on ${left.value} and ${right.value} does not give a finite number`,
          ),
        );
        return POISON;
      }
    }
    const a = this.tensorOf(left, `the left operand of \`${expr.op}\``);
    const b = this.tensorOf(right, `the right operand of \`${expr.op}\``);
    if (a === undefined || b === undefined) return POISON;
    return this.emit({ className: "binary", config: { fn, a, b } }, expr.span);
  }

  /** The step of a tensor operand (a number becomes a constant step); undefined after reporting. */
  private tensorOf(value: Lowered, where: string): number | undefined {
    switch (value.kind) {
      case "tensor":
        return value.step;
      case "poison":
        return undefined;
      case "const":
        if (typeof value.value === "number")
          return this.push({ className: "const", config: { value: value.value } });
        this.report(notATensorOperand(value.span, where, "a tensor", describeConst(value.value)));
        return undefined;
      case "list":
        this.report(
          notATensorOperand(
            value.span,
            where,
            "a tensor",
            "a list",
            "only `concatenate` takes a list of tensors",
          ),
        );
        return undefined;
    }
  }

  private lowerCall(call: CallExpr): Lowered {
    if (call.callee.kind !== "name") {
      this.report(
        expressionNotInTensorFunction(
          call.callee.span,
          "calling the result of a call",
          "a tensor expression calls functions by name, e.g. `relu(x)`",
        ),
      );
      return POISON;
    }
    const name = call.callee.name;
    const spec = TENSOR_FUNCTIONS.get(name);
    const args = call.args.map((a) => this.lowerExpr(a));
    const kwargs = call.kwargs.map((kw) => ({ kw, value: this.lowerExpr(kw.value) }));
    if (!spec) {
      const known = [...TENSOR_FUNCTIONS.keys()];
      this.report(unknownTensorFunction(call.callee.span, name, suggest(name, known), known));
      return POISON;
    }
    const given = this.matchArguments(call, name, spec, args, kwargs);
    if (!given) return POISON;
    const bound = this.bindArguments(name, spec, given);
    return bound ? this.emit(spec.step(bound), call.span) : POISON;
  }

  /** Positional and keyword arguments matched to parameters, Python-style; undefined after reporting. */
  private matchArguments(
    call: CallExpr,
    name: string,
    spec: TensorFunctionSpec,
    args: readonly Lowered[],
    kwargs: readonly { kw: CallExpr["kwargs"][number]; value: Lowered }[],
  ): Map<string, Lowered> | undefined {
    const signature = formatSignature(name, spec);
    const params = spec.params.map((p) => p.name);
    const given = new Map<string, { value: Lowered; span: Span }>();
    let ok = true;
    if (args.length > params.length) {
      const extra = call.args.slice(params.length);
      const plural = params.length === 1 ? "" : "s";
      this.report(
        wrongTensorArgumentCount(
          joinSpans(extra[0]!.span, extra[extra.length - 1]!.span),
          name,
          signature,
          `takes at most ${params.length} argument${plural}, got ${args.length}`,
        ),
      );
      ok = false;
    }
    args.slice(0, params.length).forEach((value, i) => {
      given.set(params[i]!, { value, span: call.args[i]!.span });
    });
    for (const { kw, value } of kwargs) {
      const param = kw.name.name;
      if (!params.includes(param)) {
        this.report(unknownTensorKeyword(kw.name.span, name, param, suggest(param, params), signature));
        ok = false;
        continue;
      }
      const first = given.get(param);
      if (first) {
        this.report(tensorArgumentGivenTwice(kw.name.span, name, param, first.span));
        ok = false;
        continue;
      }
      given.set(param, { value, span: kw.name.span });
    }
    for (const param of spec.params) {
      if (given.has(param.name) || param.default !== undefined) continue;
      this.report(
        wrongTensorArgumentCount(call.span, name, signature, `needs the argument \`${param.name}\``),
      );
      ok = false;
    }
    if (!ok) return undefined;
    return new Map([...given].map(([param, g]) => [param, g.value]));
  }

  /** Each argument checked against its kind (defaults filled in); undefined after reporting. */
  private bindArguments(
    name: string,
    spec: TensorFunctionSpec,
    given: ReadonlyMap<string, Lowered>,
  ): BoundTensorArgs | undefined {
    const values = new Map<string, number | readonly number[] | boolean | null>();
    let ok = true;
    for (const param of spec.params) {
      const value = given.get(param.name);
      const bound = value === undefined ? param.default : this.bindArgument(name, param, value);
      if (bound === undefined) ok = false;
      else values.set(param.name, bound);
    }
    if (!ok) return undefined;
    // The kinds were checked above, so each accessor reads a value of its own kind.
    const read = <T>(param: string) => values.get(param) as T;
    return {
      tensor: (p) => read<number>(p),
      tensors: (p) => read<readonly number[]>(p),
      axis: (p) => read<number>(p),
      axes: (p) => read<readonly number[] | null>(p),
      bool: (p) => read<boolean>(p),
      number: (p) => read<number | null>(p),
    };
  }

  private bindArgument(
    name: string,
    param: TensorParam,
    value: Lowered,
  ): number | readonly number[] | boolean | null | undefined {
    const where = `\`${param.name}\` of \`${name}\``;
    if (param.kind === "tensor") return this.tensorOf(value, where);
    if (param.kind === "tensors") return this.tensorsOf(value, where);
    if (value.kind === "poison") return undefined;
    const expected = CONSTANT_KINDS[param.kind];
    if (value.kind !== "const") {
      this.report(tensorWhereConstantRequired(value.span, name, param.name, expected));
      return undefined;
    }
    const converted = convertConstant(param.kind, value.value);
    if (converted === undefined) {
      this.report(
        invalidTensorConstant(value.span, `${where} must be ${expected}, not ${describeConst(value.value)}`),
      );
      return undefined;
    }
    if (Array.isArray(converted)) {
      const repeated = converted.find((axis, i) => converted.indexOf(axis) !== i);
      if (repeated !== undefined) {
        this.report(
          invalidTensorConstant(value.span, `${where} lists axis ${repeated} twice`, "list each axis once"),
        );
        return undefined;
      }
    }
    return converted;
  }

  /** `[a, b]` for concatenate: each item a tensor (numbers become constant steps). */
  private tensorsOf(value: Lowered, where: string): readonly number[] | undefined {
    const items =
      value.kind === "list"
        ? value.items
        : value.kind === "const" && Array.isArray(value.value)
          ? value.value.map((v): Lowered => ({ kind: "const", value: v, span: value.span }))
          : undefined;
    if (value.kind === "poison") return undefined;
    if (!items) {
      const got =
        value.kind === "tensor" ? "a single tensor" : describeConst((value as { value: ConstValue }).value);
      this.report(
        notATensorOperand(
          value.span,
          where,
          "a list of tensors",
          got,
          "write the tensors in a list: `[a, b]`",
        ),
      );
      return undefined;
    }
    const steps = items.map((item, i) => this.tensorOf(item, `item ${i + 1} of ${where}`));
    return steps.every((s) => s !== undefined) ? (steps as number[]) : undefined;
  }
}

/** `step` with every operand index mapped through `map`. */
function renumberStep(step: TensorStep, map: (index: number) => number): TensorStep {
  switch (step.className) {
    case "param":
    case "const":
      return step;
    case "binary":
      return { ...step, config: { ...step.config, a: map(step.config.a), b: map(step.config.b) } };
    case "concatenate":
      return { ...step, config: { ...step.config, xs: step.config.xs.map(map) } };
    default:
      // Every other step reads one operand, `x`; spreading a union loses the className/config pairing.
      return { ...step, config: { ...step.config, x: map(step.config.x) } } as TensorStep;
  }
}
