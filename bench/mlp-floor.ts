// Why the MLP at batch 1 on wasm stays under 2× (README, Benchmarks): each engine alone in a steady loop
// (3,000 predicts after 300 warm-up, no interleaving), and the floor — the four kernels kerasc's plan runs
// (three _FusedMatMul with bias and activation, Softmax) called directly with the same weights and no
// executor around them. kerasc's predict sits 5–20% above that floor; TF.js layers adds its
// overhead to the same kernels, and that overhead is all a ratio can show.
// Run: npm run bench -- --only compile >/dev/null (builds dist-bench), then node dist-bench/bench/mlp-floor.js
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import * as direct from "../src/runtime/ops/direct-kernels.js";
import { loadKerascModel } from "./kerasc-model.js";
import { buildTwin, setTwinWeights, typedGraph } from "./twin.js";

const source = readFileSync("bench/models/mlp.kml", "utf8");
const model = await loadKerascModel(source, "wasm");
const twin = buildTwin(typedGraph(source, "mlp.kml"));
setTwinWeights(twin, model.getWeights());
const weight = (name: string) => model.weights.get(name)!;
const x = tf.randomUniform([1, 784]);

const floor = (): tf.Tensor[] => [
  tf.tidy(() => {
    let h = direct.fusedMatMul({
      a: x,
      b: weight("dense_1/kernel"),
      bias: weight("dense_1/bias"),
      activation: "relu",
    });
    h = direct.fusedMatMul({
      a: h,
      b: weight("dense_2/kernel"),
      bias: weight("dense_2/bias"),
      activation: "relu",
    });
    return direct.softmax(
      direct.fusedMatMul({ a: h, b: weight("dense_3/kernel"), bias: weight("dense_3/bias") }),
    );
  }),
];

/** Mean ms of one run plus reading its outputs, over 3,000 runs after 300 untimed ones. */
function loop(run: () => tf.Tensor[]): number {
  for (let i = 0; i < 300; i++) tf.dispose(run());
  const started = performance.now();
  for (let i = 0; i < 3000; i++) {
    const outputs = run();
    for (const output of outputs) output.dataSync();
    tf.dispose(outputs);
  }
  return (performance.now() - started) / 3000;
}

console.log("| round | kernels alone | kerasc predict | TF.js layers predict | TF.js / kerasc |");
console.log("|---:|---:|---:|---:|---:|");
for (let round = 1; round <= 3; round++) {
  const alone = loop(floor);
  const ours = loop(() => model.predict([x]));
  const theirs = loop(() => [twin.predict(x) as tf.Tensor]);
  console.log(
    `| ${round} | ${alone.toFixed(3)} ms | ${ours.toFixed(3)} ms | ${theirs.toFixed(3)} ms | ${(theirs / ours).toFixed(2)}× |`,
  );
}
