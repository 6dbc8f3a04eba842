/**
 * End to end: currencies with accounting rates and index rate sources with index rates through the ORM against
 * the sandbox's demo tenant — rates as exact Decimals and dates as DateTimes, every operation of both resources,
 * and Mambu's refusals as MambuErrors with their reasons.
 */
import { DateTime } from "luxon";
import {
  Decimal, MambuAccountingRate, MambuConnector, MambuCurrency, MambuIndexRate, MambuIndexRateSource, MambuTsError,
} from "../../lib";
import { main } from "../../lib/cli/main";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

const iso = (d: DateTime | undefined): string | undefined => d?.toISO({ suppressMilliseconds: true }) ?? undefined;

describe("MambuCurrency", () => {
  test("the demo tenant's USD accounting rates: Decimals and DateTimes, oldest first", async () => {
    const rates = await MambuCurrency.of("USD", { connector: conn }).getAccountingRates();
    expect(rates.every((r) => r instanceof MambuAccountingRate)).toBe(true);
    expect(rates.map((r) => [r.rate?.toFixed(2), iso(r.startDate), iso(r.endDate), r.fromCurrencyCode, r.toCurrencyCode])).toEqual([
      ["17.05", "2025-10-17T10:00:00+02:00", "2025-12-16T10:00:00+02:00", "MXN", "USD"],
      ["17.20", "2025-12-16T10:00:00+02:00", undefined, "MXN", "USD"],
    ]);
    expect(Decimal.isDecimal(rates[0].rate)).toBe(true);
  });

  test("addAccountingRate sends the rate exactly and lists it last; from/to and limit select", async () => {
    const eur = MambuCurrency.of("EUR", { connector: conn });
    const made = await eur.addAccountingRate("19.1234", { startDate: DateTime.fromISO("2026-01-12T09:00:00+02:00", { setZone: true }) });
    expect(made.rate?.equals(new Decimal("19.1234"))).toBe(true);
    expect(iso(made.startDate)).toBe("2026-01-12T09:00:00+02:00");
    expect(made.fromCurrencyCode).toBe("MXN");

    const all = await eur.getAccountingRates();
    expect(all.map((r) => r.rate?.toFixed(4))).toEqual(["18.9000", "19.1234"]);
    expect(iso(all[0].endDate)).toBe("2026-01-12T09:00:00+02:00");
    const recent = await eur.getAccountingRates({ from: "2026-01-01T00:00:00+02:00", to: "2026-01-15T00:00:00+02:00" });
    expect(recent.map((r) => r.encodedKey)).toEqual([made.encodedKey]);
    expect((await eur.getAccountingRates({ offset: 1, limit: 1 })).map((r) => r.encodedKey)).toEqual([made.encodedKey]);
  });

  test("Mambu's refusals come back as MambuErrors with their reasons", async () => {
    expect(await reasonOf(MambuCurrency.of("MXN", { connector: conn }).addAccountingRate("1"))).toBe("CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY");
    const usd = MambuCurrency.of("USD", { connector: conn });
    expect(await reasonOf(usd.addAccountingRate(new Decimal("17.4"), { startDate: "2026-02-01T00:00:00+02:00" }))).toBe("FUTURE_START_DATE_NOT_ALLOWED");
    expect(await reasonOf(usd.addAccountingRate("17.4", { startDate: "2025-12-01T00:00:00+02:00" }))).toBe("START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE");
    expect(await reasonOf(MambuCurrency.of("GBP", { connector: conn }).getAccountingRates())).toBe("CURRENCY_DOES_NOT_EXIST");
  });

  test("bad input is refused before any request", async () => {
    const usd = MambuCurrency.of("USD", { connector: conn });
    const before = sandbox.requests;
    await expect(usd.addAccountingRate("0")).rejects.toThrow(MambuTsError);
    await expect(usd.addAccountingRate("-1")).rejects.toThrow(/positive/);
    await expect(usd.addAccountingRate("abc")).rejects.toThrow(MambuTsError);
    await expect(usd.addAccountingRate("17", { startDate: "yesterday" })).rejects.toThrow(/startDate/);
    expect(() => MambuCurrency.of("usd")).toThrow(MambuTsError);
    expect(sandbox.requests).toBe(before);
  });
});

describe("MambuIndexRateSource", () => {
  test("the demo tenant's TIIE source: listed, read by id, its two dated rates", async () => {
    const all = await MambuIndexRateSource.getAll({ connector: conn });
    const tiie = all.find((s) => s.id === "TIIE");
    expect(tiie).toBeInstanceOf(MambuIndexRateSource);
    expect([tiie?.name, tiie?.type]).toEqual(["TIIE 28 días", "INTEREST_RATE"]);
    const one = await MambuIndexRateSource.get("TIIE", { connector: conn });
    expect(one.encodedKey).toBe(tiie?.encodedKey);
    const rates = await one.getIndexRates();
    expect(rates.every((r) => r instanceof MambuIndexRate)).toBe(true);
    expect(rates.map((r) => [r.rate?.toFixed(2), iso(r.startDate), r.assignedIndexRateSourceKey])).toEqual([
      ["11.25", "2025-09-17T10:00:00+02:00", one.encodedKey],
      ["10.75", "2025-12-06T10:00:00+02:00", one.encodedKey],
    ]);
  });

  test("a source created, given rates, one deleted, then the source deleted", async () => {
    const src = await new MambuIndexRateSource({ name: "EURIBOR 3M", type: "INTEREST_RATE", notes: "EMMI" }).create({ connector: conn });
    expect(src.encodedKey).toMatch(/^[0-9a-f]{32}$/);
    const neg = await src.addIndexRate({ rate: "-0.545", startDate: "2021-06-01T00:00:00+02:00", notes: "negative era" });
    expect(neg.rate?.toFixed(3)).toBe("-0.545");
    const now = await src.addIndexRate({ rate: new Decimal("2.031"), startDate: DateTime.fromISO("2026-01-02T00:00:00+02:00", { setZone: true }) });
    expect(iso(now.startDate)).toBe("2026-01-02T00:00:00+02:00");
    expect((await src.getIndexRates()).map((r) => r.rate?.toFixed(3))).toEqual(["-0.545", "2.031"]);
    expect(await reasonOf(src.addIndexRate({ rate: "2.1", startDate: "2026-01-02T00:00:00+02:00" }))).toBe("INVALID_INDEX_RATE_START_DATE");

    await src.deleteIndexRate(neg);
    await src.deleteIndexRate(now.encodedKey as string);
    expect(await src.getIndexRates()).toEqual([]);
    expect(await reasonOf(src.deleteIndexRate(now))).toBe("OBJECT_NOT_FOUND");

    await src.delete();
    expect(await reasonOf(MambuIndexRateSource.get(src.encodedKey as string, { connector: conn }))).toBe("INVALID_INDEX_RATE_SOURCE_ID");
    expect(await MambuIndexRateSource.find(src.encodedKey as string, { connector: conn })).toBeUndefined();
  });

  test("bad input is refused before any request; a source cannot be updated", async () => {
    const tiie = await MambuIndexRateSource.get("TIIE", { connector: conn });
    const before = sandbox.requests;
    await expect(new MambuIndexRateSource({ type: "INTEREST_RATE" }).create({ connector: conn })).rejects.toThrow(/name is required/);
    await expect(new MambuIndexRateSource({ name: "X", type: "FX" as never }).create({ connector: conn })).rejects.toThrow(/type must be one of/);
    await expect(tiie.addIndexRate({ rate: "11" } as never)).rejects.toThrow(/startDate is required/);
    await expect(tiie.addIndexRate({ rate: "eleven", startDate: "2026-01-14T00:00:00+02:00" })).rejects.toThrow(MambuTsError);
    await expect(tiie.addIndexRate({ rate: "11", startDate: "2026-01-14T00:00:00+02:00", spread: 1 } as never)).rejects.toThrow(/unknown option "spread"/);
    await expect(tiie.update()).rejects.toThrow(/cannot be updated/);
    await expect(tiie.deleteIndexRate("")).rejects.toThrow(MambuTsError);
    expect(sandbox.requests).toBe(before);
  });
});

describe("the command line on index rate sources", () => {
  function io(): { out: () => string; io: Parameters<typeof main>[1] } {
    let stdout = "";
    let stderr = "";
    const sink = { stdout: { write: (t: string) => ((stdout += t), true) }, stderr: { write: (t: string) => ((stderr += t), true) } } as unknown as Parameters<typeof main>[1];
    return { out: () => stdout + stderr, io: sink };
  }

  test("mambu list indexratesources and mambu get indexratesource TIIE answer the demo's source", async () => {
    const list = io();
    expect({ rc: await main(["--sandbox", "list", "indexratesources", "--limit", "5"], list.io), out: list.out() }).toMatchObject({ rc: 0, out: expect.stringMatching(/TIIE 28 días/) });
    const one = io();
    expect({ rc: await main(["--sandbox", "get", "indexratesource", "TIIE"], one.io), out: one.out() }).toMatchObject({ rc: 0, out: expect.stringMatching(/INTEREST_RATE/) });
    expect(one.out()).toMatch(/TIIE 28 días/);
  });

  test("getAll({ offset, limit }) cuts the one list Mambu answers; get takes detailsLevel", async () => {
    const extra = await new MambuIndexRateSource({ name: "SOFR", type: "INTEREST_RATE" }).create({ connector: conn });
    const all = (await MambuIndexRateSource.getAll({ connector: conn })).map((s) => s.encodedKey);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const cut = await MambuIndexRateSource.getAll({ connector: conn, offset: 1, limit: 1, detailsLevel: "FULL", paginationDetails: "OFF" } as never);
    expect(cut.map((s) => s.encodedKey)).toEqual(all.slice(1, 2));
    expect((await MambuIndexRateSource.get("TIIE", { connector: conn, detailsLevel: "FULL" })).name).toBe("TIIE 28 días");
    expect(() => MambuIndexRateSource.getAll({ connector: conn, limit: 0 } as never)).toThrow(/limit must be an integer ≥ 1/);
    expect(() => MambuIndexRateSource.getAll({ connector: conn, sortBy: "id:ASC" } as never)).toThrow(/unknown option "sortBy"/);
    await extra.delete();
  });
});
