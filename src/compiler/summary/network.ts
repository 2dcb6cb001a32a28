// The model as Keras's Network sees it: the nodes reachable from the outputs (plus every Input), each
// layer's applications in call order, and Keras 2's layer order (by depth), shared by summary and graph.
import type { Graph, IRNode, IRValue, LayerId, LayerInstance, NodeId, ValueId } from "../../ir/graph.js";

/** One input tensor of an application, in Keras's "Connected to" terms. */
export interface InboundTensor {
  /** The producing layer's name, e.g. `dense_1`. */
  readonly layer: string;
  /** Which application of the producing layer made the tensor (0 for its first call). */
  readonly nodeIndex: number;
  /** Which output of that application (0 unless the layer has several outputs). */
  readonly tensorIndex: number;
  readonly value: IRValue;
}

/** A layer of the network with its applications that belong to the model, in call order. */
export interface NetworkLayer {
  readonly layer: LayerInstance;
  readonly nodes: readonly IRNode[];
}

/** The network view of a graph: what Keras's `model.layers` and `model._nodes_by_depth` hold. */
export interface KerasNetwork {
  /** Every layer with an application in the model, in Keras's order (inputs first, then by depth). */
  readonly layers: readonly NetworkLayer[];
  /**
   * Keras's "sequential-like" test: one node per depth, no node with several inputs, no layer applied
   * twice. Keras prints such a model without the "Connected to" column, whatever its class.
   */
  readonly chainLike: boolean;
  /** The tensors an application reads, each with its producer's name and indices. */
  inbound(node: IRNode): readonly InboundTensor[];
  /** The tensors an application produces (typed or not). */
  outputs(node: IRNode): readonly IRValue[];
}

/**
 * Builds the network view. The layer order is Keras 2's `Network._init_graph_network`: a depth-first walk
 * from the outputs numbers the layers (pre-order) and finds the nodes; a node's depth is the longest path
 * to an output, a layer's the deepest of its nodes; layers are listed deepest first, ties in walk order.
 */
export function kerasNetwork(graph: Graph): KerasNetwork {
  const nodes = new Map<NodeId, IRNode>(graph.nodes.map((n) => [n.id, n]));
  const values = new Map<ValueId, IRValue>(graph.values.map((v) => [v.id, v]));
  const layers = new Map<LayerId, LayerInstance>(graph.layers.map((l) => [l.id, l]));
  const producerOf = (value: ValueId): IRNode | undefined => {
    const producer = values.get(value)?.producer;
    return producer === undefined ? undefined : nodes.get(producer);
  };

  // Keras numbers a layer's inbound nodes in call order; graph.nodes keeps the order of the source.
  const nodeIndex = new Map<NodeId, number>();
  const callsSoFar = new Map<LayerId, number>();
  for (const node of graph.nodes) {
    const index = callsSoFar.get(node.layer) ?? 0;
    nodeIndex.set(node.id, index);
    callsSoFar.set(node.layer, index + 1);
  }

  const { postOrder, walkIndex } = walkFromOutputs(graph, producerOf);
  const { nodeDepth, layerDepth } = assignDepths(postOrder, producerOf);
  // Keras keeps inputs that no output depends on, at depth 0 and first among their depth.
  for (const id of graph.inputs) {
    const node = producerOf(id);
    if (!node || nodeDepth.has(node.id)) continue;
    nodeDepth.set(node.id, 0);
    layerDepth.set(node.layer, 0);
    walkIndex.set(node.layer, -1);
  }

  const ordered = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || walkIndex.get(a)! - walkIndex.get(b)!,
  );
  const calls = new Map<LayerId, IRNode[]>();
  for (const node of graph.nodes) {
    if (!nodeDepth.has(node.id)) continue;
    const list = calls.get(node.layer);
    if (list) list.push(node);
    else calls.set(node.layer, [node]);
  }
  const networkLayers = ordered.flatMap((id) => {
    const layer = layers.get(id);
    return layer ? [{ layer, nodes: calls.get(id) ?? [] }] : [];
  });

  const inbound = (node: IRNode): InboundTensor[] =>
    node.inputs.flatMap((id) => {
      const value = values.get(id);
      const producer = producerOf(id);
      const layer = producer && layers.get(producer.layer);
      if (!value || !producer || !layer) return [];
      return [
        { layer: layer.name, nodeIndex: nodeIndex.get(producer.id)!, tensorIndex: value.outputIndex, value },
      ];
    });

  return {
    layers: networkLayers,
    chainLike: isChainLike(nodeDepth, networkLayers),
    inbound,
    outputs: (node) => node.outputs.flatMap((id) => values.get(id) ?? []),
  };
}

/** Keras's `build_map`: the nodes the outputs depend on, in post-order, and each layer's pre-order number. */
function walkFromOutputs(
  graph: Graph,
  producerOf: (value: ValueId) => IRNode | undefined,
): { postOrder: IRNode[]; walkIndex: Map<LayerId, number> } {
  const postOrder: IRNode[] = [];
  const walkIndex = new Map<LayerId, number>();
  const finished = new Set<NodeId>();
  // An explicit stack: a deep model (hundreds of layers in a chain) must not overflow the call stack.
  const visit = (start: IRNode) => {
    const stack: { node: IRNode; next: number }[] = [];
    const enter = (node: IRNode) => {
      // The IR is acyclic, so a node not finished is not on the stack either.
      if (finished.has(node.id)) return;
      if (!walkIndex.has(node.layer)) walkIndex.set(node.layer, walkIndex.size);
      stack.push({ node, next: 0 });
    };
    enter(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const input = frame.node.inputs[frame.next++];
      if (input !== undefined) {
        const producer = producerOf(input);
        if (producer) enter(producer);
        continue;
      }
      stack.pop();
      finished.add(frame.node.id);
      postOrder.push(frame.node);
    }
  };
  for (const id of graph.outputs) {
    const node = producerOf(id);
    if (node) visit(node);
  }
  return { postOrder, walkIndex };
}

/**
 * Keras's depth pass, from the outputs back: a node is one deeper than the deepest node it feeds, and
 * every node of a shared layer is at least as deep as the layer seen so far.
 */
function assignDepths(
  postOrder: readonly IRNode[],
  producerOf: (value: ValueId) => IRNode | undefined,
): { nodeDepth: Map<NodeId, number>; layerDepth: Map<LayerId, number> } {
  const nodeDepth = new Map<NodeId, number>();
  const layerDepth = new Map<LayerId, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i]!;
    const depth = Math.max(nodeDepth.get(node.id) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node.id, depth);
    for (const input of node.inputs) {
      const producer = producerOf(input);
      if (producer) nodeDepth.set(producer.id, Math.max(depth + 1, nodeDepth.get(producer.id) ?? 0));
    }
  }
  return { nodeDepth, layerDepth };
}

/** Keras's `print_summary` test for a sequential-like network. */
function isChainLike(nodeDepth: ReadonlyMap<NodeId, number>, layers: readonly NetworkLayer[]): boolean {
  const perDepth = new Map<number, number>();
  for (const depth of nodeDepth.values()) perDepth.set(depth, (perDepth.get(depth) ?? 0) + 1);
  if ([...perDepth.values()].some((count) => count > 1)) return false;
  return layers.every((l) => l.nodes.length <= 1 && l.nodes.every((n) => n.inputs.length <= 1));
}
