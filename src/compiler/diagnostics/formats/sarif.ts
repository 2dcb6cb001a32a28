// `kerasc check --format sarif`: a SARIF 2.1.0 log, the format code-scanning tools ingest.
import { allDiagnosticKinds } from "../catalogue/define.js";
import { type FileReport, messageWithHint } from "./locate.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const levelFor = { error: "error", warning: "warning", info: "note" } as const;

export interface SarifToolInfo {
  readonly version: string;
}

/** Relative paths become relative URIs (forward slashes, percent-encoded), as SARIF requires. */
function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join("/");
}

export function formatSarif(reports: readonly FileReport[], tool: SarifToolInfo): string {
  const kinds = allDiagnosticKinds();
  const ruleIndex = new Map(kinds.map((k, i) => [k.code, i]));
  const results = reports.flatMap((report) =>
    report.diagnostics.map(({ diagnostic, line, column, endLine, endColumn }) => ({
      ruleId: diagnostic.code,
      ...(ruleIndex.has(diagnostic.code) ? { ruleIndex: ruleIndex.get(diagnostic.code) } : {}),
      level: levelFor[diagnostic.severity],
      message: { text: messageWithHint(diagnostic) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(report.file) },
            region: { startLine: line, startColumn: column, endLine, endColumn },
          },
        },
      ],
    })),
  );
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kerasc",
            version: tool.version,
            rules: kinds.map((k) => ({
              id: k.code,
              name: k.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
                (c ?? "").toUpperCase(),
              ),
              shortDescription: { text: k.title },
              defaultConfiguration: { level: levelFor[k.severity] },
            })),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
