// The backend names alone, without tfjs: what a command line parses `--backend` against before loading
// the runtime.

/** The backends kerasc runs on. */
export type BackendName = "cpu" | "wasm";

/** Every backend name, the default (wasm) first. */
export const BACKEND_NAMES: readonly BackendName[] = ["wasm", "cpu"];
