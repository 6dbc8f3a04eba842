/**
 * Deposit accounts, deposit products and deposit transactions: reading, listing and searching per
 * the Swagger files, relations, and every operation (method, path, no query, a body valid against
 * the Swagger definition of that path, the account re-read, the resulting entity).
 */
import nock from "nock";
import {
  Decimal, MambuClient, MambuDeposit, MambuDepositProduct, MambuDepositTransaction, MambuError, MambuLoan, MambuTsError,
  parseJsonExact, stringifyExact,
} from "../../lib";
import { definition, findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, fixture, contractTenant, fixtureJson, startRecorder, testConnector } from "../helpers/mambu";

const DEP_KEY = "8a00000000000000000000000000d001";
const DEP_PATH = `/api/deposits/${DEP_KEY}`;
const TX_KEY = "8a00000000000000000000000000x200";
const IDEMPOTENCY_KEY = "3f1e5a9c-7b2d-4c8e-9f01-23456789abcd";

type Bag = Record<string, unknown>;

/** Records every request; after each test every path must be a Swagger operation. */
const { tenant, requests } = contractTenant();

function depositWire(over: Bag = {}): string {
  return Object.keys(over).length ? JSON.stringify({ ...fixtureJson("deposit-full.json"), ...over }) : fixture("deposit-full.json");
}

function txWire(over: Bag = {}): Bag {
  return { ...fixtureJson<Bag>("deposit-tx-deposit.json"), ...over };
}

async function readDeposit(over: Bag = {}): Promise<MambuDeposit> {
  tenant().get("/api/deposits/DEP1").query({ detailsLevel: "BASIC" }).reply(200, depositWire(over));
  return MambuDeposit.get("DEP1", { connector: testConnector() });
}

function expectRefresh(over: Bag = {}): nock.Scope {
  return tenant().get(DEP_PATH).query({ detailsLevel: "BASIC" }).reply(200, depositWire(over));
}

/** The request is the Swagger operation `METHOD template` with body `def`, no query, and a valid body. */
function expectContract(seen: Captured, method: string, template: string, def: string): Bag {
  const [path, query] = (seen.path as string).split("?");
  expect(query).toBeUndefined();
  const match = findOperation(method, path);
  expect(match?.op.path).toBe(template);
  expect(match?.op.body).toEqual({ type: "object", ref: def });
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match!.resource, { type: "object", ref: def }, body)).toEqual([]);
  expect(seen.headers?.["content-type"]).toBe("application/json");
  expect(String(seen.headers?.["idempotency-key"])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  return body;
}

test("fixtures are valid Mambu wire records", () => {
  expect(validateAgainst("deposits", { type: "object", ref: "DepositAccount" }, JSON.parse(fixture("deposit-full.json")))).toEqual([]);
  expect(validateAgainst("deposits_transactions", { type: "object", ref: "DepositTransaction" }, JSON.parse(fixture("deposit-tx-deposit.json")))).toEqual([]);
  expect(validateAgainst("depositproducts", { type: "object", ref: "DepositProduct" }, JSON.parse(fixture("deposit-product.json")))).toEqual([]);
});

describe("MambuDeposit: read, list, search, relations", () => {
  test("get: typed fields, custom fields flattened, exact round trip", async () => {
    const dep = await readDeposit();
    expect([dep.id, dep.name, dep.accountState, dep.accountType]).toEqual(["DEP1", "Ahorro Meta", "ACTIVE", "REGULAR_SAVINGS"]);
    expect(Decimal.isDecimal(dep.balances?.totalBalance)).toBe(true);
    expect(dep.balances?.totalBalance?.toFixed(2)).toBe("1000.50");
    expect(dep.creationDate?.toISO()).toBe("2021-03-09T13:37:50.000-06:00");
    expect(dep.Goal).toBe("Casa");
    expect(stringifyExact(dep.toJSON())).toBe(stringifyExact(parseJsonExact(fixture("deposit-full.json"))));
  });

  test("getAll: the filters of GET /deposits; no sortBy (the Swagger file has none)", async () => {
    tenant().get("/api/deposits").query({ accountState: "ACTIVE", branchId: "B1", accountHolderType: "CLIENT", accountHolderId: "C1", creditOfficerUsername: "a.alas", centreId: "CE1", offset: "0", limit: "10" })
      .reply(200, `[${fixture("deposit-full.json")}]`);
    const deps = await MambuDeposit.getAll({
      filters: { accountState: "ACTIVE", branchId: "B1", accountHolderType: "CLIENT", accountHolderId: "C1", creditOfficerUsername: "a.alas", centreId: "CE1" },
      limit: 10,
      connector: testConnector(),
    });
    expect(deps[0]).toBeInstanceOf(MambuDeposit);
    const documented = new Set(findOperation("GET", "/deposits")!.op.query.map((q) => q.name));
    for (const f of MambuDeposit.spec.filters ?? []) expect(documented.has(f)).toBe(true);
    expect(documented.has("sortBy")).toBe(false);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuDeposit.getAll({ filters: { state: "ACTIVE" } })).toThrow(/key state not in allowed filters for MambuDeposit/);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuDeposit.getAll({ sortBy: "id:ASC" })).toThrow(/MambuDeposit cannot be sorted/);
  });

  test("search: POST /deposits:search with DepositAccountSearchCriteria", async () => {
    const seen: Captured = {};
    tenant().post("/api/deposits:search").query({ offset: "0", limit: "5", detailsLevel: "FULL" }).reply(capture(seen, 200, `[${fixture("deposit-full.json")}]`));
    const deps = await MambuDeposit.search({
      filterCriteria: [{ field: "accountState", operator: "EQUALS", value: "ACTIVE" }, { field: "balances.totalBalance", operator: "MORE_THAN", value: "1000" }],
      sortingCriteria: { field: "creationDate", order: "DESC" },
      limit: 5,
      detailsLevel: "FULL",
      connector: testConnector(),
    });
    expect(deps[0].id).toBe("DEP1");
    const match = findOperation("POST", "/deposits:search")!;
    expect(validateAgainst(match.resource, match.op.body!, JSON.parse(seen.body as string))).toEqual([]);
  });

  test("relations: account holder, product (FULL), branch, centre, user; set as properties never sent back", async () => {
    const dep = await readDeposit();
    tenant().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
    tenant().get("/api/depositproducts/8a00000000000000000000000000dp01").query({ detailsLevel: "FULL" }).reply(200, fixture("deposit-product.json"));
    tenant().get("/api/branches/8a00000000000000000000000000b001").query(true).reply(200, { encodedKey: "8a00000000000000000000000000b001", id: "CCAZ", name: "Centro" });
    tenant().get("/api/centres/8a00000000000000000000000000ce01").query(true).reply(200, { encodedKey: "8a00000000000000000000000000ce01", id: "TribeAZ-1", name: "Tribe" });
    tenant().get("/api/users/8a00000000000000000000000000a001").query(true).reply(200, { encodedKey: "8a00000000000000000000000000a001", username: "a.alas", firstName: "Ana" });
    const holder = await dep.getAccountHolder();
    expect(holder).toBeInstanceOf(MambuClient);
    const product = await dep.getProductType();
    expect(product).toBeInstanceOf(MambuDepositProduct);
    expect([product.id, product.type]).toEqual(["AHORRO", "REGULAR_SAVINGS"]);
    expect((await dep.getAssignedBranch()).id).toBe("CCAZ");
    expect((await dep.getAssignedCentre()).id).toBe("TribeAZ-1");
    expect((await dep.getAssignedUser()).username).toBe("a.alas");
    expect([dep.accountHolder, dep.productType]).toEqual([holder, product]);
    expect(Object.keys(dep)).toEqual([]);
    expect(stringifyExact(dep.toJSON())).toBe(stringifyExact(parseJsonExact(fixture("deposit-full.json"))));
  });

  test("a group holder is a MambuGroup; an unknown holder type is a clear error", async () => {
    const dep = await readDeposit({ accountHolderType: "GROUP", accountHolderKey: "8a00000000000000000000000000g001" });
    tenant().get("/api/groups/8a00000000000000000000000000g001").query(true).reply(200, { encodedKey: "8a00000000000000000000000000g001", id: "24G23446", groupName: "Las Flores" });
    expect((await dep.getAccountHolder()).constructor.name).toBe("MambuGroup");
    const odd = MambuDeposit.fromWire({ id: "X", accountHolderType: "BANK" });
    await expect(odd.getAccountHolder()).rejects.toThrow(/accountHolderType "BANK": expected CLIENT or GROUP/);
  });
});

describe("MambuDepositProduct", () => {
  test("always FULL; filters and sortBy per GET /depositproducts; writable", async () => {
    tenant().get("/api/depositproducts").query({ branchId: "B1", offset: "0", limit: "50", detailsLevel: "FULL" }).reply(200, `[${fixture("deposit-product.json")}]`);
    const products = await MambuDepositProduct.getAll({ filters: { branchId: "B1" }, connector: testConnector() });
    expect(products[0]).toBeInstanceOf(MambuDepositProduct);
    expect(products[0].name).toBe("Ahorro Meta");
    const documented = findOperation("GET", "/depositproducts")!.op.query.map((q) => q.name);
    expect(documented).toContain("branchId");
    expect(documented).not.toContain("sortBy");
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuDepositProduct.getAll({ sortBy: "id" })).toThrow(/cannot be sorted/);
    expect(MambuDepositProduct.spec.writable).toBe(true);
    expect(MambuDeposit.spec.writable).toBe(true);
  });
});

describe("setState and one method per action (POST /deposits/{id}:changeState, DepositAccountAction)", () => {
  const cases: [string, (d: MambuDeposit, notes: string) => Promise<MambuDeposit>, string][] = [
    ["APPROVE", (d, n) => d.approve(n), "APPROVED"],
    ["UNDO_APPROVE", (d, n) => d.undoApprove(n), "PENDING_APPROVAL"],
    ["LOCK", (d, n) => d.lock(n), "LOCKED"],
    ["UNLOCK", (d, n) => d.unlock(n), "ACTIVE"],
    ["CLOSE", (d, n) => d.close(n), "CLOSED"],
    ["CLOSE_WITHDRAW", (d, n) => d.closeWithdraw(n), "WITHDRAWN"],
    ["CLOSE_REJECT", (d, n) => d.closeReject(n), "CLOSED_REJECTED"],
    ["CLOSE_WRITE_OFF", (d, n) => d.closeWriteOff(n), "CLOSED_WRITTEN_OFF"],
  ];

  test("the helper list covers the Swagger enum exactly", () => {
    expect(cases.map((c) => c[0])).toEqual(definition("deposits", "DepositAccountAction").fields.action.enum);
  });

  test.each(cases)("%s: posts { action, notes }, re-reads the account and returns it", async (action, call, after) => {
    const dep = await readDeposit({ accountState: "PENDING_APPROVAL" });
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:changeState`).reply(capture(seen, 200, depositWire({ accountState: after })));
    const refresh = expectRefresh({ accountState: after });
    const result = await call(dep, `notes for ${action}`);
    expectContract(seen, "POST", "/deposits/{depositAccountId}:changeState", "DepositAccountAction");
    expect(seen.body).toBe(JSON.stringify({ action, notes: `notes for ${action}` }));
    expect(refresh.isDone()).toBe(true);
    expect(result).toBe(dep);
    expect(dep.accountState).toBe(after);
  });

  test("a loan action is not a deposit action; idempotencyKey is the only option", async () => {
    const dep = await readDeposit();
    await expect(dep.setState("REJECT" as never)).rejects.toThrow(/MambuDeposit\.setState\.action: "REJECT" is not one of APPROVE, UNDO_APPROVE, LOCK/);
    await expect(dep.lock("x", { notes: "y" } as never)).rejects.toThrow(/unknown option "notes"/);
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:changeState`).reply(capture(seen, 200, depositWire({ accountState: "LOCKED" })));
    expectRefresh({ accountState: "LOCKED" });
    await dep.lock(undefined, { idempotencyKey: IDEMPOTENCY_KEY });
    expect(seen.body).toBe('{"action":"LOCK"}');
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
  });
});

describe("money operations: return the created transaction; the account is re-read", () => {
  test("deposit(amount): POST /deposits/{id}/deposit-transactions (DepositTransactionInput); naive dates in the account's offset", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}/deposit-transactions`).reply(capture(seen, 201, fixture("deposit-tx-deposit.json")));
    const refresh = expectRefresh({ balances: { totalBalance: 1100.60, availableBalance: 1100.60 } });
    const tx = await dep.deposit(new Decimal("100.10"), {
      notes: "Depósito en efectivo",
      valueDate: "2021-04-16T11:00:00",
      transactionDetails: { transactionChannelId: "cash" },
      paymentOrderId: "PO-7",
      idempotencyKey: IDEMPOTENCY_KEY,
    });
    expectContract(seen, "POST", "/deposits/{depositAccountId}/deposit-transactions", "DepositTransactionInput");
    expect(seen.body).toBe('{"amount":100.1,"notes":"Depósito en efectivo","valueDate":"2021-04-16T11:00:00-06:00","transactionDetails":{"transactionChannelId":"cash"},"paymentOrderId":"PO-7"}');
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
    expect(refresh.isDone()).toBe(true);
    expect(tx).toBeInstanceOf(MambuDepositTransaction);
    expect([tx.id, tx.type, tx.amount?.toFixed(2), tx.parentAccountKey]).toEqual(["200", "DEPOSIT", "100.10", DEP_KEY]);
    expect(dep.balances?.totalBalance?.toFixed(2)).toBe("1100.60");
    expect(Object.keys(dep)).toEqual([]);
  });

  test("withdrawal(amount): POST /deposits/{id}/withdrawal-transactions (WithdrawalDepositTransactionInput)", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}/withdrawal-transactions`).reply(capture(seen, 201, txWire({ type: "WITHDRAWAL", id: "201", amount: -50 })));
    expectRefresh();
    const tx = await dep.withdrawal(50, { notes: "ATM", externalId: "W-1", bookingDate: "2021-04-17T08:00:00-06:00" });
    expectContract(seen, "POST", "/deposits/{depositAccountId}/withdrawal-transactions", "WithdrawalDepositTransactionInput");
    expect(seen.body).toBe('{"amount":50,"notes":"ATM","externalId":"W-1","bookingDate":"2021-04-17T08:00:00-06:00"}');
    expect([tx.type, tx.id]).toEqual(["WITHDRAWAL", "201"]);
    await expect(dep.withdrawal("fifty")).rejects.toThrow(/MambuDeposit\.withdrawal\.amount: expected a Decimal, number or numeric string/);
    await expect(dep.withdrawal(undefined as never)).rejects.toThrow(/amount: required field is missing/);
  });

  test("applyFee(amount): POST /deposits/{id}/fee-transactions (FeeAppliedDepositTransactionInput)", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}/fee-transactions`).reply(capture(seen, 201, txWire({ type: "FEE_APPLIED", id: "202", amount: 12.5 })));
    expectRefresh();
    const tx = await dep.applyFee("12.50", { notes: "Monthly fee", predefinedFeeKey: "8a00000000000000000000000000f010" });
    expectContract(seen, "POST", "/deposits/{depositAccountId}/fee-transactions", "FeeAppliedDepositTransactionInput");
    expect(seen.body).toBe('{"amount":12.5,"notes":"Monthly fee","predefinedFeeKey":"8a00000000000000000000000000f010"}');
    expect(tx.type).toBe("FEE_APPLIED");
    await expect(dep.applyFee(1, { valueDate: "2021-04-17T08:00:00-06:00" } as never)).rejects.toThrow(/unknown option "valueDate"/);
  });

  test("applyInterest({ interestApplicationDate }): POST /deposits/{id}:applyInterest (ApplyInterestInput, 204); returns the account", async () => {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}:applyInterest`).reply(capture(seen, 204));
    expectRefresh({ balances: { totalBalance: 1003.25 } });
    const result = await dep.applyInterest({ interestApplicationDate: "2021-04-30T23:59:59", notes: "Month end" });
    expectContract(seen, "POST", "/deposits/{depositAccountId}:applyInterest", "ApplyInterestInput");
    expect(seen.body).toBe('{"interestApplicationDate":"2021-04-30T23:59:59-06:00","notes":"Month end"}');
    expect(result).toBe(dep);
    expect(dep.balances?.totalBalance?.toFixed(2)).toBe("1003.25");
    await expect(dep.applyInterest({ notes: "no date" } as never)).rejects.toThrow(/MambuDeposit\.applyInterest\.interestApplicationDate: required field is missing/);
  });

  test("exact bytes on the wire for an amount with more digits than a double holds", async () => {
    const recorder = await startRecorder((req) => (req.method === "GET" ? [200, depositWire()] : [201, fixture("deposit-tx-deposit.json")]));
    try {
      const dep = await MambuDeposit.get("DEP1", { connector: recorder.connector() });
      await dep.deposit("98765432109876543.21");
      const post = recorder.requests.find((r) => r.method === "POST")!;
      expect(post.url).toBe(`${DEP_PATH}/deposit-transactions`);
      expect(post.body).toBe('{"amount":98765432109876543.21}');
      expect(validateAgainst("deposits_transactions", { type: "object", ref: "DepositTransactionInput" }, JSON.parse(post.body))).toEqual([]);
    } finally {
      await recorder.close();
    }
  });
});

describe("transfer(amount, { toDeposit | toLoan }): POST /deposits/{id}/transfer-transactions (TransferDepositTransactionInput)", () => {
  async function transfer(opts: Parameters<MambuDeposit["transfer"]>[1]): Promise<[Bag, Captured, MambuDepositTransaction]> {
    const dep = await readDeposit();
    const seen: Captured = {};
    tenant().post(`${DEP_PATH}/transfer-transactions`).reply(capture(seen, 201, txWire({ type: "TRANSFER", id: "203", amount: -75 })));
    expectRefresh();
    const tx = await dep.transfer("75.00", opts);
    const body = expectContract(seen, "POST", "/deposits/{depositAccountId}/transfer-transactions", "TransferDepositTransactionInput");
    return [body, seen, tx];
  }

  test("to another deposit account by id", async () => {
    const [body, , tx] = await transfer({ toDeposit: "DEP2", notes: "Savings" });
    expect(body).toEqual({ amount: 75, notes: "Savings", transferDetails: { linkedAccountType: "DEPOSIT", linkedAccountId: "DEP2" } });
    expect([tx.type, tx.id]).toEqual(["TRANSFER", "203"]);
  });

  test("to a loan given as the entity (by its encodedKey, which never changes)", async () => {
    const loan = MambuLoan.fromWire(fixtureJson("loan-full.json"));
    const [body] = await transfer({ toLoan: loan, valueDate: "2021-04-18T09:00:00" });
    expect(body).toEqual({
      amount: 75,
      valueDate: "2021-04-18T09:00:00-06:00",
      transferDetails: { linkedAccountType: "LOAN", linkedAccountKey: "8a0000000000000000000000000l5432" },
    });
  });

  test("to a deposit given as { encodedKey }, or with raw transferDetails", async () => {
    const [body1] = await transfer({ toDeposit: { encodedKey: "8a00000000000000000000000000d002" } });
    expect(body1.transferDetails).toEqual({ linkedAccountType: "DEPOSIT", linkedAccountKey: "8a00000000000000000000000000d002" });
    const [body2] = await transfer({ transferDetails: { linkedAccountType: "LOAN", linkedAccountId: "54321" }, externalId: "T-9" });
    expect(body2).toEqual({ amount: 75, transferDetails: { linkedAccountType: "LOAN", linkedAccountId: "54321" }, externalId: "T-9" });
  });

  test("exactly one destination, of the right kind", async () => {
    const dep = await readDeposit();
    const loan = MambuLoan.fromWire(fixtureJson("loan-full.json"));
    await expect(dep.transfer(1, {})).rejects.toThrow(/give exactly one destination: toDeposit, toLoan or transferDetails/);
    await expect(dep.transfer(1, { toDeposit: "A", toLoan: "B" })).rejects.toThrow(/\(got toDeposit, toLoan\)/);
    await expect(dep.transfer(1, { toDeposit: loan })).rejects.toThrow(/toDeposit must be a deposit account, got a MambuLoan/);
    await expect(dep.transfer(1, { toLoan: dep })).rejects.toThrow(/toLoan must be a loan account, got a MambuDeposit/);
    await expect(dep.transfer(1, { toLoan: "" })).rejects.toThrow(/toLoan must be an id, an encodedKey or the entity/);
    await expect(dep.transfer(1, { transferDetails: { linkedAccountId: "X" } } as never)).rejects.toThrow(/transferDetails\.linkedAccountType: required field is missing/);
    expect(requests).toHaveLength(1);
  });
});

describe("deposit transactions", () => {
  const adjustment = txWire({ encodedKey: "8a00000000000000000000000000x201", id: "201", type: "ADJUSTMENT", amount: -100.1, originalTransactionKey: TX_KEY });

  test("deposit.getTransactions(): GET /deposits/{id}/transactions; sets deposit.transactions", async () => {
    const dep = await readDeposit();
    tenant().get(`${DEP_PATH}/transactions`).query({ offset: "0", limit: "50" }).reply(200, `[${fixture("deposit-tx-deposit.json")}]`);
    const txs = await dep.getTransactions();
    expect(txs[0]).toBeInstanceOf(MambuDepositTransaction);
    expect(dep.transactions).toBe(txs);
    expect(Object.keys(dep)).toEqual([]);
  });

  test("MambuDepositTransaction.getAll({ depositAccountId }), search, getDeposit", async () => {
    const connector = testConnector();
    tenant().get("/api/deposits/DEP1/transactions").query({ offset: "0", limit: "3", paginationDetails: "ON" }).reply(200, `[${fixture("deposit-tx-deposit.json")}]`, { "items-total": "1" });
    const txs = await MambuDepositTransaction.getAll({ depositAccountId: "DEP1", limit: 3, paginationDetails: "ON", connector });
    expect(txs.map((t) => t.id)).toEqual(["200"]);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuDepositTransaction.getAll({ sortBy: "id" })).toThrow(/takes no filters or sortBy/);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuDepositTransaction.getAll({})).toThrow(/give depositAccountId/);

    const seen: Captured = {};
    tenant().post("/api/deposits/transactions:search").query(true).reply(capture(seen, 200, `[${fixture("deposit-tx-deposit.json")}]`));
    await MambuDepositTransaction.search({ filterCriteria: [{ field: "type", operator: "IN", values: ["DEPOSIT", "WITHDRAWAL"] }], connector });
    const match = findOperation("POST", "/deposits/transactions:search")!;
    expect(validateAgainst(match.resource, match.op.body!, JSON.parse(seen.body as string))).toEqual([]);

    tenant().get(`/api/deposits/${DEP_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, depositWire());
    const dep = await txs[0].getDeposit();
    expect(dep).toBeInstanceOf(MambuDeposit);
    expect(txs[0].deposit).toBe(dep);
  });

  test("transaction.adjust(notes): POST /deposits/transactions/{id}:adjust (DepositTransactionAdjustmentDetails)", async () => {
    const connector = testConnector();
    const tx = MambuDepositTransaction.fromWire(fixtureJson("deposit-tx-deposit.json"), connector);
    const seen: Captured = {};
    tenant().post(`/api/deposits/transactions/${TX_KEY}:adjust`).reply(capture(seen, 200, adjustment));
    tenant().get(`/api/deposits/transactions/${TX_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, txWire({ adjustmentTransactionKey: "8a00000000000000000000000000x201" }));
    const adj = await tx.adjust("Duplicated", { bookingDate: "2021-04-20T00:00:00", idempotencyKey: IDEMPOTENCY_KEY });
    expectContract(seen, "POST", "/deposits/transactions/{depositTransactionId}:adjust", "DepositTransactionAdjustmentDetails");
    expect(seen.body).toBe('{"notes":"Duplicated","bookingDate":"2021-04-20T00:00:00-06:00"}');
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
    expect(adj).toBeInstanceOf(MambuDepositTransaction);
    expect([adj.type, adj.originalTransactionKey]).toEqual(["ADJUSTMENT", TX_KEY]);
    expect(tx.adjustmentTransactionKey).toBe("8a00000000000000000000000000x201");
    await expect(tx.adjust("x", { installments: [] } as never)).rejects.toThrow(/unknown option "installments"/);
  });

  test("deposit.adjustTransaction(id, notes) checks the transaction is the account's and re-reads the account", async () => {
    const dep = await readDeposit();
    tenant().get("/api/deposits/transactions/200").query({ detailsLevel: "BASIC" }).reply(200, fixture("deposit-tx-deposit.json"));
    const seen: Captured = {};
    tenant().post(`/api/deposits/transactions/${TX_KEY}:adjust`).reply(capture(seen, 200, adjustment));
    const refresh = expectRefresh({ balances: { totalBalance: 900.4 } });
    const adj = await dep.adjustTransaction("200", "Duplicated");
    expectContract(seen, "POST", "/deposits/transactions/{depositTransactionId}:adjust", "DepositTransactionAdjustmentDetails");
    expect(adj.type).toBe("ADJUSTMENT");
    expect(refresh.isDone()).toBe(true);
    expect(dep.balances?.totalBalance?.toString()).toBe("900.4");

    tenant().get("/api/deposits/transactions/300").query(true).reply(200, txWire({ parentAccountKey: "8a00000000000000000000000000d999" }));
    await expect(dep.adjustTransaction("300", "x")).rejects.toThrow(/belongs to another account/);
  });

  test("a Mambu error on an operation is a MambuError; nothing is re-read", async () => {
    const dep = await readDeposit();
    tenant().post(`${DEP_PATH}/withdrawal-transactions`).reply(400, { errors: [{ errorCode: 408, errorReason: "BALANCE_BELOW_ZERO" }] });
    await expect(dep.withdrawal(5000)).rejects.toThrow(new MambuError("408 (400) - BALANCE_BELOW_ZERO"));
    await expect(dep.withdrawal(1)).rejects.toBeInstanceOf(MambuTsError); // no interceptor left: the request fails
  });
});
