/**
 * The sandbox store's look-ups for searches and its sorted pages stay right as records come and go: a search
 * with an EQUALS on an indexed field (id, accountHolderKey, a loan's accountState) answers what testing every
 * record answers, in the same order, after inserts, replaces (the indexed value changing) and removals; and
 * pages of a list (kept sorted between requests) equal a fresh sort after the same changes.
 */
import { SandboxClock } from "../../lib/sandbox/clock";
import { registerCrudRoutes } from "../../lib/sandbox/crud";
import { RESOURCES } from "../../lib/sandbox/resources";
import { Router, SandboxContext } from "../../lib/sandbox/router";
import { runSearch } from "../../lib/sandbox/search";
import { SandboxStore } from "../../lib/sandbox/store";
import type { WireRecord } from "../../lib/sandbox/types";

function tenant(): SandboxContext {
  return { store: new SandboxStore(), clock: new SandboxClock({ start: "2026-01-15T10:00:00+02:00" }) };
}

const key = (n: number): string => n.toString(16).padStart(32, "0");

function loan(n: number, holder: string, state: string): WireRecord {
  return { encodedKey: key(n), id: `L${n}`, accountHolderKey: holder, accountState: state, loanName: `loan ${n % 7}`, creationDate: `2026-01-${String(1 + (n % 28)).padStart(2, "0")}T10:00:00+02:00` };
}

const loanSpec = RESOURCES.loans!.search!;
const ids = (recs: WireRecord[]): unknown[] => recs.map((r) => r.id);

/** The search, once through the store's index and once over every record (no collection given: no index). */
function both(ctx: SandboxContext, filterCriteria: unknown[]): [unknown[], unknown[]] {
  const indexed = runSearch(loanSpec, () => ctx.store.all("loans"), { filterCriteria }, ctx, "loans");
  const scanned = runSearch(loanSpec, ctx.store.all("loans"), { filterCriteria }, ctx);
  return [ids(indexed), ids(scanned)];
}

describe("sandbox store: look-ups by index", () => {
  it("EQUALS on accountHolderKey, accountState and id answer what a scan answers, through inserts, replaces and removals", () => {
    const ctx = tenant();
    for (let n = 1; n <= 60; n++) ctx.store.insert("loans", loan(n, n % 3 === 0 ? "HOLDER-A" : "holder-b", n % 4 ? "ACTIVE" : "PENDING_APPROVAL"));
    const queries: unknown[][] = [
      [{ field: "accountHolderKey", operator: "EQUALS", value: "holder-a" }],
      [{ field: "accountHolderKey", operator: "EQUALS_CASE_SENSITIVE", value: "HOLDER-A" }],
      [{ field: "accountHolderKey", operator: "EQUALS_CASE_SENSITIVE", value: "holder-a" }],
      [{ field: "accountState", operator: "EQUALS", value: "active" }, { field: "accountHolderKey", operator: "EQUALS", value: "HOLDER-B" }],
      [{ field: "id", operator: "EQUALS", value: "l7" }],
    ];
    const check = (): void => {
      for (const q of queries) {
        const [indexed, scanned] = both(ctx, q);
        expect(indexed).toEqual(scanned);
      }
    };
    check(); // builds the indexes
    expect(both(ctx, queries[0])[0]).toEqual(ids(ctx.store.all("loans").filter((l) => l.accountHolderKey === "HOLDER-A")));
    expect(both(ctx, queries[4])[0]).toEqual(["L7"]);
    // replaces that move records between index entries (holder, state and id change), a removal, an insert
    ctx.store.replace("loans", { ...ctx.store.find("loans", "L3")!, accountHolderKey: "holder-b", accountState: "CLOSED" });
    ctx.store.replace("loans", { ...ctx.store.find("loans", "L4")!, accountHolderKey: "Holder-A" });
    ctx.store.replace("loans", { ...ctx.store.find("loans", "L7")!, id: "L7B" });
    ctx.store.remove("loans", key(6));
    ctx.store.insert("loans", loan(61, "HOLDER-A", "ACTIVE"));
    check();
    const holderA = both(ctx, queries[0])[0];
    expect(holderA).toContain("L4");
    expect(holderA).toContain("L61");
    expect(holderA).not.toContain("L3");
    expect(holderA).not.toContain("L6");
    expect(both(ctx, queries[4])[0]).toEqual([]);
    expect(both(ctx, [{ field: "id", operator: "EQUALS", value: "L7B" }])[0]).toEqual(["L7B"]);
  });

  it("a record holding a list in an indexed field is still tested (any element matches)", () => {
    const ctx = tenant();
    ctx.store.insert("loans", loan(1, "K1", "ACTIVE"));
    ctx.store.insert("loans", { ...loan(2, "K2", "ACTIVE"), accountHolderKey: ["k9", "K1"] as unknown as string });
    const [indexed, scanned] = both(ctx, [{ field: "accountHolderKey", operator: "EQUALS", value: "K1" }]);
    expect(indexed).toEqual(["L1", "L2"]);
    expect(indexed).toEqual(scanned);
  });

  it("numeric values are compared as numbers, as a scan does (no index)", () => {
    const ctx = tenant();
    ctx.store.insert("loans", { ...loan(1, "K1", "ACTIVE"), id: "007" });
    const [indexed, scanned] = both(ctx, [{ field: "id", operator: "EQUALS", value: "7" }]);
    expect(indexed).toEqual(["007"]);
    expect(indexed).toEqual(scanned);
  });
});

describe("sandbox lists: pages kept sorted between requests", () => {
  it("pages after inserts, replaces and removals equal a fresh sort", async () => {
    const ctx = tenant();
    const router = new Router();
    registerCrudRoutes(router);
    const list = async (query: Record<string, string>): Promise<unknown[]> => {
      const m = router.match("GET", "/loans");
      if (m.kind !== "route") throw new Error("no route");
      const res = await m.route.handler(ctx, { method: "GET", path: "/loans", params: m.params, query: Object.assign(Object.create(null), query), headers: {}, body: undefined });
      return (res.body as Array<{ id: string }>).map((l) => l.id);
    };
    const fresh = (field: "creationDate" | "loanName", desc: boolean): unknown[] => {
      const recs = ctx.store.all("loans");
      const order = recs.map((r, i) => ({ r, i }));
      order.sort((a, b) => {
        const x = String(a.r[field]);
        const y = String(b.r[field]);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return (desc ? -c : c) || a.i - b.i;
      });
      return order.map((e) => e.r.id);
    };
    for (let n = 1; n <= 40; n++) ctx.store.insert("loans", loan(n, "K", "ACTIVE"));
    const all = { limit: "1000" };
    expect(await list(all)).toEqual(fresh("creationDate", false)); // default: creationDate ASC
    expect(await list({ ...all, sortBy: "loanName:DESC" })).toEqual(fresh("loanName", true));
    ctx.store.insert("loans", loan(41, "K", "ACTIVE"));
    ctx.store.replace("loans", { ...ctx.store.find("loans", "L5")!, loanName: "loan 9", creationDate: "2026-01-02T09:00:00+02:00" });
    ctx.store.remove("loans", key(10));
    ctx.store.insert("loans", { ...loan(42, "K", "ACTIVE"), creationDate: "2026-01-01T00:00:00+02:00" });
    expect(await list(all)).toEqual(fresh("creationDate", false));
    expect(await list({ ...all, sortBy: "loanName:DESC" })).toEqual(fresh("loanName", true));
    expect(await list({ offset: "5", limit: "10", sortBy: "loanName:DESC" })).toEqual(fresh("loanName", true).slice(5, 15));
    // a record removed and inserted again under the same encodedKey, then replaced twice
    ctx.store.remove("loans", key(20));
    ctx.store.insert("loans", { ...loan(20, "K", "ACTIVE"), id: "L20B" });
    ctx.store.replace("loans", { ...ctx.store.find("loans", "L20B")!, loanName: "loan 0" });
    ctx.store.replace("loans", { ...ctx.store.find("loans", "L20B")!, creationDate: "2026-01-03T00:00:00+02:00" });
    expect(await list(all)).toEqual(fresh("creationDate", false));
    expect(await list({ ...all, sortBy: "loanName:DESC" })).toEqual(fresh("loanName", true));
    // many changes at once (more than the store keeps track of): sorted again from scratch
    for (let n = 100; n < 400; n++) ctx.store.insert("loans", loan(n, "K", "ACTIVE"));
    expect(await list(all)).toEqual(fresh("creationDate", false));
  });
});
