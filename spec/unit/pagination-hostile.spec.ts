/**
 * Pagination against a server that misbehaves: a huge or lying `items-total`, an ignored `offset`,
 * pages longer than asked, records that are not objects. The walk never allocates from a number
 * the server sends, never loops, never returns more than `limit`, and fails with a
 * `MambuCommError` naming the page.
 */
import nock from "nock";
import { MambuClient, MambuCommError } from "../../lib";
import { paginate, PageResult, PageWindow } from "../../lib/core/list";
import { mambu, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

function people(from: number, n: number) {
  return Array.from({ length: Math.max(0, n) }, (_, i) => ({ encodedKey: `k${from + i}`, id: String(from + i), firstName: `P${from + i}` }));
}

type Reply = [number, string, Record<string, string>];

/** A fake tenant of `count` clients whose answers can be bent; records every window asked. */
function tenant(count: number, windows: Array<[number, number]>, bend: { total?: string; offsetFrom?: (offset: number) => number; extra?: number } = {}) {
  return (uri: string): Reply => {
    const q = new URL(uri, "https://x").searchParams;
    const offset = Number(q.get("offset"));
    const limit = Number(q.get("limit"));
    windows.push([offset, limit]);
    const from = bend.offsetFrom ? bend.offsetFrom(offset) : offset;
    const n = Math.min(limit + (bend.extra ?? 0), count - from);
    return [200, JSON.stringify(people(from, n)), { "items-total": bend.total ?? String(count) }];
  };
}

describe("items-total is a hint, never a plan", () => {
  it("items-total: 999999999999999 → the real records, a bounded number of requests (no out-of-memory)", async () => {
    const windows: Array<[number, number]> = [];
    mambu().get("/api/clients").query(true).times(20).reply(tenant(120, windows, { total: "999999999999999" }));
    const all = await MambuClient.getAll({ connector: testConnector({ apipagination: 50, concurrency: 4 }) });
    expect(all.map((c) => c.id)).toEqual(people(0, 120).map((p) => p.id));
    // the first page, then at most `concurrency` pages in flight when the short page (100..119) arrives
    expect(windows.length).toBeLessThanOrEqual(1 + 4);
    expect(windows.slice(0, 3)).toEqual([[0, 50], [50, 50], [100, 50]]);
  });

  it("the fetch-ahead is bounded by concurrency, whatever the total says", async () => {
    let inflight = 0;
    let maxInflight = 0;
    let calls = 0;
    const pages = paginate<{ id: number }>({
      offset: 0,
      pageSize: 10,
      concurrency: 3,
      fetchPage: async (w: PageWindow): Promise<PageResult<{ id: number }>> => {
        calls++;
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        await new Promise((r) => setImmediate(r));
        inflight--;
        const n = Math.max(0, Math.min(w.limit, 95 - w.offset));
        return { items: Array.from({ length: n }, (_, i) => ({ id: w.offset + i })), total: Number.MAX_SAFE_INTEGER };
      },
    });
    let seen = 0;
    for await (const page of pages) seen += page.length;
    expect(seen).toBe(95);
    expect(maxInflight).toBeLessThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(10 + 3);
  });

  it("an items-total beyond 2^53 is ignored (pages are fetched one by one)", async () => {
    const windows: Array<[number, number]> = [];
    mambu().get("/api/clients").query(true).times(10).reply(tenant(70, windows, { total: "1".repeat(30) }));
    const all = await MambuClient.getAll({ connector: testConnector({ apipagination: 50, concurrency: 4 }) });
    expect(all).toHaveLength(70);
    expect(windows).toEqual([[0, 50], [50, 50]]);
  });

  it("an items-total that is too low does not cut the listing short", async () => {
    const windows: Array<[number, number]> = [];
    mambu().get("/api/clients").query(true).times(20).reply(tenant(130, windows, { total: "60" }));
    const all = await MambuClient.getAll({ connector: testConnector({ apipagination: 50, concurrency: 4 }) });
    expect(all.map((c) => c.id)).toEqual(people(0, 130).map((p) => p.id));
  });

  it("an items-total that is too high costs at most `concurrency` empty pages", async () => {
    const windows: Array<[number, number]> = [];
    mambu().get("/api/clients").query(true).times(20).reply(tenant(120, windows, { total: "100000" }));
    const all = await MambuClient.getAll({ connector: testConnector({ apipagination: 20, concurrency: 4 }) });
    expect(all).toHaveLength(120);
    expect(windows.length).toBeLessThanOrEqual(7 + 4);
  });
});

describe("pages that repeat or overrun", () => {
  it("a server ignoring offset: MambuCommError on the second page instead of paging forever", async () => {
    const windows: Array<[number, number]> = [];
    mambu().get("/api/clients").query(true).times(50).reply(tenant(1000, windows, { offsetFrom: () => 0 }));
    const err = await MambuClient.getAll({ connector: testConnector({ apipagination: 50 }) }).then(
      () => undefined,
      (e) => e as MambuCommError,
    );
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err!.message).toBe(
      "bad page from Mambu: the page at offset 50 (limit 50) of GET /api/clients repeats the page at offset 0 (same first records: is the server ignoring offset?)",
    );
    expect(err).toMatchObject({ method: "GET", url: "/api/clients" });
    expect(windows).toEqual([[0, 50], [50, 50]]);
  });

  it("the same with the total known and pages fetched concurrently", async () => {
    const windows: Array<[number, number]> = [];
    mambu().get("/api/clients").query(true).times(50).reply(tenant(1000, windows, { offsetFrom: () => 0 }));
    await expect(MambuClient.getAll({ connector: testConnector({ apipagination: 50, concurrency: 4 }) })).rejects.toThrow(
      /^bad page from Mambu: the page at offset 50 \(limit 50\) of GET \/api\/clients repeats the page at offset 0/,
    );
    expect(windows.length).toBeLessThanOrEqual(1 + 4);
  });

  it("a shorter last window served from offset 0 is caught too (limit 7, pages of 5)", async () => {
    mambu().get("/api/clients").query(true).times(5).reply(tenant(100, [], { offsetFrom: () => 0 }));
    await expect(MambuClient.getAll({ limit: 7, connector: testConnector({ apipagination: 5 }) })).rejects.toThrow(
      /the page at offset 5 \(limit 2\) of GET \/api\/clients repeats the page at offset 0/,
    );
  });

  it("limit 12 and a server returning 36: MambuCommError, never more than the limit", async () => {
    mambu().get("/api/clients").query(true).times(5).reply(tenant(100, [], { extra: 24 }));
    const err = await MambuClient.getAll({ limit: 12, connector: testConnector({ apipagination: 50 }) }).then(
      () => undefined,
      (e) => e as MambuCommError,
    );
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err!.message).toBe("bad page from Mambu: the page at offset 0 (limit 12) of GET /api/clients has 36 records, more than the 12 asked for");
  });

  it("streaming stops at the overrun page: the consumer never sees more records than asked", async () => {
    mambu().get("/api/clients").query(true).times(5).reply(tenant(100, [], { extra: 1 }));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const c of MambuClient.getAll({ limit: 25, connector: testConnector({ apipagination: 10 }) })) seen.push(c.id as string);
    })().then(
      () => undefined,
      (e) => e as MambuCommError,
    );
    expect(err).toBeInstanceOf(MambuCommError);
    expect(seen).toEqual([]);
  });
});

describe("records that are not JSON objects", () => {
  it.each([
    ["null", null, "null"],
    ["a number", 42, "a number"],
    ["a string", "x", "a string"],
    ["an array", [1], "an array"],
  ])("%s in a page → MambuCommError naming the page (no entity that throws TypeError later)", async (_what, bad, shown) => {
    const page2 = [...people(3, 2), bad];
    mambu().get("/api/clients").query({ offset: "0", limit: "3" }).reply(200, people(0, 3));
    mambu().get("/api/clients").query({ offset: "3", limit: "3" }).reply(200, JSON.stringify(page2));
    const err = await MambuClient.getAll({ connector: testConnector({ apipagination: 3 }) }).then(
      () => undefined,
      (e) => e as MambuCommError,
    );
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err!.message).toBe(
      `bad page from Mambu: the page at offset 3 (limit 3) of GET /api/clients holds a record that is not a JSON object (record 2: ${shown})`,
    );
  });

  it("search pages are checked the same way", async () => {
    mambu().post("/api/loans:search").query(true).reply(200, [null]);
    const { MambuLoan } = await import("../../lib");
    await expect(MambuLoan.search({ limit: 5, connector: testConnector() })).rejects.toThrow(
      "bad page from Mambu: the page at offset 0 (limit 5) of POST /api/loans:search holds a record that is not a JSON object (record 0: null)",
    );
  });
});
