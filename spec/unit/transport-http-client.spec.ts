/**
 * The HTTP client of a migration run (lib/transport/http-client.ts): what the connector relies on of node-fetch —
 * headers it adds, compressed answers inflated, redirects handed back, aborts and broken connections
 * failing as the connector's retry rules expect — against a server on 127.0.0.1.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import * as zlib from "zlib";
import { MambuConnector } from "../../lib/transport";
import { MambuConfig } from "../../lib/config";
import { isRetryableNetworkError } from "../../lib/transport/retrypolicy";
import { AbortError, httpFetch } from "../../lib/transport/http-client";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
let handler: Handler;
const agent = new http.Agent({ keepAlive: true });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  agent.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const read = async (body: AsyncIterable<unknown>): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
};

it("sends the method, headers and body, with Content-Length and Accept-Encoding as node-fetch does", async () => {
  const seen: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  handler = (req, body, res) => {
    seen.push({ method: req.method, headers: req.headers, body });
    res.writeHead(201, { "Content-Type": "application/json", "X-Two": ["a", "b"] });
    res.end('{"encodedKey":"k1"}');
  };
  const res = await httpFetch(`${base}/api/clients?x=1`, { method: "POST", headers: { Accept: "application/vnd.mambu.v2+json", "Idempotency-Key": "k" }, body: '{"id":"Peña"}', agent });
  expect(res.status).toBe(201);
  expect(res.ok).toBe(true);
  expect(res.headers.get("content-type")).toBe("application/json");
  expect(res.headers.get("X-Two")).toBe("a, b");
  const names: string[] = [];
  res.headers.forEach((_v, k) => names.push(k));
  expect(names).toEqual(expect.arrayContaining(["content-type", "x-two"]));
  expect(await read(res.body)).toBe('{"encodedKey":"k1"}');
  expect(seen[0].method).toBe("POST");
  expect(seen[0].body).toBe('{"id":"Peña"}');
  expect(seen[0].headers["content-length"]).toBe(String(Buffer.byteLength('{"id":"Peña"}')));
  expect(seen[0].headers["accept-encoding"]).toBe("gzip,deflate");
  expect(seen[0].headers.accept).toBe("application/vnd.mambu.v2+json");
  expect(seen[0].headers["idempotency-key"]).toBe("k");
  // a POST without a body says so; a GET gets Accept */* when none is given
  await (await httpFetch(`${base}/api/x`, { method: "POST", agent })).text();
  expect(seen[1].headers["content-length"]).toBe("0");
  await (await httpFetch(`${base}/api/x`, { agent })).text();
  expect(seen[2].method).toBe("GET");
  expect(seen[2].headers.accept).toBe("*/*");
});

it("inflates gzip, deflate (zlib or raw) and br answers", async () => {
  const text = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: `C${i}`, name: "García" })) });
  const bodies: Record<string, Buffer> = {
    gzip: zlib.gzipSync(text),
    deflate: zlib.deflateSync(text),
    "deflate-raw": zlib.deflateRawSync(text),
    br: zlib.brotliCompressSync(text),
  };
  handler = (req, _body, res) => {
    const kind = req.url!.slice(1);
    res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": kind === "deflate-raw" ? "deflate" : kind });
    res.end(bodies[kind]);
  };
  for (const kind of Object.keys(bodies)) {
    const res = await httpFetch(`${base}/${kind}`, { agent });
    expect([kind, await read(res.body)]).toEqual([kind, text]);
  }
});

it("hands a redirect back as it is, never following it", async () => {
  handler = (_req, _body, res) => {
    res.writeHead(302, { Location: "http://elsewhere.invalid/" });
    res.end();
  };
  const res = await httpFetch(`${base}/moved`, { redirect: "manual", agent });
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe("http://elsewhere.invalid/");
  await res.text();
});

it("fails with an AbortError when the signal aborts, before or while the answer comes", async () => {
  handler = () => undefined; // never answers
  const early = new AbortController();
  early.abort();
  await expect(httpFetch(`${base}/hang`, { signal: early.signal, agent })).rejects.toBeInstanceOf(AbortError);
  const c = new AbortController();
  const pending = httpFetch(`${base}/hang`, { signal: c.signal, agent });
  setTimeout(() => c.abort(), 20);
  await expect(pending).rejects.toMatchObject({ name: "AbortError", type: "aborted" });
  // an answer whose body is under way: the body fails
  handler = (_req, _body, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write("[1,");
  };
  const c2 = new AbortController();
  const res = await httpFetch(`${base}/slow`, { signal: c2.signal, agent });
  const reading = read(res.body);
  c2.abort();
  await expect(reading).rejects.toMatchObject({ name: "AbortError" });
});

it("fails with Node's network errors, which the connector retries: refused, and an answer cut short", async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = await httpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
  expect(refused).toMatchObject({ code: "ECONNREFUSED" });
  expect(isRetryableNetworkError(refused)).toBe(true);

  handler = (_req, _body, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
    res.write('{"partial":');
    setTimeout(() => res.socket?.destroy(), 10);
  };
  const res = await httpFetch(`${base}/cut`, { agent });
  const cut = await read(res.body).catch((e: unknown) => e);
  expect(isRetryableNetworkError(cut)).toBe(true);
});

it("refuses a URL that is not absolute http(s)", async () => {
  await expect(httpFetch("/api/clients")).rejects.toThrow("Only absolute URLs are supported");
  await expect(httpFetch("ftp://127.0.0.1/x")).rejects.toThrow("Only HTTP(S) protocols are supported");
});

it("serves the connector: JSON answers read and parsed, errors as MambuError, a cut answer retried", async () => {
  let calls = 0;
  handler = (req, _body, res) => {
    calls++;
    if (req.url === "/api/flaky" && calls === 1) {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "50" });
      res.write("[");
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    if (req.url === "/api/missing") {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end('{"errors":[{"errorCode":301,"errorReason":"INVALID_CLIENT_ID"}]}');
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
    res.end(zlib.gzipSync('[{"id":"C1"}]'));
  };
  const conn = new MambuConnector({ apiurl: base, apiuser: "demo", apipwd: "demo-password", config: new MambuConfig({ env: {}, rcFiles: [] }), fetch: httpFetch as never, sleep: async () => undefined });
  try {
    expect((await conn.request({ method: "GET", path: "/flaky" })).body).toEqual([{ id: "C1" }]);
    expect(calls).toBe(2);
    await expect(conn.request({ method: "GET", path: "/missing" })).rejects.toMatchObject({ status: 404, errorReason: "INVALID_CLIENT_ID" });
  } finally {
    conn.close();
  }
});
