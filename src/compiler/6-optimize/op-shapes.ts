// The static type of every slot of a program (issue 5): what the optimizer passes and the static memory
// plan reason about. Each op has an output-type rule (shapes/, one per op of the vocabulary, following
// its kernel in src/runtime/ops/); types flow from the program's inputs through the steps.
//
//   inferSlotTypes(program)      → SlotType[] by slot: shape (ProgramDim, null for the batch or any
//                                  size a ProgramDim cannot name) and dtype, as the plan records them
//   inferSizedSlotTypes(program) → the same with each axis's exact size (`sizes`: 5·batch, T, 12, ...)
//   stepOutputTypes(step, ...)   → one step's output types from its input types
//   slotBytes(type, batch, dims) → a slot's bytes for a batch size and symbolic dims' sizes
import type { Program, Step } from "../../runtime/program.js";
import { OP_SHAPE_RULES } from "./shapes/index.js";
import { type SizedSlotType, type SlotType, sized, sizesOf } from "./shapes/rule.js";
import { BATCH, evaluateSize, sizeOfDim, unknownInputAxis } from "./shapes/size.js";

export type { OpShapeRule, OpShapeRules, SizedSlotType, SlotType } from "./shapes/rule.js";
export { BATCH, type Size, unknownInputAxis } from "./shapes/size.js";
export { OP_SHAPE_RULES };

/**
 * The output types of `step` for its input types and its weights' shapes. Throws for an op outside the
 * vocabulary, inputs the op cannot take, or a rule giving another number of outputs than the step has.
 */
export function stepOutputTypes(
  step: Step,
  inputs: readonly SlotType[],
  weights: readonly (readonly number[])[],
): SizedSlotType[] {
  if (!Object.hasOwn(OP_SHAPE_RULES, step.op)) throw new Error(`no shape rule for op "${step.op}"`);
  const rule = OP_SHAPE_RULES[step.op as keyof typeof OP_SHAPE_RULES] as (
    inputs: readonly SlotType[],
    attrs: unknown,
    weights: readonly (readonly number[])[],
  ) => SizedSlotType[];
  const outputs = rule(inputs, step.attrs, weights);
  if (outputs.length !== step.outputs.length)
    throw new Error(`the ${step.op} rule gives ${outputs.length} outputs for ${step.outputs.length} slots`);
  return outputs;
}

/**
 * Every slot's type with exact sizes, by slot. An input's null on axis 0 is the batch (BATCH), its null
 * elsewhere a size of its own (`unknownInputAxis(name, axis)`), so sizes a reshape folds come back exact.
 */
export function inferSizedSlotTypes(program: Program): SizedSlotType[] {
  const types: SizedSlotType[] = [];
  for (const input of program.inputs) {
    const sizes = input.shape.map((dim, axis) =>
      sizeOfDim(dim, axis === 0 ? BATCH : unknownInputAxis(input.name, axis)),
    );
    types[input.slot] = sized(sizes, input.dtype);
  }
  const weights = new Map(program.weights.map((w) => [w.name, w.shape]));
  program.steps.forEach((step, index) => {
    const where = `step ${index} (${step.op}${step.layer ? `, layer ${step.layer}` : ""})`;
    const inputs = step.inputs.map((slot) => {
      const type = types[slot];
      if (!type) throw new Error(`${where} reads slot ${slot} before any step writes it`);
      return type;
    });
    const shapes = step.weights.map((name) => {
      const shape = weights.get(name);
      if (!shape) throw new Error(`${where} names the undeclared weight ${name}`);
      return shape;
    });
    try {
      stepOutputTypes(step, inputs, shapes).forEach((type, i) => {
        types[step.outputs[i]!] = type;
      });
    } catch (error) {
      throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  });
  return types;
}

/** Every slot's type, by slot: the shape the plan records (the batch and other unknown sizes null). */
export function inferSlotTypes(program: Program): SlotType[] {
  return inferSizedSlotTypes(program).map(({ shape, dtype }) => ({ shape, dtype }));
}

/** Bytes per element of each dtype. */
const ELEMENT_BYTES = { float32: 4, int32: 4 } as const;

/**
 * A slot's bytes for batch size `batch` and the sizes of symbolic dims (`T`) or inputs' unknown axes
 * (`unknownInputAxis`) in `dims`; undefined when a size stays unknown. Exact sizes are used when the type
 * has them; a plain SlotType's null counts as the batch on axis 0 only.
 */
export function slotBytes(
  type: SlotType | SizedSlotType,
  batch: number,
  dims: ReadonlyMap<string, number> = new Map(),
): number | undefined {
  const values = new Map([...dims, [BATCH, batch]]);
  let elements = 1;
  for (const size of sizesOf(type)) {
    const value = evaluateSize(size, values);
    if (value === undefined) return undefined;
    elements *= value;
  }
  return elements * ELEMENT_BYTES[type.dtype];
}
