/**
 * `mambu <command>`: explore and operate a Mambu tenant from the terminal.
 *
 *   mambu get <entity> <id> [--full]
 *   mambu list <entity> [--filter key=value ...] [--sort field:ASC] [--limit N]
 *   mambu search <entity> --where "field OPERATOR value" ...
 *   mambu call <resource>.<operationId> [path params...] [--data JSON|@file|@-] [--query k=v ...] [--yes]
 *   mambu loan approve|disburse|repay|reschedule|refinance|payoff|writeoff|fee|schedule <loanId> [amount] [--yes]
 *   mambu deposit deposit|withdraw|transfer|block|unblock <depositId> [amount] [--yes]
 *   mambu messages list [--failed] [--client ID] [--since DATE] | resend <key...> | resend --failed [--yes]
 *   mambu schedule <loanId> | transactions <loanId> | config | entities | types | repl | sandbox | demo | migrate
 *
 * Global options: --json, --jsonl, --columns a,b,c, --sandbox, --debug, --progress/--no-progress, --help, --version.
 * Exit codes: 0 ok, 1 anything else, 2 usage error, 3 Mambu error, 4 communication error.
 */
import { packageVersion } from "../transport";
import { OptionSpec, parseArgs, splitCommand, suggest } from "./args";
import { Command, CommandContext, COMMANDS } from "./commands";
import { displayName, entities } from "./entities";
import { describeError, EXIT, exitCodeOf, UsageError } from "./exit";
import { optionLines } from "./help";
import type { OutputOptions } from "./output";
import { openSession, Session } from "./session";
import { fitHelp, terminalWidth } from "./terminal";

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: "json", kind: "flag", help: "print JSON (one document; amounts exactly as Mambu sent them)" },
  { name: "jsonl", kind: "flag", help: "print JSON lines, one record per line, as pages arrive" },
  { name: "columns", kind: "value", arg: "a,b,c", help: "columns to show: fields, nested paths (balances.totalBalance), custom fields" },
  { name: "sandbox", kind: "flag", help: "start the embedded sandbox (demo tenant) in this process and use it" },
  { name: "progress", kind: "flag", help: "progress on stderr while fetching (default: when stderr is a terminal; --no-progress)" },
  { name: "debug", kind: "flag", help: "stack traces on errors, one stderr line per request" },
  { name: "help", kind: "flag", short: "h", help: "show help" },
  { name: "version", kind: "flag", short: "V", help: "print the version" },
];

/** Where `main` reads and writes (process streams by default; tests pass their own). */
export interface MainIO {
  /** Where output goes; tables and help are fitted to its `columns` when it is a terminal (else to env `COLUMNS`). */
  stdout: OutputOptions["stdout"];
  stderr: OutputOptions["stderr"];
}

/** `mambu --help`. */
export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => `${c.name} ${c.synopsis}`.length));
  return [
    "Usage: mambu <command> [options]",
    "",
    "Explore and operate a Mambu tenant from the terminal: API v2, the Services API (/v1: services.<name>) and the",
    "Payments API (/api/v1: payments.<name>). Connection: MAMBU_API_URL, MAMBU_API_USER, MAMBU_API_PWD (or",
    "MAMBU_API_KEY; the Payments API takes only the key) or ~/.mambupy.rc; --sandbox uses an embedded sandbox instead.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.synopsis}`.padEnd(w)}  ${c.summary}`),
    "",
    "Options (every command):",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    `Entities: ${entities().map(displayName).join(", ")}`,
    "",
    "Examples:",
    "  mambu --sandbox list loans",
    "  mambu get client 0512N0025 --full --json",
    '  mambu search loans --where "loanAmount MORE_THAN 1000" --columns id,loanAmount,accountState',
    "  mambu schedule 54321",
    "  mambu loan repay 54321 295.50 --notes 'installment 5'",
    "  mambu --sandbox list services.currencies",
    "  mambu call payments.sepaCreditTransfers.getPaymentDetails <paymentId>",
    "",
    "Exit codes: 0 ok, 2 usage error, 3 Mambu error (code, status and reason on stderr),",
    "4 communication error (Mambu unreachable or failing after retries), 1 anything else.",
    'Run "mambu <command> --help" for a command\'s options and examples.',
    "",
  ].join("\n");
}

/** `mambu <command> --help`. */
export function commandHelp(c: Command): string {
  return [
    `Usage: mambu ${c.name}${c.synopsis ? ` ${c.synopsis}` : ""}${c.passThrough ? "" : " [options]"}`,
    "",
    c.summary,
    ...(c.description ? [c.description] : []),
    "",
    ...(c.options.length ? ["Options:", ...optionLines(c.options), ""] : []),
    c.passThrough ? "Options of mambu (before the command word):" : "Global options:",
    ...optionLines(GLOBAL_OPTIONS.filter((o) => !c.globals || c.globals.includes(o.name))),
    "",
    "Examples:",
    ...c.examples.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

function findCommand(name: string): Command {
  const c = COMMANDS.find((x) => x.name === name);
  if (!c) throw new UsageError(`unknown command "${name}"${suggest(name, COMMANDS.map((x) => x.name), "")}`);
  return c;
}

/**
 * Runs `mambu` with `argv` (without node and the script) and resolves to the exit code; errors are
 * printed on stderr (see `describeError`), never thrown.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), io: MainIO = process): Promise<number> {
  let session: Session | undefined;
  let debug = argv.includes("--debug");
  let secrets: string[] = [];
  const width = terminalWidth(io.stdout);
  try {
    const { before, command: name, after } = splitCommand(argv, GLOBAL_OPTIONS);
    if (name === "help") {
      const target = after.find((a) => !a.startsWith("-"));
      const c = target ? findCommand(target) : undefined;
      io.stdout.write(fitHelp(c ? commandHelp(c) + (c.moreHelp?.(after.filter((a) => !a.startsWith("-")).slice(1)) ?? "") : mainHelp(), width));
      return EXIT.OK;
    }
    const command = name === undefined ? undefined : findCommand(name);
    const passThrough = !!command?.passThrough;
    const args = parseArgs(passThrough ? before : [...before, ...after], [...GLOBAL_OPTIONS, ...(command?.options ?? [])], command?.name);
    const o = args.options;
    debug = !!o.debug;
    if (o.version) {
      io.stdout.write(`mambu-ts ${packageVersion()}\n`);
      return EXIT.OK;
    }
    if (!command) {
      if (o.help) {
        io.stdout.write(fitHelp(mainHelp(), width));
        return EXIT.OK;
      }
      throw new UsageError("no command given");
    }
    if (o.help || (passThrough && after.some((a) => a === "--help" || a === "-h"))) {
      io.stdout.write(fitHelp(commandHelp(command) + (command.moreHelp?.(args.positionals) ?? ""), width));
      return EXIT.OK;
    }
    if (o.json && o.jsonl) throw new UsageError("give --json or --jsonl, not both", command.name);
    const columns = typeof o.columns === "string" ? o.columns.split(",").map((c) => c.trim()).filter(Boolean) : undefined;
    if (columns && columns.length === 0) throw new UsageError("--columns needs at least one column", command.name);
    const ctx: CommandContext = {
      args,
      sandbox: !!o.sandbox,
      debug,
      out: {
        format: o.jsonl ? "jsonl" : o.json ? "json" : "table",
        columns,
        progress: typeof o.progress === "boolean" ? o.progress : undefined,
        width,
        full: command.options.some((x) => x.name === "full") ? !!o.full : undefined,
        command: command.name,
        stdout: io.stdout,
        stderr: io.stderr,
      },
      session: async () => {
        session ??= await openSession({ sandbox: !!o.sandbox, debugTo: debug ? io.stderr : undefined, retryTo: io.stderr });
        secrets = session.secrets();
        return session;
      },
    };
    if (o.sandbox && command.name !== "sandbox") {
      const s = await ctx.session();
      if (!["config", "demo", "repl"].includes(command.name)) io.stderr.write(`mambu: using the embedded sandbox at ${s.sandbox!.url} (demo tenant)\n`);
    }
    return await command.run(ctx, after);
  } catch (e) {
    io.stderr.write(`${describeError(e, { debug, secrets })}\n`);
    return exitCodeOf(e);
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/** Entry point of `bin/mambu`: runs `main` and exits with its code (stdout is flushed first). */
export function run(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.OK); // `mambu list loans | head` is not an error
  });
  main().then(
    (code) => {
      process.exitCode = code;
      // The sandbox and keep-alive sockets are closed; anything left (a stray timer) must not hold the exit.
      setImmediate(() => process.exit(code)).unref();
    },
    (e: unknown) => {
      process.stderr.write(`mambu: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(EXIT.FAILURE);
    },
  );
}
