// Every op's output-type rule, by op: the mapped type makes a vocabulary op without a rule a compile error
// (as the kernel registry does for kernels).
import { customRules } from "./custom-rule.js";
import { dataRules } from "./data-rules.js";
import { functionRules } from "./function-rule.js";
import { mathRules } from "./math-rules.js";
import { recurrentRules } from "./recurrent-rules.js";
import type { OpShapeRules } from "./rule.js";
import { windowRules } from "./window-rules.js";

export const OP_SHAPE_RULES: OpShapeRules = {
  ...dataRules,
  ...mathRules,
  ...windowRules,
  ...recurrentRules,
  ...functionRules,
  ...customRules,
};
