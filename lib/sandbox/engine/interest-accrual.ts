/**
 * `POST /accounting/interestaccrual:search`: the interest the engine has accrued by the sandbox clock, as
 * Mambu's interest accrual breakdown (one InterestAccrualBreakdown per account, GL account and day).
 *
 * What is accrued is what the loan shows as `accruedInterest` (loan-common.ts): for a running loan whose interest
 * is applied on the repayment due dates, the interest of the current installment accrues day by day from the
 * previous due date (or the disbursement) — the accrual of day k of a period of n days is
 * `round(I·k/n) − round(I·(k−1)/n)`, so the days of the period sum exactly to the loan's `accruedInterest`. Each day
 * gives a DEBIT on the product's INTEREST_RECEIVABLE GL account and a CREDIT on its INTEREST_INCOME one (a product
 * without both rules has no accrual breakdown). Days are booked up to yesterday (today's accrual runs at the end
 * of the day). These entries are the breakdown only: the sandbox's ledger books interest when it is paid (see
 * ledger-rules.ts), so they carry no `parentEntryId` / `transactionId` of a journal entry.
 *
 * `entryId` is stable while the loan exists: (days since 1970-01-01 of the booking day)·10⁶ + 2·(the loan's
 * position in the store) + (0 debit, 1 credit).
 */
import { WireRecord } from "../types";
import { runSearch, SearchSpec } from "../search";
import { EngineContext, EngineRequest, EngineResult, EngineRoute } from "./context";
import { addDays, daysBetween, localDate, startOfDay } from "./dates";
import { outstandingElements } from "./allocation";
import { frameOf, replay, RUNNING } from "./loan-common";
import { productOf, productRules } from "./ledger-rules";
import { Dec, ZERO, num, round } from "./money";
import { path } from "./products";
import { parsePaging } from "../list";

/** Most breakdown entries one search computes (a safety bound: 2 per day of a running period per loan). */
export const MAX_ACCRUAL_ENTRIES = 200_000;

/** The running period of a loan and the interest accruing over it, or undefined when nothing accrues. */
interface AccrualPeriod {
  from: string;
  days: number;
  elapsed: number;
  interest: Dec;
  dp: number;
}

function accrualPeriod(ctx: EngineContext, loan: WireRecord, today: string): AccrualPeriod | undefined {
  if (!RUNNING.has(String(loan.accountState))) return undefined;
  const frame = frameOf(ctx, loan);
  if (frame.opts.interestApplicationMethod !== "REPAYMENT_DUE_DATE") return undefined;
  const ledger = replay(ctx, frame);
  if (!ledger.disbursed || ledger.writtenOff) return undefined;
  const idx = ledger.installments.findIndex((i) => i.dueDate > today);
  if (idx < 0) return undefined;
  const disbursed = path(loan, "disbursementDetails", "disbursementDate");
  const from = idx === 0 ? (typeof disbursed === "string" ? localDate(disbursed, ctx.clock.offset) : undefined) : ledger.installments[idx - 1].dueDate;
  if (!from) return undefined;
  const days = daysBetween(from, ledger.installments[idx].dueDate);
  const elapsed = Math.min(Math.max(0, daysBetween(from, today)), days);
  if (days <= 0 || elapsed <= 0) return undefined;
  return { from, days, elapsed, interest: outstandingElements(ledger.installments[idx]).interest, dp: frame.dp };
}

const EPOCH = "1970-01-01";

/** The breakdown entries of every running loan, by the sandbox clock (records in wire shape). */
export function interestAccruals(ctx: EngineContext): WireRecord[] {
  const today = ctx.clock.today();
  const off = ctx.clock.offset;
  const out: WireRecord[] = [];
  const loans = ctx.store.all("loans");
  loans.forEach((loan, position) => {
    const rules = productRules(productOf(ctx, loan, "LOAN"));
    const receivable = rules?.get("INTEREST_RECEIVABLE");
    const income = rules?.get("INTEREST_INCOME");
    const debitGl = receivable ? ctx.store.find("glaccounts", receivable) : undefined;
    const creditGl = income ? ctx.store.find("glaccounts", income) : undefined;
    if (!debitGl || !creditGl) return;
    const period = accrualPeriod(ctx, loan, today);
    if (!period) return;
    const product = productOf(ctx, loan, "LOAN");
    const branch = typeof loan.assignedBranchKey === "string" ? ctx.store.find("branches", loan.assignedBranchKey) : undefined;
    let before: Dec = ZERO;
    for (let k = 1; k <= period.elapsed; k++) {
      if (out.length >= MAX_ACCRUAL_ENTRIES) return;
      const cumulative = round(period.interest.times(k).dividedBy(period.days), period.dp);
      const amount = cumulative.minus(before);
      before = cumulative;
      if (amount.isZero()) continue;
      const day = addDays(period.from, k - 1);
      const base = daysBetween(EPOCH, day) * 1_000_000 + 2 * position;
      const common: WireRecord = {
        encodedKey: `accrual-${loan.encodedKey}-${day}`,
        accountId: String(loan.id),
        accountKey: loan.encodedKey,
        productType: "LOAN",
        productId: product ? String(product.id) : undefined,
        productKey: typeof loan.productTypeKey === "string" ? loan.productTypeKey : undefined,
        branchKey: branch?.encodedKey,
        branchName: typeof branch?.name === "string" ? branch.name : undefined,
        amount: num(amount, period.dp),
        bookingDate: startOfDay(day, off),
        creationDate: new Date(Date.parse(startOfDay(addDays(day, 1), off))).toISOString().replace(/\.\d{3}Z$/, "Z"),
      };
      for (const [gl, entryType, n] of [[debitGl, "DEBIT", 0], [creditGl, "CREDIT", 1]] as const) {
        out.push({
          ...common,
          entryId: base + n,
          entryType,
          glAccountKey: gl.encodedKey,
          glAccountId: String(gl.glCode),
          glAccountName: String(gl.name),
          glAccountType: String(gl.type),
        });
      }
    }
  });
  return out;
}

/** The breakdown record in wire shape (without the sandbox's own `encodedKey`, no undefined fields). */
function wire(e: WireRecord): WireRecord {
  const out: WireRecord = {} as WireRecord;
  for (const [k, v] of Object.entries(e)) if (v !== undefined && k !== "encodedKey") (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Search fields of InterestAccrualFilterCriteria / InterestAccrualSortingCriteria on the breakdown records. */
const SEARCH: SearchSpec = {
  resource: "accounting_interestaccrual",
  filterDefinition: "InterestAccrualFilterCriteria",
  sortDefinition: "InterestAccrualSortingCriteria",
  accessors: {
    debit: (e) => (e.entryType === "DEBIT" ? e.amount : undefined),
    credit: (e) => (e.entryType === "CREDIT" ? e.amount : undefined),
  },
};

function search(ctx: EngineContext, req: EngineRequest): EngineResult {
  const found = runSearch(SEARCH, interestAccruals(ctx), req.body, ctx as never);
  const paging = parsePaging(req.query);
  const body = found.slice(paging.offset, paging.offset + paging.limit).map(wire);
  const headers = paging.details ? { "items-total": String(found.length), "items-limit": String(paging.limit), "items-offset": String(paging.offset) } : undefined;
  return { status: 200, body, headers };
}

/** The route of the interest accrual breakdown (spread into routes-accounting.ts). */
export const accrualRoutes: EngineRoute[] = [{ method: "POST", template: "/accounting/interestaccrual:search", handle: search }];
