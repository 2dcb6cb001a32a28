// Pass hoist-rnn-input-projection: an `rnn` step's first-cell input projection for all timesteps, x · kernel
// (batch, timesteps, features) → (batch, timesteps, gates·units), becomes its own matMul step ahead of the
// loop, and the rnn step reads that product (`projected`: no kernel weight; ops/rnn.ts). Identity: the rnn
// kernel computed the same product internally (one matrix product over every timestep), so outputs,
// returned states and held (stateful) states are unchanged, for every cell kind, stacked cells, masks,
// go_backwards and initial states. The bias stays with the rnn step, which adds it to each step's
// recurrent product (a fused bias) — a (batch, timesteps, gates·units) bias add here would allocate the
// sequence twice; a double bias (reset_after GRU, CuDNN) is split there as before. Only the first cell's
// projection moves: a later cell's input is the previous cell's output of the same timestep.
//
// Inference only: input dropout (the first cell's `dropout`, training mode) masks x inside the loop's
// projection, so it cannot act on a product computed ahead; the optimized plan refuses training-mode
// predicts (remove-inference-noops makes it inference-only), so the attribute is ignored here.
import type { RnnAttrs, Step } from "../../../runtime/program.js";
import { describe, nextFreeSlot } from "../op-program.js";
import type { Pass } from "../pass.js";

export const hoistRnnInputProjection: Pass = {
  name: "hoist-rnn-input-projection",
  description: "computes each rnn's first-cell input projection as one matMul step ahead of its time loop",
  run(program) {
    let next = nextFreeSlot(program);
    const changes: string[] = [];
    const steps: Step[] = [];
    for (const step of program.steps) {
      const attrs = step.attrs as unknown as RnnAttrs;
      if (step.op !== "rnn" || attrs.projected === true || step.weights.length === 0) {
        steps.push(step);
        continue;
      }
      const [x, ...rest] = step.inputs;
      const [kernel, ...weights] = step.weights;
      const projected = next++;
      steps.push({
        op: "matMul",
        inputs: [x!],
        outputs: [projected],
        attrs: { activation: "linear" },
        weights: [kernel!],
        frees: [],
        ...(step.layer === undefined ? {} : { layer: step.layer }),
      });
      steps.push({
        ...step,
        inputs: [projected, ...rest],
        attrs: { ...step.attrs, projected: true },
        weights,
      });
      changes.push(`hoisted the input projection of ${describe(step)}`);
    }
    return { program: changes.length === 0 ? program : { ...program, steps }, changes };
  },
};
