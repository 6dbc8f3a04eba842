/**
 * `mambu-sandbox` (also `mambu sandbox`): runs the embedded Mambu API v2 emulator on 127.0.0.1
 * until SIGINT/SIGTERM.
 *
 *   mambu-sandbox [--port 7070] [--seed <file> | --empty] [--generate clients=20000,loans=20000]
 *                 [--tls] [--latency <ms>[±jitter]] [--fault-rate <0..1>] [--persist <file>]
 *                 [--message-failure-rate <0..1>] [--job-rows-per-step <n>] [--payments-callout <url>]
 *
 * The first line printed is `Mambu sandbox listening on http://127.0.0.1:PORT` (https with --tls,
 * followed by a line with the CA certificate file). The demo tenant accepts user `demo`, password
 * `demo`, API key `demo-api-key`. Exit codes: 0 stopped cleanly (or --help), 2 usage error, 1 could
 * not start or stop.
 */
import { startSandbox } from "../sandbox";
import type { SandboxOptions } from "../sandbox";
import { checkCalloutOptions } from "../sandbox/payments/callout";
import { parseGenerate } from "../sandbox/seed";
import { OptionSpec, parseArgs } from "./args";
import { EXIT, UsageError } from "./exit";
import { optionLines } from "./help";
import { fitHelp, MaybeTerminal, terminalWidth } from "./terminal";

/** The options of `mambu-sandbox`. */
export const SANDBOX_OPTIONS: readonly OptionSpec[] = [
  { name: "port", kind: "value", arg: "<n>", help: "port on 127.0.0.1 (default 7070; 0 picks a free port)" },
  { name: "seed", kind: "value", arg: "<file>", help: "load this seed or snapshot file instead of the demo tenant" },
  { name: "empty", kind: "flag", help: "start with an empty tenant" },
  { name: "generate", kind: "value", arg: "<spec>", help: "add a synthetic tenant, e.g. clients=20000,loans=20000,deposits=1000" },
  { name: "tls", kind: "flag", help: "serve https with a certificate made at start (prints the CA file)" },
  { name: "latency", kind: "value", arg: "<ms>[±j]", help: "add latency to every response, e.g. 50 or 50±20 (also 50+-20)" },
  { name: "fault-rate", kind: "value", arg: "<r>", help: "share of requests (0..1) answered 429 / 5xx (half each)" },
  { name: "message-failure-rate", kind: "value", arg: "<r>", help: "share of communication messages (0..1) that fail to send (reproducible)" },
  { name: "persist", kind: "value", arg: "<file>", help: "resume from <file> when it exists; save the state there on exit" },
  { name: "job-rows-per-step", kind: "value", arg: "<n>", help: "rows of bulks and data imports done before each request (default 100)" },
  {
    name: "payments-callout",
    kind: "value",
    arg: "<url>",
    help: "POST the Payments API's outgoing ISO 20022 messages (pacs.008) here; Basic credentials from MAMBU_SANDBOX_CALLOUT_USER and MAMBU_SANDBOX_CALLOUT_PASSWORD",
  },
  { name: "help", kind: "flag", short: "h", help: "show this help" },
];

/** The help of `mambu-sandbox`. */
export function sandboxUsage(): string {
  return [
    "Usage: mambu-sandbox [options]",
    "",
    "A local emulator of Mambu's API v2 (demo tenant: user demo, password demo, API key demo-api-key).",
    "",
    "Options:",
    ...optionLines(SANDBOX_OPTIONS),
    "",
    "Per-request faults (authenticated requests only): header X-Sandbox-Fault: 429 | 500..504 | drop |",
    "drop-after | slow[=ms] | latency=ms (comma-separated; retry-after=s, times=n).",
    "Limits: JSON bodies 1 MiB, uploads 50 MiB (413 above), JSON nesting 64 levels (400 deeper).",
    "Point clients at it with",
    "MAMBU_API_URL=http://127.0.0.1:7070 MAMBU_API_USER=demo MAMBU_API_PWD=demo",
    "",
  ].join("\n");
}

/** What `mambu-sandbox`'s command line asks for: the sandbox's options, or help. */
export type SandboxArgs = SandboxOptions & { help?: boolean };

/**
 * Parses `mambu-sandbox`'s command line into sandbox options.
 * @throws UsageError on an unknown option, a missing value or a value out of range.
 */
export function parseSandboxArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SandboxArgs {
  const { positionals, options: o } = parseArgs(argv, SANDBOX_OPTIONS);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const opts: SandboxArgs = { port: 7070 };
  if (o.help) opts.help = true;
  const port = o.port as string | undefined;
  if (port !== undefined) {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`--port: expected 0..65535, got ${port}`);
    opts.port = Number(port);
  }
  if (o.seed !== undefined && o.empty) throw new UsageError("give --seed or --empty, not both");
  if (o.seed !== undefined) opts.data = o.seed as string;
  if (o.empty) opts.data = "empty";
  if (o.generate !== undefined) {
    try {
      opts.generate = parseGenerate(o.generate as string);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (o.tls) opts.tls = true;
  const callout = o["payments-callout"] as string | undefined;
  if (callout !== undefined) {
    // The credentials come from the environment, never the command line (which other users' `ps` shows).
    const username = env.MAMBU_SANDBOX_CALLOUT_USER;
    const password = env.MAMBU_SANDBOX_CALLOUT_PASSWORD;
    opts.paymentsCallout = { url: callout, ...(username ? { username, password: password ?? "" } : {}) };
    try {
      checkCalloutOptions(opts.paymentsCallout);
    } catch (e) {
      throw new UsageError(`--payments-callout: ${(e as Error).message}`);
    }
  }
  if (o.persist !== undefined) opts.persist = o.persist as string;
  const rowsPerStep = o["job-rows-per-step"] as string | undefined;
  if (rowsPerStep !== undefined) {
    if (!/^\d+$/.test(rowsPerStep) || !(Number(rowsPerStep) >= 1 && Number.isSafeInteger(Number(rowsPerStep)))) {
      throw new UsageError(`--job-rows-per-step: expected a positive integer, got ${rowsPerStep}`);
    }
    opts.jobRowsPerStep = Number(rowsPerStep);
  }
  const faults: NonNullable<SandboxOptions["faults"]> = {};
  const latency = o.latency as string | undefined;
  if (latency !== undefined) {
    const m = /^(\d+)(?:(?:±|\+-|\+\/-)(\d+))?$/.exec(latency);
    if (!m) throw new UsageError(`--latency: expected <ms> or <ms>±<jitter>, got ${latency}`);
    faults.latencyMs = Number(m[1]);
    if (m[2]) faults.jitterMs = Number(m[2]);
  }
  const rate = o["fault-rate"] as string | undefined;
  if (rate !== undefined) {
    const v = Number(rate);
    if (rate.trim() === "" || !(v >= 0 && v <= 1)) throw new UsageError("--fault-rate: expected a number between 0 and 1");
    faults.rate429 = v / 2;
    faults.rate5xx = v / 2;
    faults.seed = Date.now() % 2147483647;
  }
  if (Object.keys(faults).length) opts.faults = faults;
  const messageRate = o["message-failure-rate"] as string | undefined;
  if (messageRate !== undefined) {
    const v = Number(messageRate);
    if (messageRate.trim() === "" || !(v >= 0 && v <= 1)) throw new UsageError("--message-failure-rate: expected a number between 0 and 1");
    opts.communications = { failureRate: v };
  }
  return opts;
}

/** Where {@link sandboxMain} writes (the process's streams by default). */
export interface SandboxIO {
  stdout: NodeJS.WritableStream & MaybeTerminal;
  stderr: NodeJS.WritableStream;
}

/**
 * Runs `mambu-sandbox` with `argv` (without node and the script): prints help (0), refuses a bad
 * command line with the help on stderr (2), or starts the sandbox and resolves once a SIGINT or
 * SIGTERM has stopped it (0; 1 when it could not stop cleanly).
 * @throws when the sandbox cannot start (a port in use, an unreadable seed file).
 */
export async function sandboxMain(argv: readonly string[] = process.argv.slice(2), io: SandboxIO = process): Promise<number> {
  const width = terminalWidth(io.stdout);
  let opts: SandboxArgs;
  try {
    opts = parseSandboxArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`mambu-sandbox: ${e.message}\n\n${fitHelp(sandboxUsage(), terminalWidth(io.stderr as MaybeTerminal))}`);
    return EXIT.USAGE;
  }
  if (opts.help) {
    io.stdout.write(fitHelp(sandboxUsage(), width));
    return EXIT.OK;
  }
  const sandbox = await startSandbox(opts);
  // The signal handlers are installed before the first line is printed: whoever reads that line may
  // send SIGTERM at once, and a signal with no handler yet would kill the process without stopping it.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return; // a second Ctrl-C while the state is being saved changes nothing
      stopping = true;
      sandbox.stop().finally(() => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }).then(
        () => {
          io.stdout.write(`Mambu sandbox stopped (${signal})\n`);
          resolve(EXIT.OK);
        },
        (e: unknown) => {
          io.stderr.write(`mambu-sandbox: could not stop cleanly: ${(e as Error).message}\n`);
          resolve(EXIT.FAILURE);
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  io.stdout.write(`Mambu sandbox listening on ${sandbox.url}\n`);
  if (sandbox.caCertPath) io.stdout.write(`CA certificate: ${sandbox.caCertPath}\n`);
  io.stdout.write(
    `Demo tenant: user demo / password demo, or header apiKey: demo-api-key${opts.persist ? `; state saved to ${opts.persist} on exit` : ""}. Ctrl-C stops.\n`,
  );
  return stopped;
}

/** Entry point of `bin/mambu-sandbox`: runs {@link sandboxMain} and exits with its code. */
export function runSandboxBin(): void {
  sandboxMain().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`mambu-sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(EXIT.FAILURE);
    },
  );
}
