// kerasc's own kernels for tfjs's cpu backend, registered under their own names (tfjs's kernels stay as
// they are: TF.js code in the same process, the reference benchmark included, still runs tfjs's). The
// direct kernel calls (../ops/direct-kernels.ts) run one in place of the tfjs kernel it stands for when the
// active backend has it: the same function of the same inputs, computed by loops that are several times
// faster in plain JavaScript (gemm.ts). Ops keep declaring the tfjs kernel names; a kernel's `standsFor`
// maps them. One file per kernel; this list is where each is registered.
import * as tf from "@tensorflow/tfjs-core";
import { conv2dKernel, KERASC_CONV2D } from "./conv2d-kernel.js";
import { conv2dTransposeKernel, KERASC_CONV2D_TRANSPOSE } from "./conv2d-transpose-kernel.js";
import { gatherKernel, KERASC_GATHER } from "./gather-kernel.js";
import { KERASC_MAT_MUL, matMulKernel } from "./matmul-kernel.js";

export { KERASC_CONV2D } from "./conv2d-kernel.js";
export { KERASC_CONV2D_TRANSPOSE } from "./conv2d-transpose-kernel.js";
export { checkGatherIndices, KERASC_GATHER } from "./gather-kernel.js";
export { KERASC_MAT_MUL } from "./matmul-kernel.js";

interface CpuKernel {
  readonly name: string;
  /** The tfjs kernels it computes (for the cases the direct calls hand it). */
  readonly standsFor: readonly string[];
  readonly kernelFunc: tf.KernelFunc;
}

const CPU_KERNELS: readonly CpuKernel[] = [
  { name: KERASC_MAT_MUL, standsFor: [tf._FusedMatMul, tf.BatchMatMul], kernelFunc: matMulKernel },
  { name: KERASC_CONV2D, standsFor: [tf.FusedConv2D, tf.Conv2D], kernelFunc: conv2dKernel },
  {
    name: KERASC_CONV2D_TRANSPOSE,
    standsFor: [tf.Conv2DBackpropInput],
    kernelFunc: conv2dTransposeKernel,
  },
  { name: KERASC_GATHER, standsFor: [tf.GatherV2], kernelFunc: gatherKernel },
];

/** Registers kerasc's cpu kernels once (importing this module twice, or tfjs twice, registers nothing new). */
export function registerCpuKernels(): void {
  for (const { name, kernelFunc } of CPU_KERNELS) {
    if (tf.getKernel(name, "cpu") === undefined)
      tf.registerKernel({ kernelName: name, backendName: "cpu", kernelFunc });
  }
}

/** The tfjs kernels a kerasc kernel stands for (a profile showing it ran one of them). */
export function standsFor(kernel: string): readonly string[] {
  return CPU_KERNELS.find((k) => k.name === kernel)?.standsFor ?? [];
}

/** The kerasc kernel to run for tfjs kernel `name` on the active backend, if it has one. */
export function cpuSubstitute(name: string): string | undefined {
  if (tf.engine().backendName !== "cpu") return undefined;
  const kernel = CPU_KERNELS.find((k) => k.standsFor.includes(name));
  return kernel && tf.getKernel(kernel.name, "cpu") !== undefined ? kernel.name : undefined;
}

registerCpuKernels();
