/**
 * Credentials in answers at the generic layer, against a mocked tenant (nock): the fields the contract marks
 * secret (`ApiKey.apiKey`, `SecretKey.secretKey`, `ApiKeyRotationResult.apiKey`/`secretKey`) come out of
 * `api.consumers.*`, `api.apikey_rotation.rotateKey` and `callOperation` as `Secret`s — `****` in `util.inspect`,
 * the REPL, `JSON.stringify`, `String()`, a logger's lines — and an answer that is not the expected shape is a `MambuError`
 * that shows nothing of it. The contract's check of answers accepts the marked fields as strings (the wire) and
 * as Secrets (what the ORM hands out), and never shows a credential in its complaint.
 */
import nock from "nock";
import { inspect } from "util";
import { api, callOperation, knownSecrets, MambuConnector, MambuError, Secret } from "../../lib";
import { findOperation, SCHEMA, validateAgainst } from "../../lib/contract/schema";
import type { FieldSpec } from "../../lib/contract/schema";
import { secretLabel } from "../../lib/core/secret-answer";
import { forDisplay } from "../../lib/cli/repl-display";
import { mambu, testConnector } from "../helpers/mambu";

const API_KEY = "genApiKey-4c1d9e7f2a6b8c0d3e5f";
const SECRET_KEY = "genSecret+7a/9b=1c3d5e7f9a0b";
const LISTED = "listedKey-5e6f7a8b9c0d1e2f3a4b";
const OLD_API_KEY = "oldGenKey-0f1e2d3c4b5a69788796";
const OLD_SECRET = "oldGenSecret-a1b2c3d4e5f60718";
const ALL = [API_KEY, SECRET_KEY, LISTED, OLD_API_KEY, OLD_SECRET];

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

/** Every text a user, a log or a crash report could see of a value (an answer, an error). */
function exposures(value: unknown): string[] {
  const e = value as { message?: unknown; stack?: unknown; bodyExcerpt?: unknown; errors?: unknown; cause?: unknown };
  const out = [inspect(value, { depth: 10, showHidden: true }), inspect(value), JSON.stringify(value) ?? "", String(value), `${JSON.stringify(value)}`];
  if (value instanceof Error) {
    out.push(String(e.message), String(e.stack), String(e.bodyExcerpt), JSON.stringify(e.errors) ?? "", inspect(e.cause, { depth: 10, showHidden: true }));
  }
  return out;
}

/** Fails naming the exposure when a secret (or its URL/JSON-escaped form) appears in any text. */
function expectNoSecret(texts: string[], secrets: string[] = ALL): void {
  for (const text of texts) {
    for (const s of secrets) {
      for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
        if (text.includes(form)) throw new Error(`secret ${JSON.stringify(s.slice(0, 6))}… leaked in: ${text.slice(0, 300)}`);
      }
    }
  }
}

/** A connector whose logger lines and retry events are kept (retries: one, after a 503). */
function watchedConnector(): { conn: MambuConnector; lines: string[] } {
  const lines: string[] = [];
  const conn = new MambuConnector({
    config: testConnector({ retries: 1 }).config,
    sleep: async () => {},
    logger: {
      debug: (m, meta) => lines.push(`debug ${m} ${JSON.stringify(meta)} ${inspect(meta)}`),
      warn: (m, meta) => lines.push(`warn ${m} ${JSON.stringify(meta)} ${inspect(meta)}`),
    },
    onRetry: (ev) => lines.push(`retry ${JSON.stringify(ev)}`),
  });
  return { conn, lines };
}

describe("api.consumers answers credentials as Secrets", () => {
  it("createApiKeyForConsumer: { id, expirationTime, apiKey: Secret }, the key in no printout or log line (after a retry too)", async () => {
    const { conn, lines } = watchedConnector();
    mambu()
      .post("/api/consumers/C1/apikeys").reply(503, "busy")
      .post("/api/consumers/C1/apikeys").reply(201, { id: "K1", expirationTime: 60, apiKey: API_KEY });
    const answer = await api.consumers.createApiKeyForConsumer({ apiConsumerId: "C1" }, { expirationTime: 60 }, { connector: conn });
    expect(answer).toEqual({ id: "K1", expirationTime: 60, apiKey: expect.any(Secret) });
    expect(answer.apiKey!.reveal()).toBe(API_KEY);
    expect(answer.apiKey!.label).toBe("API key");
    expect(JSON.stringify(answer)).toBe('{"id":"K1","expirationTime":60,"apiKey":"****"}');
    expect(inspect(answer)).toBe("{ id: 'K1', expirationTime: 60, apiKey: Secret(API key: ****) }");
    expect(String(answer.apiKey)).toBe("****");
    expect(inspect(forDisplay(answer), { colors: true })).toContain("apiKey: Secret(API key: ****)"); // as the REPL shows it
    expect(knownSecrets()).toContain(API_KEY); // left out of the REPL's history file
    expect(lines.some((l) => l.startsWith("retry "))).toBe(true);
    expectNoSecret([...exposures(answer), ...lines]);
  });

  it("createSecretKeyForConsumer: { secretKey: Secret } labelled secret key", async () => {
    mambu().post("/api/consumers/C1/secretkeys").reply(201, { secretKey: SECRET_KEY });
    const answer = await api.consumers.createSecretKeyForConsumer({ apiConsumerId: "C1" }, { connector: testConnector() });
    expect(answer.secretKey).toBeInstanceOf(Secret);
    expect([answer.secretKey!.reveal(), answer.secretKey!.label, inspect(answer)]).toEqual([SECRET_KEY, "secret key", "{ secretKey: Secret(secret key: ****) }"]);
    expectNoSecret(exposures(answer));
  });

  it("getApiKeysByConsumerId: every listed key a Secret; a key Mambu lists empty or not at all stays so", async () => {
    mambu().get("/api/consumers/C1/apikeys").reply(200, [{ id: "K1", apiKey: LISTED }, { id: "K2", apiKey: "" }, { id: "K3" }, { id: "K4", apiKey: null }]);
    const keys = await api.consumers.getApiKeysByConsumerId({ apiConsumerId: "C1" }, { connector: testConnector() });
    expect(keys).toEqual([{ id: "K1", apiKey: expect.any(Secret) }, { id: "K2", apiKey: "" }, { id: "K3" }, { id: "K4", apiKey: null }]);
    expect(keys[0].apiKey!.reveal()).toBe(LISTED);
    expectNoSecret(exposures(keys));
  });

  it("callOperation gives the same Secrets (what mambu call prints); answers without credentials are untouched", async () => {
    mambu()
      .post("/api/consumers/C1/apikeys").reply(201, { id: "K1", apiKey: API_KEY })
      .get("/api/consumers/C1").reply(200, { id: "C1", name: "gateway", type: "MAMBU_API" });
    const created = (await callOperation("consumers", "createApiKeyForConsumer", { path: { apiConsumerId: "C1" }, body: {}, connector: testConnector() })) as { apiKey: Secret };
    expect(created.apiKey).toBeInstanceOf(Secret);
    expect(created.apiKey.reveal()).toBe(API_KEY);
    expect(await callOperation("consumers", "getById", { path: { apiConsumerId: "C1" }, connector: testConnector() })).toEqual({ id: "C1", name: "gateway", type: "MAMBU_API" });
  });
});

describe("api.apikey_rotation.rotateKey answers the new pair as Secrets", () => {
  it("{ apiKey, secretKey } both Secrets; neither the new nor the old keys in any printout or log line", async () => {
    const { conn, lines } = watchedConnector();
    mambu().post("/api/apikey/rotation").reply(200, { apiKey: API_KEY, secretKey: SECRET_KEY });
    const answer = await api.apikey_rotation.rotateKey({}, { apiKey: new Secret(OLD_API_KEY, "API key") }, {
      headers: { secretkey: new Secret(OLD_SECRET, "secret key") }, connector: conn, retries: 0,
    });
    expect(answer).toEqual({ apiKey: expect.any(Secret), secretKey: expect.any(Secret) });
    expect([answer.apiKey!.reveal(), answer.apiKey!.label, answer.secretKey!.reveal(), answer.secretKey!.label]).toEqual([API_KEY, "API key", SECRET_KEY, "secret key"]);
    expect(inspect(answer)).toBe("{ apiKey: Secret(API key: ****), secretKey: Secret(secret key: ****) }");
    expect(lines.length).toBeGreaterThan(0);
    expectNoSecret([...exposures(answer), ...lines]);
  });

  it.each([
    ["as a list", [{ apiKey: API_KEY, secretKey: SECRET_KEY }], "answer: expected an object (ApiKeyRotationResult)"],
    ["with a number as apiKey", { apiKey: 4242424242424242, secretKey: SECRET_KEY }, "answer.apiKey (a credential) is not a string"],
    ["with the secret key in an object", { apiKey: API_KEY, secretKey: { value: SECRET_KEY } }, "answer.secretKey (a credential) is not a string"],
  ])("answered %s: a MambuError that shows nothing of the answer", async (_what, body, says) => {
    mambu().post("/api/apikey/rotation").reply(200, body);
    const err = await api.apikey_rotation.rotateKey({}, { apiKey: OLD_API_KEY }, { headers: { secretkey: new Secret(OLD_SECRET) }, connector: testConnector(), retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as Error).message).toBe(`apikey_rotation.rotateKey: malformed answer from Mambu: ${says} (the answer is not shown: it may hold credentials)`);
    expectNoSecret(exposures(err), [...ALL, "4242424242424242"]);
  });

  it("the key to rotate, given as a plain string in the body, is kept out of the error when Mambu echoes it", async () => {
    const { conn, lines } = watchedConnector();
    mambu().post("/api/apikey/rotation").reply(400, { errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: `apiKey ${OLD_API_KEY} is not valid` }] });
    const err = await api.apikey_rotation.rotateKey({}, { apiKey: OLD_API_KEY }, { headers: { secretkey: new Secret(OLD_SECRET) }, connector: conn, retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).status).toBe(400);
    expect(JSON.stringify((err as MambuError).errors)).toContain("apiKey **** is not valid");
    expectNoSecret([...exposures(err), ...lines]);
  });

  it("answered malformed JSON holding the new pair: a MambuError without an excerpt of the body (the request is marked secretAnswer on its own)", async () => {
    mambu().post("/api/apikey/rotation").reply(200, `{"apiKey":"${API_KEY}","secretKey":"${SECRET_KEY}"`, { "Content-Type": "application/json" });
    const err = await callOperation("apikey_rotation", "rotateKey", { body: { apiKey: OLD_API_KEY }, secrets: [OLD_API_KEY], connector: testConnector(), retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as Error).message).toContain("malformed JSON from Mambu");
    expect((err as MambuError).bodyExcerpt).toBeUndefined();
    expectNoSecret(exposures(err));
  });

  it("a listed key that is not a string: a MambuError naming where, not what", async () => {
    mambu().get("/api/consumers/C1/apikeys").reply(200, [{ id: "K1", apiKey: LISTED }, { id: "K2", apiKey: [LISTED] }]);
    const err = await api.consumers.getApiKeysByConsumerId({ apiConsumerId: "C1" }, { connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as Error).message).toContain("answer[1].apiKey (a credential) is not a string");
    expectNoSecret(exposures(err));
  });
});

describe("the contract's credential fields", () => {
  it("are exactly the API keys and secret keys of the consumers' and the rotation's answers, and the key a rotation takes", () => {
    const marked: string[] = [];
    const visit = (spec: FieldSpec | undefined, where: string): void => {
      if (!spec) return;
      if (spec.secret) marked.push(where);
      visit(spec.items, `${where}[]`);
      for (const [k, f] of Object.entries(spec.fields ?? {})) visit(f, `${where}.${k}`);
    };
    for (const [rn, res] of Object.entries(SCHEMA.resources)) {
      for (const [dn, d] of Object.entries(res.definitions)) {
        for (const [k, f] of Object.entries(d.fields)) visit(f, `${rn}#${dn}.${k}`);
      }
    }
    expect(marked.sort()).toEqual([
      "apikey_rotation#ApiKeyRotation.apiKey",
      "apikey_rotation#ApiKeyRotationResult.apiKey",
      "apikey_rotation#ApiKeyRotationResult.secretKey",
      "consumers#ApiKey.apiKey",
      "consumers#SecretKey.secretKey",
    ]);
    expect(secretLabel("apiKey")).toBe("API key");
    expect(secretLabel("secretKey")).toBe("secret key");
  });

  it("validateAgainst accepts them as strings (the wire) and as Secrets (the ORM's answer); a bad one's problem shows no value", () => {
    const rotation = findOperation("POST", "/apikey/rotation")!.op.responses["200"]!;
    const listing = findOperation("GET", "/consumers/C1/apikeys")!.op.responses["200"]!;
    expect(validateAgainst("apikey_rotation", rotation, { apiKey: API_KEY, secretKey: SECRET_KEY }, { path: "answer" })).toEqual([]);
    expect(validateAgainst("apikey_rotation", rotation, { apiKey: new Secret(API_KEY), secretKey: new Secret(SECRET_KEY) }, { path: "answer" })).toEqual([]);
    expect(validateAgainst("consumers", listing, [{ id: "K1", apiKey: LISTED }, { id: "K2", apiKey: new Secret(LISTED) }], { path: "answer" })).toEqual([]);
    const problems = validateAgainst("apikey_rotation", rotation, { apiKey: 4242424242424242, secretKey: [SECRET_KEY] }, { path: "answer" });
    expect(problems).toEqual([
      "answer.apiKey: expected string (a credential), got number (not shown)",
      "answer.secretKey: expected string (a credential), got array (not shown)",
    ]);
    expectNoSecret(problems, [...ALL, "4242424242424242"]);
  });
});
