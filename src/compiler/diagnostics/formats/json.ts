// `kerasc check --format json`: exactly the fields of SPEC §4.
import type { FileReport } from "./locate.js";

export function formatJson(reports: readonly FileReport[]): string {
  const files = reports.map((r) => ({
    file: r.file,
    diagnostics: r.diagnostics.map(({ diagnostic, line, column, endLine, endColumn }) => ({
      severity: diagnostic.severity,
      code: diagnostic.code,
      message: diagnostic.message,
      line,
      column,
      endLine,
      endColumn,
    })),
  }));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
