/**
 * Mambu's bulk processes (`GET /bulks/{bulkProcessKey}`): a bulk request (e.g. `MambuDeposit.bulkDeposit`) is
 * answered 202 with the process's key, and Mambu works on it in the background — QUEUED, IN_PROGRESS, then
 * COMPLETE (rows done in `processedItems`, rows refused in `errors`, each by `indexInRequest`), or ERROR,
 * TIMED_OUT, CANCEL, … `getBulkStatus` reads the status once; `waitForBulk` reads it until Mambu is done.
 */
import { MambuError, MambuTsError } from "../errors";
import type { BulkProcessStatus } from "../generated/types/bulks";
import type { MambuConnector } from "../transport";
import { expectRecord } from "./account-operation";
import { callOperation } from "./call";
import { checkOptionKeys, connectorOf } from "./entity";
import { PENDING_STATES, PollOptions, pollPlan, pollUntilSettled } from "./poll";

/**
 * A bulk process's status (Swagger `BulkProcessStatus`): `status` (QUEUED, IN_PROGRESS, COMPLETE, ERROR, …),
 * `processedItems` (`{ id, externalId, indexInRequest }` of each row done) and `errors` (`{ errorCode,
 * errorReason, errorSource, externalId, indexInRequest }` of each row refused).
 */
export type BulkStatus = BulkProcessStatus;

/** The states of a bulk process after which Mambu still works on it (QUEUED, IN_PROGRESS, TO_BE_CANCELED, TRANSIENT_ERROR). */
export const BULK_PENDING_STATES: ReadonlySet<string> = PENDING_STATES;

/** Options of {@link getBulkStatus}. */
export interface BulkStatusOptions {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
}

/**
 * Options of {@link waitForBulk} (and `MambuDeposit.waitForBulk`): `onProgress` gets every status read, the last
 * one included; reads every `intervalMs` (default 1000), at most `maxPolls` (default 600); `signal` aborts.
 */
export interface WaitForBulkOptions extends PollOptions<BulkStatus> {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

function checkKey(key: unknown, label: string): string {
  if (typeof key !== "string" || key.trim() === "") throw new MambuTsError(`${label}: the bulk process key must be a non-empty string`);
  return key;
}

/** {@link getBulkStatus} with the caller's name in its errors. @internal */
export async function bulkStatusAs(label: string, key: string, opts: BulkStatusOptions = {}): Promise<BulkStatus> {
  checkKey(key, label);
  checkOptionKeys(label, opts, ["connector", "signal"]);
  const answer = await callOperation("bulks", "getBulkStatus", {
    path: { bulkProcessKey: key }, connector: connectorOf(undefined, opts?.connector), signal: opts?.signal,
  });
  return expectRecord(answer, "the bulk status", label) as unknown as BulkStatus;
}

/** {@link waitForBulk} with the caller's name in its errors. @internal */
export async function waitForBulkAs(label: string, key: string, opts: WaitForBulkOptions = {}): Promise<BulkStatus> {
  checkKey(key, label);
  checkOptionKeys(label, opts, ["connector", "onProgress", "intervalMs", "maxPolls", "signal"]);
  const plan = pollPlan(label, opts ?? {});
  const connector = connectorOf(undefined, opts?.connector);
  return pollUntilSettled<BulkStatus>({
    label,
    what: `bulk ${key}`,
    read: (signal) => bulkStatusAs(label, key, { connector, signal }),
    stateOf: (s) => {
      if (typeof s.status !== "string") throw new MambuError(`malformed response from Mambu to ${label}: the bulk status has no status`);
      return s.status;
    },
  }, plan);
}

/**
 * Reads a bulk process's status once (`GET /bulks/{bulkProcessKey}`).
 * @throws MambuTsError for an empty key or an unknown option (before any request); MambuError when Mambu refuses
 *   (404 for an unknown key); MambuCommError when it cannot be reached.
 */
export function getBulkStatus(bulkProcessKey: string, opts?: BulkStatusOptions): Promise<BulkStatus> {
  return bulkStatusAs("getBulkStatus", bulkProcessKey, opts);
}

/**
 * Reads `GET /bulks/{bulkProcessKey}` until Mambu is done with the bulk (its status no longer QUEUED,
 * IN_PROGRESS, TO_BE_CANCELED or TRANSIENT_ERROR) and resolves to that last status — COMPLETE, or ERROR,
 * TIMED_OUT, CANCEL, … (look at `status`, and at `errors` for the rows refused). The first read is at once, then
 * one every `intervalMs`; `onProgress` gets each status read.
 * @throws MambuTsError for bad options (before any request), when still pending after `maxPolls` reads (the
 *   message says the last state) or when `signal` aborts; MambuError / MambuCommError from a read.
 */
export function waitForBulk(bulkProcessKey: string, opts?: WaitForBulkOptions): Promise<BulkStatus> {
  return waitForBulkAs("waitForBulk", bulkProcessKey, opts);
}
