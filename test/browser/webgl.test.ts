// kerasc in a real browser: the bundle (web/build.ts) served to headless Chromium, where each benchmark model
// (bench/models/*.kml) runs on webgl — WebGL 2 on SwiftShader, no GPU needed — and on cpu with the same
// seeded weights and inputs (web/test-page.ts). Skipped, visibly, where /usr/bin/chromium is missing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { buildWeb } from "../../web/build.js";
import type { Comparison, PageInput } from "../../web/test-page.js";
import { randomInputs } from "../runtime/executor-helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const WEB = join(import.meta.dirname, "../../web");
const MODELS = join(import.meta.dirname, "../../bench/models");
const FILES = readdirSync(MODELS)
  .filter((name) => name.endsWith(".kml"))
  .sort();

/**
 * SwiftShader computes in float32 (checked below) as cpu does, but sums in another order and with its own
 * exp (sigmoid, softmax): a few float32 ulps apart, at most 1.5e-7 measured on these models. 1e-4 relative
 * to max(1, |cpu|) is SPEC §7's parity bar, far above that and far below a wrong result.
 */
const TOLERANCE = 1e-4;

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".map": "application/json",
  ".wasm": "application/wasm",
};

/** Serves web/ on a free port of 127.0.0.1. */
async function serveWeb(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(WEB, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)));
    if (!path.startsWith(WEB) || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    response.end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe.skipIf(!existsSync(CHROMIUM))("kerasc on webgl in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildWeb();
    server = await serveWeb();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/test.html`);
    const state = await page.waitForFunction(() => document.body.dataset.state, null, { timeout: 20_000 });
    expect(await state.jsonValue()).toBe("ready");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each(FILES)(
    "%s: runs on webgl, equals cpu, leaks nothing",
    async (file) => {
      const source = readFileSync(join(MODELS, file), "utf8");
      const plan = compile(source).plan!;
      const inputs: PageInput[] = randomInputs(plan, 5, { batch: 2, unknown: 5 }).map((input, i) => ({
        data: Array.from(input.data),
        dtype: plan.inputs[i]!.dtype === "int32" ? "int32" : "float32",
        shape: input.shape,
      }));
      const result = await page.evaluate(
        ([source, inputs]) =>
          (
            globalThis as unknown as {
              kerascTest: {
                compareBackends(s: string, i: readonly PageInput[], seed: number): Promise<Comparison>;
              };
            }
          ).kerascTest.compareBackends(source, inputs, 1),
        [source, inputs] as const,
      );
      console.log(
        `${file}: ${result.backends.join(" vs ")}, max abs ${result.maxAbs.toExponential(2)}, max rel ${result.maxRel.toExponential(2)}, cpu range ${result.cpuRange.map((v) => v.toPrecision(3)).join("..")}, tensors ${JSON.stringify(result.tensors)}`,
      );
      expect(result.backends).toEqual(["webgl", "cpu"]);
      // WebGL 2 with float32 textures: the precision TOLERANCE assumes (float16 would need ~1e-3).
      expect(result.webgl).toEqual({ version: 2, float32: true });
      // The outputs vary (a constant output would compare equal whatever webgl computed).
      expect(result.cpuRange[1]).toBeGreaterThan(result.cpuRange[0]);
      expect(result.activeDuringPredict).toBe("webgl");
      expect(result.warnings).toEqual([]);
      expect(result.outputShapes[0]![0]).toBe(2);
      expect(result.maxRel).toBeLessThanOrEqual(TOLERANCE);
      expect(result.tensors.webgl[1]).toBe(result.tensors.webgl[0]);
      expect(result.tensors.cpu[1]).toBe(result.tensors.cpu[0]);
    },
    30_000,
  );
});
