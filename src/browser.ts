// kerasc's public API for a browser: index.ts's minus the Node-only file functions. Sources come as strings,
// or from an in-memory host (memoryHost) when they import other files.

export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
// compile and check read `{ path }` inputs and imports from `options.host`; without one, strings only.
export { check, compile } from "./compiler/index.js";
export { memoryHost } from "./memory-host.js";
export * from "./public-api.js";
