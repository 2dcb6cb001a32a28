// Static check on block declarations, done once per block rather than per expansion: cycles (a block
// that calls itself directly or through other blocks). Duplicate parameters are the front ends' (KML112).
import type { BlockDecl } from "../1-parse/ast.js";
import { blockCycle } from "../diagnostics/catalogue/names.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../source.js";
import { forEachExpr } from "./ast-walk.js";
import type { ProgramScope } from "./program-scope.js";

interface BlockCall {
  readonly callee: string;
  readonly span: Span;
}

/**
 * Reports each cycle in the block call graph once, at the call that closes it. Expansion later refuses to
 * re-enter a block already being expanded, so a cyclic block never loops.
 */
export function checkBlockCycles(scope: ProgramScope, report: (d: Diagnostic) => void): void {
  const blocks = scope.blocks();
  const calls = new Map<BlockDecl, BlockCall[]>();
  for (const block of blocks) calls.set(block, callsOf(block, scope));

  const state = new Map<BlockDecl, "active" | "done">();
  const path: BlockDecl[] = [];
  const visit = (block: BlockDecl): void => {
    state.set(block, "active");
    path.push(block);
    for (const call of calls.get(block) ?? []) {
      const target = scope.get(call.callee);
      if (target?.kind !== "block") continue;
      const status = state.get(target.decl);
      if (status === "active") {
        const cycle = path.slice(path.indexOf(target.decl));
        const chain = [...cycle.map((b) => b.name.name), target.decl.name.name];
        const declared = cycle.map((b) => ({
          span: b.name.span,
          message: `block \`${b.name.name}\` is declared here`,
        }));
        report(blockCycle(call.span, chain, declared));
      } else if (status === undefined) {
        visit(target.decl);
      }
    }
    path.pop();
    state.set(block, "done");
  };
  for (const block of blocks) if (!state.has(block)) visit(block);
}

/** Calls in `block`'s body whose callee is a plain name (a block, layer or bound layer). */
function callsOf(block: BlockDecl, scope: ProgramScope): BlockCall[] {
  // A parameter or local can shadow a block name; only names never bound in the block count.
  const local = new Set(block.params.map((p) => p.name.name));
  for (const stmt of block.body) if (stmt.kind === "assign") for (const t of stmt.targets) local.add(t.name);
  const found: BlockCall[] = [];
  forEachExpr(block.body, (expr) => {
    if (expr.kind === "call" && expr.callee.kind === "name" && !local.has(expr.callee.name)) {
      if (scope.get(expr.callee.name)?.kind === "block")
        found.push({ callee: expr.callee.name, span: expr.callee.span });
    }
  });
  return found;
}
