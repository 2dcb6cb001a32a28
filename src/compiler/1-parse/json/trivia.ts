// The optional layout fields of an item or statement: "comments", "trailingComment", "blankLineBefore".
import type { Trivia } from "../ast.js";
import type { JsonReadContext } from "./context.js";
import type { JsonFields } from "./fields.js";
import { readComment, readComments } from "./names.js";

/** Reads the trivia fields; absent ones mean no comments and no blank line. Bad ones are reported and dropped. */
export function readTrivia(ctx: JsonReadContext, fields: JsonFields): Trivia {
  const trailing = fields.optional("trailingComment");
  const blank = fields.optional("blankLineBefore");
  return {
    leadingComments: readComments(ctx, fields.optional("comments")),
    trailingComment: (trailing && readComment(ctx, trailing)) ?? null,
    blankLineBefore: (blank && ctx.boolean(blank)) ?? false,
  };
}
