/**
 * Data imports through the ORM: `MambuDataImport.upload(file)` sends the workbook's exact bytes as the one
 * multipart part `file` of `POST /data/import` (checked first: a readable .xlsx/.xls workbook, not empty, at most
 * 10 MiB — else nothing is sent); `get`, `refresh` and `wait` read `GET /data/import/{importKey}` (every read to
 * `onProgress`, bounded, abortable); `approve` / `reject` send the draft's action, and are refused before any
 * request when there is nothing to act on.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import nock from "nock";
import writeExcelFile from "write-excel-file/node";
import { MambuConnector, MambuDataImport, MambuError, MambuTsError, MAX_DATA_IMPORT_BYTES } from "../../lib";
import type { DataImportProgress } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { parseMultipart } from "../../lib/sandbox/documents";
import { contractTenant, PASSWORD, testConnector } from "../helpers/mambu";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const XLS_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const KEY = "8a19imp0001";
const EVENT = "8a19evt0001";

/** One request seen by the raw server, its body as bytes. */
interface Raw { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer }

/** A loopback server that keeps request bodies as bytes (a workbook must arrive unchanged). */
async function rawServer(answer: [number, unknown?]): Promise<{ requests: Raw[]; connector: MambuConnector; close(): Promise<void> }> {
  const requests: Raw[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer[0], { "content-type": "application/vnd.mambu.v2+json" });
      res.end(answer[1] === undefined ? undefined : JSON.stringify(answer[1]));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    requests,
    connector: testConnector({ apiurl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    close: () => new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}

const { tenant, requests } = contractTenant();
let dir: string;
let workbook: Buffer;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  dir = mkdtempSync(join(tmpdir(), "mambu-ts-import-"));
  workbook = await writeExcelFile([
    { sheet: "Clients", data: [["id", "firstName", "lastName"], ["IMP1", "Ada", "Lovelace"]] },
    { sheet: "Deposit Accounts", data: [["id", "accountHolderKey"], ["IMPD1", "IMP1"]] },
  ]).toBuffer();
});
afterAll(() => {
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
});

/** An answer of `GET /data/import/{key}`, checked against the contract's DataImportStatus. */
function status(body: Record<string, unknown>): Record<string, unknown> {
  const m = findOperation("GET", `/api/data/import/${KEY}`)!;
  expect(validateAgainst("data_import", m.op.responses["200"]!, body)).toEqual([]);
  return body;
}

const ROW_ERRORS = [
  { sheet: "Clients", row: 3, column: { name: "lastName", index: 2 }, errorMessage: "lastName is required" },
  { sheet: "Deposit Transactions", row: 2, column: { name: "amount", index: 1 }, errorMessage: "amount must be positive" },
];

/** An import as `get` reads it (one nock answer). */
async function readImport(body: Record<string, unknown>): Promise<MambuDataImport> {
  tenant().get(`/api/data/import/${KEY}`).reply(200, status(body));
  return MambuDataImport.get(KEY, { connector: testConnector() });
}

describe("upload", () => {
  test("sends the workbook's exact bytes as the multipart part `file` of POST /data/import; returns the import", async () => {
    const path = join(dir, "clients.xlsx");
    writeFileSync(path, workbook);
    const server = await rawServer([202, { importKey: KEY, state: "QUEUED" }]);
    try {
      const imp = await MambuDataImport.upload(path, { connector: server.connector });
      expect([imp.importKey, imp.state, imp.errors, imp.eventKey, imp.pending]).toEqual([KEY, "QUEUED", [], undefined, true]);
      expect(server.requests).toHaveLength(1);
      const r = server.requests[0];
      expect([r.method, r.url]).toEqual(["POST", "/api/data/import"]);
      const op = findOperation(r.method, r.url)!;
      expect([op.resource, op.op.operationId]).toEqual(["data_import", "dataImport"]);
      const ctype = String(r.headers["content-type"]);
      expect(ctype).toMatch(/^multipart\/form-data; boundary=[\w-]+$/);
      expect(String(r.headers["idempotency-key"])).toMatch(UUID_V4);
      const parts = parseMultipart(r.body, ctype);
      expect(parts.fields).toEqual({});
      expect(Object.keys(parts.files)).toEqual(["file"]);
      expect(parts.files.file).toMatchObject({ filename: "clients.xlsx", contentType: XLSX_TYPE });
      expect(parts.files.file.data.equals(workbook)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test("takes bytes with a file name (.xls too) and the caller's Idempotency-Key", async () => {
    const server = await rawServer([202, { importKey: KEY, state: "IN_PROGRESS" }]);
    try {
      const data = Buffer.concat([XLS_MAGIC, Buffer.from("\r\n--rest of an old workbook\r\n")]);
      const key = "3f1e5a9c-7b2d-4c8e-9f01-23456789abcd";
      const imp = await MambuDataImport.upload({ fileName: "Legacy Clients 2019.XLS", data }, { connector: server.connector, idempotencyKey: key });
      expect(imp.state).toBe("IN_PROGRESS");
      const r = server.requests[0];
      expect(r.headers["idempotency-key"]).toBe(key);
      const parts = parseMultipart(r.body, String(r.headers["content-type"]));
      expect(parts.files.file).toMatchObject({ filename: "Legacy Clients 2019.XLS", contentType: "application/vnd.ms-excel" });
      expect(parts.files.file.data.equals(data)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test("a file that is missing, not a file, empty, too large, not a workbook or oddly named is refused before any request", async () => {
    const conn = testConnector();
    const at = (name: string, data?: Buffer): string => {
      const p = join(dir, name);
      if (data) writeFileSync(p, data);
      return p;
    };
    const refused = async (source: Parameters<typeof MambuDataImport.upload>[0], message: string | RegExp): Promise<void> => {
      const err = await MambuDataImport.upload(source, { connector: conn }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MambuTsError);
      expect(err).not.toBeInstanceOf(MambuError);
      expect((err as Error).message).toMatch(message);
    };
    await refused(at("missing.xlsx"), /^MambuDataImport\.upload: cannot read ".*missing\.xlsx" \(no such file\)$/);
    mkdirSync(join(dir, "folder.xlsx"));
    await refused(join(dir, "folder.xlsx"), /"?.*folder\.xlsx" is not a file$/);
    await refused(at("empty.xlsx", Buffer.alloc(0)), /"empty\.xlsx" is empty$/);
    const big = at("big.xlsx", workbook);
    truncateSync(big, MAX_DATA_IMPORT_BYTES + 1);
    await refused(big, `is ${MAX_DATA_IMPORT_BYTES + 1} bytes, more than the ${MAX_DATA_IMPORT_BYTES} bytes (10 MiB) a data import takes`);
    await refused({ fileName: "big.xlsx", data: Buffer.concat([workbook, Buffer.alloc(MAX_DATA_IMPORT_BYTES)]) }, /more than the 10485760 bytes/);
    await refused(at("clients.csv", Buffer.from("id,firstName\n1,Ada\n")), '"clients.csv" is not an Excel workbook: Mambu imports .xlsx and .xls files');
    await refused(at("renamed.xlsx", Buffer.from("id,firstName\n1,Ada\n")), '"renamed.xlsx" is not a .xlsx workbook (its content does not start as one; save it from Excel as .xlsx)');
    await refused({ fileName: "old.xls", data: workbook }, '"old.xls" is not a .xls workbook');
    await refused(`${dir}/../x/clients.xlsx`, 'climbs directories with ".."');
    await refused({ fileName: 'a"b.xlsx', data: workbook }, "may not hold control characters, quotes, slashes or backslashes");
    await refused({ fileName: "a\r\nb.xlsx", data: workbook }, "may not hold control characters");
    await refused({ fileName: "xlsx", data: workbook }, "is not an Excel workbook");
    await refused({ fileName: "a.xlsx", data: "PK" as never }, "give a file path, or { fileName, data: Buffer }");
    await expect(MambuDataImport.upload(at("ok.xlsx", workbook), { connector: conn, approve: true } as never)).rejects.toThrow('MambuDataImport.upload: unknown option "approve"');
    expect(requests).toEqual([]);
  });

  const unreadable = process.getuid?.() === 0 ? test.skip : test;
  unreadable("a file that cannot be read says so (permission denied), before any request", async () => {
    const p = join(dir, "locked.xlsx");
    writeFileSync(p, workbook);
    chmodSync(p, 0o000);
    await expect(MambuDataImport.upload(p, { connector: testConnector() })).rejects.toThrow(/cannot read ".*locked\.xlsx" \(permission denied\)/);
    expect(requests).toEqual([]);
  });

  test("Mambu's refusal is a MambuError; an answer without an importKey is a malformed answer", async () => {
    const refusing = await rawServer([400, { errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "file" }] }]);
    try {
      const err = await MambuDataImport.upload({ fileName: "c.xlsx", data: workbook }, { connector: refusing.connector }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MambuError);
      expect([(err as MambuError).status, (err as MambuError).errorReason]).toEqual([400, "INVALID_PARAMETERS"]);
    } finally {
      await refusing.close();
    }
    const odd = await rawServer([202, { state: "QUEUED" }]);
    try {
      await expect(MambuDataImport.upload({ fileName: "c.xlsx", data: workbook }, { connector: odd.connector })).rejects.toThrow(
        new MambuError("malformed response from Mambu to MambuDataImport.upload: expected { importKey, state }"),
      );
    } finally {
      await odd.close();
    }
  });
});

describe("get, refresh and wait", () => {
  test("get reads GET /data/import/{importKey}; an import that ended ERROR lists its refused cells, typed", async () => {
    const imp = await readImport({ state: "ERROR", errors: ROW_ERRORS });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/data/import/${KEY}`]);
    expect([imp.importKey, imp.state, imp.eventKey, imp.pending]).toEqual([KEY, "ERROR", undefined, false]);
    expect(imp.errors).toEqual(ROW_ERRORS);
    expect(imp.errors[0].row! + 1).toBe(4);
    expect(imp.toJSON()).toEqual({ importKey: KEY, state: "ERROR", errors: ROW_ERRORS });
  });

  test("wait reads until Mambu is done: onProgress gets every read; COMPLETE brings the eventKey", async () => {
    const imp = await readImport({ state: "QUEUED" });
    for (const s of [{ state: "QUEUED" }, { state: "IN_PROGRESS" }, { state: "COMPLETE", eventKey: EVENT, errors: [] }]) {
      tenant().get(`/api/data/import/${KEY}`).reply(200, status(s));
    }
    const seen: DataImportProgress[] = [];
    const same = await imp.wait({ intervalMs: 0, onProgress: (p) => seen.push(p) });
    expect(same).toBe(imp);
    expect(seen.map((p) => [p.state, p.poll, p.eventKey])).toEqual([["QUEUED", 1, undefined], ["IN_PROGRESS", 2, undefined], ["COMPLETE", 3, EVENT]]);
    expect(seen.every((p) => p.importKey === KEY)).toBe(true);
    expect([imp.state, imp.eventKey, imp.pending]).toEqual(["COMPLETE", EVENT, false]);
  });

  test("wait resolves on ERROR too (the caller reads errors); refresh reads once", async () => {
    const imp = await readImport({ state: "IN_PROGRESS" });
    tenant().get(`/api/data/import/${KEY}`).reply(200, status({ state: "ERROR", errors: ROW_ERRORS }));
    await imp.wait({ intervalMs: 0 });
    expect([imp.state, imp.errors.length]).toEqual(["ERROR", 2]);
    tenant().get(`/api/data/import/${KEY}`).reply(200, status({ state: "ERROR", errors: ROW_ERRORS.slice(1) }));
    await imp.refresh();
    expect(imp.errors).toEqual(ROW_ERRORS.slice(1));
  });

  test("a bounded wait ends with a MambuTsError saying the last state; a signal stops it with the usual abort error", async () => {
    const imp = await readImport({ state: "QUEUED" });
    tenant().get(`/api/data/import/${KEY}`).times(2).reply(200, status({ state: "IN_PROGRESS" }));
    await expect(imp.wait({ intervalMs: 0, maxPolls: 2 })).rejects.toThrow(new MambuTsError(`MambuDataImport#wait: import ${KEY} still IN_PROGRESS after 2 reads`));
    expect(imp.state).toBe("IN_PROGRESS");

    requests.length = 0;
    tenant().get(`/api/data/import/${KEY}`).reply(200, status({ state: "QUEUED" }));
    const ctl = new AbortController();
    await expect(imp.wait({ intervalMs: 3_600_000, signal: ctl.signal, onProgress: () => ctl.abort() })).rejects.toThrow("MambuDataImport#wait: aborted by the caller");
    expect(requests).toHaveLength(1);
    await expect(imp.wait({ maxPolls: 0 })).rejects.toThrow("MambuDataImport#wait: maxPolls must be an integer between 1 and 100000");
    await expect(imp.wait({ every: 5 } as never)).rejects.toThrow('MambuDataImport#wait: unknown option "every"');
    expect(requests).toHaveLength(1);
  });

  test("an unknown import is Mambu's 404; malformed states and errors are malformed answers", async () => {
    tenant().get("/api/data/import/NOPE").reply(404, { errors: [{ errorCode: 3, errorReason: "INVALID_PARAMETERS" }] });
    await expect(MambuDataImport.get("NOPE", { connector: testConnector() })).rejects.toBeInstanceOf(MambuError);
    tenant().get(`/api/data/import/${KEY}`).reply(200, { state: "DONE" });
    await expect(MambuDataImport.get(KEY, { connector: testConnector() })).rejects.toThrow(
      new MambuError('malformed response from Mambu to MambuDataImport.get: expected the import\'s state, got "DONE"'),
    );
    tenant().get(`/api/data/import/${KEY}`).reply(200, { state: "ERROR", errors: "bad" });
    await expect(MambuDataImport.get(KEY, { connector: testConnector() })).rejects.toThrow("errors is not a list of objects");
    await expect(MambuDataImport.get("", { connector: testConnector() })).rejects.toThrow("MambuDataImport.get: the import key must be a non-empty string");
  });
});

describe("approve and reject", () => {
  test("approve sends { type: APPROVE } to POST /data/import/events/{eventKey}:action, once", async () => {
    const imp = await readImport({ state: "COMPLETE", eventKey: EVENT });
    let body: unknown;
    let idem: unknown;
    tenant().post(`/api/data/import/events/${EVENT}:action`).reply(function (_uri, b) {
      body = b;
      idem = this.req.headers["idempotency-key"];
      return [204];
    });
    expect(await imp.approve()).toBe(imp);
    expect(body).toEqual({ type: "APPROVE" });
    expect(String(idem)).toMatch(UUID_V4);
    const op = findOperation("POST", `/api/data/import/events/${EVENT}:action`)!;
    expect([op.resource, op.op.operationId]).toEqual(["data_import", "action"]);
    expect(validateAgainst("data_import", op.op.body!, body)).toEqual([]);
    expect(imp.decision).toBe("APPROVE");
    expect(imp.toJSON()).toEqual({ importKey: KEY, state: "COMPLETE", errors: [], eventKey: EVENT, decision: "APPROVE" });
    requests.length = 0;
    await expect(imp.approve()).rejects.toThrow(`MambuDataImport#approve: import ${KEY} was already approved`);
    await expect(imp.reject()).rejects.toThrow(`MambuDataImport#reject: import ${KEY} was already approved`);
    expect(requests).toEqual([]);
  });

  test("reject sends { type: REJECT } with the caller's Idempotency-Key", async () => {
    const imp = await readImport({ state: "COMPLETE", eventKey: EVENT });
    const key = "0b5e4c1d-2a3f-4b6c-8d7e-9f0a1b2c3d4e";
    tenant().post(`/api/data/import/events/${EVENT}:action`, { type: "REJECT" }).matchHeader("idempotency-key", key).reply(204);
    await imp.reject({ idempotencyKey: key });
    expect(imp.decision).toBe("REJECT");
  });

  test("nothing to act on is a clear MambuTsError before any request: ERROR, still pending, no eventKey, other ends", async () => {
    const failed = await readImport({ state: "ERROR", errors: ROW_ERRORS });
    const pending = await readImport({ state: "IN_PROGRESS" });
    const noEvent = await readImport({ state: "COMPLETE" });
    const timedOut = await readImport({ state: "TIMED_OUT" });
    requests.length = 0;
    await expect(failed.approve()).rejects.toThrow(new MambuTsError(
      `MambuDataImport#approve: import ${KEY} ended in ERROR (2 errors in the workbook, see imp.errors): nothing was imported, so there is nothing to approve; fix the workbook and upload it again`,
    ));
    await expect(failed.reject()).rejects.toThrow("nothing to reject");
    await expect(pending.approve()).rejects.toThrow(`MambuDataImport#approve: import ${KEY} is still IN_PROGRESS: await imp.wait() first`);
    await expect(noEvent.approve()).rejects.toThrow(`MambuDataImport#approve: import ${KEY} is COMPLETE but Mambu gave no eventKey yet: await imp.refresh() and try again`);
    await expect(timedOut.reject()).rejects.toThrow(`MambuDataImport#reject: import ${KEY} ended TIMED_OUT: there is nothing to reject`);
    expect(requests).toEqual([]);
  });

  test("Mambu's refusal of the action is a MambuError, and the import is not marked decided", async () => {
    const imp = await readImport({ state: "COMPLETE", eventKey: EVENT });
    tenant().post(`/api/data/import/events/${EVENT}:action`).reply(404, { errors: [{ errorCode: 3, errorReason: "INVALID_PARAMETERS" }] });
    await expect(imp.approve()).rejects.toBeInstanceOf(MambuError);
    expect(imp.decision).toBeUndefined();
  });
});

test("an import prints its state, never its connector or credentials", async () => {
  const imp = await readImport({ state: "COMPLETE", eventKey: EVENT });
  const shown = inspect(imp, { depth: 5 });
  expect(shown).toMatch(/^MambuDataImport\(8a19imp0001\) \{ state: 'COMPLETE', errors: \[\], eventKey: '8a19evt0001' \}$/);
  expect(shown + JSON.stringify(imp)).not.toContain(PASSWORD);
  expect(Object.keys(imp)).not.toContain("connector");
});
