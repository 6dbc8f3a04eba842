/**
 * How the Services API's card operations read and write their wire values over API v2's card engine: the card's
 * account (its currency and decimals, Debit or Credit), amounts (`{ value, currency }`, exact decimal strings in
 * the account's currency, never more decimals than the currency has: nothing is rounded), card acceptors (the
 * Services `Acceptor` ↔ v2's `CardAcceptor`) and timestamps (answered in UTC, `Z`).
 */
import Decimal from "decimal.js";
import { invalidParameters, mambuError } from "../errors";
import { cardAccount, requireCard, type CardAccountKind } from "../engine/cards";
import { depositCurrency } from "../engine/deposit-common";
import { loanCurrency } from "../engine/loan-common";
import type { WireRecord } from "../types";
import type { SandboxContext } from "../router";

/** The account behind a card, as the Services operations need it. */
export interface CardAccountInfo {
  kind: CardAccountKind;
  account: WireRecord;
  /** The account's currency (ISO 4217). */
  currency: string;
  /** The currency's decimals. */
  dp: number;
  /** `Debit` for a deposit account, `Credit` for a loan account. */
  cardType: "Debit" | "Credit";
}

/** A wire Amount. */
export interface WireAmount {
  value: string;
  currency: string;
}

/** The account of a card (404 CARD_REFERENCE_NOT_FOUND for an unknown card). */
export function cardAccountOf(ctx: SandboxContext, cardId: string): CardAccountInfo {
  const { kind, account } = cardAccount(ctx, requireCard(ctx, cardId));
  const { code, dp } = kind === "loans" ? loanCurrency(account) : depositCurrency(account);
  return { kind, account, currency: code, dp, cardType: kind === "loans" ? "Credit" : "Debit" };
}

/**
 * The value of a request's Amount in the account's currency: 400 INVALID_PARAMETERS for another currency, 400
 * INVALID_AMOUNT for zero, for a negative value (unless `signed`) and for more decimals than the currency has.
 */
export function amountIn(info: CardAccountInfo, v: unknown, field: string, signed = false): Decimal {
  const a = v as Partial<WireAmount> | undefined;
  if (!a || typeof a.value !== "string" || typeof a.currency !== "string") throw invalidParameters(`${field}: expected { value, currency }`);
  if (a.currency !== info.currency) {
    throw invalidParameters(`${field}.currency: the card's account is in ${info.currency}, got ${a.currency.slice(0, 8)} (give the payment's own sum as original_amount)`);
  }
  if (!/^-?[0-9]{1,19}(\.[0-9]{1,9})?$/.test(a.value)) throw mambuError("INVALID_AMOUNT", `${field}.value: not a decimal string: ${JSON.stringify(a.value.slice(0, 40))}`);
  const d = new Decimal(a.value);
  if (d.isZero()) throw mambuError("INVALID_AMOUNT", `${field}.value: must not be zero`);
  if (!signed && d.isNegative()) throw mambuError("INVALID_AMOUNT", `${field}.value: must be positive, got ${a.value}`);
  if (d.decimalPlaces() > info.dp) throw mambuError("INVALID_AMOUNT", `${field}.value: ${info.currency} has ${info.dp} decimals, got ${a.value} (the sandbox never rounds money)`);
  return d;
}

/** A wire Amount of an engine sum (a JSON number or a decimal), written with the currency's decimals. */
export function amountOut(value: unknown, currency: string, dp: number): WireAmount {
  return { value: new Decimal(String(value)).toFixed(dp), currency };
}

/** v2's CardAcceptor of a Services Acceptor (address line1 and line2 become one `street`, split by a newline). */
export function acceptorToV2(a: unknown): Record<string, unknown> | undefined {
  if (!a || typeof a !== "object") return undefined;
  const s = a as { name?: string; m_c_c?: number; address?: Record<string, string | undefined> };
  const out: Record<string, unknown> = {};
  if (s.name !== undefined) out.name = s.name;
  if (s.m_c_c !== undefined) out.mcc = s.m_c_c;
  const addr = s.address ?? {};
  if (addr.line1 !== undefined || addr.line2 !== undefined) out.street = addr.line2 === undefined ? addr.line1 : `${addr.line1 ?? ""}\n${addr.line2}`;
  if (addr.city !== undefined) out.city = addr.city;
  if (addr.region !== undefined) out.state = addr.region;
  if (addr.postcode !== undefined) out.zip = addr.postcode;
  if (addr.country !== undefined) out.country = addr.country;
  return out;
}

/** The Services Acceptor of a v2 CardAcceptor (the inverse of {@link acceptorToV2}). */
export function acceptorFromV2(a: unknown): Record<string, unknown> | undefined {
  if (!a || typeof a !== "object") return undefined;
  const v = a as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof v.name === "string") out.name = v.name;
  if (typeof v.mcc === "number") out.m_c_c = v.mcc;
  const addr: Record<string, string> = {};
  if (typeof v.street === "string") {
    const nl = v.street.indexOf("\n");
    if (nl < 0) addr.line1 = v.street;
    else {
      if (nl > 0) addr.line1 = v.street.slice(0, nl);
      addr.line2 = v.street.slice(nl + 1);
    }
  }
  for (const [from, to] of [["city", "city"], ["state", "region"], ["zip", "postcode"], ["country", "country"]] as const) {
    if (typeof v[from] === "string") addr[to] = v[from] as string;
  }
  if (Object.keys(addr).length) out.address = addr;
  return out;
}

/** A timestamp as answers write it: UTC with `Z` (whole seconds without a fraction); undefined stays undefined. */
export function utcOut(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(".000Z", "Z");
}

/** Refuses a card `type` that is not the card's (a deposit's card is Debit, a loan's Credit). */
export function checkCardType(info: CardAccountInfo, type: unknown): void {
  if (type !== undefined && type !== info.cardType) throw invalidParameters(`type: the card's account makes it a ${info.cardType} card, got ${JSON.stringify(type)}`);
}

/** Refuses a path identifier repeated in a body with another value. */
export function samePathId(body: Record<string, unknown>, field: string, pathValue: string): void {
  if (body[field] !== undefined && body[field] !== pathValue) throw invalidParameters(`${field}: must equal the path's ${field} "${pathValue.slice(0, 64)}"`);
}
