// Keras 2 weight constraints by every accepted spelling (including the old maxnorm/nonneg/unitnorm).
// Canonical form: the ConfigObject Keras 2 serialises (MaxNorm, NonNeg, UnitNorm, MinMaxNorm), defaults filled.
import { unknownConstraint } from "../../diagnostics/catalogue/args.js";
import { float, int, oneOf } from "../arg-scalars.js";
import { intList } from "../arg-shapes.js";
import { defineSchema } from "../schema.js";
import { defineObject, type ObjectFamily } from "./family.js";

/** Keras takes an axis or a list of axes; both stay as written (number or list). */
const axis = () =>
  oneOf([int(), intList()], { default: 0, doc: "the axis (or axes) the norm is computed along" });

export const constraints: ObjectFamily = {
  expected: "a constraint such as max_norm(2.0)",
  members: [
    defineObject(
      ["max_norm", "maxnorm", "MaxNorm"],
      defineSchema(
        { max_value: float({ default: 2, min: 0, doc: "the maximum norm" }), axis: axis() },
        { baseArgs: false },
      ),
      (a) => ({ className: "MaxNorm", config: { max_value: a.max_value, axis: a.axis } }),
    ),
    defineObject(["non_neg", "nonneg", "NonNeg"], defineSchema({}, { baseArgs: false }), () => ({
      className: "NonNeg",
      config: {},
    })),
    defineObject(
      ["unit_norm", "unitnorm", "UnitNorm"],
      defineSchema({ axis: axis() }, { baseArgs: false }),
      (a) => ({
        className: "UnitNorm",
        config: { axis: a.axis },
      }),
    ),
    defineObject(
      ["min_max_norm", "MinMaxNorm"],
      defineSchema(
        {
          min_value: float({ default: 0.0, min: 0, doc: "the minimum norm" }),
          max_value: float({ default: 1.0, min: 0, doc: "the maximum norm" }),
          rate: float({
            default: 1.0,
            min: 0,
            max: 1,
            doc: "how far towards the range each update moves (0..1)",
          }),
          axis: axis(),
        },
        {
          baseArgs: false,
          check: (a, problems) => {
            if (a.min_value > a.max_value) {
              problems.report(
                "min_value",
                `min_value ${a.min_value} is greater than max_value ${a.max_value}`,
              );
            }
          },
        },
      ),
      (a) => ({
        className: "MinMaxNorm",
        config: { min_value: a.min_value, max_value: a.max_value, rate: a.rate, axis: a.axis },
      }),
    ),
  ],
  unknown: unknownConstraint,
};
