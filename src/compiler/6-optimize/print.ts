// The op program's text form, for `--emit ir-opt` and `--dump-after PASS`: one line per step, slots as
// `%n`, attributes as compact JSON, weights by name, the Keras layer as a comment, and the prologue's weight
// transforms first.
//
//   program (inputs %0: (None, 784) float32)
//     prologue foldBatchNorm(conv2d_1/kernel, ...) -> conv2d_1/kernel@bn-folded (3, 3, 3, 16), ...
//     %1 = matMul(%0) {"activation":"relu"} [dense_1/kernel, dense_1/bias]  # dense_1
//     outputs %3 (dense_3)
import type { ProgramDim } from "../../runtime/program.js";
import type { OpProgram } from "./op-program.js";

const dim = (d: ProgramDim) => (d === null ? "None" : String(d));

export function printOpProgram(program: OpProgram): string {
  const inputs = program.inputs.map(
    (i) => `%${i.slot}: (${i.shape.map(dim).join(", ")}) ${i.dtype}${i.name ? ` ${i.name}` : ""}`,
  );
  const lines = [`program (inputs ${inputs.join(", ")})`];
  for (const transform of program.prologue) {
    const outputs = transform.outputs.map((o) => `${o.name} (${o.shape.join(", ")})`);
    lines.push(`  prologue ${transform.op}(${transform.inputs.join(", ")}) -> ${outputs.join(", ")}`);
  }
  for (const step of program.steps) {
    const outputs = step.outputs.map((s) => `%${s}`).join(", ");
    const inputs = step.inputs.map((s) => `%${s}`).join(", ");
    const attrs = Object.keys(step.attrs).length > 0 ? ` ${JSON.stringify(step.attrs)}` : "";
    const weights = step.weights.length > 0 ? ` [${step.weights.join(", ")}]` : "";
    const layer = step.layer === undefined ? "" : `  # ${step.layer}`;
    lines.push(`  ${outputs} = ${step.op}(${inputs})${attrs}${weights}${layer}`);
  }
  lines.push(`  outputs ${program.outputs.map((o) => `%${o.slot} (${o.name})`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}
