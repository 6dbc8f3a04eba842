/**
 * Background work of the sandbox: bulk deposits (`POST /deposits/deposit-transactions:bulk`) and data imports
 * (`POST /data/import`) are accepted at once (202, QUEUED) and done later, in steps, as Mambu does them in the
 * background. The sandbox has no timer: before it handles each request (any request), it runs one step of the
 * pending work, and a step handles at most `rowsPerStep` rows (default {@link DEFAULT_JOB_ROWS_PER_STEP},
 * `startSandbox({ jobRowsPerStep })`). So a client that polls the status sees QUEUED, then IN_PROGRESS with its
 * rows growing, then COMPLETE (or ERROR) — deterministically, the same on every run.
 *
 * A step runs synchronously from its start to its end (no `await` inside), so no other request ever sees a
 * half-applied row. The queue lives in the store (`store.extra.jobQueue`: kind and key of each pending job, oldest
 * first) and each job's state in its own record (`bulks`, `dataimports`), so pending work survives `--persist`.
 */
import type { SandboxStore } from "./store";
import type { SandboxContext } from "./router";

/** Rows of background work done before each request, by default. */
export const DEFAULT_JOB_ROWS_PER_STEP = 100;

/** The kinds of background work. */
export type JobKind = "bulk" | "dataimport";

/** A pending job: its kind and the encodedKey of its record. */
export interface QueuedJob {
  kind: JobKind;
  key: string;
}

/**
 * Does at most `budget` rows of the job `key`; returns the rows done and whether the job is finished (a finished
 * job leaves the queue). Must not await: it runs inside one step.
 */
export type JobStepper = (ctx: SandboxContext, key: string, budget: number) => { rows: number; done: boolean };

/** The queue in the store (created by the first job: a tenant that never queued work keeps no queue). */
function queueOf(store: SandboxStore, create: boolean): QueuedJob[] {
  const extra = store.extra as { jobQueue?: unknown };
  if (Array.isArray(extra.jobQueue)) return extra.jobQueue as QueuedJob[];
  if (!create) return [];
  extra.jobQueue = [];
  return extra.jobQueue as QueuedJob[];
}

/** Adds a job at the end of the queue. */
export function enqueueJob(store: SandboxStore, job: QueuedJob): void {
  queueOf(store, true).push({ kind: job.kind, key: job.key });
}

/** Checks a `jobRowsPerStep` option: a positive safe integer, else throws. */
export function checkRowsPerStep(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`jobRowsPerStep must be a positive integer, got ${String(n)}`);
  return n;
}

/**
 * Runs one step of background work: the oldest jobs first, at most `rowsPerStep` rows in all (a job that has
 * fewer rows left than the budget finishes, and the next one goes on with what is left). A job of an unknown kind,
 * or whose stepper throws, leaves the queue (its record tells the rest). Returns the rows done.
 */
export function runJobStep(ctx: SandboxContext, steppers: Readonly<Record<JobKind, JobStepper>>, rowsPerStep: number): number {
  const queue = queueOf(ctx.store, false);
  let budget = rowsPerStep;
  let done = 0;
  while (queue.length > 0 && budget > 0) {
    const job = queue[0];
    const stepper = Object.prototype.hasOwnProperty.call(steppers, job.kind) ? steppers[job.kind] : undefined;
    let out: { rows: number; done: boolean };
    try {
      out = stepper ? stepper(ctx, job.key, budget) : { rows: 0, done: true };
    } catch {
      out = { rows: 0, done: true };
    }
    budget -= Math.max(out.rows, 0);
    done += Math.max(out.rows, 0);
    if (out.done) queue.shift();
    else if (out.rows <= 0) break; // a stepper that makes no progress must not spin
  }
  return done;
}
