/**
 * The Payments API's errors (`/api/v1`): every error answer is a `TppMessagesResponse`, `{ tppMessages: [...] }`,
 * each message a `TPPMessage { category, code, path?, text? }` with one of the seed's codes (the contract's
 * TPPMessage.code enum, lib/contract/openapi/payments-v1.json). Handlers throw {@link TppError}; the gateway
 * (./gateway.ts) answers it, and turns a v2-style `SandboxError` (from the deposit engine, the body reader, the
 * idempotency cache) into one with {@link tppFromSandboxError}.
 *
 * | code                | status | when                                                                          |
 * |---------------------|--------|-------------------------------------------------------------------------------|
 * | FORMAT_ERROR        | 400    | a field breaks the contract (path names it); a bad Idempotency-Key; XML that is not well-formed |
 * | INVALID_REQUEST_BODY| 400    | the body is not JSON (or nests too deep), or is missing                       |
 * | INVALID_MESSAGE_TYPE| 400    | an incoming XML document of a type the gateway does not handle               |
 * | PAYMENT_FAILED      | 400    | the initiation failed in its first step (unknown debtor IBAN, funds, account state, currency) |
 * | PARAMETER_NOT_SUPPORTED | 400 | blocking a product other than SEPA_DIRECT_DEBIT; a search operator not served |
 * | ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION | 400 | the account already has this identification |
 * | NOT_FOUND           | 400    | an incoming reply (pacs.002/pacs.004) names no payment the gateway sent       |
 * | ORIGINAL_MESSAGE_ALREADY_REPLIED | 400 | a second reject/return of the same payment                        |
 * | RESOURCE_UNKNOWN    | 404    | the payment, account or other resource named in the path does not exist       |
 * | SERVICE_INVALID     | 401, 405, 415, 500 | bad apikey (sandbox choice: the seed documents no 401), method, content type, failure |
 */
import type { TPPMessage } from "../../generated/payments/types/_common";
import { SandboxError } from "../types";

/** The codes of a TPPMessage (the contract's enum, as generated from payments-v1.json). */
export type TppCode = TPPMessage["code"];

/** One message of a Payments API answer (the contract's TPPMessage). */
export type TppMessage = TPPMessage;

/** Largest number of messages in one error answer (a body with many problems names the first ones). */
export const MAX_TPP_MESSAGES = 20;

/** A Payments API error answer: its HTTP status and messages. */
export class TppError extends Error {
  constructor(
    readonly status: number,
    readonly messages: TppMessage[],
  ) {
    super(`${status} ${messages.map((m) => `${m.code}${m.path ? ` (${m.path})` : ""}${m.text ? `: ${m.text}` : ""}`).join("; ")}`);
    this.name = "TppError";
  }

  /** The answer's body, `{ tppMessages }`. */
  toBody(): { tppMessages: TppMessage[] } {
    return { tppMessages: this.messages.slice(0, MAX_TPP_MESSAGES).map((m) => ({ ...m })) };
  }
}

/** A TppError of one ERROR message (status 400 unless given). */
export function tppError(code: TppCode, text: string, path?: string, status = 400): TppError {
  return new TppError(status, [{ category: "ERROR", code, ...(path !== undefined ? { path } : {}), text }]);
}

/** Status of each v2 error reason the gateway may meet, when not 400: everything else maps by status. */
const PAYMENT_FAILURES = new Set([
  "BALANCE_BELOW_ZERO", "MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED", "INVALID_DEPOSIT_ACCOUNT_STATE", "MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED",
  "INVALID_TRANSACTION_CHANNEL", "INVALID_DEPOSIT_AMOUNT", "DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET", "ACCOUNT_IS_LOCKED",
]);

/**
 * The TPP form of a v2-style SandboxError met while serving the Payments API: a refused money movement is
 * PAYMENT_FAILED, malformed JSON INVALID_REQUEST_BODY, a body over the size limit FORMAT_ERROR (413), anything
 * else FORMAT_ERROR (4xx), RESOURCE_UNKNOWN (404) or SERVICE_INVALID (5xx).
 */
export function tppFromSandboxError(e: SandboxError): TppError {
  const text = e.errorSource ? `${e.errorReason}: ${e.errorSource}` : e.errorReason;
  if (PAYMENT_FAILURES.has(e.errorReason)) return tppError("PAYMENT_FAILED", text);
  if (e.errorReason === "INVALID_JSON_SYNTAX") return tppError("INVALID_REQUEST_BODY", text);
  if (e.errorReason === "INVALID_CREDENTIALS") return tppError("SERVICE_INVALID", "invalid or missing apikey", undefined, 401);
  if (e.status === 404) return tppError("RESOURCE_UNKNOWN", text, undefined, 404);
  if (e.status >= 500) return tppError("SERVICE_INVALID", text, undefined, e.status);
  return tppError("FORMAT_ERROR", text, undefined, e.status >= 400 ? e.status : 400);
}
