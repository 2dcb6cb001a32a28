// State shared by everything that lowers one program: the diagnostics (deduplicated, and annotated with
// the block calls they were found in), the stack of block expansions, and the top-level scope.
import type { LineOf } from "../../ir/locate.js";
import type { BlockDecl } from "../1-parse/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../source.js";
import type { ProgramScope } from "./program-scope.js";

/** One block call being expanded. */
export interface ExpansionFrame {
  readonly block: BlockDecl;
  readonly call: Span;
}

/** A model may hold at most this many layer applications: nested blocks can otherwise grow exponentially. */
export const MAX_NODES_PER_GRAPH = 200_000;

export class BuildContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly frames: ExpansionFrame[] = [];
  /** Call spans of the active expansions, outermost first, shared until the stack changes. */
  private sites: readonly Span[] = Object.freeze([]);

  constructor(
    readonly program: ProgramScope,
    readonly lineOf: LineOf,
    /** At most this many layer applications per graph (see MAX_NODES_PER_GRAPH). */
    readonly maxNodesPerGraph: number = MAX_NODES_PER_GRAPH,
  ) {}

  /**
   * Records a diagnostic. Inside a block expansion it gains one note per enclosing call ("in block
   * `residual`, expanded from here"). A block expanded several times reports a problem of its own body once.
   */
  report(diagnostic: Diagnostic): void {
    const key = `${diagnostic.code}|${diagnostic.span.file}|${diagnostic.span.start}|${diagnostic.span.end}|${diagnostic.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(
      this.frames.length === 0 ? diagnostic : withExpansionNotes(diagnostic, this.frames),
    );
  }

  /** Runs `body` with `frame` on the expansion stack. */
  expanding<T>(frame: ExpansionFrame, body: () => T): T {
    this.frames.push(frame);
    this.sites = Object.freeze(this.frames.map((f) => f.call));
    try {
      return body();
    } finally {
      this.frames.pop();
      this.sites = Object.freeze(this.frames.map((f) => f.call));
    }
  }

  isExpanding(block: BlockDecl): boolean {
    return this.frames.some((f) => f.block === block);
  }

  /** Where the current code was expanded from (empty outside blocks). */
  get expandedFrom(): readonly Span[] {
    return this.sites;
  }

  get inBlock(): boolean {
    return this.frames.length > 0;
  }
}

/** Adds the block calls a diagnostic was found under, innermost first, after its own notes. */
function withExpansionNotes(diagnostic: Diagnostic, frames: readonly ExpansionFrame[]): Diagnostic {
  const notes = [...frames]
    .reverse()
    .map((f) => ({ span: f.call, message: `in block \`${f.block.name.name}\`, expanded from here` }));
  return { ...diagnostic, related: [...(diagnostic.related ?? []), ...notes] };
}
