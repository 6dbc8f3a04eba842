/**
 * MambuConnector against hostile or broken servers: response size cap (streamed, gzip bombs,
 * lying Content-Length), Retry-After bounds, the onRetry hook, and URL userinfo never printed.
 */
import nodeFetch, { Response } from "node-fetch";
import { Readable } from "stream";
import { inspect } from "util";
import * as zlib from "zlib";
import { MambuConfig } from "../../lib/config";
import { MambuCommError, MambuError, MambuTsError } from "../../lib/errors";
import { MambuConnector, RetryEvent, resolveBaseUrl, retryAfterMs, retryWait } from "../../lib/transport";
import { maskUrl } from "../../lib/cli/configview";
import { closedPort, closeLocalServers, sleepyConnector, startLocalServer } from "../helpers/local-server";

const PWD = "demo-p@ss:w/rd";

/** A connector over a hermetic config (`env`), password `PWD`; sleeps are recorded and resolve at once; jitter factor 0.5. */
const connector = (apiurl: string, extra: ConstructorParameters<typeof MambuConnector>[0] = {}, env: NodeJS.ProcessEnv = {}) =>
  sleepyConnector(apiurl, { apipwd: PWD, ...extra }, env);

afterEach(async () => {
  await closeLocalServers();
  jest.restoreAllMocks();
});

/** A JSON list body of exactly `n` bytes: `["xxxx…"]`. */
function jsonOfLength(n: number): string {
  return `["${"x".repeat(n - 4)}"]`;
}

describe("response size cap (maxResponseBytes)", () => {
  it("a body of exactly the cap is read; one byte more fails with a MambuCommError, not retried", async () => {
    const body = jsonOfLength(5000);
    const s = await startLocalServer((_n, _req, res) => {
      // chunked (no Content-Length): the cap must be enforced on the bytes as they arrive
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(body.slice(0, 2000));
      res.end(body.slice(2000));
    });
    const ok = await connector(s.url, { maxResponseBytes: 5000 }).c.request({ method: "GET", path: "/clients" });
    expect(ok.text).toBe(body);

    const { c, sleeps } = connector(s.url, { maxResponseBytes: 4999 });
    const err = await c.request({ method: "GET", path: "/clients", query: { limit: 5 } }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toBe(
      "response too large: Mambu sent more than 4999 bytes (GET /api/clients?limit=5, HTTP 200); raise maxResponseBytes (config maxresponsebytes) if this is expected",
    );
    expect(err).toMatchObject({ status: 200, method: "GET", url: "/api/clients?limit=5", attempts: 1 });
    expect(s.hits).toBe(2); // the failing request was sent once
    expect(sleeps).toEqual([]);
  });

  it("counts while streaming: an endless body is cut at the cap and destroyed, never buffered whole", async () => {
    let produced = 0;
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const endless = new Readable({
      read() {
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const fetch = jest.fn(async () => new Response(endless, { status: 200, headers: { "Content-Type": "application/json" } }));
    const { c } = connector("https://tenant.mambu.test", { fetch: fetch as unknown as typeof nodeFetch, maxResponseBytes: 1024 * 1024 });
    const err = await c.request({ method: "GET", path: "/loans" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(/^response too large: Mambu sent more than 1048576 bytes/);
    expect(endless.destroyed).toBe(true);
    // what was pulled from the stream: the cap, plus at most the stream's read-ahead
    expect(produced).toBeLessThanOrEqual(1024 * 1024 + 4 * chunk.length);
  });

  it("a gzip stream that never ends is cut after decompression and the connection is dropped", async () => {
    let closed!: Promise<void>;
    const s = await startLocalServer((_n, _req, res) => {
      closed = new Promise((resolve) => res.on("close", () => resolve()));
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
      const zeros = new Readable({
        read() {
          this.push(Buffer.alloc(64 * 1024, 0x20));
        },
      });
      const gzip = zlib.createGzip();
      zeros.pipe(gzip).pipe(res);
      res.on("close", () => {
        zeros.destroy();
        gzip.destroy();
      });
    });
    const { c } = connector(s.url, { maxResponseBytes: 2 * 1024 * 1024, retries: 0 });
    const err = await c.request({ method: "GET", path: "/clients" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(/^response too large: Mambu sent more than 2097152 bytes \(GET \/api\/clients, HTTP 200\)/);
    await closed; // the client aborted: the server's response was closed before it ended
  });

  it("the default cap (64 MiB) stops a gzip bomb (72 KB inflating to 96 MiB) with a MambuCommError", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(96 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200 * 1024);
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(bomb.length) });
      res.end(bomb);
    });
    const { c } = connector(s.url);
    expect(c.config.maxresponsebytes).toBe(64 * 1024 * 1024);
    const err = await c.request({ method: "GET", path: "/clients" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(/^response too large: Mambu sent more than 67108864 bytes/);
  });

  it("a Content-Length above the cap fails before the body is read", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "999999999999999" });
      res.write("[");
      // ...and never sends the rest: reading it would end in a timeout, not in this error
    });
    const { c } = connector(s.url, { retries: 0, timeout: 20_000 });
    const err = await c.request({ method: "GET", path: "/clients" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(/^response too large: Mambu announces more than 67108864 bytes \(GET \/api\/clients, HTTP 200\)/);
  });

  it("error bodies are capped too: an oversized 500 fails at once, without retrying", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(500, { "Content-Type": "text/html" });
      res.end("<html>" + "x".repeat(20_000) + "</html>");
    });
    const { c, sleeps } = connector(s.url, { maxResponseBytes: 10_000 });
    const err = await c.request({ method: "POST", path: "/clients", body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.status).toBe(500);
    expect(s.hits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("is configurable: config key maxresponsebytes (env MAMBU_API_MAXRESPONSEBYTES), connector option, per request", async () => {
    const body = jsonOfLength(3000);
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(body);
    });
    const fromEnv = connector(s.url, {}, { MAMBU_API_MAXRESPONSEBYTES: "2048" }).c;
    expect(fromEnv.config.maxresponsebytes).toBe(2048);
    await expect(fromEnv.request({ method: "GET", path: "/a" })).rejects.toThrow(/more than 2048 bytes/);
    expect((await fromEnv.request({ method: "GET", path: "/a", maxResponseBytes: 3000 })).text).toBe(body);
    const option = connector(s.url, { maxResponseBytes: 2999 }).c;
    await expect(option.request({ method: "GET", path: "/a" })).rejects.toThrow(/more than 2999 bytes/);

    const config = new MambuConfig({ env: { MAMBU_API_MAXRESPONSEBYTES: "1kb" }, rcFiles: [] });
    expect(() => config.maxresponsebytes).toThrow(/^maxresponsebytes must be a number of bytes between 1024 and \d+, got "1kb" \(from env MAMBU_API_MAXRESPONSEBYTES\)$/);
    expect(() => (config.maxresponsebytes = 10)).toThrow(/maxresponsebytes must be a number of bytes between 1024/);
    expect(() => new MambuConnector({ maxResponseBytes: 0 })).toThrow(MambuTsError);
    expect(() => new MambuConnector({ maxResponseBytes: 2 ** 40 })).toThrow(/maxResponseBytes must be an integer between 1 and/);
  });
});

describe("Retry-After bounds", () => {
  it("Retry-After: 0 and a date in the past still wait the backoff", async () => {
    const s = await startLocalServer((n, _req, res) => {
      if (n === 0) res.writeHead(429, { "Retry-After": "0" }).end();
      else if (n === 1) res.writeHead(503, { "Retry-After": "Wed, 01 May 2024 09:00:00 GMT" }).end();
      else res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
    const { c, sleeps } = connector(s.url);
    await c.request({ method: "GET", path: "/x" });
    expect(sleeps).toEqual([250, 500]);
  });

  it("a Retry-After within maxRetryAfter is waited in full; above it the request fails at once", async () => {
    const s = await startLocalServer((n, _req, res) => {
      res.writeHead(429, { "Content-Type": "application/json", "Retry-After": n === 0 ? "60" : "61" });
      res.end(JSON.stringify({ errors: [{ errorCode: 429, errorReason: "TOO_MANY_REQUESTS" }] }));
    });
    const { c, sleeps } = connector(s.url);
    const err = await c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(sleeps).toEqual([60_000]);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(/^Mambu asked to wait 61 s before retrying \(Retry-After\), more than maxRetryAfter \(60 s\)/);
    expect(err).toMatchObject({ status: 429, errorReason: "TOO_MANY_REQUESTS", attempts: 2 });
  });

  it("maxRetryAfter is a connector option; an absurd Retry-After is refused, never waited", async () => {
    const s = await startLocalServer((n, _req, res) => {
      res.writeHead(503, { "Retry-After": n === 0 ? "9".repeat(400) : "10" }).end();
    });
    const absurd = connector(s.url);
    const err = await absurd.c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err.message).toMatch(/^Mambu asked to wait an unbounded time before retrying/);
    expect(absurd.sleeps).toEqual([]);
    const short = connector(s.url, { maxRetryAfter: 5000 });
    const err2 = await short.c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err2.message).toMatch(/^Mambu asked to wait 10 s before retrying \(Retry-After\), more than maxRetryAfter \(5 s\)/);
    expect(err2.status).toBe(503);
    expect(short.sleeps).toEqual([]);
    expect(() => new MambuConnector({ maxRetryAfter: -1 })).toThrow(/maxRetryAfter must be/);
  });

  it("retryAfterMs is uncapped; retryWait never waits less than the backoff nor more than the bound", () => {
    const now = Date.parse("2024-05-01T10:00:00Z");
    expect(retryAfterMs("3600", now)).toBe(3_600_000);
    expect(retryAfterMs("0", now)).toBe(0);
    expect(retryAfterMs("Wed, 01 May 2024 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("9".repeat(400), now)).toBe(Infinity);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    const zero = () => 0;
    expect(retryWait(0, 0, { random: zero })).toEqual({ wait: 250 });
    expect(retryWait(2, 3000, { random: zero })).toEqual({ wait: 3000 });
    expect(retryWait(4, 3000, { random: zero })).toEqual({ wait: 4000 });
    expect(retryWait(0, 60_000, { random: zero })).toEqual({ wait: 60_000 });
    expect(retryWait(0, 60_001, { random: zero })).toEqual({ refused: 60_001 });
    expect(retryWait(0, Infinity, { random: zero, maxRetryAfter: 1000 })).toEqual({ refused: Infinity });
  });
});

describe("onRetry", () => {
  it("hears each retry of a refused connection (reason, wait, attempt), without credentials", async () => {
    const port = await closedPort();
    const events: RetryEvent[] = [];
    const { c, sleeps } = connector(`http://127.0.0.1:${port}`, { retries: 2, onRetry: (e) => events.push(e) });
    const err = await c.request({ method: "GET", path: "/clients", query: { limit: 5 } }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(events).toHaveLength(2);
    expect(events.map((e) => [e.method, e.url, e.attempt, e.attempts, e.delayMs])).toEqual([
      ["GET", "/api/clients?limit=5", 1, 3, 250],
      ["GET", "/api/clients?limit=5", 2, 3, 500],
    ]);
    expect(events[0].reason).toMatch(/ECONNREFUSED/);
    expect(events[0].status).toBeUndefined();
    expect(sleeps).toEqual([250, 500]);
    expect(JSON.stringify(events)).not.toContain(PWD);
  });

  it("hears Mambu's status; a listener that throws does not fail the request", async () => {
    const s = await startLocalServer((n, _req, res) =>
      n === 0 ? res.writeHead(503).end() : res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}'),
    );
    const events: RetryEvent[] = [];
    const { c } = connector(s.url, {
      onRetry: (e) => {
        events.push(e);
        throw new Error("listener bug");
      },
    });
    expect((await c.request({ method: "GET", path: "/x" })).body).toEqual({ ok: true });
    expect(events).toEqual([{ method: "GET", url: "/api/x", attempt: 1, attempts: 6, reason: "HTTP 503", status: 503, delayMs: 250 }]);
  });

  it("without onRetry or a logger, the library prints nothing while it retries", async () => {
    const port = await closedPort();
    const stderr = jest.spyOn(process.stderr, "write");
    const stdout = jest.spyOn(process.stdout, "write");
    const warn = jest.spyOn(console, "warn");
    const error = jest.spyOn(console, "error");
    const { c } = connector(`http://127.0.0.1:${port}`, { retries: 2 });
    await expect(c.request({ method: "GET", path: "/x" })).rejects.toBeInstanceOf(MambuCommError);
    expect([stderr, stdout, warn, error].map((s) => s.mock.calls.length)).toEqual([0, 0, 0, 0]);
  });
});

describe("credentials in URLs are never printed", () => {
  const URL_WITH_SECRET = "https://someone:p@ss@w0rd@tenant.mambu.com";

  it("inspect and JSON.stringify of a connector mask the apiurl's userinfo up to its last @", () => {
    const c = new MambuConnector({ apiurl: URL_WITH_SECRET, apiuser: "u", apipwd: "pw-secret" });
    const bare = new MambuConnector({ apiurl: "someone:p@ss@w0rd@tenant.mambu.com" });
    for (const text of [inspect(c), JSON.stringify(c), inspect(c, { showHidden: true, depth: 9 }), inspect(bare), JSON.stringify(bare)]) {
      expect(text).not.toMatch(/p@ss|w0rd|someone|pw-secret/);
    }
    expect(c.toJSON().apiurl).toBe("https://****@tenant.mambu.com");
    expect(bare.toJSON().apiurl).toBe("****@tenant.mambu.com");
  });

  it("inspect, JSON.stringify and describe() of a config mask a URL's userinfo (env, rc, code)", () => {
    const config = new MambuConfig({ env: { MAMBU_API_URL: URL_WITH_SECRET }, rcFiles: [] });
    config.set("reporturl", "https://bot:t0p@secret@reports.example.com/x");
    config.set("contact", "ops@bank.example.com");
    const texts = [inspect(config), JSON.stringify(config), JSON.stringify(config.describe()), inspect(config, { showHidden: true, depth: 9 })];
    for (const text of texts) expect(text).not.toMatch(/p@ss|w0rd|someone|t0p|bot:/);
    expect(config.toJSON()).toMatchObject({
      apiurl: "https://****@tenant.mambu.com",
      reporturl: "https://****@reports.example.com/x",
      contact: "ops@bank.example.com", // not a URL: left as it is
    });
    // the real value is still there for the connector (which refuses it)
    expect(config.apiurl).toBe(URL_WITH_SECRET);
    config.apiurl = "someone:p@ss@tenant.mambu.com";
    expect(config.toJSON().apiurl).toBe("****@tenant.mambu.com");
  });

  it("mambu config's masking covers a password holding @", () => {
    expect(maskUrl(URL_WITH_SECRET)).toBe("https://****@tenant.mambu.com");
    expect(maskUrl("https://tenant.mambu.com")).toBe("https://tenant.mambu.com");
  });

  it("errors about an apiurl never repeat its userinfo", async () => {
    for (const apiurl of [URL_WITH_SECRET, "https://someone:p@ss@w0rd@bad host", "someone:p@ss@w0rd@tenant.mambu.com", "ftp://someone:p@ss@w0rd@x"]) {
      let err: unknown;
      try {
        resolveBaseUrl(apiurl);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MambuTsError);
      expect(err).not.toBeInstanceOf(MambuError);
      expect(`${(err as Error).message} ${inspect(err)}`).not.toMatch(/p@ss|w0rd/);
    }
    const { c } = connector(URL_WITH_SECRET);
    const err = await c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err.message).toBe("apiurl must not contain credentials: use apiuser/apipwd or apikey");
  });
});
