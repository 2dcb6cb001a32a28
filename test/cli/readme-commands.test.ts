// The README's main command works as written: the built `kerasc` executable (what `npx kerasc` runs
// after `npm ci`) compiles the default sample and exits 0, and a broken model exits 1 with a located message.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");

beforeAll(() => {
  // `npm ci` builds dist/ (the prepare script); build here only when a checkout skipped it.
  if (!existsSync(bin)) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
}, 120_000);

describe("the kerasc executable", () => {
  it("is executable, as npx runs it directly", () => {
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it("compiles the README's default sample", () => {
    const run = spawnSync(bin, ["samples/mnist_mlp.kml"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("model mnist_mlp (sequential)");
    expect(run.stdout).toContain("669,706 params");
  });

  it("exits 1 with file:line:col for a model with a typo", () => {
    const dir = mkdtempSync(join(tmpdir(), "kerasc-bin-"));
    const file = join(dir, "typo.kml");
    writeFileSync(file, 'sequential m(input_shape=(4,)) {\n  Dense(2, activaton="relu")\n}\n');
    const run = spawnSync(bin, ["check", file], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${file}:2:12: error KML301`);
    expect(run.stdout).toContain("did you mean `activation`?");
  });
});
