/**
 * Sandbox e2e: database backups — `POST /database/backup` answers 202 and makes a zip of a MySQL dump of the
 * tenant in the background, then calls the callback URL back; `GET /database/backup/LATEST` serves it.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { unzipSync } from "fflate";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { SandboxClock } from "../../lib/sandbox/clock";
import { Router } from "../../lib/sandbox/router";
import { SandboxStore } from "../../lib/sandbox/store";
import { SandboxError } from "../../lib/sandbox/types";
import { backupSettled, registerDatabaseBackupRoutes } from "../../lib/sandbox/platform/database-backup";
import { readDumpInserts, rowObject } from "../helpers/mysql-dump";
import { call, expectContractAnswer } from "./sandbox-helpers";

let sb: Sandbox;
let hook: http.Server;
let hookUrl: string;
const received: Array<{ path: string; body: unknown }> = [];
let onCallback: (() => void) | undefined;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  hook = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(text) });
      res.writeHead(200).end();
      onCallback?.();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/backup-ready?source=mambu`;
});
afterAll(async () => {
  await backupSettled(sb.store);
  await sb.stop();
  await new Promise((resolve) => hook.close(resolve));
});

async function download(): Promise<{ status: number; headers: Map<string, string>; zip: Buffer }> {
  const res = await fetch(`${sb.url}/api/database/backup/LATEST`, {
    headers: { Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`, Accept: "application/vnd.mambu.v2+zip" },
  });
  const zip = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: new Map([...res.headers.entries()]), zip };
}

function dumpOf(zip: Buffer): string {
  const files = unzipSync(new Uint8Array(zip));
  const names = Object.keys(files);
  expect(names).toEqual(["sandbox-MANUAL-DATABASE-BACKUP.sql"]);
  return Buffer.from(files[names[0]!]!).toString("utf8");
}

describe("GET /database/backup/LATEST before any backup", () => {
  it("is 404 DATABASE_BACKUP_NOT_FOUND", async () => {
    const r = await call(sb, "GET", "/database/backup/LATEST");
    expect(r.status).toBe(404);
    expect(r.body.errors[0].errorReason).toBe("DATABASE_BACKUP_NOT_FOUND");
  });
});

describe("POST /database/backup with a callback", () => {
  const tricky = `O'Brien "Bob" \\ back\\slash`;
  const notes = "line one\nline two\r\ttab; DROP TABLE client; -- \u0000 end";
  let callbackBody: unknown;
  let sql: string;
  let headers: Map<string, string>;

  beforeAll(async () => {
    const c = await call(sb, "POST", "/clients", { body: { firstName: tricky, lastName: "Ünïcödé 漢字", notes, assignedBranchKey: undefined } });
    expect(c.status).toBe(201);
    const got = new Promise<void>((resolve) => (onCallback = resolve));
    const r = await call(sb, "POST", "/database/backup", { body: { callback: hookUrl } });
    expect(r.status).toBe(202);
    expectContractAnswer("POST", "/database/backup", r, { status: 202, resource: "database_backup", strict: true });
    expect(r.body).toEqual({ state: "QUEUED" });
    await got;
    callbackBody = received[0]?.body;
    const d = await download();
    expect(d.status).toBe(200);
    headers = d.headers;
    sql = dumpOf(d.zip);
  });

  it("calls the callback URL back with Mambu's webhook body", () => {
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe("/backup-ready?source=mambu");
    expect(callbackBody).toEqual({ tenantId: "sandbox", result: "COMPLETE", domain: expect.any(String), fileName: "sandbox-MANUAL-DATABASE-BACKUP" });
  });

  it("serves the zip as Mambu does: vendor type, length, attachment name, Last-Modified and ETag", () => {
    expect(headers.get("content-type")).toBe("application/vnd.mambu.v2+zip");
    expect(Number(headers.get("content-length"))).toBeGreaterThan(0);
    expect(headers.get("content-disposition")).toBe('attachment; filename="sandbox-MANUAL-DATABASE-BACKUP.zip"');
    expect(headers.get("last-modified")).toBe("Thu, 15 Jan 2026 08:00:00 GMT");
    expect(headers.get("etag")).toMatch(/^"1-[0-9a-f]{16}"$/);
  });

  it("holds a mysqldump-style dump: SET header, DROP/CREATE per table, footer", () => {
    expect(sql).toContain("/*!40101 SET NAMES utf8mb4 */;\n");
    expect(sql).toContain("SQL_MODE='NO_AUTO_VALUE_ON_ZERO'");
    expect(sql).toContain("DROP TABLE IF EXISTS `client`;\nCREATE TABLE `client` (\n  `encodedKey` VARCHAR(32) NOT NULL,");
    expect(sql).toContain("CREATE TABLE `loanaccount` (");
    expect(sql).toMatch(/-- Dump completed on 2026-01-15 10:00:00\n$/);
  });

  it("has as many client, group and loan rows as the API lists", async () => {
    const inserts = readDumpInserts(sql);
    const clients = await call(sb, "GET", "/clients?limit=1000");
    const groups = await call(sb, "GET", "/groups?limit=1000");
    const loans = await call(sb, "GET", "/loans?limit=1000");
    expect(inserts.get("client")!.rows).toHaveLength(clients.body.length);
    expect(inserts.get("group")!.rows).toHaveLength(groups.body.length);
    expect(inserts.get("loanaccount")!.rows).toHaveLength(loans.body.length);
    const dumpedIds = inserts.get("client")!.rows.map((r) => rowObject(inserts.get("client")!, r).id).sort();
    expect(dumpedIds).toEqual(clients.body.map((c: { id: string }) => c.id).sort());
  });

  it("escapes quotes, backslashes, newlines and NUL so the values read back exactly, and writes NULL for what is missing", () => {
    const t = readDumpInserts(sql).get("client")!;
    const row = t.rows.map((r) => rowObject(t, r)).find((r) => r.lastName === "Ünïcödé 漢字")!;
    expect(row.firstName).toBe(tricky);
    expect(row.notes).toBe(notes);
    expect(row.middleName).toBeNull();
    expect(sql).toContain(`'O\\'Brien \\"Bob\\" \\\\ back\\\\slash'`);
  });

  it("writes money as exact DECIMAL text and dates in the tenant's zone", async () => {
    const loan = (await call(sb, "GET", "/loans/54321")).body;
    const t = readDumpInserts(sql).get("loanaccount")!;
    const row = t.rows.map((r) => rowObject(t, r)).find((r) => r.id === "54321")!;
    expect(row.loanAmount).toBe(`${loan.loanAmount}.0000000000`);
    expect(row.principalBalance).toBe(Number(loan.balances.principalBalance).toFixed(10));
    // creationDate is on the tenant's clock (+02:00): the DATETIME keeps the wall time, without offset
    expect(row.creationDate).toBe(String(loan.creationDate).slice(0, 19).replace("T", " "));
  });

  it("unfolds the schedule into repayment rows, group members into groupmember, custom fields into customfieldvalue", async () => {
    const inserts = readDumpInserts(sql);
    const schedule = (await call(sb, "GET", "/loans/54321/schedule")).body.installments;
    const loanKey = (await call(sb, "GET", "/loans/54321")).body.encodedKey;
    const repayments = inserts.get("repayment")!;
    const mine = repayments.rows.map((r) => rowObject(repayments, r)).filter((r) => r.parentAccountKey === loanKey);
    expect(mine).toHaveLength(schedule.length);
    expect(mine.map((r) => r.state)).toEqual(schedule.map((i: { state: string }) => i.state));
    const group = (await call(sb, "GET", "/groups/24G23446?detailsLevel=FULL")).body;
    const members = inserts.get("groupmember")!;
    const ofGroup = members.rows.map((r) => rowObject(members, r)).filter((r) => r.groupkey === group.encodedKey);
    expect(ofGroup.map((r) => r.clientkey).sort()).toEqual(group.groupMembers.map((m: { clientKey: string }) => m.clientKey).sort());
    const values = inserts.get("customfieldvalue")!;
    const industry = values.rows.map((r) => rowObject(values, r)).find((r) => r.parentKey === group.encodedKey)!;
    expect(industry.value).toBe(group._group_details.industry);
  });
});

describe("POST /database/backup refusals", () => {
  it("refuses a callback that is not an http(s) URL", async () => {
    for (const callback of ["file:///etc/passwd", "javascript:alert(1)", "not a url", `http://x/${"a".repeat(3000)}`]) {
      const r = await call(sb, "POST", "/database/backup", { body: { callback } });
      expect(r.status).toBe(400);
      expect(r.body.errors[0]).toMatchObject({ errorReason: "INVALID_PARAMETERS", errorSource: expect.stringMatching(/^callback: /) });
    }
  });

  it("refuses a second backup while one is being made (400 DATABASE_BACKUP_IN_PROGRESS), and takes one again after", async () => {
    const store = new SandboxStore();
    const ctx = { store, clock: new SandboxClock({ start: "2026-01-15" }) };
    const router = new Router();
    registerDatabaseBackupRoutes(router);
    const post = router.match("POST", "/database/backup");
    if (post.kind !== "route") throw new Error("no route");
    const req = { method: "POST", path: "/database/backup", params: {}, query: {}, headers: {}, body: undefined };
    expect(await post.route.handler(ctx, req)).toEqual({ status: 202, body: { state: "QUEUED" } });
    let refusal: unknown;
    try {
      await post.route.handler(ctx, req);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(SandboxError);
    expect(refusal).toMatchObject({ status: 400, errorReason: "DATABASE_BACKUP_IN_PROGRESS" });
    await backupSettled(store);
    expect((await post.route.handler(ctx, req)).status).toBe(202);
    await backupSettled(store);
  });

  it("answers 400 for a version other than LATEST", async () => {
    const r = await call(sb, "GET", "/database/backup/PREVIOUS");
    expect(r.status).toBe(400);
  });
});
