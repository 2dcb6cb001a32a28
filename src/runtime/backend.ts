// Backend selection: wasm (SIMD) is the fast default, cpu the fallback that always works, webgl the
// browser's GPU. Loading a model selects its backend; a backend that cannot start is reported through a
// warning, never a crash.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
// Registers webgl's kernels everywhere, the backend itself only in a browser (tfjs checks).
import "@tensorflow/tfjs-backend-webgl";

import type { BackendName } from "./backend-names.js";

export { BACKEND_NAMES, type BackendName } from "./backend-names.js";

export interface SelectBackendOptions {
  /** Where a fallback is reported (default: console.warn). */
  readonly warn?: (message: string) => void;
}

const isNode = typeof process !== "undefined" && process.versions?.node !== undefined;

/**
 * Whether wasm and webgl started, decided once per process: a failed start is not retried (it only
 * repeats the noise).
 */
let wasmStart: Promise<boolean> | undefined;
let webglStart: Promise<boolean> | undefined;

/**
 * Makes `requested` (default "wasm") the active tfjs backend and returns the one now active. A backend that
 * cannot start falls back, after one warning naming the backend used instead: webgl to wasm, wasm to cpu.
 */
export async function selectBackend(
  requested: BackendName = "wasm",
  options: SelectBackendOptions = {},
): Promise<BackendName> {
  const warn = options.warn ?? console.warn;
  if (requested === "webgl") {
    webglStart ??= start("webgl");
    // Once started, making it active again is immediate (another model may have switched since).
    if ((await webglStart) && (await tf.setBackend("webgl"))) return "webgl";
  }
  if (requested !== "cpu") {
    wasmStart ??= startWasm();
    if ((await wasmStart) && (await tf.setBackend("wasm"))) {
      if (requested === "webgl") warn("kerasc: the webgl backend could not start; running on wasm instead");
      return "wasm";
    }
    warn(
      `kerasc: the ${requested === "webgl" ? "webgl and wasm backends" : "wasm backend"} could not start; running on cpu instead`,
    );
  }
  if (!(await tf.setBackend("cpu"))) throw new Error("the tfjs cpu backend could not start");
  return "cpu";
}

/**
 * Makes an already started backend active again, synchronously, before a model runs (another model may
 * have switched since). tf.setBackend is async only for a backend's first start: for a started one it
 * switches before its first await, which is checked rather than trusted.
 */
export function reactivateBackend(name: BackendName): void {
  if (tf.getBackend() === name) return;
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new Error(`the tfjs ${name} backend is not running`);
}

function startWasm(): Promise<boolean> {
  if (isNode) pointWasmAtItsPackage();
  return start("wasm");
}

/** Starts a backend: false when it cannot (webgl is not even registered outside a browser). */
async function start(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * In Node the .wasm binaries sit beside the package's entry file. Naming that directory explicitly keeps
 * them found when kerasc itself is bundled (the loader's own default is relative to its script).
 */
function pointWasmAtItsPackage(): void {
  try {
    const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
    setWasmPaths(new URL(".", entry).href);
  } catch {
    // No resolver (an older runtime): the loader's default location still works unbundled.
  }
}
