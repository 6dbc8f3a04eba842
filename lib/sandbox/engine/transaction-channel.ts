/**
 * The transaction channel of a loan or deposit transaction, checked as Mambu checks it — the one place the
 * engine reads the channel a request names (`transactionDetails.transactionChannelId` / `transactionChannelKey`,
 * or a seizure's and a card transaction's `transactionChannelId`):
 *
 * - a channel the tenant does not have, or an INACTIVE one: 400 INVALID_TRANSACTION_CHANNEL;
 * - an id and a key naming two channels: 400 INCONSISTENCY_BETWEEN_CHANNEL_KEY_AND_ID;
 * - none named: the tenant's default channel (`GET /setup/general` `defaultTransactionChannelKey`) — except where
 *   the contract requires one (seizures, card transactions): 400 TRANSACTION_CHANNEL_IS_MANDATORY;
 * - a channel whose `loanConstraints` (loans) or `depositConstraints` (deposits) have usage LIMITED admits only
 *   the transactions its constraints match (PRODUCT by product key or id, TYPE by transaction type, AMOUNT by
 *   EQUALS / MORE_THAN / LESS_THAN / BETWEEN; all of them, or any with `matchFiltersOption` ANY): 400
 *   TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS otherwise.
 *
 * The transaction records both `transactionChannelId` and `transactionChannelKey`; the ledger books the
 * channel's GL account in place of FUND_SOURCE (ledger-rules.ts). Not modelled: `usageRights` (the sandbox's
 * API users have every right).
 */
import { WireRecord } from "../types";
import { invalidParameters, mambuError } from "../errors";
import { EngineContext } from "./context";
import { Dec, dec } from "./money";

/** What a transaction records of its channel. */
export interface TransactionChannelDetails {
  transactionChannelId: string;
  transactionChannelKey: string;
}

/** A transaction about to be posted through a channel. */
export interface ChannelRequest {
  /** What the request sent: its `transactionDetails` object (or `{ transactionChannelId }` for seizures and cards). */
  details: unknown;
  /** The loan or deposit account. */
  account: WireRecord;
  /** Which constraints apply: the channel's `loanConstraints` or `depositConstraints`. */
  kind: "LOAN" | "DEPOSIT";
  /** The transaction type (DEPOSIT, WITHDRAWAL, REPAYMENT, DISBURSEMENT, …), for TYPE constraints. */
  type: string;
  /** The amount, for AMOUNT constraints. */
  amount?: Dec | number | string;
  /** Whether the contract requires the channel (seizures, card transactions): no default then. */
  required?: boolean;
  /** The request field named in the refusals (default `transactionDetails.transactionChannelId`). */
  field?: string;
}

/** The tenant's default channel (the seed marks one `isDefault`), or undefined for a tenant without channels. */
export function defaultTransactionChannel(ctx: EngineContext): WireRecord | undefined {
  return ctx.store.all("transactionchannels").find((c) => c.isDefault === true);
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/**
 * The channel a loan or deposit transaction goes through, checked (see the module's header); undefined only for a
 * tenant that has no channel at all and a request that names none.
 */
export function transactionChannelFor(ctx: EngineContext, req: ChannelRequest): TransactionChannelDetails | undefined {
  const field = req.field ?? "transactionDetails.transactionChannelId";
  if (req.details !== undefined && req.details !== null && (typeof req.details !== "object" || Array.isArray(req.details))) {
    throw invalidParameters(`${field.replace(/\.[^.]*$/, "")} must be an object`);
  }
  const d = (req.details ?? {}) as { transactionChannelId?: unknown; transactionChannelKey?: unknown };
  for (const k of ["transactionChannelId", "transactionChannelKey"] as const) {
    if (d[k] !== undefined && d[k] !== null && typeof d[k] !== "string") throw mambuError("INVALID_TRANSACTION_CHANNEL", `${k}: not a string`);
  }
  const id = text(d.transactionChannelId);
  const key = text(d.transactionChannelKey);
  let channel: WireRecord | undefined;
  if (id === undefined && key === undefined) {
    if (req.required) throw mambuError("TRANSACTION_CHANNEL_IS_MANDATORY", field);
    channel = defaultTransactionChannel(ctx);
    if (!channel) return undefined;
  } else {
    const byId = id !== undefined ? ctx.store.find("transactionchannels", id) : undefined;
    const byKey = key !== undefined ? ctx.store.find("transactionchannels", key) : undefined;
    if ((id !== undefined && !byId) || (key !== undefined && !byKey)) {
      throw mambuError("INVALID_TRANSACTION_CHANNEL", `${field}: no transaction channel ${JSON.stringify((id !== undefined && !byId ? id : key)!.slice(0, 100))}`);
    }
    if (byId && byKey && byId !== byKey) throw mambuError("INCONSISTENCY_BETWEEN_CHANNEL_KEY_AND_ID", `${field}: ${id} is not the channel ${key}`);
    channel = (byId ?? byKey)!;
  }
  if (channel.state === "INACTIVE") throw mambuError("INVALID_TRANSACTION_CHANNEL", `${field}: transaction channel ${String(channel.id)} is INACTIVE`);
  checkConstraints(ctx, channel, req, field);
  return { transactionChannelId: String(channel.id), transactionChannelKey: channel.encodedKey };
}

/**
 * The request body with its `transactionDetails` replaced by the checked channel's (see
 * {@link transactionChannelFor}); what the engine's posting functions copy onto the transaction.
 */
export function withTransactionChannel(ctx: EngineContext, body: Record<string, unknown>, req: Omit<ChannelRequest, "details">): Record<string, unknown> {
  const channel = transactionChannelFor(ctx, { ...req, details: body.transactionDetails });
  if (!channel) return body;
  return { ...body, transactionDetails: channel };
}

interface Constraint {
  criteria?: unknown;
  operator?: unknown;
  value?: unknown;
  secondValue?: unknown;
  values?: unknown;
}

function checkConstraints(ctx: EngineContext, channel: WireRecord, req: ChannelRequest, field: string): void {
  const c = (req.kind === "LOAN" ? channel.loanConstraints : channel.depositConstraints) as { usage?: unknown; constraints?: unknown; matchFiltersOption?: unknown } | undefined;
  if (!c || c.usage !== "LIMITED") return;
  const list = (Array.isArray(c.constraints) ? c.constraints : []) as Constraint[];
  const results = list.map((k) => matches(ctx, k, req));
  const ok = c.matchFiltersOption === "ANY" ? results.some(Boolean) : results.length > 0 && results.every(Boolean);
  if (!ok) {
    throw mambuError("TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS", `${field}: transaction channel ${String(channel.id)} does not admit this ${req.type} (its ${req.kind === "LOAN" ? "loanConstraints" : "depositConstraints"})`);
  }
}

function matches(ctx: EngineContext, k: Constraint, req: ChannelRequest): boolean {
  const values = [k.value, ...(Array.isArray(k.values) ? k.values : [])].filter((v): v is string => typeof v === "string");
  if (k.criteria === "PRODUCT") {
    // the account's product, by encodedKey or id
    const key = typeof req.account.productTypeKey === "string" ? req.account.productTypeKey : undefined;
    const rec = key !== undefined ? ctx.store.find(req.kind === "LOAN" ? "loanproducts" : "depositproducts", key) : undefined;
    const product = [key, rec?.id].filter((v): v is string => typeof v === "string");
    return compareSet(k.operator, values, product);
  }
  if (k.criteria === "TYPE") return compareSet(k.operator, values, [req.type]);
  if (k.criteria === "AMOUNT") {
    if (req.amount === undefined) return k.operator === "EMPTY";
    if (k.operator === "EMPTY") return false;
    if (k.operator === "NOT_EMPTY") return true;
    const amount = dec(req.amount).abs();
    const num = (v: unknown): Dec | undefined => {
      try {
        return typeof v === "string" || typeof v === "number" ? dec(v) : undefined;
      } catch {
        return undefined;
      }
    };
    const a = num(k.value);
    const b = num(k.secondValue);
    if (k.operator === "EQUALS") return a !== undefined && amount.equals(a);
    if (k.operator === "MORE_THAN") return a !== undefined && amount.greaterThan(a);
    if (k.operator === "LESS_THAN") return a !== undefined && amount.lessThan(a);
    if (k.operator === "BETWEEN") return a !== undefined && b !== undefined && amount.greaterThanOrEqualTo(a) && amount.lessThanOrEqualTo(b);
  }
  return false;
}

/** EQUALS / IN: the subject is one of the values; EMPTY / NOT_EMPTY: whether the subject is there. */
function compareSet(operator: unknown, values: string[], subject: string[]): boolean {
  if (operator === "EMPTY") return subject.length === 0;
  if (operator === "NOT_EMPTY") return subject.length > 0;
  if (operator === "EQUALS" || operator === "IN") return subject.some((s) => values.includes(s));
  return false;
}
