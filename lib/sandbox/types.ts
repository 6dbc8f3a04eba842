/**
 * Shared shapes of the embedded sandbox: its state, its clock and its errors.
 * Records are kept exactly in Mambu's wire shape (plain JSON objects: amounts as JSON numbers,
 * date-times as ISO strings with the tenant's offset, dates as YYYY-MM-DD, custom field sets as
 * `_`-prefixed keys), so that serving them is a matter of copying.
 */

/** A Mambu record in wire shape. Every stored record has `encodedKey`; most have `id`. */
export type WireRecord = { encodedKey: string; id?: string; [field: string]: unknown };

/** Names of the sandbox's collections. */
export type CollectionName =
  | "branches"
  | "centres"
  | "clients"
  | "groups"
  | "loans"
  | "deposits"
  | "loanproducts"
  | "depositproducts"
  | "users"
  | "userroles"
  | "tasks"
  | "loanTransactions"
  | "depositTransactions"
  | "installments" /* keyed by loan encodedKey: not used as records; schedules live in `schedules` */
  | "customfields"
  | "customfieldsets"
  | "documents"
  | "comments"
  | "cards" /* cards linked to loan/deposit accounts (Card wire shape + accountKey) */
  | "authorizationholds" /* card authorization holds (GetAuthorizationHold wire shape) */
  | "blockfunds" /* deposit fund blocks (BlockFund wire shape) */
  | "creditarrangements"
  | "bulks" /* bulk process status records (GET /bulks/{bulkProcessKey}) */
  | "glaccounts"
  | "gljournalentries"
  | "accountingreports"
  | "currencies" /* currencies with their accounting rates (Currency wire shape + rates) */
  | "indexratesources" /* index rate sources with their index rates */
  | "transactionchannels"
  | "holidays"
  | "idtemplates" /* identification document templates */
  | "apiconsumers" /* API consumers (ApiConsumer wire shape) */
  | "apikeys" /* API consumers' API keys and secret keys (hashed; never the plain value) */
  | "dataimports" /* data imports (POST /data/import) with their status and rows */
  | "messages" /* communication messages (CommunicationMessage wire shape) */
  | "svccurrencies" /* Services API (/v1) currencies: { id: code, wire } (services/store.ts) */
  | "svcaccountingrates" /* Services API accounting rates: { id: rate_id, parent: code, wire } */
  | "svcexchangerates" /* Services API exchange rates: { id: rate_id, parent: code, wire } */
  | "svcsources" /* Services API index rate sources: { id: source_id, wire } */
  | "svcindexrates" /* Services API index rates: { id: rate_id, parent: source_id, wire } */
  | "payidentifications" /* Payments API (/api/v1): external identifications (IBAN/other) of Mambu accounts (payments/identifications.ts) */
  | "payblockingrules" /* Payments API: SEPA direct-debit blocking rules per account (payments/blocking-rules.ts) */
  | "paypayments" /* Payments API: credit transfers sent and received, with their status (payments/payment-records.ts) */
  | "payincoming" /* Payments API: incoming ISO 20022 messages, by messageId (payments/incoming.ts) */
  | "paycollections" /* Payments API: SEPA direct-debit collections (payments/collections*.ts) */
  | "paystandingorders" /* Payments API: standing orders (payments/standing-orders*.ts) */
  | "paysoexecutions" /* Payments API: standing order executions (payments/standing-orders*.ts) */;

/** A collection: records by encodedKey, in insertion order, plus an index id → encodedKey. */
export interface Collection {
  readonly byKey: Map<string, WireRecord>;
  readonly idIndex: Map<string, string>;
}

/** The tenant's clock: tests move it forward so that installments fall due and arrears happen. */
export interface SandboxClockLike {
  /** Current instant as ISO date-time with the tenant offset, e.g. `2026-01-15T10:00:00+02:00`. */
  nowIso(): string;
  /** Current date in the tenant's zone, `YYYY-MM-DD`. */
  today(): string;
  /** The tenant's UTC offset, e.g. `+02:00`. */
  readonly offset: string;
  /** Moves the clock forward (or back with negative values). */
  advance(by: { days?: number; hours?: number; minutes?: number }): void;
  /** Sets the clock to an ISO date or date-time. */
  set(iso: string): void;
}

/** An error the sandbox answers with, in Mambu's format `{"errors":[{errorCode, errorSource?, errorReason}]}`. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    readonly errorReason: string,
    readonly errorSource?: string,
  ) {
    super(`${errorCode} (${status}) - ${errorReason}${errorSource ? ` (${errorSource})` : ""}`);
    this.name = "SandboxError";
  }

  /** The response body Mambu would send. */
  toBody(): { errors: Array<{ errorCode: number; errorSource?: string; errorReason: string }> } {
    const e: { errorCode: number; errorSource?: string; errorReason: string } = { errorCode: this.errorCode, errorReason: this.errorReason };
    if (this.errorSource !== undefined) e.errorSource = this.errorSource;
    return { errors: [e] };
  }
}
