/** Test helpers: a hermetic connector (its own config: no rc files, no environment) and nock scopes. */
import nock from "nock";
import { readFileSync } from "fs";
import { join } from "path";
import { MambuConfig, MambuConnector } from "../../lib";

export const HOST = "https://tenant.mambu.test";
export const PASSWORD = "pw-S3cr3t!";

/** A connector over a config that reads nothing from the machine; retries wait no time. */
export function testConnector(overrides: Record<string, string | number> = {}): MambuConnector {
  const config = new MambuConfig({ env: {}, rcFiles: [] });
  config.apiurl = "tenant.mambu.test";
  config.apiuser = "api.user";
  config.apipwd = PASSWORD;
  config.concurrency = 1;
  for (const [k, v] of Object.entries(overrides)) config.set(k, v);
  return new MambuConnector({ config, sleep: async () => {} });
}

/** A fixture file's text. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, "..", "fixtures", name), "utf8");
}

/** A fixture as an object (for building variants). */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** The nock scope of the test tenant. */
export function mambu(): nock.Scope {
  return nock(HOST);
}

/** Captures the raw body text and headers of the next matching request. */
export interface Captured {
  body?: string;
  headers?: Record<string, string | string[] | undefined>;
  path?: string;
}

/** A reply function that records the raw request, then answers with status and body. */
export function capture(into: Captured, status: number, body?: unknown): (this: nock.ReplyFnContext, uri: string, reqBody: nock.Body) => nock.ReplyFnResult {
  return function (this: nock.ReplyFnContext, uri: string, reqBody: nock.Body) {
    into.body = typeof reqBody === "string" ? reqBody : JSON.stringify(reqBody);
    into.headers = this.req.headers as Record<string, string>;
    into.path = uri;
    return body === undefined ? [status] : [status, typeof body === "string" ? body : JSON.stringify(body)];
  };
}

import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { AddressInfo } from "net";

/** One request seen by a {@link Recorder}, with its body exactly as sent. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records requests byte for byte and answers from a handler. */
export interface Recorder {
  url: string;
  requests: Recorded[];
  connector(overrides?: Record<string, string | number>): MambuConnector;
  close(): Promise<void>;
}

/** Starts a {@link Recorder}. The handler returns [status, body?, headers?]. */
export async function startRecorder(
  handler: (req: Recorded) => [number, unknown?, Record<string, string>?],
): Promise<Recorder> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: Recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(rec);
      const [status, body, headers] = handler(rec);
      res.writeHead(status, { "content-type": "application/vnd.mambu.v2+json", ...(headers ?? {}) });
      res.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    connector: (overrides = {}) => testConnector({ apiurl: url, ...overrides }),
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

import { findOperation } from "../../lib/contract/schema";

/**
 * A nock tenant that records every request it sees; after each test, every path the library called
 * must be an operation of Mambu's Swagger files. Call at the top of a spec file.
 */
export function contractTenant(): { tenant: () => nock.Scope; requests: Array<{ method: string; path: string }> } {
  const requests: Array<{ method: string; path: string }> = [];
  beforeEach(() => {
    requests.length = 0;
  });
  afterEach(() => {
    for (const r of requests) expect([r.method, r.path, findOperation(r.method, r.path) !== undefined]).toEqual([r.method, r.path, true]);
    nock.cleanAll();
  });
  const tenant = (): nock.Scope => {
    const scope = mambu();
    scope.on("request", (req: { method: string; path: string }) => requests.push({ method: req.method, path: req.path }));
    return scope;
  };
  return { tenant, requests };
}
