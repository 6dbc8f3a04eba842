/** MambuConnector against a real local HTTP server: retries, Retry-After, resets, timeouts, exhaustion. */
import * as http from "http";
import type nodeFetch from "node-fetch";
import { MambuCommError, MambuError, MambuTsError } from "../../lib/errors";
import { MambuConnector, backoffDelay, isV4Uuid, parseRetryAfter } from "../../lib/transport";
import { closedPort, closeLocalServers, sleepyConnector, startLocalServer } from "../helpers/local-server";

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/vnd.mambu.v2+json", ...headers });
  res.end(JSON.stringify(body));
}

/** A connector to `apiurl` whose sleeps are recorded and resolve at once; jitter fixed at 0 (factor 0.5). */
const connector = (apiurl: string, extra: Partial<ConstructorParameters<typeof MambuConnector>[0]> = {}) => sleepyConnector(apiurl, extra);

afterEach(closeLocalServers);

describe("retries", () => {
  it("429 with Retry-After, then 200: waits at least Retry-After", async () => {
    const s = await startLocalServer((n, _req, res) =>
      n === 0
        ? json(res, 429, { errors: [{ errorCode: 429, errorReason: "TOO_MANY_REQUESTS" }] }, { "Retry-After": "3" })
        : json(res, 200, { id: "1" }),
    );
    const { c, sleeps } = connector(s.url);
    const res = await c.request({ method: "GET", path: "/clients/1" });
    expect(res.body).toEqual({ id: "1" });
    expect(s.seen).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
  });

  it("503 then 200: one backoff wait", async () => {
    const s = await startLocalServer((n, _req, res) => (n === 0 ? json(res, 503, {}) : json(res, 200, [])));
    const { c, sleeps } = connector(s.url);
    const res = await c.request({ method: "GET", path: "/loans" });
    expect(res.status).toBe(200);
    expect(sleeps).toEqual([250]);
  });

  it("500 on a POST is retried with the same Idempotency-Key; 400 is not retried", async () => {
    const s = await startLocalServer((n, _req, res) => {
      if (n === 0) json(res, 500, { errors: [{ errorCode: 500, errorReason: "INTERNAL_ERROR" }] });
      else if (n === 1) json(res, 201, { id: "C1" });
      else json(res, 400, { errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS" }] });
    });
    const { c, sleeps } = connector(s.url);
    const res = await c.request({ method: "POST", path: "/clients", body: { firstName: "Ana" } });
    expect(res.status).toBe(201);
    const keys = s.seen.map((r) => r.headers["idempotency-key"]);
    expect(isV4Uuid(keys[0])).toBe(true);
    expect(keys[1]).toBe(keys[0]);
    expect(s.seen[1].body).toBe('{"firstName":"Ana"}');
    const err = await c.request({ method: "POST", path: "/clients", body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err).not.toBeInstanceOf(MambuCommError);
    expect(err.message).toBe("4 (400) - INVALID_PARAMETERS");
    expect(s.seen).toHaveLength(3);
    expect(sleeps).toHaveLength(1);
  });

  it("a connection reset (the server destroys the socket), then 200, with the same Idempotency-Key", async () => {
    const s = await startLocalServer((n, req, res) => (n === 0 ? req.socket.destroy() : json(res, 201, { ok: true })));
    const { c, sleeps } = connector(s.url);
    const res = await c.request({ method: "PATCH", path: "/loans/L1", body: [{ op: "REPLACE", path: "/x", value: 1 }] });
    expect(res.body).toEqual({ ok: true });
    expect(s.seen).toHaveLength(2);
    expect(s.seen[1].headers["idempotency-key"]).toBe(s.seen[0].headers["idempotency-key"]);
    expect(sleeps).toEqual([250]);
  });

  it("a timeout (the server never answers), then success", async () => {
    const s = await startLocalServer((n, _req, res) => {
      if (n > 0) json(res, 200, { id: "late" });
      // n === 0: never answer
    });
    const { c, sleeps } = connector(s.url, { timeout: 200 });
    const started = Date.now();
    const res = await c.request({ method: "GET", path: "/clients/1" });
    expect(res.body).toEqual({ id: "late" });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(s.seen).toHaveLength(2);
    expect(sleeps).toEqual([250]);
  });

  it("the timeout covers the body too (headers sent, body stalls)", async () => {
    const s = await startLocalServer((n, _req, res) => {
      if (n === 0) {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write('{"id":');
      } else json(res, 200, { id: "2" });
    });
    const { c } = connector(s.url, { timeout: 200 });
    const res = await c.request({ method: "GET", path: "/clients/2" });
    expect(res.body).toEqual({ id: "2" });
    expect(s.seen).toHaveLength(2);
  });

  it("exhausted retries → MambuCommError keeping the last status and Mambu error; same key every attempt", async () => {
    const s = await startLocalServer((n, _req, res) =>
      json(res, 503, { errors: [{ errorCode: 503 + n, errorReason: "SERVICE_UNAVAILABLE" }] }),
    );
    const { c, sleeps } = connector(s.url, { retries: 3 });
    const err = await c.request({ method: "POST", path: "/loans/L1:disburse", body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toBe("Mambu kept failing after 4 attempts (POST /api/loans/L1:disburse): 506 (503) - SERVICE_UNAVAILABLE");
    expect(err).toMatchObject({ status: 503, errorCode: 506, errorReason: "SERVICE_UNAVAILABLE", attempts: 4, method: "POST" });
    expect(err.errors).toEqual([{ errorCode: 506, errorReason: "SERVICE_UNAVAILABLE" }]);
    expect(s.seen).toHaveLength(4);
    expect(new Set(s.seen.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it("uses the configured retries (default 5, so 6 attempts)", async () => {
    const s = await startLocalServer((_n, _req, res) => json(res, 502, {}));
    const { c, sleeps } = connector(s.url);
    const err = await c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.attempts).toBe(6);
    expect(s.seen).toHaveLength(6);
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000]);
  });

  it("sends every request of a connector through one keep-alive agent", async () => {
    // (nock, loaded for every test, re-creates passthrough sockets, so the agent is checked instead.)
    const s = await startLocalServer((_n, _req, res) => json(res, 200, {}));
    const realFetch = jest.requireActual("node-fetch") as typeof nodeFetch;
    const fetch = jest.fn((url: string, init: Parameters<typeof nodeFetch>[1]) => realFetch(url, init));
    const { c } = connector(s.url, { fetch: fetch as unknown as typeof nodeFetch });
    await c.request({ method: "GET", path: "/a" });
    await c.request({ method: "GET", path: "/b" });
    const agents = fetch.mock.calls.map(([, init]) => init?.agent as http.Agent & { keepAlive?: boolean });
    expect(agents[0]).toBeInstanceOf(http.Agent);
    expect(agents[1]).toBe(agents[0]);
    expect(agents[0].keepAlive).toBe(true);
    expect(agents[0].maxSockets).toBe(16);
    expect(fetch.mock.calls[0][1]?.redirect).toBe("manual");
  });
});

describe("unreachable Mambu", () => {
  it("ECONNREFUSED with retries 0 → MambuCommError after 1 attempt", async () => {
    const port = await closedPort();
    const { c, sleeps } = connector(`http://127.0.0.1:${port}`, { retries: 0 });
    const err = await c.request({ method: "GET", path: "/clients/0512N0025", query: { detailsLevel: "BASIC" } }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(
      new RegExp(`^Unknown comm error with Mambu: GET http://127\\.0\\.0\\.1:${port}/api/clients/0512N0025\\?detailsLevel=BASIC failed after 1 attempt: .*ECONNREFUSED`),
    );
    expect(err.attempts).toBe(1);
    expect(err.status).toBeUndefined();
    expect((err.cause as { code?: string }).code).toBe("ECONNREFUSED");
    expect(sleeps).toEqual([]);
  });

  it("ECONNREFUSED is retried when retries allow", async () => {
    const port = await closedPort();
    const { c, sleeps } = connector(`http://127.0.0.1:${port}`, { retries: 2 });
    const err = await c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toContain("failed after 3 attempts");
    expect(sleeps).toHaveLength(2);
  });

  it("a DNS failure (ENOTFOUND) fails fast, without retries", async () => {
    const fetch = jest.fn(async () => {
      throw Object.assign(new Error("request to https://blahblahblah/api/clients failed, reason: getaddrinfo ENOTFOUND blahblahblah"), {
        name: "FetchError",
        type: "system",
        code: "ENOTFOUND",
        errno: "ENOTFOUND",
      });
    });
    const { c, sleeps } = connector("BLAHBLAHBLAH", { fetch: fetch as unknown as typeof nodeFetch });
    const err = await c.request({ method: "GET", path: "/clients" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toBe(
      "Unknown comm error with Mambu: GET https://blahblahblah/api/clients failed after 1 attempt: getaddrinfo ENOTFOUND blahblahblah",
    );
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it("a caller's abort stops the request and its retries", async () => {
    const s = await startLocalServer(() => undefined);
    const { c } = connector(s.url, { timeout: 10_000 });
    const ac = new AbortController();
    const pending = c.request({ method: "GET", path: "/slow", signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err).not.toBeInstanceOf(MambuError);
    expect(err.message).toBe("request aborted by the caller: GET /api/slow");
    expect(s.seen).toHaveLength(1);
  });
});

describe("backoff and Retry-After", () => {
  it("doubles from 500 ms up to 8 s, scaled by jitter in [0.5, 1)", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect([0, 4, 10].map((n) => backoffDelay(n, () => 0.999999))).toEqual([500, 8000, 8000]);
  });

  it("reads seconds or an HTTP-date, capped at 60 s", () => {
    const now = Date.parse("2024-05-01T10:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 01 May 2024 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 01 May 2024 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("3600", now)).toBe(60000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("a Retry-After above 60 s is not waited for: the request fails at once with Mambu's 429", async () => {
    const s = await startLocalServer((n, _req, res) =>
      n === 0
        ? json(res, 429, { errors: [{ errorCode: 429, errorReason: "TOO_MANY_REQUESTS" }] }, { "Retry-After": "86400" })
        : json(res, 200, {}),
    );
    const { c, sleeps } = connector(s.url);
    const err = await c.request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toBe(
      "Mambu asked to wait 86400 s before retrying (Retry-After), more than maxRetryAfter (60 s), so the request was not retried (GET /api/x): 429 (429) - TOO_MANY_REQUESTS",
    );
    expect(err).toMatchObject({ status: 429, errorCode: 429, errorReason: "TOO_MANY_REQUESTS", attempts: 1 });
    expect(sleeps).toEqual([]);
    expect(s.seen).toHaveLength(1);
  });
});
