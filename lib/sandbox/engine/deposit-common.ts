/**
 * Deposit account plumbing: finding accounts, money rules (balance, overdraft, holds) and posting a
 * signed movement as a `DepositTransaction`.
 *
 * Deposit transaction amounts are signed as Mambu shows them: credits (DEPOSIT, incoming TRANSFER,
 * INTEREST_APPLIED) positive, debits (WITHDRAWAL, outgoing TRANSFER, FEE_APPLIED) negative; an adjustment
 * carries the opposite amount. The account keeps `balances.totalBalance` ≥ 0 and the money taken beyond it
 * in `balances.overdraftAmount` (net position = totalBalance − overdraftAmount); `affectedAmounts` splits
 * each movement into `fundsAmount` and `overdraftAmount` (magnitudes).
 */
import { fillDepositTransactionFields } from "./tenant-fields";
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { compareInstant, localDate, parseDateTimeInput } from "./dates";
import { mambuError } from "../errors";
import { D, Dec, ZERO, currencyDecimals, dec, min, max, num, round } from "./money";
import { DepositProductSettings, depositProductSettings, path } from "./products";
import { postJournalEntries } from "./ledger-post";
import { notifyTransaction } from "../platform/messages-notify";

/** A deposit by id or encodedKey, or 404 INVALID_DEPOSIT_ACCOUNT_ID (400 when `inBody`). */
export function requireDeposit(ctx: EngineContext, idOrKey: string | undefined, inBody = false): WireRecord {
  const dep = idOrKey ? ctx.store.find("deposits", idOrKey) : undefined;
  if (!dep) throw mambuError("INVALID_DEPOSIT_ACCOUNT_ID", idOrKey ? `deposit account ${idOrKey} not found` : "deposit account missing", inBody ? 400 : undefined);
  return dep;
}

/** The deposit product settings of an account (defaults when the product is gone). */
export function depositSettings(ctx: EngineContext, dep: WireRecord): DepositProductSettings {
  const p = typeof dep.productTypeKey === "string" ? ctx.store.find("depositproducts", dep.productTypeKey) : undefined;
  return depositProductSettings(p ?? { encodedKey: String(dep.productTypeKey ?? "") });
}

/** Currency code and decimals of a deposit account. */
export function depositCurrency(dep: WireRecord): { code: string; dp: number } {
  const code = typeof dep.currencyCode === "string" ? dep.currencyCode : "EUR";
  return { code, dp: currencyDecimals(code) };
}

/** Net position: totalBalance − overdraftAmount. */
export function netBalance(dep: WireRecord): Dec {
  return dec(path(dep, "balances", "totalBalance")).minus(dec(path(dep, "balances", "overdraftAmount")));
}

/** How far below zero the account may go (its overdraft limit when overdrafts are allowed). */
export function overdraftRoom(ctx: EngineContext, dep: WireRecord): Dec {
  const allowed = path(dep, "overdraftSettings", "allowOverdraft") === true && depositSettings(ctx, dep).allowOverdraft;
  return allowed ? dec(path(dep, "overdraftSettings", "overdraftLimit")) : ZERO;
}

/** States in which money can come in / go out. */
export const CREDIT_STATES = new Set(["APPROVED", "ACTIVE", "ACTIVE_IN_ARREARS", "DORMANT", "MATURED"]);
/** States in which money can go out. */
export const DEBIT_STATES = new Set(["ACTIVE", "ACTIVE_IN_ARREARS", "DORMANT", "MATURED"]);

/** Validates a deposit transaction's valueDate (default now): not in the future, not before activation. */
export function depositValueDate(ctx: EngineContext, dep: WireRecord, value: unknown, field = "valueDate"): string {
  const now = ctx.clock.nowIso();
  const v = parseDateTimeInput(value, ctx.clock.offset, field) ?? now;
  if (compareInstant(v, now) > 0) throw mambuError("BACKDATE_SET_IN_THE_FUTURE", `${field} ${v} is in the future`);
  if (typeof dep.activationDate === "string" && localDate(v, ctx.clock.offset) < localDate(dep.activationDate, ctx.clock.offset)) {
    throw mambuError("BACKDATE_BEFORE_ACTIVATION", `${field} ${v} is before the activation date ${dep.activationDate}`);
  }
  return v;
}

/** A movement to post on a deposit account. */
export interface Movement {
  type: string;
  /** Signed: credit > 0, debit < 0. */
  amount: Dec;
  valueDate: string;
  body?: Record<string, unknown>;
  /** Extra transaction fields (transferDetails, originalTransactionKey, ...). */
  fields?: Record<string, unknown>;
  /** Skips the state check (adjustments and write-offs). */
  anyState?: boolean;
  /** Skips the funds check (write-offs). */
  noFundsCheck?: boolean;
}

/** The account's wire balances for a net position (hold/blocked amounts kept as they are). */
export function balancesFor(dep: WireRecord, net: Dec, dp: number): Record<string, number> {
  const b = (dep.balances ?? {}) as Record<string, unknown>;
  const total = max(net, ZERO);
  const hold = dec(b.holdBalance);
  const blocked = dec(b.blockedBalance);
  return {
    ...(b as Record<string, number>),
    totalBalance: num(total, dp),
    overdraftAmount: num(max(net.negated(), ZERO), dp),
    availableBalance: num(total.minus(hold).minus(blocked), dp),
    holdBalance: num(hold, dp),
    blockedBalance: num(blocked, dp),
    lockedBalance: num(dec(b.lockedBalance), dp),
    feesDue: num(dec(b.feesDue), dp),
    technicalOverdraftAmount: num(dec(b.technicalOverdraftAmount), dp),
    overdraftInterestDue: num(dec(b.overdraftInterestDue), dp),
    technicalOverdraftInterestDue: num(dec(b.technicalOverdraftInterestDue), dp),
    forwardAvailableBalance: num(dec(b.forwardAvailableBalance), dp),
  };
}

/** Checks that a debit leaves the account within its funds (plus overdraft room, minus holds). */
export function checkFunds(ctx: EngineContext, dep: WireRecord, debit: Dec): void {
  const b = (dep.balances ?? {}) as Record<string, unknown>;
  const after = netBalance(dep).minus(debit).minus(dec(b.holdBalance)).minus(dec(b.blockedBalance));
  const room = overdraftRoom(ctx, dep);
  if (after.plus(room).isNegative()) {
    if (room.greaterThan(0)) throw mambuError("MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED", `the movement exceeds the overdraft limit of ${room.toString()}`);
    throw mambuError("BALANCE_BELOW_ZERO", `insufficient funds: available ${max(netBalance(dep), ZERO).toString()}, requested ${debit.toString()}`);
  }
}

/**
 * Posts a movement: checks state and funds, stores the transaction (sequential id, signed amount,
 * affectedAmounts, accountBalances) and updates the account (balances; APPROVED → ACTIVE on the first credit).
 */
export function postMovement(ctx: EngineContext, depIn: WireRecord, m: Movement): { dep: WireRecord; tx: WireRecord } {
  const dep = ctx.store.find("deposits", depIn.encodedKey) ?? depIn;
  const state = String(dep.accountState);
  const { code, dp } = depositCurrency(dep);
  const amount = round(m.amount, dp);
  const credit = amount.greaterThan(0);
  if (!m.anyState && !(credit ? CREDIT_STATES : DEBIT_STATES).has(state)) {
    throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${state}`);
  }
  const magnitude = amount.abs();
  if (!credit && !m.noFundsCheck) checkFunds(ctx, dep, magnitude);
  const net = netBalance(dep);
  const overdraftPart = credit ? min(magnitude, max(net.negated(), ZERO)) : magnitude.minus(min(magnitude, max(net, ZERO)));
  const fundsPart = magnitude.minus(overdraftPart);
  const newNet = net.plus(amount);
  const now = ctx.clock.nowIso();
  const body = m.body ?? {};
  const tx: WireRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    id: ctx.store.nextId("depositTransactions", 0),
    type: m.type,
    amount: num(amount, dp),
    currencyCode: code,
    valueDate: m.valueDate,
    creationDate: now,
    bookingDate: parseDateTimeInput(body.bookingDate, ctx.clock.offset, "bookingDate") ?? m.valueDate,
    parentAccountKey: dep.encodedKey,
    affectedAmounts: {
      fundsAmount: num(fundsPart, dp),
      overdraftAmount: num(overdraftPart, dp),
      interestAmount: m.type === "INTEREST_APPLIED" ? num(magnitude, dp) : 0,
      feesAmount: m.type === "FEE_APPLIED" ? num(magnitude, dp) : 0,
      overdraftInterestAmount: 0,
      overdraftFeesAmount: 0,
      technicalOverdraftAmount: 0,
      technicalOverdraftInterestAmount: 0,
      fractionAmount: 0,
    },
    accountBalances: { totalBalance: num(max(newNet, ZERO), dp) },
    ...(m.fields ?? {}),
  };
  if (typeof dep.assignedBranchKey === "string") tx.branchKey = dep.assignedBranchKey;
  if (typeof dep.assignedCentreKey === "string") tx.centreKey = dep.assignedCentreKey;
  if (typeof dep.assignedUserKey === "string") tx.userKey = dep.assignedUserKey;
  if (typeof body.notes === "string") tx.notes = body.notes;
  if (typeof body.externalId === "string") tx.externalId = body.externalId;
  if (typeof body.paymentOrderId === "string") tx.paymentOrderId = body.paymentOrderId;
  if (body.transactionDetails && typeof body.transactionDetails === "object") tx.transactionDetails = { ...(body.transactionDetails as object) };
  if (body.paymentDetails && typeof body.paymentDetails === "object") tx.paymentDetails = body.paymentDetails;
  fillDepositTransactionFields(tx, dep);
  ctx.store.insert("depositTransactions", tx);
  postJournalEntries(ctx, tx, dep, "SAVINGS");
  notifyTransaction(ctx, tx, "DEPOSIT"); // communication messages of the tenant's notification templates

  const next: WireRecord = { ...dep, balances: balancesFor(dep, newNet, dp), lastModifiedDate: now, lastAccountAppraisalDate: now };
  if (credit && state === "APPROVED" && !m.anyState) {
    next.accountState = "ACTIVE";
    next.activationDate = m.valueDate;
  }
  if (state === "DORMANT" && !m.anyState) next.accountState = "ACTIVE";
  return { dep: ctx.store.replace("deposits", next), tx };
}

/** A positive decimal amount from a body field, or the given error. */
export function positiveAmount(v: unknown, error: "INVALID_DEPOSIT_AMOUNT" | "TRANSFER_AMOUNT_IS_NOT_POSITIVE" | "INVALID_AMOUNT"): Dec {
  let a: Dec;
  try {
    a = dec(v);
  } catch {
    throw mambuError(error, `invalid amount ${JSON.stringify(v)}`);
  }
  if (!a.isFinite() || !a.greaterThan(0)) throw mambuError(error, `amount must be positive, got ${JSON.stringify(v)}`);
  return new D(a);
}
