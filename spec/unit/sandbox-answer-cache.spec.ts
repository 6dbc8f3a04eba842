/**
 * The sandbox serves records from their cached JSON (answer-cache.ts) and never a stale one: a record replaced
 * or removed leaves the cache, a GET or page after a change answers the new values, the cache stays within its
 * bytes, and with the check of answers on (as in the tests) a record changed in place is caught where it is
 * served. Also: pages and searches served this way equal what shaping each record answers (BASIC leaves out
 * custom field sets, FULL keeps them); searches that stop at the page's end answer the first records of the
 * whole search; the router's grouping of routes matches what a scan of every route matches; the engine's
 * comparison of records (same-json.ts) answers what comparing their JSON answers; credentials that authenticated
 * once stop authenticating when the user's secret changes or the user goes.
 */
import fc from "fast-check";
import { AnswerCache } from "../../lib/sandbox/answer-cache";
import { authenticate, SandboxUser } from "../../lib/sandbox/auth";
import { SandboxClock } from "../../lib/sandbox/clock";
import { registerCrudRoutes } from "../../lib/sandbox/crud";
import { compilePathTemplate } from "../../lib/contract/path-template";
import { shapeForAnswer } from "../../lib/sandbox/records";
import { RESOURCES } from "../../lib/sandbox/resources";
import { Router, RouteResponse, SandboxContext } from "../../lib/sandbox/router";
import { sameJson } from "../../lib/sandbox/same-json";
import { runSearch } from "../../lib/sandbox/search";
import { SandboxStore } from "../../lib/sandbox/store";
import type { WireRecord } from "../../lib/sandbox/types";

function tenant(): SandboxContext {
  return { store: new SandboxStore(), clock: new SandboxClock({ start: "2026-01-15T10:00:00+02:00" }) };
}

const key = (n: number): string => n.toString(16).padStart(32, "0");

function client(n: number, extra: Record<string, unknown> = {}): WireRecord {
  return {
    encodedKey: key(n), id: `C${n}`, firstName: `First${n}`, lastName: "Doe", clientState: "ACTIVE",
    creationDate: "2026-01-01T10:00:00+02:00", lastModifiedDate: `2026-01-${String(1 + (n % 28)).padStart(2, "0")}T10:00:00+02:00`,
    _Personal: { hobby: `h${n}` }, ...extra,
  };
}

async function call(router: Router, ctx: SandboxContext, method: string, path: string, query: Record<string, string> = {}, body?: unknown): Promise<RouteResponse> {
  const m = router.match(method, path);
  if (m.kind !== "route") throw new Error(`no route ${method} ${path}`);
  return m.route.handler(ctx, { method, path, params: m.params, query: Object.assign(Object.create(null), query), headers: {}, body });
}

const sent = (r: RouteResponse): unknown => JSON.parse((r.raw ?? Buffer.from(JSON.stringify(r.body))).toString("utf8"));

describe("sandbox answers from cached JSON", () => {
  const decl = RESOURCES.clients!;
  let ctx: SandboxContext;
  let router: Router;
  beforeEach(() => {
    ctx = tenant();
    router = new Router();
    registerCrudRoutes(router);
    for (let n = 1; n <= 30; n++) ctx.store.insert("clients", client(n));
  });

  it("a GET and a page answer the stored record's shape, BASIC without custom field sets, FULL with them", async () => {
    const basic = await call(router, ctx, "GET", "/clients/C3");
    expect(sent(basic)).toEqual(shapeForAnswer(decl, ctx.store.find("clients", "C3")!, false));
    expect(sent(basic)).not.toHaveProperty("_Personal");
    const full = await call(router, ctx, "GET", "/clients/C3", { detailsLevel: "FULL" });
    expect(sent(full)).toEqual(shapeForAnswer(decl, ctx.store.find("clients", "C3")!, true));
    expect((sent(full) as Record<string, unknown>)._Personal).toEqual({ hobby: "h3" });
    expect(full.headers?.["Content-Type"]).toMatch(/^application\/vnd\.mambu\.v2\+json/);
    // the handler's `body` reads what is sent (for callers of the handler itself)
    expect(full.body).toEqual(sent(full));
    const page = await call(router, ctx, "GET", "/clients", { offset: "5", limit: "10", paginationDetails: "ON", sortBy: "firstName:ASC" });
    const byName = (a: WireRecord, b: WireRecord): number => (String(a.firstName) < String(b.firstName) ? -1 : String(a.firstName) > String(b.firstName) ? 1 : 0);
    const expected = ctx.store.all("clients").sort(byName).slice(5, 15).map((r) => shapeForAnswer(decl, r, false));
    expect(sent(page)).toEqual(expected);
    expect(page.headers?.["items-total"]).toBe("30");
    const empty = await call(router, ctx, "GET", "/clients", { offset: "100" });
    expect(sent(empty)).toEqual([]);
  });

  it("a record replaced, patched or removed is never answered with its old JSON", async () => {
    await call(router, ctx, "GET", "/clients/C4", { detailsLevel: "FULL" });
    await call(router, ctx, "GET", "/clients", { limit: "50" });
    const cached = ctx.store.answers.size;
    expect(cached).toBeGreaterThan(0);
    ctx.store.replace("clients", { ...ctx.store.find("clients", "C4")!, firstName: "Renamed", _Personal: { hobby: "new" } });
    expect(ctx.store.answers.size).toBeLessThan(cached); // the old record's JSON is gone
    const full = sent(await call(router, ctx, "GET", "/clients/C4", { detailsLevel: "FULL" })) as Record<string, unknown>;
    expect(full.firstName).toBe("Renamed");
    expect(full._Personal).toEqual({ hobby: "new" });
    const page = sent(await call(router, ctx, "GET", "/clients", { limit: "50" })) as Array<Record<string, unknown>>;
    expect(page.find((c) => c.id === "C4")?.firstName).toBe("Renamed");
    const patched = await call(router, ctx, "PATCH", "/clients/C4", {}, [{ op: "REPLACE", path: "lastName", value: "Patched" }]);
    expect(patched.status).toBe(204);
    expect((sent(await call(router, ctx, "GET", "/clients/C4")) as Record<string, unknown>).lastName).toBe("Patched");
    ctx.store.remove("clients", key(4));
    const after = sent(await call(router, ctx, "GET", "/clients", { limit: "50" })) as Array<Record<string, unknown>>;
    expect(after.map((c) => c.id)).not.toContain("C4");
    await expect(call(router, ctx, "GET", "/clients/C4")).rejects.toMatchObject({ status: 404 });
  });

  it("with verify on, a stored record changed in place is caught when it is served again", () => {
    const rec = ctx.store.find("clients", "C5")!;
    const make = (): unknown => shapeForAnswer(decl, rec, true);
    ctx.store.answers.get(rec, 99, make);
    (rec as Record<string, unknown>).firstName = "Changed in place";
    ctx.store.answers.verify = true;
    expect(() => ctx.store.answers.get(rec, 99, make)).toThrow(/stale/);
    // dropped: served fresh next time
    expect(JSON.parse(ctx.store.answers.get(rec, 99, make).toString()).firstName).toBe("Changed in place");
  });

  it("keeps at most its bytes (the records cached first leave first) and answers right after evictions", () => {
    const cache = new AnswerCache(1000);
    const recs = Array.from({ length: 40 }, (_, i) => client(i + 1));
    for (const r of recs) {
      const json = cache.get(r, 0, () => r);
      expect(JSON.parse(json.toString())).toEqual(r);
      expect(cache.size).toBeLessThanOrEqual(1000);
    }
    expect(cache.size).toBeGreaterThan(0);
    // the first record left; asked again it is made again
    let made = 0;
    cache.get(recs[0], 0, () => (made++, recs[0]));
    expect(made).toBe(1);
    // a record bigger than the cache is answered, not kept
    const big = client(99, { notes: "x".repeat(5000) });
    expect(JSON.parse(cache.get(big, 0, () => big).toString()).notes).toHaveLength(5000);
    expect(cache.size).toBeLessThanOrEqual(1000);
  });
});

describe("sandbox searches that stop at the page's end", () => {
  it("answer the first records of the whole search, with an index and without", () => {
    const ctx = tenant();
    for (let n = 1; n <= 80; n++) {
      ctx.store.insert("loans", { encodedKey: key(n), id: `L${n}`, accountHolderKey: n % 2 ? "H1" : "H2", accountState: n % 3 ? "ACTIVE" : "CLOSED", loanName: `loan ${n % 5}` });
    }
    const spec = RESOURCES.loans!.search!;
    for (const filterCriteria of [
      [{ field: "accountState", operator: "EQUALS", value: "ACTIVE" }],
      [{ field: "loanName", operator: "EQUALS", value: "loan 2" }],
      [{ field: "accountHolderKey", operator: "EQUALS", value: "H1" }, { field: "accountState", operator: "EQUALS", value: "ACTIVE" }],
    ]) {
      const whole = runSearch(spec, () => ctx.store.all("loans"), { filterCriteria }, ctx, "loans").map((r) => r.id);
      for (const enough of [0, 1, 7, 1000]) {
        const first = runSearch(spec, () => ctx.store.all("loans"), { filterCriteria }, ctx, "loans", enough).map((r) => r.id);
        expect(first.slice(0, enough)).toEqual(whole.slice(0, enough));
      }
      // a change that keeps the indexed value: the same order, the new record
      const l = ctx.store.find("loans", "L4")!;
      ctx.store.replace("loans", { ...l, loanName: `${String(l.loanName)}!` });
      const again = runSearch(spec, () => ctx.store.all("loans"), { filterCriteria: [{ field: "accountState", operator: "EQUALS", value: "ACTIVE" }] }, ctx, "loans");
      expect(again.find((r) => r.id === "L4")?.loanName).toBe(`${String(l.loanName)}!`);
      ctx.store.replace("loans", l);
    }
  });
});

describe("sandbox router", () => {
  it("matches every path as a scan of every route in matching order does", () => {
    const router = new Router();
    registerCrudRoutes(router);
    router.add("GET", "/{anything}/x", () => ({ status: 200 }));
    router.add("POST", "/loans/{loanAccountId}:changeState", () => ({ status: 200 }));
    router.add("GET", "/loans/transactions/{transactionId}", () => ({ status: 200 }));
    const routes = router.list().map((s) => {
      const [method, template] = s.split(" ");
      return { method, template, ...compilePathTemplate(template) };
    });
    const scan = (method: string, path: string): string => {
      const allowed: string[] = [];
      for (const r of routes) {
        if (!r.re.test(path)) continue;
        if (r.method === method) return `route ${r.template}`;
        if (!allowed.includes(r.method)) allowed.push(r.method);
      }
      return allowed.length ? `method ${allowed.join(",")}` : "none";
    };
    const paths = new Set<string>(["/", "/nothing", "/clients/x/y/z", "/loans/", "/a/x", "/clients:search/1"]);
    for (const r of routes) {
      paths.add(r.template.replace(/\{[^}]+\}/g, "v1"));
      paths.add(r.template.replace(/\{[^}]+\}/g, "transactions"));
    }
    for (const path of paths) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const m = router.match(method, path);
        const got = m.kind === "route" ? `route ${m.route.template}` : m.kind === "method" ? `method ${m.allowed.join(",")}` : "none";
        expect(`${method} ${path} → ${got}`).toBe(`${method} ${path} → ${scan(method, path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path)}`);
      }
    }
  });
});

describe("sandbox sameJson", () => {
  const leaf = fc.oneof(
    fc.constantFrom(undefined, null, 0, -0, 1, NaN, Infinity, "", "1", "a", true, false),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom("x", "y"),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b", "c", "1"), tie("v"), { maxKeys: 3 })),
  })).v;

  it("answers JSON.stringify(a) === JSON.stringify(b), for values alike and apart", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        const copy = a === undefined ? a : (JSON.parse(JSON.stringify(a) ?? "null") as unknown);
        expect(sameJson(a, copy)).toBe(JSON.stringify(a) === JSON.stringify(copy));
      }),
      { numRuns: 3000 },
    );
    // key order counts, as in JSON; left-out values (undefined, functions) do not
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: 1, u: undefined, f: () => 1 }, { a: 1 })).toBe(true);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson({ d: new Date(0) }, { d: "1970-01-01T00:00:00.000Z" })).toBe(true);
  });
});

describe("sandbox authentication kept per header", () => {
  const basic = (user: string, pwd: string): string => `Basic ${Buffer.from(`${user}:${pwd}`).toString("base64")}`;
  it("answers the same verdicts as checking each time, also after a secret changed or a user left", () => {
    const users: SandboxUser[] = [{ username: "ana", password: "s1", apiKey: "k1" }, { username: "bo", password: "s2" }];
    expect(authenticate(users, { authorization: basic("ana", "s1") })).toEqual({ username: "ana" });
    expect(authenticate(users, { authorization: basic("ana", "s1") })).toEqual({ username: "ana" });
    expect(authenticate(users, { apikey: "k1" })).toEqual({ username: "ana" });
    expect(() => authenticate(users, { authorization: basic("ana", "s2") })).toThrow();
    expect(() => authenticate(users, { apikey: "k2" })).toThrow();
    users[0].password = "s1-new";
    users[0].apiKey = "k1-new";
    expect(() => authenticate(users, { authorization: basic("ana", "s1") })).toThrow();
    expect(() => authenticate(users, { apikey: "k1" })).toThrow();
    expect(authenticate(users, { authorization: basic("ana", "s1-new") })).toEqual({ username: "ana" });
    expect(authenticate(users, { authorization: basic("bo", "s2") })).toEqual({ username: "bo" });
    users.splice(1, 1);
    expect(() => authenticate(users, { authorization: basic("bo", "s2") })).toThrow();
  });
});
