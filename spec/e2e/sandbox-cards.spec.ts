/**
 * Sandbox e2e: cards and authorization holds — every operation of the `cards` Swagger file plus
 * `balanceInquiry`, and the account-side card operations of loans and deposits. Each request body and each answer
 * is checked against the operation's contract, and after every step that moves money the deposit's invariants hold:
 * availableBalance = totalBalance − holdBalance − blockedBalance, holdBalance = the sum of its PENDING debit holds,
 * totalBalance − overdraftAmount = the sum of its transactions. A replayed Idempotency-Key creates one hold.
 */
import fc from "fast-check";
import { Decimal, MambuCard, MambuConnector, MambuDeposit, MambuError, api } from "../../lib";
import { operation, validateAgainst } from "../../lib/contract/schema";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, expectContractAnswer } from "./sandbox-helpers";
import { demoConnector } from "../helpers/sandbox-connector";

let sb: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, checkResponses: true });
  conn = demoConnector(sb);
});
afterAll(async () => {
  conn.close();
  await sb.stop();
});

const D = (v: unknown): Decimal => new Decimal(String(v ?? 0));

/**
 * Calls an operation of the contract: `resource`, method and Swagger template name it; `params` fill the template.
 * The body is checked against the operation's request schema first (fields newer than the contract tolerated) and
 * the answer against its response schema for the status answered (error bodies against ErrorResponse).
 */
async function op(
  resource: string,
  method: string,
  template: string,
  params: Record<string, string>,
  opts: { body?: unknown; query?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const spec = operation(resource, method, template);
  if (!spec) throw new Error(`no operation ${resource} ${method} ${template}`);
  // fields newer than the 2021 files (e.g. `advice` of an increase, in the newer API reference) are tolerated
  if (opts.body !== undefined && spec.body) expect(validateAgainst(resource, spec.body, opts.body).filter((p) => !/: unknown field/.test(p))).toEqual([]);
  const path = template.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(params[n]!));
  const r = await call(sb, method, `${path}${opts.query ? `?${opts.query}` : ""}`, { body: opts.body, headers: opts.headers });
  expectContractAnswer(method, path, r, { resource, strict: true });
  return r;
}

/** The first error reason of an answer. */
const reason = (r: Answer): string | undefined => r.body?.errors?.[0]?.errorReason;

const CARDS = "cards";
const HOLDS = "/cards/{cardReferenceToken}/authorizationholds";
const HOLD = "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}";
const TXS = "/cards/{cardReferenceToken}/financialtransactions";
const INQUIRY = "/cards/{cardReferenceToken}/balanceInquiry";

/** A fresh ACTIVE deposit (holder and product of DEP001) with `amount` paid in. */
async function newDeposit(amount: string): Promise<string> {
  const tpl = (await call(sb, "GET", "/deposits/DEP001")).body;
  const created = await call(sb, "POST", "/deposits", {
    body: { accountHolderKey: tpl.accountHolderKey, accountHolderType: tpl.accountHolderType, productTypeKey: tpl.productTypeKey, currencyCode: tpl.currencyCode, accountType: tpl.accountType, name: "card account" },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await call(sb, "POST", `/deposits/${id}:changeState`, { body: { action: "APPROVE" } });
  const dep = await call(sb, "POST", `/deposits/${id}/deposit-transactions`, { body: { amount } });
  expect(dep.status).toBe(201);
  return id;
}

/** A deposit's balances, its pending debit holds (listed through the API) and its transactions' sum; checks the invariants. */
async function invariants(depId: string, token?: string): Promise<{ total: Decimal; hold: Decimal; available: Decimal; blocked: Decimal }> {
  const dep = (await op("deposits", "GET", "/deposits/{depositAccountId}", { depositAccountId: depId })).body;
  const b = dep.balances;
  const holds = (await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", { depositAccountId: depId }, { query: "status=PENDING&limit=1000" })).body as Array<{ amount: number; creditDebitIndicator?: string }>;
  const pending = holds.filter((h) => h.creditDebitIndicator !== "CRDT").reduce((a, h) => a.plus(D(h.amount)), new Decimal(0));
  const txs = (await call(sb, "GET", `/deposits/${depId}/transactions?limit=1000`)).body as Array<{ amount: number }>;
  const net = txs.reduce((a, t) => a.plus(D(t.amount)), new Decimal(0));
  expect(D(b.availableBalance).toFixed(2)).toBe(D(b.totalBalance).minus(D(b.holdBalance)).minus(D(b.blockedBalance)).toFixed(2));
  expect(D(b.holdBalance).toFixed(2)).toBe(pending.toFixed(2));
  expect(D(b.totalBalance).minus(D(b.overdraftAmount)).toFixed(2)).toBe(net.toFixed(2));
  if (token) {
    const inq = (await op(CARDS, "GET", INQUIRY, { cardReferenceToken: token })).body;
    expect(D(inq.availableBalance).toFixed(2)).toBe(D(b.availableBalance).toFixed(2));
    expect(D(inq.totalBalance).toFixed(2)).toBe(D(b.totalBalance).toFixed(2));
  }
  return { total: D(b.totalBalance), hold: D(b.holdBalance), available: D(b.availableBalance), blocked: D(b.blockedBalance) };
}

/** A DBIT hold body. */
const holdBody = (ref: string, amount: number | string, extra: Record<string, unknown> = {}) => ({ externalReferenceId: ref, amount, advice: false, ...extra });

describe("cards linked to accounts", () => {
  it("links, lists and unlinks a deposit's cards; a token names one account", async () => {
    const depId = await newDeposit("100.00");
    const p = { depositAccountId: depId };
    const created = await op("deposits", "POST", "/deposits/{depositAccountId}/cards", p, { body: { referenceToken: "tok-link-1" } });
    expect(created.status).toBe(201);
    await op("deposits", "POST", "/deposits/{depositAccountId}/cards", p, { body: { referenceToken: "tok-link-2" } });
    const listed = (await op("deposits", "GET", "/deposits/{depositAccountId}/cards", p)).body;
    expect(listed).toEqual([{ referenceToken: "tok-link-1" }, { referenceToken: "tok-link-2" }]);

    const again = await op("loans", "POST", "/loans/{loanAccountId}/cards", { loanAccountId: "54324" }, { body: { referenceToken: "tok-link-1" } });
    expect([again.status, reason(again)]).toEqual([400, "CARD_REFERENCE_TOKEN_ALREADY_IN_USE"]);
    for (const referenceToken of ["has space", "", "x".repeat(256), "caf\u00e9"]) {
      const bad = await op("deposits", "POST", "/deposits/{depositAccountId}/cards", p, { body: { referenceToken } });
      expect([referenceToken, bad.status, reason(bad)]).toEqual([referenceToken, 400, "CARD_REFERENCE_TOKEN_FORMAT_INVALID"]);
    }
    expect((await op("deposits", "POST", "/deposits/{depositAccountId}/cards", p, { body: { referenceToken: "x".repeat(255) } })).status).toBe(201);
    const noAccount = await op("deposits", "POST", "/deposits/{depositAccountId}/cards", { depositAccountId: "NOPE" }, { body: { referenceToken: "tok-x" } });
    expect([noAccount.status, reason(noAccount)]).toEqual([404, "INVALID_DEPOSIT_ACCOUNT_ID"]);

    // unlinking needs the account the card is linked to
    const wrong = await op("loans", "DELETE", "/loans/{loanAccountId}/cards/{cardReferenceToken}", { loanAccountId: "54324", cardReferenceToken: "tok-link-1" });
    expect([wrong.status, reason(wrong)]).toEqual([404, "CARD_REFERENCE_NOT_FOUND"]);
    expect((await op("deposits", "DELETE", "/deposits/{depositAccountId}/cards/{cardReferenceToken}", { ...p, cardReferenceToken: "tok-link-1" })).status).toBe(204);
    expect((await op("deposits", "GET", "/deposits/{depositAccountId}/cards", p)).body).toEqual([{ referenceToken: "tok-link-2" }, { referenceToken: "x".repeat(255) }]);
    const gone = await op(CARDS, "GET", INQUIRY, { cardReferenceToken: "tok-link-1" });
    expect([gone.status, reason(gone)]).toEqual([404, "CARD_REFERENCE_NOT_FOUND"]);
  });
});

describe("authorization holds on a deposit", () => {
  let depId: string;
  const token = "tok-dep-holds";
  const t = { cardReferenceToken: token };
  beforeAll(async () => {
    depId = await newDeposit("1000.00");
    await op("deposits", "POST", "/deposits/{depositAccountId}/cards", { depositAccountId: depId }, { body: { referenceToken: token } });
  });

  it("balanceInquiry answers the linked deposit's balances (through api.cards.getAccountBalances too)", async () => {
    const inq = await op(CARDS, "GET", INQUIRY, t);
    expect(inq.body).toEqual({ accountId: depId, availableBalance: 1000, cardType: "DEBIT", creditLimit: 0, currencyCode: expect.any(String), totalBalance: 1000 });
    const viaApi = await api.cards.getAccountBalances({ cardReferenceToken: token }, { connector: conn });
    expect(viaApi).toEqual(inq.body);
    await invariants(depId, token);
  });

  it("a debit hold reserves its amount: PENDING, holdBalance up, availableBalance down, exactly", async () => {
    const before = await invariants(depId, token);
    const r = await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-1", 100.55, { cardAcceptor: { name: "Shop", mcc: 5411, city: "Berlin" }, userTransactionTime: "10:01:02" }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ externalReferenceId: "H-1", amount: 100.55, status: "PENDING", cardToken: token, creditDebitIndicator: "DBIT", advice: false, cardAcceptor: { name: "Shop", mcc: 5411, city: "Berlin" } });
    const after = await invariants(depId, token);
    expect(after.hold.minus(before.hold).toFixed(2)).toBe("100.55");
    expect(before.available.minus(after.available).toFixed(2)).toBe("100.55");
    expect(after.total.toFixed(2)).toBe(before.total.toFixed(2));

    const got = await op(CARDS, "GET", HOLD, { ...t, authorizationHoldExternalReferenceId: "H-1" });
    expect(got.body).toMatchObject({ externalReferenceId: "H-1", amount: 100.55, status: "PENDING", encodedKey: expect.any(String) });
    const viaApi = await api.cards.getAuthorizationHoldById({ cardReferenceToken: token, authorizationHoldExternalReferenceId: "H-1" }, { connector: conn });
    expect(viaApi.encodedKey).toBe(got.body.encodedKey);
    const byKey = await op(CARDS, "GET", HOLD, { ...t, authorizationHoldExternalReferenceId: got.body.encodedKey });
    expect(byKey.body.externalReferenceId).toBe("H-1");
    const otherCard = await op(CARDS, "GET", HOLD, { cardReferenceToken: "tok-link-2", authorizationHoldExternalReferenceId: "H-1" });
    expect([otherCard.status, reason(otherCard)]).toEqual([404, "AUTHORIZATION_HOLD_NOT_FOUND"]);

    const dup = await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-1", 1) });
    expect([dup.status, reason(dup)]).toEqual([400, "DUPLICATE_AUTHORIZATION_HOLD"]);
    const missing = await op(CARDS, "GET", HOLD, { ...t, authorizationHoldExternalReferenceId: "H-none" });
    expect([missing.status, reason(missing)]).toEqual([404, "AUTHORIZATION_HOLD_NOT_FOUND"]);
    const noCard = await op(CARDS, "POST", HOLDS, { cardReferenceToken: "tok-unknown" }, { body: holdBody("H-x", 1) });
    expect([noCard.status, reason(noCard)]).toEqual([404, "CARD_REFERENCE_NOT_FOUND"]);
    await invariants(depId, token);
  });

  it("a hold above the available funds is refused unless it is an advice", async () => {
    const before = await invariants(depId, token);
    const big = before.available.plus("0.01").toFixed(2);
    const refused = await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-big", big) });
    expect([refused.status, reason(refused)]).toEqual([400, "AVAILABLE_BALANCE_BELOW_ZERO"]);
    expect((await invariants(depId, token)).hold.toFixed(2)).toBe(before.hold.toFixed(2));
    const advice = await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-advice", big, { advice: true }) });
    expect(advice.status).toBe(201);
    const during = await invariants(depId, token);
    expect(during.available.toFixed(2)).toBe("-0.01");
    expect((await op(CARDS, "DELETE", HOLD, { ...t, authorizationHoldExternalReferenceId: "H-advice" })).status).toBe(204);
    expect((await invariants(depId, token)).available.toFixed(2)).toBe(before.available.toFixed(2));
  });

  it("increase and decrease move the hold and the reserved money; a decrease to zero or more reverses it", async () => {
    const h = { ...t, authorizationHoldExternalReferenceId: "H-1" };
    const before = await invariants(depId, token);
    expect((await op(CARDS, "POST", `${HOLD}:increase`, h, { body: { amount: 20.1, externalReferenceId: "H-1-inc" } })).status).toBe(204);
    expect((await op(CARDS, "GET", HOLD, h)).body.amount).toBe(120.65);
    expect((await op(CARDS, "POST", `${HOLD}:decrease`, h, { body: { amount: 0.65 } })).status).toBe(204);
    expect((await op(CARDS, "GET", HOLD, h)).body.amount).toBe(120);
    const mid = await invariants(depId, token);
    expect(mid.hold.minus(before.hold).toFixed(2)).toBe("19.45");

    const tooMuch = await op(CARDS, "POST", `${HOLD}:increase`, h, { body: { amount: mid.available.plus(1).toFixed(2) } });
    expect([tooMuch.status, reason(tooMuch)]).toEqual([400, "AVAILABLE_BALANCE_BELOW_ZERO"]);

    await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-2", 30) });
    expect((await op(CARDS, "POST", `${HOLD}:decrease`, { ...t, authorizationHoldExternalReferenceId: "H-2" }, { body: { amount: 30 } })).status).toBe(204);
    expect((await op(CARDS, "GET", HOLD, { ...t, authorizationHoldExternalReferenceId: "H-2" })).body).toMatchObject({ status: "REVERSED", amount: 30 });
    const after = await invariants(depId, token);
    expect(after.hold.toFixed(2)).toBe(mid.hold.toFixed(2));
    const again = await op(CARDS, "POST", `${HOLD}:increase`, { ...t, authorizationHoldExternalReferenceId: "H-2" }, { body: { amount: 1 } });
    expect([again.status, reason(again)]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);
  });

  it("reversing (DELETE) releases the hold; a second reversal is refused", async () => {
    await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-3", 45.5) });
    const before = await invariants(depId, token);
    const h = { ...t, authorizationHoldExternalReferenceId: "H-3" };
    expect((await op(CARDS, "DELETE", HOLD, h)).status).toBe(204);
    expect((await op(CARDS, "GET", HOLD, h)).body.status).toBe("REVERSED");
    const after = await invariants(depId, token);
    expect(before.hold.minus(after.hold).toFixed(2)).toBe("45.50");
    const twice = await op(CARDS, "DELETE", HOLD, h);
    expect([twice.status, reason(twice)]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);
  });

  it("a credit (CRDT) hold has no impact on the available balance", async () => {
    const before = await invariants(depId, token);
    const r = await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-credit", 500, { creditDebitIndicator: "CRDT" }) });
    expect(r.body).toMatchObject({ creditDebitIndicator: "CRDT", status: "PENDING" });
    const after = await invariants(depId, token);
    expect(after.hold.toFixed(2)).toBe(before.hold.toFixed(2));
    expect(after.available.toFixed(2)).toBe(before.available.toFixed(2));
    await op(CARDS, "DELETE", HOLD, { ...t, authorizationHoldExternalReferenceId: "H-credit" });
  });

  it("an Idempotency-Key replayed on createAuthorizationHold creates one hold", async () => {
    const before = await invariants(depId, token);
    const key = "0f4b2b55-7d1e-4c5a-9a57-2a3f7b0f1c11";
    const body = holdBody("H-idem", 12.34);
    const first = await op(CARDS, "POST", HOLDS, t, { body, headers: { "Idempotency-Key": key } });
    const second = await op(CARDS, "POST", HOLDS, t, { body, headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const all = (await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", { depositAccountId: depId }, { query: "limit=1000" })).body as Array<{ externalReferenceId: string }>;
    expect(all.filter((h) => h.externalReferenceId === "H-idem")).toHaveLength(1);
    expect((await invariants(depId, token)).hold.minus(before.hold).toFixed(2)).toBe("12.34");
    // the same hold through the ORM's caller, with a key of its own: one more hold, not two
    const viaApi = await api.cards.createAuthorizationHold({ cardReferenceToken: token }, { externalReferenceId: "H-api", amount: new Decimal("1.01"), advice: false }, { connector: conn });
    expect(viaApi.status).toBe("PENDING");
    expect((await invariants(depId, token)).hold.minus(before.hold).toFixed(2)).toBe("13.35");
  });

  it("an Idempotency-Key replayed on createCardTransaction posts one withdrawal", async () => {
    const before = await invariants(depId, token);
    const key = "5b0d8a1e-2c3f-4e6a-8b9c-0d1e2f3a4b5c";
    const body = { externalReferenceId: "T-idem", amount: 3.21, advice: false, transactionChannelId: "cash" };
    const first = await op(CARDS, "POST", TXS, t, { body, headers: { "Idempotency-Key": key } });
    const second = await op(CARDS, "POST", TXS, t, { body, headers: { "Idempotency-Key": key } });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(before.total.minus((await invariants(depId, token)).total).toFixed(2)).toBe("3.21");
    const txs = (await call(sb, "GET", `/deposits/${depId}/transactions?limit=1000`)).body as Array<{ cardTransaction?: { externalReferenceId?: string } }>;
    expect(txs.filter((x) => x.cardTransaction?.externalReferenceId === "T-idem")).toHaveLength(1);
  });

  it("lists an account's holds: status filter, paging with items-total", async () => {
    const p = { depositAccountId: depId };
    const all = (await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", p)).body as Array<{ externalReferenceId: string; status: string }>;
    expect(all.map((h) => h.externalReferenceId)).toEqual(["H-1", "H-advice", "H-2", "H-3", "H-credit", "H-idem", "H-api"]);
    const reversed = (await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", p, { query: "status=REVERSED" })).body as Array<{ externalReferenceId: string }>;
    expect(reversed.map((h) => h.externalReferenceId)).toEqual(["H-advice", "H-2", "H-3", "H-credit"]);
    const page = await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", p, { query: "offset=1&limit=2&paginationDetails=ON" });
    expect(page.body.map((h: { externalReferenceId: string }) => h.externalReferenceId)).toEqual(["H-advice", "H-2"]);
    expect(page.headers.get("items-total")).toBe("7");
    const badStatus = await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", p, { query: "status=OPEN" });
    expect([badStatus.status, reason(badStatus)]).toEqual([400, "INVALID_PARAMETERS"]);
    const badLimit = await op("deposits", "GET", "/deposits/{depositAccountId}/authorizationholds", p, { query: "limit=1001" });
    expect([badLimit.status, reason(badLimit)]).toEqual([400, "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE"]);
  });

  it("a card transaction naming a hold settles it: the account is debited once, the hold released", async () => {
    const before = await invariants(depId, token);
    const h = { ...t, authorizationHoldExternalReferenceId: "H-1" };
    const held = D((await op(CARDS, "GET", HOLD, h)).body.amount);
    const body = { externalReferenceId: "T-1", amount: 110.25, advice: false, transactionChannelId: "cash", externalAuthorizationReferenceId: "H-1", cardAcceptor: { name: "Shop" } };
    const r = await op(CARDS, "POST", TXS, t, { body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ externalReferenceId: "T-1", amount: 110.25, cardToken: token, externalAuthorizationReferenceId: "H-1", linkedTransaction: { linkedTransactionType: "DEPOSIT" } });
    expect((await op(CARDS, "GET", HOLD, h)).body.status).toBe("SETTLED");
    const after = await invariants(depId, token);
    expect(before.total.minus(after.total).toFixed(2)).toBe("110.25");
    expect(before.hold.minus(after.hold).toFixed(2)).toBe(held.toFixed(2));
    expect(after.available.minus(before.available).toFixed(2)).toBe(held.minus("110.25").toFixed(2));
    const tx = (await call(sb, "GET", `/deposits/transactions/${r.body.linkedTransaction.linkedTransactionKey}`)).body;
    expect(tx).toMatchObject({ type: "WITHDRAWAL", amount: -110.25, cardTransaction: { externalReferenceId: "T-1", cardToken: token, amount: 110.25 } });

    const dup = await op(CARDS, "POST", TXS, t, { body: { ...body, externalAuthorizationReferenceId: undefined } });
    expect([dup.status, reason(dup)]).toEqual([400, "DUPLICATE_CARD_TRANSACTION"]);
    const settledAgain = await op(CARDS, "POST", TXS, t, { body: { ...body, externalReferenceId: "T-1b" } });
    expect([settledAgain.status, reason(settledAgain)]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);
    const noHold = await op(CARDS, "POST", TXS, t, { body: { ...body, externalReferenceId: "T-1c", externalAuthorizationReferenceId: "H-none" } });
    expect([noHold.status, reason(noHold)]).toEqual([400, "AUTHORIZATION_HOLD_NOT_FOUND"]);
    await invariants(depId, token);
  });

  it("a card transaction above the available funds is refused and changes nothing; its hold's money counts as available", async () => {
    await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-4", 50) });
    const before = await invariants(depId, token);
    const over = before.available.plus(50).plus("0.01").toFixed(2);
    const refused = await op(CARDS, "POST", TXS, t, { body: { externalReferenceId: "T-2", amount: over, advice: false, transactionChannelId: "cash", externalAuthorizationReferenceId: "H-4" } });
    expect([refused.status, reason(refused)]).toEqual([400, "AVAILABLE_BALANCE_BELOW_ZERO"]);
    expect((await op(CARDS, "GET", HOLD, { ...t, authorizationHoldExternalReferenceId: "H-4" })).body.status).toBe("PENDING");
    expect(await invariants(depId, token)).toEqual(before);
    // exactly the available funds plus the hold it settles is fine
    const exact = before.available.plus(50).toFixed(2);
    const ok = await op(CARDS, "POST", TXS, t, { body: { externalReferenceId: "T-2", amount: exact, advice: false, transactionChannelId: "cash", externalAuthorizationReferenceId: "H-4" } });
    expect(ok.status).toBe(201);
    const after = await invariants(depId, token);
    expect(after.available.toFixed(2)).toBe("0.00");
    expect(before.total.minus(after.total).toFixed(2)).toBe(exact);
  });

  it("reverses (part of) a card transaction, never more than it took", async () => {
    const before = await invariants(depId, token);
    const tx = { ...t, cardTransactionExternalReferenceId: "T-1" };
    const r = await op(CARDS, "POST", `${TXS}/{cardTransactionExternalReferenceId}:decrease`, tx, { body: { externalReferenceId: "R-1", amount: 60.25 } });
    expect(r.status).toBe(204);
    let after = await invariants(depId, token);
    expect(after.total.minus(before.total).toFixed(2)).toBe("60.25");
    const over = await op(CARDS, "POST", `${TXS}/{cardTransactionExternalReferenceId}:decrease`, tx, { body: { externalReferenceId: "R-2", amount: 50.01 } });
    expect([over.status, reason(over)]).toEqual([400, "CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED"]);
    await api.cards.reverseCardTransaction({ cardReferenceToken: token, cardTransactionExternalReferenceId: "T-1" }, { externalReferenceId: "R-2", amount: new Decimal("50.00") }, { connector: conn });
    after = await invariants(depId, token);
    expect(after.total.minus(before.total).toFixed(2)).toBe("110.25");
    const reversals = ((await call(sb, "GET", `/deposits/${depId}/transactions?limit=1000`)).body as Array<{ type: string; amount: number }>).filter((x) => x.type === "CARD_TRANSACTION_REVERSAL");
    expect(reversals.map((x) => x.amount)).toEqual([60.25, 50]);
    const dupRef = await op(CARDS, "POST", `${TXS}/{cardTransactionExternalReferenceId}:decrease`, { ...t, cardTransactionExternalReferenceId: "T-2" }, { body: { externalReferenceId: "R-1", amount: 1 } });
    expect([dupRef.status, reason(dupRef)]).toEqual([400, "DUPLICATE_CARD_TRANSACTION"]);
    const unknown = await op(CARDS, "POST", `${TXS}/{cardTransactionExternalReferenceId}:decrease`, { ...t, cardTransactionExternalReferenceId: "T-none" }, { body: { externalReferenceId: "R-9", amount: 1 } });
    expect([unknown.status, reason(unknown)]).toEqual([404, "CARD_TRANSACTION_NOT_FOUND"]);
  });

  it("a card transaction reversal cannot be adjusted (400 CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED), and stays as it was", async () => {
    const before = await invariants(depId, token);
    const txs = (await call(sb, "GET", `/deposits/${depId}/transactions?limit=1000`)).body as Array<{ id: string; type: string; amount: number; adjustmentTransactionKey?: string }>;
    const reversal = txs.find((x) => x.type === "CARD_TRANSACTION_REVERSAL");
    if (!reversal) throw new Error("no CARD_TRANSACTION_REVERSAL to adjust");
    const r = await op("deposits_transactions", "POST", "/deposits/transactions/{depositTransactionId}:adjust", { depositTransactionId: reversal.id }, { body: { notes: "undo the refund" } });
    expect([r.status, reason(r)]).toEqual([400, "CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED"]);
    expect(await invariants(depId, token)).toEqual(before);
    const again = (await call(sb, "GET", `/deposits/transactions/${reversal.id}`)).body;
    expect([again.type, again.amount, again.adjustmentTransactionKey]).toEqual(["CARD_TRANSACTION_REVERSAL", reversal.amount, undefined]);
  });

  it("a card with pending holds cannot be unlinked; once they are gone it can", async () => {
    const p = { depositAccountId: depId, cardReferenceToken: token };
    const refused = await op("deposits", "DELETE", "/deposits/{depositAccountId}/cards/{cardReferenceToken}", p);
    expect([refused.status, reason(refused)]).toEqual([400, "CARD_REFERENCE_HAS_ASSOCIATED_HOLDS_OR_TRANSACTIONS"]);
    for (const ref of ["H-idem", "H-api"]) await op(CARDS, "DELETE", HOLD, { ...t, authorizationHoldExternalReferenceId: ref });
    expect((await invariants(depId, token)).hold.toFixed(2)).toBe("0.00");
    expect((await op("deposits", "DELETE", "/deposits/{depositAccountId}/cards/{cardReferenceToken}", p)).status).toBe(204);
    const gone = await op(CARDS, "POST", HOLDS, t, { body: holdBody("H-late", 1) });
    expect([gone.status, reason(gone)]).toEqual([404, "CARD_REFERENCE_NOT_FOUND"]);
  });
});

describe("a card on a loan (credit)", () => {
  const token = "tok-loan-54324";
  const t = { cardReferenceToken: token };
  let loanAmount: Decimal;
  const loanHold = async (): Promise<Decimal> => D((await op("loans", "GET", "/loans/{loanAccountId}", { loanAccountId: "54324" })).body.balances?.holdBalance);

  beforeAll(async () => {
    expect((await op("loans", "POST", "/loans/{loanAccountId}/cards", { loanAccountId: "54324" }, { body: { referenceToken: token } })).status).toBe(201);
    loanAmount = D((await call(sb, "GET", "/loans/54324")).body.loanAmount);
  });

  it("balanceInquiry: CREDIT, the loan amount as credit limit and available credit", async () => {
    const inq = (await op(CARDS, "GET", INQUIRY, t)).body;
    expect(inq).toMatchObject({ accountId: "54324", cardType: "CREDIT", creditLimit: loanAmount.toNumber(), availableBalance: loanAmount.toNumber(), totalBalance: 0 });
    expect((await op("loans", "GET", "/loans/{loanAccountId}/cards", { loanAccountId: "54324" })).body).toEqual([{ referenceToken: token }]);
  });

  it("holds reduce the loan's available credit and raise its holdBalance; above it they are refused", async () => {
    expect((await op(CARDS, "POST", HOLDS, t, { body: holdBody("L-1", 300) })).status).toBe(201);
    expect((await loanHold()).toFixed(2)).toBe("300.00");
    const inq = (await op(CARDS, "GET", INQUIRY, t)).body;
    expect(D(inq.availableBalance).toFixed(2)).toBe(loanAmount.minus(300).toFixed(2));
    const over = await op(CARDS, "POST", HOLDS, t, { body: holdBody("L-2", loanAmount.minus(299).toFixed(2)) });
    expect([over.status, reason(over)]).toEqual([400, "INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS"]);
    const listed = (await op("loans", "GET", "/loans/{loanAccountId}/authorizationholds", { loanAccountId: "54324" }, { query: "status=PENDING" })).body;
    expect(listed.map((h: { externalReferenceId: string; amount: number }) => [h.externalReferenceId, h.amount])).toEqual([["L-1", 300]]);
  });

  it("a pending hold's amount stays in the loan's holdBalance when other loan operations re-read the ledger", async () => {
    const other = "tok-loan-54321";
    expect((await op("loans", "POST", "/loans/{loanAccountId}/cards", { loanAccountId: "54321" }, { body: { referenceToken: other } })).status).toBe(201);
    expect((await op(CARDS, "POST", HOLDS, { cardReferenceToken: other }, { body: holdBody("L-54321", 40) })).status).toBe(201);
    expect((await call(sb, "POST", "/loans/54321/repayment-transactions", { body: { amount: 5 } })).status).toBe(201);
    expect(D((await call(sb, "GET", "/loans/54321")).body.balances.holdBalance).toFixed(2)).toBe("40.00");
    expect((await op(CARDS, "DELETE", HOLD, { cardReferenceToken: other, authorizationHoldExternalReferenceId: "L-54321" })).status).toBeLessThan(300);
    expect(D((await call(sb, "GET", "/loans/54321")).body.balances.holdBalance).toFixed(2)).toBe("0.00");
  });

  it("a draw of the loan amount disburses the loan and settles its hold; it is not reversed", async () => {
    const wrongAmount = await op(CARDS, "POST", TXS, t, { body: { externalReferenceId: "LT-0", amount: 10, advice: false, transactionChannelId: "cash" } });
    expect([wrongAmount.status, reason(wrongAmount)]).toEqual([400, "INVALID_AMOUNT"]);
    const r = await op(CARDS, "POST", TXS, t, { body: { externalReferenceId: "LT-1", amount: loanAmount.toNumber(), advice: false, transactionChannelId: "cash", externalAuthorizationReferenceId: "L-1" } });
    expect(r.status).toBe(201);
    expect(r.body.linkedTransaction.linkedTransactionType).toBe("LOAN");
    const loan = (await call(sb, "GET", "/loans/54324")).body;
    expect(loan.accountState).toBe("ACTIVE");
    expect(D(loan.balances.principalBalance).toFixed(2)).toBe(loanAmount.toFixed(2));
    expect(D(loan.balances.holdBalance).toFixed(2)).toBe("0.00");
    expect((await op(CARDS, "GET", HOLD, { ...t, authorizationHoldExternalReferenceId: "L-1" })).body.status).toBe("SETTLED");
    const tx = (await call(sb, "GET", `/loans/transactions/${r.body.linkedTransaction.linkedTransactionKey}`)).body;
    expect(tx).toMatchObject({ type: "DISBURSEMENT", cardTransaction: { externalReferenceId: "LT-1", cardToken: token } });
    const again = await op(CARDS, "POST", TXS, t, { body: { externalReferenceId: "LT-2", amount: loanAmount.toNumber(), advice: false, transactionChannelId: "cash" } });
    expect([again.status, reason(again)]).toEqual([400, "INVALID_ACCOUNT_STATE"]);
    const reversal = await op(CARDS, "POST", `${TXS}/{cardTransactionExternalReferenceId}:decrease`, { ...t, cardTransactionExternalReferenceId: "LT-1" }, { body: { externalReferenceId: "LR-1", amount: 1 } });
    expect([reversal.status, reason(reversal)]).toEqual([400, "CARD_TRANSACTION_CANNOT_BE_ADJUSTED"]);
    await expect(api.cards.getAccountBalances({ cardReferenceToken: "tok-nobody" }, { connector: conn })).rejects.toBeInstanceOf(MambuError);
  });
});

describe("through the ORM (MambuDeposit, MambuCard) against the sandbox", () => {
  it("links a card, holds, adjusts, settles with a payment, reverses part of it, and unlinks the card", async () => {
    const depId = await newDeposit("250.00");
    const deposit = await MambuDeposit.get(depId, { connector: conn });
    const card = await deposit.addCard("tok-orm-1");
    expect((await deposit.getCards()).map((c) => c.referenceToken)).toEqual(["tok-orm-1"]);

    const hold = await card.authorizationHolds.create({ externalReferenceId: "O-1", amount: new Decimal("80.10") });
    expect([hold.status, hold.amount?.toFixed(2)]).toEqual(["PENDING", "80.10"]);
    expect((await card.authorizationHolds.increase("O-1", "9.90")).amount?.toFixed(2)).toBe("90.00");
    expect((await card.authorizationHolds.decrease("O-1", 10)).amount?.toFixed(2)).toBe("80.00");
    let balances = await card.balanceInquiry();
    expect([balances.cardType, balances.totalBalance?.toFixed(2), balances.availableBalance?.toFixed(2)]).toEqual(["DEBIT", "250.00", "170.00"]);
    await invariants(depId, "tok-orm-1");

    const payment = await card.financialTransactions.create({ externalReferenceId: "OT-1", amount: new Decimal("75.35"), transactionChannelId: "cash", externalAuthorizationReferenceId: "O-1" });
    expect(payment.linkedTransaction?.linkedTransactionType).toBe("DEPOSIT");
    expect((await card.authorizationHolds.get("O-1")).status).toBe("SETTLED");
    balances = await card.balanceInquiry();
    expect([balances.totalBalance?.toFixed(2), balances.availableBalance?.toFixed(2)]).toEqual(["174.65", "174.65"]);

    await card.financialTransactions.reverse("OT-1", new Decimal("0.35"));
    expect((await card.balanceInquiry()).totalBalance?.toFixed(2)).toBe("175.00");
    await expect(card.financialTransactions.reverse("OT-1", 75.01)).rejects.toThrow(/CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED/);

    await card.authorizationHolds.create({ externalReferenceId: "O-2", amount: 5 });
    const pending = await deposit.getAuthorizationHolds({ status: "PENDING" }).toArray();
    expect(pending.map((h) => [h.externalReferenceId, h.amount?.toFixed(2)])).toEqual([["O-2", "5.00"]]);
    await card.authorizationHolds.reverse("O-2");
    await invariants(depId, "tok-orm-1");
    await deposit.removeCard(card);
    await expect(MambuCard.of("tok-orm-1", { connector: conn }).balanceInquiry()).rejects.toThrow(/CARD_REFERENCE_NOT_FOUND/);
  });
});

describe("the invariants under random card operations (property)", () => {
  type Op =
    | { k: "hold"; cents: number; advice: boolean; credit: boolean }
    | { k: "increase" | "decrease"; pick: number; cents: number; advice: boolean }
    | { k: "reverse"; pick: number }
    | { k: "pay"; cents: number; pick: number; settle: boolean; advice: boolean }
    | { k: "refund"; pick: number; cents: number };
  const cents = fc.integer({ min: 1, max: 40000 });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant("hold" as const), cents, advice: fc.boolean(), credit: fc.boolean() }),
    fc.record({ k: fc.constantFrom("increase" as const, "decrease" as const), pick: fc.nat(), cents, advice: fc.boolean() }),
    fc.record({ k: fc.constant("reverse" as const), pick: fc.nat() }),
    fc.record({ k: fc.constant("pay" as const), cents, pick: fc.nat(), settle: fc.boolean(), advice: fc.boolean() }),
    fc.record({ k: fc.constant("refund" as const), pick: fc.nat(), cents }),
  );
  let run = 0;

  it("holdBalance = pending debit holds, available = total − holds − blocks, balances = transactions, each step as the model predicts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        run++;
        const depId = await newDeposit("1000.00");
        const token = `tok-prop-${run}`;
        const t = { cardReferenceToken: token };
        await op("deposits", "POST", "/deposits/{depositAccountId}/cards", { depositAccountId: depId }, { body: { referenceToken: token } });
        // the model: net position, holds, payments
        let net = new Decimal("1000.00");
        const holds: Array<{ ref: string; amount: Decimal; debit: boolean; status: string }> = [];
        const payments: Array<{ ref: string; amount: Decimal; refunded: Decimal }> = [];
        const pending = (): Decimal => holds.filter((h) => h.status === "PENDING" && h.debit).reduce((a, h) => a.plus(h.amount), new Decimal(0));
        let n = 0;
        for (const o of ops) {
          n++;
          const money = (c: number): Decimal => new Decimal(c).dividedBy(100);
          if (o.k === "hold") {
            const ref = `P${run}-H${n}`;
            const amount = money(o.cents);
            const ok = o.credit || o.advice || amount.lessThanOrEqualTo(net.minus(pending()));
            const r = await op(CARDS, "POST", HOLDS, t, { body: holdBody(ref, amount.toFixed(2), { advice: o.advice, creditDebitIndicator: o.credit ? "CRDT" : "DBIT" }) });
            expect([r.status, reason(r)]).toEqual(ok ? [201, undefined] : [400, "AVAILABLE_BALANCE_BELOW_ZERO"]);
            if (ok) holds.push({ ref, amount, debit: !o.credit, status: "PENDING" });
          } else if ((o.k === "increase" || o.k === "decrease" || o.k === "reverse") && holds.length) {
            const h = holds[o.pick % holds.length]!;
            const p = { ...t, authorizationHoldExternalReferenceId: h.ref };
            let r: Answer;
            if (o.k === "reverse") r = await op(CARDS, "DELETE", HOLD, p);
            else r = await op(CARDS, "POST", `${HOLD}:${o.k}`, p, { body: { amount: money(o.cents).toFixed(2), ...(o.k === "increase" && o.advice ? { advice: true } : {}) } });
            if (h.status !== "PENDING") {
              expect([r.status, reason(r)]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);
            } else if (o.k === "reverse") {
              expect(r.status).toBe(204);
              h.status = "REVERSED";
            } else if (o.k === "decrease") {
              expect(r.status).toBe(204);
              if (money(o.cents).greaterThanOrEqualTo(h.amount)) h.status = "REVERSED";
              else h.amount = h.amount.minus(money(o.cents));
            } else {
              const ok = !h.debit || o.advice || money(o.cents).lessThanOrEqualTo(net.minus(pending()));
              expect([r.status, reason(r)]).toEqual(ok ? [204, undefined] : [400, "AVAILABLE_BALANCE_BELOW_ZERO"]);
              if (ok) h.amount = h.amount.plus(money(o.cents));
            }
            const got = (await op(CARDS, "GET", HOLD, p)).body;
            expect([got.status, D(got.amount).toFixed(2)]).toEqual([h.status, h.amount.toFixed(2)]);
          } else if (o.k === "pay") {
            const ref = `P${run}-T${n}`;
            const amount = money(o.cents);
            const h = o.settle && holds.length ? holds[o.pick % holds.length] : undefined;
            const body = { externalReferenceId: ref, amount: amount.toFixed(2), advice: o.advice, transactionChannelId: "cash", ...(h ? { externalAuthorizationReferenceId: h.ref } : {}) };
            const r = await op(CARDS, "POST", TXS, t, { body });
            if (h && h.status !== "PENDING") {
              expect([r.status, reason(r)]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);
            } else {
              const released = h && h.debit ? h.amount : new Decimal(0);
              const ok = o.advice || amount.lessThanOrEqualTo(net.minus(pending().minus(released)));
              expect([r.status, reason(r)]).toEqual(ok ? [201, undefined] : [400, "AVAILABLE_BALANCE_BELOW_ZERO"]);
              if (ok) {
                if (h) h.status = "SETTLED";
                net = net.minus(amount);
                payments.push({ ref, amount, refunded: new Decimal(0) });
              }
            }
          } else if (o.k === "refund" && payments.length) {
            const pay = payments[o.pick % payments.length]!;
            const amount = money(o.cents);
            const r = await op(CARDS, "POST", `${TXS}/{cardTransactionExternalReferenceId}:decrease`, { ...t, cardTransactionExternalReferenceId: pay.ref }, { body: { externalReferenceId: `P${run}-R${n}`, amount: amount.toFixed(2) } });
            const ok = pay.refunded.plus(amount).lessThanOrEqualTo(pay.amount);
            expect([r.status, reason(r)]).toEqual(ok ? [204, undefined] : [400, "CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED"]);
            if (ok) {
              pay.refunded = pay.refunded.plus(amount);
              net = net.plus(amount);
            }
          }
          const seen = await invariants(depId, token);
          expect(seen.hold.toFixed(2)).toBe(pending().toFixed(2));
          expect(seen.total.toFixed(2)).toBe(Decimal.max(net, 0).toFixed(2));
        }
      }),
      { numRuns: 20, seed: 20261207 },
    );
  }, 60000);
});
