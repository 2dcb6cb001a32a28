// The whole diagnostic catalogue: importing this module declares every code (SARIF lists them as rules).
export * from "./args.js";
export * from "./define.js";
export * from "./io.js";
export * from "./json.js";
export * from "./lambda.js";
export * from "./lower.js";
export * from "./names.js";
export * from "./shapes.js";
export * from "./syntax.js";
