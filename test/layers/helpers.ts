// Test helpers: a tiny reader that turns `Dense(64, activation="relu")` into a LayerCallInput whose spans are
// real offsets into that text (independent of the project's parser), and a ShapeContext that records reports.

import type { ArgInput, KeywordInput, LayerCallInput } from "../../src/compiler/layers/arg-input.js";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import type { ShapeContext, WeightSpec } from "../../src/compiler/layers/layer.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { countParams } from "../../src/compiler/layers/shape-utils.js";
import type { Span } from "../../src/compiler/source.js";
import type { TensorType } from "../../src/ir/graph.js";

export const FILE = "test.kml";

class MiniReader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly dims: readonly string[],
  ) {}

  private span(start: number): Span {
    return { file: FILE, start, end: this.pos };
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? "";
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) throw new Error(`expected ${ch} at ${this.pos} in ${this.text}`);
    this.pos++;
  }

  private name(): { name: string; span: Span } {
    this.skipSpace();
    const start = this.pos;
    while (/[A-Za-z0-9_]/.test(this.text[this.pos] ?? "")) this.pos++;
    if (start === this.pos) throw new Error(`expected a name at ${start} in ${this.text}`);
    return { name: this.text.slice(start, this.pos), span: this.span(start) };
  }

  /** Arguments up to the closing `)`: positional first, then `name=value`. */
  private args(): { positional: ArgInput[]; keywords: KeywordInput[] } {
    const positional: ArgInput[] = [];
    const keywords: KeywordInput[] = [];
    this.expect("(");
    while (this.peek() !== ")") {
      const save = this.pos;
      this.skipSpace();
      const start = this.pos;
      const maybeName = /[A-Za-z_]/.test(this.peek()) ? this.name() : undefined;
      if (maybeName && this.peek() === "=") {
        this.pos++;
        const value = this.value();
        keywords.push({ name: maybeName.name, nameSpan: maybeName.span, value, span: this.span(start) });
      } else {
        this.pos = save;
        positional.push(this.value());
      }
      if (this.peek() === ",") this.pos++;
    }
    this.expect(")");
    return { positional, keywords };
  }

  private sequence(open: string, close: string): ArgInput {
    this.skipSpace();
    const start = this.pos;
    this.expect(open);
    const items: ArgInput[] = [];
    while (this.peek() !== close) {
      items.push(this.value());
      if (this.peek() === ",") this.pos++;
    }
    this.expect(close);
    return { kind: "sequence", tuple: open === "(", items, span: this.span(start) };
  }

  value(): ArgInput {
    const ch = this.peek();
    const start = this.pos;
    if (ch === "(") return this.sequence("(", ")");
    if (ch === "[") return this.sequence("[", "]");
    if (ch === '"' || ch === "'") {
      const end = this.text.indexOf(ch, start + 1);
      this.pos = end + 1;
      return {
        kind: "scalar",
        value: this.text.slice(start + 1, end),
        isFloat: false,
        span: this.span(start),
      };
    }
    const number = /^-?(\d+\.?\d*(e-?\d+)?|\.\d+)/.exec(this.text.slice(start));
    if (number) {
      this.pos += number[0].length;
      const isFloat = /[.e]/.test(number[0]);
      return { kind: "scalar", value: Number(number[0]), isFloat, span: this.span(start) };
    }
    const { name, span } = this.name();
    if (name === "None") return { kind: "scalar", value: null, isFloat: false, span };
    if (name === "True" || name === "False")
      return { kind: "scalar", value: name === "True", isFloat: false, span };
    if (this.peek() === "(") {
      const { positional, keywords } = this.args();
      return {
        kind: "call",
        name,
        nameSpan: span,
        args: positional,
        kwargs: keywords,
        span: this.span(start),
      };
    }
    if (this.dims.includes(name)) return { kind: "dim", name, span };
    return { kind: "graphRef", name, what: "tensor", span };
  }

  call(): LayerCallInput {
    this.skipSpace();
    const start = this.pos;
    const callee = this.name();
    const { positional, keywords } = this.args();
    return { layerName: callee.name, calleeSpan: callee.span, positional, keywords, span: this.span(start) };
  }
}

/**
 * Reads one constructor call. Names listed in `dims` are symbolic dimensions; other bare names are tensors.
 */
export function readCall(text: string, dims: readonly string[] = []): LayerCallInput {
  return new MiniReader(text, dims).call();
}

/** The text a span covers in `text`. */
export function spanText(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

export type ShapeReport =
  | { kind: "input"; index: number; expected: string; hint?: string }
  | { kind: "argument"; arg: string; message: string; hint?: string };

/** A ShapeContext that keeps what a layer reports. */
export function recordingContext(): { ctx: ShapeContext; reports: ShapeReport[] } {
  const reports: ShapeReport[] = [];
  const ctx: ShapeContext = {
    inputMismatch: (index, expected, hint) =>
      reports.push({ kind: "input", index, expected, ...(hint === undefined ? {} : { hint }) }),
    argumentMismatch: (arg, message, hint) =>
      reports.push({ kind: "argument", arg, message, ...(hint === undefined ? {} : { hint }) }),
  };
  return { ctx, reports };
}

/** A float32 tensor type; `null` entries are None. */
export function tensor(shape: readonly (number | string | null)[], masked = false): TensorType {
  return { shape, dtype: "float32", masked };
}

export interface Applied {
  readonly outputs: readonly TensorType[] | null;
  readonly reports: ShapeReport[];
  readonly weights: readonly WeightSpec[];
  readonly params: number | null;
}

/** Binds `text` (which must bind cleanly) and applies the layer to `inputs`. */
export function apply(text: string, inputs: readonly TensorType[], dims: readonly string[] = []): Applied {
  const call = readCall(text, dims);
  const def = getLayerDef(call.layerName);
  if (!def) throw new Error(`no layer ${call.layerName}`);
  const bound = bindLayerArgs(def, call);
  if (!bound.ok)
    throw new Error(`${text} did not bind: ${bound.diagnostics.map((d) => d.message).join("; ")}`);
  const { ctx, reports } = recordingContext();
  const outputs = def.inferOutputs(bound.args, inputs, ctx);
  const weights = outputs ? def.weights(bound.args, inputs) : [];
  return { outputs, reports, weights, params: countParams(weights) };
}
