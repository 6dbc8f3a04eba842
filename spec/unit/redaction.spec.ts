/** No credential in any message, log line, stack, JSON or inspection — even when the server echoes it. */
import * as http from "http";
import { AddressInfo } from "net";
import nock from "nock";
import type nodeFetch from "node-fetch";
import { inspect } from "util";
import { MambuConfig } from "../../lib/config";
import { MambuTsError } from "../../lib/errors";
import { MambuConnector, RequestOptions, TransportLogger, redact } from "../../lib/transport";

const USER = "migrator";
const PWD = "Sup3r-S3cret!pw/+=";
const KEY = "ak-L1ve-0123456789abcdef";
const TOKEN = Buffer.from(`${USER}:${PWD}`).toString("base64");
const FORBIDDEN = [PWD, KEY, TOKEN, encodeURIComponent(PWD), JSON.stringify(PWD).slice(1, -1)];

/** Every text a user or a log could see of a thrown error. */
function exposures(err: unknown): string[] {
  const e = err as Error;
  return [
    e.message,
    String(e.stack),
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    inspect((e as { cause?: unknown }).cause, { depth: 10, showHidden: true }),
    String(e),
  ];
}

function expectClean(texts: string[]): void {
  for (const text of texts) for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
}

let server: http.Server;
let base: string;

beforeAll(async () => {
  // A hostile server that echoes credentials back in every way it can.
  server = http.createServer((req, res) => {
    const auth = String(req.headers.authorization ?? req.headers.apikey ?? "");
    const decoded = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString() : auth;
    const pwd = decoded.includes(":") ? decoded.slice(decoded.indexOf(":") + 1) : decoded;
    const route = (req.url ?? "").replace(/^\/api/, "").split("?")[0];
    const send = (status: number, body: string, type = "application/json", headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": type, ...headers });
      res.end(body);
    };
    switch (route) {
      case "/401":
        return send(401, JSON.stringify({ errors: [{ errorCode: 2, errorReason: `INVALID_CREDENTIALS ${pwd}`, errorSource: auth, extra: { echo: pwd } }] }));
      case "/404":
        return send(404, JSON.stringify({ errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }] }));
      case "/502":
        return send(502, `<html><pre>Authorization: ${auth}\npassword=${encodeURIComponent(pwd)}</pre></html>`, "text/html");
      case "/403":
        return send(403, `<html>denied for ${auth} / ${pwd}</html>`, "text/html");
      case "/429":
        return send(429, JSON.stringify({ errors: [{ errorCode: 429, errorReason: pwd }] }), "application/json", { "Retry-After": "1" });
      case "/malformed":
        return send(200, `{"echo": "${auth}", "pwd": ${JSON.stringify(pwd)}`);
      case "/html200":
        return send(200, `<html>${auth}</html>`, "text/html");
      case "/redirect":
        return send(302, "", "text/plain", { Location: `https://evil.example/?p=${encodeURIComponent(pwd)}` });
      case "/reset":
        return req.socket.destroy();
      case "/hang":
        return undefined;
      default:
        return send(200, JSON.stringify({ ok: true }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => nock.cleanAll());

interface Captured {
  lines: string[];
  logger: TransportLogger;
}

function capture(): Captured {
  const lines: string[] = [];
  const record = (msg: string, meta?: Record<string, unknown>) => {
    lines.push(msg, JSON.stringify(meta), inspect(meta, { depth: 10 }));
  };
  return { lines, logger: { debug: record, warn: record } };
}

function connectors(apiurl: string, extra: Partial<ConstructorParameters<typeof MambuConnector>[0]> = {}) {
  const cap = capture();
  const config = new MambuConfig({
    env: { MAMBU_API_URL: apiurl, MAMBU_API_USER: USER, MAMBU_API_PWD: PWD },
    rcFiles: [],
    warn: () => undefined,
  });
  const common = { config, logger: cap.logger, sleep: async () => undefined, retries: 1, timeout: 300, ...extra };
  const basic = new MambuConnector(common);
  const keyed = new MambuConnector({ ...common, apikey: KEY });
  return { cap, all: [basic, keyed] };
}

describe("redaction", () => {
  it("keeps credentials out of every error and log line of every failure path", async () => {
    const { cap, all } = connectors(base);
    const requests: RequestOptions[] = [
      { method: "GET", path: "/401" },
      { method: "GET", path: "/404" },
      { method: "GET", path: "/502" },
      { method: "GET", path: "/403" },
      { method: "GET", path: "/429" },
      { method: "GET", path: "/malformed" },
      { method: "GET", path: "/html200" },
      { method: "GET", path: "/redirect" },
      { method: "POST", path: "/reset", body: {} },
      { method: "GET", path: "/hang" },
      { method: "POST", path: "/x", body: {}, idempotencyKey: "not-a-uuid" },
      { method: "GET", path: "/x", headers: { Authorization: `Basic ${TOKEN}` } },
    ];
    const errors: unknown[] = [];
    for (const c of all) {
      for (const req of requests) errors.push(await c.request(req).catch((e) => e));
      const ok = await c.request({ method: "GET", path: "/ok" });
      expectClean([JSON.stringify(ok), inspect(ok)]);
    }
    expect(errors.filter((e) => e instanceof MambuTsError)).toHaveLength(requests.length * 2);
    for (const err of errors) expectClean(exposures(err));
    expect(cap.lines.length).toBeGreaterThan(20);
    expectClean(cap.lines);
    // The redacted texts are still informative.
    const first = errors[0] as Error;
    expect(first.message).toBe("2 (401) - INVALID_CREDENTIALS **** (Basic ****)");
    expect((errors[2] as { bodyExcerpt: string }).bodyExcerpt).toContain("Authorization: Basic ****");
    for (const c of all) c.close();
  });

  it("redacts network errors: refused connections, unknown hosts, and errors that quote the request", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = connectors(`http://127.0.0.1:${port}`, { retries: 0 });

    // A fetch that fails with the request's headers in its message, as some libraries do.
    const leaky = jest.fn(async (_url: string, init: { headers: Record<string, string> }) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND while sending ${JSON.stringify(init.headers)}`), { code: "ENOTFOUND" });
    });
    const dns = connectors("blahblahblah.example", { fetch: leaky as unknown as typeof nodeFetch });

    // nock's own "no match" error lists the request headers, Authorization included.
    nock("https://tenant.mambu.example").get("/api/other").reply(200, {});
    const nocked = connectors("tenant.mambu.example");

    const errors: unknown[] = [];
    for (const c of [...refused.all, ...dns.all, ...nocked.all]) {
      errors.push(await c.request({ method: "GET", path: "/clients" }).catch((e) => e));
      c.close();
    }
    expect(errors.every((e) => e instanceof MambuTsError)).toBe(true);
    expect(String((errors[2] as Error).message)).toContain("ENOTFOUND");
    for (const err of errors) expectClean(exposures(err));
    expectClean([...refused.cap.lines, ...dns.cap.lines, ...nocked.cap.lines]);
  });

  it("keeps credentials out of configuration errors", async () => {
    const config = new MambuConfig({
      env: { MAMBU_API_URL: "http://tenant.mambu.com", MAMBU_API_USER: USER, MAMBU_API_PWD: PWD, MAMBU_API_PAGINATION: "x" },
      rcFiles: [],
    });
    const c = new MambuConnector({ config, apikey: KEY });
    const errors = [
      await c.request({ method: "GET", path: "/clients" }).catch((e) => e),
      (() => {
        try {
          return config.apipagination;
        } catch (e) {
          return e;
        }
      })(),
      await new MambuConnector({ config, apiurl: `https://${USER}:${PWD}@tenant.mambu.com` })
        .request({ method: "GET", path: "/x" })
        .catch((e) => e),
    ];
    expect(errors.every((e) => e instanceof MambuTsError)).toBe(true);
    for (const err of errors) expectClean(exposures(err));
    expectClean([inspect(config), JSON.stringify(config), inspect(c), JSON.stringify(c)]);
  });
});

describe("redact()", () => {
  it("replaces each secret, its URL-encoded and JSON-escaped forms", () => {
    const pwd = 'p@ss "word"/';
    const text = `a ${pwd} b ${encodeURIComponent(pwd)} c ${JSON.stringify(pwd)}`;
    expect(redact(text, [pwd])).toBe('a **** b **** c "****"');
  });

  it("replaces longer secrets first and ignores empty, missing or very short ones", () => {
    expect(redact("token=abcdef123456 pwd=abcdef", ["abcdef", "abcdef123456"])).toBe("token=**** pwd=****");
    expect(redact("2 (401) - x", ["", undefined, null, "2", "x"])).toBe("2 (401) - x");
  });
});
