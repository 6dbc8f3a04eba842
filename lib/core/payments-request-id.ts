/**
 * The `X-Request-ID` of Payments API requests (decisions D31 and D34 of payments-v1.json): every request the
 * library sends under `/api/v1` carries one — the caller's own, on the four initiations that declare the header
 * (`headers: { "X-Request-ID": ... }`), else a random v4 UUID. It is chosen once per call, before the first
 * attempt, so every retry of the call carries the same one (like the Idempotency-Key).
 */
import type { ApiName } from "../contract/schema";
import { randomUuidV4 } from "../transport";

/** The header's name as the contract writes it. */
export const PAYMENTS_REQUEST_ID_HEADER = "X-Request-ID";

/**
 * The header parameters of a call with the Payments API's `X-Request-ID` added when the caller gave none (other
 * APIs' headers unchanged).
 */
export function withPaymentsRequestId(api: ApiName, headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (api !== "payments") return headers;
  if (headers && Object.keys(headers).some((k) => k.toLowerCase() === "x-request-id")) return headers;
  return { ...(headers ?? {}), [PAYMENTS_REQUEST_ID_HEADER]: randomUuidV4() };
}
