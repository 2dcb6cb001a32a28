// The top-level namespace shared by an entry file and everything it imports: models, blocks and dims.
import type { BlockDecl, Identifier, KmlFile, ModelDecl, SequentialDecl } from "../1-parse/ast.js";
import { duplicateDeclaration } from "../diagnostics/catalogue/names.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

export type GlobalDecl =
  | { readonly kind: "block"; readonly name: Identifier; readonly decl: BlockDecl }
  | { readonly kind: "model"; readonly name: Identifier; readonly decl: ModelDecl | SequentialDecl }
  | { readonly kind: "dim"; readonly name: Identifier };

/** Top-level declarations by name; one namespace for the entry file and its imports. */
export class ProgramScope {
  private readonly decls = new Map<string, GlobalDecl>();

  get(name: string): GlobalDecl | undefined {
    return this.decls.get(name);
  }

  names(): IterableIterator<string> {
    return this.decls.keys();
  }

  /** Names of one kind, e.g. every block (for "did you mean"). */
  namesOf(kind: GlobalDecl["kind"]): string[] {
    return [...this.decls.values()].filter((d) => d.kind === kind).map((d) => d.name.name);
  }

  blocks(): BlockDecl[] {
    return [...this.decls.values()].flatMap((d) => (d.kind === "block" ? [d.decl] : []));
  }

  /**
   * Adds a declaration, reporting a clash. The same dim declared in two files is one dim (both mean the
   * same symbolic size), so only dims repeated within one file clash.
   */
  declare(decl: GlobalDecl, report: (d: Diagnostic) => void): void {
    const first = this.decls.get(decl.name.name);
    if (!first) {
      this.decls.set(decl.name.name, decl);
      return;
    }
    if (first.kind === "dim" && decl.kind === "dim" && first.name.span.file !== decl.name.span.file) return;
    report(
      duplicateDeclaration(decl.name.span, kindWord(decl), decl.name.name, first.name.span, kindWord(first)),
    );
  }
}

function kindWord(decl: GlobalDecl): string {
  return decl.kind === "model" ? decl.decl.kind : decl.kind;
}

/** Declares the top-level items of `files` in order (imports before the files that import them). */
export function declareTopLevel(files: readonly KmlFile[], report: (d: Diagnostic) => void): ProgramScope {
  const scope = new ProgramScope();
  for (const file of files) {
    for (const item of file.items) {
      switch (item.kind) {
        case "block":
          scope.declare({ kind: "block", name: item.name, decl: item }, report);
          break;
        case "model":
        case "sequential":
          scope.declare({ kind: "model", name: item.name, decl: item }, report);
          break;
        case "dim":
          for (const name of item.names) scope.declare({ kind: "dim", name }, report);
          break;
        case "import":
          break;
      }
    }
  }
  return scope;
}
