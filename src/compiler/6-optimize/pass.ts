// The contract of an optimization pass (STYLE.md, "passes as data"): a name, one line saying what it does,
// and a pure function from one OpProgram to the next plus a line per rewrite for the report.
import type { SlotType } from "../../runtime/plan.js";
import type { OpProgram } from "./op-program.js";

export interface PassResult {
  readonly program: OpProgram;
  /** One human-readable line per rewrite ("removed dropout (layer dropout_1)"); empty when nothing changed. */
  readonly changes: readonly string[];
}

/** What a pass may ask about the program it rewrites. */
export interface PassContext {
  /** The static type of every slot of `program` (computed on demand from the op shape rules). */
  types(program: OpProgram): readonly (SlotType | undefined)[];
}

export interface Pass {
  /** Kebab-case, as `--dump-after` names it. */
  readonly name: string;
  /** What the pass does, for `kerasc --help` and the report. */
  readonly description: string;
  run(program: OpProgram, context: PassContext): PassResult;
}
