/**
 * What a run leaves behind: the final summary (rows, steps, created, adopted, failed, elapsed,
 * requests per second), the failures files — the rows of every failed or skipped client in the
 * format of their source, with a `migrate_error` column, plus a copy of the plan reading them, so
 * that they can be corrected and fed back — and `report.json`.
 */
import { mkdirSync, writeFileSync } from "fs";
import { basename, extname, join, relative } from "path";
import { stringify as toYaml } from "yaml";
import { fsError } from "./fserrors";
import { formatDuration } from "./progress";
import { figuresJson, Reconciliation } from "./reconcile";
import type { RunStats } from "./runner";
import { formatRows, SourceRow } from "./sources";
import { Book, formatProblem, Plan, PlanSpec, Problem, STEP_NAMES } from "./types";

/** The name of the column (JSON key) that carries the reason in failures files. */
export const ERROR_COLUMN = "migrate_error";

/** The summary of a run as numbers (also in report.json). */
export interface Summary {
  plan: string;
  rows: Record<string, number>;
  units: { total: number; done: number; failed: number; skipped: number; resumed: number };
  steps: { total: number; done: number; created: number; adopted: number; journal: number; failed: number };
  byStep: RunStats["byStep"];
  elapsedSeconds: number;
  requests: number;
  requestsPerSecond: number;
  throttled: number;
  retries: number;
}

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
    requests: stats.requests,
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

/** The last lines of a summary: clients and groups, steps, time and requests. */
export function summaryTotals(s: Summary): string[] {
  return [
    `clients and groups: ${s.units.done} done, ${s.units.failed} failed, ${s.units.skipped} skipped (invalid)${s.units.resumed ? `, ${s.units.resumed} already done by an earlier run` : ""} — of ${s.units.total + s.units.skipped}`,
    `steps: ${s.steps.done} of ${s.steps.total} (${s.steps.created} created, ${s.steps.adopted} adopted, ${s.steps.journal} from the journal)`,
    `elapsed ${formatDuration(s.elapsedSeconds)} (${s.elapsedSeconds.toFixed(1)} s), ${s.requests} requests, ${s.requestsPerSecond.toFixed(1)} req/s${s.throttled ? `, ${s.throttled} answered 429` : ""}${s.retries ? `, ${s.retries} retried` : ""}`,
  ];
}

/** A failed or skipped unit's rows and why. */
export interface FailedRows {
  unit?: string;
  rows: SourceRow[];
  reason: string;
}

/**
 * Writes the failures files into `dir`: for each source file of the plan, the failed rows in its
 * format (a header-only file when none failed, so that the plan still reads), and `plan.<ext>`, the
 * plan with its sources pointing at them (same id: a rerun adopts what the failed run did).
 * Returns the path of that plan, or undefined when nothing failed.
 */
export function writeFailures(dir: string, plan: Plan, book: Book, failed: readonly FailedRows[]): string | undefined {
  if (!failed.length) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fsError("create", "the failures directory", dir, e);
  }
  const reasonOf = new Map<SourceRow, string>();
  for (const f of failed) for (const r of f.rows) reasonOf.set(r, f.reason);
  const used = new Set<string>();
  const spec: PlanSpec = JSON.parse(JSON.stringify(plan.spec)) as PlanSpec;
  for (const file of plan.files) {
    const layout = book.layouts.get(file.shown) ?? { format: file.format };
    let name = basename(file.path);
    while (used.has(name)) name = `${basename(name, extname(name))}_${used.size}${extname(name)}`;
    used.add(name);
    const rows = [...reasonOf.keys()].filter((r) => r.file === file.shown).sort((a, b) => a.line - b.line);
    writeFile(join(dir, name), formatRows(layout, rows, ERROR_COLUMN, (r) => reasonOf.get(r) ?? ""), "the failures file");
    const src = spec.sources[file.source]!;
    const list = Array.isArray(src.file) ? src.file : [src.file];
    const idx = plan.files.filter((f) => f.source === file.source).indexOf(file);
    list[idx] = name;
    src.file = list.length === 1 ? list[0] : list;
  }
  const isJson = /\.json$/i.test(plan.file);
  const planPath = join(dir, isJson ? "plan.json" : "plan.yaml");
  const header = `# Failed rows of plan ${plan.id} (${relative(dir, plan.file)}): correct them, then run\n#   mambu-migrate ${planPath}\n`;
  writeFile(planPath, isJson ? `${JSON.stringify(spec, null, 2)}\n` : header + toYaml(spec), "the failures plan");
  return planPath;
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
