/**
 * End to end: data imports and bulk processes through the ORM against the sandbox, which works through them in the
 * background (a step of rows before each later request). A workbook is uploaded with `MambuDataImport.upload`,
 * followed with `wait()` (every state read reaches `onProgress`), and its draft approved (the clients, accounts and
 * transactions stay) or rejected (nothing of it stays); a workbook with bad rows ends ERROR with typed errors and
 * wrote nothing. `waitForBulk` follows a bulk deposit from QUEUED to COMPLETE; a signal stops a wait, a bound ends it.
 */
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import writeXlsxFile from "write-excel-file/node";
import {
  getBulkStatus, MambuClient, MambuConnector, MambuDataImport, MambuDeposit, MambuError, MambuTsError, waitForBulk,
} from "../../lib";
import type { DataImportProgress } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, jobRowsPerStep: 2 });
  conn = demoConnector(sandbox);
  dir = mkdtempSync(join(tmpdir(), "mambu-ts-import-e2e-"));
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Cell = string | number | null;

/** An .xlsx workbook of the sheets given (first row: the v2 field names). */
async function workbook(sheets: Array<{ sheet: string; rows: Cell[][] }>): Promise<Buffer> {
  return writeXlsxFile(sheets.map((s) => ({ sheet: s.sheet, data: s.rows.map((r) => r.map((v) => (v === null ? null : { value: v }))) })) as never).toBuffer();
}

/** Two clients, a savings account each, three deposits: 7 rows. */
function goodSheets(p: string): Array<{ sheet: string; rows: Cell[][] }> {
  return [
    { sheet: "Clients", rows: [["id", "firstName", "lastName", "assignedBranchKey"], [`${p}C1`, "Ana", "Ruiz", "CCAZ"], [`${p}C2`, "Luis", "Mora", "CCAZ"]] },
    {
      sheet: "Deposit Accounts",
      rows: [
        ["id", "name", "accountHolderType", "accountHolderKey", "productTypeKey", "currencyCode", "accountState"],
        [`${p}D1`, "Savings of Ana", "CLIENT", `${p}C1`, "SAVINGS", "MXN", "APPROVED"],
        [`${p}D2`, "Savings of Luis", "CLIENT", `${p}C2`, "SAVINGS", "MXN", "APPROVED"],
      ],
    },
    {
      sheet: "Deposit Transactions",
      rows: [["accountId", "amount", "notes", "transactionDetails.transactionChannelId"], [`${p}D1`, 100.1, "opening", "cash"], [`${p}D1`, 0.2, null, "cash"], [`${p}D2`, 50, "opening", "cash"]],
    },
  ];
}

/** Uploads a workbook from a file and waits for it; returns the import and every state `onProgress` saw. */
async function importFile(name: string, data: Buffer): Promise<{ imp: MambuDataImport; seen: DataImportProgress[] }> {
  const path = join(dir, name);
  writeFileSync(path, data);
  const imp = await MambuDataImport.upload(path, { connector: conn });
  expect([imp.state, imp.importKey]).toEqual(["QUEUED", expect.stringMatching(/^[0-9a-f]{32}$/)]);
  const seen: DataImportProgress[] = [];
  expect(await imp.wait({ intervalMs: 0, onProgress: (p) => seen.push(p) })).toBe(imp);
  return { imp, seen };
}

describe("MambuDataImport", () => {
  test("a good workbook ends COMPLETE with a draft; approve keeps the clients, accounts and balances", async () => {
    const { imp, seen } = await importFile("good.xlsx", await workbook(goodSheets("A")));
    // 7 rows, 2 a step, one step before each read: IN_PROGRESS three times, then COMPLETE — every read reported
    expect(seen.map((p) => [p.state, p.poll])).toEqual([["IN_PROGRESS", 1], ["IN_PROGRESS", 2], ["IN_PROGRESS", 3], ["COMPLETE", 4]]);
    expect([imp.state, imp.errors, imp.eventKey]).toEqual(["COMPLETE", [], expect.stringMatching(/^[0-9a-f]{32}$/)]);
    const ana = await MambuClient.get("AC1", { connector: conn });
    expect([ana.firstName, ana.lastName]).toEqual(["Ana", "Ruiz"]);

    await imp.approve();
    expect(imp.decision).toBe("APPROVE");
    expect((await MambuDeposit.get("AD1", { connector: conn })).balances?.totalBalance?.toFixed(2)).toBe("100.30");
    expect((await MambuDeposit.get("AD2", { connector: conn })).accountState).toBe("ACTIVE");
    // acting twice: refused here before any request, and by Mambu for an import read afresh
    await expect(imp.reject()).rejects.toThrow(`import ${imp.importKey} was already approved`);
    const again = await MambuDataImport.get(imp.importKey, { connector: conn });
    expect([again.state, again.eventKey]).toEqual(["COMPLETE", imp.eventKey]);
    expect(await reasonOf(again.reject())).toBe("INVALID_PARAMETERS");
    expect((await MambuClient.get("AC1", { connector: conn })).id).toBe("AC1");
  });

  test("reject reverts everything the import wrote", async () => {
    const { imp } = await importFile("reject.xlsx", await workbook(goodSheets("R")));
    expect(imp.state).toBe("COMPLETE");
    expect((await MambuClient.get("RC1", { connector: conn })).id).toBe("RC1");
    await imp.reject();
    expect(imp.decision).toBe("REJECT");
    for (const id of ["RC1", "RC2"]) expect(await reasonOf(MambuClient.get(id, { connector: conn }))).toBe("INVALID_CLIENT_ID");
    expect(await reasonOf(MambuDeposit.get("RD1", { connector: conn }))).toBe("INVALID_DEPOSIT_ACCOUNT_ID");
  });

  test("bad rows: the import ends ERROR, its errors typed by sheet, row and column; nothing written, nothing to approve", async () => {
    const sheets = goodSheets("X");
    sheets[0].rows[2] = ["XC2", "Luis", null, "CCAZ"]; // no lastName
    sheets[2].rows[2] = ["XD1", -5, "negative", "cash"]; // a negative deposit; XD2's deposit fails as XD2 does
    const { imp, seen } = await importFile("bad.xlsx", await workbook(sheets));
    expect(seen[seen.length - 1].state).toBe("ERROR");
    expect(imp.state).toBe("ERROR");
    expect(imp.eventKey).toBeUndefined();
    expect(imp.errors.map((e) => [e.sheet, e.row, e.column?.name, typeof e.errorMessage])).toEqual([
      ["Clients", 3, "lastName", "string"],
      ["Deposit Accounts", 3, "accountHolderKey", "string"],
      ["Deposit Transactions", 3, "amount", "string"],
      ["Deposit Transactions", 4, "accountId", "string"],
    ]);
    expect(await reasonOf(MambuClient.get("XC1", { connector: conn }))).toBe("INVALID_CLIENT_ID");
    const err = await imp.approve().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err).not.toBeInstanceOf(MambuError);
    expect((err as Error).message).toContain(`import ${imp.importKey} ended in ERROR (4 errors in the workbook, see imp.errors): nothing was imported`);
  });

  test("a bounded wait ends naming the last state; the sandbox refuses a file that is no workbook the ORM could not see", async () => {
    const imp = await MambuDataImport.upload({ fileName: "bounded.xlsx", data: await workbook(goodSheets("B")) }, { connector: conn });
    await expect(imp.wait({ intervalMs: 0, maxPolls: 1 })).rejects.toThrow(`MambuDataImport#wait: import ${imp.importKey} still IN_PROGRESS after 1 reads`);
    await imp.wait({ intervalMs: 0 });
    expect(imp.state).toBe("COMPLETE");
    await imp.reject();
    // a zip that is not a workbook starts like one: the ORM sends it, the sandbox refuses it (400, nothing queued)
    const notAWorkbook = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]);
    expect(await reasonOf(MambuDataImport.upload({ fileName: "broken.xlsx", data: notAWorkbook }, { connector: conn }))).toBe("INVALID_PARAMETERS");
  });
});

describe("waitForBulk", () => {
  test("follows a bulk deposit (queued, then worked on a step per request) until COMPLETE; the refused row reported", async () => {
    const { bulkProcessKey } = await MambuDeposit.bulkDeposit([
      { accountId: "DEP001", amount: "10.25", externalId: "b-0" },
      { accountId: "NOPE", amount: 5, externalId: "b-1" },
      { accountId: "DEP001", amount: "0.75", externalId: "b-2" },
    ], { connector: conn });
    expect((await getBulkStatus(bulkProcessKey, { connector: conn })).status).toBe("IN_PROGRESS");
    const seen: Array<[string | undefined, number, number]> = [];
    const done = await waitForBulk(bulkProcessKey, {
      connector: conn, intervalMs: 0, onProgress: (s, poll) => seen.push([s.status, poll, (s.processedItems?.length ?? 0) + (s.errors?.length ?? 0)]),
    });
    expect(seen).toEqual([["COMPLETE", 1, 3]]);
    expect(done.status).toBe("COMPLETE");
    expect(done.processedItems?.map((p) => [p.indexInRequest, p.externalId])).toEqual([[0, "b-0"], [2, "b-2"]]);
    expect(done.errors?.map((e) => [e.indexInRequest, e.errorReason])).toEqual([[1, "INVALID_DEPOSIT_ACCOUNT_ID"]]);
  });

  test("a signal stops the wait between reads; the bulk goes on and a later wait sees it done", async () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ accountId: "DEP001", amount: "1", externalId: `s-${i}` }));
    const { bulkProcessKey } = await MambuDeposit.bulkDeposit(rows, { connector: conn });
    const ctl = new AbortController();
    const states: string[] = [];
    await expect(waitForBulk(bulkProcessKey, {
      connector: conn, intervalMs: 3_600_000, signal: ctl.signal, onProgress: (s) => { states.push(String(s.status)); ctl.abort(); },
    })).rejects.toThrow("waitForBulk: aborted by the caller");
    expect(states).toEqual(["IN_PROGRESS"]);
    await expect(waitForBulk(bulkProcessKey, { connector: conn, intervalMs: 0, maxPolls: 1 })).rejects.toThrow(`waitForBulk: bulk ${bulkProcessKey} still IN_PROGRESS after 1 reads`);
    expect((await waitForBulk(bulkProcessKey, { connector: conn, intervalMs: 0 })).processedItems).toHaveLength(6);
  });
});
