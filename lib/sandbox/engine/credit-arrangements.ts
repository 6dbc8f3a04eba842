/**
 * Credit arrangements (lines of credit, Swagger `CreditArrangement`): the most a client or group may owe across
 * the loans and overdrafts linked to it. An account is linked by its `creditArrangementKey`: set when the loan or
 * deposit is created, by `PUT`/`PATCH` of the account, or by `:addAccount` / `:removeAccount` (newer Mambu versions).
 *
 * **Exposure** (what a linked account consumes) depends on the arrangement's `exposureLimitType`:
 *
 * | exposureLimitType            | loan                                   | deposit (overdraft)                          |
 * |------------------------------|----------------------------------------|----------------------------------------------|
 * | APPROVED_AMOUNT (default)    | `loanAmount`, from creation on         | `overdraftSettings.overdraftLimit`           |
 * | OUTSTANDING_AMOUNT           | `balances.principalBalance` (revolving: repayments free room) | `balances.overdraftAmount` |
 *
 * Closed accounts (`CLOSED*`, `WITHDRAWN`) consume nothing. `consumedCreditAmount` is the sum over the linked
 * accounts and `availableCreditAmount = amount − consumedCreditAmount`; both are recomputed whenever an
 * arrangement is served. The limit is enforced when a loan is created or linked, approved and disbursed (and
 * when a deposit with an overdraft is linked): the other accounts' exposure plus this account's — its loan amount
 * while it is not disbursed — may not exceed `amount`, else 400 `CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED`. Lowering
 * `amount` below what is consumed is refused the same way.
 *
 * **States** (`POST /creditarrangements/{id}:changeState`, `CreditArrangementAction`):
 *
 * | action        | from                                      | to                                         |
 * |---------------|-------------------------------------------|--------------------------------------------|
 * | APPROVE       | PENDING_APPROVAL                          | APPROVED (approvedDate)                    |
 * | UNDO_APPROVE  | APPROVED, no open linked account          | PENDING_APPROVAL                           |
 * | REJECT        | PENDING_APPROVAL                          | CLOSED, subState REJECTED (closedDate)     |
 * | UNDO_REJECT   | CLOSED / REJECTED                         | PENDING_APPROVAL                           |
 * | WITHDRAW      | PENDING_APPROVAL                          | CLOSED, subState WITHDRAWN (closedDate)    |
 * | UNDO_WITHDRAW | CLOSED / WITHDRAWN                        | PENDING_APPROVAL                           |
 * | CLOSE         | APPROVED, ACTIVE; every linked account closed | CLOSED (closedDate)                    |
 * | UNDO_CLOSE    | CLOSED without subState                   | APPROVED (ACTIVE when an account runs)     |
 *
 * APPROVED becomes ACTIVE while a linked account is running (a disbursed loan, an active deposit) and goes back
 * when none is. Other transitions answer 400 `INVALID_CREDIT_ARRANGEMENT_STATE`. Accounts can be linked only to
 * an APPROVED or ACTIVE arrangement of their own holder, when their product's
 * `creditArrangementSettings.creditArrangementRequirement` is not NOT_REQUIRED; a REQUIRED product's loan is not
 * approved without one (`CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION`).
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { localDate } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { Dec, ZERO, currencyDecimals, dec, num } from "./money";
import { path } from "./products";
import { checkFundsAtApproval, checkNewLoanFunds, fundDisbursement } from "./funding";

type AccountColl = "loans" | "deposits";

/** Arrangement states in which accounts may be linked and used. */
const USABLE = new Set(["APPROVED", "ACTIVE"]);
const CLOSED_DEPOSIT = new Set(["CLOSED", "CLOSED_WRITTEN_OFF", "CLOSED_REJECTED", "WITHDRAWN"]);
const RUNNING_LOAN = new Set(["ACTIVE", "ACTIVE_IN_ARREARS"]);
const RUNNING_DEPOSIT = new Set(["ACTIVE", "ACTIVE_IN_ARREARS", "DORMANT", "MATURED", "LOCKED"]);

/** A credit arrangement by id or encodedKey, else 404 INVALID_CREDIT_ARRANGEMENT_ID (400 when named in a body). */
export function requireCreditArrangement(ctx: EngineContext, idOrKey: unknown, inBody = false): WireRecord {
  const ca = typeof idOrKey === "string" && idOrKey !== "" ? ctx.store.find("creditarrangements", idOrKey) : undefined;
  if (!ca) throw mambuError("INVALID_CREDIT_ARRANGEMENT_ID", `credit arrangement ${String(idOrKey)} not found`, inBody ? 400 : undefined);
  return ca;
}

/** Whether an account is closed (consumes nothing, does not keep the arrangement open). */
export function isClosedAccount(coll: AccountColl, acc: WireRecord): boolean {
  const s = String(acc.accountState);
  return coll === "loans" ? s.startsWith("CLOSED") : CLOSED_DEPOSIT.has(s);
}

/** The loans and deposits linked to an arrangement (in store order). */
export function linkedAccounts(ctx: EngineContext, ca: WireRecord): { loans: WireRecord[]; deposits: WireRecord[] } {
  const mine = (a: WireRecord): boolean => a.creditArrangementKey === ca.encodedKey;
  return { loans: ctx.store.all("loans").filter(mine), deposits: ctx.store.all("deposits").filter(mine) };
}

function isDisbursed(loan: WireRecord): boolean {
  return typeof path(loan, "disbursementDetails", "disbursementDate") === "string";
}

/**
 * What an open account consumes of an arrangement of the given exposure type (see the module comment).
 * `prospective`: a loan not disbursed yet counts with its loan amount under OUTSTANDING_AMOUNT too (what it
 * will consume once disbursed) — used by the limit checks.
 */
export function exposureOf(type: unknown, coll: AccountColl, acc: WireRecord, prospective = false): Dec {
  if (isClosedAccount(coll, acc)) return ZERO;
  const outstanding = type === "OUTSTANDING_AMOUNT";
  if (coll === "loans") {
    if (!outstanding || (prospective && !isDisbursed(acc))) return dec(acc.loanAmount);
    return dec(path(acc, "balances", "principalBalance"));
  }
  if (outstanding) return dec(path(acc, "balances", "overdraftAmount"));
  return path(acc, "overdraftSettings", "allowOverdraft") === true ? dec(path(acc, "overdraftSettings", "overdraftLimit")) : ZERO;
}

/** Sum of the exposure of an arrangement's linked accounts, leaving out the account `except` (encodedKey). */
export function consumedOf(ctx: EngineContext, ca: WireRecord, except?: string): Dec {
  const { loans, deposits } = linkedAccounts(ctx, ca);
  let total = ZERO;
  for (const l of loans) if (l.encodedKey !== except) total = total.plus(exposureOf(ca.exposureLimitType, "loans", l));
  for (const d of deposits) if (d.encodedKey !== except) total = total.plus(exposureOf(ca.exposureLimitType, "deposits", d));
  return total;
}

function decimalsOf(ca: WireRecord): number {
  const code = path(ca, "currency", "code");
  return currencyDecimals(typeof code === "string" ? code : undefined);
}

/** The derived fields of an arrangement: consumed/available amounts and APPROVED ↔ ACTIVE. */
function derived(ctx: EngineContext, ca: WireRecord): Record<string, unknown> {
  const dp = decimalsOf(ca);
  const consumed = typeof ca.encodedKey === "string" ? consumedOf(ctx, ca) : ZERO;
  const out: Record<string, unknown> = {
    consumedCreditAmount: num(consumed, dp),
    availableCreditAmount: num(dec(ca.amount).minus(consumed), dp),
  };
  if (USABLE.has(String(ca.state)) && typeof ca.encodedKey === "string") {
    const { loans, deposits } = linkedAccounts(ctx, ca);
    const running = loans.some((l) => RUNNING_LOAN.has(String(l.accountState))) || deposits.some((d) => RUNNING_DEPOSIT.has(String(d.accountState)));
    out.state = running ? "ACTIVE" : "APPROVED";
  }
  return out;
}

/** Brings an arrangement's derived fields up to date (stored when they changed); returns the stored record. */
export function refreshCreditArrangement(ctx: EngineContext, ca: WireRecord): WireRecord {
  const d = derived(ctx, ca);
  if (Object.entries(d).every(([k, v]) => ca[k] === v)) return ca;
  return ctx.store.replace("creditarrangements", { ...ca, ...d });
}

/** Brings every arrangement's derived fields up to date (before arrangements are served). */
export function refreshCreditArrangements(ctx: EngineContext): void {
  for (const ca of ctx.store.all("creditarrangements")) refreshCreditArrangement(ctx, ca);
}

/** Throws CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED when the account's exposure does not fit next to the others'. */
function checkRoom(ctx: EngineContext, ca: WireRecord, coll: AccountColl, acc: WireRecord): void {
  const others = consumedOf(ctx, ca, acc.encodedKey);
  const mine = exposureOf(ca.exposureLimitType, coll, acc, true);
  const limit = dec(ca.amount);
  if (others.plus(mine).greaterThan(limit)) {
    const dp = decimalsOf(ca);
    throw mambuError(
      "CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED",
      `credit arrangement ${String(ca.id)}: ${mine.toFixed(dp)} exceeds the available ${limit.minus(others).toFixed(dp)} of ${limit.toFixed(dp)}`,
    );
  }
}

function checkUsable(ca: WireRecord): void {
  if (!USABLE.has(String(ca.state))) {
    throw mambuError("INVALID_CREDIT_ARRANGEMENT_STATE", `credit arrangement ${String(ca.id)} is ${String(ca.state)}; accounts need an APPROVED or ACTIVE one`);
  }
}

/** The product's `creditArrangementRequirement` (OPTIONAL when the product does not say). */
function requirement(ctx: EngineContext, coll: AccountColl, acc: WireRecord): string {
  const key = acc.productTypeKey;
  const product = typeof key === "string" ? ctx.store.find(coll === "loans" ? "loanproducts" : "depositproducts", key) : undefined;
  const r = path(product, "creditArrangementSettings", "creditArrangementRequirement");
  return typeof r === "string" ? r : "OPTIONAL";
}

/**
 * Checks and normalises an account's link to a credit arrangement (creation, `PUT`, `PATCH`): the key becomes the
 * arrangement's encodedKey; a new link needs a usable arrangement of the account's holder and a product that
 * allows it; an open linked account must fit in the limit; unlinking a REQUIRED product's account once it left
 * the application states is refused. Mutates `acc`.
 */
export function checkAccountLink(ctx: EngineContext, coll: AccountColl, acc: WireRecord, old?: WireRecord): void {
  const key = acc.creditArrangementKey;
  const oldKey = old?.creditArrangementKey;
  if (key === undefined || key === null || key === "") {
    delete acc.creditArrangementKey;
    const applying = ["PARTIAL_APPLICATION", "PENDING_APPROVAL"].includes(String(acc.accountState));
    if (oldKey && requirement(ctx, coll, acc) === "REQUIRED" && !applying) {
      throw mambuError("CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION", `the product of ${String(acc.id)} requires a credit arrangement`);
    }
    return;
  }
  if (typeof key !== "string") throw invalidParameters("creditArrangementKey must be a string");
  const ca = requireCreditArrangement(ctx, key, true);
  acc.creditArrangementKey = ca.encodedKey;
  if (ca.encodedKey !== oldKey) {
    checkUsable(ca);
    if (requirement(ctx, coll, acc) === "NOT_REQUIRED") {
      throw mambuError("PRODUCT_CREDIT_ARRANGEMENT_AFFILIATION_CONSTRAINT_MISMATCH", `the product of the account does not allow credit arrangements`);
    }
    if (acc.accountHolderKey !== ca.holderKey) {
      throw mambuError("INCONSISTENT_CREDIT_ARRANGEMENT_CLIENT_WITH_ACCOUNT_OWNER", `the account holder is not the holder of credit arrangement ${String(ca.id)}`);
    }
  }
  if (coll === "deposits") {
    const limit = dec(path(acc, "overdraftSettings", "overdraftLimit"));
    if (path(acc, "overdraftSettings", "allowOverdraft") !== true || !limit.greaterThan(0)) {
      throw mambuError("CREDIT_ARRANGEMENT_REQUIRES_OVERDRAFT_MAX_LIMIT", "a deposit account under a credit arrangement needs an overdraft with a limit");
    }
    const expiry = path(acc, "overdraftSettings", "overdraftExpiryDate");
    if (typeof expiry === "string" && typeof ca.expireDate === "string" && Date.parse(expiry) > Date.parse(ca.expireDate)) {
      throw mambuError("OVERDRAFT_EXPIRY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE", `overdraftExpiryDate ${expiry} is after ${ca.expireDate}`);
    }
  }
  checkRoom(ctx, ca, coll, acc);
}

/**
 * Hook of `POST /loans` and `POST /deposits` (engine/create.ts): checks the account's credit arrangement link and,
 * for a loan, the investor funds of its body (engine/funding.ts). Returns the record, normalised.
 */
export function checkNewAccountLinks(ctx: EngineContext, coll: AccountColl, rec: WireRecord): WireRecord {
  checkAccountLink(ctx, coll, rec);
  if (coll === "loans") checkNewLoanFunds(ctx, rec);
  return rec;
}

/**
 * Hook of the loan's APPROVE (engine/loan-state.ts): a REQUIRED product needs an arrangement; a linked one must be
 * usable and have room; the investor funds must reach the product's required share.
 */
export function checkLoanApproval(ctx: EngineContext, loan: WireRecord): void {
  const key = loan.creditArrangementKey;
  if (typeof key === "string" && key !== "") {
    const ca = requireCreditArrangement(ctx, key, true);
    checkUsable(ca);
    checkRoom(ctx, ca, "loans", loan);
  } else if (requirement(ctx, "loans", loan) === "REQUIRED") {
    throw mambuError("CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION", `the product of loan ${String(loan.id)} requires a credit arrangement`);
  }
  checkFundsAtApproval(ctx, loan);
}

/**
 * Hook of the disbursement (engine/loan-disburse.ts), before anything is stored: the linked arrangement must be
 * usable, started on the disbursement date, not expire before the last due date (`maturity`, YYYY-MM-DD) and have
 * room for the loan amount; then the investor funds are taken from the funders' deposits (see funding.ts).
 */
export function checkLoanDisbursement(
  ctx: EngineContext,
  loan: WireRecord,
  valueDate: string,
  maturity: string | undefined,
  disbursementKey: string,
  body: Record<string, unknown>,
): void {
  const key = loan.creditArrangementKey;
  if (typeof key === "string" && key !== "") {
    const ca = requireCreditArrangement(ctx, key, true);
    const off = ctx.clock.offset;
    checkUsable(ca);
    if (typeof ca.startDate === "string" && localDate(valueDate, off) < localDate(ca.startDate, off)) {
      throw mambuError("DISBURSEMENT_DATE_BEFORE_CREDIT_ARRANGEMENT_START_DATE", `disbursement ${valueDate} is before the start ${ca.startDate}`);
    }
    if (maturity && typeof ca.expireDate === "string" && maturity > localDate(ca.expireDate, off)) {
      throw mambuError("MATURITY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE", `the last installment (${maturity}) is after the arrangement's expiry ${ca.expireDate}`);
    }
    checkRoom(ctx, ca, "loans", loan);
  }
  fundDisbursement(ctx, loan, valueDate, disbursementKey, body);
}

/**
 * Declaration hook (resources.ts `prepare`) of `POST`/`PUT`/`PATCH /creditarrangements`: the holder exists (its key
 * becomes the encodedKey), the amount is positive, the expiry after the start; a new arrangement is
 * PENDING_APPROVAL with APPROVED_AMOUNT exposure; a closed one cannot be edited; holder and exposure type are
 * fixed while accounts are linked; the amount may not go below what is consumed. Fills the derived amounts.
 */
export function prepareCreditArrangement(ctx: EngineContext, rec: WireRecord, old: WireRecord | undefined): void {
  const type = rec.holderType;
  const holderKey = rec.holderKey;
  if (typeof holderKey !== "string" || holderKey === "") throw invalidParameters("holderKey is required");
  const holder = ctx.store.find(type === "GROUP" ? "groups" : "clients", holderKey);
  if (!holder) throw mambuError(type === "GROUP" ? "INVALID_GROUP_ID" : "INVALID_CLIENT_ID", `holderKey ${holderKey}`, 400);
  rec.holderKey = holder.encodedKey;
  let amount: Dec;
  try {
    amount = dec(rec.amount);
  } catch {
    throw invalidParameters("amount must be a number");
  }
  if (!amount.greaterThan(0)) throw mambuError("CREDIT_ARRANGEMENT_AMOUNT_NOT_STRICTLY_POSITIVE", `amount ${String(rec.amount)}`);
  if (typeof rec.startDate === "string" && typeof rec.expireDate === "string" && Date.parse(rec.expireDate) <= Date.parse(rec.startDate)) {
    throw invalidParameters("expireDate must be after startDate");
  }
  rec.exposureLimitType ??= old?.exposureLimitType ?? "APPROVED_AMOUNT";
  if (!old) {
    rec.state = "PENDING_APPROVAL";
    for (const f of ["subState", "approvedDate", "closedDate"]) delete rec[f];
  } else {
    for (const f of ["state", "subState", "approvedDate", "closedDate"]) {
      if (old[f] !== undefined) rec[f] = old[f];
      else delete rec[f];
    }
    if (String(old.state) === "CLOSED") throw mambuError("INVALID_CREDIT_ARRANGEMENT_STATE", `credit arrangement ${String(old.id)} is closed`);
    const { loans, deposits } = linkedAccounts(ctx, old);
    if (loans.length + deposits.length > 0) {
      for (const f of ["holderKey", "holderType", "exposureLimitType"]) {
        if (rec[f] !== old[f]) throw mambuError("CREDIT_ARRANGEMENT_ILLEGAL_PARAMETER_MODIFICATION", `${f} cannot change while accounts are linked`);
      }
    }
    const consumed = consumedOf(ctx, { ...old, ...rec });
    if (consumed.greaterThan(amount)) {
      throw mambuError("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED", `amount ${amount.toString()} is below the consumed ${consumed.toString()}`);
    }
  }
  Object.assign(rec, derived(ctx, rec));
}

/** Declaration hook (resources.ts `beforeDelete`): an arrangement that had accounts linked cannot be deleted. */
export function beforeDeleteCreditArrangement(ctx: EngineContext, rec: WireRecord): void {
  const { loans, deposits } = linkedAccounts(ctx, rec);
  if (loans.length + deposits.length > 0) {
    throw mambuError("CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS", `credit arrangement ${String(rec.id)} has linked accounts`);
  }
}

const ACTIONS = new Set(["APPROVE", "UNDO_APPROVE", "REJECT", "UNDO_REJECT", "WITHDRAW", "UNDO_WITHDRAW", "CLOSE", "UNDO_CLOSE"]);

/** `POST /creditarrangements/{id}:changeState` (see the table of the module comment); returns the stored arrangement. */
export function changeCreditArrangementState(ctx: EngineContext, id: string, body: Record<string, unknown> | undefined): WireRecord {
  const ca = refreshCreditArrangement(ctx, requireCreditArrangement(ctx, id));
  const action = body?.action;
  if (typeof action !== "string" || !ACTIONS.has(action)) throw invalidParameters(`Invalid action ${String(action)}`);
  const state = String(ca.state);
  const sub = ca.subState;
  const now = ctx.clock.nowIso();
  const refuse = (): never => {
    throw mambuError("INVALID_CREDIT_ARRANGEMENT_STATE", `${action} is not allowed for a credit arrangement in state ${state}${sub ? `/${String(sub)}` : ""}`);
  };
  const open = (): boolean => {
    const { loans, deposits } = linkedAccounts(ctx, ca);
    return loans.some((l) => !isClosedAccount("loans", l)) || deposits.some((d) => !isClosedAccount("deposits", d));
  };
  const hasOpen = (what: string): void => {
    if (open()) throw mambuError("CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS", `${what}: credit arrangement ${String(ca.id)} has accounts that are not closed`);
  };
  let fields: Record<string, unknown>;
  switch (action) {
    case "APPROVE":
      if (state !== "PENDING_APPROVAL") refuse();
      fields = { state: "APPROVED", approvedDate: now };
      break;
    case "UNDO_APPROVE":
      if (state !== "APPROVED") refuse();
      hasOpen(action);
      fields = { state: "PENDING_APPROVAL", approvedDate: undefined };
      break;
    case "REJECT":
    case "WITHDRAW":
      if (state !== "PENDING_APPROVAL") refuse();
      fields = { state: "CLOSED", subState: action === "REJECT" ? "REJECTED" : "WITHDRAWN", closedDate: now };
      break;
    case "UNDO_REJECT":
    case "UNDO_WITHDRAW":
      if (state !== "CLOSED" || sub !== (action === "UNDO_REJECT" ? "REJECTED" : "WITHDRAWN")) refuse();
      fields = { state: "PENDING_APPROVAL", subState: undefined, closedDate: undefined };
      break;
    case "CLOSE":
      if (!USABLE.has(state)) refuse();
      hasOpen(action);
      fields = { state: "CLOSED", subState: undefined, closedDate: now };
      break;
    default: // UNDO_CLOSE
      if (state !== "CLOSED" || sub !== undefined) refuse();
      fields = { state: "APPROVED", closedDate: undefined };
  }
  const next: WireRecord = { ...ca, ...fields, lastModifiedDate: now };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete next[k];
  return refreshCreditArrangement(ctx, ctx.store.replace("creditarrangements", next));
}

/** The arrangements of a holder (client or group encodedKey), derived fields brought up to date. */
export function arrangementsOf(ctx: EngineContext, holderKey: string): WireRecord[] {
  return ctx.store.all("creditarrangements").filter((c) => c.holderKey === holderKey).map((c) => refreshCreditArrangement(ctx, c));
}

/** The account a `:addAccount` / `:removeAccount` body names (`accountId`: id or encodedKey, `accountType`: LOAN or DEPOSIT). */
function namedAccount(ctx: EngineContext, body: Record<string, unknown> | undefined): { coll: AccountColl; acc: WireRecord } {
  const id = body?.accountId;
  const type = body?.accountType;
  if (typeof id !== "string" || id === "") throw invalidParameters("accountId is required");
  if (type !== "LOAN" && type !== "DEPOSIT") throw invalidParameters(`accountType: expected one of LOAN, DEPOSIT, got ${JSON.stringify(type)}`);
  const coll: AccountColl = type === "LOAN" ? "loans" : "deposits";
  const acc = ctx.store.find(coll, id);
  if (!acc) throw mambuError(type === "LOAN" ? "INVALID_LOAN_ACCOUNT_ID" : "INVALID_DEPOSIT_ACCOUNT_ID", `${type} account ${id} not found`);
  return { coll, acc };
}

/**
 * `POST /creditarrangements/{id}:addAccount` (newer Mambu versions, `AddCreditArrangementAccountInput`): links an
 * open account not yet under an arrangement, with the checks of {@link checkAccountLink}.
 */
export function addCreditArrangementAccount(ctx: EngineContext, id: string, body: Record<string, unknown> | undefined): WireRecord {
  const ca = requireCreditArrangement(ctx, id);
  const { coll, acc } = namedAccount(ctx, body);
  if (typeof acc.creditArrangementKey === "string" && acc.creditArrangementKey !== "") {
    throw mambuError("ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT", `account ${String(acc.id)} is already under a credit arrangement`);
  }
  if (isClosedAccount(coll, acc)) throw mambuError("INVALID_ACCOUNT_STATE", `account ${String(acc.id)} is ${String(acc.accountState)}`);
  const next: WireRecord = { ...acc, creditArrangementKey: ca.encodedKey, lastModifiedDate: ctx.clock.nowIso() };
  checkAccountLink(ctx, coll, next, acc);
  ctx.store.replace(coll, next);
  return refreshCreditArrangement(ctx, ca);
}

/**
 * `POST /creditarrangements/{id}:removeAccount` (newer Mambu versions, `RemoveCreditArrangementAccountInput`):
 * unlinks an account of this arrangement (refused for a REQUIRED product's account past its application).
 */
export function removeCreditArrangementAccount(ctx: EngineContext, id: string, body: Record<string, unknown> | undefined): WireRecord {
  const ca = requireCreditArrangement(ctx, id);
  const { coll, acc } = namedAccount(ctx, body);
  if (acc.creditArrangementKey !== ca.encodedKey) {
    throw mambuError("ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT", `account ${String(acc.id)} is not under credit arrangement ${String(ca.id)}`);
  }
  const next: WireRecord = { ...acc, lastModifiedDate: ctx.clock.nowIso() };
  delete next.creditArrangementKey;
  checkAccountLink(ctx, coll, next, acc);
  ctx.store.replace(coll, next);
  return refreshCreditArrangement(ctx, ca);
}
