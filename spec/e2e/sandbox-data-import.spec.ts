/**
 * Data imports in the sandbox (`POST /data/import`, `GET /data/import/{importKey}`,
 * `POST /data/import/events/{eventKey}:action`): an .xlsx workbook of clients, deposit accounts and deposit
 * transactions is applied in the background by the API's own rules; all or nothing (a failed row reverts the whole
 * import, its errors name sheet, row and column); APPROVE keeps the data, REJECT removes it; the upload is bounded.
 */
import Decimal from "decimal.js";
import writeXlsxFile from "write-excel-file/node";
import { zipSync } from "fflate";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, contractCall, expectContractAnswer } from "./sandbox-helpers";
import { checkDepositInvariants } from "../helpers/deposit-invariants";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, jobRowsPerStep: 2 });
});
afterAll(async () => {
  await sb.stop();
});

type Cell = string | number | boolean | null;
type Sheets = Array<{ sheet: string; rows: Cell[][] }>;

async function workbook(sheets: Sheets): Promise<Buffer> {
  const data = sheets.map((s) => ({ sheet: s.sheet, data: s.rows.map((r) => r.map((v) => (v === null ? null : { value: v }))) }));
  return writeXlsxFile(data as never).toBuffer();
}

async function upload(file: Buffer, filename = "import.xlsx", to: Sandbox = sb): Promise<Answer> {
  const boundary = "----mambu-ts-import-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return call(to, "POST", "/data/import", { raw: Buffer.concat([head, file, tail]), headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
}

/** Polls the import until it is no longer QUEUED or IN_PROGRESS; returns every state seen and the last answer. */
async function follow(importKey: string): Promise<{ states: string[]; last: Answer }> {
  const states: string[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await contractCall(sb, "GET", `/data/import/${importKey}`, undefined, { status: 200 });
    states.push(r.body.state);
    if (r.body.state !== "QUEUED" && r.body.state !== "IN_PROGRESS") return { states, last: r };
  }
  throw new Error(`import ${importKey} did not finish`);
}

function clients(prefix: string): Cell[][] {
  return [
    ["id", "firstName", "lastName", "assignedBranchKey", "emailAddress", "_OtherDetails.EmployerName"],
    [`${prefix}C1`, "Ana", "Ruiz", "CCAZ", "ana@demo.invalid", "ACME"],
    [`${prefix}C2`, "Luis", "Mora", "CCAZ", null, null],
  ];
}

function accounts(prefix: string): Cell[][] {
  return [
    ["id", "name", "accountHolderType", "accountHolderKey", "productTypeKey", "currencyCode", "accountState"],
    [`${prefix}D1`, "Savings of Ana", "CLIENT", `${prefix}C1`, "SAVINGS", "MXN", "APPROVED"],
    [`${prefix}D2`, "Savings of Luis", "CLIENT", `${prefix}C2`, "SAVINGS", "MXN", "APPROVED"],
  ];
}

function transactions(prefix: string): Cell[][] {
  return [
    ["accountId", "amount", "notes", "transactionDetails.transactionChannelId"],
    [`${prefix}D1`, 100.1, "opening", "cash"],
    [`${prefix}D1`, 0.2, null, null],
    [`${prefix}D2`, 50, "opening", "cash"],
  ];
}

function loans(prefix: string): Cell[][] {
  return [
    ["id", "accountHolderType", "accountHolderKey", "productTypeKey", "loanAmount", "scheduleSettings.repaymentInstallments", "scheduleSettings.gracePeriod", "accountState"],
    [`${prefix}L1`, "CLIENT", `${prefix}C1`, "FLAT-MICRO", 1000, 4, 0, "APPROVED"],
  ];
}

async function importOk(prefix: string): Promise<string> {
  const file = await workbook([
    // sheets in any order: they are imported clients first, then deposit accounts, deposit transactions, loans
    { sheet: "Loan Accounts", rows: loans(prefix) },
    { sheet: "Deposit Transactions", rows: transactions(prefix) },
    { sheet: "Clients", rows: clients(prefix) },
    { sheet: "Deposit Accounts", rows: accounts(prefix) },
  ]);
  const r = await upload(file);
  expectContractAnswer("POST", "/data/import", r, { status: 202 });
  expect(r.body).toEqual({ importKey: expect.stringMatching(/^[0-9a-f]{32}$/), state: "QUEUED" });
  const { states, last } = await follow(r.body.importKey);
  // 8 rows, 2 a step: QUEUED is over at the first poll, then 3 polls IN_PROGRESS, then COMPLETE
  expect(states).toEqual(["IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "COMPLETE"]);
  expect(last.body).toEqual({ state: "COMPLETE", eventKey: expect.stringMatching(/^[0-9a-f]{32}$/) });
  return last.body.eventKey;
}

async function balance(id: string): Promise<string> {
  return new Decimal((await call(sb, "GET", `/deposits/${id}`)).body.balances.totalBalance).toFixed(2);
}

describe("a workbook of clients, deposit accounts and deposit transactions", () => {
  it("is imported in the background, COMPLETE with an event key; APPROVE keeps the data", async () => {
    const eventKey = await importOk("A");
    const ana = await call(sb, "GET", "/clients/AC1?detailsLevel=FULL");
    expect(ana.status).toBe(200);
    expect(ana.body).toMatchObject({ firstName: "Ana", lastName: "Ruiz", emailAddress: "ana@demo.invalid", _OtherDetails: { EmployerName: "ACME" } });
    const d1 = (await call(sb, "GET", "/deposits/AD1")).body;
    expect(d1).toMatchObject({ accountHolderKey: ana.body.encodedKey, accountState: "ACTIVE" });
    expect([await balance("AD1"), await balance("AD2")]).toEqual(["100.30", "50.00"]);
    const txs = (await call(sb, "GET", "/deposits/AD1/transactions")).body;
    expect(txs.map((t: { amount: number; notes?: string }) => [t.amount, t.notes])).toEqual(expect.arrayContaining([[100.1, "opening"], [0.2, undefined]]));
    await checkDepositInvariants(sb, "AD1");
    expect((await call(sb, "GET", "/loans/AL1")).body).toMatchObject({ accountHolderKey: ana.body.encodedKey, loanAmount: 1000, accountState: "APPROVED" });

    const ok = await contractCall(sb, "POST", `/data/import/events/${eventKey}:action`, { type: "APPROVE" }, { status: 204 });
    expect(ok.text).toBe("");
    expect((await call(sb, "GET", "/clients/AC1")).status).toBe(200);
    expect(await balance("AD1")).toBe("100.30");
    // a second action on the same event is refused, and changes nothing
    const again = await call(sb, "POST", `/data/import/events/${eventKey}:action`, { body: { type: "REJECT" } });
    expectContractAnswer("POST", "/data/import/events/{eventKey}:action", again, { status: 400 });
    expect(again.body.errors[0]).toMatchObject({ errorReason: "INVALID_PARAMETERS", errorSource: expect.stringContaining("already approved") });
    expect((await call(sb, "GET", "/clients/AC1")).status).toBe(200);
  });

  it("REJECT removes everything the import wrote: clients, accounts, transactions, and balances of existing accounts", async () => {
    // an account that exists before the import, which the import deposits into
    const holder = (await call(sb, "GET", "/clients/0512N0025")).body.encodedKey;
    expect((await call(sb, "POST", "/deposits", { body: { id: "OLD1", name: "Old", accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: "SAVINGS", currencyCode: "MXN" } })).status).toBe(201);
    expect((await call(sb, "POST", "/deposits/OLD1:changeState", { body: { action: "APPROVE" } })).status).toBe(200);
    expect((await call(sb, "POST", "/deposits/OLD1/deposit-transactions", { body: { amount: 10 } })).status).toBe(201);
    const oldBefore = (await call(sb, "GET", "/deposits/OLD1")).body;
    const clientsBefore = (await call(sb, "GET", "/clients?limit=1000")).body.length;

    const file = await workbook([
      { sheet: "Clients", rows: clients("R") },
      { sheet: "Loan Accounts", rows: loans("R") },
      { sheet: "Deposit Accounts", rows: accounts("R") },
      { sheet: "Deposit Transactions", rows: [...transactions("R"), ["OLD1", 5, "into an old account", "cash"]] },
    ]);
    const r = await upload(file);
    expect(r.status).toBe(202);
    const { last } = await follow(r.body.importKey);
    expect(last.body.state).toBe("COMPLETE");
    expect(await balance("OLD1")).toBe("15.00");

    await contractCall(sb, "POST", `/data/import/events/${last.body.eventKey}:action`, { type: "REJECT" }, { status: 204 });
    expect((await call(sb, "GET", "/clients/RC1")).status).toBe(404);
    expect((await call(sb, "GET", "/clients/RC2")).status).toBe(404);
    expect((await call(sb, "GET", "/deposits/RD1")).status).toBe(404);
    expect((await call(sb, "GET", "/loans/RL1")).status).toBe(404);
    expect((await call(sb, "GET", "/clients?limit=1000")).body.length).toBe(clientsBefore);
    expect((await call(sb, "GET", "/deposits/OLD1")).body).toEqual(oldBefore);
    expect((await call(sb, "GET", "/deposits/OLD1/transactions")).body).toHaveLength(1);
    await checkDepositInvariants(sb, "OLD1");
    const again = await call(sb, "POST", `/data/import/events/${last.body.eventKey}:action`, { body: { type: "APPROVE" } });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].errorSource).toContain("already rejected");
  });

  it("REJECT is refused (400, nothing changed) once a record of the import was changed by someone else", async () => {
    const file = await workbook([
      { sheet: "Clients", rows: clients("X") },
      { sheet: "Deposit Accounts", rows: accounts("X") },
    ]);
    const r = await upload(file);
    const { last } = await follow(r.body.importKey);
    expect(last.body.state).toBe("COMPLETE");
    // a deposit into an account the import created
    expect((await call(sb, "POST", "/deposits/XD1/deposit-transactions", { body: { amount: 3 } })).status).toBe(201);
    const refused = await call(sb, "POST", `/data/import/events/${last.body.eventKey}:action`, { body: { type: "REJECT" } });
    expectContractAnswer("POST", "/data/import/events/{eventKey}:action", refused, { status: 400 });
    expect(refused.body.errors[0].errorSource).toMatch(/cannot be rejected safely, nothing was changed: .*deposits XD1 was changed since the import/);
    expect((await call(sb, "GET", "/clients/XC1")).status).toBe(200);
    expect(await balance("XD1")).toBe("3.00");
    // the event is still a draft: it can be approved
    await contractCall(sb, "POST", `/data/import/events/${last.body.eventKey}:action`, { type: "APPROVE" }, { status: 204 });
  });
});

describe("a workbook with bad rows", () => {
  it("ends in ERROR listing every failing row (sheet, row, column), and nothing of it stays written", async () => {
    const depositsBefore = (await call(sb, "GET", "/deposits?limit=1000")).body.length;
    const clientsBefore = (await call(sb, "GET", "/clients?limit=1000")).body.length;
    const file = await workbook([
      {
        sheet: "Clients",
        rows: [
          ["id", "firstName", "lastName"],
          ["EC1", "Eva", "Paz"],
          [null, null, null], // empty rows are skipped, numbering stays the spreadsheet's
          ["EC2", "Sin", null], // no last name
        ],
      },
      {
        sheet: "Deposit Accounts",
        rows: [
          ["id", "name", "accountHolderType", "accountHolderKey", "productTypeKey", "accountState"],
          ["ED1", "Savings", "CLIENT", "EC1", "SAVINGS", "APPROVED"],
          ["ED2", "Savings", "CLIENT", "NOBODY", "SAVINGS", "APPROVED"],
        ],
      },
      {
        sheet: "Deposit Transactions",
        rows: [
          ["accountId", "amount"],
          ["ED1", 20],
          ["ED1", -4],
        ],
      },
    ]);
    const r = await upload(file);
    expect(r.status).toBe(202);
    const { last } = await follow(r.body.importKey);
    expect(last.body.state).toBe("ERROR");
    expect(last.body.eventKey).toBeUndefined();
    const errors = last.body.errors as Array<{ sheet: string; row: number; column?: { name: string; index: number }; errorMessage: string }>;
    expect(errors.map((e) => [e.sheet, e.row, e.column?.name, e.column?.index])).toEqual([
      ["Clients", 4, "lastName", 3],
      ["Deposit Accounts", 3, "accountHolderKey", 4],
      ["Deposit Transactions", 3, "amount", 2],
    ]);
    expect(errors[1].errorMessage).toMatch(/^INVALID_CLIENT_ID: /);
    expect(errors[2].errorMessage).toMatch(/^INVALID_DEPOSIT_AMOUNT: /);
    for (const id of ["EC1", "EC2"]) expect((await call(sb, "GET", `/clients/${id}`)).status).toBe(404);
    expect((await call(sb, "GET", "/deposits/ED1")).status).toBe(404);
    expect((await call(sb, "GET", "/deposits?limit=1000")).body.length).toBe(depositsBefore);
    expect((await call(sb, "GET", "/clients?limit=1000")).body.length).toBe(clientsBefore);
  });
});

describe("an import that another request interferes with", () => {
  it("ends in ERROR without reverting when an account it changed was changed meanwhile, and says so", async () => {
    const holder = (await call(sb, "GET", "/clients/0512N0025")).body.encodedKey;
    expect((await call(sb, "POST", "/deposits", { body: { id: "OLD2", name: "Old", accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: "SAVINGS", currencyCode: "MXN" } })).status).toBe(201);
    expect((await call(sb, "POST", "/deposits/OLD2:changeState", { body: { action: "APPROVE" } })).status).toBe(200);
    const rows: Cell[][] = [["accountId", "amount"], ["OLD2", 1], ["OLD2", 2], ["OLD2", 3], ["OLD2", 4], ["OLD2", -1]];
    const r = await upload(await workbook([{ sheet: "Deposit Transactions", rows }]));
    expect((await call(sb, "GET", `/data/import/${r.body.importKey}`)).body.state).toBe("IN_PROGRESS"); // rows 2–3 done
    // rows 4–5 are done before this deposit: the import changed OLD2, and so does this request
    expect((await call(sb, "POST", "/deposits/OLD2/deposit-transactions", { body: { amount: 100 } })).status).toBe(201);
    const { last } = await follow(r.body.importKey);
    expect(last.body.state).toBe("ERROR");
    const errors = last.body.errors as Array<{ sheet?: string; row?: number; errorMessage: string }>;
    expect(errors.map((e) => [e.sheet, e.row])).toEqual([["Deposit Transactions", 6], [undefined, undefined]]);
    expect(errors[1].errorMessage).toBe("the import could not be reverted, its records stay: deposits OLD2 was changed by another request while the import ran");
    expect(await balance("OLD2")).toBe("110.00");
    await checkDepositInvariants(sb, "OLD2");
  });
});

describe("an import half done", () => {
  it("survives --persist: the restarted sandbox finishes it, and REJECT still reverts it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mambu-import-"));
    const persist = join(dir, "state.json");
    try {
      const first = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, jobRowsPerStep: 1, persist });
      let importKey: string;
      try {
        const r = await upload(await workbook([{ sheet: "Clients", rows: clients("P") }]), "p.xlsx", first);
        importKey = r.body.importKey;
        expect((await call(first, "GET", `/data/import/${importKey}`)).body).toEqual({ state: "IN_PROGRESS" });
      } finally {
        await first.stop();
      }
      const again = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, jobRowsPerStep: 1, persist });
      try {
        const done = await call(again, "GET", `/data/import/${importKey}`);
        expect(done.body).toEqual({ state: "COMPLETE", eventKey: expect.any(String) });
        expect((await call(again, "GET", "/clients/PC2")).status).toBe(200);
        expect((await call(again, "POST", `/data/import/events/${done.body.eventKey}:action`, { body: { type: "REJECT" } })).status).toBe(204);
        expect((await call(again, "GET", "/clients/PC1")).status).toBe(404);
        expect((await call(again, "GET", "/clients/PC2")).status).toBe(404);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the upload", () => {
  it("refuses what is not a workbook, unknown sheets and bad headers (400, nothing queued)", async () => {
    const notXlsx = await upload(Buffer.from("id,firstName\nC1,Ana\n"), "clients.csv");
    expectContractAnswer("POST", "/data/import", notXlsx, { status: 400 });
    expect(notXlsx.body.errors[0]).toMatchObject({ errorReason: "INVALID_PARAMETERS", errorSource: expect.stringContaining("not a readable .xlsx workbook") });
    const zipNotXlsx = await upload(Buffer.from(zipSync({ "hello.txt": new Uint8Array([104, 105]) })));
    expect(zipNotXlsx.status).toBe(400);
    expect(zipNotXlsx.body.errors[0].errorSource).toContain("not a readable .xlsx workbook");
    const unknownSheet = await upload(await workbook([{ sheet: "Loans", rows: [["id"], ["L1"]] }]));
    expect(unknownSheet.status).toBe(400);
    expect(unknownSheet.body.errors[0].errorSource).toBe('sheet "Loans": not a sheet a data import reads (sheets: Clients, Deposit Accounts, Deposit Transactions, Loan Accounts)');
    const proto = await upload(await workbook([{ sheet: "Clients", rows: [["__proto__.x"], ["1"]] }]));
    expect(proto.status).toBe(400);
    expect(proto.body.errors[0].errorSource).toContain('"__proto__.x" is not allowed');
    const repeated = await upload(await workbook([{ sheet: "Clients", rows: [["id", "id"], ["1", "2"]] }]));
    expect(repeated.body.errors[0].errorSource).toContain('column "id" is repeated');
    const noFile = await call(sb, "POST", "/data/import", { raw: Buffer.from("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--b--\r\n"), headers: { "Content-Type": "multipart/form-data; boundary=b" } });
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors[0].errorSource).toContain('part named "file"');
  });

  it("refuses a file over 10 MiB, a zip declaring more than 50 MiB unzipped, and more than 10,000 records", async () => {
    const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 0x41));
    expect(big.status).toBe(400);
    expect(big.body.errors[0].errorSource).toContain("at most 10485760 bytes");
    // 51 MiB of zeros deflate to a few KiB: the zip declares its unzipped size, refused before inflating
    const bomb = Buffer.from(zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(51 * 1024 * 1024) }, { level: 9 }));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const refused = await upload(bomb);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].errorSource).toMatch(/unzips to \d+ bytes, more than the 52428800/);
    const rows: Cell[][] = [["id", "firstName", "lastName"]];
    for (let i = 0; i < 10_001; i++) rows.push([`MANY${i}`, "A", "B"]);
    const many = await upload(await workbook([{ sheet: "Clients", rows }]));
    expect(many.status).toBe(400);
    expect(many.body.errors[0].errorSource).toContain("at most 10000 records");
    expect((await call(sb, "GET", "/clients/MANY0")).status).toBe(404);
  });

  it("refuses a zip whose entry inflates past the size it declares (zip bomb), and a zip of more than 1,000 entries", async () => {
    // 60 MiB of zeros, the sizes patched to declare 1000 bytes: the sandbox stops inflating after 1000
    const bomb = Buffer.from(zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(60 * 1024 * 1024) }, { level: 9 }));
    bomb.writeUInt32LE(1000, 22); // the local header's uncompressed size
    bomb.writeUInt32LE(1000, bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24); // the directory's
    const refused = await upload(bomb);
    expectContractAnswer("POST", "/data/import", refused, { status: 400 });
    expect(refused.body.errors[0]).toMatchObject({
      errorReason: "INVALID_PARAMETERS",
      errorSource: 'file: the workbook\'s zip entry "xl/worksheets/sheet1.xml" inflates to more than the 1000 bytes it declares',
    });
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 1001; i++) files[`xl/f${i}.xml`] = new Uint8Array(1);
    const many = await upload(Buffer.from(zipSync(files)));
    expect(many.status).toBe(400);
    expect(many.body.errors[0].errorSource).toBe("file: the workbook's zip has 1001 entries, more than the 1000 allowed");
  });

  it("answers 404 for an unknown import or event", async () => {
    const r = await call(sb, "GET", "/data/import/0123456789abcdef0123456789abcdef");
    expectContractAnswer("GET", "/data/import/{importKey}", r, { status: 404 });
    expect(r.body.errors[0].errorReason).toBe("INVALID_DATA_IMPORT_TASK_KEY");
    const e = await call(sb, "POST", "/data/import/events/0123456789abcdef0123456789abcdef:action", { body: { type: "APPROVE" } });
    expectContractAnswer("POST", "/data/import/events/{eventKey}:action", e, { status: 404 });
    expect(e.body.errors[0].errorReason).toBe("INVALID_DATA_MIGRATION_EVENT_KEY");
  });
});
