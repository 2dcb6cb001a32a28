// Attaches comments and blank lines to statements and items. Comments are consumed in source order by
// one cursor, so each lands exactly once: above an item (leading), after it on its line (trailing),
// inside it (moved up to leading), or before a `}` / the end of file (closing). None is ever lost.
import type { IToken } from "chevrotain";
import type { SourceFile } from "../source.js";
import type { Comment, Trivia } from "./ast.js";

export class CommentCursor {
  private next = 0;

  constructor(
    private readonly comments: readonly IToken[],
    private readonly source: SourceFile,
  ) {}

  /** Takes every remaining comment that starts before `offset`. */
  takeBefore(offset: number): Comment[] {
    const taken: Comment[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.startOffset < offset) {
      taken.push(this.toComment(this.comments[this.next++]!));
    }
    return taken;
  }

  /** Takes the comment that follows `offset` on the same line, if there is one. */
  takeTrailing(offset: number): Comment | null {
    const candidate = this.comments[this.next];
    if (candidate === undefined) return null;
    const text = this.source.text;
    for (let i = offset; i < candidate.startOffset; i++) if (text.charCodeAt(i) === 10) return null;
    this.next++;
    return this.toComment(candidate);
  }

  /** Every comment not yet taken (the file's closing comments). */
  rest(): Comment[] {
    return this.takeBefore(Number.POSITIVE_INFINITY);
  }

  private toComment(token: IToken): Comment {
    const end = token.startOffset + token.image.length;
    // A comment ends at the newline; drop a `\r` of a CRLF file so the text is the same on every OS.
    const text = token.image.endsWith("\r") ? token.image.slice(0, -1) : token.image;
    return { text, span: this.source.span(token.startOffset, end - (token.image.length - text.length)) };
  }
}

/**
 * True when a whitespace-only line lies between `from` (the end of what came before, mid-line) and `to`
 * (the start of the item). The partial lines at both ends do not count; a file's start counts as a line start.
 */
export function hasBlankLineBetween(text: string, from: number, to: number): boolean {
  let lineHasContent = true;
  let seenNewline = from === 0;
  if (from === 0) lineHasContent = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (seenNewline && !lineHasContent) return true;
      seenNewline = true;
      lineHasContent = false;
    } else if (c !== 32 && c !== 9 && c !== 13) {
      lineHasContent = true;
    }
  }
  return false;
}

/** Trivia for an item spanning [start, end): leading comments (plus any inside it) and the trailing one. */
export function attachTrivia(
  cursor: CommentCursor,
  text: string,
  previousEnd: number,
  start: number,
  end: number,
): Trivia {
  const leadingComments = cursor.takeBefore(start);
  // Comments inside a multi-line statement have no place of their own; they move above it.
  for (const comment of cursor.takeBefore(end)) leadingComments.push(comment);
  return {
    leadingComments,
    trailingComment: cursor.takeTrailing(end),
    blankLineBefore: hasBlankLineBetween(text, previousEnd, start),
  };
}
