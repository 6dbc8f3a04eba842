/**
 * Bulk deposits are worked through in the background, as Mambu does: `POST /deposits/deposit-transactions:bulk`
 * answers 202 at once with the bulk QUEUED, and the sandbox posts at most `jobRowsPerStep` rows before each later
 * request, so a client polling `GET /bulks/{key}` sees QUEUED → IN_PROGRESS (processedItems growing) → COMPLETE.
 * The bad rows fail alone (by indexInRequest), the money adds up, and a bulk half done survives `--persist`.
 */
import Decimal from "decimal.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { parseSandboxArgs } from "../../lib/cli/sandbox-command";
import { Answer, call, contractCall, expectContractAnswer } from "./sandbox-helpers";
import { checkDepositInvariants } from "../helpers/deposit-invariants";

const START = "2026-01-15T10:00:00+02:00";

async function newSavings(sb: Sandbox, id: string): Promise<void> {
  const holder = (await call(sb, "GET", "/clients/0512N0025")).body.encodedKey;
  const body = { id, name: "Bulk test", accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: "SAVINGS", currencyCode: "MXN" };
  expect((await call(sb, "POST", "/deposits", { body })).status).toBe(201);
  expect((await call(sb, "POST", `/deposits/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
}

async function total(sb: Sandbox, id: string): Promise<string> {
  return new Decimal((await call(sb, "GET", `/deposits/${id}`)).body.balances.totalBalance).toFixed(2);
}

function keyOf(r: Answer): string {
  expect(r.status).toBe(202);
  const location = r.headers.get("location") ?? "";
  expect(location).toMatch(/^\/api\/bulks\/[0-9a-f]{32}$/);
  return location.split("/").pop()!;
}

describe("a bulk in the background", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, clock: { start: START }, jobRowsPerStep: 2 });
    await newSavings(sb, "BA1");
    await newSavings(sb, "BA2");
  });
  afterAll(async () => {
    await sb.stop();
  });

  it("is QUEUED when accepted, IN_PROGRESS while its rows are posted, COMPLETE after the last one", async () => {
    const transactions = [
      { accountId: "BA1", amount: 10.1, externalId: "r0" },
      { accountId: "NOPE", amount: 1, externalId: "r1" },
      { accountId: "BA2", amount: 0.3 },
      { accountId: "BA1", amount: -5 },
      { accountId: "BA1", amount: 0.2, notes: "last" },
    ];
    const r = await call(sb, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions } });
    expectContractAnswer("POST", "/deposits/deposit-transactions:bulk", r, { status: 202 });
    const key = keyOf(r);
    // nothing was posted by the request that queued the bulk (read from the store: a request would run a step)
    expect(sb.store.find("bulks", key)).toMatchObject({ status: "QUEUED", processedItems: [], errors: [] });
    expect(sb.store.find("deposits", "BA1")?.balances).toMatchObject({ totalBalance: 0 });
    const seen: Array<[string, number, number]> = [];
    for (let i = 0; i < 20; i++) {
      const s = await contractCall(sb, "GET", `/bulks/${key}`, undefined, { status: 200 });
      seen.push([s.body.status, s.body.processedItems.length, s.body.errors.length]);
      if (s.body.status === "COMPLETE") break;
    }
    // 5 rows, 2 a step before each poll
    expect(seen).toEqual([
      ["IN_PROGRESS", 1, 1],
      ["IN_PROGRESS", 2, 2],
      ["COMPLETE", 3, 2],
    ]);
    const done = await contractCall(sb, "GET", `/bulks/${key}`, undefined, { status: 200 });
    expect(done.body.processedItems.map((p: { indexInRequest: number; externalId?: string }) => [p.indexInRequest, p.externalId])).toEqual([[0, "r0"], [2, undefined], [4, undefined]]);
    expect(done.body.errors.map((e: { indexInRequest: number; errorReason: string; externalId?: string }) => [e.indexInRequest, e.errorReason, e.externalId])).toEqual([
      [1, "INVALID_DEPOSIT_ACCOUNT_ID", "r1"],
      [3, "POSITIVE_AMOUNT_REQUIRED", undefined],
    ]);
    expect([await total(sb, "BA1"), await total(sb, "BA2")]).toEqual(["10.30", "0.30"]);
    const last = await call(sb, "GET", `/deposits/transactions/${done.body.processedItems[2].id}`);
    expect(last.body).toMatchObject({ type: "DEPOSIT", amount: 0.2, notes: "last" });
    await checkDepositInvariants(sb, "BA1");
    await checkDepositInvariants(sb, "BA2");
  });

  it("books each row on the day the bulk is processed: a valueDate a row carries (not a field of bulk rows) is not honoured", async () => {
    const transactions = [{ accountId: "BA1", amount: 1, externalId: "dated", valueDate: "2026-01-10T10:00:00+02:00" }];
    const key = keyOf(await call(sb, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions } }));
    let status;
    for (let i = 0; i < 5 && status?.body.status !== "COMPLETE"; i++) status = await contractCall(sb, "GET", `/bulks/${key}`, undefined, { status: 200 });
    expect([status?.body.status, status?.body.errors]).toEqual(["COMPLETE", []]);
    const posted = await call(sb, "GET", `/deposits/transactions/${status?.body.processedItems[0].id}`);
    expect(posted.body.valueDate.slice(0, 10)).toBe(START.slice(0, 10));
    await checkDepositInvariants(sb, "BA1");
  });

  it("shows QUEUED to the first poll when another bulk is ahead, and works through bulks oldest first", async () => {
    const rows = (n: number, amount: number) => Array.from({ length: n }, () => ({ accountId: "BA2", amount }));
    const before = new Decimal(await total(sb, "BA2"));
    const first = keyOf(await call(sb, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions: rows(5, 1) } }));
    const second = keyOf(await call(sb, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions: rows(2, 0.01) } }));
    // the second POST ran rows 0–1 of the first bulk; this GET runs rows 2–3: the second bulk waits
    const s1 = await contractCall(sb, "GET", `/bulks/${second}`, undefined, { status: 200 });
    expect([s1.body.status, s1.body.processedItems.length]).toEqual(["QUEUED", 0]);
    const f1 = await contractCall(sb, "GET", `/bulks/${first}`, undefined, { status: 200 }); // row 4 of the first, row 0 of the second
    expect([f1.body.status, f1.body.processedItems.length]).toEqual(["COMPLETE", 5]);
    const s2 = await contractCall(sb, "GET", `/bulks/${second}`, undefined, { status: 200 });
    expect([s2.body.status, s2.body.processedItems.length]).toEqual(["COMPLETE", 2]);
    expect(new Decimal(await total(sb, "BA2")).minus(before).toFixed(2)).toBe("5.02");
    await checkDepositInvariants(sb, "BA2");
  });

  it("two hundred rows: the status grows by jobRowsPerStep a request until COMPLETE, every row posted once", async () => {
    const before = new Decimal(await total(sb, "BA1"));
    const key = keyOf(await call(sb, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions: Array.from({ length: 200 }, (_, i) => ({ accountId: "BA1", amount: 0.05, externalId: `k${i}` })) } }));
    const counts: number[] = [];
    for (;;) {
      const s = await call(sb, "GET", `/bulks/${key}`);
      counts.push(s.body.processedItems.length);
      if (s.body.status === "COMPLETE") break;
      expect(s.body.status).toBe("IN_PROGRESS");
      if (counts.length > 150) throw new Error("bulk did not complete");
    }
    expect(counts.slice(0, 3)).toEqual([2, 4, 6]);
    expect(counts).toHaveLength(100);
    expect(counts[counts.length - 1]).toBe(200);
    expect(new Decimal(await total(sb, "BA1")).minus(before).toFixed(2)).toBe("10.00");
    const account = sb.store.find("deposits", "BA1")!.encodedKey;
    const posted = sb.store.all("depositTransactions").filter((t) => t.parentAccountKey === account && String(t.externalId).startsWith("k"));
    expect(posted).toHaveLength(200);
    expect(new Set(posted.map((t) => t.externalId)).size).toBe(200); // each row once
  });
});

describe("a bulk half done", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mambu-bulk-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("survives --persist: the restarted sandbox goes on where the bulk was", async () => {
    const persist = join(dir, "state.json");
    const sb = await startSandbox({ port: 0, clock: { start: START }, jobRowsPerStep: 3, persist });
    let key: string;
    try {
      await newSavings(sb, "BP1");
      key = keyOf(await call(sb, "POST", "/deposits/deposit-transactions:bulk", { body: { transactions: Array.from({ length: 10 }, () => ({ accountId: "BP1", amount: 2.5 })) } }));
      const s = await call(sb, "GET", `/bulks/${key}`);
      expect([s.body.status, s.body.processedItems.length]).toEqual(["IN_PROGRESS", 3]);
    } finally {
      await sb.stop();
    }
    const again = await startSandbox({ port: 0, clock: { start: START }, jobRowsPerStep: 3, persist });
    try {
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) {
        const s = await call(again, "GET", `/bulks/${key}`);
        seen.push(s.body.processedItems.length);
        if (s.body.status === "COMPLETE") break;
      }
      expect(seen).toEqual([6, 9, 10]);
      expect(await total(again, "BP1")).toBe("25.00");
      await checkDepositInvariants(again, "BP1");
    } finally {
      await again.stop();
    }
  });
});

test("jobRowsPerStep must be a positive integer (also mambu-sandbox --job-rows-per-step)", async () => {
  await expect(startSandbox({ port: 0, jobRowsPerStep: 0 })).rejects.toThrow("jobRowsPerStep must be a positive integer, got 0");
  expect(parseSandboxArgs(["--job-rows-per-step", "5"]).jobRowsPerStep).toBe(5);
  expect(parseSandboxArgs([]).jobRowsPerStep).toBeUndefined();
  for (const bad of ["0", "-1", "1.5", "many"]) {
    expect(() => parseSandboxArgs([`--job-rows-per-step=${bad}`])).toThrow(`--job-rows-per-step: expected a positive integer, got ${bad}`);
  }
});
