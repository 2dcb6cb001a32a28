// kerasc's public API for Node: compile and check .kml sources, print and convert them.

import type { Diagnostic } from "./compiler/diagnostics/diagnostic.js";
import {
  type CompileInput,
  type CompileOptions,
  type CompileResult,
  check as checkWithHost,
  compile as compileWithHost,
} from "./compiler/index.js";
import { nodeHost } from "./node-host.js";

export { nodeHost } from "./node-host.js";
export * from "./public-api.js";
export { readWeightsDir, saveModelWeights, writeWeightsDir } from "./runtime/weights-format-node.js";

/** Compiles a source string or `{ path }` to diagnostics and typed IR. Files are read from disk unless `host` is given. */
export function compile(input: CompileInput, options: CompileOptions = {}): CompileResult {
  return compileWithHost(input, { host: nodeHost, ...options });
}

/** The diagnostics `compile` would report. Never throws for a problem in the model. */
export function check(input: CompileInput, options: CompileOptions = {}): readonly Diagnostic[] {
  return checkWithHost(input, { host: nodeHost, ...options });
}
