/**
 * Waiting for Mambu's asynchronous work (bulk processes, data imports): read a status until its state is no
 * longer pending, telling a callback every status read, sleeping between reads, stopping on the caller's
 * `AbortSignal` and after a bounded number of reads. One loop, so that every waiter of the library behaves
 * the same: the first read is at once; a read that is aborted rejects with the transport's "request aborted by
 * the caller", a sleep that is aborted with "`label`: aborted by the caller"; the last read over `maxPolls`
 * rejects with a MambuTsError naming the state it was still in.
 */
import { MambuTsError } from "../errors";

/** States of Mambu's asynchronous processes after which it still works on them (read again). */
export const PENDING_STATES: ReadonlySet<string> = new Set(["QUEUED", "IN_PROGRESS", "TO_BE_CANCELED", "TRANSIENT_ERROR"]);

/** Largest `maxPolls` accepted. */
export const MAX_POLLS = 100_000;
/** Largest `intervalMs` accepted (one hour). */
export const MAX_INTERVAL_MS = 3_600_000;

/** Options every waiter takes (`waitForBulk`, `dataImport.wait()`). */
export interface PollOptions<S> {
  /** Called with each status read, the last one included, and the number of the read (1, 2, …). */
  onProgress?: (status: S, poll: number) => void;
  /** Milliseconds between two reads (default 1000; at most one hour). */
  intervalMs?: number;
  /** Reads before giving up with a MambuTsError naming the last state (default 600). */
  maxPolls?: number;
  /** Aborts the waiting and the read under way: the promise rejects with a MambuTsError. */
  signal?: AbortSignal;
}

/** The checked numbers of {@link PollOptions}. @internal */
export interface PollPlan<S> {
  intervalMs: number;
  maxPolls: number;
  onProgress?: (status: S, poll: number) => void;
  signal?: AbortSignal;
}

/**
 * Checks the options of a waiter before any request.
 * @throws MambuTsError naming the option that is wrong. @internal
 */
export function pollPlan<S>(label: string, opts: PollOptions<S>): PollPlan<S> {
  const { intervalMs = 1000, maxPolls = 600, onProgress, signal } = opts;
  if (typeof intervalMs !== "number" || !Number.isFinite(intervalMs) || intervalMs < 0 || intervalMs > MAX_INTERVAL_MS) {
    throw new MambuTsError(`${label}: intervalMs must be a number of milliseconds between 0 and ${MAX_INTERVAL_MS}`);
  }
  if (!Number.isSafeInteger(maxPolls) || maxPolls < 1 || maxPolls > MAX_POLLS) throw new MambuTsError(`${label}: maxPolls must be an integer between 1 and ${MAX_POLLS}`);
  if (onProgress !== undefined && typeof onProgress !== "function") throw new MambuTsError(`${label}: onProgress must be a function`);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new MambuTsError(`${label}: signal must be an AbortSignal`);
  return { intervalMs, maxPolls, onProgress, signal };
}

/** The error of a wait the caller aborted between two reads. */
export function abortedError(label: string): MambuTsError {
  return new MambuTsError(`${label}: aborted by the caller`);
}

/** Sleeps `ms`, or rejects with {@link abortedError} as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(label));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(label));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What {@link pollUntilSettled} needs besides the plan. @internal */
export interface PollTarget<S> {
  /** The caller named in errors, e.g. `waitForBulk`. */
  label: string;
  /** What is waited for, in errors, e.g. `bulk 8a19…`. */
  what: string;
  /** One read of the status. */
  read(signal: AbortSignal | undefined): Promise<S>;
  /** The state of a status read (e.g. `status.status`). */
  stateOf(status: S): string;
}

/**
 * Reads the status until its state is not pending ({@link PENDING_STATES}); resolves to that last status.
 * @throws MambuTsError when still pending after `maxPolls` reads (naming the last state) or when aborted;
 *   whatever a read throws (MambuError, MambuCommError). @internal
 */
export async function pollUntilSettled<S>(target: PollTarget<S>, plan: PollPlan<S>): Promise<S> {
  for (let poll = 1; ; poll++) {
    if (plan.signal?.aborted) throw abortedError(target.label);
    const status = await target.read(plan.signal);
    plan.onProgress?.(status, poll);
    const state = target.stateOf(status);
    if (!PENDING_STATES.has(state)) return status;
    if (poll >= plan.maxPolls) throw new MambuTsError(`${target.label}: ${target.what} still ${state} after ${plan.maxPolls} reads`);
    await abortableSleep(plan.intervalMs, plan.signal, target.label);
  }
}
