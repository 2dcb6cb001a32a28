// Source files and spans: every diagnostic points at a byte range of a file's text.

/** A half-open range [start, end) of character offsets in one source file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A 1-based line/column position, as editors and CI annotations show it. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The text of one input file plus a line index for offset → line/column conversion. */
export class SourceFile {
  readonly path: string;
  readonly text: string;
  private readonly lineStarts: number[];

  constructor(path: string, text: string) {
    this.path = path;
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** Offset → 1-based line and column. Offsets are clamped into the file. */
  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  span(start: number, end: number): Span {
    return { file: this.path, start, end };
  }
}

/** Smallest span covering both. Both must lie in the same file. */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Where a file's text comes from: the file system in Node, a map in a browser or a test. */
export interface SourceHost {
  /** Returns the file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Resolves an import path relative to the importing file. */
  resolve(fromFile: string, importPath: string): string;
}
