/**
 * backupDatabase against the sandbox: the sandbox makes the backup and calls the library's listener back (or the
 * library polls LATEST), the library downloads, checks and keeps the zip, whose dump has the tenant's clients.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { backupDatabase, MambuConnector } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { backupSettled } from "../../lib/sandbox/platform/database-backup";
import { demoConnector } from "../helpers/sandbox-connector";
import { readDumpInserts } from "../helpers/mysql-dump";

let sb: Sandbox;
let connector: MambuConnector;
let dir: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mambu-backup-e2e-"));
});
afterAll(async () => {
  await backupSettled(sb.store);
  connector.close();
  await sb.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function clientRows(file: string): number {
  const files = unzipSync(new Uint8Array(fs.readFileSync(file)));
  const sql = Buffer.from(files["sandbox-MANUAL-DATABASE-BACKUP.sql"]!).toString("utf8");
  return readDumpInserts(sql).get("client")!.rows.length;
}

it("justDownload before any backup says there is none", async () => {
  await expect(backupDatabase({ out: path.join(dir, "none.zip"), justDownload: true, connector })).rejects.toThrow(/no backup to download yet/);
  expect(fs.readdirSync(dir)).toEqual([]);
});

it("by callback: the sandbox calls the listener back, the zip is kept with the tenant's clients", async () => {
  const out = path.join(dir, "callback.zip");
  const r = await backupDatabase({ out, callback: { port: 0, host: "127.0.0.1" }, connector });
  expect(r.via).toBe("callback");
  expect(r.callback).toEqual({ result: "COMPLETE", tenantId: "sandbox", fileName: "sandbox-MANUAL-DATABASE-BACKUP" });
  expect(r.bytes).toBe(fs.statSync(out).size);
  expect(r.entries.map((e) => e.name)).toEqual(["sandbox-MANUAL-DATABASE-BACKUP.sql"]);
  expect(clientRows(out)).toBe(sb.store.count("clients"));
});

it("by polling: a new client is in the next backup", async () => {
  await connector.request({ method: "POST", path: "/clients", body: { firstName: "Poll", lastName: "Ed" } });
  const out = path.join(dir, "poll.zip");
  const r = await backupDatabase({ out, pollInterval: 10, connector });
  expect(r.via).toBe("poll");
  expect(clientRows(out)).toBe(sb.store.count("clients"));
  expect(clientRows(out)).toBe(clientRows(path.join(dir, "callback.zip")) + 1);
});

it("justDownload takes the latest backup without triggering one", async () => {
  const out = path.join(dir, "latest.zip");
  const r = await backupDatabase({ out, justDownload: true, connector });
  expect(r.via).toBe("existing");
  expect(fs.readFileSync(out).equals(fs.readFileSync(path.join(dir, "poll.zip")))).toBe(true);
});

