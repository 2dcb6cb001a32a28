// The one error class loadModel and predict throw: a code to switch on and a message that names the op,
// weight or input concerned (SPEC §6: a missing kernel fails at load time, naming the op).

/** What went wrong loading or running a model. */
export type ModelErrorCode =
  /** The program is malformed: unknown op, undefined slot, undeclared weight, wrong version. */
  | "invalid-program"
  /** The backend lacks a kernel an op of the program needs. */
  | "missing-kernel"
  /** A given weight has the wrong size or name, or its initializer cannot produce it. */
  | "weight-mismatch"
  /** A predict input is missing, unknown, or of the wrong shape or dtype. */
  | "input-mismatch"
  /** The model was used after dispose(). */
  | "disposed";

/** A problem loading or running a model, with a message fit to show a user. */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ModelError";
  }
}
