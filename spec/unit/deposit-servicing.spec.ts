/**
 * Deposit servicing through the ORM: fund blocks and seizure, maturity, reopen, interest rate change,
 * authorization holds, cards, funded loans, documents and bulk deposits. Each request is the
 * contract's operation (method, path, query, a body valid against its Swagger definition), its answer
 * comes back typed (Decimal amounts, DateTime dates), and bad input is refused before any request.
 */
import nock from "nock";
import {
  DateTime, Decimal, MambuAuthorizationHold, MambuBlockFund, MambuCard, MambuDeposit, MambuDepositTransaction, MambuLoan, MambuTsError,
} from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, contractTenant, fixture, fixtureJson, testConnector } from "../helpers/mambu";

const DEP_KEY = "8a00000000000000000000000000d001";
const DEP_PATH = `/api/deposits/${DEP_KEY}`;
const IDEMPOTENCY_KEY = "3f1e5a9c-7b2d-4c8e-9f01-23456789abcd";

type Bag = Record<string, unknown>;

const { tenant, requests } = contractTenant();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

function depositWire(over: Bag = {}): string {
  return Object.keys(over).length ? JSON.stringify({ ...fixtureJson("deposit-full.json"), ...over }) : fixture("deposit-full.json");
}

async function readDeposit(): Promise<MambuDeposit> {
  tenant().get("/api/deposits/DEP1").query({ detailsLevel: "BASIC" }).reply(200, depositWire());
  return MambuDeposit.get("DEP1", { connector: testConnector() });
}

function expectRefresh(over: Bag = {}): nock.Scope {
  return tenant().get(DEP_PATH).query({ detailsLevel: "BASIC" }).reply(200, depositWire(over));
}

/** The request was `METHOD template` of the contract, with a body valid against its definition; returns the body. */
function expectOperation(seen: Captured, method: string, template: string): Bag | undefined {
  const [path] = (seen.path as string).split("?");
  const match = findOperation(method, path.replace(/^\/api/, ""));
  expect(match?.op.path).toBe(template);
  if (!match?.op.body) {
    expect(seen.body ?? "").toBe("");
    return undefined;
  }
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match.resource, match.op.body, body)).toEqual([]);
  return body;
}

/** An answer that validates against the operation's 2xx response schema. */
function answer<T>(method: string, template: string, status: string, body: T): T {
  const match = findOperation(method, template);
  expect(validateAgainst(match!.resource, match!.op.responses[status]!, body)).toEqual([]);
  return body;
}

const BLOCK = { externalReferenceId: "BLK-1", amount: 150.25, seizedAmount: 0, state: "PENDING", accountKey: DEP_KEY, notes: "court order", creationDate: "2021-04-01T10:00:00-06:00", lastModifiedDate: "2021-04-01T10:00:00-06:00" };

describe("fund blocks and seizure", () => {
  test("blockFunds posts a BlockFund, returns it typed and re-reads the account", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}/blocks`).reply(capture(seen, 201, answer("POST", "/deposits/{depositAccountId}/blocks", "201", BLOCK)));
    const refreshed = expectRefresh({ balances: { totalBalance: 1000.5, availableBalance: 850.25, blockedBalance: 150.25 } });
    const block = await dep.blockFunds("BLK-1", "150.25", { notes: "court order", idempotencyKey: IDEMPOTENCY_KEY });
    expect(expectOperation(seen, "POST", "/deposits/{depositAccountId}/blocks")).toEqual({ externalReferenceId: "BLK-1", amount: 150.25, notes: "court order" });
    expect(seen.body).toBe('{"externalReferenceId":"BLK-1","amount":150.25,"notes":"court order"}');
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
    expect(block).toBeInstanceOf(MambuBlockFund);
    expect(block.amount.equals(new Decimal("150.25"))).toBe(true);
    expect([block.state, block.externalReferenceId]).toEqual(["PENDING", "BLK-1"]);
    expect(block.creationDate?.toISO()).toBe("2021-04-01T10:00:00.000-06:00");
    expect(refreshed.isDone()).toBe(true);
    expect(dep.balances?.blockedBalance?.toFixed(2)).toBe("150.25");
    expect(dep.balances?.availableBalance?.toFixed(2)).toBe("850.25");
  });

  test("blockFunds refuses bad input before any request", async () => {
    const dep = await readDeposit();
    requests.length = 0;
    await expect(dep.blockFunds("", 10)).rejects.toThrow(MambuTsError);
    await expect(dep.blockFunds("", 10)).rejects.toThrow(/MambuDeposit\.blockFunds: externalReferenceId must be a non-empty string/);
    await expect(dep.blockFunds("B", "ten")).rejects.toThrow(/MambuDeposit\.blockFunds\.amount: expected a Decimal, number or numeric string/);
    await expect(dep.blockFunds("B", undefined as never)).rejects.toThrow(/amount: required field is missing/);
    await expect(dep.blockFunds("B", 1, { reason: "x" } as never)).rejects.toThrow(/MambuDeposit\.blockFunds: unknown option "reason"/);
    await expect(dep.blockFunds("B", 1, { amount: 2 } as never)).rejects.toThrow(/give amount as an argument, not as an option/);
    expect(requests).toEqual([]);
  });

  test("getBlocks lists the blocks (also as deposit.blocks); unblockFunds deletes one and re-reads the account", async () => {
    const dep = await readDeposit();
    tenant().get(`${DEP_PATH}/blocks`).reply(200, answer("GET", "/deposits/{depositAccountId}/blocks", "200", [BLOCK, { ...BLOCK, externalReferenceId: "BLK-2", amount: 10, state: "PARTIALLY_SEIZED", seizedAmount: 4.5 }]));
    const blocks = await dep.getBlocks();
    expect(blocks.map((b) => [b.externalReferenceId, b.amount.toFixed(2), b.seizedAmount?.toFixed(2), b.state])).toEqual([
      ["BLK-1", "150.25", "0.00", "PENDING"], ["BLK-2", "10.00", "4.50", "PARTIALLY_SEIZED"],
    ]);
    expect(dep.blocks).toBe(blocks);
    expect(Object.keys(dep.toJSON())).not.toContain("blocks");

    const seen: Captured = {};
    tenant().delete(`${DEP_PATH}/blocks/BLK%2F1`).reply(capture(seen, 204));
    const refreshed = expectRefresh();
    expect(await dep.unblockFunds("BLK/1")).toBe(dep);
    expectOperation(seen, "DELETE", "/deposits/{depositAccountId}/blocks/{externalReferenceId}");
    expect(refreshed.isDone()).toBe(true);
  });

  test("seize posts SeizeBlockAmount and returns the seizure transaction; transactionChannelId is required", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    const tx = { ...fixtureJson<Bag>("deposit-tx-deposit.json"), type: "WITHDRAWAL", amount: -100.1, encodedKey: "8a00000000000000000000000000x900", id: "900" };
    tenant().post(`${DEP_PATH}/seizure-transactions`).reply(capture(seen, 201, answer("POST", "/deposits/{depositAccountId}/seizure-transactions", "201", tx)));
    expectRefresh();
    const seized = await dep.seize("BLK-1", new Decimal("100.10"), { transactionChannelId: "cash", notes: "seized" });
    expect(expectOperation(seen, "POST", "/deposits/{depositAccountId}/seizure-transactions")).toEqual({ blockId: "BLK-1", amount: 100.1, transactionChannelId: "cash", notes: "seized" });
    expect(seen.body).toBe('{"blockId":"BLK-1","amount":100.1,"transactionChannelId":"cash","notes":"seized"}');
    expect(seized).toBeInstanceOf(MambuDepositTransaction);
    expect(seized.amount?.toFixed(2)).toBe("-100.10");
    requests.length = 0;
    await expect(dep.seize("BLK-1", 1, {} as never)).rejects.toThrow(/MambuDeposit\.seize\.transactionChannelId: required field is missing/);
    await expect(dep.seize("", 1, { transactionChannelId: "cash" })).rejects.toThrow(/blockId/);
    expect(requests).toEqual([]);
  });
});

describe("maturity, reopen, interest rate", () => {
  test("startMaturity sends StartMaturityAction (a date) and returns the refreshed account", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:startMaturity`).reply(capture(seen, 200, depositWire({ accountState: "ACTIVE", maturityDate: "2021-09-01T00:00:00-06:00" })));
    const refreshed = expectRefresh({ maturityDate: "2021-09-01T00:00:00-06:00" });
    expect(await dep.startMaturity({ maturityDate: "2021-09-01", notes: "term starts" })).toBe(dep);
    expect(expectOperation(seen, "POST", "/deposits/{depositAccountId}:startMaturity")).toEqual({ maturityDate: "2021-09-01", notes: "term starts" });
    expect(refreshed.isDone()).toBe(true);
    expect(dep.maturityDate?.toISODate()).toBe("2021-09-01");
  });

  test("startMaturity with reread: false takes the account Mambu answers with (one request)", async () => {
    const dep = await readDeposit();
    tenant().post(`${DEP_PATH}:startMaturity`).reply(200, depositWire({ maturityDate: "2021-10-01T00:00:00-06:00" }));
    await dep.startMaturity({ reread: false });
    expect(dep.maturityDate?.toISODate()).toBe("2021-10-01");
    await expect(dep.startMaturity({ maturityDate: "someday" })).rejects.toThrow(/maturityDate/);
  });

  test("undoMaturity posts without a body (the contract has none); notes are refused", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:undoMaturity`).reply(capture(seen, 204));
    const refreshed = expectRefresh();
    expect(await dep.undoMaturity()).toBe(dep);
    expectOperation(seen, "POST", "/deposits/{depositAccountId}:undoMaturity");
    expect(refreshed.isDone()).toBe(true);
    await expect(dep.undoMaturity({ notes: "x" } as never)).rejects.toThrow(/MambuDeposit\.undoMaturity: unknown option "notes"/);
  });

  test("reopen sends its notes and re-reads the account", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:reopen`).reply(capture(seen, 200, depositWire({ accountState: "ACTIVE" })));
    expectRefresh({ accountState: "ACTIVE" });
    await dep.reopen("client came back");
    expect(expectOperation(seen, "POST", "/deposits/{depositAccountId}:reopen")).toEqual({ notes: "client came back" });
    expect(dep.accountState).toBe("ACTIVE");
    await expect(dep.reopen(5 as never)).rejects.toThrow(/notes must be a string/);
  });

  test("changeInterestRate sends the exact rate and its value date; valueDate is required", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:changeInterestRate`).reply(capture(seen, 204));
    expectRefresh();
    await dep.changeInterestRate(new Decimal("3.125"), { valueDate: "2021-06-01", notes: "repricing" });
    expect(expectOperation(seen, "POST", "/deposits/{depositAccountId}:changeInterestRate")).toEqual({ interestRate: 3.125, valueDate: "2021-06-01", notes: "repricing" });
    requests.length = 0;
    await expect(dep.changeInterestRate(3, {} as never)).rejects.toThrow(/MambuDeposit\.changeInterestRate\.valueDate: required field is missing/);
    await expect(dep.changeInterestRate("high", { valueDate: "2021-06-01" })).rejects.toThrow(/interestRate/);
    expect(requests).toEqual([]);
  });
});

describe("authorization holds and cards of the account", () => {
  const HOLD = { externalReferenceId: "AH-1", amount: 25.5, advice: false, status: "PENDING", creditDebitIndicator: "DBIT", cardToken: "tok-1", currencyCode: "MXN", encodedKey: "8a0000000000000000000000000ah001" };

  test("getAuthorizationHolds: status filter, pages, holds with Decimal amounts", async () => {
    const dep = await readDeposit();
    tenant().get(`${DEP_PATH}/authorizationholds`).query({ status: "PENDING", offset: "0", limit: "2" })
      .reply(200, answer("GET", "/deposits/{depositAccountId}/authorizationholds", "200", [HOLD, { ...HOLD, externalReferenceId: "AH-2", amount: 0.1 }]));
    const holds = await dep.getAuthorizationHolds({ status: "PENDING", limit: 2 });
    expect(holds.map((h) => [h.externalReferenceId, h.amount.toString(), h.status])).toEqual([["AH-1", "25.5", "PENDING"], ["AH-2", "0.1", "PENDING"]]);
    expect(holds[0]).toBeInstanceOf(MambuAuthorizationHold);
    expect(() => dep.getAuthorizationHolds({ state: "PENDING" } as never)).toThrow(/unknown option "state"/);
    expect(() => dep.getAuthorizationHolds({ limit: 0 })).toThrow(/limit must be an integer ≥ 1/);
    requests.length = 0;
    await expect(dep.getAuthorizationHolds({ status: "OPEN" as never })).rejects.toThrow(/status: expected one of PENDING, REVERSED, SETTLED, EXPIRED/);
    expect(requests).toEqual([]);
  });

  test("getCards / addCard / removeCard: card handles on the account's connector", async () => {
    const dep = await readDeposit();
    tenant().get(`${DEP_PATH}/cards`).reply(200, answer("GET", "/deposits/{depositAccountId}/cards", "200", [{ referenceToken: "tok-1" }, { referenceToken: "tok-2" }]));
    const cards = await dep.getCards();
    expect(cards.map((c) => c.referenceToken)).toEqual(["tok-1", "tok-2"]);
    expect(cards[0]).toBeInstanceOf(MambuCard);
    expect(cards[0].connector).toBeDefined();

    const seen: Captured = {};
    tenant().post(`${DEP_PATH}/cards`).reply(capture(seen, 201));
    const card = await dep.addCard("tok-3");
    expect(expectOperation(seen, "POST", "/deposits/{depositAccountId}/cards")).toEqual({ referenceToken: "tok-3" });
    expect(card.referenceToken).toBe("tok-3");
    const handle = MambuCard.of("tok-9", { connector: testConnector() });
    const seen9: Captured = {};
    tenant().post(`${DEP_PATH}/cards`).reply(capture(seen9, 201));
    expect(await dep.addCard(handle)).toBe(handle);
    expect(JSON.parse(seen9.body as string)).toEqual({ referenceToken: "tok-9" });

    const del: Captured = {};
    tenant().delete(`${DEP_PATH}/cards/tok-3`).reply(capture(del, 204));
    await dep.removeCard(card);
    expectOperation(del, "DELETE", "/deposits/{depositAccountId}/cards/{cardReferenceToken}");
    requests.length = 0;
    await expect(dep.addCard("")).rejects.toThrow(/card reference token must be a non-empty string/);
    expect(requests).toEqual([]);
  });
});

describe("funding, documents", () => {
  test("getFundedLoans and getFundedSchedule", async () => {
    const dep = await readDeposit();
    tenant().get(`${DEP_PATH}/funding`).reply(200, `[${fixture("loan-full.json")}]`);
    const loans = await dep.getFundedLoans();
    expect(loans[0]).toBeInstanceOf(MambuLoan);
    const loanKey = loans[0].encodedKey as string;
    const schedule = { currency: { code: "MXN" }, installments: [{ number: "1", dueDate: "2021-05-01T00:00:00-06:00", state: "PENDING", principal: { amount: { expected: 83.33, paid: 0, due: 83.33 } } }] };
    tenant().get(`${DEP_PATH}/funding/${loanKey}/schedule`).reply(200, answer("GET", "/deposits/{depositAccountId}/funding/{loanAccountId}/schedule", "200", schedule));
    const installments = await dep.getFundedSchedule(loans[0]);
    expect(installments[0].principal?.amount?.expected?.toFixed(2)).toBe("83.33");
    expect(installments[0].dueDate?.toISODate()).toBe("2021-05-01");
  });

  test("getDocument on the account and on a transaction; the text as Mambu sends it", async () => {
    const dep = await readDeposit();
    tenant().get(`${DEP_PATH}/templates/TPL1`).query({ startDate: "2021-01-01", endDate: "2021-03-31" }).reply(200, JSON.stringify("<html>statement</html>"));
    expect(await dep.getDocument("TPL1", { startDate: "2021-01-01", endDate: DateTime.fromISO("2021-03-31T23:00:00-06:00", { setZone: true }) })).toBe("<html>statement</html>");
    const tx = MambuDepositTransaction.fromWire(fixtureJson("deposit-tx-deposit.json"), testConnector());
    tenant().get(`/api/deposits/transactions/${tx.encodedKey}/templates/RCPT`).reply(200, JSON.stringify("<p>receipt</p>"));
    expect(await tx.getDocument("RCPT")).toBe("<p>receipt</p>");
    await expect(dep.getDocument("TPL1", { from: "x" } as never)).rejects.toThrow(/unknown option "from"/);
    await expect(dep.getDocument("TPL1", { startDate: "January" })).rejects.toThrow(/MambuDeposit\.getDocument\.startDate/);
    tenant().get(`${DEP_PATH}/templates/TPL2`).reply(200, { html: 1 });
    await expect(dep.getDocument("TPL2")).rejects.toThrow(/expected the document's text/);
  });
});

describe("bulk deposits", () => {
  test("bulkDeposit posts every deposit, answers the bulk key; waitForBulk polls GET /bulks/{key} until done", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post("/api/deposits/deposit-transactions:bulk").reply(function (uri, body) {
      seen.body = typeof body === "string" ? body : JSON.stringify(body);
      seen.path = uri;
      return [202, "", { Location: "/api/bulks/8a0000000000000000000000000bk001" }];
    });
    const result = await MambuDeposit.bulkDeposit([
      { accountId: dep, amount: "10.10", externalId: "e-1" },
      { accountId: "DEP2", amount: new Decimal("0.30"), notes: "payroll" },
    ], { connector: testConnector() });
    expect(result.bulkProcessKey).toBe("8a0000000000000000000000000bk001");
    expect(expectOperation(seen, "POST", "/deposits/deposit-transactions:bulk")).toEqual({
      transactions: [{ accountId: "DEP1", amount: 10.1, externalId: "e-1" }, { accountId: "DEP2", amount: 0.3, notes: "payroll" }],
    });
    expect(seen.body).toBe('{"transactions":[{"accountId":"DEP1","amount":10.1,"externalId":"e-1"},{"accountId":"DEP2","amount":0.3,"notes":"payroll"}]}');

    const statuses = [{ status: "QUEUED" }, { status: "IN_PROGRESS" }, { status: "COMPLETE", processedItems: [{ id: "901", indexInRequest: 0, externalId: "e-1" }, { id: "902", indexInRequest: 1 }] }];
    for (const s of statuses) tenant().get("/api/bulks/8a0000000000000000000000000bk001").reply(200, answer("GET", "/bulks/{bulkProcessKey}", "200", s));
    const seenStatuses: string[] = [];
    const done = await MambuDeposit.waitForBulk(result.bulkProcessKey, { connector: testConnector(), intervalMs: 0, onProgress: (s) => seenStatuses.push(String(s.status)) });
    expect(seenStatuses).toEqual(["QUEUED", "IN_PROGRESS", "COMPLETE"]);
    expect(done.processedItems?.map((p) => p.id)).toEqual(["901", "902"]);
  });

  test("waitForBulk gives up after maxPolls; bulkDeposit refuses bad input before any request", async () => {
    tenant().get("/api/bulks/K1").times(2).reply(200, { status: "IN_PROGRESS" });
    await expect(MambuDeposit.waitForBulk("K1", { connector: testConnector(), intervalMs: 0, maxPolls: 2 })).rejects.toThrow(/bulk K1 still IN_PROGRESS after 2 reads/);
    requests.length = 0;
    const conn = testConnector();
    await expect(MambuDeposit.bulkDeposit([], { connector: conn })).rejects.toThrow(/give a non-empty list of deposits/);
    await expect(MambuDeposit.bulkDeposit([{ accountId: "A" } as never], { connector: conn })).rejects.toThrow(/transactions\[0\]\.amount: required field is missing|amount: required field is missing/);
    await expect(MambuDeposit.bulkDeposit([{ accountId: "A", amount: 1, valueDate: "x" } as never], { connector: conn })).rejects.toThrow(/MambuDeposit\.bulkDeposit\[0\]: unknown option "valueDate"/);
    await expect(MambuDeposit.bulkDeposit(new Array(1001).fill({ accountId: "A", amount: 1 }), { connector: conn })).rejects.toThrow(/at most 1000 deposits/);
    expect(requests).toEqual([]);
  });
});
