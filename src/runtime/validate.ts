// Structural checks of a program before anything runs: every op known with the right arity, every slot
// written before it is read and written once, every weight declared. A hand-made or corrupted program
// fails here with a message naming the step, not with a crash mid-predict.
import { ModelError } from "./model-error.js";
import { getOpDef } from "./ops/registry.js";
import { PROGRAM_VERSION, type Program, type Step } from "./program.js";

/** How a step is named in messages: "step 3 (matMul, layer dense_1)". */
export function describeStep(step: Step, index: number): string {
  return `step ${index} (${step.op}${step.layer === undefined ? "" : `, layer ${step.layer}`})`;
}

/** Throws a ModelError ("invalid-program") for the first structural problem; returns the slot count. */
export function validateProgram(program: Program): number {
  const fail = (message: string): never => {
    throw new ModelError("invalid-program", `invalid program: ${message}`);
  };
  if (program.version !== PROGRAM_VERSION)
    fail(`version ${program.version}, but this runtime executes version ${PROGRAM_VERSION}`);

  const written = new Set<number>();
  const freed = new Set<number>();
  const write = (slot: number, what: string) => {
    if (!Number.isInteger(slot) || slot < 0) fail(`${what} writes slot ${slot}, not a slot index`);
    if (written.has(slot)) fail(`${what} writes slot ${slot}, which already holds a value`);
    written.add(slot);
  };
  for (const input of program.inputs) write(input.slot, `input "${input.name}"`);

  const weightNames = new Set<string>();
  for (const weight of program.weights) {
    if (weightNames.has(weight.name)) fail(`weight "${weight.name}" is declared twice`);
    if (!weight.shape.every((d) => Number.isInteger(d) && d >= 0))
      fail(`weight "${weight.name}" has shape (${weight.shape.join(", ")}), not a list of sizes`);
    weightNames.add(weight.name);
  }

  for (const [index, step] of program.steps.entries()) {
    const what = describeStep(step, index);
    const def = getOpDef(step.op) ?? fail(`${what}: unknown op "${step.op}"`);
    const arity = (kind: string, count: number, { min, max }: { min: number; max: number }) => {
      if (count < min || count > max)
        fail(`${what} has ${count} ${kind}, but ${step.op} takes ${min === max ? min : `${min} to ${max}`}`);
    };
    arity("inputs", step.inputs.length, def.inputs);
    arity("weights", step.weights.length, def.weights);
    for (const slot of step.inputs) {
      if (!written.has(slot)) fail(`${what} reads slot ${slot} before any step writes it`);
      if (freed.has(slot)) fail(`${what} reads slot ${slot} after an earlier step freed it`);
    }
    for (const name of step.weights)
      if (!weightNames.has(name)) fail(`${what} names undeclared weight "${name}"`);
    for (const slot of step.outputs) write(slot, what);
    for (const slot of step.frees) {
      if (!written.has(slot) || freed.has(slot)) fail(`${what} frees slot ${slot}, which holds no value`);
      freed.add(slot);
    }
  }

  for (const output of program.outputs) {
    if (!written.has(output.slot))
      fail(`output "${output.name}" reads slot ${output.slot}, which no step writes`);
    if (freed.has(output.slot)) fail(`output "${output.name}" reads slot ${output.slot}, which a step frees`);
  }
  let slotCount = 0;
  for (const slot of written) slotCount = Math.max(slotCount, slot + 1);
  return slotCount;
}
