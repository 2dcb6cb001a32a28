// Expands a block call in place: arguments matched to parameters (Python-style), the body lowered in a
// fresh scope into the caller's graph, every layer and node marked with the call sites it came through.
import type { BlockDecl, CallExpr } from "../1-parse/ast.js";
import {
  blockArgumentGivenTwice,
  blockWithoutReturn,
  missingBlockArgument,
  tooManyBlockArguments,
  unknownBlockKeyword,
} from "../diagnostics/catalogue/names.js";
import { suggest } from "../diagnostics/suggest.js";
import { joinSpans, type Span } from "../source.js";
import { type Denotation, POISON } from "./denotation.js";
import { lowerStatements, reportUnused } from "./lower-body.js";
import { lowerExpr } from "./lower-expr.js";
import type { Env } from "./resolve.js";
import { BodyScope } from "./scope.js";

/**
 * The tensors a block call returns. `leading` is the running tensor of a sequential model, passed as the
 * first parameter ahead of the written arguments.
 */
export function expandBlock(
  decl: BlockDecl,
  call: CallExpr,
  env: Env,
  leading: Denotation | undefined,
): Denotation {
  const given = bindBlockArguments(decl, call, env, leading);
  // A cyclic block was reported once by checkBlockCycles; re-entering it would never end. A block with a
  // duplicate parameter was reported by the front end (KML112); which argument is meant is unknowable.
  if (!given || env.ctx.isExpanding(decl) || hasDuplicateParams(decl)) return POISON;
  return env.ctx.expanding({ block: decl, call: call.span }, () => {
    const scope = new BodyScope(decl.body);
    const inner: Env = { ctx: env.ctx, graph: env.graph, scope };
    for (const param of decl.params) {
      const value = given.get(param.name.name) ?? (param.default ? lowerExpr(param.default, inner) : POISON);
      scope.bind(param.name.name, param.name.span, value, "param");
    }
    const result = lowerStatements(decl.body, inner, { kind: "block", name: decl.name.name });
    reportUnused(inner, decl.name.name);
    if (!result.returnSeen) {
      env.ctx.report(blockWithoutReturn(decl.name.span, decl.name.name));
      return POISON;
    }
    return result.returned;
  });
}

function hasDuplicateParams(decl: BlockDecl): boolean {
  return new Set(decl.params.map((p) => p.name.name)).size !== decl.params.length;
}

interface GivenArgument {
  readonly value: Denotation;
  readonly span: Span;
}

/** Parameter name → argument, or undefined after reporting a mismatch between call and parameters. */
function bindBlockArguments(
  decl: BlockDecl,
  call: CallExpr,
  env: Env,
  leading: Denotation | undefined,
): Map<string, Denotation> | undefined {
  const block = decl.name.name;
  const params = decl.params.map((p) => p.name.name);
  const positional: GivenArgument[] = leading ? [{ value: leading, span: call.span }] : [];
  for (const arg of call.args) positional.push({ value: lowerExpr(arg, env), span: arg.span });
  const keywords = call.kwargs.map((kw) => ({ kw, value: lowerExpr(kw.value, env) }));

  let ok = true;
  const given = new Map<string, GivenArgument>();
  // A misspelt keyword's likely parameter is not reported missing as well.
  const excused = new Set<string>();
  if (positional.length > params.length) {
    const extra = positional.slice(params.length);
    const span = joinSpans(extra[0]!.span, extra[extra.length - 1]!.span);
    env.ctx.report(tooManyBlockArguments(span, block, params, positional.length, leading !== undefined));
    ok = false;
  }
  positional.slice(0, params.length).forEach((arg, i) => {
    given.set(params[i]!, arg);
  });
  for (const { kw, value } of keywords) {
    const name = kw.name.name;
    if (!params.includes(name)) {
      const suggestion = suggest(name, params);
      if (suggestion !== undefined) excused.add(suggestion);
      env.ctx.report(unknownBlockKeyword(kw.name.span, block, name, suggestion, params));
      ok = false;
      continue;
    }
    const first = given.get(name);
    if (first) {
      env.ctx.report(blockArgumentGivenTwice(kw.name.span, block, name, first.span));
      ok = false;
      continue;
    }
    given.set(name, { value, span: kw.name.span });
  }
  for (const param of decl.params) {
    if (!given.has(param.name.name) && !param.default && !excused.has(param.name.name)) {
      env.ctx.report(missingBlockArgument(call.span, block, param.name.name, param.name.span));
      ok = false;
    }
  }
  return ok ? new Map([...given].map(([name, arg]) => [name, arg.value])) : undefined;
}
