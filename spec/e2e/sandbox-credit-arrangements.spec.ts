/**
 * Sandbox e2e: credit arrangements (lines of credit) — CRUD, search, state machine, the accounts linked to an
 * arrangement and the limit enforced at loan creation, approval and disbursement under both exposure types.
 * Every answer is checked against the operation's response schema.
 */
import Decimal from "decimal.js";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, contractCall } from "./sandbox-helpers";

let sb: Sandbox;
const START = "2026-01-15T10:00:00+02:00";

/** Calls the sandbox and asserts that a JSON answer matches the contract's response schema for its status. */
async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  return contractCall(sb, method, path, body);
}

function reason(r: Answer): string {
  return r.body?.errors?.[0]?.errorReason;
}

/** Creates a loan product like DB-PERSONAL with the given credit arrangement requirement. */
async function loanProduct(id: string, requirement: string): Promise<string> {
  const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
  for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete base[f];
  const r = await call(sb, "POST", "/loanproducts", { body: { ...base, id, creditArrangementSettings: { creditArrangementRequirement: requirement } } });
  expect(r.status).toBe(201);
  return r.body.encodedKey;
}

let optional: string;
let required: string;
let clientKey: string;
let otherClientKey: string;

function loanBody(product: string, amount: number, extra: Record<string, unknown> = {}) {
  return {
    accountHolderKey: clientKey,
    accountHolderType: "CLIENT",
    productTypeKey: product,
    loanAmount: amount,
    interestSettings: { interestRate: 24 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    ...extra,
  };
}

async function newArrangement(amount: number, extra: Record<string, unknown> = {}): Promise<Answer> {
  return api("POST", "/creditarrangements", {
    amount,
    holderType: "CLIENT",
    holderKey: clientKey,
    startDate: "2026-01-01T00:00:00+02:00",
    expireDate: "2028-12-31T00:00:00+02:00",
    ...extra,
  });
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: START } });
  optional = await loanProduct("CA-OPTIONAL", "OPTIONAL");
  required = await loanProduct("CA-REQUIRED", "REQUIRED");
  clientKey = (await call(sb, "GET", "/clients/0512N0026")).body.encodedKey;
  otherClientKey = (await call(sb, "GET", "/clients/0512N0027")).body.encodedKey;
});
afterAll(async () => {
  await sb.stop();
});

describe("credit arrangements with APPROVED_AMOUNT exposure", () => {
  let ca: { id: string; encodedKey: string };
  let loan1: string;
  let loan2: string;

  it("creates an arrangement PENDING_APPROVAL with its whole amount available", async () => {
    const r = await newArrangement(10000, { id: "LOC-1", notes: "line of credit" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: "LOC-1",
      state: "PENDING_APPROVAL",
      exposureLimitType: "APPROVED_AMOUNT",
      holderKey: clientKey,
      amount: 10000,
      availableCreditAmount: 10000,
      consumedCreditAmount: 0,
    });
    ca = r.body;
    expect((await api("POST", "/creditarrangements", { amount: 0, holderType: "CLIENT", holderKey: clientKey, startDate: START, expireDate: "2027-01-01T00:00:00+02:00" })).body.errors[0].errorReason)
      .toBe("CREDIT_ARRANGEMENT_AMOUNT_NOT_STRICTLY_POSITIVE");
    expect(reason(await newArrangement(5000, { id: "LOC-1" }))).toBe("CREDIT_ARRANGEMENT_ID_ALREADY_IN_USE");
    expect(reason(await newArrangement(5000, { holderKey: "nobody" }))).toBe("INVALID_CLIENT_ID");
  });

  it("links accounts only once the arrangement is approved", async () => {
    const early = await api("POST", "/loans", loanBody(optional, 6000, { creditArrangementKey: ca.id }));
    expect(early.status).toBe(400);
    expect(reason(early)).toBe("INVALID_CREDIT_ARRANGEMENT_STATE");
    const approved = await api("POST", `/creditarrangements/${ca.id}:changeState`, { action: "APPROVE" });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe("APPROVED");
    expect(approved.body.approvedDate).toBe(START);
  });

  it("counts each linked loan's amount and refuses a loan beyond the available amount", async () => {
    const a = await api("POST", "/loans", loanBody(optional, 6000, { creditArrangementKey: ca.id }));
    expect(a.status).toBe(201);
    expect(a.body.creditArrangementKey).toBe(ca.encodedKey);
    loan1 = a.body.id;
    let got = await api("GET", `/creditarrangements/${ca.id}`);
    expect(got.body).toMatchObject({ consumedCreditAmount: 6000, availableCreditAmount: 4000, state: "APPROVED" });

    const over = await api("POST", "/loans", loanBody(optional, 4000.01, { creditArrangementKey: ca.encodedKey }));
    expect(over.status).toBe(400);
    expect(reason(over)).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    const exact = await api("POST", "/loans", loanBody(optional, 4000, { creditArrangementKey: ca.encodedKey }));
    expect(exact.status).toBe(201);
    loan2 = exact.body.id;
    got = await api("GET", `/creditarrangements/${ca.id}`);
    expect(got.body).toMatchObject({ consumedCreditAmount: 10000, availableCreditAmount: 0 });

    const accounts = await api("GET", `/creditarrangements/${ca.id}/accounts`);
    expect(accounts.status).toBe(200);
    expect(accounts.body.loanAccounts.map((l: { id: string }) => l.id)).toEqual([loan1, loan2]);
    expect(accounts.body.depositAccounts).toEqual([]);
  });

  it("refuses links the product or the holder do not allow", async () => {
    const demoProduct = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body.encodedKey;
    expect(reason(await api("POST", "/loans", loanBody(demoProduct, 1000, { creditArrangementKey: ca.id })))).toBe("PRODUCT_CREDIT_ARRANGEMENT_AFFILIATION_CONSTRAINT_MISMATCH");
    expect(reason(await api("POST", "/loans", { ...loanBody(optional, 1000, { creditArrangementKey: ca.id }), accountHolderKey: otherClientKey })))
      .toBe("INCONSISTENT_CREDIT_ARRANGEMENT_CLIENT_WITH_ACCOUNT_OWNER");
    expect(reason(await api("POST", "/loans", loanBody(optional, 1000, { creditArrangementKey: "missing" })))).toBe("INVALID_CREDIT_ARRANGEMENT_ID");
  });

  it("re-checks the limit when a linked loan grows, and frees room when a loan is withdrawn", async () => {
    const patched = await call(sb, "PATCH", `/loans/${loan2}`, { body: [{ op: "REPLACE", path: "loanAmount", value: 4500 }] });
    expect(patched.status).toBe(400);
    expect(reason(patched)).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    const withdrawn = await api("POST", `/loans/${loan2}:changeState`, { action: "WITHDRAW" });
    expect(withdrawn.status).toBe(200);
    const got = await api("GET", `/creditarrangements/${ca.id}`);
    expect(got.body).toMatchObject({ consumedCreditAmount: 6000, availableCreditAmount: 4000 });
  });

  it("becomes ACTIVE when a linked loan is disbursed; its amount cannot go below what is consumed", async () => {
    expect((await api("POST", `/loans/${loan1}:changeState`, { action: "APPROVE" })).status).toBe(200);
    const disbursed = await api("POST", `/loans/${loan1}/disbursement-transactions`, {});
    expect(disbursed.status).toBe(201);
    let got = await api("GET", `/creditarrangements/${ca.id}`);
    expect(got.body).toMatchObject({ state: "ACTIVE", consumedCreditAmount: 6000, availableCreditAmount: 4000 });

    const lower = await call(sb, "PATCH", `/creditarrangements/${ca.id}`, { body: [{ op: "REPLACE", path: "amount", value: 5999.99 }] });
    expect(lower.status).toBe(400);
    expect(reason(lower)).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    const type = await call(sb, "PATCH", `/creditarrangements/${ca.id}`, { body: [{ op: "REPLACE", path: "exposureLimitType", value: "OUTSTANDING_AMOUNT" }] });
    expect(reason(type)).toBe("CREDIT_ARRANGEMENT_ILLEGAL_PARAMETER_MODIFICATION");
    const higher = await call(sb, "PATCH", `/creditarrangements/${ca.id}`, { body: [{ op: "REPLACE", path: "amount", value: 12000 }] });
    expect(higher.status).toBe(204);
    got = await api("GET", `/creditarrangements/${ca.id}`);
    expect(got.body).toMatchObject({ amount: 12000, consumedCreditAmount: 6000, availableCreditAmount: 6000, state: "ACTIVE" });
  });

  it("cannot be closed, un-approved or deleted while accounts are open", async () => {
    const close = await api("POST", `/creditarrangements/${ca.id}:changeState`, { action: "CLOSE" });
    expect(close.status).toBe(400);
    expect(reason(close)).toBe("CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS");
    expect(reason(await api("POST", `/creditarrangements/${ca.id}:changeState`, { action: "REJECT" }))).toBe("INVALID_CREDIT_ARRANGEMENT_STATE");
    expect(reason(await api("DELETE", `/creditarrangements/${ca.id}`))).toBe("CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS");
  });
});

describe("overdrafts under a credit arrangement", () => {
  it("counts a linked deposit's overdraft limit and refuses one that does not fit", async () => {
    const savings = (await call(sb, "GET", "/depositproducts/SAVINGS")).body;
    for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete savings[f];
    const product = await call(sb, "POST", "/depositproducts", {
      body: { ...savings, id: "CA-CURRENT", type: "CURRENT_ACCOUNT", overdraftSettings: { allowOverdraft: true, maxOverdraftLimit: 5000 }, creditArrangementSettings: { creditArrangementRequirement: "OPTIONAL" } },
    });
    expect(product.status).toBe(201);
    const ca = (await newArrangement(4000, { id: "LOC-OD" })).body;
    await api("POST", `/creditarrangements/${ca.id}:changeState`, { action: "APPROVE" });
    const deposit = (limit: number | undefined) => ({
      name: "Current account",
      accountHolderKey: clientKey,
      accountHolderType: "CLIENT",
      productTypeKey: product.body.encodedKey,
      creditArrangementKey: ca.id,
      ...(limit === undefined ? {} : { overdraftSettings: { allowOverdraft: true, overdraftLimit: limit } }),
    });
    expect(reason(await api("POST", "/deposits", deposit(undefined)))).toBe("CREDIT_ARRANGEMENT_REQUIRES_OVERDRAFT_MAX_LIMIT");
    expect(reason(await api("POST", "/deposits", deposit(4000.01)))).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    const dep = await api("POST", "/deposits", deposit(3000));
    expect(dep.status).toBe(201);
    expect((await api("GET", `/creditarrangements/${ca.id}`)).body).toMatchObject({ consumedCreditAmount: 3000, availableCreditAmount: 1000 });
    expect(reason(await api("POST", "/loans", loanBody(optional, 1000.01, { creditArrangementKey: ca.id })))).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    const accounts = (await api("GET", `/creditarrangements/${ca.id}/accounts`)).body;
    expect(accounts.depositAccounts.map((d: { id: string }) => d.id)).toEqual([dep.body.id]);
    // unlinking (PATCH of the deposit) gives the room back
    const unlinked = await call(sb, "PATCH", `/deposits/${dep.body.id}`, { body: [{ op: "REMOVE", path: "creditArrangementKey" }] });
    expect(unlinked.status).toBe(204);
    expect((await api("GET", `/creditarrangements/${ca.id}`)).body).toMatchObject({ consumedCreditAmount: 0, availableCreditAmount: 4000 });
  });

  it("links and unlinks an existing account with :addAccount / :removeAccount (newer Mambu versions)", async () => {
    const loan = (await api("POST", "/loans", loanBody(optional, 2500))).body;
    const too = (await api("POST", "/loans", loanBody(optional, 1500.01))).body;
    const add = (id: string) => call(sb, "POST", "/creditarrangements/LOC-OD:addAccount", { body: { accountId: id, accountType: "LOAN" } });
    const added = await add(loan.id);
    expect(added.status).toBe(200);
    expect(added.body.loanAccounts.map((l: { id: string }) => l.id)).toEqual([loan.id]);
    expect((await api("GET", `/loans/${loan.id}`)).body.creditArrangementKey).toBe((await api("GET", "/creditarrangements/LOC-OD")).body.encodedKey);
    expect((await api("GET", "/creditarrangements/LOC-OD")).body).toMatchObject({ consumedCreditAmount: 2500, availableCreditAmount: 1500 });
    expect(reason(await add(loan.id))).toBe("ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT");
    expect(reason(await add(too.id))).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    const remove = (id: string) => call(sb, "POST", "/creditarrangements/LOC-OD:removeAccount", { body: { accountId: id, accountType: "LOAN" } });
    const removed = await remove(loan.encodedKey);
    expect(removed.status).toBe(200);
    expect(removed.body.loanAccounts).toEqual([]);
    expect((await api("GET", `/loans/${loan.id}`)).body.creditArrangementKey).toBeUndefined();
    expect(reason(await remove(loan.id))).toBe("ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT");
    expect((await api("GET", "/creditarrangements/LOC-OD")).body).toMatchObject({ consumedCreditAmount: 0, availableCreditAmount: 4000 });
  });
});

describe("credit arrangements with OUTSTANDING_AMOUNT exposure", () => {
  it("counts principal balances: repayments free room, a disbursement beyond the room is refused", async () => {
    const ca = (await newArrangement(8000, { id: "LOC-REV", exposureLimitType: "OUTSTANDING_AMOUNT" })).body;
    await api("POST", `/creditarrangements/${ca.id}:changeState`, { action: "APPROVE" });
    const a = (await api("POST", "/loans", loanBody(optional, 6000, { creditArrangementKey: ca.id }))).body;
    const b = (await api("POST", "/loans", loanBody(optional, 5000, { creditArrangementKey: ca.id }))).body;
    // nothing disbursed: nothing consumed, although 11000 is asked for
    expect((await api("GET", `/creditarrangements/${ca.id}`)).body).toMatchObject({ consumedCreditAmount: 0, availableCreditAmount: 8000 });
    for (const id of [a.id, b.id]) expect((await api("POST", `/loans/${id}:changeState`, { action: "APPROVE" })).status).toBe(200);
    expect((await api("POST", `/loans/${a.id}/disbursement-transactions`, {})).status).toBe(201);
    expect((await api("GET", `/creditarrangements/${ca.id}`)).body).toMatchObject({ consumedCreditAmount: 6000, availableCreditAmount: 2000, state: "ACTIVE" });

    const refused = await api("POST", `/loans/${b.id}/disbursement-transactions`, {});
    expect(refused.status).toBe(400);
    expect(reason(refused)).toBe("CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED");
    expect((await api("GET", `/loans/${b.id}`)).body.accountState).toBe("APPROVED");

    sb.clock.advance({ days: 10 });
    expect((await api("POST", `/loans/${a.id}/repayment-transactions`, { amount: 3500 })).status).toBe(201);
    const principal = new Decimal((await api("GET", `/loans/${a.id}`)).body.balances.principalBalance);
    expect(principal.lessThan(3000)).toBe(true);
    const got = (await api("GET", `/creditarrangements/${ca.id}`)).body;
    expect(new Decimal(got.consumedCreditAmount).equals(principal)).toBe(true);
    expect(new Decimal(got.availableCreditAmount).equals(new Decimal(8000).minus(principal))).toBe(true);
    expect((await api("POST", `/loans/${b.id}/disbursement-transactions`, {})).status).toBe(201);
    const after = (await api("GET", `/creditarrangements/${ca.id}`)).body;
    expect(new Decimal(after.consumedCreditAmount).equals(principal.plus(5000))).toBe(true);
  });
});

describe("states, requirement and listings", () => {
  it("walks the state machine of the Swagger CreditArrangementAction", async () => {
    const ca = (await newArrangement(1000, { id: "LOC-SM" })).body;
    const act = (action: string) => api("POST", `/creditarrangements/${ca.id}:changeState`, { action });
    const now = sb.clock.nowIso();
    expect((await act("WITHDRAW")).body).toMatchObject({ state: "CLOSED", subState: "WITHDRAWN", closedDate: now });
    expect(reason(await act("UNDO_REJECT"))).toBe("INVALID_CREDIT_ARRANGEMENT_STATE");
    const back = (await act("UNDO_WITHDRAW")).body;
    expect(back.state).toBe("PENDING_APPROVAL");
    expect(back.subState).toBeUndefined();
    expect(back.closedDate).toBeUndefined();
    expect((await act("REJECT")).body).toMatchObject({ state: "CLOSED", subState: "REJECTED" });
    expect(reason(await call(sb, "PATCH", `/creditarrangements/${ca.id}`, { body: [{ op: "REPLACE", path: "amount", value: 2000 }] }))).toBe("INVALID_CREDIT_ARRANGEMENT_STATE");
    expect((await act("UNDO_REJECT")).body.state).toBe("PENDING_APPROVAL");
    expect((await act("APPROVE")).body.state).toBe("APPROVED");
    expect((await act("UNDO_APPROVE")).body.state).toBe("PENDING_APPROVAL");
    expect((await act("APPROVE")).body.state).toBe("APPROVED");
    const closed = (await act("CLOSE")).body;
    expect(closed).toMatchObject({ state: "CLOSED", closedDate: now });
    expect(closed.subState).toBeUndefined();
    expect((await act("UNDO_CLOSE")).body.state).toBe("APPROVED");
    expect(reason(await act("UNDO_CLOSE"))).toBe("INVALID_CREDIT_ARRANGEMENT_STATE");
    expect((await api("DELETE", `/creditarrangements/${ca.id}`)).status).toBe(204);
    expect(reason(await api("GET", `/creditarrangements/${ca.id}`))).toBe("INVALID_CREDIT_ARRANGEMENT_ID");
  });

  it("does not approve a loan of a REQUIRED product without an arrangement", async () => {
    const loan = (await api("POST", "/loans", loanBody(required, 1000))).body;
    const r = await api("POST", `/loans/${loan.id}:changeState`, { action: "APPROVE" });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe("CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION");
  });

  it("lists a holder's arrangements, sorts and searches them", async () => {
    const mine = await api("GET", "/clients/0512N0026/creditarrangements?limit=10");
    expect(mine.status).toBe(200);
    expect(mine.body.map((c: { id: string }) => c.id).sort()).toEqual(["LOC-1", "LOC-OD", "LOC-REV"]);
    const group = await api("GET", "/groups/24G23446/creditarrangements");
    expect(group.body).toEqual([]);
    expect(reason(await api("GET", "/clients/nobody/creditarrangements"))).toBe("INVALID_CLIENT_ID");
    const sorted = await api("GET", "/creditarrangements?sortBy=amount:ASC&paginationDetails=ON");
    expect(sorted.body.map((c: { amount: number }) => c.amount)).toEqual([4000, 8000, 12000]);
    expect(sorted.headers.get("items-total")).toBe("3");
    const found = await api("POST", "/creditarrangements:search", {
      filterCriteria: [{ field: "exposureLimitType", operator: "EQUALS", value: "OUTSTANDING_AMOUNT" }],
      sortingCriteria: { field: "amount", order: "DESC" },
    });
    expect(found.body.map((c: { id: string }) => c.id)).toEqual(["LOC-REV"]);
    const active = await api("POST", "/creditarrangements:search", { filterCriteria: [{ field: "state", operator: "EQUALS", value: "ACTIVE" }] });
    expect(active.body.map((c: { id: string }) => c.id).sort()).toEqual(["LOC-1", "LOC-REV"]);
  });

  it("answers a client's role", async () => {
    const r = await api("GET", "/clients/0512N0026/role");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ clientType: "CLIENT", canOpenAccounts: true, canGuarantee: true });
    expect(reason(await api("GET", "/clients/nobody/role"))).toBe("INVALID_CLIENT_ID");
  });
});
