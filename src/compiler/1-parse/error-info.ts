// Chevrotain reports a parse error as an exception whose only free-form field is its message. This
// message provider packs the structured facts (what was expected, in which rule) into that message as
// JSON, so syntax-errors.ts can phrase one friendly diagnostic per error instead of parsing English.
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

/** The facts about one parse error. Expected token types are given by name. */
export interface SyntaxErrorInfo {
  readonly kind: "mismatch" | "noViableAlt" | "earlyExit" | "notAllInput";
  readonly expected: readonly string[];
  readonly ruleName: string;
}

function encode(info: SyntaxErrorInfo): string {
  return JSON.stringify(info);
}

function firstTokens(paths: readonly (readonly TokenType[])[]): string[] {
  const names: string[] = [];
  for (const path of paths) {
    const first = path[0];
    if (first && !names.includes(first.name)) names.push(first.name);
  }
  return names;
}

/** Reads back what `errorInfoProvider` packed; a message it did not write decodes to a generic mismatch. */
export function decodeErrorInfo(message: string): SyntaxErrorInfo {
  try {
    const value = JSON.parse(message) as SyntaxErrorInfo;
    if (typeof value === "object" && value !== null && Array.isArray(value.expected)) return value;
  } catch {
    // Fall through: not one of ours.
  }
  return { kind: "mismatch", expected: [], ruleName: "" };
}

/** Passed to the parser's config; builds the JSON messages `decodeErrorInfo` reads. */
export const errorInfoProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, ruleName }: { expected: TokenType; ruleName: string }) {
    return encode({ kind: "mismatch", expected: [expected.name], ruleName });
  },
  buildNotAllInputParsedMessage({ ruleName }: { firstRedundant: IToken; ruleName: string }) {
    return encode({ kind: "notAllInput", expected: [], ruleName });
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, ruleName }) {
    return encode({ kind: "noViableAlt", expected: firstTokens(expectedPathsPerAlt.flat()), ruleName });
  },
  buildEarlyExitMessage({ expectedIterationPaths, ruleName }) {
    return encode({ kind: "earlyExit", expected: firstTokens(expectedIterationPaths), ruleName });
  },
};
