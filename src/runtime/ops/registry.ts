// The op registry: every op of the vocabulary (program.ts `OpAttrs`) with its kernel module. The mapped
// type makes a vocabulary op without a definition a compile error.
import type { OpName } from "../program.js";
import { activationOps } from "./activation.js";
import { convOps } from "./conv.js";
import { customOps } from "./custom.js";
import { dotOps } from "./dot.js";
import { dropoutOps } from "./dropout.js";
import { elementwiseOps } from "./elementwise.js";
import { localOps } from "./local.js";
import { matMulOps } from "./matmul.js";
import { noiseOps } from "./noise.js";
import { normalizationOps } from "./normalization.js";
import type { OpDef, OpGroup } from "./op-def.js";
import { padCropOps } from "./pad-crop.js";
import { poolOps } from "./pool.js";
import { reluOps } from "./relu.js";
import { rnnOps } from "./rnn.js";
import { sequenceOps } from "./sequence.js";
import { shapeOps } from "./shape.js";
import { tensorFunctionOps } from "./tensor-function.js";

const OP_DEFS: OpGroup<OpName> = {
  ...convOps,
  ...poolOps,
  ...padCropOps,
  ...localOps,
  ...matMulOps,
  ...activationOps,
  ...elementwiseOps,
  ...shapeOps,
  ...dropoutOps,
  ...reluOps,
  ...normalizationOps,
  ...noiseOps,
  ...dotOps,
  ...tensorFunctionOps,
  ...sequenceOps,
  ...rnnOps,
  ...customOps,
};

/** An op definition whose attributes are known only as the union of all ops' (the executor's view). */
export type AnyOpDef = OpDef<OpName>;

/** Whether `name` is an op of the vocabulary. */
export function isOpName(name: string): name is OpName {
  return Object.hasOwn(OP_DEFS, name);
}

/** The definition of a vocabulary op, or undefined for a name outside the vocabulary. */
export function getOpDef(name: string): AnyOpDef | undefined {
  return isOpName(name) ? (OP_DEFS[name] as AnyOpDef) : undefined;
}

/** Every op name, in registry order (for docs and tests). */
export const OP_NAMES: readonly OpName[] = Object.keys(OP_DEFS) as OpName[];
