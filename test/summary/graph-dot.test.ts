// graphToDot: one box per layer with Keras's input/output shapes, one shape-labelled edge per tensor,
// escaping that survives any layer name, and Graphviz (@viz-js/viz) accepting the result.
import { describe, expect, it } from "vitest";
import { dotString, graphToDot, htmlText, renderDotToSvg } from "../../src/compiler/graph/index.js";
import { compileModel, MNIST_MLP, SIAMESE } from "./helpers.js";

describe("graphToDot", () => {
  it("draws every layer, the Sequential model's InputLayer too, with shapes in the box and on the edges", () => {
    const dot = graphToDot([compileModel(MNIST_MLP)]);
    expect(dot.startsWith('digraph "mnist_mlp" {\n')).toBe(true);
    expect(dot).toContain(
      'm0_l1 [label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">' +
        '<tr><td rowspan="2">dense_1: Dense</td><td>input:</td><td>(None, 784)</td></tr>' +
        "<tr><td>output:</td><td>(None, 512)</td></tr></table>>];",
    );
    expect(dot).toContain('<td rowspan="2">input_1: InputLayer</td><td>input:</td><td>(None, 784)</td>');
    const edges = dot.split("\n").filter((line) => line.includes("->"));
    expect(edges.map((e) => e.trim())).toEqual([
      'm0_l0 -> m0_l1 [label="(None, 784)"];',
      'm0_l1 -> m0_l2 [label="(None, 512)"];',
      'm0_l2 -> m0_l3 [label="(None, 512)"];',
      'm0_l3 -> m0_l4 [label="(None, 512)"];',
      'm0_l4 -> m0_l5 [label="(None, 512)"];',
    ]);
  });

  it("draws one edge per call into a shared layer, and a merge's inputs as a list", () => {
    const dot = graphToDot([compileModel(SIAMESE)]);
    expect(dot.split("\n").filter((line) => line.includes("->")).length).toBe(5);
    expect(dot).toContain("concatenate_1: Concatenate</td><td>input:</td><td>[(None, 8), (None, 8)]</td>");
  });

  it("puts several models in one labelled cluster each", () => {
    const dot = graphToDot([compileModel(MNIST_MLP), compileModel(SIAMESE)]);
    expect(dot).toContain('  subgraph "cluster_0" {\n    label="mnist_mlp";\n');
    expect(dot).toContain('  subgraph "cluster_1" {\n    label="siamese";\n');
    expect(dot).toContain("m1_l4 [label=");
  });

  it("escapes names: XML entities inside labels, backslashes and quotes inside DOT strings", () => {
    expect(htmlText('a<b>&"c"')).toBe("a&lt;b&gt;&amp;&quot;c&quot;");
    expect(dotString('say "hi"\\n\nnext')).toBe('"say \\"hi\\"\\\\n\\nnext"');
    const odd = 'x"{y}|<z>&\\n';
    const dot = graphToDot([
      compileModel(`sequential m(input_shape=(4,)) {\n  Dense(3, name=${JSON.stringify(odd)})\n}\n`),
    ]);
    expect(dot).toContain("x&quot;{y}|&lt;z&gt;&amp;\\n: Dense");
  });

  it("is DOT Graphviz renders, with every name and shape in the picture", async () => {
    const odd = 'x"{y}|<z>&\\n';
    const graph = compileModel(
      `sequential m(input_shape=(4,)) {\n  Dense(3, name=${JSON.stringify(odd)})\n}\n`,
    );
    const svg = await renderDotToSvg(graphToDot([graph]));
    expect(svg).toContain("<svg");
    // Graphviz writes the name back as XML text: the same entities, the backslash kept literally.
    expect(svg).toContain(">x&quot;{y}|&lt;z&gt;&amp;\\n: Dense</text>");
    expect(svg).toContain(">(None, 4)</text>");
  });
});
