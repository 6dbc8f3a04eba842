/** The options and the result of `runMigration`, and what a rehearsal's tenant must offer. */
import type { Pack } from "./pack";
import type { Reconciliation } from "./reconcile";
import type { FailedRows, Report, Summary } from "./report";
import type { Shard } from "./shard";
import type { ShardStatus } from "./shard-reconcile";
import type { Book, Problem } from "./types";

/** Faults of a sandbox rehearsal (see the sandbox's FaultOptions). */
export interface SandboxFaultOptions {
  latencyMs?: number;
  jitterMs?: number;
  rate429?: number;
  retryAfterSeconds?: number;
  rate5xx?: number;
  dropRate?: number;
  seed?: number;
}

/** Options of {@link runMigration}. */
export interface MigrationOptions {
  /**
   * "tenant" (default): the tenant of `connection` or of `mambuconfig` (environment, rc files);
   * "sandbox": a rehearsal against a tenant that `sandbox.start` starts once the run holds its
   * workdir, and that is stopped at its end (the embedded sandbox: `startRehearsalSandbox` of
   * `mambu-ts/sandbox`, which `mambu-migrate --target sandbox` passes).
   */
  target?: "tenant" | "sandbox";
  /** Credentials and host, when not those of `mambuconfig`. */
  connection?: { apiurl?: string; apiuser?: string; apipwd?: string; apikey?: string };
  /**
   * Sandbox rehearsal: what starts its tenant (required with `target: "sandbox"`), faults to inject,
   * and a state file to keep the sandbox's tenant in between runs.
   */
  sandbox?: { start?: RehearsalStarter; faults?: SandboxFaultOptions; persist?: string };
  /** Validate only: report every problem, write nothing. */
  check?: boolean;
  /** Write the valid clients and report the skipped rows (default: refuse a plan with problems). */
  skipInvalid?: boolean;
  /**
   * Continue from the journal of an earlier run (default: start a new journal; the tenant is still
   * checked). Refused when the journal was written against another tenant or rehearsal sandbox, or
   * the plan or its sources changed since (see `allowChangedPlan`).
   */
  resume?: boolean;
  /** With `resume`: continue even though the plan or its sources changed (steps the journal records as done stay as they are). */
  allowChangedPlan?: boolean;
  /**
   * Look-ups before creations: "auto" (default) sends a creation the journal knows was never sent
   * (a unit no run of this journal touched) without looking the id up first, and looks up only what
   * the journal cannot tell (a resumed unit, a rerun that replaced an earlier journal); "always" looks
   * up before every creation, as earlier versions did (the benchmark's "before" figure).
   */
  lookups?: "auto" | "always";
  /**
   * Fold the settlement link into the loan's creation (default true: the settlement account is
   * created and approved first and the loan is created linked to it, one PATCH less per loan);
   * false: link it after the approval, as earlier versions did (the benchmark's "before" figure).
   */
  fold?: boolean;
  /**
   * Write the onboarding pack into this directory instead of migrating (pack.ts): `pack.md` and
   * `pack.json` — volumes, steps, a sample API call per step (personal data masked, no credential),
   * the calls per client and in total with and without the fewest-calls flow, their duration at
   * `rate`, and the reconciliation's checks. Nothing is written to the tenant (its reference data is
   * read, as `check` does); no journal or lock. A directory holding a pack is refused unless `force`.
   */
  pack?: string;
  /** With `pack`: replace the pack the directory holds. */
  force?: boolean;
  /** Clients migrated at once (default 8). */
  concurrency?: number;
  /** Global request rate: a number per second or text like "20/s", "1200/min" (default: none until a 429). */
  rate?: number | string;
  /** Retries of a failing request (default 8). */
  retries?: number;
  /** Per-attempt timeout in ms (default: the connector's). */
  timeout?: number;
  /** Directory of the journal, its lock and the failures files (default `.mambu-journal/<plan id>`, rehearsals `.mambu-journal/<plan id>/rehearsal`). */
  workdir?: string;
  /** Where to write report.json (default: not written). */
  report?: string;
  /**
   * Compare source and tenant after the run. Without `shard`, in a workdir cut into shards: reconcile
   * them all — what each shard's journal says, and the whole plan against the tenant (nothing is run).
   */
  reconcile?: boolean;
  /**
   * Run one slice of the clients (`"2/3"` or `{ index: 2, count: 3 }`; shard.ts says how clients are
   * sliced), with its own journal and lock in the workdir, so that n processes or machines run one
   * plan without overlap. Not for rehearsals.
   */
  shard?: string | Shard;
  /**
   * Mask the personal columns (personal.ts) in the failures files too, as `[redacted]` (no other
   * output holds personal data in any case). Put the values back before feeding the rows again.
   */
  redact?: boolean;
  /** Tenant offset for dates without one (default: plan, then config `tenantoffset`, then the sandbox's). */
  tenantOffset?: string;
  /** Progress display (default "auto": a bar on a terminal, lines elsewhere). */
  progress?: "auto" | "bar" | "lines" | "none";
  /** Seconds between progress lines when not on a terminal (default 5). */
  progressInterval?: number;
  /** Where the summary and problems go (default process.stdout; null: nowhere). */
  stdout?: NodeJS.WritableStream | null;
  /**
   * How the summary and the reconciliation are written on `stdout` (default: plain lines,
   * {@link formatSummary} and {@link formatReconciliation}; the command line renders tables).
   */
  render?: MigrationRenderer;
  /** Where progress goes (default process.stderr). */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Stops taking new clients (the journal stays consistent; resume later). */
  signal?: AbortSignal;
  /**
   * Aborted by a caller about to end the process at once (a second Ctrl-C): the journal's waiting
   * lines are written, a kept rehearsal's sandbox is saved with a mark in the journal, the locks are
   * released, and a line on `stderr` says what `--resume` will do — all synchronously, in the abort.
   */
  quit?: AbortSignal;
}

/** What {@link runMigration} did. */
export interface MigrationResult {
  /** 0: everything migrated (and reconciled); 1: some clients failed, were skipped or differ; 2: the plan or rows are invalid. */
  exitCode: 0 | 1 | 2;
  ok: boolean;
  problems: Problem[];
  book?: Book;
  summary?: Summary;
  reconciliation?: Reconciliation;
  failed: FailedRows[];
  journal?: string;
  failuresPlan?: string;
  report?: Report;
  /** Whether the run was stopped by `signal` before every client was done. */
  stopped: boolean;
  /** Why nothing was done (exit code 2): another run holds the workdir, or the journal may not be resumed here. */
  refused?: string;
  /** A sharded workdir reconciled as a whole: what each shard's journal says. */
  shards?: ShardStatus[];
  /** With `pack`: the files written and their content. */
  pack?: { files: string[]; content: Pack };
}

/**
 * The tenant of a rehearsal, as `sandbox.start` gives it: how to reach it, its clock (value dates
 * after its "now" are refused), and its lifecycle (stopped at the end of the run, saved at once by a
 * second Ctrl-C). `startRehearsalSandbox` of `mambu-ts/sandbox` gives one.
 */
export interface RehearsalTenant {
  connection: { apiurl: string; apiuser?: string; apipwd?: string; apikey?: string };
  /** Its UTC offset (`+02:00`). */
  offset: string;
  /** Its "now", ISO with its offset. */
  now(): string;
  /** Stops it (writing its state file, if it keeps one). */
  stop(): Promise<void>;
  /** Writes its state file now (a process about to exit). */
  persistNow(): void;
}

/** Starts the tenant of a rehearsal with the run's faults and state file. */
export type RehearsalStarter = (options: { faults?: SandboxFaultOptions; persist?: string }) => Promise<RehearsalTenant>;

/** Renders the end of a run as text for `stdout`. */
export interface MigrationRenderer {
  summary(summary: Summary): string;
  reconciliation(reconciliation: Reconciliation): string;
}
