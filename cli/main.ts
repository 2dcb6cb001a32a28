// The `kerasc` command line: parses flags with commander and dispatches to one file per command.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { BACKEND_NAMES } from "../src/runtime/backend-names.js";
import { CHECK_FORMATS, type CheckFormat, runCheck } from "./commands/check.js";
import { EMIT_STAGES, type EmitStage, runCompile } from "./commands/compile.js";
import { type FmtTarget, runFmt } from "./commands/fmt.js";
import { runGraph } from "./commands/graph.js";
import type { RunCommandOptions } from "./commands/run.js";
import { runSummary } from "./commands/summary.js";
import { EXIT_USAGE, UsageError } from "./exit.js";
import { VERSION } from "./version.js";

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a non-negative integer");
  return Number(value);
}

function parsePositive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError("expected a positive integer");
  return Number(value);
}

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command("kerasc")
    .description("Compile Keras-style model definitions (.kml) into checked, optimized execution plans")
    .version(VERSION)
    .exitOverride()
    // `kerasc FILE` and the subcommands share flag names (--model, --batch, -o): each parses its own.
    .enablePositionalOptions()
    .showHelpAfterError("(run kerasc --help for usage)")
    .argument("[file]", "a .kml or .kml.json model file to compile into FILE's .plan.json")
    .option("-o, --output <plan.json>", "where to write the plan (default: next to the file)")
    .addOption(optimizationLevel())
    .addOption(new Option("--emit <stage>", "print a stage instead of writing the plan").choices(EMIT_STAGES))
    .option("--dump-after <pass>", "print the op program after this optimization pass")
    .option("--batch <n>", "the batch size of the report's memory and FLOP figures", parsePositive, 1)
    .option("--model <name>", "only this model of the file")
    .option("--weights-out <dir>", "also write the weights (TF.js format), drawn from their initializers")
    .option("--seed <n>", "seed of the initial weights written by --weights-out", parseCount, 0)
    .action(async (file: string | undefined, options: CompileFlags) => {
      if (!file) {
        program.help({ error: true });
        return;
      }
      setExitCode(
        await runCompile(file, {
          emit: options.emit,
          output: options.output,
          optimize: options.O !== "0",
          dumpAfter: options.dumpAfter,
          batch: options.batch,
          model: options.model,
          weightsOut: options.weightsOut,
          seed: options.seed,
        }),
      );
    });

  program
    .command("check")
    .description("shape-check model files (paths or globs); exit 1 when any has errors")
    .argument("<files...>", "model files or glob patterns")
    .addOption(new Option("--format <format>", "output format").choices(CHECK_FORMATS).default("text"))
    .option("--max-warnings <n>", "also fail when there are more than n warnings", parseCount)
    .action(async (files: string[], options: { format: CheckFormat; maxWarnings?: number }) => {
      setExitCode(await runCheck(files, { format: options.format, maxWarnings: options.maxWarnings }));
    });

  program
    .command("fmt")
    .description("print a model file in canonical form, or convert it between .kml and JSON")
    .argument("<file>", "a .kml or .kml.json file")
    .addOption(new Option("--to <form>", "output form (default: the input's)").choices(["kml", "json"]))
    .option("--write", "write the result to the file (or its .kml/.kml.json twin) instead of stdout", false)
    .action((file: string, options: { to?: FmtTarget; write: boolean }) => {
      setExitCode(runFmt(file, { to: options.to, write: options.write }));
    });

  program
    .command("summary")
    .description("print each model's layers, output shapes and parameter counts (Keras's model.summary())")
    .argument("<file>", "a .kml or .kml.json model file")
    .option("--json", "print the summary as JSON", false)
    .option("--batch <n>", "also give FLOPs and activation memory for a batch of n samples", parsePositive)
    .option("--model <name>", "only this model of the file")
    .action((file: string, options: { json: boolean; batch?: number; model?: string }) => {
      setExitCode(runSummary(file, { json: options.json, batch: options.batch, model: options.model }));
    });

  program
    .command("graph")
    .description("draw each model's layer graph with shapes on the edges (Keras's plot_model)")
    .argument("<file>", "a .kml or .kml.json model file")
    .option("-o, --output <path>", "write an .svg or .dot file (default: DOT on stdout)")
    .option("--model <name>", "only this model of the file")
    .action(async (file: string, options: { output?: string; model?: string }) => {
      setExitCode(await runGraph(file, { output: options.output, model: options.model }));
    });

  program
    .command("run")
    .description("execute a model on .npy inputs (seeded random inputs when none are given)")
    .argument("<file>", "a .kml or .kml.json model file, or a .plan.json plan")
    .option(
      "-i, --input <[name=]file.npy>",
      "an input (repeatable; bare paths fill the inputs in order)",
      collect,
      [],
    )
    .option("-o, --output <file.npy|dir>", "write the output (or one <name>.npy per output into a directory)")
    .option("--weights <dir>", "TF.js weights (a directory with weights_manifest.json, or the manifest)")
    .addOption(
      new Option(
        "--backend <name>",
        "where to run (default wasm, falling back to cpu; webgl is a browser's and falls back to wasm)",
      ).choices(BACKEND_NAMES),
    )
    .option("--seed <n>", "seed of the initial weights and random inputs", parseCount, 0)
    .option("--model <name>", "which model of the file")
    .addOption(optimizationLevel())
    .action(
      async (file: string, options: Omit<RunCommandOptions, "inputs"> & { input: string[]; O: string }) => {
        const { input, output, weights, backend, seed, model } = options;
        // Loaded on use: the runtime brings tfjs, which the other commands do without.
        const { runRun } = await import("./commands/run.js");
        setExitCode(
          await runRun(file, {
            inputs: input,
            output,
            weights,
            backend,
            seed,
            model,
            optimize: options.O !== "0",
          }),
        );
      },
    );

  return program;
}

/** `kerasc FILE`'s flags as commander parses them. */
interface CompileFlags {
  readonly emit?: EmitStage;
  readonly output?: string;
  readonly O: string;
  readonly dumpAfter?: string;
  readonly batch: number;
  readonly model?: string;
  readonly weightsOut?: string;
  readonly seed: number;
}

/** `-O0` turns the optimization passes off; `-O1` and up (the default, -O2) run them all. */
function optimizationLevel(): Option {
  return new Option("-O <level>", "optimization level: -O0 runs no passes")
    .choices(["0", "1", "2", "3"])
    .default("2");
}

/** Commander's accumulator for repeatable options (`--input a.npy --input b.npy`). */
function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

/** Runs the CLI and returns the exit code; usage and I/O problems print one line, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`kerasc: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`kerasc: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.stderr.write(
      "This is a bug in kerasc, not in your model; please report it with the input file.\n",
    );
    return EXIT_USAGE;
  }
}
