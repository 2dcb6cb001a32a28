// The layer graph in Graphviz DOT, like Keras's plot_model(show_shapes=True): one box per layer with
// its name, class and input/output shapes, and one edge per tensor, labelled with the tensor's shape.
import type { Graph, IRValue } from "../../ir/graph.js";
import { formatShape } from "../../ir/shape-text.js";
import { commonShapes, formatKerasShapes, kerasNetwork } from "../summary/index.js";

/**
 * One digraph for the given models: a single model fills the picture; several get one labelled cluster
 * each. Node ids are generated (`m0_l3`), so a layer's name only ever appears inside a label.
 */
export function graphToDot(graphs: readonly Graph[]): string {
  const lines = [
    `digraph ${dotString(graphs.length === 1 ? graphs[0]!.name : "models")} {`,
    // Keras's plot_model lays models out top to bottom.
    '  graph [rankdir=TB, fontname="Helvetica"];',
    '  node [shape=plaintext, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  graphs.forEach((graph, index) => {
    const body = modelStatements(graph, `m${index}_`);
    if (graphs.length === 1) {
      lines.push(...body.map((line) => `  ${line}`));
      return;
    }
    lines.push(`  subgraph ${dotString(`cluster_${index}`)} {`, `    label=${dotString(graph.name)};`);
    lines.push(...body.map((line) => `    ${line}`), "  }");
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** A model's node and edge statements. */
function modelStatements(graph: Graph, idPrefix: string): string[] {
  const network = kerasNetwork(graph);
  const nodeId = new Map(network.layers.map(({ layer }, i) => [layer.name, `${idPrefix}l${i}`]));
  const statements: string[] = [];
  for (const { layer, nodes } of network.layers) {
    // An Input's node reads no tensor; Keras shows its own shape as its input, so does kerasc.
    const inputs = nodes.map((node) =>
      node.inputs.length === 0 ? network.outputs(node) : network.inbound(node).map((t) => t.value),
    );
    const type = layer.type === "Input" ? "InputLayer" : layer.type;
    const label = layerLabel(
      `${layer.name}: ${type}`,
      formatKerasShapes(commonShapes(inputs)),
      formatKerasShapes(commonShapes(nodes.map((node) => network.outputs(node)))),
    );
    statements.push(`${nodeId.get(layer.name)} [label=${label}];`);
  }
  for (const { layer, nodes } of network.layers) {
    for (const node of nodes) {
      for (const tensor of network.inbound(node)) {
        const from = nodeId.get(tensor.layer);
        if (from)
          statements.push(
            `${from} -> ${nodeId.get(layer.name)} [label=${dotString(shapeText(tensor.value))}];`,
          );
      }
    }
  }
  return statements;
}

function shapeText(value: IRValue): string {
  return value.type ? formatShape(value.type.shape) : "?";
}

/**
 * Keras's record label `{name: Type | {input: | output:} | {{in} | {out}}}` as an HTML-like table: its
 * text needs only XML escaping, where a record label would treat `{ } | < >` in a name as structure.
 */
function layerLabel(title: string, input: string, output: string): string {
  const cell = (text: string, attributes = "") => `<td${attributes}>${htmlText(text)}</td>`;
  return [
    '<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">',
    `<tr>${cell(title, ' rowspan="2"')}${cell("input:")}${cell(input)}</tr>`,
    `<tr>${cell("output:")}${cell(output)}</tr>`,
    "</table>>",
  ].join("");
}

/** Text inside an HTML-like label: the XML entities, nothing else is special there. */
export function htmlText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "<br/>");
}

/**
 * A DOT quoted string. DOT itself only unescapes `\"`, but labels then read backslash escapes (`\n`,
 * `\l`, `\N`, ...), so a literal backslash is doubled and a newline spelled `\n`.
 */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}
