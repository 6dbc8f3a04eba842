/**
 * `mambu call services.…`, `mambu get services.…`, `mambu list services.…`: the Services API (`/v1`) from the
 * terminal against the sandbox (run in this process as in a child: cli-helpers.ts runMain) — the same grammar as API v2's, numbers
 * exactly as sent, writes only with --yes when there is no terminal, filters and sort checked before any request,
 * the password never printed.
 */
import { parseJsonExact, RawNumber } from "../../lib/core/json";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, HAS_SCRIPT, runMain, runMambu, runOnTerminal, RunResult, tempHome } from "./cli-helpers";

jest.setTimeout(60_000);

const SECRET = "s3cret-Services-word";
const CARD = "SVC-CLI-1";

let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;
let accountId = "";

const auth = (): Record<string, string> => ({
  Authorization: `Basic ${Buffer.from(`cli:${SECRET}`).toString("base64")}`,
  Accept: "application/vnd.mambu.v2+json",
  "Content-Type": "application/json",
});

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, users: [{ username: "cli", password: SECRET }] });
  env = cleanEnv(tempHome(), { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET });
  const deposits = (await (await fetch(`${sandbox.url}/api/deposits?limit=100&detailsLevel=FULL`, { headers: auth() })).json()) as Array<Record<string, unknown>>;
  const active = deposits.find((d) => d.accountState === "ACTIVE" && Number((d.balances as Record<string, unknown>)?.totalBalance) > 100);
  if (!active) throw new Error("the default sandbox has no active deposit account with money");
  accountId = String(active.id);
  const linked = await fetch(`${sandbox.url}/api/deposits/${accountId}/cards`, { method: "POST", headers: auth(), body: JSON.stringify({ referenceToken: CARD }) });
  expect(linked.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
});

async function mambu(...args: string[]): Promise<RunResult> {
  const r = await runMain(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

async function currencyCodes(): Promise<string[]> {
  const res = await fetch(`${sandbox.url}/v1/currencies?page_size=1000`, { headers: { ...auth(), Accept: "application/json" } });
  return ((await res.json()) as { currencies: Array<{ code: string }> }).currencies.map((c) => c.code);
}

describe("mambu call services.<resource>.<operationId>", () => {
  it("--help lists the Services and Payments operations after API v2's; one operation's --help shows its /v1 path and body", async () => {
    const all = await mambu("call", "--help");
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("Operations (292;");
    expect(all.stdout).toMatch(/\nServices API \(under \/v1; services\.<resource>\.<operationId>\), 34:\n/);
    expect(all.stdout).toMatch(/\n {2}services\.cards\.getCardBalance +GET \/v1\/cards\/\{card_id\}\/balance\n/);
    expect(all.stdout).toMatch(/\n {2}services\.cards\.adjustAuthorizationHold +POST \/v1\/cards\/\{card_id\}\/holds\/\{hold_id\}:adjust\n/);
    expect(all.stdout).toMatch(/\nPayments API \(under \/api\/v1, API key only; payments\.<resource>\.<operationId>\), 20:\n/);
    expect(all.stdout).toMatch(/\n {2}payments\.standingOrders\.cancelStandingOrder +DELETE \/api\/v1\/payments\/standing-orders\/\{id\}\n/);
    const one = await mambu("call", "services.currencies.createExchangeRate", "--help");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("services.currencies.createExchangeRate: POST /v1/currencies/{code}/exchange_rate");
    expect(one.stdout).toContain("mambu call services.currencies.createExchangeRate <code> --data JSON|@file --yes");
    expect(one.stdout).toMatch(/\n {2}buy_rate \(required\): /);
  });

  it("a write without --yes and without a terminal is a usage error naming the /v1 request, and sends nothing", async () => {
    const before = await currencyCodes();
    const r = await mambu("call", "services.currencies.createCurrency", "--data", '{"code":"CHF","name":"Swiss franc","decimals":2}');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("services.currencies.createCurrency writes (POST /v1/currencies): add --yes to confirm");
    expect(await currencyCodes()).toEqual(before);
  });

  it("a write with --yes is sent; reads print the answer exactly (an exchange rate's every digit)", async () => {
    const c = await mambu("call", "services.currencies.createCurrency", "--data", '{"code":"CHF","name":"Swiss franc","symbol":"Fr","decimals":2}', "--yes");
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ code: "CHF", name: "Swiss franc" });
    await mambu("call", "services.currencies.createCurrency", "--data", '{"code":"NOK","name":"Norwegian krone","decimals":2}', "--yes");
    const rate = await mambu(
      "call", "services.currencies.createExchangeRate", "CHF", "--yes",
      "--data", '{"buy_rate":1.0512345678901234567,"sell_rate":1.07,"start_time":"2026-01-01T00:00:00Z"}',
    );
    expect(rate.code).toBe(0);
    expect(rate.stdout).toContain('"buy_rate": 1.0512345678901234567');
    const list = await mambu("call", "services.currencies.listExchangeRates", "CHF", "--query", "page_size=10", "--jsonl");
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(list.stdout).toContain('"buy_rate":1.0512345678901234567');
  });

  it("checks the request against the Services contract before sending: unknown operation, query key, body field, path id", async () => {
    const op = await mambu("call", "services.currencies.getCurency", "CHF");
    expect(op.code).toBe(2);
    expect(op.stderr).toMatch(/services\.currencies has no operation "getCurency"; operations: .*getCurrency/);
    const res = await mambu("call", "services.currency.getCurrency", "CHF");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown resource "services.currency" of the Services API (services.cards, services.currencies, services.holdConfigs, services.rates)');
    const q = await mambu("call", "services.currencies.listCurrencies", "--query", "limit=5");
    expect(q.code).toBe(2);
    expect(q.stderr).toContain('unknown query parameter "limit"');
    const b = await mambu("call", "services.currencies.createCurrency", "--data", '{"code":"SEK","nam":"x"}', "--yes");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("body.nam: unknown field");
    const p = await mambu("call", "services.cards.getCardBalance");
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("services.cards.getCardBalance needs <card_id> (GET /v1/cards/{card_id}/balance)");
  });

  (HAS_SCRIPT ? it : it.skip)("on a terminal a write shows its /v1 request and asks: no sends nothing, y sends it", async () => {
    const data = '{"code":"SEK","name":"Swedish krona","decimals":2}';
    const no = await runOnTerminal(["call", "services.currencies.createCurrency", "--data", data], { ...env, SHELL: "/bin/sh" }, { answer: "n" });
    expect(no.code).toBe(1);
    expect(no.screen).toContain(`mambu will send:\n  POST ${sandbox.url}/v1/currencies\n  {\n    "code": "SEK",`);
    expect(no.screen).toContain("mambu: cancelled, nothing sent");
    expect(no.screen).not.toContain(SECRET);
    expect(await currencyCodes()).not.toContain("SEK");
    const yes = await runOnTerminal(["call", "services.currencies.createCurrency", "--data", data], { ...env, SHELL: "/bin/sh" }, { answer: "y" });
    expect(yes.code).toBe(0);
    expect(await currencyCodes()).toContain("SEK");
  });

  it("the Services API's errors exit 3 with their code and reason", async () => {
    const r = await mambu("call", "services.cards.getCardBalance", "NO-SUCH-CARD");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("HTTP 404");
    expect(r.stderr).toContain("GET /v1/cards/NO-SUCH-CARD/balance");
  });
});

describe("mambu get / list services.<name>", () => {
  it("get services.currency prints one record (table and JSON); get services.card prints the card's balance", async () => {
    const t = await mambu("get", "services.currency", "CHF");
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/\bcode +CHF\b/);
    expect(t.stdout).toMatch(/\bname +Swiss franc\b/);
    const j = await mambu("get", "services.currency", "CHF", "--json");
    expect(JSON.parse(j.stdout)).toEqual({ code: "CHF", decimals: 2, name: "Swiss franc", symbol: "Fr" });
    const card = await mambu("get", "services.card", CARD, "--json");
    expect(card.code).toBe(0);
    expect(JSON.parse(card.stdout)).toMatchObject({ account_id: accountId, card_type: "Debit" });
  });

  it("list services.currencies filters and sorts by the API's filter and order_by; --limit stops early", async () => {
    const all = await mambu("list", "services.currencies", "--sort", "code:DESC", "--jsonl");
    expect(all.code).toBe(0);
    const codes = all.stdout.trimEnd().split("\n").map((l) => (JSON.parse(l) as { code: string }).code);
    expect(codes).toEqual([...codes].sort().reverse());
    expect(codes).toEqual(expect.arrayContaining(["CHF", "NOK"]));
    const one = await mambu("list", "services.currencies", "--filter", "code=NOK", "--json");
    expect((JSON.parse(one.stdout) as Array<{ code: string }>).map((c) => c.code)).toEqual(["NOK"]);
    const first = await mambu("list", "services.currencies", "--sort", "code:ASC", "--limit", "1", "--jsonl");
    expect(first.stdout.trimEnd().split("\n")).toHaveLength(1);
    const table = await mambu("list", "services.currencies", "--filter", "decimals>=2");
    expect(table.stdout).toMatch(/^code +name +symbol +decimals/m);
    expect(table.stdout).toMatch(/\nCHF +Swiss franc +Fr +2/);
  });

  it("nested lists take the parent's id: list services.exchangerates CHF keeps every digit; get one by its id", async () => {
    const r = await mambu("list", "services.exchangerates", "CHF", "--json");
    expect(r.code).toBe(0);
    const rates = parseJsonExact(r.stdout) as Array<Record<string, unknown>>;
    expect(rates).toHaveLength(1);
    expect((rates[0].buy_rate as RawNumber).text).toBe("1.0512345678901234567");
    const one = await mambu("get", "services.exchangerate", "CHF", String(rates[0].rate_id), "--jsonl");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('"buy_rate":1.0512345678901234567');
  });

  it("a bad filter, sort field, option or name is a usage error before any request", async () => {
    const f = await mambu("list", "services.currencies", "--filter", "colour=red");
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('filter: unknown field "colour"; fields: code, decimals, format, name, symbol');
    const s = await mambu("list", "services.holdconfigs", "--sort", "speed:ASC");
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('orderBy: unknown field "speed"');
    const o = await mambu("list", "services.currencies", "--offset", "10");
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("--offset does not apply to services.currency (its lists are paged by token, not by offset)");
    const n = await mambu("get", "services.curency", "CHF");
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/unknown entity "services\.curency"\. Known in the Services API: services\.currency, /);
    const m = await mambu("list", "services.exchangerates");
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("services.exchangerate needs <code>: mambu list services.exchangerate <code>");
    const srch = await mambu("search", "services.currencies");
    expect(srch.code).toBe(2);
    expect(srch.stderr).toContain("the Services API has no search; its lists filter: mambu list services.currencies --filter field=value");
  });

  it("with --sandbox the Payments API is reached with the sandbox's demo API key (it takes no user and password)", async () => {
    const r = await runMambu(["--sandbox", "get", "payments.payment", "NO-SUCH-PAYMENT"], cleanEnv(tempHome()));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("HTTP 404");
    expect(r.stderr).toContain("GET /api/v1/payments/NO-SUCH-PAYMENT");
    const c = await runMambu(["--sandbox", "call", "payments.standingOrders.getExecutionsByStandingOrderId", "SO-NONE"], cleanEnv(tempHome()));
    expect(c.code).toBe(3);
    expect(c.stderr).toContain("GET /api/v1/payments/standing-orders/SO-NONE/executions");
  });

  it("mambu entities lists the Services and Payments names with the fields a filter may name", async () => {
    const r = await mambu("entities", "--jsonl");
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { entity: string; class: string; filters: string });
    expect(rows).toContainEqual(expect.objectContaining({ entity: "services.currency(currencies)", class: "Services.Currency", filters: "code,decimals,format,name,symbol" }));
    expect(rows).toContainEqual(expect.objectContaining({ entity: "payments.payment(payments)", class: "Payments.Payment" }));
  });
});
