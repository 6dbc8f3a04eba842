/**
 * What a run leaves behind: the final summary (rows, steps, created, adopted, failed, elapsed,
 * requests per second) and `report.json` (ids, positions and counts: no personal data). The failures
 * files are failures.ts's.
 */
import { writeFileSync } from "fs";
import type { FailedRows } from "./failures";
import { fsError } from "./fserrors";
import { formatDuration } from "./progress";
import { figuresJson, Reconciliation } from "./reconcile";
import type { ShardStatus } from "./shard-reconcile";
import type { RunStats } from "./runner";
import { Book, formatProblem, Plan, Problem, STEP_NAMES } from "./types";

export { ERROR_COLUMN, writeFailures } from "./failures";
export type { FailedRows } from "./failures";

/** The summary of a run as numbers (also in report.json). */
export interface Summary {
  plan: string;
  rows: Record<string, number>;
  units: { total: number; done: number; failed: number; skipped: number; resumed: number };
  steps: { total: number; done: number; created: number; adopted: number; journal: number; failed: number };
  byStep: RunStats["byStep"];
  elapsedSeconds: number;
  /** Client units of the run (groups aside). */
  clients: number;
  /** Writes Mambu accepted: the fewest requests the run could have sent. */
  writes: number;
  /** HTTP attempts, retries included. */
  requests: number;
  /** `requests / clients`, two decimals (0 without clients). */
  requestsPerClient: number;
  /** `writes / clients`, two decimals: the floor of `requestsPerClient`. */
  writesPerClient: number;
  requestsPerSecond: number;
  throttled: number;
  retries: number;
}

const perClient = (n: number, clients: number): number => (clients > 0 ? Math.round((n / clients) * 100) / 100 : 0);

/** The summary of a run. */
export function summarize(plan: Plan, book: Book, stats: RunStats, now = Date.now()): Summary {
  const elapsed = (now - stats.startedAt) / 1000;
  const skipped = book.skipped.filter((s) => s.unit).length;
  return {
    plan: plan.id,
    rows: { ...book.rowCounts } as Record<string, number>,
    units: { total: stats.units.total, done: stats.units.done, failed: stats.units.failed, skipped, resumed: stats.units.resumed },
    steps: {
      total: stats.steps.total,
      done: stats.steps.done,
      created: stats.steps.created,
      adopted: stats.steps.adopted,
      journal: stats.steps.journal,
      failed: stats.failures.length,
    },
    byStep: stats.byStep,
    elapsedSeconds: Math.round(elapsed * 1000) / 1000,
    clients: stats.clients,
    writes: stats.writes,
    requests: stats.requests,
    requestsPerClient: perClient(stats.requests, stats.clients),
    writesPerClient: perClient(stats.writes, stats.clients),
    requestsPerSecond: elapsed > 0 ? Math.round((stats.requests / elapsed) * 10) / 10 : 0,
    throttled: stats.throttled,
    retries: stats.retries,
  };
}

/** The summary as plain lines: rows read, steps by kind (created+adopted+journal), clients, time and requests. */
export function formatSummary(s: Summary): string {
  const steps = STEP_NAMES.filter((n) => s.byStep[n]).map((n) => `${n} ${s.byStep[n]!.created}+${s.byStep[n]!.adopted}+${s.byStep[n]!.journal}`);
  return [summaryHead(s), `steps by kind (created+adopted+journal): ${steps.join(", ") || "none"}`, ...summaryTotals(s)].join("\n");
}

/** The first line of a summary: the plan and the rows read. */
export function summaryHead(s: Summary): string {
  const rows = Object.entries(s.rows)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `plan ${s.plan}: rows read — ${rows || "none"}`;
}

/** The last lines of a summary: clients and groups, steps, time and requests (and per client, against the floor of the writes). */
export function summaryTotals(s: Summary): string[] {
  return [
    `clients and groups: ${s.units.done} done, ${s.units.failed} failed, ${s.units.skipped} skipped (invalid)${s.units.resumed ? `, ${s.units.resumed} already done by an earlier run` : ""} — of ${s.units.total + s.units.skipped}`,
    `steps: ${s.steps.done} of ${s.steps.total} (${s.steps.created} created, ${s.steps.adopted} adopted, ${s.steps.journal} from the journal)`,
    `elapsed ${formatDuration(s.elapsedSeconds)} (${s.elapsedSeconds.toFixed(1)} s), ${s.requests} requests, ${s.requestsPerSecond.toFixed(1)} req/s${s.throttled ? `, ${s.throttled} answered 429` : ""}${s.retries ? `, ${s.retries} retried` : ""}`,
    ...(s.clients > 0 ? [`calls: ${s.requests} requests for ${s.writes} writes — ${s.requestsPerClient.toFixed(2)} per client (the floor, one request per write: ${s.writesPerClient.toFixed(2)})`] : []),
  ];
}

/** The content of report.json. */
export interface Report {
  plan: { id: string; file: string; hash: string };
  target: string;
  ok: boolean;
  summary?: Summary;
  problems: Array<{ file: string; line?: number; column?: number; columnName?: string; message: string }>;
  failures: Array<{ unit?: string; reason: string; rows: Array<{ file: string; line: number }> }>;
  reconciliation?: { equal: boolean; totals: { source: Record<string, string>; tenant: Record<string, string> }; differences: Array<{ unit: string; metric: string; source: string; tenant: string }> };
  files: { journal?: string; failuresPlan?: string };
  /** The shard this run ran (`2/3`). */
  shard?: string;
  /** A sharded workdir reconciled as a whole: each shard's journal. */
  shards?: ShardStatus[];
}

/** Builds report.json's content. */
export function buildReport(args: {
  plan: Plan;
  target: string;
  ok: boolean;
  summary?: Summary;
  problems: readonly Problem[];
  failed: readonly FailedRows[];
  reconciliation?: Reconciliation;
  journal?: string;
  failuresPlan?: string;
  shard?: string;
  shards?: ShardStatus[];
}): Report {
  const r = args.reconciliation;
  return {
    plan: { id: args.plan.id, file: args.plan.file, hash: args.plan.hash },
    target: args.target,
    ok: args.ok,
    summary: args.summary,
    problems: args.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, columnName: p.columnName, message: p.message, text: formatProblem(p) })),
    failures: args.failed.map((f) => ({ unit: f.unit, reason: f.reason, rows: f.rows.map((x) => ({ file: x.file, line: x.line })) })),
    reconciliation: r && {
      equal: r.equal,
      totals: { source: figuresJson(r.totals.source), tenant: figuresJson(r.totals.tenant) },
      differences: r.units.flatMap((u) => u.differences.map((m) => ({ unit: u.unit, metric: m, source: u.source[m].toString(), tenant: u.tenant[m].toString() }))),
    },
    files: { journal: args.journal, failuresPlan: args.failuresPlan },
    ...(args.shard ? { shard: args.shard } : {}),
    ...(args.shards ? { shards: args.shards } : {}),
  };
}

/** Writes report.json. */
export function writeReport(path: string, report: Report): void {
  writeFile(path, `${JSON.stringify(report, null, 2)}\n`, "the report");
}

/** writeFileSync whose errors name the file (a full disk's ENOSPC does not). */
function writeFile(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw fsError("write", what, path, e);
  }
}
