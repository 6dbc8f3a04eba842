/**
 * Credit arrangements (lines of credit) through the ORM: read, list, search, write, state changes,
 * the accounts under one, its holder, and a client's / group's arrangements. Requests are the
 * contract's operations with valid bodies; bad input is refused before any request.
 */
import nock from "nock";
import { MambuClient, MambuCreditArrangement, MambuDeposit, MambuGroup, MambuLoan, MambuTsError } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { displayName, findEntity } from "../../lib/cli/entities";
import { capture, Captured, contractTenant, fixture, fixtureJson, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;

const { tenant, requests } = contractTenant();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

const CA_KEY = "8a0000000000000000000000000ca001";
const CA_PATH = `/api/creditarrangements/${CA_KEY}`;
const CLIENT_KEY = "8a099a673f1f25a0013f1fd0a1c318a5";
const CA: Bag = {
  encodedKey: CA_KEY, id: "CA1", amount: 50000.75, availableCreditAmount: 42000.7, consumedCreditAmount: 8000.05, state: "APPROVED",
  holderType: "CLIENT", holderKey: CLIENT_KEY, exposureLimitType: "APPROVED_AMOUNT", notes: "línea",
  startDate: "2021-03-01T00:00:00-06:00", expireDate: "2022-03-01T00:00:00-06:00", approvedDate: "2021-03-02T09:00:00-06:00",
  creationDate: "2021-03-01T10:00:00-06:00", lastModifiedDate: "2021-03-02T09:00:00-06:00",
};

function wire(over: Bag = {}): string {
  const body = { ...CA, ...over };
  expect(validateAgainst("creditarrangements", { type: "object", ref: "CreditArrangement" }, body)).toEqual([]);
  return JSON.stringify(body);
}

async function readArrangement(): Promise<MambuCreditArrangement> {
  tenant().get("/api/creditarrangements/CA1").query({ detailsLevel: "BASIC" }).reply(200, wire());
  return MambuCreditArrangement.get("CA1", { connector: testConnector() });
}

function expectOperation(seen: Captured, method: string, template: string): Bag | unknown[] | undefined {
  const match = findOperation(method, (seen.path as string).split("?")[0].replace(/^\/api/, ""));
  expect(match?.op.path).toBe(template);
  if (!match?.op.body) return undefined;
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match.resource, match.op.body, body)).toEqual([]);
  return body;
}

describe("MambuCreditArrangement: read, list, search", () => {
  test("get: Decimal amounts, DateTime dates in the tenant's offset", async () => {
    const ca = await readArrangement();
    expect(ca).toBeInstanceOf(MambuCreditArrangement);
    expect([ca.id, ca.state, ca.holderType]).toEqual(["CA1", "APPROVED", "CLIENT"]);
    expect(ca.amount.toFixed(2)).toBe("50000.75");
    expect(ca.amount.minus(ca.availableCreditAmount!).toFixed(2)).toBe(ca.consumedCreditAmount!.toFixed(2));
    expect(ca.expireDate.toISO()).toBe("2022-03-01T00:00:00.000-06:00");
  });

  test("custom field sets (CREDIT_ARRANGEMENT) are flattened and written back exactly", async () => {
    tenant().get("/api/creditarrangements/CA2").query({ detailsLevel: "FULL" }).reply(200, wire({ _LineTerms: { Purpose: "Working capital", Review: "2021-09-01" } }));
    const ca = await MambuCreditArrangement.get("CA2", { detailsLevel: "FULL", connector: testConnector() });
    expect(ca.customField("Purpose")).toBe("Working capital");
    expect((ca.toJSON() as Bag)._LineTerms).toEqual({ Purpose: "Working capital", Review: "2021-09-01" });
  });

  test("getAll sorts by the documented fields only; search posts CreditArrangementSearchCriteria", async () => {
    tenant().get("/api/creditarrangements").query({ sortBy: "expireDate:ASC", offset: "0", limit: "5" }).reply(200, `[${wire()}]`);
    const all = await MambuCreditArrangement.getAll({ sortBy: "expireDate:ASC", limit: 5, connector: testConnector() });
    expect(all.map((c) => c.id)).toEqual(["CA1"]);
    // @ts-expect-error refused at compile time too: the run-time refusal (JavaScript callers)
    expect(() => MambuCreditArrangement.getAll({ sortBy: "id:ASC" })).toThrow(/MambuCreditArrangement/);
    // @ts-expect-error no filters in GET /creditarrangements
    expect(() => MambuCreditArrangement.getAll({ filters: { state: "APPROVED" } })).toThrow(/filters/);

    const seen: Captured = {};
    tenant().post("/api/creditarrangements:search").query(true).reply(capture(seen, 200, `[${wire()}]`));
    const found = await MambuCreditArrangement.search({
      filterCriteria: [{ field: "state", operator: "EQUALS", value: "APPROVED" }], sortingCriteria: { field: "amount", order: "DESC" }, connector: testConnector(),
    });
    expect(found[0].id).toBe("CA1");
    expect(expectOperation(seen, "POST", "/creditarrangements:search")).toEqual({
      filterCriteria: [{ field: "state", operator: "EQUALS", value: "APPROVED" }], sortingCriteria: { field: "amount", order: "DESC" },
    });
  });
});

describe("MambuCreditArrangement: writes and state", () => {
  test("create posts a valid CreditArrangement and adopts Mambu's answer", async () => {
    const seen: Captured = {};
    tenant().post("/api/creditarrangements").reply(capture(seen, 201, wire({ state: "PENDING_APPROVAL" })));
    const ca = new MambuCreditArrangement({
      amount: "50000.75", holderType: "CLIENT", holderKey: CLIENT_KEY, exposureLimitType: "APPROVED_AMOUNT",
      startDate: "2021-03-01T00:00:00-06:00", expireDate: "2022-03-01T00:00:00-06:00",
    });
    await ca.create({ connector: testConnector() } as never);
    const body = expectOperation(seen, "POST", "/creditarrangements") as Bag;
    expect(body.amount).toBe(50000.75);
    expect(seen.body).toContain('"amount":50000.75');
    expect([ca.encodedKey, ca.state]).toEqual([CA_KEY, "PENDING_APPROVAL"]);
  });

  test("approve / close / undoClose post CreditArrangementAction and return the refreshed arrangement", async () => {
    const ca = await readArrangement();
    const seen: Captured = {};
    tenant().post(`${CA_PATH}:changeState`).reply(capture(seen, 200, wire({ state: "CLOSED" })));
    tenant().get(CA_PATH).query({ detailsLevel: "BASIC" }).reply(200, wire({ state: "CLOSED", closedDate: "2021-06-01T00:00:00-06:00" }));
    expect(await ca.close("paid up")).toBe(ca);
    expect(expectOperation(seen, "POST", "/creditarrangements/{creditArrangementId}:changeState")).toEqual({ action: "CLOSE", notes: "paid up" });
    expect(ca.state).toBe("CLOSED");
    expect(ca.closedDate?.toISODate()).toBe("2021-06-01");

    const undo: Captured = {};
    tenant().post(`${CA_PATH}:changeState`).reply(capture(undo, 200, wire({ state: "APPROVED" })));
    await ca.undoClose(undefined, { reread: false });
    expect(JSON.parse(undo.body as string)).toEqual({ action: "UNDO_CLOSE" });
    expect(ca.state).toBe("APPROVED");

    requests.length = 0;
    await expect(ca.setState("LOCK" as never)).rejects.toThrow(/MambuCreditArrangement\.setState\.action: "LOCK" is not one of APPROVE, UNDO_APPROVE, REJECT/);
    await expect(ca.approve(7 as never)).rejects.toThrow(/notes must be a string/);
    await expect(ca.approve("x", { notes: "y" } as never)).rejects.toThrow(MambuTsError);
    expect(requests).toEqual([]);
  });

  test("delete", async () => {
    const ca = await readArrangement();
    const seen: Captured = {};
    tenant().delete(CA_PATH).reply(capture(seen, 204));
    await ca.delete();
    expectOperation(seen, "DELETE", "/creditarrangements/{creditArrangementId}");
  });
});

describe("accounts, holder, a holder's arrangements", () => {
  test("getAccounts: its loans and deposits as entities (also as ca.accounts)", async () => {
    const ca = await readArrangement();
    const accounts = { loanAccounts: [fixtureJson("loan-full.json")], depositAccounts: [fixtureJson("deposit-full.json")] };
    const op = findOperation("GET", "/creditarrangements/x/accounts")!;
    expect(validateAgainst(op.resource, op.op.responses["200"]!, accounts)).toEqual([]);
    tenant().get(`${CA_PATH}/accounts`).reply(200, accounts);
    const { loans, deposits } = await ca.getAccounts();
    expect(loans[0]).toBeInstanceOf(MambuLoan);
    expect(deposits[0]).toBeInstanceOf(MambuDeposit);
    expect(deposits[0].balances?.totalBalance?.toFixed(2)).toBe("1000.50");
    expect(ca.accounts?.loans).toBe(loans);
    expect(Object.keys(ca.toJSON())).not.toContain("accounts");

    tenant().get(`${CA_PATH}/accounts`).reply(200, { loanAccounts: "none" });
    await expect(ca.getAccounts()).rejects.toThrow(/loanAccounts is not a list of records/);
  });

  test("addAccount / removeAccount post { accountId, accountType } and return the arrangement re-read, its accounts set", async () => {
    const ca = await readArrangement();
    const loan = MambuLoan.fromWire(fixtureJson("loan-full.json"), testConnector());
    const deposit = MambuDeposit.fromWire(fixtureJson("deposit-full.json"), testConnector());
    const both = { loanAccounts: [fixtureJson("loan-full.json")], depositAccounts: [fixtureJson("deposit-full.json")] };
    const op = findOperation("POST", "/creditarrangements/x:addAccount")!;
    expect(validateAgainst(op.resource, op.op.responses["200"]!, both)).toEqual([]);

    const added: Captured = {};
    tenant().post(`${CA_PATH}:addAccount`).reply(capture(added, 200, both));
    tenant().get(CA_PATH).query({ detailsLevel: "BASIC" }).reply(200, wire({ availableCreditAmount: 37000.7, consumedCreditAmount: 13000.05 }));
    expect(await ca.addAccount(loan)).toBe(ca);
    expect(expectOperation(added, "POST", "/creditarrangements/{creditArrangementId}:addAccount")).toEqual({ accountId: loan.encodedKey, accountType: "LOAN" });
    expect([ca.availableCreditAmount?.toFixed(2), ca.consumedCreditAmount?.toFixed(2)]).toEqual(["37000.70", "13000.05"]);
    expect(ca.accounts?.loans.map((l) => [l.constructor, l.encodedKey])).toEqual([[MambuLoan, loan.encodedKey]]);
    expect(ca.accounts?.deposits[0]).toBeInstanceOf(MambuDeposit);

    const removed: Captured = {};
    tenant().post(`${CA_PATH}:removeAccount`).reply(capture(removed, 200, { loanAccounts: [fixtureJson("loan-full.json")], depositAccounts: [] }));
    expect(await ca.removeAccount(deposit, { reread: false, idempotencyKey: "5a0f9c2e-7f3b-4d1e-9a6b-2c8d4e6f8a10" })).toBe(ca);
    expect(expectOperation(removed, "POST", "/creditarrangements/{creditArrangementId}:removeAccount")).toEqual({ accountId: deposit.encodedKey, accountType: "DEPOSIT" });
    expect(removed.headers?.["idempotency-key"]).toBe("5a0f9c2e-7f3b-4d1e-9a6b-2c8d4e6f8a10");
    expect([ca.accounts?.loans.length, ca.accounts?.deposits.length]).toEqual([1, 0]);
    expect(ca.consumedCreditAmount?.toFixed(2)).toBe("13000.05"); // not re-read

    requests.length = 0;
    await expect(ca.addAccount(ca as never)).rejects.toThrow(/MambuCreditArrangement\.addAccount: account must be a MambuLoan or a MambuDeposit/);
    await expect(ca.removeAccount(loan, { notes: "x" } as never)).rejects.toThrow(/MambuCreditArrangement\.removeAccount: unknown option "notes"/);
    expect(requests).toEqual([]);
  });

  test("getHolder: a client or a group, as holderType says", async () => {
    const ca = await readArrangement();
    tenant().get(`/api/clients/${CLIENT_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
    expect(await ca.getHolder()).toBeInstanceOf(MambuClient);
    const grp = MambuCreditArrangement.fromWire({ ...CA, holderType: "GROUP", holderKey: "8a00000000000000000000000000g001" }, testConnector());
    tenant().get("/api/groups/8a00000000000000000000000000g001").query({ detailsLevel: "BASIC" }).reply(200, fixture("group-full.json"));
    expect(await grp.getHolder()).toBeInstanceOf(MambuGroup);
  });

  test("client.getCreditArrangements() and group.getCreditArrangements()", async () => {
    const client = MambuClient.fromWire(fixtureJson("client-full.json"), testConnector());
    tenant().get(`/api/clients/${client.encodedKey}/creditarrangements`).query({ offset: "0", limit: "10", detailsLevel: "FULL" }).reply(200, `[${wire()}]`);
    const mine = await client.getCreditArrangements({ limit: 10, detailsLevel: "FULL" });
    expect(mine.map((c) => [c.id, c.amount.toFixed(2)])).toEqual([["CA1", "50000.75"]]);

    const group = MambuGroup.fromWire(fixtureJson("group-full.json"), testConnector());
    tenant().get(`/api/groups/${group.encodedKey}/creditarrangements`).query(true).reply(200, "[]");
    expect(await group.getCreditArrangements()).toEqual([]);
    expect(() => client.getCreditArrangements({ state: "APPROVED" } as never)).toThrow(/MambuClient\.getCreditArrangements: unknown option "state"/);
  });
});

test("the command line knows credit arrangements (also as lines of credit)", () => {
  expect(findEntity("creditarrangements").cls).toBe(MambuCreditArrangement);
  expect(findEntity("lineofcredit").cls).toBe(MambuCreditArrangement);
  expect(findEntity("LinesOfCredit").cls).toBe(MambuCreditArrangement);
  expect(displayName(findEntity("creditarrangement"))).toBe("creditarrangement(s)/lineofcredit/linesofcredit");
});
