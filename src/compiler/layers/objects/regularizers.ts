// Keras 2 regularizers by every accepted spelling. Canonical form: L1L2 {l1, l2}, which is what
// Keras 2 serialises for l1(x), l2(x) and l1_l2(a, b) alike.
import type { ConfigObject } from "../../../ir/graph.js";
import { unknownRegularizer } from "../../diagnostics/catalogue/args.js";
import { float } from "../arg-scalars.js";
import { defineSchema } from "../schema.js";
import { defineObject, type ObjectFamily } from "./family.js";

const factor = (defaultValue: number, doc: string) => float({ default: defaultValue, min: 0, doc });

function l1l2(l1: number, l2: number): ConfigObject {
  return { className: "L1L2", config: { l1, l2 } };
}

export const regularizers: ObjectFamily = {
  expected: "a regularizer such as l2(0.01)",
  members: [
    defineObject(["l1"], defineSchema({ l: factor(0.01, "L1 factor") }, { baseArgs: false }), (a) =>
      l1l2(a.l, 0),
    ),
    defineObject(["l2"], defineSchema({ l: factor(0.01, "L2 factor") }, { baseArgs: false }), (a) =>
      l1l2(0, a.l),
    ),
    defineObject(
      ["l1_l2"],
      defineSchema({ l1: factor(0.01, "L1 factor"), l2: factor(0.01, "L2 factor") }, { baseArgs: false }),
      (a) => l1l2(a.l1, a.l2),
    ),
    defineObject(
      ["L1L2"],
      defineSchema({ l1: factor(0.0, "L1 factor"), l2: factor(0.0, "L2 factor") }, { baseArgs: false }),
      (a) => l1l2(a.l1, a.l2),
    ),
  ],
  unknown: unknownRegularizer,
};
