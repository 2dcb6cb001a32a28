// Lowering: a typed graph becomes a runtime Program. Each value gets a slot, Input nodes become program
// inputs, every other node asks its layer definition for steps (`LayerDef.lower`), weights are declared
// once per layer as "<layer>/<weight>" (a shared layer's applications read one set), and each slot is
// freed at its last use. Layers that cannot be lowered become diagnostics, never exceptions.
import type {
  ArgValue,
  Graph,
  IRNode,
  Program as IRProgram,
  IRValue,
  LayerInstance,
  TensorType,
} from "../../ir/graph.js";
import {
  PROGRAM_VERSION,
  type ProgramDType,
  type ProgramInput,
  type ProgramOutput,
  type Program as RuntimeProgram,
  type Slot,
  type Step,
  type WeightDecl,
} from "../../runtime/program.js";
import { expansionNotes } from "../3-infer/shape-context.js";
import {
  layerCannotExecuteYet,
  layerConfigurationNotExecutable,
  loweringFailed,
  weightShapeUnknown,
} from "../diagnostics/catalogue/lower.js";
import {
  type LayerLabel,
  type WeightLabel,
  weightCountMismatch,
  weightShapeMismatch,
} from "../diagnostics/catalogue/shapes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { givenWeights } from "../layers/base-args.js";
import type { LayerDef, LowerContext, LowerValue, WeightSpec } from "../layers/layer.js";
import { getLayerDef } from "../layers/registry.js";
import { formatShape } from "../layers/shape-utils.js";

export interface LowerOptions {
  /** Where layer definitions come from (default: the registry); tests substitute their own. */
  readonly lookup?: (type: string) => LayerDef | undefined;
}

/** One model's runtime program; undefined when some layer could not be lowered (see the diagnostics). */
export interface LoweredGraph {
  readonly name: string;
  readonly program: RuntimeProgram | undefined;
  /** The slot each IR value was bound to, by value id (for checks comparing a program with its graph). */
  readonly slotValues?: ReadonlyMap<number, Slot>;
}

/** Lowers every graph of a typed, error-free program. */
export function lowerProgram(
  program: IRProgram,
  options: LowerOptions = {},
): { graphs: LoweredGraph[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const graphs = program.graphs.map((graph) => {
    const lowered = lowerGraph(graph, options);
    diagnostics.push(...lowered.diagnostics);
    return { name: graph.name, program: lowered.program, slotValues: lowered.slotValues };
  });
  return { graphs, diagnostics };
}

/** A step under construction: frees are filled in once every use is known. */
type DraftStep = Omit<Step, "frees">;

/** Lowers one typed graph; its values must all be typed (inference succeeded). */
export function lowerGraph(
  graph: Graph,
  options: LowerOptions = {},
): {
  program: RuntimeProgram | undefined;
  diagnostics: Diagnostic[];
  slotValues?: ReadonlyMap<number, Slot>;
} {
  const lookup = options.lookup ?? getLayerDef;
  const values = new Map(graph.values.map((v) => [v.id, v]));
  const layers = new Map(graph.layers.map((l) => [l.id, l]));
  const builder = new ProgramBuilder();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<number>();
  const report = (layer: LayerInstance, diagnostic: Diagnostic) => {
    // One diagnostic per layer, however many times a shared layer is applied.
    if (reported.has(layer.id)) return;
    reported.add(layer.id);
    diagnostics.push(diagnostic);
  };

  const typeOf = (id: number): TensorType => {
    const type = values.get(id)?.type;
    if (!type) throw new Error(`value ${id} is untyped; lower only graphs that inferred without errors`);
    return type;
  };
  for (const node of graph.nodes) {
    const layer = layers.get(node.layer)!;
    const inputs = node.inputs.map(typeOf);
    const outputs = node.outputs.map(typeOf);
    const def = lookup(layer.type);
    if (layer.type === "Input") {
      builder.addInput(values.get(node.outputs[0]!)!, outputs[0]!);
      continue;
    }
    if (!def?.lower) {
      report(layer, layerCannotExecuteYet(node.span, labelOf(layer)));
      continue;
    }
    // An input an earlier layer could not compute (already reported): nothing to lower this node from.
    if (!node.inputs.every((id) => builder.has(id))) continue;
    const problem = lowerNode(node, layer, def, inputs, outputs, builder);
    if (problem) report(layer, problem);
  }

  if (diagnostics.length > 0) return { program: undefined, diagnostics };
  for (const id of graph.outputs) builder.addOutput(values.get(id)!);
  return { program: builder.finish(), diagnostics, slotValues: builder.valueSlots() };
}

/** Runs a layer's `lower` for one application; returns the diagnostic when it cannot. */
function lowerNode(
  node: IRNode,
  layer: LayerInstance,
  def: LayerDef,
  inputs: readonly TensorType[],
  outputs: readonly TensorType[],
  builder: ProgramBuilder,
): Diagnostic | undefined {
  const specs = def.weights(layer.args, inputs);
  for (const spec of specs) {
    if (!spec.shape.every((d) => typeof d === "number"))
      return weightShapeUnknown(node.span, labelOf(layer), spec.name, formatShape(spec.shape));
  }
  const given = initialValues(node, layer, specs);
  if (!(given instanceof Map)) return given;
  let reason: string | undefined;
  const declared = new Map<number, LowerValue | null>();
  const weightNames = (weights: readonly string[]) =>
    weights.map((local) => {
      const spec = specs.find((s) => s.name === local);
      if (!spec) throw new Error(`${layer.type} has no weight "${local}"`);
      const shape = spec.shape as readonly number[];
      return builder.declareWeight(layer.name, spec.name, shape, spec.initializer, given.get(spec.name));
    });
  const ctx: LowerContext = {
    inputs: node.inputs.map((id) => builder.valueOf(id)),
    inputMasks: node.inputs.map((id) => builder.maskOf(id)),
    emit: (op, stepInputs, attrs, weights = []) =>
      builder.addStep({
        op,
        inputs: stepInputs.map((v) => v.slot),
        attrs: attrs as Step["attrs"],
        weights: weightNames(weights),
        layer: layer.name,
      }),
    emitMany: (op, stepInputs, attrs, weights, count) =>
      builder.addSteps(
        {
          op,
          inputs: stepInputs.map((v) => v.slot),
          attrs: attrs as Step["attrs"],
          weights: weightNames(weights),
          layer: layer.name,
        },
        count,
      ),
    cannotLower: (why) => {
      reason ??= why;
    },
    setOutputMask: (index, mask) => {
      declared.set(index, mask);
    },
  };
  try {
    const results = def.lower!(layer.args, inputs, outputs, ctx);
    if (reason !== undefined || !results)
      return layerConfigurationNotExecutable(node.span, labelOf(layer), reason ?? "no reason given");
    if (results.length !== node.outputs.length)
      throw new Error(`lowering produced ${results.length} outputs for ${node.outputs.length} values`);
    // Keras's default compute_mask: a masking layer passes its first input's mask on unchanged.
    const passed = def.supportsMasking ? (ctx.inputMasks[0] ?? null) : null;
    node.outputs.forEach((id, i) => {
      builder.bind(id, results[i]!);
      const mask = declared.has(i) ? declared.get(i)! : outputs[i]?.masked ? passed : null;
      if (mask) builder.bindMask(id, mask);
    });
    return undefined;
  } catch (error) {
    return loweringFailed(node.span, labelOf(layer), error instanceof Error ? error.message : String(error));
  }
}

/**
 * The values `weights=` gives each weight, by the weight's local name (empty without `weights=`), or the
 * diagnostic when the list does not fit: Keras 2's set_weights at build, one array per weight in
 * get_weights() order (the order of `LayerDef.weights`), each of its weight's shape. A wrapper without its
 * own list takes the wrapped layer's (`TimeDistributed(Dense(2, weights=...))`).
 */
function initialValues(
  node: IRNode,
  layer: LayerInstance,
  specs: readonly WeightSpec[],
): Map<string, readonly number[]> | Diagnostic {
  const values = new Map<string, readonly number[]>();
  const list = weightsArgument(layer.args);
  if (!list) return values;
  const { span, arrays } = givenWeights(list, layer.span);
  const labels = specs.map((spec): WeightLabel => ({ name: spec.name, shape: formatShape(spec.shape) }));
  const notes = expansionNotes(node.expandedFrom);
  if (arrays.length !== specs.length)
    return weightCountMismatch(span, labelOf(layer), arrays.length, labels, notes);
  for (const [index, spec] of specs.entries()) {
    const array = arrays[index]!;
    const fits =
      array.shape.length === spec.shape.length && array.shape.every((d, axis) => d === spec.shape[axis]);
    if (!fits)
      return weightShapeMismatch(
        array.span,
        labelOf(layer),
        index,
        labels[index]!,
        formatShape(array.shape),
        labels,
        notes,
      );
    values.set(spec.name, array.values);
  }
  return values;
}

/** A layer's `weights=` list, or else the list of the layer it wraps (its `layer` argument). */
function weightsArgument(args: Readonly<Record<string, ArgValue>>): readonly ArgValue[] | undefined {
  if (Array.isArray(args.weights)) return args.weights;
  const wrapped = args.layer;
  return isConfigObject(wrapped) && Array.isArray(wrapped.config.weights)
    ? wrapped.config.weights
    : undefined;
}

function labelOf(layer: LayerInstance): LayerLabel {
  return { type: layer.type, name: layer.name };
}

/** Accumulates slots, steps, weights, inputs and outputs, then computes the frees. */
class ProgramBuilder {
  private nextSlot = 0;
  private readonly slots = new Map<number, Slot>();
  private readonly steps: DraftStep[] = [];
  private readonly weights = new Map<string, WeightDecl>();
  private readonly inputs: ProgramInput[] = [];
  private readonly outputs: ProgramOutput[] = [];

  private readonly masks = new Map<number, LowerValue>();

  /** Whether IR value `id` has been computed (false after its layer failed to lower). */
  has(id: number): boolean {
    return this.slots.has(id);
  }

  /** The mask travelling with IR value `id`, or null. */
  maskOf(id: number): LowerValue | null {
    return this.masks.get(id) ?? null;
  }

  bindMask(id: number, mask: LowerValue): void {
    this.masks.set(id, mask);
  }

  valueOf(id: number): LowerValue {
    const slot = this.slots.get(id);
    if (slot === undefined) throw new Error(`value ${id} is read before it is computed`);
    return { slot };
  }

  /** A copy of the value → slot map. */
  valueSlots(): ReadonlyMap<number, Slot> {
    return new Map(this.slots);
  }

  /** The IR value `id` is `value` (a new step's output, or an input passed through unchanged). */
  bind(id: number, value: LowerValue): void {
    this.slots.set(id, value.slot);
  }

  addInput(value: IRValue, type: TensorType): void {
    const slot = this.nextSlot++;
    this.slots.set(value.id, slot);
    this.inputs.push({
      name: uniqueName(value.name, this.inputs),
      slot,
      shape: type.shape,
      dtype: programDType(type),
    });
  }

  addOutput(value: IRValue): void {
    this.outputs.push({ name: uniqueName(value.name, this.outputs), slot: this.slots.get(value.id)! });
  }

  addStep(step: Omit<DraftStep, "outputs">): LowerValue {
    const slot = this.nextSlot++;
    this.steps.push({ ...step, outputs: [slot] });
    return { slot };
  }

  /** A step with `count` outputs. */
  addSteps(step: Omit<DraftStep, "outputs">, count: number): LowerValue[] {
    const slots = Array.from({ length: count }, () => this.nextSlot++);
    this.steps.push({ ...step, outputs: slots });
    return slots.map((slot) => ({ slot }));
  }

  /**
   * Declares `<layer>/<weight>` on first use; later uses (a shared layer) read the same weight. Given
   * `values` (C order, from `weights=`) replace the initializer: they are the weight's initial value.
   */
  declareWeight(
    layer: string,
    weight: string,
    shape: readonly number[],
    initializer: unknown,
    values?: readonly number[],
  ): string {
    const name = `${layer}/${weight}`;
    if (!this.weights.has(name)) {
      const initial = values ? { values } : isConfigObject(initializer) ? { initializer } : {};
      this.weights.set(name, { name, shape, dtype: "float32", ...initial });
    }
    return name;
  }

  finish(): RuntimeProgram {
    return {
      version: PROGRAM_VERSION,
      inputs: this.inputs,
      outputs: this.outputs,
      weights: [...this.weights.values()],
      steps: withFrees(this.steps, new Set(this.outputs.map((o) => o.slot))),
    };
  }
}

/**
 * Each slot is freed by the step that reads it last; a step output nothing reads is freed by the step that
 * wrote it. Model outputs are never freed.
 */
export function withFrees(steps: readonly DraftStep[], kept: ReadonlySet<Slot>): Step[] {
  const lastUse = new Map<Slot, number>();
  steps.forEach((step, index) => {
    for (const slot of [...step.outputs, ...step.inputs]) lastUse.set(slot, index);
  });
  const frees: Slot[][] = steps.map(() => []);
  for (const [slot, index] of lastUse) if (!kept.has(slot)) frees[index]!.push(slot);
  return steps.map((step, index) => ({ ...step, frees: frees[index]!.sort((a, b) => a - b) }));
}

/** Input and output names are unique within their list: a rebound name gets a suffix. */
function uniqueName(name: string, taken: readonly { readonly name: string }[]): string {
  let candidate = name;
  for (let i = 2; taken.some((t) => t.name === candidate); i++) candidate = `${name}_${i}`;
  return candidate;
}

function programDType(type: TensorType): ProgramDType {
  // Input's schema allows float32 and int32 only; bool values never reach a model input.
  return type.dtype === "int32" ? "int32" : "float32";
}

function isConfigObject(value: unknown): value is NonNullable<WeightDecl["initializer"]> {
  return typeof value === "object" && value !== null && "className" in value && "config" in value;
}
