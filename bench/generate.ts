// Generated models for the compile-time benchmark and the scaling test: n layers, sequential or functional.

const CYCLE = [
  (units: number) => `Dense(${units}, activation="relu")`,
  () => "Dropout(0.1)",
  () => 'Activation("tanh")',
  (units: number) => `Reshape((${units / 4}, 4))`,
  () => "Flatten()",
];

/** A sequential model of exactly `layers` layers cycling through Dense, Dropout, Activation, Reshape, Flatten. */
export function generateSequential(layers: number, units = 16): string {
  const lines = [`sequential generated_${layers}(input_shape=(${units},)) {`];
  for (let i = 0; i < layers; i++) lines.push(`  ${CYCLE[i % CYCLE.length]!(units)}`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * A functional model of `layers` layers: the same chain, but every fifth value feeds a second branch that
 * rejoins later through a shared layer, so name resolution and fan-out are exercised too.
 */
export function generateFunctional(layers: number, units = 16): string {
  const lines = [
    `model generated_${layers} {`,
    `  x0 = Input(shape=(${units},))`,
    `  shared = Dense(${units})`,
  ];
  let applied = 1; // the Input counts as a layer, like Keras's InputLayer
  let i = 0;
  while (applied < layers) {
    const kind = i % 4;
    const prev = `x${i}`;
    const next = `x${i + 1}`;
    if (kind === 0) lines.push(`  ${next} = Dense(${units}, activation="relu")(${prev})`);
    else if (kind === 1) lines.push(`  ${next} = shared(${prev})`);
    else if (kind === 2) lines.push(`  ${next} = Dropout(0.1)(${prev})`);
    else lines.push(`  ${next} = Activation("relu")(${prev})`);
    applied += kind === 1 && i > 1 ? 0 : 1; // reapplying `shared` adds a node, not a layer
    i++;
  }
  lines.push(`  outputs x${i}`, "}");
  return `${lines.join("\n")}\n`;
}
