// Build-time constants of tensor expressions: what each constant argument kind accepts, numbers folded as
// the runtime would compute them, the values a function may read from its enclosing scope, and how
// constants read in messages.
import type { BinaryFn } from "../../ir/tensor-expr.js";
import type { ArgInput } from "./arg-input.js";
import { describeInput } from "./describe-input.js";
import type { TensorParam } from "./lambda-functions.js";

/** A constant known at build time: a number, a string, True/False, None, or a tuple/list of them. */
export type ConstValue = number | boolean | string | null | readonly ConstValue[];

/** What each constant kind takes, for messages. */
export const CONSTANT_KINDS: Readonly<Record<Exclude<TensorParam["kind"], "tensor" | "tensors">, string>> = {
  axis: "an integer axis",
  axes: "None, an integer axis or a tuple of axes",
  bool: "True or False",
  number: "a number",
  optionalNumber: "a number or None",
};

function isInteger(value: ConstValue): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/** A constant as the kind takes it, or undefined when it is of another type. */
export function convertConstant(
  kind: TensorParam["kind"],
  value: ConstValue,
): number | readonly number[] | boolean | null | undefined {
  switch (kind) {
    case "axis":
      return isInteger(value) ? value : undefined;
    case "axes":
      if (value === null) return null;
      if (isInteger(value)) return [value];
      return Array.isArray(value) && value.every(isInteger) ? (value as number[]) : undefined;
    case "bool":
      return typeof value === "boolean" ? value : undefined;
    case "number":
      return typeof value === "number" ? value : undefined;
    case "optionalNumber":
      return value === null || typeof value === "number" ? value : undefined;
    default:
      return undefined;
  }
}

/** `the number 2`, `the string "a"`, `None`, `the tuple (1, 2)`: a constant in messages. */
export function describeConst(value: ConstValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `the tuple (${value.map(renderConst).join(", ")})`;
}

function renderConst(value: ConstValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  return `(${value.map(renderConst).join(", ")})`;
}

/** The constant a captured argument value stands for, or undefined when it is not one. */
export function constOf(value: ArgInput): ConstValue | undefined {
  if (value.kind === "scalar") return value.value;
  if (value.kind !== "sequence") return undefined;
  const items = value.items.map(constOf);
  return items.every((i) => i !== undefined) ? (items as ConstValue[]) : undefined;
}

/** Why a free name cannot be read in a function ("is a tensor of the model"), and what to do instead. */
export function capturedProblem(value: ArgInput, name: string): [string, string] {
  switch (value.kind) {
    case "dim":
      return [
        "is a symbolic dimension, whose size is not known until run time",
        "a function computes with tensors and numbers",
      ];
    case "graphRef":
      if (value.what === "tensor")
        return [
          "is a tensor of the model, but a function reads only its parameters",
          `pass it as a second input: \`Lambda(lambda x, ${name}: ...)([x, ${name}])\``,
        ];
      if (value.what === "block")
        return [
          "is a block; a tensor function cannot call or use one",
          `pass the block to Lambda itself: \`Lambda(${name})\``,
        ];
      return [`is a ${value.what}, not a number`, "apply layers outside the Lambda"];
    default:
      return [`is ${describeInput(value)}, not a number`, "a function computes with tensors and numbers"];
  }
}

/** `a op b` on two numbers, as the runtime computes it on float tensors (floor division and modulo floor). */
export function foldNumbers(fn: BinaryFn, a: number, b: number): number {
  switch (fn) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    case "floordiv":
      return Math.floor(a / b);
    case "mod":
      return a - b * Math.floor(a / b);
    case "pow":
      return a ** b;
    case "maximum":
      return Math.max(a, b);
    case "minimum":
      return Math.min(a, b);
  }
}
