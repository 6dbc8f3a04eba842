/** MambuConnector: exact request shapes (nock), errors in MambuPy's format, URL rules, helpers. */
import nock from "nock";
import type nodeFetch from "node-fetch";
import { inspect } from "util";
import { MambuConfig } from "../../lib/config";
import { MambuCommError, MambuError, MambuTsError } from "../../lib/errors";
import {
  MambuConnector,
  buildPath,
  deterministicUuidV4,
  encodeSegment,
  isV4Uuid,
  packageVersion,
  resolveBaseUrl,
} from "../../lib/transport";

const HOST = "https://tenant.sandbox.mambu.com";
const USER = "apiuser";
const PWD = "pa55:word";
const BASIC = `Basic ${Buffer.from(`${USER}:${PWD}`).toString("base64")}`;

let connectors: MambuConnector[] = [];

function makeConfig(env: NodeJS.ProcessEnv = {}): MambuConfig {
  return new MambuConfig({ env, rcFiles: [], warn: () => undefined });
}

/** A connector over a config holding the tenant host and Basic credentials; `sleep` resolves at once. */
function connector(config = makeConfig({ MAMBU_API_URL: "tenant.sandbox.mambu.com", MAMBU_API_USER: USER, MAMBU_API_PWD: PWD })) {
  const c = new MambuConnector({ config, sleep: async () => undefined });
  connectors.push(c);
  return c;
}

/** Records the headers and raw path of every request a nock scope answers. */
function captured() {
  const seen: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: unknown }> = [];
  const reply =
    (status: number, body?: nock.Body, headers?: Record<string, string>) =>
    function (this: nock.ReplyFnContext, uri: string, reqBody: nock.Body): [number, nock.Body | undefined, Record<string, string>?] {
      seen.push({ path: uri, headers: { ...this.req.headers }, body: reqBody });
      return [status, body, headers];
    };
  return { seen, reply };
}

afterEach(() => {
  nock.cleanAll();
  for (const c of connectors) c.close();
  connectors = [];
});

describe("request shapes", () => {
  it("GET: URL, query, Accept, User-Agent, Basic auth, no Idempotency-Key, no credential in the URL", async () => {
    const { seen, reply } = captured();
    nock(HOST)
      .get("/api/clients/A%20B%2F1")
      .query({ detailsLevel: "BASIC", offset: "0", paginationDetails: "true" })
      .reply(reply(200, { id: "A B/1" }, { "Content-Type": "application/vnd.mambu.v2+json", "Items-Total": "1" }));
    const res = await connector().request<{ id: string }>({
      method: "GET",
      path: `/clients/${encodeSegment("A B/1")}`,
      query: { detailsLevel: "BASIC", offset: 0, paginationDetails: true, skipped: undefined, alsoSkipped: null },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: "A B/1" });
    expect(res.text).toBe('{"id":"A B/1"}');
    expect(res.raw.toString()).toBe(res.text);
    expect(res.headers["items-total"]).toBe("1");
    expect(res.headers["content-type"]).toBe("application/vnd.mambu.v2+json");
    const { path, headers } = seen[0];
    expect(path).toBe("/api/clients/A%20B%2F1?detailsLevel=BASIC&offset=0&paginationDetails=true");
    expect(headers.accept).toBe("application/vnd.mambu.v2+json");
    expect(headers["user-agent"]).toBe(`mambu-ts/${packageVersion()} node/${process.version}`);
    expect(packageVersion()).toBe("0.1.0");
    expect(headers.authorization).toBe(BASIC);
    expect(headers.apikey).toBeUndefined();
    expect(headers["idempotency-key"]).toBeUndefined();
    expect(headers["content-type"]).toBeUndefined();
    expect(path).not.toContain(USER);
    expect(path).not.toContain(encodeURIComponent(PWD));
  });

  it("POST: JSON body, Content-Type and a fresh v4 Idempotency-Key per request", async () => {
    const { seen, reply } = captured();
    nock(HOST).post("/api/clients").twice().reply(reply(201, { encodedKey: "8a" }));
    const c = connector();
    const body = { firstName: "Ana", lastName: "López", amount: "1.50" };
    const res = await c.request({ method: "POST", path: "/clients", body });
    await c.request({ method: "POST", path: "/clients", body });
    expect(res.status).toBe(201);
    expect(seen[0].body).toEqual(body);
    expect(seen[0].headers["content-type"]).toBe("application/json");
    expect(seen[0].headers.authorization).toBe(BASIC);
    const k1 = seen[0].headers["idempotency-key"] as string;
    const k2 = seen[1].headers["idempotency-key"] as string;
    expect(isV4Uuid(k1)).toBe(true);
    expect(isV4Uuid(k2)).toBe(true);
    expect(k1).not.toBe(k2);
  });

  it("PATCH: sends bodyText byte for byte, with an Idempotency-Key", async () => {
    const { seen, reply } = captured();
    const text = '[{"op":"REPLACE","path":"/loanAmount","value":1500.00}]';
    // A RegExp body spec is tested against the raw body: this one matches exactly `text`.
    const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    nock(HOST).patch("/api/loans/L1", exactly).reply(reply(204));
    const res = await connector().request({ method: "PATCH", path: "/loans/L1", bodyText: text });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(res.text).toBe("");
    expect(seen[0].headers["content-type"]).toBe("application/json");
    expect(isV4Uuid(seen[0].headers["idempotency-key"])).toBe(true);
  });

  it("PUT: uses the caller's Idempotency-Key; DELETE gets none", async () => {
    const { seen, reply } = captured();
    const key = deterministicUuidV4("row-17", "create-client");
    nock(HOST).put("/api/clients/C1").reply(reply(200, {})).delete("/api/clients/C1").reply(reply(204));
    const c = connector();
    await c.request({ method: "PUT", path: "/clients/C1", body: { id: "C1" }, idempotencyKey: key });
    await c.request({ method: "DELETE", path: "/clients/C1" });
    expect(seen[0].headers["idempotency-key"]).toBe(key);
    expect(seen[1].headers["idempotency-key"]).toBeUndefined();
  });

  it("accepts the key through headers too, and refuses a key that is not a v4 UUID before sending", async () => {
    const { seen, reply } = captured();
    const key = deterministicUuidV4("x");
    nock(HOST).post("/api/tasks").reply(reply(201, {}));
    const c = connector();
    await c.request({ method: "POST", path: "/tasks", body: {}, headers: { "idempotency-key": key } });
    expect(seen[0].headers["idempotency-key"]).toBe(key);
    await expect(c.request({ method: "POST", path: "/tasks", body: {}, idempotencyKey: "row-17" })).rejects.toThrow(
      new MambuTsError('idempotencyKey must be a v4 UUID (see deterministicUuidV4), got "row-17"'),
    );
  });

  it("sends apiKey (and no Authorization) when an API key is configured", async () => {
    const { seen, reply } = captured();
    nock(HOST).get("/api/branches").reply(reply(200, []));
    const config = makeConfig({
      MAMBU_API_URL: "tenant.sandbox.mambu.com",
      MAMBU_API_USER: USER,
      MAMBU_API_PWD: PWD,
      MAMBU_API_KEY: "key-123456",
    });
    const res = await connector(config).request({ method: "GET", path: "/branches" });
    expect(res.body).toEqual([]);
    expect(seen[0].headers.apikey).toBe("key-123456");
    expect(seen[0].headers.authorization).toBeUndefined();
  });

  it("explicit options override the config; other values are still read from it", async () => {
    const { seen, reply } = captured();
    nock("https://other.mambu.com").get("/api/users").reply(reply(200, []));
    const config = makeConfig({ MAMBU_API_URL: "tenant.sandbox.mambu.com", MAMBU_API_USER: USER, MAMBU_API_PWD: PWD, MAMBU_API_KEY: "cfg-key-1" });
    const c = new MambuConnector({ config, apiurl: "other.mambu.com", apiuser: "bob", apipwd: "bobpwd" });
    connectors.push(c);
    await c.request({ method: "GET", path: "/users" });
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from("bob:bobpwd").toString("base64")}`);
    expect(seen[0].headers.apikey).toBeUndefined();
  });

  it("reads the config at request time: a change between two requests is used by the second", async () => {
    const { seen, reply } = captured();
    nock(HOST).get("/api/clients").reply(reply(200, []));
    nock("https://second.mambu.com").get("/api/clients").reply(reply(200, []));
    const env: NodeJS.ProcessEnv = { MAMBU_API_URL: "tenant.sandbox.mambu.com", MAMBU_API_USER: USER, MAMBU_API_PWD: PWD };
    const c = connector(new MambuConfig({ env: () => env, rcFiles: [] }));
    await c.request({ method: "GET", path: "/clients" });
    env.MAMBU_API_URL = "second.mambu.com";
    env.MAMBU_API_PWD = "new-password";
    await c.request({ method: "GET", path: "/clients" });
    expect(seen[1].headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:new-password`).toString("base64")}`);
  });

  it("lets callers set accept and extra headers, but not authentication headers", async () => {
    const { seen, reply } = captured();
    nock(HOST).get("/api/documents/D1").reply(reply(200, Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff]), { "Content-Type": "application/pdf" }));
    const c = connector();
    const res = await c.request({ method: "GET", path: "/documents/D1", accept: "application/vnd.mambu.v2+file", headers: { "X-Trace": "t1" } });
    expect(seen[0].headers.accept).toBe("application/vnd.mambu.v2+file");
    expect(seen[0].headers["x-trace"]).toBe("t1");
    expect(res.body).toBeUndefined();
    expect([...res.raw]).toEqual([0x25, 0x50, 0x44, 0x46, 0xff]);
    await expect(c.request({ method: "GET", path: "/x", headers: { authorization: "Basic abc" } })).rejects.toThrow(
      "header authorization is set by the connector",
    );
  });

  it("refuses bad requests before sending anything", async () => {
    const c = connector();
    await expect(c.request({ method: "GET", path: "clients" })).rejects.toThrow('request path must start with a single "/"');
    await expect(c.request({ method: "GET", path: "/clients", body: {} })).rejects.toThrow("a GET request cannot have a body");
    await expect(c.request({ method: "POST", path: "/clients", body: {}, bodyText: "{}" })).rejects.toThrow("only one of");
    await expect(c.request({ method: "TRACE" as "GET", path: "/clients" })).rejects.toThrow("unsupported HTTP method");
    const noCreds = connector(makeConfig({ MAMBU_API_URL: "tenant.sandbox.mambu.com" }));
    await expect(noCreds.request({ method: "GET", path: "/clients" })).rejects.toThrow(/^no Mambu credentials/);
    const noUrl = connector(makeConfig({}));
    await expect(noUrl.request({ method: "GET", path: "/clients" })).rejects.toThrow("apiurl is not configured");
  });
});

describe("apiurl", () => {
  it.each([
    ["tenant.sandbox.mambu.com", "https://tenant.sandbox.mambu.com/api"],
    ["tenant.sandbox.mambu.com:8443", "https://tenant.sandbox.mambu.com:8443/api"],
    ["https://tenant.mambu.com", "https://tenant.mambu.com/api"],
    ["https://tenant.mambu.com/", "https://tenant.mambu.com/api"],
    ["tenant.mambu.com/api/", "https://tenant.mambu.com/api"],
    ["  https://Tenant.Mambu.com/api  ", "https://tenant.mambu.com/api"],
    ["http://127.0.0.1:7070", "http://127.0.0.1:7070/api"],
    ["http://localhost:7070/", "http://localhost:7070/api"],
    ["http://[::1]:7070", "http://[::1]:7070/api"],
  ])("%s → %s", (apiurl, href) => {
    expect(resolveBaseUrl(apiurl).href).toBe(href);
  });

  it.each([
    ["http://tenant.mambu.com", "plain http:// is only allowed for loopback hosts"],
    ["ftp://tenant.mambu.com", "apiurl must use https://"],
    ["https://user:pw@tenant.mambu.com", "apiurl must not contain credentials"],
    ["tenant.mambu.com/?x=1", "must not contain a query"],
    ["not a host", "is not a valid host"],
  ])("refuses %s", (apiurl, why) => {
    expect(() => resolveBaseUrl(apiurl)).toThrow(why);
  });

  it("refuses http:// to a non-loopback host before any request", async () => {
    const fetch = jest.fn();
    const c = new MambuConnector({
      apiurl: "http://tenant.mambu.com",
      apiuser: "u",
      apipwd: "p",
      fetch: fetch as unknown as typeof nodeFetch,
      config: makeConfig(),
    });
    const err = await c.request({ method: "GET", path: "/clients" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err).not.toBeInstanceOf(MambuError);
    expect(err.message).toContain("must use https://");
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("errors", () => {
  it("404 with a Mambu body → MambuError 301 (404) - INVALID_CLIENT_ID", async () => {
    nock(HOST)
      .get("/api/clients/NOEXISTO")
      .query({ detailsLevel: "BASIC" })
      .reply(404, { errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }] });
    const err = await connector()
      .request({ method: "GET", path: "/clients/NOEXISTO", query: { detailsLevel: "BASIC" } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err).not.toBeInstanceOf(MambuCommError);
    expect(err.message).toBe("301 (404) - INVALID_CLIENT_ID");
    expect(err).toMatchObject({
      status: 404,
      errorCode: 301,
      errorReason: "INVALID_CLIENT_ID",
      errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }],
      method: "GET",
      url: "/api/clients/NOEXISTO?detailsLevel=BASIC",
      attempts: 1,
    });
  });

  it("401 with errorSource → MambuError 2 (401) - INVALID_CREDENTIALS (credentials), not retried", async () => {
    nock(HOST)
      .get("/api/clients/0512N0025")
      .once()
      .reply(401, { errors: [{ errorCode: 2, errorSource: "credentials", errorReason: "INVALID_CREDENTIALS" }] });
    const err = await connector().request({ method: "GET", path: "/clients/0512N0025" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.message).toBe("2 (401) - INVALID_CREDENTIALS (credentials)");
    expect(err.errorSource).toBe("credentials");
    expect(err.status).toBe(401);
  });

  it("an HTML 502 from a proxy → non-JSON message and a bounded excerpt (kept after retries)", async () => {
    const html = `<html><body><h1>502 Bad Gateway</h1>${"x".repeat(2000)}</body></html>`;
    nock(HOST).get("/api/loans").times(2).reply(502, html, { "Content-Type": "text/html" });
    const c = connector();
    const err = await c.request({ method: "GET", path: "/loans", retries: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toBe("Mambu kept failing after 2 attempts (GET /api/loans): HTTP 502 from Mambu (non-JSON body)");
    expect(err.status).toBe(502);
    expect(err.bodyExcerpt.startsWith("<html><body><h1>502 Bad Gateway</h1>")).toBe(true);
    expect(err.bodyExcerpt.length).toBeLessThanOrEqual(500);
    expect(err.attempts).toBe(2);
  });

  it("an HTML 403 from a firewall → MambuError HTTP 403 from Mambu (non-JSON body)", async () => {
    nock(HOST).get("/api/loans").reply(403, "<html>Forbidden</html>", { "Content-Type": "text/html" });
    const err = await connector().request({ method: "GET", path: "/loans" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.message).toBe("HTTP 403 from Mambu (non-JSON body)");
    expect(err.bodyExcerpt).toBe("<html>Forbidden</html>");
  });

  it("other bodies of error responses", async () => {
    nock(HOST).get("/api/a").reply(400, "").get("/api/b").reply(400, { message: "odd" });
    const c = connector();
    await expect(c.request({ method: "GET", path: "/a" })).rejects.toThrow(new MambuError("HTTP 400 from Mambu (empty body)"));
    const err = await c.request({ method: "GET", path: "/b" }).catch((e) => e);
    expect(err.message).toBe("HTTP 400 from Mambu (no error entries)");
    expect(err.bodyExcerpt).toBe('{"message":"odd"}');
  });

  it("a 200 with malformed JSON → MambuError malformed JSON, with an excerpt", async () => {
    nock(HOST).get("/api/clients/1").reply(200, '{"id": "1",', { "Content-Type": "application/vnd.mambu.v2+json" });
    const err = await connector().request({ method: "GET", path: "/clients/1" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.message).toBe("malformed JSON from Mambu (HTTP 200, GET /api/clients/1)");
    expect(err.bodyExcerpt).toBe('{"id": "1",');
    expect(err.status).toBe(200);
  });

  it("a 200 with an HTML page where JSON was expected → MambuError", async () => {
    nock(HOST).get("/api/clients/1").reply(200, "<html>login</html>", { "Content-Type": "text/html" });
    await expect(connector().request({ method: "GET", path: "/clients/1" })).rejects.toThrow(
      "non-JSON body from Mambu (HTTP 200, content-type text/html, GET /api/clients/1)",
    );
  });

  it("does not follow redirects (they could carry credentials elsewhere)", async () => {
    nock(HOST).get("/api/clients").reply(302, "", { Location: "https://elsewhere.example/steal" });
    const err = await connector().request({ method: "GET", path: "/clients" }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.message).toBe("HTTP 302 from Mambu (redirects are not followed)");
  });
});

describe("helpers", () => {
  it("encodeSegment encodes everything that could change the path and refuses empty ids", () => {
    expect(encodeSegment("a/b?c#d%e f")).toBe("a%2Fb%3Fc%23d%25e%20f");
    expect(encodeSegment(42)).toBe("42");
    expect(() => encodeSegment("")).toThrow(MambuTsError);
    expect(() => encodeSegment(NaN)).toThrow(MambuTsError);
  });

  it("buildPath fills placeholders with encoded values", () => {
    expect(buildPath("/loans/{loanId}/transactions/{txId}", { loanId: "L 1", txId: 7 })).toBe("/loans/L%201/transactions/7");
    expect(() => buildPath("/loans/{loanId}", {})).toThrow("needs a value for {loanId}");
    expect(() => buildPath("/loans/{loanId}", { loanId: "" })).toThrow(MambuTsError);
  });

  it("deterministicUuidV4 is stable, v4-shaped and unambiguous", () => {
    const a = deterministicUuidV4("row-1", "disburse");
    expect(a).toBe(deterministicUuidV4("row-1", "disburse"));
    expect(isV4Uuid(a)).toBe(true);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuidV4("ab", "c")).not.toBe(deterministicUuidV4("a", "bc"));
    expect(deterministicUuidV4("row-1", "repay")).not.toBe(a);
    expect(() => deterministicUuidV4()).toThrow(MambuTsError);
  });

  it("isV4Uuid checks version and variant", () => {
    expect(isV4Uuid("123e4567-e89b-42d3-a456-426614174000")).toBe(true);
    expect(isV4Uuid("123E4567-E89B-42D3-A456-426614174000")).toBe(true);
    expect(isV4Uuid("123e4567-e89b-12d3-a456-426614174000")).toBe(false);
    expect(isV4Uuid("123e4567-e89b-42d3-c456-426614174000")).toBe(false);
    expect(isV4Uuid("not-a-uuid")).toBe(false);
    expect(isV4Uuid(undefined)).toBe(false);
  });

  it("default() is one shared connector; inspect and JSON show no credentials", () => {
    expect(MambuConnector.default()).toBe(MambuConnector.default());
    const c = new MambuConnector({ apiurl: "t.mambu.com", apiuser: "bob", apipwd: "bob-secret-pw", apikey: "bob-secret-key" });
    const shown = `${inspect(c, { showHidden: true, depth: 5 })} ${JSON.stringify(c)}`;
    expect(shown).toContain("t.mambu.com");
    expect(shown).not.toContain("bob-secret");
  });
});
