// The names of one body (a model, a sequential model, or one expansion of a block): its parameters,
// assignments and dims, in statement order, with rebinding allowed and every binding's use tracked.
import type { Stmt } from "../1-parse/ast.js";
import type { Span } from "../source.js";
import type { Denotation } from "./denotation.js";

export interface Binding {
  readonly name: string;
  /** Where the name is bound: the assignment target, the parameter, the dim. */
  readonly span: Span;
  readonly denotation: Denotation;
  readonly role: "value" | "param" | "dim";
  /** Set by every read; an unread binding is an unused value (a warning). */
  used: boolean;
}

interface LaterDefinition {
  readonly statement: number;
  readonly span: Span;
}

export class BodyScope {
  private readonly current = new Map<string, Binding>();
  private readonly all: Binding[] = [];
  /**
   * The first statement that binds each name, for "used before definition". Built on the first unresolved
   * name only: a correct body never needs it, and on a large one it would live through the whole lowering.
   */
  private firstDefinition: Map<string, LaterDefinition> | undefined;
  /** Index of the statement being lowered. */
  statement = 0;

  constructor(private readonly body: readonly Stmt[]) {}

  bind(name: string, span: Span, denotation: Denotation, role: Binding["role"]): Binding {
    const binding: Binding = { name, span, denotation, role, used: false };
    this.current.set(name, binding);
    this.all.push(binding);
    return binding;
  }

  /** The binding `name` has at this point of the body, marked as used. */
  use(name: string): Binding | undefined {
    const binding = this.current.get(name);
    if (binding) binding.used = true;
    return binding;
  }

  /** Whether `name` is bound at this point (without marking it used). */
  has(name: string): boolean {
    return this.current.has(name);
  }

  /** The current binding of `name`, without marking it used. */
  peek(name: string): Binding | undefined {
    return this.current.get(name);
  }

  /** Where `name` is first bound when that happens at or after the current statement. */
  definedLater(name: string): { span: Span; own: boolean } | undefined {
    this.firstDefinition ??= firstDefinitions(this.body);
    const later = this.firstDefinition.get(name);
    if (!later || later.statement < this.statement) return undefined;
    return { span: later.span, own: later.statement === this.statement };
  }

  /** Names bound so far, for "did you mean". */
  names(): IterableIterator<string> {
    return this.current.keys();
  }

  /** Every binding ever made in this body, in order (rebound names included). */
  bindings(): readonly Binding[] {
    return this.all;
  }
}

function firstDefinitions(body: readonly Stmt[]): Map<string, LaterDefinition> {
  const first = new Map<string, LaterDefinition>();
  body.forEach((stmt, index) => {
    const names = stmt.kind === "assign" ? stmt.targets : stmt.kind === "dim" ? stmt.names : [];
    for (const id of names) if (!first.has(id.name)) first.set(id.name, { statement: index, span: id.span });
  });
  return first;
}
