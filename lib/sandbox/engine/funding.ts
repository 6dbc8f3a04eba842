/**
 * Investor funds of a loan (Swagger `InvestorFund`, the loan's `fundingSources`): deposit accounts of type
 * INVESTOR_ACCOUNT, each of a client or group (`guarantorKey`/`guarantorType`, the deposit's holder), fund a part
 * of a loan (`amount`, `sharePercentage` = amount ÷ loan amount × 100). The loan's product must have
 * `fundingSettings.enabled`.
 *
 * - `POST /loans/{id}/funding` adds funds, `PUT` replaces them all, `DELETE` removes all or one: only while the loan
 *   is PARTIAL_APPLICATION or PENDING_APPROVAL; the funds may not add up to more than the loan amount; each funding
 *   deposit must be active, in the loan's currency and have the fund amount available.
 * - APPROVE needs the funds to reach the product's `fundingSettings.requiredFunds` percentage of the loan amount.
 * - `GET /deposits/{id}/funding` lists the loans a deposit funds; `GET /deposits/{id}/funding/{loanId}/schedule`
 *   answers the deposit's share of the loan's schedule (see {@link funderSchedule}).
 * - `POST /fundingsources/{fundingSourceId}:sell` moves (part of) a fund to other investors' deposits.
 *
 * **Money on the funders' deposits** (each movement a deposit transaction posted through deposit-common's
 * `postMovement`, so `totalBalance` stays the sum of the transactions and `available = total − holds − blocks`):
 * - disbursement: each funding deposit pays its fund amount into the loan — a `LOAN_FUNDED` withdrawal of
 *   −amount, `transferDetails.linkedLoanTransactionKey` = the disbursement; the loan's disbursement itself is
 *   unchanged (the borrower receives the loan amount, the funded part coming from the investors);
 * - sale: each buyer's deposit pays the price (`LOAN_FRACTION_BOUGHT`, −price) and the seller's deposit receives it
 *   (`LOAN_FRACTION_SOLD`, +price), `affectedAmounts.fractionAmount` = the fund amount moved; the sum of the fund
 *   amounts of the loan does not change. A sold fund gets a new version (new encodedKey, same id) with what is left
 *   (none when all was sold); the old version can no longer be sold (`INACTIVE_FUND_ID`).
 * Before disbursement no money moves (funds are not locked at approval). What flows back — each funder's share of
 * the principal and interest repaid, taken back when a repayment is adjusted, the funds refunded when the
 * disbursement is adjusted — is funding-payouts.ts.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { DEBIT_STATES, CREDIT_STATES, depositCurrency, postMovement, requireDeposit } from "./deposit-common";
import { loanCurrency, requireLoan, touch } from "./loan-common";
import { scheduleOf } from "./loan-schedule-api";
import { D, Dec, ZERO, dec, num, round, sum } from "./money";
import { path } from "./products";

/** Most funds (or purchases) one request may name. */
export const MAX_FUNDS = 100;
const EDITABLE = new Set(["PARTIAL_APPLICATION", "PENDING_APPROVAL"]);
const RUNNING = new Set(["ACTIVE", "ACTIVE_IN_ARREARS"]);

interface FundingExtra {
  fundCounter?: number;
  retiredFunds?: string[];
}

function extra(ctx: EngineContext): FundingExtra {
  const e = ctx.store.extra as { funding?: FundingExtra };
  e.funding ??= {};
  return e.funding;
}

function newFundId(ctx: EngineContext): string {
  const e = extra(ctx);
  e.fundCounter = (e.fundCounter ?? 0) + 1;
  return `FUND${e.fundCounter}`;
}

/** The funds of a loan (copies). */
export function fundsOf(loan: WireRecord): WireRecord[] {
  return Array.isArray(loan.fundingSources) ? (loan.fundingSources as WireRecord[]).map((f) => ({ ...f })) : [];
}

function checkProduct(ctx: EngineContext, loan: WireRecord): void {
  const key = loan.productTypeKey;
  const product = typeof key === "string" ? ctx.store.find("loanproducts", key) : undefined;
  if (path(product, "fundingSettings", "enabled") !== true) {
    throw mambuError("INVALID_PRODUCT_WITH_FUNDING_SOURCE_DISABLED", "the loan's product has investor funds disabled");
  }
}

function checkEditable(loan: WireRecord): void {
  if (!EDITABLE.has(String(loan.accountState))) {
    throw mambuError("INVALID_LOAN_ACCOUNT_STATE_FOR_FUNDS_EDIT", `the funds of a ${String(loan.accountState)} loan cannot be changed`);
  }
}

function available(dep: WireRecord): Dec {
  return dec(path(dep, "balances", "availableBalance"));
}

/** An investor deposit usable for the loan (INVESTOR_ACCOUNT, loan's currency), else the given error. */
function investorDeposit(ctx: EngineContext, loan: WireRecord, key: unknown, error: "INVALID_SAVINGS_ACCOUNT_TYPE_FOR_FUNDING" | "INVALID_BUYER_FUNDING_ACCOUNT"): WireRecord {
  if (typeof key !== "string" || key === "") throw invalidParameters("depositAccountKey is required");
  const dep = error === "INVALID_BUYER_FUNDING_ACCOUNT" ? ctx.store.find("deposits", key) : requireDeposit(ctx, key, true);
  if (!dep) throw mambuError(error, `deposit account ${key} not found`);
  if (dep.accountType !== "INVESTOR_ACCOUNT") throw mambuError(error, `deposit account ${String(dep.id)} is not an INVESTOR_ACCOUNT`);
  if (depositCurrency(dep).code !== loanCurrency(loan).code) throw mambuError(error, `deposit account ${String(dep.id)} is not in ${loanCurrency(loan).code}`);
  return dep;
}

function share(amount: Dec, loanAmount: Dec): number {
  return loanAmount.greaterThan(0) ? num(amount.dividedBy(loanAmount).times(100), 10) : 0;
}

/**
 * Validates funds as sent (`InvestorFund` list) for a loan, next to `kept` funds, and returns the complete list
 * normalised (keys of the deposits, holders, ids, encodedKeys, share percentages). Checks no money.
 */
function normalise(ctx: EngineContext, loan: WireRecord, input: unknown, kept: WireRecord[]): WireRecord[] {
  if (!Array.isArray(input)) throw invalidParameters("a list of investor funds is required");
  if (input.length > MAX_FUNDS) throw invalidParameters(`at most ${MAX_FUNDS} funds`);
  const { dp } = loanCurrency(loan);
  const loanAmount = dec(loan.loanAmount);
  const out = [...kept];
  for (const raw of input) {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw invalidParameters("investor funds must be objects");
    const f = raw as Record<string, unknown>;
    let amount: Dec;
    try {
      amount = dec(f.amount);
    } catch {
      throw mambuError("FUNDING_AMOUNT_MUST_BE_STRICTLY_POSITIVE", `amount ${JSON.stringify(f.amount)}`);
    }
    if (!amount.isFinite() || !amount.greaterThan(0)) throw mambuError("FUNDING_AMOUNT_MUST_BE_STRICTLY_POSITIVE", `amount ${String(f.amount)}`);
    const type = f.guarantorType === "GROUP" ? "GROUP" : "CLIENT";
    const holder = typeof f.guarantorKey === "string" && f.guarantorKey !== "" ? ctx.store.find(type === "GROUP" ? "groups" : "clients", f.guarantorKey) : undefined;
    if (!holder) throw mambuError("INVALID_GUARANTOR_KEY", `guarantorKey ${String(f.guarantorKey)}`);
    const dep = investorDeposit(ctx, loan, f.depositAccountKey, "INVALID_SAVINGS_ACCOUNT_TYPE_FOR_FUNDING");
    if (dep.accountHolderKey !== holder.encodedKey) throw mambuError("INVALID_GUARANTOR_KEY", `deposit account ${String(dep.id)} is not of ${String(holder.id)}`);
    if (out.some((o) => o.depositAccountKey === dep.encodedKey)) {
      throw mambuError("DUPLICATED_SAVINGS_ACCOUNT_FOR_FUNDING", `deposit account ${String(dep.id)} funds the loan twice`);
    }
    const fund: WireRecord = {
      encodedKey: ctx.store.newEncodedKey(),
      id: typeof f.id === "string" && f.id !== "" ? f.id : newFundId(ctx),
      amount: num(amount, dp),
      guarantorKey: holder.encodedKey,
      guarantorType: type,
      depositAccountKey: dep.encodedKey,
      sharePercentage: 0,
    };
    if (f.interestCommission !== undefined && f.interestCommission !== null) fund.interestCommission = f.interestCommission;
    out.push(fund);
  }
  const total = sum(out.map((o) => dec(o.amount)));
  if (total.greaterThan(loanAmount)) {
    throw mambuError("INVESTORS_TOTAL_AMOUNT_MORE_THAN_LOAN_AMOUNT", `the funds add up to ${total.toFixed(dp)}, more than the loan amount ${loanAmount.toFixed(dp)}`);
  }
  return out.map((o) => ({ ...o, sharePercentage: share(dec(o.amount), loanAmount) }));
}

/** Checks that every funding deposit can pay its fund now (active, enough available balance). */
function checkFunders(ctx: EngineContext, funds: WireRecord[]): void {
  for (const f of funds) {
    const dep = requireDeposit(ctx, String(f.depositAccountKey), true);
    if (!DEBIT_STATES.has(String(dep.accountState))) {
      throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `funding deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
    }
    if (available(dep).lessThan(dec(f.amount))) {
      throw mambuError("INSUFFICIENT_FUNDS_ACCOUNT_BALANCE", `deposit account ${String(dep.id)} has ${available(dep).toString()} available, the fund is ${String(f.amount)}`);
    }
  }
}

function store(ctx: EngineContext, loan: WireRecord, funds: WireRecord[]): WireRecord {
  return touch(ctx, loan, { fundingSources: funds.length ? funds : undefined });
}

/** Hook of `POST /loans` (via credit-arrangements.ts): funds named in the body are validated and normalised. */
export function checkNewLoanFunds(ctx: EngineContext, rec: WireRecord): void {
  const input = rec.fundingSources;
  if (input === undefined || input === null || (Array.isArray(input) && input.length === 0)) {
    delete rec.fundingSources;
    return;
  }
  checkProduct(ctx, rec);
  const funds = normalise(ctx, rec, input, []);
  checkFunders(ctx, funds);
  rec.fundingSources = funds;
}

/** `POST /loans/{id}/funding` (add) and `PUT` (replace): returns the funds created (add) or all funds (replace). */
export function setLoanFunds(ctx: EngineContext, loanId: string, input: unknown, mode: "add" | "replace"): WireRecord[] {
  const loan = requireLoan(ctx, loanId);
  checkProduct(ctx, loan);
  checkEditable(loan);
  const kept = mode === "add" ? fundsOf(loan) : [];
  const funds = normalise(ctx, loan, input, kept);
  const added = funds.slice(kept.length);
  checkFunders(ctx, added);
  store(ctx, loan, funds);
  return mode === "add" ? added : funds;
}

/** `DELETE /loans/{id}/funding` (all) and `DELETE /loans/{id}/funding/{fundEncodedKey}` (one). */
export function deleteLoanFunds(ctx: EngineContext, loanId: string, fundKey?: string): void {
  const loan = requireLoan(ctx, loanId);
  checkEditable(loan);
  const funds = fundsOf(loan);
  if (fundKey === undefined) {
    store(ctx, loan, []);
    return;
  }
  const rest = funds.filter((f) => f.encodedKey !== fundKey && f.id !== fundKey);
  if (rest.length === funds.length) throw mambuError("INVALID_FUND_ENCODED_KEY", `loan ${String(loan.id)} has no fund ${fundKey}`);
  store(ctx, loan, rest);
}

/** Hook of APPROVE: the funds must reach the product's `fundingSettings.requiredFunds` percent of the loan amount. */
export function checkFundsAtApproval(ctx: EngineContext, loan: WireRecord): void {
  const key = loan.productTypeKey;
  const product = typeof key === "string" ? ctx.store.find("loanproducts", key) : undefined;
  const required = path(product, "fundingSettings", "requiredFunds");
  if (path(product, "fundingSettings", "enabled") !== true || typeof required !== "number" || required <= 0) return;
  const total = sum(fundsOf(loan).map((f) => dec(f.amount)));
  const needed = dec(loan.loanAmount).times(required).dividedBy(100);
  if (total.lessThan(needed)) {
    throw mambuError("INSUFFICIENT_FUNDS_TOTAL_AMOUNT", `the funds (${total.toString()}) are below the required ${required}% of the loan amount`);
  }
}

/**
 * Hook of the disbursement: refuses a disbursement into a deposit account for a funded loan, checks every funder,
 * then posts each fund's `LOAN_FUNDED` withdrawal on its deposit (see the module comment).
 */
export function fundDisbursement(ctx: EngineContext, loan: WireRecord, valueDate: string, disbursementKey: string, body: Record<string, unknown>): void {
  const funds = fundsOf(loan);
  if (!funds.length) return;
  const td = (body.transferDetails ?? {}) as Record<string, unknown>;
  if (td.linkedAccountKey || td.linkedAccountId) {
    throw mambuError("DISBURSE_TO_SAVINGS_NOT_AVALAIBLE_WITH_INVESTOR_FUNDS", "an investor-funded loan cannot be disbursed into a deposit account");
  }
  checkFunders(ctx, funds);
  for (const f of funds) {
    const dep = requireDeposit(ctx, String(f.depositAccountKey), true);
    postMovement(ctx, dep, {
      type: "LOAN_FUNDED",
      amount: dec(f.amount).negated(),
      valueDate,
      body: { notes: `funds loan ${String(loan.id)}` },
      fields: { transferDetails: { linkedLoanTransactionKey: disbursementKey } },
    });
  }
}

/** `GET /deposits/{id}/funding`: the loans the deposit funds. */
export function fundedLoans(ctx: EngineContext, depositId: string): WireRecord[] {
  const dep = requireDeposit(ctx, depositId);
  return ctx.store.all("loans").filter((l) => fundsOf(l).some((f) => f.depositAccountKey === dep.encodedKey));
}

/**
 * Each fund's part of a loan amount `value`: value × fund ÷ loan amount, rounded to `dp` decimals; when the funds
 * cover the whole loan, the last fund takes the rounding remainder so that the parts add up to `value` exactly.
 */
export function splitAmount(value: Dec, fundAmounts: Dec[], loanAmount: Dec, dp: number): Dec[] {
  if (!loanAmount.greaterThan(0)) return fundAmounts.map(() => ZERO);
  const parts = fundAmounts.map((a) => round(value.times(a).dividedBy(loanAmount), dp));
  if (parts.length && sum(fundAmounts).equals(loanAmount)) {
    parts[parts.length - 1] = value.minus(sum(parts.slice(0, -1)));
  }
  return parts;
}

const ELEMENTS = ["principal", "interest", "fee", "penalty"];

/** Replaces every number under `node` by its part for fund `index`. */
function scaleTree(node: unknown, index: number, amounts: Dec[], loanAmount: Dec, dp: number): unknown {
  if (typeof node === "number") return num(splitAmount(new D(node), amounts, loanAmount, dp)[index], dp);
  if (Array.isArray(node)) return node.map((n) => scaleTree(n, index, amounts, loanAmount, dp));
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, scaleTree(v, index, amounts, loanAmount, dp)]));
  }
  return node;
}

/**
 * `GET /deposits/{id}/funding/{loanId}/schedule`: the loan's schedule (`LoanAccountSchedule`) with every amount of
 * the installments' principal, interest, fee and penalty (expected, paid, due, taxes) replaced by the deposit's
 * part (see {@link splitAmount}); dates, states and keys as the loan's.
 */
export function funderSchedule(ctx: EngineContext, depositId: string, loanId: string): { currency: { code: string }; installments: Array<Record<string, unknown>> } {
  const dep = requireDeposit(ctx, depositId);
  const loan = requireLoan(ctx, loanId);
  const funds = fundsOf(loan);
  const index = funds.findIndex((f) => f.depositAccountKey === dep.encodedKey);
  if (index < 0) throw mambuError("LOAN_ACCOUNT_NOT_FUNDED_BY_DEPOSIT_ACCOUNT", `deposit account ${String(dep.id)} does not fund loan ${String(loan.id)}`);
  const { dp } = loanCurrency(loan);
  const amounts = funds.map((f) => dec(f.amount));
  const loanAmount = dec(loan.loanAmount);
  const schedule = scheduleOf(ctx, loan);
  return {
    currency: schedule.currency,
    installments: schedule.installments.map((inst) => {
      const out: Record<string, unknown> = { ...inst };
      for (const e of ELEMENTS) if (inst[e] !== undefined) out[e] = scaleTree(inst[e], index, amounts, loanAmount, dp);
      return out;
    }),
  };
}

/** The loan holding a fund (by encodedKey or id) and the fund's position, or undefined. */
function findFund(ctx: EngineContext, key: string): { loan: WireRecord; index: number } | undefined {
  for (const loan of ctx.store.all("loans")) {
    const index = fundsOf(loan).findIndex((f) => f.encodedKey === key || f.id === key);
    if (index >= 0) return { loan, index };
  }
  return undefined;
}

/**
 * `POST /fundingsources/{fundingSourceId}:sell` (`SellFundingSourceAction`): sells `amount`s of a fund of a
 * running loan to buyers' investor deposits at `price`s (see the module comment). Returns the deposit
 * transactions posted, for each purchase the buyer's then the seller's.
 */
export function sellFund(ctx: EngineContext, fundId: string, body: Record<string, unknown> | undefined): WireRecord[] {
  const found = findFund(ctx, fundId);
  if (!found) {
    if ((extra(ctx).retiredFunds ?? []).includes(fundId)) throw mambuError("INACTIVE_FUND_ID", `fund ${fundId} was replaced by a later version`);
    throw mambuError("INVALID_FUND_ID", `funding source ${fundId} not found`);
  }
  const { loan, index } = found;
  if (!RUNNING.has(String(loan.accountState))) throw mambuError("INVALID_FUNDED_ACCOUNT_STATE", `loan ${String(loan.id)} is ${String(loan.accountState)}`);
  const purchases = body?.purchases;
  if (!Array.isArray(purchases) || purchases.length === 0) throw mambuError("FUND_SELL_WITH_NO_PURCHASES", "purchases are required");
  if (purchases.length > MAX_FUNDS) throw invalidParameters(`at most ${MAX_FUNDS} purchases`);
  const funds = fundsOf(loan);
  const seller = funds[index];
  const { dp } = loanCurrency(loan);
  const plan: Array<{ dep: WireRecord; amount: Dec; price: Dec }> = [];
  for (const raw of purchases) {
    const p = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    let amount: Dec;
    let price: Dec;
    try {
      amount = dec(p.amount);
      price = dec(p.price);
    } catch {
      throw invalidParameters("purchase amount and price must be numbers");
    }
    if (!amount.greaterThan(0)) throw mambuError("INVALID_BUYER_FUND_AMOUNT", `amount ${String(p.amount)}`);
    if (price.isNegative()) throw mambuError("INVALID_FUND_PURCHASE_PRICE", `price ${String(p.price)}`);
    const dep = investorDeposit(ctx, loan, p.depositAccountKey, "INVALID_BUYER_FUNDING_ACCOUNT");
    if (dep.encodedKey === seller.depositAccountKey) throw mambuError("FUND_SELF_SELL", "the buyer's deposit is the seller's");
    if (plan.some((x) => x.dep.encodedKey === dep.encodedKey)) throw mambuError("DUPLICATE_BUYER_FUNDING_ACCOUNT", `deposit account ${String(dep.id)} buys twice`);
    if (!DEBIT_STATES.has(String(dep.accountState))) throw mambuError("INVALID_BUYER_FUNDING_ACCOUNT", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
    if (available(dep).lessThan(price)) throw mambuError("INSUFFICIENT_BUYER_FUNDING_ACCOUNT_FUNDS", `deposit account ${String(dep.id)} has ${available(dep).toString()} available`);
    plan.push({ dep, amount: round(amount, dp), price: round(price, dp) });
  }
  const sold = sum(plan.map((x) => x.amount));
  if (sold.greaterThan(dec(seller.amount))) throw mambuError("FUND_OVERSELL", `${sold.toFixed(dp)} sold of a fund of ${String(seller.amount)}`);
  const sellerDep = requireDeposit(ctx, String(seller.depositAccountKey), true);
  if (!CREDIT_STATES.has(String(sellerDep.accountState))) throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `the seller's deposit account is ${String(sellerDep.accountState)}`);

  const valueDate = ctx.clock.nowIso();
  const posted: WireRecord[] = [];
  const post = (dep: WireRecord, type: string, amount: Dec, fraction: Dec): void => {
    if (amount.isZero()) return;
    const { tx } = postMovement(ctx, dep, { type, amount, valueDate, body: { notes: `fund ${String(seller.id)} of loan ${String(loan.id)}` } });
    const withFraction = { ...tx, affectedAmounts: { ...(tx.affectedAmounts as object), fractionAmount: num(fraction, dp) } };
    posted.push(ctx.store.replace("depositTransactions", withFraction));
  };
  const retired = (extra(ctx).retiredFunds ??= []);
  const version = (f: WireRecord, amount: Dec): WireRecord => {
    retired.push(f.encodedKey);
    return { ...f, encodedKey: ctx.store.newEncodedKey(), amount: num(amount, dp) };
  };
  let next = funds.map((f, i) => (i === index ? version(f, dec(f.amount).minus(sold)) : f));
  for (const { dep, amount, price } of plan) {
    post(dep, "LOAN_FRACTION_BOUGHT", price.negated(), amount);
    post(sellerDep, "LOAN_FRACTION_SOLD", price, amount);
    const mine = next.findIndex((f) => f.depositAccountKey === dep.encodedKey);
    if (mine >= 0) next[mine] = version(next[mine], dec(next[mine].amount).plus(amount));
    else {
      next.push({
        encodedKey: ctx.store.newEncodedKey(),
        id: newFundId(ctx),
        amount: num(amount, dp),
        guarantorKey: dep.accountHolderKey,
        guarantorType: dep.accountHolderType === "GROUP" ? "GROUP" : "CLIENT",
        depositAccountKey: dep.encodedKey,
        ...(seller.interestCommission !== undefined ? { interestCommission: seller.interestCommission } : {}),
      });
    }
  }
  const loanAmount = dec(loan.loanAmount);
  next = next.filter((f) => dec(f.amount).greaterThan(0)).map((f) => ({ ...f, sharePercentage: share(dec(f.amount), loanAmount) }));
  store(ctx, loan, next);
  return posted;
}
