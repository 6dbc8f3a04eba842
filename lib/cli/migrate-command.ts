/**
 * `mambu-migrate <plan>` (also `mambu migrate <plan>`): the command line of the migration toolkit
 * (bin/mambu-migrate launches it). It parses the arguments (`node:util` parseArgs), wires a rehearsal
 * (`--target sandbox`: the embedded sandbox, started by the run once it holds its workdir), renders
 * the summary and reconciliation as tables, and turns signals into a graceful stop, then a quit.
 *
 * Exit codes: 0 everything migrated (and reconciled), 1 some clients failed or were skipped or differ,
 * 2 usage error, an invalid plan, or a refusal (workdir in use, a journal that may not be resumed
 * here): nothing was sent. SIGINT/SIGTERM stop taking new clients; the journal stays consistent and
 * `--resume` continues. A second one exits at once, after writing what the journal still waits for
 * and saving a kept rehearsal's sandbox with it (so `--resume` still continues, or says why not).
 */
import { parseArgs as parseArgv } from "node:util";
import { MigrationOptions, RehearsalStarter, runMigration, SandboxFaultOptions } from "../migrate";
import { parseRate } from "../migrate/ratelimit";
import { parseShard } from "../migrate/shard";
import { TABLES } from "./migrate-output";

/** The help text. */
export const USAGE = `Usage: mambu-migrate <plan.yaml|plan.json> [options]

Loads a lender's book (CSV or JSON lines) into Mambu exactly once: clients, groups, loans, approval,
settlement account, schedule edits, disbursement, fees and repayments. See README "Migrating data".

Options:
  --check                 validate the plan and every row against the tenant, then stop (writes nothing)
  --pack <dir>            write the onboarding pack there instead of migrating (pack.md, pack.json):
                          volumes, steps, a sample API call per step (personal data masked, no
                          credential), calls per client and in total with and without the fewest-calls
                          flow, their duration at --rate, the reconciliation's checks; reads the
                          tenant's reference data only (writes nothing)
  --force                 with --pack: replace the pack the directory holds
  --skip-invalid          migrate the valid clients; report the invalid rows (failures file)
  --resume                continue from the journal of an earlier (interrupted) run; refused when it was
                          written against another tenant or sandbox, or the plan or its files changed
  --allow-changed-plan    with --resume: continue although the plan or its files changed
  --target <t>            tenant (default: MAMBU_API_URL / rc files) or sandbox (embedded rehearsal)
  --sandbox-faults <spec> faults of the rehearsal, e.g. 429=0.05,5xx=0.05,drop=0.01,latency=5,jitter=2,retry-after=1,seed=7
  --sandbox-state <file>  keep the rehearsal's tenant in this file between runs
  --concurrency <n>       clients migrated at once (default 8)
  --rate <r>              global request rate, e.g. 20/s or 1200/min (default: none; slows down on 429 anyway)
  --retries <n>           retries of a failing request (default 8)
  --workdir <dir>         journal, lock and failures files (default .mambu-journal/<plan id>,
                          rehearsals .mambu-journal/<plan id>/rehearsal); one run at a time
  --report <file>         write report.json there
  --reconcile             compare source counts and sums with the tenant after the run; without --shard
                          in a workdir of shards: reconcile them all (each shard's journal, then the
                          whole plan against the tenant), running nothing
  --shard <i/n>           run shard i of n: a stable slice of the clients (by a hash of the client id),
                          with its own journal and lock, so that n processes or machines run one plan
  --redact                mask the personal columns in the failures files too (no other output holds
                          personal data: messages give files, lines, columns and ids)
  --tenant-offset <±HH:MM> tenant UTC offset for dates given without one
  --progress <mode>       auto (default), bar, lines or none
  --progress-interval <s> seconds between progress lines when not on a terminal (default 5)
  -h, --help              show this help

Exit codes: 0 ok, 1 some clients failed, were skipped or differ, 2 usage error, invalid plan or refused.
`;

/** Parsed command line. */
export interface CliArgs extends MigrationOptions {
  plan?: string;
  help?: boolean;
}

/** The options `parseArgs` knows, for `node:util`'s parser. */
const OPTIONS = {
  help: { type: "boolean", short: "h" },
  check: { type: "boolean" },
  pack: { type: "string" },
  force: { type: "boolean" },
  "skip-invalid": { type: "boolean" },
  resume: { type: "boolean" },
  "allow-changed-plan": { type: "boolean" },
  reconcile: { type: "boolean" },
  redact: { type: "boolean" },
  shard: { type: "string" },
  target: { type: "string" },
  "sandbox-faults": { type: "string" },
  "sandbox-state": { type: "string" },
  concurrency: { type: "string" },
  rate: { type: "string" },
  retries: { type: "string" },
  workdir: { type: "string" },
  report: { type: "string" },
  "tenant-offset": { type: "string" },
  progress: { type: "string" },
  "progress-interval": { type: "string" },
} as const;

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${flag}: expected a positive whole number, got "${v}"`);
  return Number(v);
}

/** Parses `--sandbox-faults` (`429=0.05,5xx=0.05,drop=0.01,latency=5,jitter=2,retry-after=1,seed=7`). */
export function parseFaults(spec: string): SandboxFaultOptions {
  const f: SandboxFaultOptions = {};
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split("=").map((s) => s.trim());
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`--sandbox-faults: "${part}" needs a number`);
    const rate = (): number => {
      if (n > 1) throw new Error(`--sandbox-faults: ${k} is a share between 0 and 1`);
      return n;
    };
    switch (k) {
      case "429":
        f.rate429 = rate();
        break;
      case "5xx":
        f.rate5xx = rate();
        break;
      case "drop":
        f.dropRate = rate();
        break;
      case "latency":
        f.latencyMs = n;
        break;
      case "jitter":
        f.jitterMs = n;
        break;
      case "retry-after":
        f.retryAfterSeconds = n;
        break;
      case "seed":
        f.seed = n;
        break;
      default:
        throw new Error(`--sandbox-faults: unknown fault "${k}" (429, 5xx, drop, latency, jitter, retry-after, seed)`);
    }
  }
  return f;
}

/** `node:util`'s parse errors, in this command's words. */
function usageError(e: unknown): Error {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message ?? String(e);
  const flag = /'(-[^' <]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new Error(`unknown option ${flag}`);
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return new Error(/does not take an argument/.test(message) ? `${flag} takes no value` : `${flag} needs a value`);
  }
  return e instanceof Error ? e : new Error(message);
}

/** `--tenant-offset -06:00` → `--tenant-offset=-06:00`: a negative offset is the option's value, not an option. */
function joinOffsets(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--tenant-offset" && /^[+-]\d{2}:\d{2}$/.test(argv[i + 1] ?? "")) out.push(`--tenant-offset=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** Parses the command line (throws an Error with a message for usage errors). */
export function parseArgs(argv: readonly string[]): CliArgs {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgv({ args: joinOffsets(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(e);
  }
  const v = parsed.values;
  const text = (name: keyof typeof OPTIONS): string | undefined => v[name] as string | undefined;
  const a: CliArgs = {};
  if (v.help) a.help = true;
  if (v.check) a.check = true;
  if (text("pack") !== undefined) a.pack = text("pack");
  if (v.force) a.force = true;
  if (v["skip-invalid"]) a.skipInvalid = true;
  if (v.resume) a.resume = true;
  if (v["allow-changed-plan"]) a.allowChangedPlan = true;
  if (v.reconcile) a.reconcile = true;
  if (v.redact) a.redact = true;
  const shard = text("shard");
  if (shard !== undefined) {
    parseShard(shard);
    a.shard = shard;
  }
  const target = text("target");
  if (target !== undefined) {
    if (target !== "tenant" && target !== "sandbox") throw new Error(`--target: expected tenant or sandbox, got "${target}"`);
    a.target = target;
  }
  const faults = text("sandbox-faults");
  if (faults !== undefined) a.sandbox = { ...a.sandbox, faults: parseFaults(faults) };
  const state = text("sandbox-state");
  if (state !== undefined) a.sandbox = { ...a.sandbox, persist: state };
  const concurrency = text("concurrency");
  if (concurrency !== undefined) a.concurrency = positiveInt("--concurrency", concurrency);
  const rate = text("rate");
  if (rate !== undefined) {
    parseRate(rate);
    a.rate = rate;
  }
  const retries = text("retries");
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries)) throw new Error(`--retries: expected a whole number, got "${retries}"`);
    a.retries = Number(retries);
  }
  if (text("workdir") !== undefined) a.workdir = text("workdir");
  if (text("report") !== undefined) a.report = text("report");
  const offset = text("tenant-offset");
  if (offset !== undefined) {
    if (!/^(Z|[+-]\d{2}:\d{2})$/.test(offset)) throw new Error(`--tenant-offset: expected ±HH:MM, got "${offset}"`);
    a.tenantOffset = offset;
  }
  const progress = text("progress");
  if (progress !== undefined) {
    if (!["auto", "bar", "lines", "none"].includes(progress)) throw new Error(`--progress: expected auto, bar, lines or none, got "${progress}"`);
    a.progress = progress as CliArgs["progress"];
  }
  const interval = text("progress-interval");
  if (interval !== undefined) a.progressInterval = positiveInt("--progress-interval", interval);
  if (parsed.positionals.length > 1) throw new Error(`one plan at a time (got ${parsed.positionals[0]} and ${parsed.positionals[1]})`);
  if (parsed.positionals.length) a.plan = parsed.positionals[0];
  if (a.sandbox && a.target !== "sandbox") throw new Error("--sandbox-faults and --sandbox-state need --target sandbox");
  if (a.force && a.pack === undefined) throw new Error("--force goes with --pack (it replaces an existing pack)");
  if (a.pack !== undefined && (a.resume || a.reconcile)) throw new Error("--pack writes nothing to the tenant: it goes without --resume and --reconcile");
  if (a.allowChangedPlan && !a.resume) throw new Error("--allow-changed-plan goes with --resume");
  if (a.shard && a.target === "sandbox") throw new Error("--shard needs a tenant that every shard writes to (a rehearsal's sandbox belongs to its run)");
  return a;
}

/** Starts the embedded sandbox of a rehearsal (loaded only for rehearsals). */
const startSandbox: RehearsalStarter = async (o) => (await import("../sandbox")).startRehearsalSandbox(o);

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`mambu-migrate: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!args.plan) {
    process.stderr.write(`mambu-migrate: a plan file is required\n\n${USAGE}`);
    return 2;
  }
  const stop = new AbortController();
  const quit = new AbortController();
  const kept = args.target !== "sandbox" || args.sandbox?.persist !== undefined;
  let signals = 0;
  let running = true;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`\n${sig} again: quitting now\n`);
      // synchronous: the journal written, a kept sandbox saved, the locks released, a line saying what --resume does
      if (running) quit.abort();
      process.exit(130);
    }
    const then = kept ? "--resume continues" : "a rehearsal without --sandbox-state is not resumed";
    process.stderr.write(`\n${sig}: finishing the clients under way (again to quit now; ${then})\n`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const { plan, help: _help, ...options } = args;
    const sandbox = args.target === "sandbox" ? { ...options.sandbox, start: startSandbox } : undefined;
    const result = await runMigration(plan, { ...options, sandbox, render: TABLES, signal: stop.signal, quit: quit.signal });
    running = false;
    return result.stopped ? 130 : result.exitCode;
  } catch (e) {
    process.stderr.write(`mambu-migrate: ${(e as Error).message}\n`);
    return 1;
  } finally {
    running = false;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`mambu-migrate: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
