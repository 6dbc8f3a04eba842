/**
 * The sandbox's Services API never loses a digit of a rate that was sent: `buy_rate`, `sell_rate` and an index
 * rate's `rate` are `Float(64)` on the wire, the ORM writes a `Decimal` as its exact number text, and the sandbox
 * keeps that text (lib/sandbox/services/exact-json.ts) and answers it as a JSON number, not a string. Through the
 * `Services.*` entities (the user's view) and in the raw answer text.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fetch from "node-fetch";
import { Decimal, Services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { DEMO_AUTH } from "./sandbox-helpers";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  await sb.stop();
});

/** A raw call under `/v1`: the answer's status and text, unparsed. */
async function v1(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${sb.url}/v1${path}`, {
    method,
    headers: { Authorization: DEMO_AUTH, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const BUY = "1.123456789012345678901";
const SELL = "1.1234567890123456789019";

describe("exchange rates keep every digit", () => {
  test("created through the library with Decimal rates, answered and read back equal", async () => {
    const chf = await Services.Currency.create({ code: "CHF", name: "Swiss franc", decimals: 2 }, { connector });
    const made = await chf.createExchangeRate({ buyRate: new Decimal(BUY), sellRate: new Decimal(SELL), startTime: "2026-01-01T00:00:00Z" });
    expect(made.buyRate.toFixed()).toBe(BUY);
    expect(made.sellRate.toFixed()).toBe(SELL);
    const [read] = await chf.exchangeRates();
    expect(read.buyRate.equals(new Decimal(BUY))).toBe(true);
    expect(read.sellRate.toFixed()).toBe(SELL);
    // a double would have answered 1.1234567890123457
    expect(read.buyRate.equals(new Decimal(Number(BUY)))).toBe(false);
  });

  test("the answer's text holds the number as sent, a JSON number (no quotes)", async () => {
    expect((await v1("POST", "/currencies", JSON.stringify({ code: "NOK", name: "Norwegian krone" }))).status).toBe(201);
    const body = `{"buy_rate": ${BUY}, "sell_rate": 1.50, "start_time": "2026-01-01T00:00:00Z"}`;
    const made = await v1("POST", "/currencies/NOK/exchange_rate", body);
    expect(made.status).toBe(201);
    expect(made.text).toContain(`"buy_rate":${BUY}`);
    expect(made.text).toContain('"sell_rate":1.50');
    const id = (JSON.parse(made.text) as { rate_id: string }).rate_id;
    const got = await v1("GET", `/currencies/NOK/exchange_rate/${id}`);
    expect(got.status).toBe(200);
    expect(got.text).toContain(`"buy_rate":${BUY}`);
    const list = await v1("GET", "/currencies/NOK/exchange_rate");
    expect(list.text).toContain(`"buy_rate":${BUY}`);
    // filters compare the exact value: the 21st digit counts
    const above = await v1("GET", `/currencies/NOK/exchange_rate?filter=${encodeURIComponent("buy_rate > 1.12345678901234567890")}`);
    expect(JSON.parse(above.text).total).toBe(1);
    const atOrBelow = await v1("GET", `/currencies/NOK/exchange_rate?filter=${encodeURIComponent("buy_rate <= 1.12345678901234567890")}`);
    expect(JSON.parse(atOrBelow.text).total).toBe(0);
  });

  test("a later rate of the same currency keeps the earlier one's digits when its end_time is set", async () => {
    const nok = await Services.Currency.get("NOK", { connector });
    await nok.createExchangeRate({ buyRate: new Decimal("2"), sellRate: new Decimal("2.1"), startTime: "2026-02-01T00:00:00Z" });
    const rates = await nok.exchangeRates({ orderBy: "start_time" });
    expect(rates[0].buyRate.toFixed()).toBe(BUY);
    expect(rates[0].endTime?.toUTC().toISO()).toBe("2026-02-01T00:00:00.000Z");
  });

  test("an idempotent replay is told apart from a request that differs only in the 21st digit", async () => {
    const key = "7b0e0c8e-2f43-4c1a-9d55-1f2e3a4b5c6d";
    const first = await v1("POST", "/currencies/NOK/exchange_rate", `{"buy_rate": ${BUY}, "sell_rate": 3, "start_time": "2026-03-01T00:00:00Z"}`, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const replay = await v1("POST", "/currencies/NOK/exchange_rate", `{"buy_rate": ${BUY}, "sell_rate": 3, "start_time": "2026-03-01T00:00:00Z"}`, { "Idempotency-Key": key });
    expect(replay.text).toBe(first.text);
    const other = await v1("POST", "/currencies/NOK/exchange_rate", `{"buy_rate": 1.123456789012345678902, "sell_rate": 3, "start_time": "2026-03-01T00:00:00Z"}`, { "Idempotency-Key": key });
    expect(other.status).toBe(422);
  });
});

describe("index rates keep every digit", () => {
  test("through IndexRateSource.createIndexRate and back", async () => {
    const src = await Services.IndexRateSource.create({ sourceId: "EXACT-IDX", name: "Exact", type: "InterestRate" }, { connector });
    const rate = "3.14159265358979323846264";
    const made = await src.createIndexRate({ rate: new Decimal(rate), startTime: "2026-01-01T00:00:00Z" });
    expect(made.rate.toFixed()).toBe(rate);
    const [read] = await src.indexRates();
    expect(read.rate.toFixed()).toBe(rate);
    const text = (await v1("GET", `/sources/EXACT-IDX/indexrates/${made.rateId}`)).text;
    expect(text).toContain(`"rate":${rate}`);
  });

  test("a replaced index rate answers its new digits", async () => {
    const src = await Services.IndexRateSource.get("EXACT-IDX", { connector });
    const [old] = await src.indexRates();
    const put = await v1("PUT", `/sources/EXACT-IDX/indexrates/${old.rateId}`, `{"rate": 2.000000000000000000001, "start_time": "2026-01-01T00:00:00Z"}`);
    expect(put.status).toBe(200);
    expect(put.text).toContain('"rate":2.000000000000000000001');
    const [read] = await src.indexRates();
    expect(read.rate.toFixed()).toBe("2.000000000000000000001");
  });
});

describe("bodies stay safe", () => {
  test('a "__proto__" key is still refused, and plain numbers are answered as before', async () => {
    const bad = await v1("POST", "/currencies/NOK/exchange_rate", '{"buy_rate": 1.5, "sell_rate": 1.6, "start_time": "2026-04-01T00:00:00Z", "__proto__": {"x": 1}}');
    expect(bad.status).toBe(400);
    const ok = await v1("POST", "/currencies/NOK/exchange_rate", '{"buy_rate": 1.5, "sell_rate": 1.6, "start_time": "2026-04-01T00:00:00Z"}');
    expect(ok.status).toBe(201);
    expect(ok.text).toContain('"buy_rate":1.5,');
  });
});

describe("a persisted sandbox", () => {
  test("keeps every digit across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mambu-exact-"));
    const file = join(dir, "state.json");
    try {
      const first = await startSandbox({ port: 0, persist: file, clock: { start: "2026-01-15T10:00:00+02:00" } });
      const c1 = demoConnector(first, { retries: 0 });
      const src = await Services.IndexRateSource.create({ sourceId: "KEPT", name: "Kept", type: "InterestRate" }, { connector: c1 });
      await src.createIndexRate({ rate: new Decimal(BUY), startTime: "2026-01-01T00:00:00Z" });
      await first.stop();
      const second = await startSandbox({ port: 0, persist: file, clock: { start: "2026-01-15T10:00:00+02:00" } });
      try {
        const [rate] = await (await Services.IndexRateSource.get("KEPT", { connector: demoConnector(second, { retries: 0 }) })).indexRates();
        expect(rate.rate.toFixed()).toBe(BUY);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
