/**
 * What the Payments API entities share: their call options, the reading of an answer object, and the conversion of
 * a SEPA payment's fields to the body the contract types (amount `Decimal` kept, written as digits by the caller).
 */
import type { TppMessage } from "../../errors";
import { MambuTsError } from "../../errors";
import type { MambuConnector } from "../../transport";

/** Options of a Payments API read (`Payment.get`, `StandingOrder.get`, ...). */
export interface PaymentsReadOptions {
  /** The connection to use (default: `MambuConnector.default()`); it needs an `apikey`. */
  connector?: MambuConnector;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
}

/** Options of a Payments API write (every POST). */
export interface PaymentsWriteOptions extends PaymentsReadOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}

/** The option keys of a read and of a write. */
export const READ_KEYS = ["connector", "signal"] as const;
/** @see READ_KEYS */
export const WRITE_KEYS = ["connector", "signal", "idempotencyKey"] as const;

/** The answer as an object, or a `MambuTsError` saying the API answered something else. */
export function answerRecord(label: string, answer: unknown): Record<string, unknown> {
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) {
    throw new MambuTsError(`${label}: the Payments API's answer is not an object`);
  }
  return answer as Record<string, unknown>;
}

/** The answer as an array of objects (a search, a list of executions). */
export function answerList(label: string, answer: unknown): Record<string, unknown>[] {
  if (!Array.isArray(answer)) throw new MambuTsError(`${label}: the Payments API's answer is not a list`);
  return answer.map((a) => answerRecord(label, a));
}

/** An own property of an answer (never an inherited one). */
export function field(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** A string field of an answer, or undefined. */
export function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = field(obj, key);
  return typeof v === "string" ? v : undefined;
}

/** The `tppMessages` of an answer (warnings a success may carry), each whole; `[]` when none. */
export function tppMessagesOf(obj: Record<string, unknown>): TppMessage[] {
  const v = field(obj, "tppMessages");
  return Array.isArray(v) ? (v.filter((m) => m !== null && typeof m === "object") as TppMessage[]) : [];
}

/** A non-empty id string, or a `MambuTsError` naming the method. */
export function checkId(label: string, id: unknown): string {
  if (typeof id !== "string" || id === "") throw new MambuTsError(`${label}: give the id as a non-empty string`);
  return id;
}
