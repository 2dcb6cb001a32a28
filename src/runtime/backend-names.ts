// The backend names alone, without tfjs: what a command line parses `--backend` against before loading
// the runtime.

/** The backends kerasc runs on: webgl is for a browser (in Node it falls back to wasm, then cpu). */
export type BackendName = "cpu" | "wasm" | "webgl";

/** Every backend name, the default (wasm) first. */
export const BACKEND_NAMES: readonly BackendName[] = ["wasm", "cpu", "webgl"];
