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

/**
 * The status of a payment (ISO 20022 codes): `RCVD` received, `ACTC` validated, `CPVP` under a profile (AML) check,
 * `PDNG` pending, `ACSP` accepted for execution, `ACSC` settled, `RJCT` rejected.
 */
export type PaymentStatus = "RCVD" | "ACTC" | "CPVP" | "PDNG" | "ACSP" | "ACSC" | "RJCT";

/**
 * What the Payments API answers about a payment or a collection: its id, status, fee indicator and messages, and
 * every field as sent. {@link Payment} and `Collection` are this, read from their own id field.
 */
export abstract class PaymentsTransaction {
  /** Its id (`paymentId` of a payment, `collectionId` of a collection). */
  readonly id: string;
  /** Its status (`transactionStatus`): `RCVD` when just received, `RJCT` when rejected, ... */
  readonly status: PaymentStatus | string;
  /** Whether a fee applies (`transactionFeeIndicator`), when the API says. */
  readonly transactionFeeIndicator?: boolean;
  /** Messages of the answer (warnings), each whole. */
  readonly tppMessages: TppMessage[];
  /** Every field of the answer as the API sent it (a details answer may carry more than the above). */
  readonly details: Readonly<Record<string, unknown>>;

  /** Built from an answer, its id read from `idField`. */
  protected constructor(answer: Record<string, unknown>, idField: string) {
    this.id = str(answer, idField) ?? "";
    this.status = str(answer, "transactionStatus") ?? "";
    const fee = field(answer, "transactionFeeIndicator");
    if (typeof fee === "boolean") this.transactionFeeIndicator = fee;
    this.tppMessages = tppMessagesOf(answer);
    this.details = Object.freeze({ ...answer });
  }
}
