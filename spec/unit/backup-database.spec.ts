/**
 * backupDatabase (lib/core/backup.ts) with its HTTP replaced (the `http` seam): how it learns that the backup is
 * ready (callback listener, polling LATEST), and that it never leaves a partial or unchecked file under the final
 * name — truncated, corrupt, aborted, timed out: nothing is left, an existing file is untouched.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { zipSync } from "fflate";
import { backupDatabase, BackupFailedError, BackupProgress, BackupTimeoutError, BackupZipError, MambuCommError, MambuTsError } from "../../lib";
import type { BackupHttp, LatestAnswer } from "../../lib/core/backup-http";
import { listenForBackupCallback } from "../../lib/core/backup-callback";

const SQL = Buffer.from("-- dump\nCREATE TABLE `client` (`encodedKey` VARCHAR(32) NOT NULL);\nINSERT INTO `client` (`encodedKey`) VALUES ('a'),('b');\n".repeat(200));
const ZIP = Buffer.from(zipSync({ "tenant.sql": [new Uint8Array(SQL), { level: 6 }] }));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mambu-backup-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function* chunks(buf: Buffer, size = 1000): AsyncIterable<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

function zipAnswer(zip: Buffer, headers: Record<string, string> = {}, body?: AsyncIterable<Uint8Array>): LatestAnswer {
  return { status: 200, headers: { "content-length": String(zip.length), ...headers }, body: body ?? chunks(zip) };
}

const notFound = (): LatestAnswer => ({ status: 404, headers: {}, body: chunks(Buffer.alloc(0)) });

/** An http whose LATEST answers come from `answers` in turn (the last one repeats). */
function fakeHttp(answers: Array<() => LatestAnswer>, onTrigger?: (cb?: string) => void): BackupHttp & { triggers: Array<string | undefined>; reads: number } {
  const h = {
    triggers: [] as Array<string | undefined>,
    reads: 0,
    async trigger(cb?: string) {
      h.triggers.push(cb);
      onTrigger?.(cb);
      return "QUEUED";
    },
    async latest() {
      const f = answers[Math.min(h.reads, answers.length - 1)]!;
      h.reads++;
      return f();
    },
  };
  return h;
}

const leftovers = (): string[] => fs.readdirSync(dir);

describe("backupDatabase by polling", () => {
  it("triggers, waits for a LATEST whose ETag differs from the one before the trigger, and downloads that answer", async () => {
    const http = fakeHttp([
      () => zipAnswer(ZIP, { etag: '"old"' }),
      () => zipAnswer(ZIP, { etag: '"old"' }),
      () => zipAnswer(ZIP, { etag: '"new"', "last-modified": "Thu, 15 Jan 2026 08:00:00 GMT" }),
    ]);
    const seen: BackupProgress[] = [];
    const out = path.join(dir, "tenant.zip");
    const r = await backupDatabase({ out, pollInterval: 1, onProgress: (p) => seen.push(p) }, http);
    expect(r).toEqual({ path: out, bytes: ZIP.length, via: "poll", lastModified: "Thu, 15 Jan 2026 08:00:00 GMT", entries: [{ name: "tenant.sql", size: SQL.length }] });
    expect(http.triggers).toEqual([undefined]);
    expect(http.reads).toBe(3);
    expect(fs.readFileSync(out).equals(ZIP)).toBe(true);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual(["tenant.zip"]);
    const downloads = seen.filter((p) => p.phase === "download");
    expect(downloads[downloads.length - 1]).toEqual({ phase: "download", bytes: ZIP.length, total: ZIP.length });
    expect(seen.map((p) => p.phase)).toEqual(expect.arrayContaining(["trigger", "waiting", "verify", "done"]));
  });

  it("cancels the answers it does not want (the old backup) after their headers, without reading them", async () => {
    let reads = 0;
    const cancelled: string[] = [];
    const answer = (etag: string): LatestAnswer => ({
      status: 200,
      headers: { "content-length": String(ZIP.length), etag },
      body: (async function* () {
        reads++;
        yield* chunks(ZIP);
      })(),
      cancel: () => cancelled.push(etag),
    });
    const http = fakeHttp([() => answer('"old"'), () => answer('"old"'), () => answer('"new"')]);
    const r = await backupDatabase({ out: path.join(dir, "c.zip"), pollInterval: 1 }, http);
    expect(r.bytes).toBe(ZIP.length);
    expect(cancelled).toEqual(['"old"', '"old"']);
    expect(reads).toBe(1); // only the new backup's body was read
  });

  it("takes the first LATEST when there was no backup before the trigger", async () => {
    const http = fakeHttp([notFound, notFound, () => zipAnswer(ZIP, { "last-modified": "x" })]);
    const r = await backupDatabase({ out: path.join(dir, "b.zip"), pollInterval: 1 }, http);
    expect(r.via).toBe("poll");
  });

  it("times out with the last status seen, and leaves nothing", async () => {
    const http = fakeHttp([notFound]);
    const e = await backupDatabase({ out: path.join(dir, "c.zip"), pollInterval: 5, timeout: 30 }, http).catch((x) => x);
    expect(e).toBeInstanceOf(BackupTimeoutError);
    expect(e.lastStatus).toBe("LATEST: HTTP 404 (no backup yet)");
    expect(e.via).toBe("poll");
    expect(e.message).toMatch(/not ready after 0 s \(waiting by poll\); last status: LATEST: HTTP 404/);
    expect(leftovers()).toEqual([]);
  });

  it("refuses to poll a tenant whose LATEST has neither ETag nor Last-Modified", async () => {
    const http = fakeHttp([() => zipAnswer(ZIP)]);
    await expect(backupDatabase({ out: path.join(dir, "d.zip"), pollInterval: 1 }, http)).rejects.toThrow(/neither ETag nor Last-Modified/);
    expect(http.triggers).toEqual([]);
  });
});

describe("backupDatabase never keeps a bad download", () => {
  const existing = (): string => {
    const out = path.join(dir, "tenant.zip");
    fs.writeFileSync(out, "the previous backup");
    return out;
  };

  it("refuses a truncated download (fewer bytes than Content-Length): no file, the old one untouched", async () => {
    const out = existing();
    const http = fakeHttp([() => zipAnswer(ZIP, {}, chunks(ZIP.subarray(0, ZIP.length - 100)))]);
    const e = await backupDatabase({ out, justDownload: true }, http).catch((x) => x);
    expect(e).toBeInstanceOf(MambuCommError);
    expect(e.message).toMatch(/stopped after \d+ of the \d+ bytes/);
    expect(fs.readFileSync(out, "utf8")).toBe("the previous backup");
    expect(leftovers()).toEqual(["tenant.zip"]);
  });

  it("refuses a zip cut short even when the length matches what was announced", async () => {
    const cut = ZIP.subarray(0, ZIP.length - 30);
    const e = await backupDatabase({ out: path.join(dir, "t.zip"), justDownload: true }, fakeHttp([() => zipAnswer(cut)])).catch((x) => x);
    expect(e).toBeInstanceOf(BackupZipError);
    expect(e.message).toMatch(/not a valid zip: no end of central directory record/);
    expect(leftovers()).toEqual([]);
  });

  it("refuses a corrupt zip (a flipped byte in the data fails the CRC or the inflation)", async () => {
    const bad = Buffer.from(ZIP);
    bad[60] = bad[60]! ^ 0xff;
    const e = await backupDatabase({ out: path.join(dir, "x.zip"), justDownload: true }, fakeHttp([() => zipAnswer(bad)])).catch((x) => x);
    expect(e).toBeInstanceOf(BackupZipError);
    expect(e.message).toMatch(/tenant\.sql/);
    expect(leftovers()).toEqual([]);
  });

  it("refuses a zip without a .sql dump", async () => {
    const other = Buffer.from(zipSync({ "readme.txt": new Uint8Array(Buffer.from("hello")) }));
    await expect(backupDatabase({ out: path.join(dir, "y.zip"), justDownload: true }, fakeHttp([() => zipAnswer(other)]))).rejects.toThrow(/no \.sql dump inside/);
    expect(leftovers()).toEqual([]);
  });

  it("leaves nothing when aborted in the middle of the download", async () => {
    const ac = new AbortController();
    async function* slow(): AsyncIterable<Uint8Array> {
      yield ZIP.subarray(0, 100);
      ac.abort();
      yield ZIP.subarray(100);
    }
    const e = await backupDatabase({ out: path.join(dir, "z.zip"), justDownload: true, signal: ac.signal }, fakeHttp([() => zipAnswer(ZIP, {}, slow())])).catch((x) => x);
    expect(e).toBeInstanceOf(MambuTsError);
    expect(e.message).toMatch(/aborted/);
    expect(leftovers()).toEqual([]);
  });

  it("says so when there is no backup to download", async () => {
    await expect(backupDatabase({ out: path.join(dir, "n.zip"), justDownload: true }, fakeHttp([notFound]))).rejects.toThrow(/no backup to download yet/);
  });

  it("checks its options before anything is sent", async () => {
    const http = fakeHttp([notFound]);
    await expect(backupDatabase({ out: path.join(dir, "missing", "a.zip") }, http)).rejects.toThrow(/does not exist/);
    await expect(backupDatabase({ out: dir }, http)).rejects.toThrow(/is a directory/);
    await expect(backupDatabase({ out: path.join(dir, "a.zip"), timeout: -1 }, http)).rejects.toThrow(/timeout must be a positive/);
    await expect(backupDatabase({ out: path.join(dir, "a.zip"), justDownload: true, callback: { port: 0 } }, http)).rejects.toThrow(/give one of them/);
    await expect(backupDatabase({ out: path.join(dir, "a.zip"), retries: 3 } as never, http)).rejects.toThrow(/unknown option "retries"/);
    await expect(backupDatabase({ out: path.join(dir, "a.zip"), callback: { port: 0, host: "0.0.0.0" } }, http)).rejects.toThrow(/publicUrl is needed/);
    expect(http.triggers).toEqual([]);
    expect(http.reads).toBe(0);
  });
});

describe("backupDatabase by callback", () => {
  const post = (url: string, body: string) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });

  it("gives Mambu a URL on the listening port, waits for its POST, then downloads LATEST", async () => {
    const http = fakeHttp([() => zipAnswer(ZIP, { "last-modified": "Thu, 15 Jan 2026 08:00:00 GMT" })], (cb) => {
      setImmediate(() => void post(cb!, JSON.stringify({ tenantId: "demo", result: "COMPLETE", domain: "demo.mambu.com", fileName: "demo-MANUAL-DATABASE-BACKUP" })));
    });
    const out = path.join(dir, "cb.zip");
    const r = await backupDatabase({ out, callback: { port: 0, host: "127.0.0.1" } }, http);
    expect(r.via).toBe("callback");
    expect(r.callback).toEqual({ result: "COMPLETE", tenantId: "demo", fileName: "demo-MANUAL-DATABASE-BACKUP" });
    expect(http.triggers[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mambu-backup\/[0-9a-f]{32}$/);
    expect(http.reads).toBe(1);
    expect(fs.readFileSync(out).equals(ZIP)).toBe(true);
    // the listener is closed once the backup is ready
    await expect(post(http.triggers[0]!, "{}")).rejects.toThrow();
  });

  it("uses publicUrl (what Mambu can reach) for the URL it gives", async () => {
    let given = "";
    const http = fakeHttp([() => zipAnswer(ZIP)], (cb) => (given = cb!));
    const e = await backupDatabase({ out: path.join(dir, "p.zip"), timeout: 20, callback: { port: 0, publicUrl: "https://hooks.example.com/mambu/" } }, http).catch((x) => x);
    expect(given).toMatch(/^https:\/\/hooks\.example\.com\/mambu\/mambu-backup\/[0-9a-f]{32}$/);
    expect(e).toBeInstanceOf(BackupTimeoutError);
    expect(e.lastStatus).toBe("no callback received at https://hooks.example.com/mambu/mambu-backup/…");
    expect(leftovers()).toEqual([]);
  });

  it("fails with BackupFailedError when Mambu's callback says ERROR", async () => {
    const http = fakeHttp([() => zipAnswer(ZIP)], (cb) => setImmediate(() => void post(cb!, JSON.stringify({ result: "ERROR" }))));
    const e = await backupDatabase({ out: path.join(dir, "e.zip"), callback: { port: 0 } }, http).catch((x) => x);
    expect(e).toBeInstanceOf(BackupFailedError);
    expect(e.result).toBe("ERROR");
    expect(http.reads).toBe(0);
  });

  it("answers 404 to anything but a POST on its token path, and is not fooled by it", async () => {
    const l = await listenForBackupCallback({ port: 0 });
    try {
      const base = l.url.replace(/\/mambu-backup\/.*$/, "");
      expect((await post(`${base}/mambu-backup/00000000000000000000000000000000`, "{}")).status).toBe(404);
      expect((await fetch(l.url)).status).toBe(404);
      expect((await post(l.url, "x".repeat(20000))).status).toBe(413);
      expect(l.hits()).toBe(1);
      expect((await post(l.url, JSON.stringify({ result: "COMPLETE" }))).status).toBe(200);
      await expect(l.received).resolves.toEqual({ result: "COMPLETE" });
    } finally {
      await l.close();
    }
  });
});
