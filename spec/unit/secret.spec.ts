/**
 * `Secret`: a credential that prints `****` everywhere and gives its value only to `reveal()`; and the
 * transport's handling of secrets a request carries — a Secret in a header or a JSON body is written as its value
 * on the wire only, and every value of `RequestOptions.secrets` (and of those Secrets) is kept out of the
 * request's error messages, body excerpts, error entries, logger lines and retry events, even when the server
 * echoes it.
 */
import nock from "nock";
import { inspect } from "util";
import { api, callOperation, knownSecrets, MambuCommError, MambuConnector, MambuError, MambuTsError, Secret } from "../../lib";
import { isSecret, MAX_KNOWN_SECRETS } from "../../lib/transport";
import { headerValue, revealSecrets } from "../../lib/transport/reveal";
import { mambu, testConnector } from "../helpers/mambu";

const TOKEN = "tok-3f9a1c7e5b2d4f6a";
const PIN = "pin/+=\"9876\\x";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("Secret", () => {
  const s = new Secret(TOKEN, "API key");

  it("prints **** in every way a value is printed, and gives the value to reveal() only", () => {
    expect(String(s)).toBe("****");
    expect(`${s}`).toBe("****");
    expect("key=" + s).toBe("key=****");
    expect(JSON.stringify({ s })).toBe('{"s":"****"}');
    expect(inspect(s)).toBe("Secret(API key: ****)");
    expect(inspect({ nested: [s] }, { depth: 5 })).toBe("{ nested: [ Secret(API key: ****) ] }");
    expect(inspect(s, { showHidden: true, depth: 5 })).not.toContain(TOKEN);
    expect(Object.keys(s)).toEqual(["label"]);
    expect(s.reveal()).toBe(TOKEN);
    expect(s.label).toBe("API key");
    expect(new Secret(TOKEN).label).toBe("secret");
  });

  it("compares with another Secret or a string without printing either", () => {
    expect(s.equals(new Secret(TOKEN))).toBe(true);
    expect(s.equals(TOKEN)).toBe(true);
    expect(s.equals("other")).toBe(false);
    expect(isSecret(s)).toBe(true);
    expect(isSecret(TOKEN)).toBe(false);
  });

  it("refuses an empty or non-string value, naming only its label", () => {
    expect(() => new Secret("", "secret key")).toThrow("secret key: a secret must be a non-empty string");
    expect(() => new Secret(42 as never)).toThrow(TypeError);
  });

  it("is remembered by knownSecrets(), newest last, at most MAX_KNOWN_SECRETS", () => {
    const fresh = new Secret(`fresh-${Date.now()}-value`);
    expect(knownSecrets().at(-1)).toBe(fresh.reveal());
    for (let i = 0; i < MAX_KNOWN_SECRETS + 5; i++) new Secret(`filler-${i}-value`);
    expect(knownSecrets()).toHaveLength(MAX_KNOWN_SECRETS);
    expect(knownSecrets()).not.toContain(fresh.reveal());
  });
});

describe("revealSecrets / headerValue", () => {
  it("copies plain objects and arrays with each Secret replaced by its value, collecting the values; the input is not changed", () => {
    const input = { a: new Secret(TOKEN), list: [1, { pin: new Secret(PIN) }], keep: "x" };
    const found: string[] = [];
    const out = revealSecrets(input, found);
    expect(out).toEqual({ a: TOKEN, list: [1, { pin: PIN }], keep: "x" });
    expect(found).toEqual([TOKEN, PIN]);
    expect(input.a).toBeInstanceOf(Secret);
    const plain = { a: 1, b: [2] };
    expect(revealSecrets(plain, [])).toBe(plain);
  });

  it("refuses a header value holding a line break without showing it", () => {
    expect(() => headerValue("secretkey", new Secret(`${TOKEN}\r\nX: y`), [])).toThrow("header secretkey holds a line break or another control character");
    try {
      headerValue("secretkey", `${TOKEN}\n`, []);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(TOKEN);
    }
  });
});

describe("MambuConnector with a request's secrets", () => {
  function watched(retries: number): { conn: MambuConnector; lines: string[] } {
    const lines: string[] = [];
    const conn = new MambuConnector({
      config: testConnector({ retries }).config,
      sleep: async () => {},
      logger: { debug: (m, meta) => lines.push(`${m} ${JSON.stringify(meta)}`), warn: (m, meta) => lines.push(`${m} ${JSON.stringify(meta)}`) },
      onRetry: (ev) => lines.push(JSON.stringify(ev)),
    });
    return { conn, lines };
  }

  function expectNone(texts: string[], values: string[]): void {
    for (const t of texts) {
      for (const v of values) for (const form of [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]) expect(t).not.toContain(form);
    }
  }

  function exposures(err: unknown): string[] {
    const e = err as MambuError;
    return [e.message, String(e.stack), String(e.bodyExcerpt), JSON.stringify(e.errors ?? null), inspect(e, { depth: 8, showHidden: true }), JSON.stringify(e)];
  }

  it("writes a Secret header and a Secret in a JSON body as their values — on the wire only", async () => {
    let headers: Record<string, string> = {};
    let body = "";
    mambu().post("/api/things").reply(function (_uri, b) {
      headers = this.req.headers as Record<string, string>;
      body = typeof b === "string" ? b : JSON.stringify(b);
      return [201, { ok: true }];
    });
    await testConnector().request({ method: "POST", path: "/things", headers: { "X-Token": new Secret(TOKEN) }, body: { pin: new Secret(PIN), n: 1 } });
    expect(headers["x-token"]).toBe(TOKEN);
    expect(JSON.parse(body)).toEqual({ pin: PIN, n: 1 });
  });

  it("keeps secrets out of a refusal echoing them (message, errors, excerpt, logger) and of the URL shown", async () => {
    mambu().post(`/api/things/${encodeURIComponent(TOKEN)}`).reply(400, {
      errors: [{ errorCode: 4, errorReason: `INVALID_PARAMETERS ${TOKEN}`, errorSource: `pin ${PIN}` }],
    });
    const { conn, lines } = watched(0);
    const err = await conn.request({ method: "POST", path: `/things/${encodeURIComponent(TOKEN)}`, headers: { "X-Pin": new Secret(PIN) }, secrets: [TOKEN] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).message).toBe("4 (400) - INVALID_PARAMETERS **** (pin ****)");
    expect((err as MambuError).errors?.[0]?.errorSource).toBe("pin ****");
    expect((err as MambuError).url).toBe("/api/things/****");
    expectNone([...exposures(err), ...lines], [TOKEN, PIN]);
  });

  it("keeps secrets out of retry events, warnings and the last error of retried 503/500 answers echoing them", async () => {
    mambu()
      .post("/api/things").reply(503, `<p>${TOKEN} ${encodeURIComponent(PIN)}</p>`, { "Content-Type": "text/html" })
      .post("/api/things").reply(500, JSON.stringify({ echo: { pin: PIN, token: TOKEN } }), { "Content-Type": "application/json" });
    const { conn, lines } = watched(1);
    const err = await conn.request({ method: "POST", path: "/things", body: { token: new Secret(TOKEN) }, secrets: [PIN] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect((err as MambuCommError).bodyExcerpt).toContain("****");
    expect(lines.filter((l) => l.includes('"delayMs"'))).not.toEqual([]);
    expectNone([...exposures(err), ...lines], [TOKEN, PIN]);
  });

  it("without secretAnswer a malformed answer is excerpted; with it, not", async () => {
    mambu().get("/api/a").reply(200, `{"k":"${TOKEN}"`, { "Content-Type": "application/json" }).get("/api/a").reply(200, `{"k":"${TOKEN}"`, { "Content-Type": "application/json" });
    const plain = (await testConnector().request({ method: "GET", path: "/a" }).catch((e: unknown) => e)) as MambuError;
    expect(plain.bodyExcerpt).toContain(TOKEN);
    const kept = (await testConnector().request({ method: "GET", path: "/a", secretAnswer: true }).catch((e: unknown) => e)) as MambuError;
    expect(kept).toBeInstanceOf(MambuError);
    expect(kept.bodyExcerpt).toBeUndefined();
  });

  it("refuses secrets that are not a list of strings", async () => {
    await expect(testConnector().request({ method: "GET", path: "/a", secrets: "x" as never })).rejects.toThrow("secrets must be a list of strings");
  });
});

describe("callOperation's header parameters", () => {
  it("sends a header the operation declares (a Secret revealed only on the wire; also through api.*) and refuses others", async () => {
    let seen: Record<string, string> = {};
    mambu().post("/api/apikey/rotation").reply(function () {
      seen = this.req.headers as Record<string, string>;
      return [200, { apiKey: "n-api-key-123", secretKey: "n-secret-key-123" }];
    });
    await callOperation("apikey_rotation", "rotateKey", { headers: { SecretKey: new Secret(TOKEN) }, body: { apiKey: new Secret(PIN) }, connector: testConnector() });
    expect(seen.secretkey).toBe(TOKEN);
    mambu().post("/api/apikey/rotation").reply(function () {
      seen = this.req.headers as Record<string, string>;
      return [200, { apiKey: "n-api-key-456", secretKey: "n-secret-key-456" }];
    });
    const answer = await api.apikey_rotation.rotateKey({}, { apiKey: PIN }, { headers: { secretkey: new Secret(TOKEN) }, connector: testConnector() });
    expect(seen.secretkey).toBe(TOKEN);
    expect(answer).toEqual({ apiKey: expect.any(Secret), secretKey: expect.any(Secret) });
    expect([answer.apiKey!.reveal(), answer.secretKey!.reveal(), JSON.stringify(answer)]).toEqual(["n-api-key-456", "n-secret-key-456", '{"apiKey":"****","secretKey":"****"}']);
    await expect(callOperation("apikey_rotation", "rotateKey", { headers: { "X-Other": "1" }, connector: testConnector() })).rejects.toThrow(
      'apikey_rotation.rotateKey: unknown header parameter "X-Other"; header parameters: secretkey',
    );
    await expect(callOperation("consumers", "getAll", { headers: { secretkey: "1234" }, connector: testConnector() })).rejects.toThrow(
      'consumers.getAll: unknown header parameter "secretkey"; it takes none',
    );
    await expect(callOperation("consumers", "create", { headers: { "Idempotency-Key": "x" }, connector: testConnector() })).rejects.toThrow(
      "give the Idempotency-Key as idempotencyKey",
    );
    await expect(callOperation("apikey_rotation", "rotateKey", { headers: { secretkey: 5 as never }, connector: testConnector() })).rejects.toThrow(
      'header parameter "secretkey" must be a string or a Secret',
    );
  });

  it("keeps a body's secrets out of the contract's complaint about it", async () => {
    const err = await callOperation("apikey_rotation", "rotateKey", { body: { apiKey: new Secret(TOKEN), expirationTime: TOKEN }, connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect((err as Error).message).toContain("the body does not follow the contract");
    expect((err as Error).message).not.toContain(TOKEN);
  });
});
