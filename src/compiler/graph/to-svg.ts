// Renders DOT to SVG with @viz-js/viz, Graphviz compiled to WebAssembly: the same layout engine Keras's
// plot_model uses, in Node and in a browser, with no system Graphviz to install.
import { instance, type Viz } from "@viz-js/viz";

let viz: Promise<Viz> | undefined;

/** The SVG document Graphviz's `dot` engine draws for `dot`. Throws when Graphviz rejects the input. */
export async function renderDotToSvg(dot: string): Promise<string> {
  // Instantiating the WebAssembly module is the slow part; one instance renders any number of graphs.
  viz ??= instance();
  return (await viz).renderString(dot, { format: "svg", engine: "dot" });
}
