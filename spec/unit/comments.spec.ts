/**
 * Comments: `getComments()` lists `GET /comments?ownerType=&ownerKey=` page by page (all of them
 * without a limit — MambuPy fetched one page), `comment(text)` posts `{ text, ownerType, ownerKey }`
 * (valid against the Swagger Comment). State is per entity: two clients never share comments.
 */
import nock from "nock";
import {
  DateTime, MambuBranch, MambuCentre, MambuClient, MambuComment, MambuDeposit, MambuDepositProduct, MambuEntity, MambuGroup,
  MambuLoan, MambuProduct, MambuTask, MambuTsError, MambuUser,
} from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
const CLIENT_KEY = "8a099a673f1f25a0013f1fd0a1c318a5";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let seen: { method: string; path: string; headers: Record<string, string>; body?: string }[] = [];
function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string; headers: Record<string, string> }, _i: unknown, body?: string) => {
    seen.push({ method: req.method, path: req.path, headers: req.headers, body });
  });
  return scope;
}

afterEach(() => {
  const requests = seen;
  seen = [];
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  for (const r of requests) {
    const m = findOperation(r.method, r.path);
    expect([r.method, r.path, m?.op.path]).toEqual([r.method, r.path, "/comments"]);
    const query = new URL(r.path, "http://x").searchParams;
    for (const [name, value] of query) {
      const q = m!.op.query.find((x) => x.name === name);
      expect([name, q !== undefined]).toEqual([name, true]);
      if (q?.enum) expect(q.enum).toContain(value);
    }
    for (const q of m!.op.query) if (q.required) expect([q.name, query.has(q.name)]).toEqual([q.name, true]);
    if (r.method === "POST") {
      expect([...query.keys()]).toEqual([]);
      expect(validateAgainst(m!.resource, m!.op.body!, JSON.parse(r.body!))).toEqual([]);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["idempotency-key"]).toMatch(UUID_V4);
    }
  }
});

const readClient = (over: Bag = {}, connector = testConnector()): MambuClient => MambuClient.fromWire({ ...fixtureJson("client-full.json"), ...over }, connector);

test("getComments: every page of GET /comments?ownerType=CLIENT&ownerKey=...; awaited, also client.comments", async () => {
  const comments = fixtureJson<Bag[]>("comments.json");
  const client = readClient({}, testConnector({ apipagination: 1 }));
  tenant().get("/api/comments").query({ ownerType: "CLIENT", ownerKey: CLIENT_KEY, offset: "0", limit: "1" }).reply(200, [comments[0]]);
  tenant().get("/api/comments").query({ ownerType: "CLIENT", ownerKey: CLIENT_KEY, offset: "1", limit: "1" }).reply(200, [comments[1]]);
  tenant().get("/api/comments").query({ ownerType: "CLIENT", ownerKey: CLIENT_KEY, offset: "2", limit: "1" }).reply(200, []);
  const got = await client.getComments();
  expect(got.map((c) => c.text)).toEqual(["Prefers Spanish", "Moved to Calle 5"]);
  expect(got[0]).toBeInstanceOf(MambuComment);
  expect(DateTime.isDateTime(got[0].creationDate)).toBe(true);
  expect(client.comments).toBe(got);
  expect(client.toJSON()).toEqual(fixtureJson("client-full.json"));
});

test("limit, offset, paginationDetails and streaming", async () => {
  const client = readClient();
  tenant().get("/api/comments").query({ ownerType: "CLIENT", ownerKey: CLIENT_KEY, offset: "1", limit: "1", paginationDetails: "ON" }).reply(200, fixtureJson<Bag[]>("comments.json").slice(1), { "items-total": "2" });
  expect((await client.getComments({ offset: 1, limit: 1, paginationDetails: "ON" })).map((c) => c.text)).toEqual(["Moved to Calle 5"]);
  tenant().get("/api/comments").query(true).reply(200, fixture("comments.json"));
  const texts: string[] = [];
  for await (const c of client.getComments()) texts.push(c.text as string);
  expect(texts).toHaveLength(2);
  expect(() => client.getComments({ limit: "5" as never })).toThrow("limit must be integer");
  expect(() => client.getComments({ detailsLevel: "FULL" } as never)).toThrow(/unknown option "detailsLevel"/);
});

test("comment(text): POST /comments { text, ownerType, ownerKey }; appended to the comments read", async () => {
  const client = readClient();
  tenant().get("/api/comments").query(true).reply(200, fixture("comments.json"));
  const before = await client.getComments();
  let body: unknown;
  const created = { encodedKey: "8a0000000000000000000000000cm003", ownerType: "CLIENT", ownerKey: CLIENT_KEY, text: "Llamar el lunes", creationDate: "2021-04-05T10:00:00+02:00", lastModifiedDate: "2021-04-05T10:00:00+02:00", userKey: "8a00000000000000000000000000a001" };
  tenant().post("/api/comments", (b) => ((body = b), true)).reply(201, created);
  const c = await client.comment("Llamar el lunes");
  expect(body).toEqual({ text: "Llamar el lunes", ownerType: "CLIENT", ownerKey: CLIENT_KEY });
  expect(c).toBeInstanceOf(MambuComment);
  expect([c.text, c.userKey]).toEqual(["Llamar el lunes", "8a00000000000000000000000000a001"]);
  expect((client.comments as MambuComment[]).map((x) => x.text)).toEqual(["Prefers Spanish", "Moved to Calle 5", "Llamar el lunes"]);
  expect(before).toHaveLength(2); // a list returned earlier is not changed
});

test("state is per instance: another client's comments are its own", async () => {
  const a = readClient();
  const b = readClient({ encodedKey: "8a00000000000000000000000000c002", id: "C2" });
  tenant().get("/api/comments").query({ ownerType: "CLIENT", ownerKey: CLIENT_KEY, offset: "0", limit: "50" }).reply(200, fixture("comments.json"));
  tenant().get("/api/comments").query({ ownerType: "CLIENT", ownerKey: "8a00000000000000000000000000c002", offset: "0", limit: "50" }).reply(200, []);
  await a.getComments();
  await b.getComments();
  expect([(a.comments as unknown[]).length, (b.comments as unknown[]).length]).toEqual([2, 0]);
  tenant().post("/api/comments").reply(201, { text: "only b", ownerType: "CLIENT", ownerKey: "8a00000000000000000000000000c002" });
  await b.comment("only b");
  expect([(a.comments as unknown[]).length, (b.comments as unknown[]).length]).toEqual([2, 1]);
  expect((MambuClient as unknown as Bag)._comments).toBeUndefined();
});

test.each([
  ["GROUP", () => MambuGroup.fromWire(fixtureJson("group-full.json"), testConnector()), "8a000000000000000000000000009001"],
  ["LOAN_ACCOUNT", () => MambuLoan.fromWire(fixtureJson("loan-full.json"), testConnector()), "8a0000000000000000000000000l5432"],
  ["DEPOSIT_ACCOUNT", () => MambuDeposit.fromWire({ id: "D1", encodedKey: "8a0000000000000000000000000dep01" }, testConnector()), "8a0000000000000000000000000dep01"],
  ["BRANCH", () => MambuBranch.fromWire(fixtureJson("branch.json"), testConnector()), "8a00000000000000000000000000b001"],
  ["CENTRE", () => MambuCentre.fromWire(fixtureJson("centre.json"), testConnector()), "8a00000000000000000000000000ce01"],
  ["USER", () => MambuUser.fromWire(fixtureJson("user-full.json"), testConnector()), "8a00000000000000000000000000a001"],
  ["LOAN_PRODUCT", () => MambuProduct.fromWire({ id: "P1", encodedKey: "8a0000000000000000000000000prd01" }, testConnector()), "8a0000000000000000000000000prd01"],
  ["SAVINGS_PRODUCT", () => MambuDepositProduct.fromWire({ id: "DP1", encodedKey: "8a0000000000000000000000000dpr01" }, testConnector()), "8a0000000000000000000000000dpr01"],
] as [string, () => MambuEntity, string][])("%s entities take comments", async (ownerType, make, key) => {
  const e = make();
  tenant().get("/api/comments").query({ ownerType, ownerKey: key, offset: "0", limit: "50" }).reply(200, []);
  expect(await e.getComments()).toEqual([]);
  tenant().post("/api/comments", { text: "ok", ownerType, ownerKey: key }).reply(201, { text: "ok", ownerType, ownerKey: key });
  await e.comment("ok");
});

test("bad text, entities without comments, unsaved entities: refused before any request", async () => {
  await expect(readClient().comment("   ")).rejects.toThrow("MambuClient.comment: text must be a non-empty string");
  await expect(readClient().comment(5 as never)).rejects.toThrow(MambuTsError);
  await expect(readClient().comment("x", { idempotency: "k" } as never)).rejects.toThrow(/unknown option "idempotency"/);
  const task = MambuTask.fromWire(fixtureJson("task.json"), testConnector());
  expect(() => task.getComments()).toThrow("MambuTask cannot have comments in Mambu");
  await expect(new MambuClient({ firstName: "X" }).comment("hi")).rejects.toThrow("MambuClient has no id or encodedKey yet (create() it first)");
  expect(seen).toEqual([]);
});

test("a caller's idempotency key; Mambu's errors come through", async () => {
  tenant().post("/api/comments").reply(201, { text: "x" });
  await readClient().comment("x", { idempotencyKey: "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b" });
  expect(seen[0].headers["idempotency-key"]).toBe("0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b");
  tenant().post("/api/comments").reply(400, { errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "text" }] });
  await expect(readClient().comment("x")).rejects.toThrow("4 (400) - INVALID_PARAMETERS (text)");
});
