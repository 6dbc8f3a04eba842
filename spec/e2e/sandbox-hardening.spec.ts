/**
 * Sandbox e2e: hostile or careless input. No request, seed or state file reaches Object.prototype (PATCH paths,
 * keys of JSON bodies, query parameters, multipart part names); an Idempotency-Key belongs to one API user and
 * one request; bodies are bounded in size and nesting and must be UTF-8; X-Sandbox-Fault needs credentials.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { MAX_FORM_FIELD_BYTES, MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH, Sandbox, startSandbox } from "../../lib/sandbox";
import { DEFAULT_USERS } from "../../lib/sandbox/auth";
import { call, DEMO_AUTH } from "./sandbox-helpers";

/** A second API user, made up at run time (sandbox only). */
const OTHER = { username: "auditor", password: randomUUID() };
const OTHER_AUTH = `Basic ${Buffer.from(`${OTHER.username}:${OTHER.password}`).toString("base64")}`;

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, users: [...DEFAULT_USERS, OTHER] });
});
afterAll(async () => {
  await sb.stop();
});

/** Own property names of the prototypes a pollution would reach, to compare before and after. */
const prototypesNow = (): string[] =>
  [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(","));
const pristine = prototypesNow();

/** Mambu's 400 INVALID_PARAMETERS body. */
const invalidParameters = { errors: [{ errorCode: 4, errorSource: expect.any(String), errorReason: "INVALID_PARAMETERS" }] };

/** The process is clean and the sandbox still tells callers apart. */
async function expectUnpolluted(): Promise<void> {
  expect(prototypesNow()).toEqual(pristine);
  expect((await call(sb, "GET", "/branches", { headers: { Authorization: "" } })).status).toBe(401);
  expect((await call(sb, "GET", "/branches")).status).toBe(200);
  expect((await call(sb, "GET", "/branches", { headers: { Authorization: "", apikey: "demo-api-key" } })).status).toBe(200);
}

describe("prototype pollution", () => {
  afterEach(expectUnpolluted);

  it("PATCH /__proto__/authorization, /x-sandbox-fault and /apikey are 400s and change nothing", async () => {
    const before = (await call(sb, "GET", "/clients/0512N0025?detailsLevel=FULL")).body;
    for (const [field, value] of [["authorization", DEMO_AUTH], ["x-sandbox-fault", "503"], ["apikey", "nobody"]]) {
      for (const op of ["add", "replace", "ADD"]) {
        const r = await call(sb, "PATCH", "/clients/0512N0025", { body: [{ op, path: `/__proto__/${field}`, value }] });
        expect(r.status).toBe(400);
        expect(r.body).toEqual(invalidParameters);
        expect(r.body.errors[0].errorSource).toMatch(/__proto__/);
      }
    }
    expect((await call(sb, "GET", "/clients/0512N0025?detailsLevel=FULL")).body).toEqual(before);
  });

  it("constructor and prototype segments, nested __proto__, move from __proto__ and __proto__ sets are 400s", async () => {
    const before = (await call(sb, "GET", "/clients/0512N0025?detailsLevel=FULL")).body;
    const ops = [
      { op: "add", path: "/constructor/prototype/authorization", value: DEMO_AUTH },
      { op: "replace", path: "constructor/prototype/apikey", value: "x" },
      { op: "add", path: "/prototype", value: 1 },
      { op: "add", path: "__proto__", value: { authorization: DEMO_AUTH } },
      { op: "add", path: "/_OtherDetails/__proto__/authorization", value: DEMO_AUTH },
      { op: "add", path: "/addresses/0/__proto__/authorization", value: DEMO_AUTH },
      { op: "add", path: "/addresses/__proto__", value: {} },
      { op: "remove", path: "/__proto__/toString" },
      { op: "move", from: "/__proto__", path: "/firstName" },
      { op: "move", from: "/firstName", path: "/constructor/prototype/x" },
    ];
    for (const op of ops) {
      const r = await call(sb, "PATCH", "/clients/0512N0025", { body: [op] });
      expect([op, r.status]).toEqual([op, 400]);
      expect(r.body).toEqual(invalidParameters);
    }
    expect((await call(sb, "GET", "/clients/0512N0025?detailsLevel=FULL")).body).toEqual(before);
  });

  it("PATCH values, POST and PUT bodies with a __proto__ key anywhere are 400s; nothing is written", async () => {
    const before = sb.store.count("clients");
    const proto = (inner: string): unknown => JSON.parse(`{"__proto__": ${inner}}`);
    const bad = [
      { ...(proto(`{"authorization": "x"}`) as object), firstName: "ANA", lastName: "PROTO" },
      { firstName: "ANA", lastName: "PROTO", addresses: [proto(`{"apikey": "x"}`)] },
      { firstName: "ANA", lastName: "PROTO", _OtherDetails: proto(`{"Age": "1"}`) },
    ];
    for (const body of bad) {
      const raw = JSON.stringify(body);
      expect(raw).toContain("__proto__");
      const r = await call(sb, "POST", "/clients", { raw, headers: { "Content-Type": "application/json" } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual(invalidParameters);
      const put = await call(sb, "PUT", "/clients/0512N0026", { raw, headers: { "Content-Type": "application/json" } });
      expect(put.status).toBe(400);
    }
    const patch = await call(sb, "PATCH", "/clients/0512N0026", {
      raw: `[{"op":"add","path":"/_OtherDetails","value":{"__proto__":{"authorization":"x"}}}]`,
      headers: { "Content-Type": "application/json" },
    });
    expect(patch.status).toBe(400);
    expect(sb.store.count("clients")).toBe(before);
    expect((await call(sb, "GET", "/clients/0512N0026")).body.lastName).toBe("MARTINEZ");
  });

  it("query parameters named __proto__ or constructor are just unknown parameters", async () => {
    const r = await call(sb, "GET", "/clients?__proto__=x&constructor=y&__proto__[authorization]=z&hasOwnProperty=1");
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThan(0);
    const search = await call(sb, "POST", "/clients:search?__proto__=1", { body: { filterCriteria: [{ field: "constructor", operator: "EQUALS", value: "x" }] } });
    expect(search.status).toBe(400);
    const cf = await call(sb, "POST", "/clients:search", { body: { filterCriteria: [{ field: "_OtherDetails.constructor", operator: "EQUALS", value: "x" }] } });
    expect(cf.status).toBe(400);
  });

  it("multipart parts named __proto__ or constructor do not change what the upload means", async () => {
    const boundary = "----hardening";
    const part = (name: string, value: string, filename?: string): string =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: text/plain` : ""}\r\n\r\n${value}\r\n`;
    const body =
      part("__proto__", "x") + part("__proto__", "fake", "fake.txt") + part("constructor", "y") +
      part("ownerType", "CLIENT") + part("id", "0512N0027") + part("file", "real", "real.txt") + `--${boundary}--\r\n`;
    const r = await call(sb, "POST", "/documents", { raw: body, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ fileName: "real.txt", fileSize: 4, ownerType: "CLIENT" });
    const noFile = part("__proto__", "evil", "evil.txt") + part("ownerType", "CLIENT") + part("id", "0512N0027") + `--${boundary}--\r\n`;
    const r2 = await call(sb, "POST", "/documents", { raw: noFile, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
    expect(r2.status).toBe(400);
  });

  it("any PATCH path over HTTP: 204 or Mambu's 400, never a 500 and never the process's prototypes", async () => {
    const client = `/clients/${sb.store.find("clients", "0512N0027")!.encodedKey}`; // the id itself may be patched
    const seg = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "toString", "_OtherDetails", "addresses", "0", "notes", "-"), fc.string({ maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(fc.array(seg, { minLength: 1, maxLength: 3 }), fc.constantFrom("add", "replace", "remove"), fc.jsonValue({ maxDepth: 2 }), async (segs, op, value) => {
        const r = await call(sb, "PATCH", client, { body: [{ op, path: `/${segs.join("/")}`, value }] });
        expect([204, 400]).toContain(r.status);
        if (r.status === 400) expect(r.body).toEqual(invalidParameters);
        if (segs.some((s) => ["__proto__", "constructor", "prototype"].includes(s))) expect(r.status).toBe(400);
        expect(prototypesNow()).toEqual(pristine);
      }),
      { numRuns: 60 },
    );
  });

  it("seeds and state files with a __proto__ key are refused at start", async () => {
    const seed = JSON.parse(`{"collections": {"branches": [{"id": "X", "name": "X", "__proto__": {"authorization": "x"}}]}}`);
    await expect(startSandbox({ port: 0, data: seed })).rejects.toThrow(/__proto__/);
    const dir = mkdtempSync(join(tmpdir(), "sandbox-hardening-"));
    try {
      const file = join(dir, "state.json");
      writeFileSync(file, `{"collections": {"clients": []}, "extra": {"__proto__": {"apikey": "x"}}}`);
      await expect(startSandbox({ port: 0, persist: file })).rejects.toThrow(/__proto__/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("idempotency", () => {
  const repay = (loan: string, amount: number, key: string, auth = DEMO_AUTH) =>
    call(sb, "POST", `/loans/${loan}/repayment-transactions`, { body: { amount }, headers: { "Idempotency-Key": key, Authorization: auth } });
  const repayments = (loan: string): number[] => {
    const key = sb.store.find("loans", loan)!.encodedKey;
    return sb.store.all("loanTransactions").filter((t) => t.parentAccountKey === key && t.type === "REPAYMENT").map((t) => Number(t.amount));
  };

  it("the same key with another body is a 422 saying so: no replay, no second execution", async () => {
    const key = randomUUID();
    const before = repayments("54322");
    const first = await repay("54322", 10, key);
    expect(first.status).toBe(201);
    const other = await repay("54322", 999, key);
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ errors: [{ errorCode: 4, errorSource: expect.stringMatching(/Idempotency-Key .* already used for another request/), errorReason: "INVALID_PARAMETERS" }] });
    expect(repayments("54322")).toEqual([...before, 10]);
    const again = await repay("54322", 10, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(repayments("54322")).toEqual([...before, 10]);
  });

  it("the same key on another path or with another method is a 422 too", async () => {
    const key = randomUUID();
    expect((await repay("54322", 5, key)).status).toBe(201);
    const before = repayments("54326");
    expect((await repay("54326", 5, key)).status).toBe(422);
    expect(repayments("54326")).toEqual(before);
    const patch = await call(sb, "PATCH", "/loans/54322", { body: [{ op: "replace", path: "/notes", value: "x" }], headers: { "Idempotency-Key": key } });
    expect(patch.status).toBe(422);
    expect((await call(sb, "GET", "/loans/54322")).body.notes).not.toBe("x");
  });

  it("the same request sent again differently spelled (key order, spacing) is a replay", async () => {
    const key = randomUUID();
    const h = { "Idempotency-Key": key, "Content-Type": "application/json" };
    const a = await call(sb, "POST", "/clients", { raw: `{"firstName":"ANA","lastName":"SPELLED"}`, headers: h });
    const b = await call(sb, "POST", "/clients", { raw: `{ "lastName": "SPELLED",\n  "firstName": "ANA" }`, headers: h });
    expect(a.status).toBe(201);
    expect(b.headers.get("idempotency-replayed")).toBe("true");
    expect(b.body.id).toBe(a.body.id);
  });

  it("a key belongs to the API user who sent it: another user's request is its own", async () => {
    const key = randomUUID();
    const post = (auth: string, lastName: string) =>
      call(sb, "POST", "/clients", { body: { firstName: "ANA", lastName }, headers: { "Idempotency-Key": key, Authorization: auth } });
    const mine = await post(DEMO_AUTH, "MINE");
    const theirs = await post(OTHER_AUTH, "THEIRS");
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotency-replayed")).toBeNull();
    expect(theirs.body.lastName).toBe("THEIRS");
    expect(theirs.body.id).not.toBe(mine.body.id);
    const theirsAgain = await post(OTHER_AUTH, "THEIRS");
    expect(theirsAgain.body.id).toBe(theirs.body.id);
    const mineAgain = await post(DEMO_AUTH, "MINE");
    expect(mineAgain.body.id).toBe(mine.body.id);
    // The same body under the same key from another user is still another user's request: processed, not replayed.
    const key2 = randomUUID();
    const one = await call(sb, "POST", "/clients", { body: { firstName: "ANA", lastName: "SAME" }, headers: { "Idempotency-Key": key2 } });
    const two = await call(sb, "POST", "/clients", { body: { firstName: "ANA", lastName: "SAME" }, headers: { "Idempotency-Key": key2, Authorization: OTHER_AUTH } });
    expect(two.status).toBe(201);
    expect(two.body.id).not.toBe(one.body.id);
  });

  it("two identical requests in flight at once are executed once", async () => {
    const key = randomUUID();
    const before = sb.store.count("clients");
    const body = { firstName: "ANA", lastName: "TWICE" };
    const [a, b] = await Promise.all([
      call(sb, "POST", "/clients", { body, headers: { "Idempotency-Key": key } }),
      call(sb, "POST", "/clients", { body, headers: { "Idempotency-Key": key } }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect(sb.store.count("clients")).toBe(before + 1);
  });
});

describe("bounded input", () => {
  const nested = (depth: number): string => `{"firstName":"ANA","lastName":"DEEP","notes2":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

  it("JSON nested 10,000 deep is a 400 INVALID_JSON_SYNTAX, and the sandbox goes on serving", async () => {
    const r = await call(sb, "POST", "/clients", { raw: nested(10_000), headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ errorCode: 26, errorSource: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, errorReason: "INVALID_JSON_SYNTAX" }] });
    expect((await call(sb, "GET", "/clients/0512N0025")).status).toBe(200);
  });

  it("nesting up to the limit is accepted, one more level is not", async () => {
    const ok = await call(sb, "POST", "/clients", { raw: nested(MAX_JSON_DEPTH), headers: { "Content-Type": "application/json" } });
    expect(ok.status).toBe(201);
    const over = await call(sb, "POST", "/clients", { raw: nested(MAX_JSON_DEPTH + 1), headers: { "Content-Type": "application/json" } });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].errorReason).toBe("INVALID_JSON_SYNTAX");
  });

  it("patches cannot nest a record deeper than the limit, a level at a time", async () => {
    const arrays = (d: number): unknown => JSON.parse(`${"[".repeat(d)}${"]".repeat(d)}`);
    const d1 = MAX_JSON_DEPTH - 2; // the body ([{..., value}]) is then exactly MAX_JSON_DEPTH deep, the record one less
    const first = await call(sb, "PATCH", "/clients/0512N0028", { body: [{ op: "add", path: "/deep", value: arrays(d1) }] });
    expect(first.status).toBe(204);
    const innermost = `/deep/${"0/".repeat(d1 - 1)}-`;
    const second = await call(sb, "PATCH", "/clients/0512N0028", { body: [{ op: "add", path: innermost, value: arrays(3) }] });
    expect(second.status).toBe(400);
    expect(second.body).toEqual(invalidParameters);
    expect((await call(sb, "GET", "/clients/0512N0028")).body.deep).toEqual(arrays(d1));
  });

  it("a JSON body over the limit is a 413 and is not processed", async () => {
    const before = sb.store.count("clients");
    const raw = JSON.stringify({ firstName: "ANA", lastName: "BIG", notes: "x".repeat(MAX_JSON_BODY_BYTES) });
    const r = await call(sb, "POST", "/clients", { raw, headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ errors: [{ errorCode: 20, errorSource: `request body over ${MAX_JSON_BODY_BYTES} bytes`, errorReason: "MAX_FILE_SIZE_EXCEEDED" }] });
    expect(sb.store.count("clients")).toBe(before);
  });

  it("an upload may be larger than a JSON body", async () => {
    const boundary = "----big";
    const data = Buffer.alloc(2 * MAX_JSON_BODY_BYTES, 0x61);
    const raw = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await call(sb, "POST", "/clients/0512N0025/documents", { raw, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
    expect(r.status).toBe(201);
    expect(r.body.fileSize).toBe(data.length);
  });

  it("a text field of an upload over its limit is a 413, and no document is made", async () => {
    const before = sb.store.count("documents");
    const boundary = "----notes";
    const raw =
      `--${boundary}\r\nContent-Disposition: form-data; name="notes"\r\n\r\n${"n".repeat(MAX_FORM_FIELD_BYTES + 1)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\na\r\n--${boundary}--\r\n`;
    const r = await call(sb, "POST", "/clients/0512N0025/documents", { raw, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ errors: [{ errorCode: 20, errorSource: `multipart field "notes" over ${MAX_FORM_FIELD_BYTES} bytes`, errorReason: "MAX_FILE_SIZE_EXCEEDED" }] });
    expect(sb.store.count("documents")).toBe(before);
  });

  it("invalid UTF-8 in a body, a query, a path or a form field is a 400, not replaced", async () => {
    const before = sb.store.count("clients");
    const raw = Buffer.concat([Buffer.from(`{"firstName":"AN`), Buffer.from([0xff, 0xfe]), Buffer.from(`A","lastName":"UTF"}`)]);
    const body = await call(sb, "POST", "/clients", { raw, headers: { "Content-Type": "application/json" } });
    expect(body.status).toBe(400);
    expect(body.body).toEqual({ errors: [{ errorCode: 26, errorSource: "request body is not valid UTF-8", errorReason: "INVALID_JSON_SYNTAX" }] });
    expect(sb.store.count("clients")).toBe(before);
    const query = await call(sb, "GET", "/clients?firstName=%FF%FE");
    expect(query.status).toBe(400);
    expect(query.body).toEqual(invalidParameters);
    const path = await call(sb, "GET", "/clients/%C3%28");
    expect(path.status).toBe(400);
    expect(path.body).toEqual(invalidParameters);
    const boundary = "----utf";
    const form = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n`), Buffer.from([0xc0, 0xaf]),
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\na\r\n--${boundary}--\r\n`),
    ]);
    const up = await call(sb, "POST", "/clients/0512N0025/documents", { raw: form, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
    expect(up.status).toBe(400);
    // Valid UTF-8 still round-trips.
    const ok = await call(sb, "GET", `/clients?firstName=${encodeURIComponent("JOSÉFA")}`);
    expect(ok.status).toBe(200);
  });

  it("X-Sandbox-Fault is honoured only for callers that authenticate", async () => {
    const anonymous: Array<Record<string, string>> = [{ Authorization: "" }, { Authorization: "Basic bm9ib2R5Om5vdGhpbmc=" }, { Authorization: "", apikey: "wrong" }];
    for (const headers of anonymous) {
      const r = await call(sb, "GET", "/branches", { headers: { ...headers, "X-Sandbox-Fault": "503" } });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ errors: [{ errorCode: 2, errorSource: "credentials", errorReason: "INVALID_CREDENTIALS" }] });
      const drop = await call(sb, "GET", "/branches", { headers: { ...headers, "X-Sandbox-Fault": "drop" } });
      expect(drop.status).toBe(401);
    }
    expect((await call(sb, "GET", "/branches", { headers: { "X-Sandbox-Fault": "503" } })).status).toBe(503);
  });
});

describe("limits as options", () => {
  it("startSandbox({ limits }) sets the body limits; bad limits are refused", async () => {
    const small = await startSandbox({ port: 0, data: "empty", limits: { maxJsonBodyBytes: 100, maxUploadBytes: 300, maxJsonDepth: 3 } });
    try {
      const big = await call(small, "POST", "/clients", { body: { firstName: "x".repeat(200), lastName: "X" } });
      expect(big.status).toBe(413);
      const deep = await call(small, "POST", "/clients", { raw: `{"a":[[[1]]]}`, headers: { "Content-Type": "application/json" } });
      expect(deep.status).toBe(400);
      expect(deep.body.errors[0].errorSource).toBe("JSON nested deeper than 3 levels");
      const boundary = "b";
      const raw = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${"a".repeat(400)}\r\n--${boundary}--\r\n`;
      const up = await call(small, "POST", "/documents", { raw, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } });
      expect(up.status).toBe(413);
    } finally {
      await small.stop();
    }
    await expect(startSandbox({ port: 0, data: "empty", limits: { maxJsonDepth: 0 } })).rejects.toThrow(/maxJsonDepth/);
  });
});
