// Builds the browser bundle: src/browser.ts as an ES module, web/dist/kerasc.js, with the wasm backend's
// binaries copied beside it (a page points setWasmPaths at that directory), and the browser test's page code
// (web/test-page.ts, sharing the bundle's chunks, so one tfjs). `npm run build:web`.
import { copyFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const WEB = dirname(fileURLToPath(import.meta.url));
export const DIST = join(WEB, "dist");

/** Bundles kerasc for the browser into web/dist/; returns the bundle's path. */
export async function buildWeb(): Promise<string> {
  // Chunk names change with the code: no stale one left behind.
  rmSync(DIST, { recursive: true, force: true });
  await build({
    entryPoints: { kerasc: join(WEB, "../src/browser.ts"), "test-page": join(WEB, "test-page.ts") },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: true,
    logLevel: "warning",
  });
  const wasmDir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
  for (const name of readdirSync(wasmDir).filter((n) => n.endsWith(".wasm")))
    copyFileSync(join(wasmDir, name), join(DIST, name));
  return join(DIST, "kerasc.js");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`built ${await buildWeb()}`);
