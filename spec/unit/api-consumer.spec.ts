/**
 * API consumers and their keys, against a mocked tenant (nock): `rotateApiKey` sends the secret key as the
 * `secretkey` header and the API key in the body, checks its input before sending, answers the new pair as
 * Secrets, and never lets the old or the new keys reach an error, a log line or a retry event — even when Mambu
 * echoes them. `MambuApiConsumer` reads, lists, writes and deletes consumers and manages their keys.
 */
import { inspect } from "util";
import { knownSecrets, MambuApiConsumer, MambuCommError, MambuConnector, MambuError, MambuTsError, rotateApiKey, Secret } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { testConnector } from "../helpers/mambu";
import { recordingTenant } from "../helpers/recording-tenant";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OLD_API_KEY = "oldApiKey-7f3a9c1e5b2d4f6a8c0e";
const OLD_SECRET = "oldSecret/9b8+a7=c6d5e4f3";
const NEW_API_KEY = "newApiKey-0a1b2c3d4e5f6a7b8c9d";
const NEW_SECRET = "newSecret-f9e8d7c6b5a4f3e2d1c0";
const ALL = [OLD_API_KEY, OLD_SECRET, NEW_API_KEY, NEW_SECRET];

const { tenant, seen } = recordingTenant();

/** Every text a user, a log or a crash report could see of a value (an error, a result). */
function exposures(value: unknown): string[] {
  const e = value as { message?: unknown; stack?: unknown; cause?: unknown; bodyExcerpt?: unknown; errors?: unknown };
  const out = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? "", String(value)];
  if (value instanceof Error) {
    out.push(String(e.message), String(e.stack), String(e.bodyExcerpt), JSON.stringify(e.errors) ?? "", inspect(e.cause, { depth: 10, showHidden: true }));
  }
  return out;
}

/** Fails naming the exposure when any of `secrets` (or its URL/JSON-escaped form) appears in any text. */
function expectNoSecret(texts: string[], secrets: string[] = ALL): void {
  for (const text of texts) {
    for (const s of secrets) {
      for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
        if (text.includes(form)) throw new Error(`secret ${JSON.stringify(s.slice(0, 6))}… leaked in: ${text.slice(0, 300)}`);
      }
    }
  }
}

/** A connector that records its logger lines and retry events. */
function watchedConnector(retries = 0): { conn: MambuConnector; lines: string[] } {
  const lines: string[] = [];
  const base = testConnector({ retries });
  const conn = new MambuConnector({
    config: base.config,
    sleep: async () => {},
    logger: {
      debug: (m, meta) => lines.push(`debug ${m} ${JSON.stringify(meta)}`),
      warn: (m, meta) => lines.push(`warn ${m} ${JSON.stringify(meta)}`),
    },
    onRetry: (ev) => lines.push(`retry ${JSON.stringify(ev)} ${inspect(ev)}`),
  });
  return { conn, lines };
}

describe("rotateApiKey", () => {
  it("POSTs /apikey/rotation with the secretkey header and { apiKey, expirationTime }, and answers the new pair as Secrets", async () => {
    tenant().post("/api/apikey/rotation").reply(200, { apiKey: NEW_API_KEY, secretKey: NEW_SECRET });
    const { conn, lines } = watchedConnector();
    const rotated = await rotateApiKey({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET, expirationTime: 3600, connector: conn });

    expect(seen).toHaveLength(1);
    const r = seen[0];
    expect(r.headers.secretkey).toBe(OLD_SECRET);
    expect(JSON.parse(r.body!)).toEqual({ apiKey: OLD_API_KEY, expirationTime: 3600 });
    expect(r.headers["idempotency-key"]).toMatch(UUID_V4);
    const m = findOperation("POST", "/api/apikey/rotation")!;
    expect([m.resource, m.op.operationId]).toEqual(["apikey_rotation", "rotateKey"]);
    expect(validateAgainst("apikey_rotation", m.op.body!, JSON.parse(r.body!))).toEqual([]);

    expect(rotated.apiKey).toBeInstanceOf(Secret);
    expect(rotated.secretKey).toBeInstanceOf(Secret);
    expect(rotated.apiKey.reveal()).toBe(NEW_API_KEY);
    expect(rotated.secretKey.reveal()).toBe(NEW_SECRET);
    expect([rotated.apiKey.label, rotated.secretKey.label]).toEqual(["API key", "secret key"]);
    expect(inspect(rotated)).toBe("{ apiKey: Secret(API key: ****), secretKey: Secret(secret key: ****) }");
    expect(JSON.stringify(rotated)).toBe('{"apiKey":"****","secretKey":"****"}');
    expect(`${rotated.apiKey}`).toBe("****");
    expectNoSecret([...exposures(rotated), ...lines]);
    expect(knownSecrets()).toEqual(expect.arrayContaining([NEW_API_KEY, NEW_SECRET]));
  });

  it("takes the keys as Secrets and leaves expirationTime out when not given", async () => {
    tenant().post("/api/apikey/rotation").reply(200, { apiKey: NEW_API_KEY, secretKey: NEW_SECRET });
    await rotateApiKey({ apiKey: new Secret(OLD_API_KEY, "API key"), secretKey: new Secret(OLD_SECRET, "secret key"), connector: testConnector() });
    expect(seen[0].headers.secretkey).toBe(OLD_SECRET);
    expect(JSON.parse(seen[0].body!)).toEqual({ apiKey: OLD_API_KEY });
  });

  it.each([
    ["no apiKey", { secretKey: OLD_SECRET }, "apiKey is required"],
    ["an empty apiKey", { apiKey: "", secretKey: OLD_SECRET }, "apiKey is empty"],
    ["a blank secretKey", { apiKey: OLD_API_KEY, secretKey: "   " }, "secretKey is empty"],
    ["a number as apiKey", { apiKey: 12345678, secretKey: OLD_SECRET }, "apiKey must be a string or a Secret"],
    ["a secretKey with a line break", { apiKey: OLD_API_KEY, secretKey: `${OLD_SECRET}\r\nX-Evil: 1` }, "secretKey holds a line break"],
    ["an apiKey with spaces around", { apiKey: ` ${OLD_API_KEY}`, secretKey: OLD_SECRET }, "apiKey starts or ends with spaces"],
    ["a huge apiKey", { apiKey: `${OLD_API_KEY}${"x".repeat(5000)}`, secretKey: OLD_SECRET }, "longer than 4096"],
    ["a negative expirationTime", { apiKey: OLD_API_KEY, secretKey: OLD_SECRET, expirationTime: -1 }, "from 0 to 100000000, got -1"],
    ["a fractional expirationTime", { apiKey: OLD_API_KEY, secretKey: OLD_SECRET, expirationTime: 1.5 }, "from 0 to 100000000, got 1.5"],
    ["a too large expirationTime", { apiKey: OLD_API_KEY, secretKey: OLD_SECRET, expirationTime: 100000001 }, "got 100000001"],
    ["expirationTime as text", { apiKey: OLD_API_KEY, secretKey: OLD_SECRET, expirationTime: "60" }, "got string"],
    ["an unknown option", { apiKey: OLD_API_KEY, secretKey: OLD_SECRET, ttl: 60 }, 'unknown option "ttl"'],
  ])("refuses %s before sending anything, without showing the keys", async (_what, opts, message) => {
    const err = await rotateApiKey({ connector: testConnector(), ...(opts as object) } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect((err as Error).message).toContain(message);
    expect(seen).toEqual([]);
    expectNoSecret(exposures(err));
  });

  it("keeps both keys out of a refusal's message, excerpt, errors, logger lines — even when Mambu echoes them", async () => {
    tenant().post("/api/apikey/rotation").reply(401, {
      errors: [{ errorCode: 2, errorReason: "INVALID_CREDENTIALS", errorSource: `secretkey ${OLD_SECRET} for ${OLD_API_KEY}` }],
      echo: { apiKey: OLD_API_KEY, secretKey: OLD_SECRET },
    });
    const { conn, lines } = watchedConnector();
    const err = await rotateApiKey({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET, connector: conn }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).status).toBe(401);
    expect((err as MambuError).errorReason).toBe("INVALID_CREDENTIALS");
    expect((err as MambuError).errors?.[0]?.errorSource).toBe("secretkey **** for ****");
    expectNoSecret([...exposures(err), ...lines]);
    expect(lines.length).toBeGreaterThan(0);
  });

  it("keeps both keys out of retry events, warnings and the final error of a rotation retried on 503/500 (same Idempotency-Key)", async () => {
    const echo = `<html>busy: secretkey=${OLD_SECRET} apiKey=${encodeURIComponent(OLD_API_KEY)} ${JSON.stringify({ k: OLD_SECRET })}</html>`;
    tenant()
      .post("/api/apikey/rotation").reply(503, echo, { "Content-Type": "text/html" })
      .post("/api/apikey/rotation").reply(500, { errors: [{ errorCode: 500, errorReason: `INTERNAL_ERROR ${OLD_API_KEY}` }] })
      .post("/api/apikey/rotation").reply(503, JSON.stringify({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET }), { "Content-Type": "application/json" });
    const { conn, lines } = watchedConnector(5);
    const err = await rotateApiKey({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET, connector: conn, retries: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect((err as MambuCommError).status).toBe(503);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(lines.filter((l) => l.startsWith("retry "))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith("warn "))).toHaveLength(2);
    expect((err as MambuCommError).bodyExcerpt).toContain("****");
    expectNoSecret([...exposures(err), ...lines]);
  });

  it("is not retried unless asked: a rotation whose answer is lost cannot be repeated", async () => {
    tenant().post("/api/apikey/rotation").reply(503, "busy");
    const { conn, lines } = watchedConnector(5);
    const err = await rotateApiKey({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET, connector: conn }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(seen).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("retry "))).toEqual([]);
  });

  it.each([
    ["without secretKey", { apiKey: NEW_API_KEY }],
    ["with an empty apiKey", { apiKey: "", secretKey: NEW_SECRET }],
    ["with a number as secretKey", { apiKey: NEW_API_KEY, secretKey: 42 }],
    ["as a list", [{ apiKey: NEW_API_KEY, secretKey: NEW_SECRET }]],
  ])("answered %s: a MambuError that does not show the answer", async (_what, answer) => {
    tenant().post("/api/apikey/rotation").reply(200, answer);
    const err = await rotateApiKey({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET, connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as Error).message).toContain("malformed answer from Mambu");
    expectNoSecret(exposures(err));
  });

  it("answered malformed JSON holding the new keys: a MambuError without an excerpt of the body", async () => {
    tenant().post("/api/apikey/rotation").reply(200, `{"apiKey":"${NEW_API_KEY}","secretKey":"${NEW_SECRET}"`, { "Content-Type": "application/json" });
    const err = await rotateApiKey({ apiKey: OLD_API_KEY, secretKey: OLD_SECRET, connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).message).toContain("malformed JSON from Mambu");
    expect((err as MambuError).bodyExcerpt).toBeUndefined();
    expectNoSecret(exposures(err));
  });
});

const CONSUMER = {
  encodedKey: "8a19c0a1900ff1",
  id: "C1",
  name: "payments-gateway",
  type: "MAMBU_API",
  role: { encodedKey: "8a19role", id: "R1" },
  access: { administratorAccess: false, apiAccess: true, canManageAllBranches: true, creditOfficerAccess: false, permissions: ["VIEW_CLIENT_DETAILS"] },
  creationDate: "2026-01-02T10:00:00+01:00",
  lastModifiedDate: "2026-01-02T10:00:00+01:00",
};
const LISTED_KEY = "listedKey-1234567890abcdef";

describe("MambuApiConsumer", () => {
  it("get(idOrKey) reads GET /consumers/{id} (no detailsLevel: the contract has none) into an entity", async () => {
    tenant().get("/api/consumers/C1").reply(200, CONSUMER);
    const c = await MambuApiConsumer.get("C1", { connector: testConnector() });
    expect(seen.map((r) => r.path)).toEqual(["/api/consumers/C1"]);
    expect([c.id, c.name, c.type, c.role?.id, c.access?.permissions]).toEqual(["C1", "payments-gateway", "MAMBU_API", "R1", ["VIEW_CLIENT_DETAILS"]]);
    expect(c.creationDate?.toISO()).toBe("2026-01-02T10:00:00.000+01:00");
  });

  it("getAll({ type, offset, limit }) is the library's list: await for an array, for-await to stream", async () => {
    tenant()
      .get("/api/consumers").query({ type: "MAMBU_API", offset: "1", limit: "2" }).reply(200, [CONSUMER, { ...CONSUMER, id: "C2", encodedKey: "k2" }])
      .get("/api/consumers").query({ offset: "0", limit: "50" }).reply(200, [CONSUMER]);
    const listed = await MambuApiConsumer.getAll({ type: "MAMBU_API", offset: 1, limit: 2, connector: testConnector() });
    expect(listed.map((c) => c.id)).toEqual(["C1", "C2"]);
    expect(listed[0]).toBeInstanceOf(MambuApiConsumer);
    const streamed: string[] = [];
    for await (const c of MambuApiConsumer.getAll({ connector: testConnector() })) streamed.push(String(c.id));
    expect(streamed).toEqual(["C1"]);
    expect(() => MambuApiConsumer.getAll({ type: "ROBOT" } as never)).toThrow(/type must be one of MAMBU_API, STREAMING_API, AUDIT_TRAIL, PAYMENTS, got "ROBOT"/);
    expect(() => MambuApiConsumer.getAll({ sortBy: "name" } as never)).toThrow(/unknown option "sortBy"/);
  });

  it("create({...}) POSTs the fields with one v4 Idempotency-Key, the same on a retry, and takes Mambu's answer", async () => {
    tenant()
      .post("/api/consumers").reply(503, "busy")
      .post("/api/consumers").reply(201, CONSUMER);
    const c = await MambuApiConsumer.create(
      { name: "payments-gateway", type: "MAMBU_API", role: { encodedKey: "8a19role" }, access: { canManageAllBranches: true, permissions: ["VIEW_CLIENT_DETAILS"] } },
      { connector: testConnector({ retries: 2 }) },
    );
    expect(seen).toHaveLength(2);
    expect(seen[0].headers["idempotency-key"]).toMatch(UUID_V4);
    expect(seen[1].headers["idempotency-key"]).toBe(seen[0].headers["idempotency-key"]);
    expect(JSON.parse(seen[1].body!)).toEqual({
      name: "payments-gateway", type: "MAMBU_API", role: { encodedKey: "8a19role" }, access: { canManageAllBranches: true, permissions: ["VIEW_CLIENT_DETAILS"] },
    });
    const m = findOperation("POST", "/api/consumers")!;
    expect(validateAgainst("consumers", m.op.body!, JSON.parse(seen[1].body!))).toEqual([]);
    expect([c.id, c.encodedKey]).toEqual(["C1", "8a19c0a1900ff1"]);
    await expect(MambuApiConsumer.create({ name: "x", type: "MAMBU_API", colour: "red" } as never, { connector: testConnector() })).rejects.toThrow(/colour is not a field of ApiConsumer/);
  });

  it("update() PUTs the whole consumer, patch() sends what changed, delete() DELETEs it — by encodedKey", async () => {
    tenant()
      .get("/api/consumers/C1").reply(200, CONSUMER)
      .put("/api/consumers/8a19c0a1900ff1").reply(200, { ...CONSUMER, name: "renamed" })
      .patch("/api/consumers/8a19c0a1900ff1").reply(204)
      .delete("/api/consumers/8a19c0a1900ff1").reply(204);
    const c = await MambuApiConsumer.get("C1", { connector: testConnector() });
    c.name = "renamed";
    await c.update();
    expect(JSON.parse(seen[1].body!)).toMatchObject({ name: "renamed", type: "MAMBU_API" });
    expect(c.name).toBe("renamed");
    c.access!.administratorAccess = true;
    const ops = await c.patch();
    expect(ops).toEqual([{ op: "REPLACE", path: "/access", value: { ...CONSUMER.access, administratorAccess: true } }]);
    expect(JSON.parse(seen[2].body!)).toEqual(ops);
    expect(seen[2].headers["idempotency-key"]).toMatch(UUID_V4);
    await c.delete();
    expect(seen.map((r) => r.method)).toEqual(["GET", "PUT", "PATCH", "DELETE"]);
  });

  describe("keys", () => {
    async function consumer(): Promise<MambuApiConsumer> {
      return MambuApiConsumer.fromWire(CONSUMER, testConnector({ retries: 2 }));
    }

    it("apiKeys() lists { id, expirationTime, apiKey } with each key as Mambu lists it in a Secret", async () => {
      tenant().get("/api/consumers/8a19c0a1900ff1/apikeys").reply(200, [
        { id: "K1", expirationTime: 3600, apiKey: LISTED_KEY },
        { id: "K2" },
      ]);
      const keys = await (await consumer()).apiKeys();
      expect(keys).toHaveLength(2);
      expect(keys[0]).toEqual({ id: "K1", expirationTime: 3600, apiKey: expect.any(Secret) });
      expect(keys[0].apiKey!.reveal()).toBe(LISTED_KEY);
      expect(keys[1]).toEqual({ id: "K2" });
      expect(inspect(keys)).toContain("apiKey: Secret(API key: ****)");
      expectNoSecret([...exposures(keys), inspect(await consumer())], [LISTED_KEY]);
    });

    it.each([
      ["not a list", { apiKey: LISTED_KEY }],
      ["a key without id", [{ apiKey: LISTED_KEY }]],
      ["a key whose apiKey is no string", [{ id: "K1", apiKey: { v: LISTED_KEY } }]],
      ["a fractional expirationTime", [{ id: "K1", apiKey: LISTED_KEY, expirationTime: 1.5 }]],
    ])("apiKeys() answered %s: a MambuError that does not show the answer", async (_what, answer) => {
      tenant().get("/api/consumers/8a19c0a1900ff1/apikeys").reply(200, answer);
      const err = await (await consumer()).apiKeys().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MambuError);
      expect((err as Error).message).toContain("malformed answer from Mambu");
      expectNoSecret(exposures(err), [LISTED_KEY]);
    });

    it("createApiKey({ expirationTime }) POSTs it with one Idempotency-Key (the same on retry) and answers the new key as a Secret", async () => {
      const { conn, lines } = watchedConnector(2);
      tenant()
        .post("/api/consumers/8a19c0a1900ff1/apikeys").reply(500, { errors: [{ errorCode: 500, errorReason: "INTERNAL_ERROR" }] })
        .post("/api/consumers/8a19c0a1900ff1/apikeys").reply(201, { id: "K3", expirationTime: 60, apiKey: NEW_API_KEY });
      const c = (await consumer()).setConnector(conn);
      const created = await c.createApiKey({ expirationTime: 60 });
      expect(seen).toHaveLength(2);
      expect(JSON.parse(seen[0].body!)).toEqual({ expirationTime: 60 });
      expect(seen[0].headers["idempotency-key"]).toMatch(UUID_V4);
      expect(seen[1].headers["idempotency-key"]).toBe(seen[0].headers["idempotency-key"]);
      expect(created).toEqual({ id: "K3", expirationTime: 60, apiKey: expect.any(Secret) });
      expect(created.apiKey.reveal()).toBe(NEW_API_KEY);
      expect(JSON.stringify(created)).toBe('{"id":"K3","expirationTime":60,"apiKey":"****"}');
      expectNoSecret([...exposures(created), ...lines, inspect(c), JSON.stringify(c)]);
      await expect(c.createApiKey({ expirationTime: -5 })).rejects.toThrow(/expirationTime must be a whole number of seconds from 0 to 100000000/);
      await expect(c.createApiKey({ ttl: 5 } as never)).rejects.toThrow(/unknown option "ttl"/);
      expect(seen).toHaveLength(2);
    });

    it("createApiKey() sends an empty body without expirationTime; an answer without the key is a MambuError that shows nothing of it", async () => {
      tenant().post("/api/consumers/8a19c0a1900ff1/apikeys").reply(201, { id: "K4", expirationTime: 60, apiKey: "" })
        .post("/api/consumers/8a19c0a1900ff1/apikeys").reply(201, `{"id":"K5","apiKey":"${NEW_API_KEY}"`, { "Content-Type": "application/json" });
      const c = await consumer();
      await expect(c.createApiKey()).rejects.toThrow(/the created API key has no apiKey/);
      expect(seen[0].body).toBe("{}");
      const err = await c.createApiKey().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MambuError);
      expect((err as MambuError).bodyExcerpt).toBeUndefined();
      expectNoSecret(exposures(err));
    });

    it("deleteApiKey(id) DELETEs /consumers/{key}/apikeys/{id}; an empty id is refused", async () => {
      tenant().delete("/api/consumers/8a19c0a1900ff1/apikeys/K%2F1").reply(204);
      const c = await consumer();
      await c.deleteApiKey("K/1");
      expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /api/consumers/8a19c0a1900ff1/apikeys/K%2F1"]);
      await expect(c.deleteApiKey("")).rejects.toThrow(/the key id must be a non-empty string/);
    });

    it("createSecretKey() POSTs /secretkeys with an Idempotency-Key and answers a Secret; a malformed answer shows nothing", async () => {
      tenant()
        .post("/api/consumers/8a19c0a1900ff1/secretkeys").reply(201, { secretKey: NEW_SECRET })
        .post("/api/consumers/8a19c0a1900ff1/secretkeys").reply(201, { secretKey: [NEW_SECRET] });
      const c = await consumer();
      const key = await c.createSecretKey();
      expect(key).toBeInstanceOf(Secret);
      expect([key.reveal(), key.label, String(key), inspect(key)]).toEqual([NEW_SECRET, "secret key", "****", "Secret(secret key: ****)"]);
      expect(seen[0].headers["idempotency-key"]).toMatch(UUID_V4);
      expect(seen[0].body ?? "").toBe("");
      const err = await c.createSecretKey().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MambuError);
      expectNoSecret(exposures(err));
    });

    it("a consumer not yet created has no keys to list", async () => {
      const c = new MambuApiConsumer({ name: "x", type: "MAMBU_API" });
      await expect(c.apiKeys()).rejects.toThrow(/has no id or encodedKey yet/);
    });
  });
});
