// The executable form of a model: plain, JSON-able data that the compiler's lowering produces, the plan
// serialises (issue 5) and the runtime executes. Ops are at tfjs level (see ops/README.md for the table), so
// optimisation passes can fuse and cancel them without knowing Keras layers.
import type { ConfigObject } from "../ir/graph.js";
import type { TensorFunction } from "../ir/tensor-expr.js";

/** The program format version; a runtime refuses programs of another version. */
export const PROGRAM_VERSION = 1;

/** Any value an attribute may hold: JSON without surprises. */
export type PlanValue = null | boolean | number | string | readonly PlanValue[] | PlanObject;

/** A JSON object of plan values. */
export interface PlanObject {
  readonly [key: string]: PlanValue;
}

/** An index into the executor's value table. Every value a program computes has its own slot. */
export type Slot = number;

/** Element types of model inputs, outputs and weights. */
export type ProgramDType = "float32" | "int32";

/**
 * One dimension of an input shape: a size, `null` for any size (the batch, Keras's None) or the name of a
 * symbolic dimension (`dim T`), which must be the same size in every input that names it.
 */
export type ProgramDim = number | string | null;

/** A model input: fed into `slot` before the first step. */
export interface ProgramInput {
  /** The name the model text binds the input to (`query`), or the Input layer's name. */
  readonly name: string;
  readonly slot: Slot;
  /** Batch first. */
  readonly shape: readonly ProgramDim[];
  readonly dtype: ProgramDType;
}

/** A model output: the value in `slot` after the last step. */
export interface ProgramOutput {
  readonly name: string;
  readonly slot: Slot;
}

/** A weight the steps read, created once at load time and shared by every step that names it. */
export interface WeightDecl {
  /** Keras-style "<layer>/<weight>", e.g. "dense_1/kernel" (the TF.js weights manifest's name). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: ProgramDType;
  /** The Keras initializer (canonical ConfigObject) used when no value is given at load. */
  readonly initializer?: ConfigObject;
  /**
   * The initial values in C order (the layer's `weights=` argument), used when no value is given at load;
   * a weight with values has no initializer.
   */
  readonly values?: readonly number[];
}

/**
 * Fused activations tf.fused.matMul supports on every backend (wasm's FusableActivation, minus prelu, which
 * needs a weight: see ProductActivation).
 */
export const FUSED_ACTIVATIONS = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyRelu"] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

/**
 * The activations of matMul, conv and depthwiseConv: the fused ones and "prelu" — PReLU's
 * relu(y) − alpha · relu(−y) with alpha the step's last weight (after kernel and bias), broadcast over the
 * output like the `prelu` op's. Set by the fuse-activations pass, never by a layer's lowering.
 */
export type ProductActivation = FusedActivation | "prelu";

/** The functions of the `activation` op, named as tfjs names them. */
export const ACTIVATION_FNS = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "selu",
  "leakyRelu",
  "softplus",
  "softsign",
  "tanh",
  "sigmoid",
  "hardSigmoid",
  "exp",
  "softmax",
] as const;
export type ActivationFn = (typeof ACTIVATION_FNS)[number];

/**
 * Every op and its attributes: the op vocabulary. Mapped types over this interface make the lowering
 * (`emit`) and the kernels (`OpDef`) agree on attributes at compile time; ops/README.md documents each op.
 */
export interface OpAttrs {
  /**
   * x[..., k] · kernel[k, n] (+ bias[n]) → activation(...)[..., n]; tf.fused.matMul semantics. Weights:
   * kernel, bias?, then alpha when the activation is prelu.
   */
  readonly matMul: { readonly activation: ProductActivation; readonly alpha?: number };
  /** fn(x); `alpha` for elu / leakyRelu, `axis` for softmax (default -1). */
  readonly activation: { readonly fn: ActivationFn; readonly alpha?: number; readonly axis?: number };
  /** Elementwise a + b with NumPy broadcasting (likewise sub, mul, maximum, minimum). */
  readonly add: Record<string, never>;
  readonly sub: Record<string, never>;
  readonly mul: Record<string, never>;
  readonly maximum: Record<string, never>;
  readonly minimum: Record<string, never>;
  /** The sum of any number of same-shaped inputs. */
  readonly addN: Record<string, never>;
  /** x · factor (Average divides its sum by the input count this way). */
  readonly scale: { readonly factor: number };
  /** Reshape; 0 copies the input's size at that index (ONNX), -1 is inferred (at most one). */
  readonly reshape: { readonly shape: readonly number[] };
  /**
   * Reshape of the first input; 0 copies the size of the second input (read only for its shape) at that
   * index, -1 is inferred (at most one). TimeDistributed unfolds (batch·time, ...) with the input's batch.
   */
  readonly reshapeLike: { readonly shape: readonly number[] };
  /** Inserts a size-1 axis at `axis` (of the output). */
  readonly expandDims: { readonly axis: number };
  /** Permutes all axes, batch included. */
  readonly transpose: { readonly perm: readonly number[] };
  /** Repeats the input `reps[i]` times along axis i. */
  readonly tile: { readonly reps: readonly number[] };
  /** Joins the inputs along a non-negative `axis`. */
  readonly concat: { readonly axis: number };
  /** Converts the element type. */
  readonly cast: { readonly dtype: ProgramDType };
  /** The input itself. */
  readonly identity: Record<string, never>;
  /**
   * Training only: zeroes each element with probability `rate` and scales the rest by 1/(1-rate); the
   * mask has `noiseShape` (null dims take the input's size). The identity at inference.
   */
  readonly dropout: {
    readonly rate: number;
    readonly noiseShape: readonly (number | null)[] | null;
    readonly seed: number | null;
  };
  /**
   * Convolution over the 1, 2 or 3 spatial axes of a channels-last x (batch, ...spatial, in) with kernel
   * (...kernel_size, in, out) (+ bias[out]), then the activation (fused for 1 and 2 spatial axes; prelu
   * takes its alpha as a last weight).
   */
  readonly conv: ConvAttrs;
  /**
   * Depthwise convolution over 1 or 2 spatial axes, kernel (...kernel_size, in, multiplier):
   * tf.depthwiseConv2d (weights as conv's).
   */
  readonly depthwiseConv: ConvAttrs;
  /**
   * Transposed convolution over 2 or 3 spatial axes, kernel (...kernel_size, out, in) (+ bias); output
   * lengths as Keras 2's deconv_length (with `outputPadding` when given). `dilations` (absent: 1 on every
   * axis) spreads the kernel's taps: the kernel with d − 1 zeros between them, d·(k − 1) + 1 long.
   */
  readonly convTranspose: {
    readonly strides: readonly number[];
    readonly dilations?: readonly number[];
    readonly padding: WindowPadding;
    readonly outputPadding: readonly number[] | null;
    readonly activation: FusedActivation;
    readonly alpha?: number;
  };
  /** Max or average pooling over the 1, 2 or 3 spatial axes of a channels-last x (TF "same": padding excluded). */
  readonly pool: {
    readonly mode: "max" | "avg";
    readonly poolSize: readonly number[];
    readonly strides: readonly number[];
    readonly padding: WindowPadding;
  };
  /** Max or mean over `axes` (≥ 0), which are removed. */
  readonly reduce: { readonly mode: "max" | "mean"; readonly axes: readonly number[] };
  /** Zeros added (before, after) on every axis. */
  readonly pad: { readonly paddings: readonly (readonly [number, number])[] };
  /** (before, after) removed from every axis. */
  readonly crop: { readonly cropping: readonly (readonly [number, number])[] };
  /** Each element repeated `factors[i]` times along axis i (nearest-neighbour upsampling). */
  readonly upsample: { readonly factors: readonly number[] };
  /** Bilinear resize of a channels-last (batch, rows, cols, channels) x to (rows·factors[0], cols·factors[1]). */
  readonly resizeBilinear: { readonly factors: readonly [number, number] };
  /**
   * Locally-connected layer (Keras 2's local_conv, implementation 1): patches of x in its own layout,
   * one kernel (positions, window·in, out) per output position, + bias (…out spatial, out) reshaped to the
   * output's layout, then the activation.
   */
  readonly localConv: {
    readonly kernelSize: readonly number[];
    readonly strides: readonly number[];
    readonly channelsFirst: boolean;
    readonly activation: FusedActivation;
    readonly alpha?: number;
  };
  /**
   * Keras 2.2 K.relu: x where x > threshold (relu when 0), clipped to [0, maxValue] (null: no cap), minus
   * alpha · relu(threshold − x). ReLU and ThresholdedReLU layers, Lambda's relu().
   */
  readonly relu: { readonly alpha: number; readonly maxValue: number | null; readonly threshold: number };
  /** PReLU: relu(x) − alpha · relu(−x); weight alpha broadcasts over the batch and shared axes. */
  readonly prelu: Record<string, never>;
  /**
   * BatchNormalization on the features `axis` (≥ 1); weights gamma (if `scale`), beta (if `center`),
   * moving_mean, moving_variance. Inference: the moving statistics; training: the batch's over every
   * other axis (moving statistics not updated).
   */
  readonly batchNorm: {
    readonly axis: number;
    readonly epsilon: number;
    readonly center: boolean;
    readonly scale: boolean;
  };
  /** LayerNormalization over `axes` (≥ 1); weights gamma (if `scale`), beta (if `center`). */
  readonly layerNorm: {
    readonly axes: readonly number[];
    readonly epsilon: number;
    readonly center: boolean;
    readonly scale: boolean;
  };
  /** Training only: x + N(0, stddev²) noise. The identity at inference. */
  readonly gaussianNoise: { readonly stddev: number; readonly seed: number | null };
  /** Training only: x · N(1, rate / (1 − rate)) noise. The identity at inference. */
  readonly gaussianDropout: { readonly rate: number; readonly seed: number | null };
  /** Training only: Keras 2 AlphaDropout (mask of `noiseShape`, null dims the input's). Identity at inference. */
  readonly alphaDropout: {
    readonly rate: number;
    readonly noiseShape: readonly (number | null)[] | null;
    readonly seed: number | null;
  };
  /**
   * Keras Dot (batch_dot): per sample, a contracted along axes[0] with b along axes[1] (both ≥ 1), each
   * L2-normalised along its axis first when `normalize` → (batch, rest of a, rest of b), or (batch, 1).
   */
  readonly batchDot: { readonly axes: readonly [number, number]; readonly normalize: boolean };
  /** A Lambda's tensor expression (src/ir/tensor-expr.ts), one input per parameter. */
  readonly tensorFunction: { readonly function: TensorFunction };
  /** Rows of the `embeddings` weight at the (int32 or float32) indices x: Embedding. */
  readonly gather: Record<string, never>;
  /**
   * A float32 mask (1 kept, 0 masked): x != value, reduced with `any` over the last axis when `anyLast`
   * (Masking: (batch, timesteps, features) → (batch, timesteps); Embedding(mask_zero): no reduction).
   */
  readonly notEqualMask: { readonly value: number; readonly anyLast: boolean };
  /** Reverses the input along `axis` (≥ 0). */
  readonly reverse: { readonly axis: number };
  /** A recurrent layer's whole time loop (ops/rnn.ts documents inputs, weights and outputs). */
  readonly rnn: RnnAttrs;
  /** ConvLSTM2D's whole time loop over channels-last images (ops/rnn.ts). */
  readonly convLstm: ConvLstmAttrs;
  /**
   * A custom layer's `call` (registered by name with registerLayer), on its inputs and its weights (named
   * in `weights`, in the step's weight order), with its own arguments.
   */
  readonly custom: { readonly layer: string; readonly args: PlanObject; readonly weights: readonly string[] };
}

/** One cell of an `rnn` step (several: stacked cells, first to last). */
export interface RnnCellAttrs extends PlanObject {
  readonly kind: "simple" | "gru" | "lstm";
  readonly units: number;
  readonly activation: ActivationFn;
  /** The gates' activation (gru, lstm). */
  readonly recurrentActivation: ActivationFn;
  readonly useBias: boolean;
  /** GRU only: the reset gate applies after the recurrent product (Keras reset_after / CuDNNGRU). */
  readonly resetAfter: boolean;
  /** The bias holds an input bias and a recurrent bias, one after the other (reset_after GRU, CuDNN*). */
  readonly doubleBias: boolean;
  /** Training only: the fraction of the inputs dropped, one seeded mask per gate (Keras 2's dropout). */
  readonly dropout: number;
  /** Training only: likewise for the state entering the recurrent products (recurrent_dropout). */
  readonly recurrentDropout: number;
  /**
   * Keras 2's implementation. It changes only training-mode dropout: 1 gives each gate its own input and
   * state mask; 2 (gru, lstm: the fused product) applies the first mask of each to every gate.
   */
  readonly implementation: 1 | 2;
}

/** The attributes of an `rnn` step: Keras 2's RNN over its cells. */
export type RnnAttrs = RnnLoopAttrs & {
  /**
   * Input 0 is the first cell's input projection without its bias, x · kernel (batch, timesteps,
   * gates·units), computed by a matMul step before this one (the hoist-rnn-input-projection pass, inference
   * only); the first cell then takes no kernel weight (its bias stays, added per step). Absent: false.
   */
  readonly projected?: boolean;
};

/** The attributes every `rnn` step has. */
export interface RnnLoopAttrs extends PlanObject {
  readonly cells: readonly RnnCellAttrs[];
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  /** The last states live on in the model between predicts (the first call starts from zeros). */
  readonly stateful: boolean;
  /** Input 1 is a (batch, timesteps) mask (float32 or bool; nonzero = kept). */
  readonly masked: boolean;
  /** The inputs after the sequence (and mask) are the initial states, in Keras's state order. */
  readonly initialState: boolean;
}

/** The attributes of a `convLstm` step: ConvLSTM2D on channels-last (batch, time, rows, cols, channels). */
export interface ConvLstmAttrs extends PlanObject {
  readonly filters: number;
  /** The input convolution's strides, padding and dilation (the recurrent one: stride 1, "same"). */
  readonly strides: readonly number[];
  readonly padding: "valid" | "same";
  readonly dilation: readonly number[];
  readonly activation: ActivationFn;
  readonly recurrentActivation: ActivationFn;
  readonly useBias: boolean;
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
  readonly masked: boolean;
  readonly initialState: boolean;
  /** Training only: the fraction of the input dropped, one seeded mask per gate over the whole image. */
  readonly dropout: number;
  /** Training only: likewise for h entering the recurrent convolutions (recurrent_dropout). */
  readonly recurrentDropout: number;
}

/** TF's window padding: "valid" (whole windows) or "same" (output length ⌈n / stride⌉). */
export type WindowPadding = "valid" | "same";

/** The attributes of `conv` and `depthwiseConv`: one stride and dilation per spatial axis. */
export interface ConvAttrs {
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padding: WindowPadding;
  readonly activation: ProductActivation;
  readonly alpha?: number;
}

/** The op vocabulary. */
export type OpName = keyof OpAttrs;

/** One step of a program: runs `op` on the values in `inputs` and the named weights. */
export interface Step {
  readonly op: string;
  readonly inputs: readonly Slot[];
  readonly outputs: readonly Slot[];
  readonly attrs: Readonly<Record<string, PlanValue>>;
  /** Weight names, in the order the op takes them (matMul: kernel, then bias if any). */
  readonly weights: readonly string[];
  /** Slots whose last use is this step: the executor releases them right after it. */
  readonly frees: readonly Slot[];
  /** The Keras layer this step came from, for messages and `--emit plan` (not needed to execute). */
  readonly layer?: string;
}

/** A whole model as the runtime executes it. */
export interface Program {
  readonly version: number;
  readonly inputs: readonly ProgramInput[];
  readonly outputs: readonly ProgramOutput[];
  readonly weights: readonly WeightDecl[];
  readonly steps: readonly Step[];
}
