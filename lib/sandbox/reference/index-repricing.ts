/**
 * Running loans follow their index (decision `index-rates-drive-loans` of services-v1.json): a loan whose rate
 * source is INDEX_INTEREST_RATE, on a product indexed on a source (`indexRateSettings.indexSourceKey`), has as rate
 * the index's rate in force plus its spread (within the product's floor and ceiling: ./index-rates.ts
 * `indexedRate`). When the rate in force changes, the running (ACTIVE, ACTIVE_IN_ARREARS) loans of that index move
 * to the new rate through the `:changeInterestRate` machinery (../engine/loan-settings.ts `repriceIndexedLoan`:
 * the schedule's tail recomputed from the value date, an INTEREST_RATE_CHANGED transaction):
 * - a rate comes into force at its start: loans follow it from that start once the sandbox clock has reached it
 *   (looked at after each Services index rate write and before each API v2 `/loans` request, as arrears are);
 * - a rate written (created, replaced or deleted, through either API) with a start before the last look — a
 *   back-dated one — is followed from the moment of the write: interest already due is not rewritten.
 * Loans not yet disbursed keep the rate set when they were created; a loan already at the target rate is left as it
 * is (no transaction); a loan the engine cannot change (e.g. a penalty on an installment that would be recomputed)
 * is left at its rate. The first look only sets the starting point: nothing before it is followed retroactively.
 */
import type Decimal from "decimal.js";
import { DateTime } from "luxon";
import { repriceIndexedLoan } from "../engine/loan-settings";
import type { SandboxContext } from "../router";
import type { SandboxStore } from "../store";
import type { WireRecord } from "../types";
import { decOf, INDEX_RATE_WRITE_PENDING, indexedRate, indexRateInForce, indexRatesOf, indexSettingsOf } from "./index-rates";
import { instantOf, tenantIso } from "./rate-dates";

/** `store.extra` key: the instant up to which index rate starts have been followed. */
const FOLLOWED_UP_TO = "indexRatesFollowedUpTo";
const RUNNING = new Set(["ACTIVE", "ACTIVE_IN_ARREARS"]);

/** Per store: the earliest index rate start after the point followed up to (recomputed after each look). */
const nextStart = new WeakMap<SandboxStore, number>();

/** Every index rate start (both APIs: v2 sources' rates and the Services API's index rates), as instants. */
function allStarts(ctx: SandboxContext): number[] {
  const out: number[] = [];
  for (const src of ctx.store.all("indexratesources")) for (const r of indexRatesOf(src)) out.push(instantOf(r.startDate));
  for (const r of ctx.store.all("svcindexrates")) out.push(instantOf((r.wire as Record<string, unknown> | undefined)?.start_time));
  return out.filter((t) => !Number.isNaN(t));
}

/** The loan's product when both loan and product follow an index, with the product's index settings. */
function indexedLoan(ctx: SandboxContext, loan: WireRecord): { settings: Record<string, unknown> & { indexSourceKey: string }; spread: Decimal } | undefined {
  const is = loan.interestSettings as Record<string, unknown> | undefined;
  if (!RUNNING.has(String(loan.accountState)) || is?.interestRateSource !== "INDEX_INTEREST_RATE") return undefined;
  const product = typeof loan.productTypeKey === "string" ? ctx.store.find("loanproducts", loan.productTypeKey) : undefined;
  const settings = indexSettingsOf(product);
  const spread = decOf(is.interestSpread);
  return settings && spread ? { settings, spread } : undefined;
}

/** Moves each running indexed loan to its index's rate in force at `at` (an ISO date-time, not in the future). */
function followAt(ctx: SandboxContext, at: string): void {
  for (const loan of ctx.store.all("loans")) {
    const indexed = indexedLoan(ctx, loan);
    if (!indexed) continue;
    const index = indexRateInForce(ctx, indexed.settings.indexSourceKey, at);
    if (!index) continue;
    const target = indexedRate(indexed.settings, index.rate, indexed.spread);
    const current = (loan.interestSettings as Record<string, unknown>).interestRate;
    if (typeof current === "number" && target.toNumber() === current) continue;
    const disbursed = (loan.disbursementDetails as Record<string, unknown> | undefined)?.disbursementDate;
    const valueDate = typeof disbursed === "string" && instantOf(disbursed) > instantOf(at) ? disbursed : at;
    try {
      repriceIndexedLoan(ctx, loan.encodedKey, target, valueDate, `index rate ${index.rate.toString()} from ${index.startDate}`);
    } catch {
      // a loan the engine cannot change at that date keeps its rate (see the module comment)
    }
  }
}

/**
 * Brings running indexed loans to their index's rate in force: first at each index rate start reached since the
 * last look (in order), then at the moment of a pending index rate write (see the module comment).
 */
export function followIndexRates(ctx: SandboxContext): void {
  const extra = ctx.store.extra;
  const now = ctx.clock.nowIso();
  const t = instantOf(now);
  const pending = typeof extra[INDEX_RATE_WRITE_PENDING] === "string" ? (extra[INDEX_RATE_WRITE_PENDING] as string) : undefined;
  const mark = typeof extra[FOLLOWED_UP_TO] === "string" ? (extra[FOLLOWED_UP_TO] as string) : undefined;
  const next = nextStart.get(ctx.store);
  if (pending === undefined && mark !== undefined && next !== undefined && next > t) return;
  const from = mark === undefined ? t : instantOf(mark);
  const events: Array<{ at: string; t: number }> = [];
  if (from < t) {
    const starts = [...new Set(allStarts(ctx).filter((s) => s > from && s <= t))].sort((a, b) => a - b);
    for (const s of starts) events.push({ at: tenantIso(ctx, DateTime.fromMillis(s)), t: s });
  }
  if (pending !== undefined) events.push({ at: instantOf(pending) <= t ? pending : now, t: Math.min(instantOf(pending), t) });
  events.sort((a, b) => a.t - b.t);
  for (const e of events) followAt(ctx, e.at);
  extra[FOLLOWED_UP_TO] = now;
  delete extra[INDEX_RATE_WRITE_PENDING];
  nextStart.set(ctx.store, allStarts(ctx).reduce((m, s) => (s > t && s < m ? s : m), Infinity));
}
