/**
 * The migration toolkit: load a lender's book (clients, groups, loans, schedules, fees, repayments
 * from CSV or JSON lines) into Mambu exactly once, resumably, under rate limits.
 *
 * ```ts
 * import { runMigration } from "mambu-ts/migrate";
 * import { startRehearsalSandbox } from "mambu-ts/sandbox";
 * const result = await runMigration("config/migration/plan.yaml", { target: "sandbox", sandbox: { start: startRehearsalSandbox }, reconcile: true });
 * console.log(result.exitCode, result.summary?.requestsPerSecond, result.reconciliation?.equal);
 * ```
 *
 * The flow: load the plan (plan.ts) → take the workdir (its lock, and whether its journal may be
 * resumed here: session.ts, resume.ts, rehearsal.ts) → read the tenant's reference data (tenant.ts)
 * → read, map and validate every row (sources.ts, mapping.ts, validate.ts) — nothing is written
 * unless the plan is clean or `skipInvalid` → run the units concurrently under the rate limit
 * (runner.ts, steps.ts, ratelimit.ts), recording each step in the journal (journal.ts) → summary,
 * failures files and report (report.ts) → optional reconciliation (reconcile.ts). Requests go through
 * the ORM (`find`, `create`, operations with `reread: false`), with the run's connector (connection.ts).
 * The command line (lib/cli/migrate-command.ts) parses arguments, starts a rehearsal's sandbox and
 * renders the summary as tables.
 *
 * Personal data (personal.ts) reaches no output but the failures files (failures.ts: mode 600, a
 * note beside them, masked with `redact`). Shards (shard.ts, shard-workdir.ts, shard-reconcile.ts):
 * with `shard`, the book is sliced after validation and the run keeps its own journal and lock.
 */
import { join, resolve } from "path";
import { mambuconfig } from "../config";
import { Counters, runConnector } from "./connection";
import { WorkdirError } from "./fserrors";
import { Journal } from "./journal";
import { JournalCorruptError } from "./journal-file";
import { LockedError } from "./lock";
import type { MigrationOptions, MigrationResult, RehearsalTenant } from "./options";
import { loadPlan, PlanError } from "./plan";
import { Progress } from "./progress";
import { parseRate, RateLimiter } from "./ratelimit";
import { formatReconciliation, reconcile, Reconciliation } from "./reconcile";
import { saveRehearsalNow, stopRehearsal } from "./rehearsal";
import { PERSONAL_NOTE } from "./failures";
import { buildReport, FailedRows, formatSummary, summarize, writeFailures, writeReport } from "./report";
import { checkTenantHasJournal, ResumeRefused } from "./resume";
import { newStats, runUnits } from "./runner";
import { openSession, releaseSession, Session } from "./session";
import { buildPack, packRefusal, writePack } from "./pack";
import { parseShard, Shard, ShardError, shardTag, shardText, sliceBook } from "./shard";
import { formatShardStatuses, shardsComplete, shardStatuses } from "./shard-reconcile";
import { ShardRefused } from "./shard-workdir";
import { loadReferenceData } from "./tenant";
import { Book, formatProblem, Plan } from "./types";
import { buildBook } from "./validate";

export { loadPlan, parsePlan, PlanError, STEP_SOURCE } from "./plan";
export { buildBook, sumDecimals } from "./validate";
export { readCsv, parseCsvText, readSource, formatRows, csvLine, SourceError } from "./sources";
export type { SourceRow, SourceLayout, SourceFormat, CsvRecord, CsvShape } from "./sources";
export { Journal } from "./journal";
export type { JournalRecord, StepRecord, UnitRecord, RunRecord, StateRecord } from "./journal";
export { JournalCorruptError } from "./journal-file";
export type { JournalHistory, JournalEntry } from "./journal-file";
export { WorkdirError } from "./fserrors";
export { FileLock, LockedError } from "./lock";
export type { LockHolder } from "./lock";
export { ResumeRefused } from "./resume";
export { defaultWorkdir } from "./workdir";
export { parseShard, shardOfKey, sliceBook, ShardError, MAX_SHARDS } from "./shard";
export type { Shard } from "./shard";
export { ShardRefused, SHARDS_FILE, shardJournalName, shardLockName } from "./shard-workdir";
export type { ShardStatus } from "./shard-reconcile";
export { describeBinding, keyFingerprint } from "./binding";
export type { TenantBinding, PlanFingerprint } from "./binding";
export { idempotencyKey, derivedExternalId, disbursementExternalId } from "./keys";
export { RateLimiter, parseRate } from "./ratelimit";
export { reconcile, formatReconciliation, METRICS } from "./reconcile";
export { buildPack, writePack, PACK_FILES } from "./pack";
export type { Pack, PackSample, PackCalls, PackOptions } from "./pack";
export type { Reconciliation, Figures, Metric } from "./reconcile";
export { formatSummary, ERROR_COLUMN } from "./report";
export { PERSONAL_NOTE } from "./failures";
export { REDACTED, PERSONAL_TARGETS } from "./personal";
export type { PersonalColumns } from "./personal";
export type { Summary, Report, FailedRows } from "./report";
export { loadReferenceData } from "./tenant";
export type { ReferenceData } from "./tenant";
export { formatProblem, STEP_NAMES, SOURCE_NAMES } from "./types";
export type { Plan, PlanSpec, Problem, Book, Unit, LoanPlan, TxPlan, StepName, SourceName, MappingSpec, FieldMapSpec, FieldRuleSpec } from "./types";
export type { RunStats } from "./runner";
export type { MigrationOptions, MigrationResult, MigrationRenderer, RehearsalStarter, RehearsalTenant, SandboxFaultOptions } from "./options";

/**
 * Runs a migration plan (a path to a plan file, or a loaded {@link Plan}): validation before any
 * write, then the units, summary, failures files, report and reconciliation as the options say.
 * Never throws for problems of the plan or its rows (they are in the result, exit code 2), nor when
 * it refuses to run (workdir in use, a journal that may not be resumed here: `refused`, exit code 2);
 * throws for problems of the environment (unreachable tenant before validation, a workdir or journal
 * that cannot be written: {@link WorkdirError}, naming the file).
 */
export async function runMigration(planOrPath: string | Plan, options: MigrationOptions = {}): Promise<MigrationResult> {
  const out = options.stdout === undefined ? process.stdout : options.stdout;
  const say = (text: string): void => void out?.write(`${text}\n`);
  let plan: Plan;
  try {
    plan = typeof planOrPath === "string" ? loadPlan(planOrPath) : planOrPath;
  } catch (e) {
    if (e instanceof PlanError) {
      for (const p of e.problems) say(formatProblem(p));
      return { exitCode: 2, ok: false, problems: e.problems, failed: [], stopped: false };
    }
    throw e;
  }
  const target = options.target ?? "tenant";
  if (target === "sandbox" && typeof options.sandbox?.start !== "function") {
    throw new TypeError(`runMigration: a rehearsal (target "sandbox") needs sandbox.start, what starts its tenant: startRehearsalSandbox from "mambu-ts/sandbox"`);
  }
  const persist = target === "sandbox" && options.sandbox?.persist ? resolve(options.sandbox.persist) : undefined;
  let shard: Shard | undefined;
  try {
    shard = typeof options.shard === "string" ? parseShard(options.shard) : options.shard && parseShard(`${options.shard.index}/${options.shard.count}`);
  } catch (e) {
    if (!(e instanceof ShardError)) throw e;
    say(e.message);
    return { exitCode: 2, ok: false, problems: [], failed: [], stopped: false, refused: e.message };
  }
  const rate = typeof options.rate === "string" ? parseRate(options.rate) : options.rate;
  const limiter = new RateLimiter({ rate });
  const counters: Counters = { requests: 0, throttled: 0, retries: 0 };
  const refused = (message: string): MigrationResult => {
    say(message);
    return { exitCode: 2, ok: false, problems: [], failed: [], stopped: false, refused: message };
  };

  let session: Session = { locks: [] };
  let journal: Journal | undefined;
  let sandbox: RehearsalTenant | undefined;
  const render = { summary: options.render?.summary ?? formatSummary, reconciliation: options.render?.reconciliation ?? formatReconciliation };
  const onQuit = (): void => {
    let message = "nothing was written yet";
    if (journal && sandbox && persist) message = saveRehearsalNow(sandbox, journal, persist);
    else if (sandbox && !persist) message = "this rehearsal's sandbox is not kept (no --sandbox-state): run it again from the start";
    else if (journal) {
      try {
        journal.flushNow();
        message = `the journal ${journal.path} holds every step that finished: --resume continues (the steps under way are looked up in the tenant)`;
      } catch (e) {
        message = `${(e as Error).message}: --resume looks up in the tenant the steps the journal lacks`;
      }
    }
    releaseSession(session);
    (options.stderr ?? process.stderr).write(`${message}\n`);
  };
  options.quit?.addEventListener("abort", onQuit, { once: true });
  if (options.pack !== undefined) {
    const no = options.resume || options.reconcile ? "--pack writes nothing to the tenant: it goes without --resume and --reconcile" : options.force ? undefined : packRefusal(resolve(options.pack));
    if (no) return refused(no);
  }
  if (shard && target === "sandbox") {
    return refused("--shard splits a plan between runs that write to one tenant; a rehearsal's sandbox belongs to its run: rehearse unsharded, or run the shards against a tenant");
  }
  try {
    try {
      session = await openSession({
        plan,
        target,
        persist,
        // a pack keeps no journal and takes no lock, as a check
        check: options.check || options.pack !== undefined,
        workdir: options.workdir,
        resume: options.resume,
        allowChangedPlan: options.allowChangedPlan,
        shard,
        reconcile: options.reconcile,
        connection: options.connection,
        config: mambuconfig,
      });
    } catch (e) {
      if (e instanceof LockedError || e instanceof ResumeRefused || e instanceof JournalCorruptError || e instanceof ShardRefused) return refused(e.message);
      throw e;
    }
    const { workdir, journalPath, binding, fingerprint, startState, history, decision } = session;

    if (target === "sandbox") sandbox = await options.sandbox!.start!({ faults: options.sandbox?.faults, persist });
    const conn = runConnector(options, sandbox, limiter, counters);
    const refs = await loadReferenceData(conn);
    const offset = options.tenantOffset ?? plan.spec.tenantOffset ?? sandbox?.offset ?? mambuconfig.tenantoffset ?? refs.offset;
    if (offset && offset === refs.offset && !options.tenantOffset && !plan.spec.tenantOffset && !sandbox && !mambuconfig.tenantoffset) {
      say(`tenant offset ${offset}, read from the tenant's dates (set tenantOffset in the plan or MAMBU_API_TENANTOFFSET to be sure)`);
    }
    let book: Book;
    try {
      book = await buildBook(plan, { refs, conn, offset, skipInvalid: options.skipInvalid, now: sandbox?.now() });
    } catch (e) {
      if (e instanceof PlanError) {
        for (const p of e.problems) say(formatProblem(p));
        return { exitCode: 2, ok: false, problems: e.problems, failed: [], stopped: false };
      }
      throw e;
    }
    const problems = book.problems;
    if (problems.length) {
      for (const p of problems) say(formatProblem(p));
      say(`${problems.length} problem${problems.length === 1 ? "" : "s"} in ${new Set(problems.map((p) => `${p.file}:${p.line}`)).size} rows${options.skipInvalid ? `; skipping ${book.skipped.length} clients or rows` : "; nothing was sent (fix them, or use --skip-invalid)"}`);
    }
    if (problems.length && !options.skipInvalid) return { exitCode: 2, ok: false, problems, book, failed: [], stopped: false };
    if (session.shards && workdir) {
      // a sharded workdir reconciled as a whole: each shard's journal, then the whole plan against the tenant
      const shards = shardStatuses(workdir, plan, book, session.shards);
      say(formatShardStatuses(shards));
      const rec = await reconcile(conn, plan, book, options.concurrency ?? 8);
      say(render.reconciliation(rec));
      const ok = rec.equal && shardsComplete(shards) && !problems.length;
      const report = buildReport({ plan, target, ok, problems, failed: [], reconciliation: rec, shards });
      if (options.report) writeReport(options.report, report);
      conn.close();
      return { exitCode: ok ? 0 : 1, ok, problems, book, reconciliation: rec, failed: [], report, stopped: false, shards };
    }
    if (shard) {
      const all = book.units.length;
      book = sliceBook(book, plan, shard);
      say(`shard ${shardText(shard)}: ${book.units.length} of ${all} clients and groups, ${book.totalSteps} steps`);
    }
    if (options.pack !== undefined) {
      const pack = await buildPack(plan, book, { rate, rateText: typeof options.rate === "string" ? options.rate.trim() : undefined, offset });
      const files = writePack(resolve(options.pack), pack, book, options.force);
      const c = pack.calls;
      say(`onboarding pack: ${files.join(", ")} (nothing was written to the tenant)`);
      say(`calls: ${c.default.total} requests, ${c.default.perClient.toFixed(2)} per client (earlier flow: ${c.earlier.total}, ${c.earlier.perClient.toFixed(2)} per client)`);
      conn.close();
      return { exitCode: problems.length ? 1 : 0, ok: !problems.length, problems, book, failed: [], stopped: false, pack: { files, content: pack } };
    }
    if (options.check || !workdir || !journalPath || !binding || !fingerprint) {
      say(`plan ${plan.id} is ${problems.length ? "valid once the rows above are skipped" : "valid"}: ${book.units.length} clients and groups, ${book.totalSteps} steps`);
      return { exitCode: problems.length ? 1 : 0, ok: !problems.length, problems, book, failed: [], stopped: false };
    }

    if (history && decision) {
      try {
        await checkTenantHasJournal(conn, history, decision.keepBytes, binding);
      } catch (e) {
        if (e instanceof ResumeRefused) return refused(e.message);
        throw e;
      }
    }
    journal = Journal.open(journalPath, {
      planId: plan.id,
      planHash: plan.hash,
      resume: options.resume === true,
      history,
      keepBytes: decision?.keepBytes,
      run: { tenant: binding, files: fingerprint.files, content: fingerprint.content, ...(startState ? { state: startState } : {}) },
      lookups: options.lookups,
      // a rehearsal sandbox started empty holds nothing of the plan, whatever earlier journals say
      emptyTenant: target === "sandbox" && (!persist || startState === "absent"),
    });
    for (const note of decision?.notes ?? []) say(note);
    if (journal.tornLines) say(`note: the journal's last ${journal.tornLines === 1 ? "line was" : `${journal.tornLines} lines were`} torn by a crash; dropped (those steps are looked up in the tenant)`);
    if (journal.debrisLines) say(`note: the journal holds ${journal.debrisLines} line${journal.debrisLines === 1 ? "" : "s"} of NUL bytes (blocks a crash never wrote); skipped`);
    const stats = newStats(book);
    counters.requests = 0;
    counters.throttled = 0;
    counters.retries = 0;
    Object.defineProperties(stats, {
      requests: { get: () => counters.requests, enumerable: true },
      throttled: { get: () => counters.throttled, enumerable: true },
      retries: { get: () => counters.retries, enumerable: true },
    });
    const progress = new Progress(stats, { mode: options.progress, stream: options.stderr, interval: options.progressInterval, rateLimit: () => limiter.currentRate });
    progress.start();
    try {
      await runUnits({ conn, plan, book, journal, stats, concurrency: options.concurrency ?? 8, offset, fold: options.fold, signal: options.signal, onProgress: () => progress.tick() });
    } finally {
      progress.stop();
    }
    const summary = summarize(plan, book, stats);
    say(render.summary(summary));
    if (journal.failed) {
      throw new WorkdirError(
        `${journal.failed.message}. The run stopped; once that is fixed, run again with --resume (what was done after the journal's last line is looked up in the tenant: nothing is created twice)`,
        journal.path,
        journal.failed.code,
      );
    }
    const stopped = options.signal?.aborted === true && stats.units.done + stats.units.failed < stats.units.total;
    if (stopped) {
      const left = stats.units.total - stats.units.done - stats.units.failed;
      say(`stopped: ${left} clients not started; ${sandbox && !persist ? "a rehearsal without --sandbox-state cannot be resumed (run it again)" : "continue with --resume"}`);
    }

    const failed: FailedRows[] = [
      ...stats.failures.map((f) => ({ unit: f.unit.key, rows: f.unit.rows, reason: f.reason })),
      ...book.skipped.map((s) => ({ unit: s.unit, rows: s.rows, reason: `invalid: ${s.reasons.join("; ")}` })),
    ];
    for (const f of stats.failures.slice(0, 20)) say(`failed ${f.unit.key}: ${f.reason}`);
    if (stats.failures.length > 20) say(`... and ${stats.failures.length - 20} more failures`);
    const failuresPlan = writeFailures(shard ? join(workdir, "failures", shardTag(shard)) : join(workdir, "failures"), plan, book, failed, { redact: options.redact });
    if (failuresPlan) {
      say(`failed rows: ${failuresPlan} (correct them and run it; same plan id, so finished steps are adopted)`);
      say(`  they hold personal data${options.redact ? ", personal columns masked (--redact)" : ""}: readable by you only (mode 600); see ${join(failuresPlan, "..", PERSONAL_NOTE)}`);
    }

    let rec: Reconciliation | undefined;
    if (options.reconcile) {
      rec = await reconcile(conn, plan, book, options.concurrency ?? 8);
      say(render.reconciliation(rec));
    }
    const ok = failed.length === 0 && !stopped && (rec ? rec.equal : true);
    const report = buildReport({ plan, target, ok, summary, problems, failed, reconciliation: rec, journal: journal.path, failuresPlan, shard: shard && shardText(shard) });
    if (options.report) writeReport(options.report, report);
    conn.close();
    return { exitCode: ok ? 0 : 1, ok, problems, book, summary, reconciliation: rec, failed, journal: journal.path, failuresPlan, report, stopped };
  } finally {
    try {
      if (sandbox) {
        try {
          await stopRehearsal(sandbox, journal, persist);
        } catch (e) {
          if (!(e instanceof WorkdirError)) throw e;
          say(`note: ${e.message}`);
        }
      }
    } finally {
      // a quit while the sandbox stops still saves it (with its marks), so the listener stays until here
      options.quit?.removeEventListener("abort", onQuit);
      await journal?.close();
      releaseSession(session);
    }
  }
}
