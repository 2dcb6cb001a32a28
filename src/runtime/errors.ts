// Typed problems the runtime's readers and initializers return instead of throwing (SPEC §7: bad input
// gets a message and a location, never a stack trace).

/**
 * The result of an operation that fails on bad input: `{ ok: true, ...value }` or `{ ok: false, error }`.
 * Callers switch on `ok`; nothing is thrown for a problem in a user's file.
 */
export type Outcome<T extends object, E> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly error: E };

/** What went wrong reading a NumPy .npy file. */
export type NpyErrorCode =
  /** The file does not start with the .npy magic string `\x93NUMPY`. */
  | "not-npy"
  /** A format version other than 1.0, 2.0 or 3.0. */
  | "unsupported-version"
  /** The header dictionary cannot be read or lacks / misstates `descr`, `fortran_order`, `shape`. */
  | "malformed-header"
  /** A dtype kerasc cannot turn into float32 or int32 (complex, strings, objects, structured, ...). */
  | "unsupported-dtype"
  /** The file ends before the header or the data does. */
  | "truncated"
  /** Bytes follow the data the header describes. */
  | "trailing-bytes"
  /** A float64 or 64-bit/unsigned integer value does not fit the float32 / int32 it is converted to. */
  | "value-out-of-range";

/** A problem in a .npy file, located by the byte offset (from the start of the file) where it was found. */
export interface NpyError {
  readonly kind: "npy";
  readonly code: NpyErrorCode;
  readonly message: string;
  readonly offset: number;
}

/** What went wrong reading or writing weights in the TF.js weights format. */
export type WeightsErrorCode =
  /** The manifest is not an array of `{paths, weights}` groups with well-formed entries. */
  | "malformed-manifest"
  /** A path the manifest names has no shard. */
  | "missing-shard"
  /** The shards of a group hold fewer or more bytes than its weights need. */
  | "size-mismatch"
  /** A weight's dtype (or quantization dtype) is one kerasc does not read. */
  | "unsupported-dtype"
  /** Two weights in one manifest share a name, so a lookup by name would be ambiguous. */
  | "duplicate-name"
  /** The file system refused a read or write (the message carries the system's reason). */
  | "io";

/**
 * A problem with a weights manifest or its shards. `where` locates it: a manifest position such as
 * `[0].weights[2].shape`, a shard path, or a file on disk.
 */
export interface WeightsError {
  readonly kind: "weights";
  readonly code: WeightsErrorCode;
  readonly message: string;
  readonly where: string;
}

/** What went wrong computing a weight's initial values. */
export type InitializerErrorCode =
  /** A className that is none of the Keras initializers. */
  | "unknown-initializer"
  /** A config value of the wrong type or out of range (e.g. `mode="fan_inn"`, a fractional seed). */
  | "bad-config"
  /** The weight's shape does not suit the initializer (Identity needs 2D, Orthogonal at least 2D). */
  | "bad-shape";

/** A problem initializing one weight; the caller adds which weight it was. */
export interface InitializerError {
  readonly kind: "initializer";
  readonly code: InitializerErrorCode;
  readonly message: string;
}

/** Any problem the runtime reports about its input. */
export type RuntimeInputError = NpyError | WeightsError | InitializerError;
