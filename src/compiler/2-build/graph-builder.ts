// Accumulates one graph's layers, nodes and values while a model is lowered, then freezes them into
// an immutable IR Graph. Ids are dense per graph and assigned in creation order, so nodes come out
// in topological order: a node is created only after every value it reads.
import type {
  Graph,
  IRNode,
  IRValue,
  LayerId,
  LayerInstance,
  SymbolicDimDecl,
  ValueId,
} from "../../ir/graph.js";
import type { Span } from "../source.js";
import type { LayerObject } from "./denotation.js";
import { LayerNaming } from "./layer-naming.js";

interface DraftValue {
  readonly id: ValueId;
  name: string;
  /** Whether `name` was given by a binding (later bindings of the same tensor keep the first name). */
  named: boolean;
  readonly producer: number;
  readonly outputIndex: number;
  readonly span: Span;
}

export class GraphBuilder {
  readonly naming = new LayerNaming();
  /** Set when the body constructs an Input, even an invalid one (so "model without Input" stays quiet). */
  declaresInput = false;
  /** Set once the node budget is exhausted (reported once per graph). */
  overBudget = false;
  private readonly layers: LayerInstance[] = [];
  private readonly nodes: IRNode[] = [];
  private readonly values: DraftValue[] = [];
  private readonly inputs: ValueId[] = [];
  private readonly dims = new Map<string, SymbolicDimDecl>();
  /** Input-producing values, for the "unused Input" warning. */
  private readonly inputValues = new Set<ValueId>();

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Adds the layer to the graph at its first application (idempotent). */
  ensureLayer(layer: LayerObject): LayerId {
    if (layer.id !== undefined) return layer.id;
    const id = this.layers.length;
    layer.id = id;
    this.layers.push(
      Object.freeze({
        id,
        name: layer.name,
        type: layer.def.name,
        args: layer.args,
        span: layer.span,
        expandedFrom: layer.expandedFrom,
      }),
    );
    return id;
  }

  /**
   * Applies a layer: one node, `outputCount` new values. Nodes without inputs (Input) are graph inputs.
   * `inputs` becomes part of the IR (frozen, not copied): pass a fresh array.
   */
  addNode(
    layer: LayerObject,
    inputs: ValueId[],
    outputCount: number,
    span: Span,
    expandedFrom: readonly Span[],
  ): ValueId[] {
    const layerId = this.ensureLayer(layer);
    const nodeId = this.nodes.length;
    const outputs: ValueId[] = [];
    for (let i = 0; i < outputCount; i++) {
      const id = this.values.length;
      const name = outputCount === 1 ? layer.name : `${layer.name}_${i}`;
      this.values.push({ id, name, named: false, producer: nodeId, outputIndex: i, span });
      outputs.push(id);
    }
    this.nodes.push(
      Object.freeze({
        id: nodeId,
        layer: layerId,
        inputs: Object.freeze(inputs),
        outputs: Object.freeze(outputs),
        span,
        expandedFrom,
      }),
    );
    if (inputs.length === 0) {
      for (const id of outputs) {
        this.inputs.push(id);
        this.inputValues.add(id);
      }
    }
    return outputs;
  }

  /** Gives a value the name it is first bound to (`ea`). */
  nameValue(id: ValueId, name: string): void {
    const value = this.values[id];
    if (value && !value.named) {
      value.name = name;
      value.named = true;
    }
  }

  isInputValue(id: ValueId): boolean {
    return this.inputValues.has(id);
  }

  /** Records that the graph refers to symbolic dim `name` (first reference wins the span). */
  useDim(name: string, span: Span): void {
    if (!this.dims.has(name)) this.dims.set(name, Object.freeze({ name, span }));
  }

  finish(name: string, kind: Graph["kind"], span: Span, outputs: readonly ValueId[]): Graph {
    const values: IRValue[] = this.values.map((v) =>
      Object.freeze({
        id: v.id,
        name: v.name,
        producer: v.producer,
        outputIndex: v.outputIndex,
        type: null,
        span: v.span,
      }),
    );
    return Object.freeze({
      name,
      kind,
      span,
      layers: Object.freeze(this.layers.slice()),
      nodes: Object.freeze(this.nodes.slice()),
      values: Object.freeze(values),
      inputs: Object.freeze(this.inputs.slice()),
      outputs: Object.freeze(outputs.slice()),
      dims: Object.freeze([...this.dims.values()]),
    });
  }
}
