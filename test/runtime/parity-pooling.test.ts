// The pooling family executing (SPEC §7): Max/AveragePooling1D/2D/3D and the global poolings against TF.js
// layers (run on cpu) on cpu and wasm, in both data formats, over strides and paddings; Keras's "same"
// against a plain-loop reference (an average over the window's cells inside the input only); global 3D
// pooling, which TF.js layers lacks, against its loop; no leaks.
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import {
  type Array_,
  expectMatches,
  expectTwin,
  globalPoolReference,
  poolReference,
  runOurs,
  single,
  toChannelsFirst,
  toChannelsLast,
} from "./conv-test-helpers.js";

type Format = "channels_last" | "channels_first";
const FORMATS: readonly Format[] = ["channels_last", "channels_first"];
const tfFormat = (f: Format) => (f === "channels_first" ? "channelsFirst" : "channelsLast");
const shapeOf = (spatial: readonly number[], channels: number, f: Format) =>
  `(${(f === "channels_first" ? [channels, ...spatial] : [...spatial, channels]).join(", ")})`;
const last = (a: Array_, f: Format) => (f === "channels_first" ? toChannelsLast(a) : a);
const back = (a: Array_, f: Format) => (f === "channels_first" ? toChannelsFirst(a) : a);

type Mode = "Max" | "Average";
const MODES: readonly Mode[] = ["Max", "Average"];

/** (label, kerasc arguments, TF.js arguments, pool size, strides, padding) per rank. */
type Window = readonly [string, string, Record<string, unknown>, number[], number[], "valid" | "same"];

const WINDOWS_1D: readonly Window[] = [
  ["default", "", {}, [2], [2], "valid"],
  [
    "pool 3 strides 2 same",
    'pool_size=3, strides=2, padding="same"',
    { poolSize: 3, strides: 2, padding: "same" },
    [3],
    [2],
    "same",
  ],
  ["pool 2 strides 1", "pool_size=2, strides=1", { poolSize: 2, strides: 1 }, [2], [1], "valid"],
];
const WINDOWS_2D: readonly Window[] = [
  ["default", "", {}, [2, 2], [2, 2], "valid"],
  [
    "pool (3, 2) strides (2, 1) same",
    'pool_size=(3, 2), strides=(2, 1), padding="same"',
    { poolSize: [3, 2], strides: [2, 1], padding: "same" },
    [3, 2],
    [2, 1],
    "same",
  ],
  [
    "pool 3 strides 2 same",
    'pool_size=3, strides=2, padding="same"',
    { poolSize: 3, strides: 2, padding: "same" },
    [3, 3],
    [2, 2],
    "same",
  ],
  ["pool 2 strides 1", "pool_size=2, strides=1", { poolSize: 2, strides: 1 }, [2, 2], [1, 1], "valid"],
];
const WINDOWS_3D: readonly Window[] = [
  ["default", "", {}, [2, 2, 2], [2, 2, 2], "valid"],
  [
    "pool (2, 3, 2) strides (1, 2, 1) same",
    'pool_size=(2, 3, 2), strides=(1, 2, 1), padding="same"',
    { poolSize: [2, 3, 2], strides: [1, 2, 1], padding: "same" },
    [2, 3, 2],
    [1, 2, 1],
    "same",
  ],
];

const twin1d = (mode: Mode, args: Record<string, unknown>) =>
  mode === "Max" ? tfl.layers.maxPooling1d(args) : tfl.layers.averagePooling1d(args);
const twin2d = (mode: Mode, args: Record<string, unknown>) =>
  mode === "Max" ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args);
const twin3d = (mode: Mode, args: Record<string, unknown>) =>
  mode === "Max" ? tfl.layers.maxPooling3d(args) : tfl.layers.averagePooling3d(args);

/** Every (mode, format, window) of a rank, with its spatial input size. */
function grid(rank: 1 | 2 | 3, windows: readonly Window[], spatial: readonly number[]) {
  return MODES.flatMap((mode) =>
    FORMATS.flatMap((f) =>
      windows.map((w) => [`${mode}Pooling${rank}D ${w[0]} ${f}`, mode, f, w, spatial] as const),
    ),
  );
}

describe.each<BackendName>(["cpu", "wasm"])("pooling layers on %s", (backend) => {
  it.each(grid(1, WINDOWS_1D, [7]))("%s matches TF.js layers", async (_n, mode, f, [, args, tf], spatial) => {
    const sep = args ? ", " : "";
    // TF.js layers' 1D pooling has no data_format: channels_first is checked through the transposed input.
    await expectTwin(
      single(shapeOf(spatial, 3, f), `${mode}Pooling1D(${args}${sep}data_format="${f}")`),
      twin1d(mode, tf),
      backend,
      {
        viaChannelsLast: f === "channels_first",
      },
    );
  });

  it.each([...grid(2, WINDOWS_2D, [7, 6]), ...grid(3, WINDOWS_3D, [5, 5, 4])])(
    "%s matches TF.js layers",
    async (_n, mode, f, [, args, tf], spatial) => {
      const sep = args ? ", " : "";
      const rank = spatial.length;
      const twin = (rank === 2 ? twin2d : twin3d)(mode, { ...tf, dataFormat: tfFormat(f) });
      await expectTwin(
        single(shapeOf(spatial, 2, f), `${mode}Pooling${rank}D(${args}${sep}data_format="${f}")`),
        twin,
        backend,
      );
    },
  );

  it.each([...grid(1, WINDOWS_1D, [7]), ...grid(2, WINDOWS_2D, [7, 6]), ...grid(3, WINDOWS_3D, [5, 5, 4])])(
    "%s matches the loop (same: padded cells excluded)",
    async (_n, mode, f, [, args, , size, strides, padding], spatial) => {
      const sep = args ? ", " : "";
      const rank = spatial.length;
      const run = await runOurs(
        single(shapeOf(spatial, 2, f), `${mode}Pooling${rank}D(${args}${sep}data_format="${f}")`),
        backend,
      );
      expectMatches(
        run,
        back(poolReference(last(run.x, f), mode === "Max" ? "max" : "avg", size, strides, padding), f),
      );
    },
  );

  const globals = MODES.flatMap((mode) =>
    FORMATS.flatMap((f) =>
      [
        [1, [6]],
        [2, [4, 5]],
      ].map(
        ([rank, spatial]) =>
          [`Global${mode}Pooling${rank}D ${f}`, mode, f, rank as 1 | 2, spatial as number[]] as const,
      ),
    ),
  );

  it.each(globals)("%s matches TF.js layers", async (_n, mode, f, rank, spatial) => {
    const factory = {
      "1Max": () => tfl.layers.globalMaxPooling1d({}),
      "1Average": () => tfl.layers.globalAveragePooling1d({}),
      "2Max": () => tfl.layers.globalMaxPooling2d({ dataFormat: tfFormat(f) }),
      "2Average": () => tfl.layers.globalAveragePooling2d({ dataFormat: tfFormat(f) }),
    }[`${rank}${mode}`]!;
    await expectTwin(
      single(shapeOf(spatial, 3, f), `Global${mode}Pooling${rank}D(data_format="${f}")`),
      factory(),
      backend,
      {
        // TF.js layers' 1D global pooling has no data_format.
        viaChannelsLast: rank === 1 && f === "channels_first",
      },
    );
  });

  it.each(MODES.flatMap((mode) => FORMATS.map((f) => [mode, f] as const)))(
    "Global%sPooling3D %s matches the loop",
    async (mode, f) => {
      const run = await runOurs(
        single(shapeOf([3, 4, 2], 3, f), `Global${mode}Pooling3D(data_format="${f}")`),
        backend,
      );
      expectMatches(run, globalPoolReference(last(run.x, f), mode === "Max" ? "max" : "avg"));
    },
  );
});
