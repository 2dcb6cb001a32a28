// Renders argument inputs as the user wrote them (Python spelling), for "expects …, got …" messages.
import type { ArgInput } from "./arg-input.js";

/** Python's spelling of a number: floats keep a `.0` so `64.0` reads as the float it is. */
export function renderNumber(value: number, isFloat: boolean): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return isFloat && Number.isInteger(value) ? `${value}.0` : String(value);
}

/** The input as source-like text: `None`, `True`, `"relu"`, `(3, 3)`, `(784,)`, `RandomNormal(...)`. */
export function renderInput(input: ArgInput): string {
  switch (input.kind) {
    case "scalar": {
      const v = input.value;
      if (v === null) return "None";
      if (typeof v === "boolean") return v ? "True" : "False";
      if (typeof v === "number") return renderNumber(v, input.isFloat);
      return JSON.stringify(v);
    }
    case "dim":
      return input.name;
    case "sequence": {
      const items = input.items.map(renderInput);
      if (!input.tuple) return `[${items.join(", ")}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    }
    case "call":
      return `${input.name}(...)`;
    case "function":
      return input.block?.name ?? "lambda ...";
    case "graphRef":
      return input.name;
  }
}

/** Keeps long renderings readable inside one message line. */
function abbreviate(text: string, limit = 40): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** What the input is, for messages: `the string "64"`, `the float 0.5`, `the tuple (3, 3)`, `None`. */
export function describeInput(input: ArgInput): string {
  switch (input.kind) {
    case "scalar": {
      const v = input.value;
      if (v === null) return "None";
      if (typeof v === "boolean") return `the boolean ${renderInput(input)}`;
      if (typeof v === "number") return `the ${input.isFloat ? "float" : "integer"} ${renderInput(input)}`;
      return `the string ${abbreviate(renderInput(input))}`;
    }
    case "dim":
      return `the symbolic dimension \`${input.name}\``;
    case "sequence":
      return `the ${input.tuple ? "tuple" : "list"} ${abbreviate(renderInput(input))}`;
    case "call":
      return `the call \`${input.name}(...)\``;
    case "function":
      return input.block === undefined ? "a lambda" : `the block \`${input.block.name}\``;
    case "graphRef":
      return `the ${input.what} \`${input.name}\``;
  }
}
