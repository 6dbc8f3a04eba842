/**
 * `mambu-migrate <plan>` (also `mambu migrate <plan>`): the command line of the migration toolkit.
 * Exit codes: 0 everything migrated (and reconciled), 1 some clients failed or were skipped or differ,
 * 2 usage error, an invalid plan, or a refusal (workdir in use, a journal that may not be resumed
 * here): nothing was sent. SIGINT/SIGTERM stop taking new clients; the journal stays consistent and
 * `--resume` continues. A second one exits at once, after writing what the journal still waits for
 * and saving a kept rehearsal's sandbox with it (so `--resume` still continues, or says why not).
 */
import { MigrationOptions, runMigration, SandboxFaultOptions } from "./index";
import { parseRate } from "./ratelimit";

/** The help text. */
export const USAGE = `Usage: mambu-migrate <plan.yaml|plan.json> [options]

Loads a lender's book (CSV or JSON lines) into Mambu exactly once: clients, groups, loans, approval,
settlement account, schedule edits, disbursement, fees and repayments. See README "Migrating data".

Options:
  --check                 validate the plan and every row against the tenant, then stop (writes nothing)
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
  --reconcile             compare source counts and sums with the tenant after the run
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

/** Parses the command line (throws an Error with a message for usage errors). */
export function parseArgs(argv: readonly string[]): CliArgs {
  const a: CliArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || (v.startsWith("--") && v.length > 2)) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-h":
      case "--help":
        a.help = true;
        break;
      case "--check":
        a.check = true;
        break;
      case "--skip-invalid":
        a.skipInvalid = true;
        break;
      case "--resume":
        a.resume = true;
        break;
      case "--allow-changed-plan":
        a.allowChangedPlan = true;
        break;
      case "--reconcile":
        a.reconcile = true;
        break;
      case "--target": {
        const t = value();
        if (t !== "tenant" && t !== "sandbox") throw new Error(`--target: expected tenant or sandbox, got "${t}"`);
        a.target = t;
        break;
      }
      case "--sandbox-faults":
        a.sandbox = { ...a.sandbox, faults: parseFaults(value()) };
        break;
      case "--sandbox-state":
        a.sandbox = { ...a.sandbox, persist: value() };
        break;
      case "--concurrency":
        a.concurrency = positiveInt(flag, value());
        break;
      case "--rate": {
        const v = value();
        parseRate(v);
        a.rate = v;
        break;
      }
      case "--retries": {
        const v = value();
        if (!/^\d+$/.test(v)) throw new Error(`--retries: expected a whole number, got "${v}"`);
        a.retries = Number(v);
        break;
      }
      case "--workdir":
        a.workdir = value();
        break;
      case "--report":
        a.report = value();
        break;
      case "--tenant-offset": {
        const v = value();
        if (!/^(Z|[+-]\d{2}:\d{2})$/.test(v)) throw new Error(`--tenant-offset: expected ±HH:MM, got "${v}"`);
        a.tenantOffset = v;
        break;
      }
      case "--progress": {
        const v = value();
        if (!["auto", "bar", "lines", "none"].includes(v)) throw new Error(`--progress: expected auto, bar, lines or none, got "${v}"`);
        a.progress = v as CliArgs["progress"];
        break;
      }
      case "--progress-interval":
        a.progressInterval = positiveInt(flag, value());
        break;
      default:
        if (arg.startsWith("-")) throw new Error(`unknown option ${flag}`);
        if (a.plan !== undefined) throw new Error(`one plan at a time (got ${a.plan} and ${arg})`);
        a.plan = arg;
    }
  }
  if (a.sandbox && a.target !== "sandbox") throw new Error("--sandbox-faults and --sandbox-state need --target sandbox");
  if (a.allowChangedPlan && !a.resume) throw new Error("--allow-changed-plan goes with --resume");
  return a;
}

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
    const result = await runMigration(plan, { ...options, signal: stop.signal, quit: quit.signal });
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
