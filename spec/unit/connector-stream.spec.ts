/**
 * MambuConnector.stream against a real local HTTP server: a successful answer's body comes back unread, in chunks,
 * whatever its size (no cap, no buffering); retries until the headers arrive; refusals as `request` throws them;
 * the timeout stops at the headers; abort and cancel stop the transfer.
 */
import * as http from "http";
import { MambuCommError, MambuError, MambuTsError } from "../../lib/errors";
import { closeLocalServers, sleepyConnector, startLocalServer } from "../helpers/local-server";

afterEach(closeLocalServers);

const MB = 1024 * 1024;

async function readAll(body: AsyncIterable<Buffer>): Promise<{ bytes: number; chunks: number }> {
  let bytes = 0;
  let chunks = 0;
  for await (const c of body) {
    bytes += c.length;
    chunks++;
  }
  return { bytes, chunks };
}

describe("stream", () => {
  it("hands back a body larger than maxResponseBytes in chunks, after retrying a 503, with the credentials sent", async () => {
    const body = Buffer.alloc(5 * MB, 7);
    const s = await startLocalServer((n, _req, res) => {
      if (n === 0) {
        res.writeHead(503, { "Content-Type": "application/vnd.mambu.v2+json" }).end('{"errors":[]}');
        return;
      }
      res.writeHead(200, { "Content-Type": "application/vnd.mambu.v2+zip", "Content-Length": String(body.length), ETag: '"b1"' });
      res.end(body);
    });
    const { c, sleeps } = sleepyConnector(s.url, { maxResponseBytes: 1024 * 1024 });
    const r = await c.stream({ method: "GET", path: "/database/backup/LATEST", accept: "application/vnd.mambu.v2+zip" });
    expect(r.status).toBe(200);
    expect(r.headers).toMatchObject({ "content-length": String(body.length), etag: '"b1"' });
    const got = await readAll(r.body);
    expect(got.bytes).toBe(body.length);
    expect(got.chunks).toBeGreaterThan(1);
    expect(sleeps).toHaveLength(1);
    expect(s.seen.map((x) => [x.method, x.url, x.headers.accept, x.headers.authorization?.startsWith("Basic ")])).toEqual([
      ["GET", "/api/database/backup/LATEST", "application/vnd.mambu.v2+zip", true],
      ["GET", "/api/database/backup/LATEST", "application/vnd.mambu.v2+zip", true],
    ]);
  });

  it("throws Mambu's refusal as request does (404 with its reason), without retrying it", async () => {
    const s = await startLocalServer((_n, _req, res) =>
      res.writeHead(404, { "Content-Type": "application/vnd.mambu.v2+json" }).end('{"errors":[{"errorCode":3731,"errorReason":"DATABASE_BACKUP_NOT_FOUND"}]}'),
    );
    const { c } = sleepyConnector(s.url);
    const e = await c.stream({ method: "GET", path: "/database/backup/LATEST" }).catch((x) => x);
    expect(e).toBeInstanceOf(MambuError);
    expect(e).toMatchObject({ status: 404, errorReason: "DATABASE_BACKUP_NOT_FOUND" });
    expect(s.hits).toBe(1);
  });

  it("the timeout covers the wait for the headers and for each next bytes, not a body that takes longer in all", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.write(Buffer.alloc(10));
      let sent = 0;
      const t = setInterval(() => {
        res.write(Buffer.alloc(10));
        if (++sent === 3) {
          clearInterval(t);
          res.end();
        }
      }, 400);
    });
    const { c } = sleepyConnector(s.url, { timeout: 1000, retries: 0 });
    const r = await c.stream({ method: "GET", path: "/slow" });
    expect((await readAll(r.body)).bytes).toBe(40);
  });

  it("an abort in the middle of the body rejects the reading with an abort error", async () => {
    let serverSaw: "close" | undefined;
    const s = await startLocalServer((_n, req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.write(Buffer.alloc(1000));
      req.socket.on("close", () => (serverSaw = "close"));
    });
    const { c } = sleepyConnector(s.url, { retries: 0 });
    const ac = new AbortController();
    const r = await c.stream({ method: "GET", path: "/endless", signal: ac.signal });
    const reading = readAll(r.body);
    setTimeout(() => ac.abort(), 20);
    const e = await reading.catch((x) => x);
    expect(e).toBeInstanceOf(MambuTsError);
    expect(e).not.toBeInstanceOf(MambuError);
    expect(e.message).toMatch(/aborted by the caller/);
    await new Promise((res) => setTimeout(res, 50));
    expect(serverSaw).toBe("close");
  });

  it("cancel() after the headers stops the transfer without reading the body", async () => {
    let closed = false;
    const s = await startLocalServer((_n, req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.write(Buffer.alloc(1000));
      req.socket.on("close", () => (closed = true));
    });
    const { c } = sleepyConnector(s.url, { retries: 0 });
    const r = await c.stream({ method: "GET", path: "/big" });
    r.cancel();
    for (let i = 0; i < 50 && !closed; i++) await new Promise((res) => setTimeout(res, 10));
    expect(closed).toBe(true);
  });

  it("a body that breaks off is a MambuCommError (not retried: the caller knows what it has)", async () => {
    const s = await startLocalServer((_n, req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": "100000" });
      res.write(Buffer.alloc(1000));
      setTimeout(() => req.socket.destroy(), 20);
    });
    const { c } = sleepyConnector(s.url, { timeout: 300 });
    const r = await c.stream({ method: "GET", path: "/cut" });
    const e = await readAll(r.body).catch((x) => x);
    expect(e).toBeInstanceOf(MambuCommError);
    expect(e.message).toMatch(/the answer (broke off|stopped: no data for 300 ms)/);
    expect(s.hits).toBe(1);
  });
});

void http;
