/**
 * End to end: card authorization holds expire as `configuration/authorizationholds.yaml` says — a PENDING hold
 * older than the days of its merchant category code (else the default) on the sandbox clock becomes EXPIRED, its
 * amount leaves the account's holdBalance (and comes back to the available balance), and it can no longer be
 * settled or reversed.
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { operation, validateAgainst } from "../../lib/contract/schema";
import { call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  const holder = (await call(sb, "GET", "/clients/0512N0025")).body.encodedKey;
  const created = await call(sb, "POST", "/deposits", { body: { id: "HX001", name: "Holds", accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: "SAVINGS", accountType: "REGULAR_SAVINGS", currencyCode: "MXN" } });
  expect(created.status).toBe(201);
  expect((await call(sb, "POST", "/deposits/HX001:changeState", { body: { action: "APPROVE" } })).status).toBe(200);
  expect((await call(sb, "POST", "/deposits/HX001/deposit-transactions", { body: { amount: 1000 } })).status).toBe(201);
  expect((await call(sb, "POST", "/deposits/HX001/cards", { body: { referenceToken: "tok-hx" } })).status).toBe(201);
  const yaml = ["defaultAuthorizationHold:", "  daysToExpiration: 3", "authorizationHolds:", "- mcc: 5411", "  daysToExpiration: 1", "  description: groceries", ""].join("\n");
  const put = await call(sb, "PUT", "/configuration/authorizationholds.yaml", { raw: yaml, headers: { "Content-Type": "application/yaml", Accept: "application/vnd.mambu.v2+yaml" } });
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await sb.stop();
});

const balances = async (): Promise<{ holdBalance: number; availableBalance: number }> => (await call(sb, "GET", "/deposits/HX001")).body.balances;
const hold = async (ref: string): Promise<Record<string, unknown>> => {
  const r = await call(sb, "GET", `/cards/tok-hx/authorizationholds/${ref}`);
  expect(r.status).toBe(200);
  const op = operation("cards", "GET", "/cards/{cardReferenceToken}/authorizationholds/{authorizationHoldExternalReferenceId}");
  expect(validateAgainst("cards", op!.responses["200"]!, r.body, { path: "response" })).toEqual([]);
  return r.body;
};

test("a grocery hold expires after its MCC's day, the others after the default 3 days; their money is released", async () => {
  const post = (ref: string, amount: number, mcc?: number): Promise<unknown> =>
    call(sb, "POST", "/cards/tok-hx/authorizationholds", { body: { externalReferenceId: ref, amount, advice: false, ...(mcc ? { cardAcceptor: { name: "Shop", mcc } } : {}) } });
  expect(((await post("G-1", 100.25, 5411)) as { status: number }).status).toBe(201);
  expect(((await post("D-1", 50.5)) as { status: number }).status).toBe(201);
  expect(((await post("F-1", 20, 5812)) as { status: number }).status).toBe(201); // an MCC without a setting: the default
  expect(await balances()).toMatchObject({ holdBalance: 170.75, availableBalance: 829.25 });

  sb.clock.advance({ hours: 23, minutes: 59 });
  expect(await balances()).toMatchObject({ holdBalance: 170.75, availableBalance: 829.25 });
  expect((await hold("G-1")).status).toBe("PENDING");

  sb.clock.advance({ minutes: 1 }); // one day after the holds were made
  expect(await balances()).toMatchObject({ holdBalance: 70.5, availableBalance: 929.5 });
  expect((await hold("G-1")).status).toBe("EXPIRED");
  expect((await hold("D-1")).status).toBe("PENDING");
  // an expired hold can be neither settled by a card transaction nor reversed
  const settle = await call(sb, "POST", "/cards/tok-hx/financialtransactions", {
    body: { externalReferenceId: "T-1", amount: 100.25, advice: false, transactionChannelId: "cash", externalAuthorizationReferenceId: "G-1" },
  });
  expect([settle.status, settle.body.errors?.[0]?.errorReason]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);
  const reverse = await call(sb, "DELETE", "/cards/tok-hx/authorizationholds/G-1");
  expect([reverse.status, reverse.body.errors?.[0]?.errorReason]).toEqual([400, "INVALID_AUTHORIZATION_HOLD_STATE"]);

  sb.clock.advance({ days: 2 }); // three days after
  expect(await balances()).toMatchObject({ holdBalance: 0, availableBalance: 1000 });
  expect([(await hold("D-1")).status, (await hold("F-1")).status]).toEqual(["EXPIRED", "EXPIRED"]);
  const listed = (await call(sb, "GET", "/deposits/HX001/authorizationholds?status=EXPIRED")).body as Array<{ externalReferenceId: string }>;
  expect(listed.map((h) => h.externalReferenceId).sort()).toEqual(["D-1", "F-1", "G-1"]);
});

test("a hold made later lives its own days; a settled hold never expires", async () => {
  const r = await call(sb, "POST", "/cards/tok-hx/authorizationholds", { body: { externalReferenceId: "G-2", amount: 10, advice: false, cardAcceptor: { name: "Shop", mcc: 5411 } } });
  expect(r.status).toBe(201);
  const s = await call(sb, "POST", "/cards/tok-hx/authorizationholds", { body: { externalReferenceId: "S-1", amount: 5, advice: false } });
  expect(s.status).toBe(201);
  const paid = await call(sb, "POST", "/cards/tok-hx/financialtransactions", {
    body: { externalReferenceId: "T-2", amount: 5, advice: false, transactionChannelId: "cash", externalAuthorizationReferenceId: "S-1" },
  });
  expect(paid.status).toBe(201);
  expect((await balances()).holdBalance).toBe(10);
  sb.clock.advance({ days: 1 });
  expect(await balances()).toMatchObject({ holdBalance: 0, availableBalance: 995 });
  expect([(await hold("G-2")).status, (await hold("S-1")).status]).toEqual(["EXPIRED", "SETTLED"]);
});
