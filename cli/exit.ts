// Exit codes of the stable CLI contract (SPEC §4), and the error type that carries code 2 up to main.
export const EXIT_OK = 0;
/** The model has errors (or more warnings than --max-warnings allows). */
export const EXIT_MODEL_ERRORS = 1;
/** Usage or I/O error: bad flags, a file that cannot be read or written. */
export const EXIT_USAGE = 2;

/** A usage or I/O problem: main prints the message and exits with 2, never a stack trace. */
export class UsageError extends Error {}
