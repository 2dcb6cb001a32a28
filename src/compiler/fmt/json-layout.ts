// A JSON value with a chosen layout: structure (files, items, bodies) one entry per line, everything
// small (statements, expressions) on one line — the JSON twin of "one statement per line".

export type JsonOut =
  /** Already-spelled JSON text: a number, a quoted string, true, false or null. */
  | { readonly kind: "raw"; readonly text: string }
  | { readonly kind: "array"; readonly items: readonly JsonOut[]; readonly multiline: boolean }
  | {
      readonly kind: "object";
      readonly entries: readonly (readonly [string, JsonOut])[];
      readonly multiline: boolean;
    };

export function raw(text: string): JsonOut {
  return { kind: "raw", text };
}

export function jsonString(value: string): JsonOut {
  return raw(JSON.stringify(value));
}

export function jsonArray(items: readonly JsonOut[], multiline = false): JsonOut {
  return { kind: "array", items, multiline };
}

export function jsonObject(entries: readonly (readonly [string, JsonOut])[], multiline = false): JsonOut {
  return { kind: "object", entries, multiline };
}

/** Renders with 2-space indentation; `", "` and `": "` separate inline entries. */
export function renderJson(value: JsonOut, indent = ""): string {
  switch (value.kind) {
    case "raw":
      return value.text;
    case "array": {
      const items = value.items.map((item) => renderJson(item, `${indent}  `));
      return wrap("[", items, "]", value.multiline, indent);
    }
    case "object": {
      const entries = value.entries.map(
        ([key, v]) => `${JSON.stringify(key)}: ${renderJson(v, `${indent}  `)}`,
      );
      return wrap("{", entries, "}", value.multiline, indent);
    }
  }
}

function wrap(
  open: string,
  parts: readonly string[],
  close: string,
  multiline: boolean,
  indent: string,
): string {
  if (parts.length === 0) return open + close;
  if (!multiline) return `${open}${parts.join(", ")}${close}`;
  const inner = `${indent}  `;
  return `${open}\n${parts.map((p) => inner + p).join(",\n")}\n${indent}${close}`;
}
