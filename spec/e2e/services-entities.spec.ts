/**
 * The Services API's entities (`Services.*` of mambu-ts) against one sandbox serving `/v1`: exact money and rates,
 * token-paged lists streamed with `for await`, filters refused before any request, 409 as MambuError, durations
 * as luxon Durations both ways, holds on a card reserving an exact amount.
 */
import { Duration } from "luxon";
import { Decimal, MambuError, MambuTsError, Services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;
const AUTH = { Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`, Accept: "application/vnd.mambu.v2+json", "Content-Type": "application/json" };

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  await sb.stop();
});

test("rates keep every digit both ways: an accounting rate (decimal string) and an exchange rate (a JSON number: 15 significant digits, what the sandbox keeps)", async () => {
  const usd = await Services.Currency.get("USD", { connector }).catch(() => Services.Currency.create({ code: "USD", name: "US dollar", decimals: 2 }, { connector }));
  const acc = await usd.createAccountingRate({ rate: new Decimal("1.234567890123456789"), startTime: "2026-01-01T00:00:00Z" });
  expect(acc.rate.toFixed()).toBe("1.234567890123456789");
  expect(acc.startTime.toUTC().toISO()).toBe("2026-01-01T00:00:00.000Z");
  const ex = await usd.createExchangeRate({ buyRate: "16.1234567890123", sellRate: new Decimal("16.2"), startTime: "2026-01-02T00:00:00Z" });
  expect(ex.buyRate.toFixed()).toBe("16.1234567890123");
  const listed = await usd.exchangeRates();
  expect(listed.map((r) => r.buyRate.toFixed())).toContain("16.1234567890123");
  const accs = await usd.accountingRates({ orderBy: "start_time desc" });
  expect(accs[0].rate.toFixed()).toBe("1.234567890123456789");
  await expect(usd.createAccountingRate({ rate: 1.1 as unknown as string, startTime: "2026-01-03T00:00:00Z" })).rejects.toThrow(MambuTsError);
});

test("a list pages with page_token across pages: for await streams them all in order, await gives the same array", async () => {
  for (let i = 0; i < 7; i++) await Services.IndexRateSource.create({ sourceId: `SRC${i}`, name: `Source ${i}`, type: "InterestRate" }, { connector });
  const seen: string[] = [];
  for await (const s of Services.IndexRateSource.list({ connector, pageSize: 3, filter: 'source_id >= "SRC0" AND source_id <= "SRC6"', orderBy: "source_id" })) seen.push(s.sourceId);
  expect(seen).toEqual(["SRC0", "SRC1", "SRC2", "SRC3", "SRC4", "SRC5", "SRC6"]);
  const all = await Services.IndexRateSource.list({ connector, pageSize: 2, filter: 'type = "InterestRate" AND source_id >= "SRC0"', orderBy: "source_id desc" });
  expect(all.map((s) => s.sourceId)).toEqual(["SRC6", "SRC5", "SRC4", "SRC3", "SRC2", "SRC1", "SRC0"]);
  const src = await Services.IndexRateSource.get("SRC3", { connector });
  for (let i = 1; i <= 4; i++) await src.createIndexRate({ rate: `3.${i}0000000000001`, startTime: `2026-0${i}-01T00:00:00Z` });
  const rates: string[] = [];
  for await (const r of src.indexRates({ pageSize: 3, orderBy: "start_time" })) rates.push(r.rate.toFixed());
  expect(rates).toEqual(["3.10000000000001", "3.20000000000001", "3.30000000000001", "3.40000000000001"]);
});

test("a filter or order_by that the contract refuses is a MambuTsError before any request", async () => {
  let fetched = false;
  const real = connector.request.bind(connector);
  const spy = jest.spyOn(connector, "request").mockImplementation((...a: Parameters<typeof real>) => {
    fetched = true;
    return real(...a);
  });
  try {
    expect(() => Services.Currency.list({ connector, filter: 'nosuchfield = "x"' })).toThrow(/unknown field "nosuchfield"/);
    expect(() => Services.Currency.list({ connector, filter: "code ~ 1" })).toThrow(MambuTsError);
    expect(() => Services.HoldConfig.list({ connector, orderBy: "duration sideways" })).toThrow(MambuTsError);
    const usd = Services.Currency.list({ connector });
    expect(fetched).toBe(false);
    void usd;
  } finally {
    spy.mockRestore();
  }
});

test("an existing identifier is 409 as a MambuError, with its reason", async () => {
  await Services.Currency.create({ code: "CHF", name: "Swiss franc" }, { connector });
  const err = await Services.Currency.create({ code: "CHF", name: "again" }, { connector }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MambuError);
  expect((err as MambuError).status).toBe(409);
  const chf = await Services.Currency.get("CHF", { connector });
  expect((await chf.update({ name: "Franc", decimals: 2 })).name).toBe("Franc");
  await chf.delete();
  await expect(Services.Currency.get("CHF", { connector })).rejects.toMatchObject({ status: 404 });
});

test("hold configurations: durations are luxon Durations both ways, the default one included", async () => {
  const def = await Services.HoldConfig.default({ connector });
  expect(def.merchantCode).toBe("default");
  expect(Duration.isDuration(def.duration)).toBe(true);
  const made = await Services.HoldConfig.create({ merchantCode: "5411", duration: Duration.fromObject({ days: 2 }), description: "groceries" }, { connector });
  expect(made.duration.as("seconds")).toBe(172800);
  const again = await Services.HoldConfig.get("5411", { connector });
  expect(again.duration.as("days")).toBe(2);
  const longer = await again.update({ duration: "P3D" });
  expect(longer.duration.as("seconds")).toBe(259200);
  expect((await Services.HoldConfig.list({ connector })).map((c) => c.merchantCode)).toContain("5411");
  await longer.delete();
  await expect(Services.HoldConfig.get("5411", { connector })).rejects.toMatchObject({ status: 404 });
});

test("a card's hold reserves its amount exactly and comes back when revoked", async () => {
  const list = (await (await fetch(`${sb.url}/api/deposits?limit=100&detailsLevel=FULL`, { headers: AUTH })).json()) as Array<Record<string, unknown>>;
  const active = list.find((d) => d.accountState === "ACTIVE" && Number((d.balances as Record<string, unknown>)?.totalBalance) > 100);
  if (!active) throw new Error("the default sandbox has no active deposit account with money");
  const linked = await fetch(`${sb.url}/api/deposits/${String(active.id)}/cards`, { method: "POST", headers: AUTH, body: JSON.stringify({ referenceToken: "ENT-CARD-1" }) });
  expect(linked.status).toBe(201);
  const card = Services.Card.get("ENT-CARD-1", { connector });
  const before = await card.balance();
  const currency = before.available.currency;
  const hold = await card.holds.create({ holdId: "EH-1", amount: { value: "12.34", currency } });
  expect(hold.amount.value.toFixed(2)).toBe("12.34");
  expect(hold.status).toBe("HoldPending");
  const during = await card.balance();
  expect(before.available.value.minus(during.available.value).toFixed()).toBe("12.34");
  await expect(card.holds.create({ holdId: "EH-1", amount: { value: "1", currency } })).rejects.toMatchObject({ status: 409 });
  const revoked = await (await card.holds.get("EH-1")).revoke();
  expect(revoked.status).toBe("HoldReversed");
  expect((await card.balance()).available.value.equals(before.available.value)).toBe(true);
});
