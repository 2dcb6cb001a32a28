// Output types of the time loops (ops/rnn.ts): the last output or the whole sequence, then with
// returnState the final states, all float32.
import { rnnStateCount } from "../../../runtime/ops/rnn.js";
import type { OpShapeRules, SizedSlotType } from "./rule.js";
import { sized, sizesOfInput, weight } from "./rule.js";
import { knownSize, type Size } from "./size.js";
import { windowSizes, windowsOf } from "./window-rules.js";

/** The loop's outputs: `step` per timestep (sequences) or the last one, then the states. */
function loopOutputs(
  flags: { readonly returnSequences: boolean; readonly returnState: boolean },
  batch: Size,
  time: Size,
  step: readonly Size[],
  states: readonly (readonly Size[])[],
): SizedSlotType[] {
  const output = sized([batch, ...(flags.returnSequences ? [time] : []), ...step], "float32");
  return [output, ...(flags.returnState ? states.map((s) => sized([batch, ...s], "float32")) : [])];
}

/** The recurrent ops' rules. */
export const recurrentRules: Pick<OpShapeRules, "rnn" | "convLstm"> = {
  // x (batch, time, features) — or, `projected`, x · kernel (batch, time, gates·units) — → (batch, [time,]
  // last units); states in Keras's order, the last cell's first.
  rnn: (inputs, attrs) => {
    const [batch, time] = sizesOfInput(inputs, 0, 3);
    const last = attrs.cells[attrs.cells.length - 1];
    if (!last) throw new Error("rnn has no cells");
    const states = [...attrs.cells]
      .reverse()
      .flatMap((cell) =>
        Array.from({ length: rnnStateCount({ ...attrs, cells: [cell] }) }, () => [knownSize(cell.units)]),
      );
    return loopOutputs(attrs, batch!, time!, [knownSize(last.units)], states);
  },
  // x (batch, time, rows, cols, in), kernel (kh, kw, in, 4·filters) → images of the input convolution's
  // lengths; h and c as states.
  convLstm: (inputs, attrs, weights) => {
    const [batch, time, rows, cols] = sizesOfInput(inputs, 0, 5);
    const windows = windowsOf(weight(weights).slice(0, 2), attrs.strides, attrs.dilation);
    const image = [...windowSizes([rows!, cols!], windows, attrs.padding), knownSize(attrs.filters)];
    return loopOutputs(attrs, batch!, time!, image, [image, image]);
  },
};
