/**
 * What the sandbox books for each transaction of the accounts engine: the product's accounting rules
 * (`accountingSettings.accountingRules`, financial resource → GL account) turned into balanced journal lines.
 *
 * Products with accountingMethod NONE (or none) post nothing. CASH products book income when it is paid, so
 * applied interest, fees and penalties, their reductions and a termination post nothing. ACCRUAL products book
 * fees and penalties when they are applied (FEE_APPLIED, PENALTY_APPLIED and the disbursement's fees that fall
 * due later: DR FEE_RECEIVABLE / PENALTY_RECEIVABLE, CR FEE_INCOME / PENALTY_INCOME; FEES_DUE_REDUCED and
 * PENALTIES_DUE_REDUCED the reverse), and payments, transfers and write-offs then clear the receivables instead
 * of booking income; interest stays booked when paid (the sandbox posts no daily interest accruals).
 *
 * Loans (amounts from the transaction's `affectedAmounts`, i.e. the replayed split):
 * - DISBURSEMENT: DR PORTFOLIO_CONTROL amount; CR FUND_SOURCE amount − upfront fees; CR FEE_INCOME upfront fees.
 * - REPAYMENT, TRANSFER (reschedule/refinance, paid by the new account): DR FUND_SOURCE total; CR
 *   PORTFOLIO_CONTROL principal, INTEREST_INCOME interest, FEE_INCOME fees, PENALTY_INCOME penalty.
 * - REDRAW_REPAYMENT (paid from the redraw balance): DR PORTFOLIO_CONTROL interest + fees + penalty; CR the incomes.
 * - PAYMENT_MADE: DR FUND_SOURCE; CR PORTFOLIO_CONTROL. WITHDRAWAL_REDRAW: DR PORTFOLIO_CONTROL; CR FUND_SOURCE.
 * - WRITE_OFF: DR WRITE_OFF_EXPENSE principal; CR PORTFOLIO_CONTROL principal (ACCRUAL: also the fees and
 *   penalty owed, from the receivables to WRITE_OFF_EXPENSE).
 * Deposits (signed amounts: credit > 0): the SAVINGS_CONTROL account takes the movement (credit for money in,
 * debit for money out), the other side is FEE_INCOME for FEE_APPLIED, INTEREST_EXPENSE for INTEREST_APPLIED,
 * OVERDRAFT_WRITE_OFF_EXPENSE for WRITE_OFF (an overdraft written off at closure) and FUND_SOURCE for DEPOSIT,
 * WITHDRAWAL, TRANSFER, CARD_TRANSACTION_REVERSAL, SEIZED_AMOUNT, LOAN_FUNDED, LOAN_REPAID, LOAN_FRACTION_BOUGHT,
 * LOAN_FRACTION_SOLD, WITHDRAWAL_REDRAW.
 * A transaction naming a transaction channel with a GL account books that account instead of FUND_SOURCE.
 * Adjustments (`originalTransactionKey`, type `*_ADJUSTMENT` or FEE_ADJUSTED) post the reverse of what the
 * original's entries still book.
 *
 * Skipped explicitly (no entries, never half a transaction): a type outside these lists (see
 * {@link NO_GL_EFFECT} for the types that book nothing by design), and any transaction whose product lacks a
 * rule (or a GL account) for a resource it needs.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { Dec, ZERO, dec, sum } from "./money";

/** A journal line before it is stored. */
export interface JournalLine {
  glAccountKey: string;
  type: "DEBIT" | "CREDIT";
  amount: Dec;
}

/** Product kind of the account a transaction belongs to, as GLJournalEntry.productType. */
export type LedgerProductType = "LOAN" | "SAVINGS";

/**
 * Loan transaction types that book nothing by design (interest is booked when paid; no money moves); under CASH
 * also FEE_APPLIED, PENALTY_APPLIED, FEES_DUE_REDUCED and PENALTIES_DUE_REDUCED.
 */
export const NO_GL_EFFECT = new Set([
  "INTEREST_APPLIED", "INTEREST_DUE_REDUCED",
  "ACCOUNT_TERMINATED", "INTEREST_LOCKED", "INTEREST_UNLOCKED", "FEE_LOCKED", "FEE_UNLOCKED", "PENALTY_LOCKED", "PENALTY_UNLOCKED",
  "INTEREST_RATE_CHANGED", "TERMS_CHANGED", "DUE_DATE_CHANGED", "BRANCH_CHANGED", "ACCOUNT_HOLDER_CHANGED",
  "PENALTY_RATE_CHANGED",
]);

/** Deposit transaction types and the resource on the other side of SAVINGS_CONTROL. */
const DEPOSIT_COUNTERPART = new Map<string, string>([
  ["DEPOSIT", "FUND_SOURCE"], ["WITHDRAWAL", "FUND_SOURCE"], ["TRANSFER", "FUND_SOURCE"], ["CARD_TRANSACTION_REVERSAL", "FUND_SOURCE"],
  ["SEIZED_AMOUNT", "FUND_SOURCE"], ["LOAN_FUNDED", "FUND_SOURCE"], ["LOAN_REPAID", "FUND_SOURCE"], ["LOAN_FRACTION_BOUGHT", "FUND_SOURCE"],
  ["LOAN_FRACTION_SOLD", "FUND_SOURCE"], ["WITHDRAWAL_REDRAW", "FUND_SOURCE"],
  ["FEE_APPLIED", "FEE_INCOME"], ["INTEREST_APPLIED", "INTEREST_EXPENSE"], ["WRITE_OFF", "OVERDRAFT_WRITE_OFF_EXPENSE"],
]);

/** Loan transaction types whose lines come from `affectedAmounts` alone, or that book nothing (see {@link loanSpec}). */
const FROM_AFFECTED_AMOUNTS = new Set([
  "REPAYMENT", "TRANSFER", "REDRAW_REPAYMENT", "WRITE_OFF", "FEE_APPLIED", "PENALTY_APPLIED", "FEES_DUE_REDUCED", "PENALTIES_DUE_REDUCED",
  ...NO_GL_EFFECT,
]);

/**
 * Whether a loan transaction books no line yet: not an adjustment, and of a type whose lines come from its
 * `affectedAmounts` alone while it has none (a new transaction before the replay writes its effect in; the sync
 * that writes it posts its entries).
 */
export function booksNothingYet(tx: WireRecord): boolean {
  return tx.affectedAmounts === undefined && FROM_AFFECTED_AMOUNTS.has(String(tx.type)) && !isReversal(tx);
}

/** Whether a transaction is the adjustment (reversal) of another one. */
export function isReversal(tx: WireRecord): boolean {
  const type = String(tx.type);
  return typeof tx.originalTransactionKey === "string" && (type.endsWith("ADJUSTMENT") || type === "FEE_ADJUSTED");
}

/** The product of an account (loan or deposit), or undefined. */
export function productOf(ctx: EngineContext, account: WireRecord, kind: LedgerProductType): WireRecord | undefined {
  const key = account.productTypeKey;
  if (typeof key !== "string") return undefined;
  return ctx.store.find(kind === "LOAN" ? "loanproducts" : "depositproducts", key);
}

/** A product's accounting method when it keeps books (CASH or ACCRUAL), else undefined. */
export function accountingMethod(product: WireRecord | undefined): "CASH" | "ACCRUAL" | undefined {
  const m = (product?.accountingSettings as { accountingMethod?: unknown } | undefined)?.accountingMethod;
  return m === "CASH" || m === "ACCRUAL" ? m : undefined;
}

/** A product's rules as financial resource → GL account encodedKey; undefined when it keeps no books. */
export function productRules(product: WireRecord | undefined): Map<string, string> | undefined {
  const settings = (product?.accountingSettings ?? {}) as { accountingMethod?: unknown; accountingRules?: unknown };
  if (!accountingMethod(product)) return undefined;
  const rules = new Map<string, string>();
  if (Array.isArray(settings.accountingRules)) {
    for (const r of settings.accountingRules as Array<{ financialResource?: unknown; glAccountKey?: unknown }>) {
      if (r && typeof r.financialResource === "string" && typeof r.glAccountKey === "string") rules.set(r.financialResource, r.glAccountKey);
    }
  }
  return rules;
}

type Spec = Array<[resource: string, type: "DEBIT" | "CREDIT", amount: Dec]>;

function loanSpec(tx: WireRecord, accrual: boolean): Spec | undefined {
  const a = (tx.affectedAmounts ?? {}) as Record<string, unknown>;
  const p = dec(a.principalAmount);
  const i = dec(a.interestAmount);
  const f = dec(a.feesAmount);
  const pen = dec(a.penaltyAmount);
  const amount = dec(tx.amount);
  // where paid (or transferred, or written off) fees and penalty go: income (CASH) or the receivables (ACCRUAL)
  const feeTo = accrual ? "FEE_RECEIVABLE" : "FEE_INCOME";
  const penaltyTo = accrual ? "PENALTY_RECEIVABLE" : "PENALTY_INCOME";
  switch (String(tx.type)) {
    case "DISBURSEMENT": {
      const fees = Array.isArray(tx.fees) ? (tx.fees as Array<{ amount?: unknown; trigger?: unknown }>) : [];
      const upfront = sum(fees.filter((x) => x.trigger === "UPFRONT_DISBURSEMENT").map((x) => dec(x.amount)));
      const spec: Spec = [["PORTFOLIO_CONTROL", "DEBIT", amount], ["FUND_SOURCE", "CREDIT", amount.minus(upfront)], ["FEE_INCOME", "CREDIT", upfront]];
      // fees charged at disbursement that fall due with installment 1 (affectedAmounts.feesAmount counts the upfront ones too)
      if (accrual) spec.push(["FEE_RECEIVABLE", "DEBIT", f.minus(upfront)], ["FEE_INCOME", "CREDIT", f.minus(upfront)]);
      return spec;
    }
    case "REPAYMENT":
    case "TRANSFER":
      return [
        ["FUND_SOURCE", "DEBIT", p.plus(i).plus(f).plus(pen)],
        ["PORTFOLIO_CONTROL", "CREDIT", p], ["INTEREST_INCOME", "CREDIT", i], [feeTo, "CREDIT", f], [penaltyTo, "CREDIT", pen],
      ];
    case "REDRAW_REPAYMENT":
      return [["PORTFOLIO_CONTROL", "DEBIT", i.plus(f).plus(pen)], ["INTEREST_INCOME", "CREDIT", i], [feeTo, "CREDIT", f], [penaltyTo, "CREDIT", pen]];
    case "PAYMENT_MADE":
      return [["FUND_SOURCE", "DEBIT", amount], ["PORTFOLIO_CONTROL", "CREDIT", amount]];
    case "WITHDRAWAL_REDRAW":
      return [["PORTFOLIO_CONTROL", "DEBIT", amount], ["FUND_SOURCE", "CREDIT", amount]];
    case "WRITE_OFF":
      return accrual
        ? [["WRITE_OFF_EXPENSE", "DEBIT", p.plus(f).plus(pen)], ["PORTFOLIO_CONTROL", "CREDIT", p], [feeTo, "CREDIT", f], [penaltyTo, "CREDIT", pen]]
        : [["WRITE_OFF_EXPENSE", "DEBIT", p], ["PORTFOLIO_CONTROL", "CREDIT", p]];
    case "FEE_APPLIED":
      return accrual ? [["FEE_RECEIVABLE", "DEBIT", f], ["FEE_INCOME", "CREDIT", f]] : [];
    case "PENALTY_APPLIED":
      return accrual ? [["PENALTY_RECEIVABLE", "DEBIT", pen], ["PENALTY_INCOME", "CREDIT", pen]] : [];
    case "FEES_DUE_REDUCED":
      return accrual ? [["FEE_INCOME", "DEBIT", f], ["FEE_RECEIVABLE", "CREDIT", f]] : [];
    case "PENALTIES_DUE_REDUCED":
      return accrual ? [["PENALTY_INCOME", "DEBIT", pen], ["PENALTY_RECEIVABLE", "CREDIT", pen]] : [];
    default:
      return NO_GL_EFFECT.has(String(tx.type)) ? [] : undefined;
  }
}

function depositSpec(tx: WireRecord): Spec | undefined {
  const counterpart = DEPOSIT_COUNTERPART.get(String(tx.type));
  if (!counterpart) return undefined;
  const a = dec(tx.amount);
  const credit = a.greaterThan(0);
  return [["SAVINGS_CONTROL", credit ? "CREDIT" : "DEBIT", a.abs()], [counterpart, credit ? "DEBIT" : "CREDIT", a.abs()]];
}

/**
 * The lines a (non-adjustment) transaction books under its product's rules: `[]` for nothing to book,
 * undefined when it is skipped (no books, unmapped type or missing rule).
 */
export function plannedLines(ctx: EngineContext, tx: WireRecord, account: WireRecord, kind: LedgerProductType): JournalLine[] | undefined {
  const product = productOf(ctx, account, kind);
  const rules = productRules(product);
  if (!rules) return undefined;
  const spec = kind === "LOAN" ? loanSpec(tx, accountingMethod(product) === "ACCRUAL") : depositSpec(tx);
  if (!spec) return undefined;
  const lines: JournalLine[] = [];
  const channelGl = channelGlAccount(ctx, tx);
  for (const [resource, type, amount] of spec) {
    if (amount.isZero()) continue;
    const key = resource === "FUND_SOURCE" && channelGl ? channelGl : rules.get(resource);
    if (!key || !ctx.store.find("glaccounts", key)) return undefined;
    // a negative amount (never expected) books on the other side rather than unbalancing
    lines.push(amount.isNegative() ? { glAccountKey: key, type: type === "DEBIT" ? "CREDIT" : "DEBIT", amount: amount.negated() } : { glAccountKey: key, type, amount });
  }
  const debits = sum(lines.filter((l) => l.type === "DEBIT").map((l) => l.amount));
  const credits = sum(lines.filter((l) => l.type === "CREDIT").map((l) => l.amount));
  return debits.equals(credits) ? lines : undefined;
}

/**
 * The GL account (encodedKey) of the transaction channel a transaction names (`transactionDetails`
 * `transactionChannelId` / `transactionChannelKey`), which takes the place of FUND_SOURCE as in Mambu; undefined
 * when it names none or the channel has no (known) `glAccount`.
 */
export function channelGlAccount(ctx: EngineContext, tx: WireRecord): string | undefined {
  const details = (tx.transactionDetails ?? {}) as { transactionChannelId?: unknown; transactionChannelKey?: unknown };
  const ref = typeof details.transactionChannelKey === "string" ? details.transactionChannelKey : details.transactionChannelId;
  if (typeof ref !== "string" || ref === "") return undefined;
  const channel = ctx.store.find("transactionchannels", ref);
  const gl = channel?.glAccount;
  if (typeof gl !== "string" || gl === "") return undefined;
  const account = ctx.store.find("glaccounts", gl) ?? ctx.store.all("glaccounts").find((g) => g.glCode === gl);
  return account && account.usage !== "HEADER" ? account.encodedKey : undefined;
}

/** Net of lines per GL account (debit positive), for comparing what is booked with what should be. */
export function netByAccount(lines: Array<{ glAccountKey: string; type: string; amount: Dec }>): Map<string, Dec> {
  const out = new Map<string, Dec>();
  for (const l of lines) out.set(l.glAccountKey, (out.get(l.glAccountKey) ?? ZERO).plus(l.type === "DEBIT" ? l.amount : l.amount.negated()));
  for (const [k, v] of out) if (v.isZero()) out.delete(k);
  return out;
}
