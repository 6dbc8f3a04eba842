/**
 * The tenant as a platform: its application status (`GET /application/status`: whether data can be written or
 * the tenant is read-only, e.g. during maintenance) and the end-of-day cron (`POST /crons/eod:run`: triggers
 * Mambu's hourly and end-of-day processing — interest accrual, arrears, fees due, maturities).
 */
import { MambuTsError } from "../errors";
import type { ApplicationStatus } from "../generated/types/application__status";
import type { TriggerHourlyAndEndOfDayProcessingResponse } from "../generated/types/crons_eod";
import { MambuConnector } from "../transport";
import { callOperation } from "./call";
import { checkOptionKeys } from "./entity";

/** Options of {@link getApplicationStatus}. */
export interface PlatformOptions {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
}

/** Options of {@link runEndOfDay}. */
export interface EndOfDayOptions extends PlatformOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}

/** The application status: `dataAccessState` is `WRITE_READ_STATE`, or `READ_ONLY_STATE` while writes are refused. */
export type { ApplicationStatus };

/** The answer of {@link runEndOfDay}: the `state` of the triggered processing (`QUEUED`, `IN_PROGRESS`, `COMPLETE`, ...). */
export type EndOfDayRun = TriggerHourlyAndEndOfDayProcessingResponse;

function answerObject(label: string, answer: unknown): Record<string, unknown> {
  if (answer === undefined) return {};
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) {
    throw new MambuTsError(`${label}: Mambu's answer is not an object`);
  }
  return answer as Record<string, unknown>;
}

/**
 * The tenant's application status (`GET /application/status`): `{ dataAccessState: "WRITE_READ_STATE" }`, or
 * `"READ_ONLY_STATE"` while Mambu accepts no writes.
 * @throws MambuError when Mambu refuses (401/403); MambuCommError when it cannot be reached.
 */
export async function getApplicationStatus(opts: PlatformOptions = {}): Promise<ApplicationStatus> {
  checkOptionKeys("getApplicationStatus", opts, ["connector", "signal"]);
  const answer = await callOperation("application__status", "getApplicationStatus", { connector: opts.connector, signal: opts.signal });
  const a = answerObject("getApplicationStatus", answer);
  return a.dataAccessState === undefined ? {} : { dataAccessState: a.dataAccessState as ApplicationStatus["dataAccessState"] };
}

/**
 * Triggers the tenant's hourly and end-of-day processing (`POST /crons/eod:run`, answered 202). Mambu queues it
 * (`{ state: "QUEUED" }`); the sandbox runs it at once on its clock (arrears and penalties of late loans,
 * maturities of due deposits, expiry of card authorization holds) and answers `{ state: "COMPLETE" }`.
 * @throws MambuError when Mambu refuses (401/403, or 500 when the processing cannot be triggered);
 *   MambuCommError when it cannot be reached.
 */
export async function runEndOfDay(opts: EndOfDayOptions = {}): Promise<EndOfDayRun> {
  checkOptionKeys("runEndOfDay", opts, ["connector", "signal", "idempotencyKey"]);
  const answer = await callOperation("crons_eod", "runHourlyAndEndOfDayCrons", {
    connector: opts.connector, signal: opts.signal, idempotencyKey: opts.idempotencyKey,
  });
  const a = answerObject("runEndOfDay", answer);
  return a.state === undefined ? {} : { state: a.state as EndOfDayRun["state"] };
}
