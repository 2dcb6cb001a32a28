// Targeted tests of the slot-type rules: the tricky arithmetic (reshape's 0 and -1, windows with strides,
// dilation and output padding — checked against the kernels themselves on small tensors), broadcasting
// with unknown sizes, dtypes, multi-output ops, custom layers, completeness and slotBytes.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BATCH,
  OP_SHAPE_RULES,
  type SizedSlotType,
  type SlotType,
  slotBytes,
  stepOutputTypes,
} from "../../src/compiler/6-optimize/op-shapes.js";
import { registerLayer } from "../../src/index.js";
import type { Shape } from "../../src/ir/graph.js";
import { getOpDef, OP_NAMES } from "../../src/runtime/ops/registry.js";
import { defaultOps } from "../../src/runtime/ops/tf-ops.js";
import type {
  ConvLstmAttrs,
  OpAttrs,
  OpName,
  ProgramDim,
  ProgramDType,
  RnnAttrs,
  RnnCellAttrs,
  Step,
} from "../../src/runtime/program.js";

const t = (shape: readonly ProgramDim[], dtype: ProgramDType = "float32"): SlotType => ({ shape, dtype });

/** The rule's output types for one step of `op`. */
function rule<K extends OpName>(
  op: K,
  inputs: readonly SlotType[],
  attrs: OpAttrs[K],
  weights: readonly (readonly number[])[] = [],
  outputs = 1,
): SizedSlotType[] {
  const step: Step = {
    op,
    inputs: inputs.map((_, i) => i),
    outputs: Array.from({ length: outputs }, (_, i) => inputs.length + i),
    attrs: attrs as unknown as Step["attrs"],
    weights: weights.map((_, i) => `w${i}`),
    frees: [],
  };
  return stepOutputTypes(step, inputs, weights);
}

const shapesOf = (types: readonly SlotType[]) => types.map((type) => type.shape);

/** The shapes the kernel itself gives on zeros of these shapes (cpu backend). */
function kernelShapes<K extends OpName>(
  op: K,
  inputs: readonly number[][],
  attrs: OpAttrs[K],
  weights: readonly number[][],
): number[][] {
  return tf.tidy(() => {
    const outputs = getOpDef(op)!.run(
      inputs.map((s) => tf.zeros(s)),
      attrs as OpAttrs[OpName],
      weights.map((s) => tf.zeros(s)),
      defaultOps,
      { training: false, nextSeed: () => 1 },
    );
    return outputs.map((o) => o.shape);
  });
}

/** Checks the rule against the kernel for concrete shapes (batch 2 in place of the rule's null batch). */
function expectKernelAgrees<K extends OpName>(
  op: K,
  input: readonly number[],
  attrs: OpAttrs[K],
  weights: readonly number[][],
): void {
  const [type] = rule(op, [t([null, ...input.slice(1)])], attrs, weights);
  const [real] = kernelShapes(op, [[2, ...input.slice(1)]], attrs, weights);
  expect([2, ...type!.shape.slice(1)], `${op} ${JSON.stringify({ input, attrs, weights })}`).toEqual(real);
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("op shape rules", () => {
  it("has a rule for every op of the vocabulary", () => {
    expect(Object.keys(OP_SHAPE_RULES).sort()).toEqual([...OP_NAMES].sort());
  });

  it("refuses an op outside the vocabulary", () => {
    expect(() => stepOutputTypes({ ...stepOf("gelu") }, [t([null, 4])], [])).toThrow(
      'no shape rule for op "gelu"',
    );
  });

  describe("reshape", () => {
    it("copies sizes at 0 and infers -1, cancelling the batch (Flatten)", () => {
      const [flat] = rule("reshape", [t([null, 4, 5])], { shape: [0, -1] });
      expect(flat!.shape).toEqual([null, 20]);
      expect(slotBytes(flat!, 3)).toBe(3 * 20 * 4);
    });

    it("folds the batch into a size only the exact sizes know, and unfolds it back", () => {
      const [folded] = rule("reshape", [t([null, 4, 5])], { shape: [-1, 5] });
      expect(folded!.shape).toEqual([null, 5]);
      // The ProgramDim null hides batch·4; the exact sizes count it.
      expect(slotBytes(folded!, 3)).toBe(3 * 4 * 5 * 4);
      expect(slotBytes({ shape: folded!.shape, dtype: "float32" }, 3)).toBe(3 * 5 * 4);
      const [back] = rule("reshape", [folded!], { shape: [-1, 4, 5] });
      expect(back!.shape).toEqual([null, 4, 5]);
      expect(back!.sizes[0]).toMatchObject({ symbols: [BATCH], known: 1 });
    });

    it("keeps symbolic dims through -1 when they cancel, null when they cannot be named", () => {
      const [a] = rule("reshape", [t([null, "T", 4])], { shape: [0, -1] });
      expect(a!.shape).toEqual([null, null]);
      const [b] = rule("reshape", [a!], { shape: [0, -1, 4] });
      expect(b!.shape).toEqual([null, "T", 4]);
      const [c] = rule("reshape", [a!], { shape: [0, -1, 8] });
      expect(c!.shape).toEqual([null, null, 8]);
      // 4·T / 8 has no exact form: the bytes stay unknown rather than wrong.
      expect(slotBytes(c!, 2, new Map([["T", 6]]))).toBeUndefined();
    });

    it("gives -1 as null when another size is unknown, and a number when all are known", () => {
      expect(shapesOf(rule("reshape", [t([null, null, 6])], { shape: [0, -1, 3] }))).toEqual([
        [null, null, 3],
      ]);
      expect(shapesOf(rule("reshape", [t([2, 3, 4])], { shape: [-1, 6] }))).toEqual([[4, 6]]);
      expect(shapesOf(rule("reshape", [t([2, 3, 4])], { shape: [0, 0, 2, -1] }))).toEqual([[2, 3, 2, 2]]);
    });

    it("refuses to copy an axis the input does not have", () => {
      expect(() => rule("reshape", [t([null, 4])], { shape: [0, 0, 0] })).toThrow("copies axis 2");
    });

    it("reshapeLike copies from its second input", () => {
      const [folded] = rule("reshape", [t([null, "T", 4])], { shape: [-1, 4] });
      const [dense] = rule("matMul", [folded!], { activation: "linear" }, [[4, 8]]);
      const [back] = rule("reshapeLike", [dense!, t([null, "T", 4])], { shape: [0, -1, 8] });
      expect(back!.shape).toEqual([null, "T", 8]);
    });

    it("agrees with the kernel", () => {
      expectKernelAgrees("reshape", [2, 3, 4], { shape: [0, -1] }, []);
      expectKernelAgrees("reshape", [2, 3, 4], { shape: [0, 2, -1, 2] }, []);
    });
  });

  describe("windows", () => {
    it("same padding with strides: ⌈L / s⌉; valid with dilation: L − d·(k − 1)", () => {
      const conv = (length: ProgramDim, strides: number, dilations: number, padding: "same" | "valid") =>
        rule(
          "conv",
          [t([null, length, 3])],
          { strides: [strides], dilations: [dilations], padding, activation: "linear" },
          [[3, 3, 8]],
        )[0]!.shape;
      expect(conv(10, 3, 1, "same")).toEqual([null, 4, 8]);
      expect(conv(10, 1, 2, "same")).toEqual([null, 10, 8]);
      expect(conv(10, 1, 2, "valid")).toEqual([null, 6, 8]);
      expect(conv(10, 2, 1, "valid")).toEqual([null, 4, 8]);
      // A symbolic length survives only a rule that keeps every length.
      expect(conv("T", 1, 3, "same")).toEqual([null, "T", 8]);
      expect(conv("T", 2, 1, "same")).toEqual([null, null, 8]);
      expect(conv("T", 1, 1, "valid")).toEqual([null, null, 8]);
    });

    it("a symbolic length padded then windowed comes back exact (causal Conv1D)", () => {
      const [padded] = rule("pad", [t([null, "T", 4])], {
        paddings: [
          [0, 0],
          [4, 0],
          [0, 0],
        ],
      });
      expect(padded!.shape).toEqual([null, null, 4]);
      const [y] = rule(
        "conv",
        [padded!],
        { strides: [1], dilations: [2], padding: "valid", activation: "relu" },
        [[3, 4, 6]],
      );
      expect(y!.shape).toEqual([null, "T", 6]);
    });

    it("conv, depthwiseConv and pool agree with their kernels over strides, dilations and paddings", () => {
      for (const padding of ["valid", "same"] as const) {
        for (const length of [7, 8, 9, 10]) {
          for (const [stride, dilation] of [
            [1, 1],
            [2, 1],
            [3, 1],
            [1, 2],
            [1, 3],
          ] as const) {
            const window = {
              strides: [stride],
              dilations: [dilation],
              padding,
              activation: "linear",
            } as const;
            expectKernelAgrees("conv", [2, length, 2], window, [[2, 2, 3]]);
            const window2 = { ...window, strides: [stride, 1], dilations: [dilation, 1] };
            expectKernelAgrees("conv", [2, length, 4, 2], window2, [[3, 2, 2, 3]]);
            expectKernelAgrees("depthwiseConv", [2, length, 4, 2], window2, [[3, 2, 2, 2]]);
            if (dilation === 1) {
              const pool = { poolSize: [2, 3], strides: [stride, stride], padding } as const;
              expectKernelAgrees("pool", [2, length, 4, 2], { ...pool, mode: "max" }, []);
              expectKernelAgrees("pool", [2, length, 4, 2], { ...pool, mode: "avg" }, []);
            }
          }
        }
      }
    });

    it("convTranspose: Keras's deconv length, with and without output padding", () => {
      const deconv = (
        length: number,
        stride: number,
        padding: "same" | "valid",
        outputPadding: number | null,
      ) =>
        rule(
          "convTranspose",
          [t([null, length, 4, 2])],
          {
            strides: [stride, 1],
            padding,
            outputPadding: outputPadding === null ? null : [outputPadding, 0],
            activation: "linear",
          },
          [[3, 1, 5, 2]],
        )[0]!.shape;
      expect(deconv(4, 2, "valid", null)).toEqual([null, 9, 4, 5]);
      expect(deconv(4, 2, "same", null)).toEqual([null, 8, 4, 5]);
      expect(deconv(4, 2, "same", 1)).toEqual([null, 8, 4, 5]);
      expect(deconv(4, 2, "same", 0)).toEqual([null, 7, 4, 5]);
      expect(deconv(4, 3, "valid", 2)).toEqual([null, 14, 4, 5]);
    });

    it("convTranspose agrees with its kernel", () => {
      for (const padding of ["valid", "same"] as const) {
        for (const stride of [1, 2, 3]) {
          for (const outputPadding of [null, ...Array.from({ length: stride }, (_, i) => i)]) {
            for (const kernel of [2, 3, 4]) {
              const attrs = {
                strides: [stride, 1],
                padding,
                outputPadding: outputPadding === null ? null : [outputPadding, 0],
                activation: "linear",
              } as const;
              expectKernelAgrees("convTranspose", [2, 4, 3, 2], attrs, [[kernel, 2, 3, 2]]);
            }
          }
        }
      }
      // A dilated kernel acts as the undilated one of span d·(k − 1) + 1.
      for (const padding of ["valid", "same"] as const) {
        const dilated = {
          strides: [1, 1],
          dilations: [2, 3],
          padding,
          outputPadding: null,
          activation: "linear",
        } as const;
        expectKernelAgrees("convTranspose", [2, 4, 3, 2], dilated, [[3, 2, 3, 2]]);
      }
      const threeD = {
        strides: [2, 1, 2],
        padding: "same",
        outputPadding: [1, 0, 0],
        activation: "linear",
      } as const;
      expectKernelAgrees("convTranspose", [2, 3, 2, 3, 1], threeD, [[3, 2, 2, 2, 1]]);
    });

    it("localConv: valid windows in either layout", () => {
      const attrs = { kernelSize: [3], strides: [2], activation: "linear" } as const;
      expect(
        rule("localConv", [t([null, 9, 4])], { ...attrs, channelsFirst: false }, [[4, 12, 5]])[0]!.shape,
      ).toEqual([null, 4, 5]);
      expect(
        rule("localConv", [t([null, 4, 9])], { ...attrs, channelsFirst: true }, [[4, 12, 5]])[0]!.shape,
      ).toEqual([null, 5, 4]);
      expectKernelAgrees("localConv", [2, 4, 9], { ...attrs, channelsFirst: true }, [[4, 12, 5]]);
    });
  });

  describe("broadcasting", () => {
    const add = (a: readonly ProgramDim[], b: readonly ProgramDim[]) =>
      rule("add", [t(a), t(b)], {})[0]!.shape;

    it("stretches 1s and aligns ranks from the end", () => {
      expect(add([null, 1, 4], [null, 3, 1])).toEqual([null, 3, 4]);
      expect(add([4], [null, 3, 4])).toEqual([null, 3, 4]);
    });

    it("resolves unknown sizes: a number or a name wins unless it is 1", () => {
      expect(add([null, null], [null, 5])).toEqual([null, 5]);
      expect(add([null, null], [null, 1])).toEqual([null, null]);
      expect(add([null, null], [null, "T"])).toEqual([null, "T"]);
      expect(add([null, "T"], [null, 5])).toEqual([null, 5]);
      expect(add([null, "T"], [null, "U"])).toEqual([null, null]);
      expect(add([null, "T"], [null, "T"])).toEqual([null, "T"]);
    });

    it("upcasts int32 with float32", () => {
      expect(rule("mul", [t([null, 2], "int32"), t([null, 2])], {})[0]!.dtype).toBe("float32");
      expect(rule("maximum", [t([null, 2], "int32"), t([null, 2], "int32")], {})[0]!.dtype).toBe("int32");
    });
  });

  describe("dtypes and other shapes", () => {
    it("follows tfjs's dtypes", () => {
      const ints = t([null, 3, 4], "int32");
      expect(rule("cast", [t([null, 3])], { dtype: "int32" })[0]!.dtype).toBe("int32");
      expect(rule("gather", [t([null, 3], "int32")], {}, [[10, 8]])[0]).toMatchObject({
        shape: [null, 3, 8],
        dtype: "float32",
      });
      expect(rule("reduce", [ints], { mode: "max", axes: [1] })[0]).toMatchObject({
        shape: [null, 4],
        dtype: "int32",
      });
      expect(rule("reduce", [ints], { mode: "mean", axes: [1, 2] })[0]).toMatchObject({
        shape: [null],
        dtype: "float32",
      });
      expect(rule("scale", [ints], { factor: 2 })[0]!.dtype).toBe("float32");
      expect(rule("activation", [ints], { fn: "relu" })[0]!.dtype).toBe("int32");
      expect(rule("activation", [ints], { fn: "exp" })[0]!.dtype).toBe("float32");
      expect(rule("notEqualMask", [ints], { value: 0, anyLast: true })[0]).toMatchObject({
        shape: [null, 3],
        dtype: "float32",
      });
    });

    it("concat sums its axis, named sizes too", () => {
      expect(rule("concat", [t([null, "T", 2]), t([null, "T", 3])], { axis: 2 })[0]!.shape).toEqual([
        null,
        "T",
        5,
      ]);
      const [twice] = rule("concat", [t([null, "T", 2]), t([null, "T", 2])], { axis: 1 });
      expect(twice!.shape).toEqual([null, null, 2]);
      expect(slotBytes(twice!, 1, new Map([["T", 3]]))).toBe(6 * 2 * 4);
    });

    it("batchDot: the rest of a, then of b, or (batch, 1)", () => {
      expect(
        rule("batchDot", [t([null, 3, 4]), t([null, 4, 5])], { axes: [2, 1], normalize: false })[0]!.shape,
      ).toEqual([null, 3, 5]);
      expect(
        rule("batchDot", [t([null, 4]), t([null, 4])], { axes: [1, 1], normalize: true })[0]!.shape,
      ).toEqual([null, 1]);
    });

    it("rnn: the sequence or the last output, then the states, the last cell's first", () => {
      const cell = (kind: "lstm" | "gru", units: number): RnnCellAttrs => ({
        kind,
        units,
        activation: "tanh",
        recurrentActivation: "sigmoid",
        useBias: true,
        resetAfter: false,
        doubleBias: false,
        dropout: 0,
        recurrentDropout: 0,
        implementation: 1,
      });
      const flags = { goBackwards: false, stateful: false, masked: false, initialState: false };
      const attrs: RnnAttrs = {
        ...flags,
        cells: [cell("lstm", 8), cell("gru", 6)],
        returnSequences: true,
        returnState: true,
      };
      expect(shapesOf(rule("rnn", [t([null, "T", 3])], attrs, [], 4))).toEqual([
        [null, "T", 6],
        [null, 6],
        [null, 8],
        [null, 8],
      ]);
      const last: RnnAttrs = { ...attrs, returnSequences: false, returnState: false };
      expect(shapesOf(rule("rnn", [t([null, "T", 3])], last))).toEqual([[null, 6]]);
    });

    it("convLstm: images of the input convolution's lengths, h and c", () => {
      const attrs: ConvLstmAttrs = {
        filters: 4,
        strides: [2, 1],
        padding: "valid",
        dilation: [1, 1],
        activation: "tanh",
        recurrentActivation: "sigmoid",
        useBias: true,
        goBackwards: false,
        returnSequences: false,
        returnState: true,
        stateful: false,
        masked: false,
        initialState: false,
        dropout: 0,
        recurrentDropout: 0,
      };
      expect(shapesOf(rule("convLstm", [t([null, null, 9, 6, 2])], attrs, [[3, 3, 2, 16]], 3))).toEqual([
        [null, 4, 4, 4],
        [null, 4, 4, 4],
        [null, 4, 4, 4],
      ]);
    });

    it("tensorFunction: the Lambda rules, the batch and names kept", () => {
      const fn = {
        className: "TensorFunction",
        config: {
          params: ["x"],
          names: ["x", null, null],
          result: 2,
          steps: [
            { className: "param", config: { index: 0 } },
            { className: "reduce", config: { fn: "mean", x: 0, axis: [-1], keepdims: true } },
            { className: "binary", config: { fn: "sub", a: 0, b: 1 } },
          ],
        },
      } as const;
      const [y] = rule("tensorFunction", [t([null, "T", 4])], { function: fn });
      expect(y).toMatchObject({ shape: [null, "T", 4], dtype: "float32" });
      expect(slotBytes(y!, 2, new Map([["T", 3]]))).toBe(2 * 3 * 4 * 4);
    });

    it("custom: the registered layer's computeOutputShape; an unregistered one is a clear error", () => {
      registerLayer({
        name: "OpShapesTestLayer",
        args: { units: "int" },
        computeOutputShape: (shape, args) => [...(shape as Shape).slice(0, -1), args.units as number],
        call: (inputs) => inputs[0]!,
      });
      const attrs = { layer: "OpShapesTestLayer", args: { units: 7 }, weights: [] };
      expect(rule("custom", [t([null, "T", 3])], attrs)[0]!.shape).toEqual([null, "T", 7]);
      expect(() => rule("custom", [t([null, 3])], { ...attrs, layer: "NoSuchLayer" })).toThrow(
        "the custom layer NoSuchLayer is not registered",
      );
    });
  });

  describe("slotBytes", () => {
    it("counts null as the batch on axis 0 only, and symbolic dims only when given", () => {
      expect(slotBytes(t([null, 3, 4]), 5)).toBe(5 * 12 * 4);
      expect(slotBytes(t([null, null, 4]), 5)).toBeUndefined();
      expect(slotBytes(t([null, "T", 4], "int32"), 5)).toBeUndefined();
      expect(slotBytes(t([null, "T", 4], "int32"), 5, new Map([["T", 2]]))).toBe(5 * 2 * 4 * 4);
    });
  });
});

function stepOf(op: string): Step {
  return { op, inputs: [0], outputs: [1], attrs: {}, weights: [], frees: [] };
}
