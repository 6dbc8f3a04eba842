/**
 * Sandbox e2e: API consumers, their API keys and secret keys, and key rotation — keys that really authenticate.
 * A created API key works in the `apiKey` header until it expires by the sandbox clock, is deleted, is rotated,
 * or its consumer is deleted; the rotation (`POST /apikey/rotation`, header `secretkey`) hands out a new key and a
 * new secret once and retires the old pair; the sandbox keeps only digests, so neither lists nor the persisted
 * state ever hold a plain key or secret.
 */
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { MAX_KEYS_PER_CONSUMER } from "../../lib/sandbox/platform/api-keys";
import { call, expectContractAnswer } from "./sandbox-helpers";

let sb: Sandbox;
let dir: string;
let stateFile: string;
/** Every plain key and secret the sandbox handed out (none may ever be stored). */
const handedOut: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mambu-consumers-"));
  stateFile = join(dir, "state.json");
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, persist: stateFile });
});
afterAll(async () => {
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Headers that authenticate with an API key only (no Basic). */
const withKey = (apiKey: string): Record<string, string> => ({ Authorization: "", apiKey });

const CREDENTIALS_401 = { errors: [{ errorCode: 2, errorSource: "credentials", errorReason: "INVALID_CREDENTIALS" }] };

async function newConsumer(name: string, extra: Record<string, unknown> = {}): Promise<{ id: string; encodedKey: string }> {
  const r = await call(sb, "POST", "/consumers", { body: { name, type: "MAMBU_API", ...extra } });
  expect(r.status).toBe(201);
  return r.body;
}

async function newApiKey(consumerId: string, expirationTime?: number): Promise<{ id: string; apiKey: string; expirationTime: number }> {
  const r = await call(sb, "POST", `/consumers/${consumerId}/apikeys`, expirationTime === undefined ? {} : { body: { expirationTime } });
  expectContractAnswer("POST", "/consumers/{apiConsumerId}/apikeys", r, { status: 201, resource: "consumers", strict: true });
  handedOut.push(r.body.apiKey);
  return r.body;
}

async function newSecret(consumerId: string): Promise<string> {
  const r = await call(sb, "POST", `/consumers/${consumerId}/secretkeys`);
  expectContractAnswer("POST", "/consumers/{apiConsumerId}/secretkeys", r, { status: 201, resource: "consumers", strict: true });
  handedOut.push(r.body.secretKey);
  return r.body.secretKey;
}

async function rotate(secretkey: string, body: unknown): Promise<Awaited<ReturnType<typeof call>>> {
  const r = await call(sb, "POST", "/apikey/rotation", { headers: { Authorization: "", secretkey }, body });
  if (r.status === 200) handedOut.push(r.body.apiKey, r.body.secretKey);
  return r;
}

/** Status of a GET authenticated by the key alone. */
async function statusWith(apiKey: string): Promise<number> {
  return (await call(sb, "GET", "/branches", { headers: withKey(apiKey) })).status;
}

describe("API consumers: create, read, list, update, patch, delete", () => {
  it("round-trips a consumer: generated id and key, apiAccess on, role and branch by id stored as keys, dates from the sandbox clock", async () => {
    const role = sb.store.find("userroles", "CO")!;
    const branch = sb.store.find("branches", "MTY")!;
    const created = await call(sb, "POST", "/consumers", {
      body: { name: "Payments gateway", type: "PAYMENTS", role: { id: "CO" }, assignedBranchKey: "MTY", transactionLimits: { DEPOSIT: 5000 }, id: "MINE", extra: "x" },
    });
    expectContractAnswer("POST", "/consumers", created, { status: 201, resource: "consumers", strict: true });
    const c = created.body;
    expect(c).toEqual({
      name: "Payments gateway", type: "PAYMENTS",
      role: { encodedKey: role.encodedKey, id: "CO" }, assignedBranchKey: branch.encodedKey, transactionLimits: { DEPOSIT: 5000 },
      access: { apiAccess: true },
      id: expect.any(String), encodedKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      creationDate: "2026-01-15T10:00:00+02:00", lastModifiedDate: "2026-01-15T10:00:00+02:00",
    });
    expect(c.id).not.toBe("MINE"); // id is read-only: the sandbox numbers consumers

    for (const ref of [c.id, c.encodedKey]) {
      const got = await call(sb, "GET", `/consumers/${ref}`);
      expectContractAnswer("GET", "/consumers/{apiConsumerId}", got, { status: 200, resource: "consumers", strict: true });
      expect(got.body).toEqual(c);
    }

    sb.clock.advance({ minutes: 5 });
    const put = await call(sb, "PUT", `/consumers/${c.id}`, { body: { ...c, name: "Payments gateway 2", type: "MAMBU_API", id: "OTHER", access: { apiAccess: false, administratorAccess: true } } });
    expectContractAnswer("PUT", "/consumers/{apiConsumerId}", put, { status: 200, resource: "consumers", strict: true });
    expect(put.body).toEqual({
      ...c, name: "Payments gateway 2", type: "MAMBU_API", access: { apiAccess: true, administratorAccess: true }, lastModifiedDate: "2026-01-15T10:05:00+02:00",
    });

    const patch = await call(sb, "PATCH", `/consumers/${c.id}`, { body: [{ op: "REPLACE", path: "/name", value: "Gateway" }, { op: "REMOVE", path: "/transactionLimits" }] });
    expectContractAnswer("PATCH", "/consumers/{apiConsumerId}", patch, { status: 204, resource: "consumers", strict: true });
    const patched = (await call(sb, "GET", `/consumers/${c.id}`)).body;
    expect(patched.name).toBe("Gateway");
    expect(patched.transactionLimits).toBeUndefined();
    const readOnly = await call(sb, "PATCH", `/consumers/${c.id}`, { body: [{ op: "REPLACE", path: "/id", value: "X" }] });
    expect(readOnly.status).toBe(400);

    const del = await call(sb, "DELETE", `/consumers/${c.encodedKey}`);
    expectContractAnswer("DELETE", "/consumers/{apiConsumerId}", del, { status: 204, resource: "consumers", strict: true });
    const gone = await call(sb, "GET", `/consumers/${c.id}`);
    expectContractAnswer("GET", "/consumers/{apiConsumerId}", gone, { status: 404, resource: "consumers", strict: true });
    expect(gone.body.errors[0]).toMatchObject({ errorCode: 29, errorReason: "OBJECT_NOT_FOUND" });
    for (const [method, path] of [["PUT", `/consumers/${c.id}`], ["PATCH", `/consumers/${c.id}`], ["DELETE", `/consumers/${c.id}`], ["GET", `/consumers/${c.id}/apikeys`], ["POST", `/consumers/${c.id}/apikeys`], ["POST", `/consumers/${c.id}/secretkeys`]]) {
      const body = method === "PUT" ? { name: "x", type: "PAYMENTS" } : method === "PATCH" ? [{ op: "REPLACE", path: "/name", value: "y" }] : undefined;
      expect({ method, path, status: (await call(sb, method, path, body === undefined ? {} : { body })).status }).toEqual({ method, path, status: 404 });
    }
  });

  it("lists consumers with offset, limit, pagination details and the type filter", async () => {
    const a = await newConsumer("List A");
    const b = await newConsumer("List B", { type: "AUDIT_TRAIL" });
    const all = await call(sb, "GET", "/consumers?paginationDetails=ON&limit=1000");
    expectContractAnswer("GET", "/consumers", all, { status: 200, resource: "consumers", strict: true });
    const ids = all.body.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(all.headers.get("items-total")).toBe(String(ids.length));
    const audit = await call(sb, "GET", "/consumers?type=AUDIT_TRAIL");
    expect(audit.body.map((x: { id: string }) => x.id)).toEqual([b.id]);
    const page = await call(sb, "GET", `/consumers?offset=${ids.indexOf(b.id)}&limit=1`);
    expect(page.body.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expect((await call(sb, "GET", "/consumers?type=NOPE")).status).toBe(400);
  });

  it("refuses a consumer without name or type, a blank name, an unknown type, role or branch — and stores nothing", async () => {
    const before = sb.store.count("apiconsumers");
    const cases: Array<[unknown, string]> = [
      [{ type: "MAMBU_API" }, "INVALID_PARAMETERS"],
      [{ name: "No type" }, "INVALID_PARAMETERS"],
      [{ name: "  ", type: "MAMBU_API" }, "INVALID_PARAMETERS"],
      [{ name: "Bad type", type: "ROBOT" }, "INVALID_PARAMETERS"],
      [{ name: "Bad role", type: "MAMBU_API", role: { id: "NO_SUCH_ROLE" } }, "INVALID_ROLE_ID"],
      [{ name: "Bad branch", type: "MAMBU_API", assignedBranchKey: "NO_SUCH_BRANCH" }, "INVALID_BRANCH_KEY"],
      [{ name: "Bad limits", type: "MAMBU_API", transactionLimits: { DEPOSIT: -1 } }, "INVALID_PARAMETERS"],
    ];
    for (const [body, reason] of cases) {
      const r = await call(sb, "POST", "/consumers", { body });
      expectContractAnswer("POST", "/consumers", r, { status: 400, resource: "consumers" });
      expect({ body, reason: r.body.errors[0].errorReason }).toEqual({ body, reason });
    }
    expect(sb.store.count("apiconsumers")).toBe(before);
  });
});

describe("API keys", () => {
  it("a created key authenticates a GET on its own; it is shown once, listed masked, and deleting it refuses it at once", async () => {
    const c = await newConsumer("Key user");
    const k = await newApiKey(c.id);
    expect(k).toEqual({ id: expect.any(String), apiKey: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), expirationTime: 0 });
    const r = await call(sb, "GET", "/clients/0512N0025", { headers: withKey(k.apiKey) });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe("0512N0025");

    const list = await call(sb, "GET", `/consumers/${c.id}/apikeys`);
    expectContractAnswer("GET", "/consumers/{apiConsumerId}/apikeys", list, { status: 200, resource: "consumers", strict: true });
    expect(list.body).toEqual([{ id: k.id, expirationTime: 0, apiKey: `${k.apiKey.slice(0, 4)}****` }]);
    expect(list.text).not.toContain(k.apiKey);

    const del = await call(sb, "DELETE", `/consumers/${c.id}/apikeys/${k.id}`);
    expectContractAnswer("DELETE", "/consumers/{apiConsumerId}/apikeys/{apiKeyId}", del, { status: 204, resource: "consumers", strict: true });
    const refused = await call(sb, "GET", "/branches", { headers: withKey(k.apiKey) });
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: CREDENTIALS_401 });
    expect((await call(sb, "GET", `/consumers/${c.id}/apikeys`)).body).toEqual([]);
    const again = await call(sb, "DELETE", `/consumers/${c.id}/apikeys/${k.id}`);
    expectContractAnswer("DELETE", "/consumers/{apiConsumerId}/apikeys/{apiKeyId}", again, { status: 404, resource: "consumers", strict: true });
  });

  it("a key with expirationTime T works until T seconds after its creation by the sandbox clock, then answers 401", async () => {
    const c = await newConsumer("Short-lived");
    const k = await newApiKey(c.id, 600);
    const forever = await newApiKey(c.id);
    expect(k.expirationTime).toBe(600);
    expect(await statusWith(k.apiKey)).toBe(200);
    sb.clock.advance({ minutes: 9 });
    expect(await statusWith(k.apiKey)).toBe(200);
    sb.clock.advance({ minutes: 1 });
    expect(await statusWith(k.apiKey)).toBe(401);
    expect((await call(sb, "GET", `/consumers/${c.id}/apikeys`)).body.map((x: { id: string }) => x.id)).toEqual([forever.id]);
    sb.clock.advance({ days: 3650 });
    expect(await statusWith(forever.apiKey)).toBe(200); // 0: no expiry
  });

  it("deleting the consumer refuses its keys at once; another consumer's key id is not found; the demo users keep working", async () => {
    const c = await newConsumer("Doomed");
    const other = await newConsumer("Other");
    const k = await newApiKey(c.id);
    const secret = await newSecret(c.id);
    expect(await statusWith(k.apiKey)).toBe(200);
    expect((await call(sb, "DELETE", `/consumers/${other.id}/apikeys/${k.id}`)).status).toBe(404);
    expect(await statusWith(k.apiKey)).toBe(200);
    expect((await call(sb, "DELETE", `/consumers/${c.id}`)).status).toBe(204);
    expect(await statusWith(k.apiKey)).toBe(401);
    expect((await rotate(secret, { apiKey: k.apiKey })).status).toBe(401);
    expect(await statusWith("demo-api-key")).toBe(200);
    expect((await call(sb, "GET", "/branches")).status).toBe(200); // demo / demo
  });

  it("a retried POST with the same Idempotency-Key answers the same key again and creates no second one", async () => {
    const c = await newConsumer("Retrier");
    const headers = { "Idempotency-Key": "6f1c2c1e-3a4b-4c5d-8e6f-7a8b9c0d1e2f" };
    const first = await call(sb, "POST", `/consumers/${c.id}/apikeys`, { headers, body: { expirationTime: 60 } });
    const second = await call(sb, "POST", `/consumers/${c.id}/apikeys`, { headers, body: { expirationTime: 60 } });
    handedOut.push(first.body.apiKey);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get("idempotency-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect((await call(sb, "GET", `/consumers/${c.id}/apikeys`)).body).toHaveLength(1);
  });

  it("refuses a bad expirationTime, a secret key in the apiKey header, and more than the allowed number of keys", async () => {
    const c = await newConsumer("Bounded");
    for (const expirationTime of [-1, 1.5, "60", 100_000_001]) {
      const r = await call(sb, "POST", `/consumers/${c.id}/apikeys`, { body: { expirationTime } });
      expectContractAnswer("POST", "/consumers/{apiConsumerId}/apikeys", r, { status: 400, resource: "consumers" });
    }
    const secret = await newSecret(c.id);
    expect(await statusWith(secret)).toBe(401);
    for (let i = 0; i < MAX_KEYS_PER_CONSUMER; i++) {
      const r = await call(sb, "POST", `/consumers/${c.id}/apikeys`);
      expect(r.status).toBe(201);
      handedOut.push(r.body.apiKey);
    }
    const over = await call(sb, "POST", `/consumers/${c.id}/apikeys`);
    expectContractAnswer("POST", "/consumers/{apiConsumerId}/apikeys", over, { status: 400, resource: "consumers" });
    expect(over.body.errors[0].errorSource).toMatch(/at most 100 API keys/);
    expect((await call(sb, "GET", `/consumers/${c.id}/apikeys`)).body).toHaveLength(MAX_KEYS_PER_CONSUMER);
  });
});

describe("POST /apikey/rotation", () => {
  it("with the consumer's secret key alone: a new key and secret, once; the new key works, the old key and the used secret are refused", async () => {
    const c = await newConsumer("Rotator");
    const k = await newApiKey(c.id);
    const secret = await newSecret(c.id);
    const r = await rotate(secret, { apiKey: k.apiKey, expirationTime: 3600 });
    expectContractAnswer("POST", "/apikey/rotation", r, { status: 200, resource: "apikey_rotation", strict: true });
    expect(r.body).toEqual({ apiKey: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), secretKey: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });
    expect([r.body.apiKey, r.body.secretKey]).not.toContain(k.apiKey);
    expect(r.body.secretKey).not.toBe(secret);

    expect(await statusWith(r.body.apiKey)).toBe(200);
    expect(await statusWith(k.apiKey)).toBe(401);
    const reuse = await rotate(secret, { apiKey: r.body.apiKey });
    expect({ status: reuse.status, body: reuse.body }).toEqual({ status: 401, body: CREDENTIALS_401 });
    const list = (await call(sb, "GET", `/consumers/${c.id}/apikeys`)).body;
    expect(list).toEqual([{ id: expect.any(String), expirationTime: 3600, apiKey: `${r.body.apiKey.slice(0, 4)}****` }]);

    const next = await rotate(r.body.secretKey, { apiKey: r.body.apiKey });
    expect(next.status).toBe(200);
    expect(await statusWith(next.body.apiKey)).toBe(200);
    expect(await statusWith(r.body.apiKey)).toBe(401);
  });

  it("a wrong, missing or other consumer's secret, or a wrong key, is 401 and changes nothing; neither is echoed", async () => {
    const c = await newConsumer("Guarded");
    const other = await newConsumer("Stranger");
    const k = await newApiKey(c.id);
    const secret = await newSecret(c.id);
    const strangerSecret = await newSecret(other.id);
    const strangerKey = await newApiKey(other.id);
    const keysBefore = JSON.stringify(sb.store.all("apikeys"));
    const attempts: Array<[Record<string, string>, unknown]> = [
      [{ secretkey: "not-a-secret" }, { apiKey: k.apiKey }],
      [{ secretkey: strangerSecret }, { apiKey: k.apiKey }],
      [{ secretkey: secret }, { apiKey: strangerKey.apiKey }],
      [{ secretkey: secret }, { apiKey: "not-a-key" }],
      [{ secretkey: k.apiKey }, { apiKey: k.apiKey }],
      [{ apiKey: k.apiKey }, { apiKey: k.apiKey }],
      [{}, { apiKey: k.apiKey }], // demo Basic credentials only
    ];
    for (const [headers, body] of attempts) {
      const r = await call(sb, "POST", "/apikey/rotation", { headers, body });
      expectContractAnswer("POST", "/apikey/rotation", r, { status: 401, resource: "apikey_rotation", strict: true });
      expect(r.body).toEqual(CREDENTIALS_401);
    }
    const badTtl = await rotate(secret, { apiKey: k.apiKey, expirationTime: 100_000_001 });
    expectContractAnswer("POST", "/apikey/rotation", badTtl, { status: 400, resource: "apikey_rotation", strict: true });
    expect(badTtl.text).not.toContain(k.apiKey);
    expect(badTtl.text).not.toContain(secret);
    expect(JSON.stringify(sb.store.all("apikeys"))).toBe(keysBefore);
    expect(await statusWith(k.apiKey)).toBe(200);
    expect((await rotate(secret, { apiKey: k.apiKey })).status).toBe(200); // the pair still rotates
  });
});

describe("secrets at rest", () => {
  it("the store and the persisted state hold digests only: no key or secret handed out appears in them", async () => {
    expect(handedOut.length).toBeGreaterThan(100);
    const snapshot = JSON.stringify(sb.store.snapshot());
    sb.persistNow();
    const persisted = readFileSync(stateFile, "utf8");
    expect(persisted).toContain('"apikeys"');
    const leaked = handedOut.filter((key) => snapshot.includes(key) || persisted.includes(key));
    expect(leaked).toEqual([]);
  });

  it("keys keep working after the sandbox restarts from its persisted state", async () => {
    const c = await newConsumer("Survivor");
    const k = await newApiKey(c.id);
    sb.persistNow();
    const again = await startSandbox({ port: 0, persist: stateFile, clock: { start: sb.clock.nowIso() } });
    try {
      const r = await call(again, "GET", "/branches", { headers: withKey(k.apiKey) });
      expect(r.status).toBe(200);
      expect((await call(again, "GET", "/branches", { headers: withKey(`${k.apiKey}x`) })).status).toBe(401);
    } finally {
      await again.stop();
    }
  });
});
