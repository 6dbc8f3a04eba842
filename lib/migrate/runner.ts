/**
 * Runs the units of a book: a pool of `concurrency` workers takes units in order (clients first,
 * then groups, which wait for their member clients), runs the steps of each unit one after the
 * other, and isolates failures — a unit that fails is recorded with its reason (journal and
 * statistics) and the others go on. Units the journal records as done are skipped on resume. A
 * journal that cannot be written (full disk) stops the run: no new unit is taken.
 */
import type { MambuConnector } from "../transport";
import type { Journal } from "./journal";
import { rowKey } from "./keys";
import { personalValues, safeErrorMessage } from "./personal";
import { depositSteps, documentSteps, holderStep, loanSteps, StepContext, StepError, StepOutcome } from "./steps";
import type { Book, Plan, StepName, Unit } from "./types";
import { unitStepNames } from "./validate";

/** Counters of a run, updated as it goes (progress reads them). */
export interface RunStats {
  startedAt: number;
  units: { total: number; done: number; failed: number; resumed: number };
  steps: { total: number; done: number; created: number; adopted: number; journal: number };
  byStep: Partial<Record<StepName, { created: number; adopted: number; journal: number }>>;
  /** Client units of the run (groups aside): the "per client" of the report's figures. */
  clients: number;
  /** Writes Mambu accepted (creations, state changes, transactions, links): the floor of `requests`. */
  writes: number;
  /** HTTP attempts (retries included), 429 answers and retries, maintained by the transport hooks. */
  requests: number;
  throttled: number;
  retries: number;
  failures: Array<{ unit: Unit; reason: string }>;
}

/** A fresh set of counters. */
export function newStats(book: Book): RunStats {
  return {
    startedAt: Date.now(),
    units: { total: book.units.length, done: 0, failed: 0, resumed: 0 },
    steps: { total: book.totalSteps, done: 0, created: 0, adopted: 0, journal: 0 },
    byStep: {},
    clients: book.units.filter((u) => u.kind === "client").length,
    writes: 0,
    requests: 0,
    throttled: 0,
    retries: 0,
    failures: [],
  };
}

/** Options of {@link runUnits}. */
export interface RunnerOptions {
  conn: MambuConnector;
  plan: Plan;
  book: Book;
  journal: Journal;
  stats: RunStats;
  concurrency: number;
  /** The tenant's UTC offset (due dates of edited schedules are at midnight there). */
  offset?: string;
  /** Fold the settlement link into the loan's creation (default true; see steps.ts). */
  fold?: boolean;
  /** Stops taking new units (units under way are finished). */
  signal?: AbortSignal;
  /** Called after each step and unit. */
  onProgress?: () => void;
}

interface Deferred {
  promise: Promise<string>;
  resolve(key: string): void;
  reject(e: Error): void;
  settled: boolean;
}

function deferred(): Deferred {
  let resolve!: (k: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  const d: Deferred = {
    promise,
    settled: false,
    resolve: (k) => {
      d.settled = true;
      resolve(k);
    },
    reject: (e) => {
      d.settled = true;
      reject(e);
    },
  };
  return d;
}

/**
 * Why a unit failed, in one line (Mambu's error reason when there is one), without personal data:
 * with the unit and the book, an `errorSource` of Mambu's that repeats a value of the unit's rows is
 * withheld and the unit's personal values are scrubbed (personal.ts) — the reason goes to the
 * console, the journal, the report and the failures files' `migrate_error` column.
 */
export function failureReason(e: unknown, unit?: Unit, book?: Pick<Book, "personal">): string {
  const rows = unit?.rows ?? [];
  const values = rows.flatMap((r) => Object.values(r.values).map((v) => v.trim()).filter((v) => v !== ""));
  const personal = personalValues(rows, book?.personal);
  if (e instanceof StepError) return `${e.step} ${e.where}: ${safeErrorMessage(e.cause, values, personal)}`;
  return safeErrorMessage(e, values, personal);
}

/** Runs every unit of the book (see the module comment); resolves when all are done or failed. */
export async function runUnits(opts: RunnerOptions): Promise<void> {
  const { plan, book, journal, stats } = opts;
  const holders = new Map<string, Deferred>();
  for (const u of book.units) if (u.kind === "client") holders.set(u.id, deferred());

  const clientKey = async (id: string): Promise<string> => {
    const d = holders.get(id);
    if (d) {
      try {
        return await d.promise;
      } catch (e) {
        throw new Error(`client ${id} could not be migrated (${(e as Error).message})`);
      }
    }
    const ext = book.external.get(id);
    if (ext) return ext.encodedKey;
    throw new Error(`client ${id} is neither in the plan nor in the tenant`);
  };
  const onStep = (_u: Unit, step: StepName, outcome: StepOutcome): void => {
    const b = (stats.byStep[step] ??= { created: 0, adopted: 0, journal: 0 });
    b[outcome]++;
    stats.steps[outcome]++;
    stats.steps.done++;
    opts.onProgress?.();
  };
  // units the journal knows were never sent anything, begun by this run: created without look-ups
  const direct = new Set<string>();
  // their begin lines, written ahead in synced batches of `ahead` units; the next batch is asked for
  // when the workers are half-way through the last, so that it is on disk before they reach it — no
  // worker waits for the disk but at the start (a unit begun but not run — the run stopped — is only
  // looked up on resume: at most 1.5 batches of them)
  const begun = new Map<string, Promise<void>>();
  const ahead = Math.max(32, 4 * opts.concurrency);
  /** Units before it have had their begin line asked for (those the journal knows untouched). */
  let frontier = 0;
  const begin = (i: number): Promise<void> | undefined => {
    if (i + ahead / 2 >= frontier) {
      const from = Math.max(frontier, i);
      frontier = Math.min(book.units.length, from + ahead);
      for (let j = from; j < frontier; j++) {
        const v = book.units[j];
        if (begun.has(v.key) || !journal.untouched(v.key)) continue;
        const p = journal.recordBegin(v.key);
        p.catch(() => undefined);
        begun.set(v.key, p);
      }
    }
    return begun.get(book.units[i].key);
  };
  const ctx: StepContext = { conn: opts.conn, plan, journal, offset: opts.offset, clientKey, onStep, direct: (u) => direct.has(u.key), fold: opts.fold, onWrite: () => void stats.writes++ };

  const runOne = async (u: Unit, index: number): Promise<void> => {
    const holder = u.kind === "client" ? holders.get(u.id) : undefined;
    const prior = journal.unit(u.key);
    if (prior?.status === "done") {
      for (const name of unitStepNames(u, plan)) {
        (stats.byStep[name] ??= { created: 0, adopted: 0, journal: 0 }).journal++;
        stats.steps.journal++;
        stats.steps.done++;
      }
      stats.units.resumed++;
      stats.units.done++;
      const rec = journal.step(u.kind === "group" ? rowKey.group(u.id) : rowKey.client(u.id), u.kind);
      if (holder) {
        if (rec?.key) holder.resolve(rec.key);
        else {
          try {
            holder.resolve(await holderStep(ctx, u));
          } catch (e) {
            holder.reject(new Error(failureReason(e, u, book)));
          }
        }
      }
      opts.onProgress?.();
      return;
    }
    const beginning = begin(index);
    if (beginning) {
      try {
        await beginning; // on disk before the unit's first request
      } catch (e) {
        holder?.reject(new Error("the run stopped before this client"));
        if (journal.failed) return; // the run stops; nothing of the unit was sent
        throw e;
      }
      direct.add(u.key);
    }
    let key: string;
    try {
      key = await holderStep(ctx, u);
      holder?.resolve(key);
    } catch (e) {
      // the groups waiting for this client say why it failed: in words fit for their own reasons
      holder?.reject(new Error(failureReason(e, u, book)));
      return fail(u, e);
    }
    try {
      for (const dep of u.deposits ?? []) await depositSteps(ctx, u, dep, key);
      for (const loan of u.loans) await loanSteps(ctx, u, loan, key);
      await documentSteps(ctx, u, key);
    } catch (e) {
      return fail(u, e);
    }
    // the unit's line (after its steps' lines, in the same file) is synced while the worker takes the
    // next unit: the unit is counted done once it is on disk, and the run ends once every line is
    const written = journal.recordUnit(u.key, "done").then(
      () => {
        stats.units.done++;
        opts.onProgress?.();
      },
      (e: unknown) => {
        if (!journal.failed) throw e; // else the run stops; the unit's steps are looked up in the tenant on resume
      },
    );
    ending.add(written);
    void written.finally(() => ending.delete(written)).catch(() => undefined);
  };
  /** The `unit` lines being synced. */
  const ending = new Set<Promise<void>>();
  const fail = async (u: Unit, e: unknown): Promise<void> => {
    // the journal failed, not the unit: the run stops and reports it; the unit is resumed later
    if (journal.failed) return;
    const reason = failureReason(e, u, book);
    stats.units.failed++;
    stats.failures.push({ unit: u, reason });
    await journal.recordUnit(u.key, "failed", reason).catch((err: unknown) => {
      if (!journal.failed) throw err;
    });
    opts.onProgress?.();
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < book.units.length && !opts.signal?.aborted && !journal.failed) {
      const i = next++;
      await runOne(book.units[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, book.units.length)) }, worker));
  journal.commitNow(); // the last lines: nothing more gathers, no use waiting for the window
  await Promise.all([...ending]);
  for (const d of holders.values()) if (!d.settled) d.reject(new Error("the run stopped before this client"));
}
