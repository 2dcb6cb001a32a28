// `kerasc check --format github`: GitHub Actions workflow commands, which the UI shows as annotations.
import { type FileReport, messageWithHint } from "./locate.js";

/** Workflow-command data escaping (GitHub's toolkit escapeData). */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Workflow-command property escaping (GitHub's toolkit escapeProperty). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const commandFor = { error: "error", warning: "warning", info: "notice" } as const;

export function formatGithub(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const { diagnostic, line, column, endLine, endColumn } of report.diagnostics) {
      const props = [
        `file=${escapeProperty(report.file)}`,
        `line=${line}`,
        `col=${column}`,
        `endLine=${endLine}`,
        `endColumn=${endColumn}`,
        `title=${escapeProperty(`kerasc ${diagnostic.code}`)}`,
      ].join(",");
      lines.push(`::${commandFor[diagnostic.severity]} ${props}::${escapeData(messageWithHint(diagnostic))}`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
