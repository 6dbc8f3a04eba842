/**
 * Property tests (fast-check): pagination against a server that misbehaves in arbitrary ways —
 * page lengths shorter or longer than asked, a server that starts ignoring `offset`, replayed
 * pages, a lying `items-total`. Whatever it does, a listing ends, never returns more than its
 * `limit`, and either returns exactly the records (a prefix of them when the server cut a page
 * short, which looks like the end) or fails with a `MambuCommError`.
 */
import fc from "fast-check";
import { Response } from "node-fetch";
import type nodeFetch from "node-fetch";
import { MambuClient, MambuCommError, MambuConfig, MambuConnector } from "../../lib";
import { MambuList, paginate, PageWindow } from "../../lib/core/list";

interface Rec {
  encodedKey: string;
  id: string;
}

const records = (n: number): Rec[] => Array.from({ length: n }, (_, i) => ({ encodedKey: `k${i}`, id: String(i) }));

/** How the server bends its n-th answer (0-based request index). */
interface Faults {
  /** From this request on, the server answers as if offset were the first request's. */
  stuckFrom?: number;
  /** Requests answered with more records than asked (by this many). */
  overlong: Map<number, number>;
  /** Requests answered with fewer records than it has (this many fewer, at least one). */
  shorter: Map<number, number>;
  /** Requests answered with the answer to an earlier request (index modulo the requests so far). */
  replay: Map<number, number>;
  /** items-total sent: the truth plus this (may be negative or huge), or undefined: the truth. */
  totalDelta?: number;
}

const faultsArb: fc.Arbitrary<Faults> = fc.record({
  stuckFrom: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  overlong: fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 40 })), { maxLength: 2 }).map((a) => new Map(a)),
  shorter: fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 40 })), { maxLength: 2 }).map((a) => new Map(a)),
  replay: fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.nat(8)), { maxLength: 2 }).map((a) => new Map(a)),
  totalDelta: fc.option(fc.oneof(fc.integer({ min: -300, max: 300 }), fc.constant(999_999_999_999_999), fc.constant(2 ** 60)), { nil: undefined }),
});

const honest: Faults = { overlong: new Map(), shorter: new Map(), replay: new Map() };

const walkArb = fc.record({
  count: fc.integer({ min: 0, max: 250 }),
  offset: fc.integer({ min: 0, max: 30 }),
  limit: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  pageSize: fc.integer({ min: 1, max: 40 }),
  concurrency: fc.integer({ min: 1, max: 5 }),
  wantTotal: fc.boolean(),
  stream: fc.boolean(),
});
type Walk = typeof walkArb extends fc.Arbitrary<infer W> ? W : never;

/** The misbehaving server: answers window requests in the order they are made. */
function server(data: Rec[], faults: Faults) {
  const answers: Rec[][] = [];
  let firstOffset: number | undefined;
  let truncated = false;
  const answer = (w: { offset: number; limit: number }): { items: Rec[]; total?: number } => {
    const n = answers.length;
    if (n > 10_000) throw new Error("the walk does not end");
    firstOffset ??= w.offset;
    let items: Rec[];
    const replayOf = faults.replay.get(n);
    if (replayOf !== undefined && n > 0) items = answers[replayOf % n];
    else {
      const from = faults.stuckFrom !== undefined && n >= faults.stuckFrom ? firstOffset : w.offset;
      const available = data.slice(from, from + w.limit);
      items = available;
      const more = faults.overlong.get(n);
      if (more !== undefined) items = data.slice(from, from + w.limit + more);
      const less = faults.shorter.get(n);
      if (less !== undefined && available.length > 0) {
        items = available.slice(0, Math.max(0, available.length - less));
        truncated = true;
      }
    }
    answers.push(items);
    const total = faults.totalDelta === undefined ? data.length : Math.max(0, data.length + faults.totalDelta);
    return { items: items.map((r) => ({ ...r })), total };
  };
  return { answer, requests: () => answers.length, truncated: () => truncated };
}

/** Runs a walk; returns the records or the error. */
async function outcome(list: MambuList<Rec> | AsyncIterable<Rec[]>, stream: boolean): Promise<{ ok: Rec[] } | { err: unknown }> {
  try {
    const out: Rec[] = [];
    if (list instanceof MambuList) {
      if (stream) for await (const r of list) out.push(r);
      else out.push(...(await list));
    } else for await (const page of list) out.push(...page);
    return { ok: out };
  } catch (err) {
    return { err };
  }
}

/** The properties every walk must have, whatever the server did. */
function check(walk: Walk, faults: Faults, srv: ReturnType<typeof server>, result: { ok: Rec[] } | { err: unknown }, ids: (r: Rec) => string): void {
  const expected = records(walk.count).slice(walk.offset, walk.limit === undefined ? undefined : walk.offset + walk.limit);
  // It ends, without a runaway number of requests.
  expect(srv.requests()).toBeLessThanOrEqual(Math.ceil(walk.count / walk.pageSize) + walk.concurrency + 2);
  if ("err" in result) {
    expect(result.err).toBeInstanceOf(MambuCommError);
    expect(faults).not.toBe(honest);
    return;
  }
  const got = result.ok.map(ids);
  if (walk.limit !== undefined) expect(got.length).toBeLessThanOrEqual(walk.limit);
  const want = expected.map((r) => r.id);
  if (srv.truncated()) expect(want.slice(0, got.length)).toEqual(got); // a page cut short looks like the end
  else expect(got).toEqual(want);
}

describe("pagination properties (misbehaving server)", () => {
  it("paginate(): ends, never more than limit, exact records or MambuCommError", async () => {
    await fc.assert(
      fc.asyncProperty(walkArb, fc.oneof(fc.constant(honest), faultsArb), async (walk, faults) => {
        const srv = server(records(walk.count), faults);
        const pages = paginate<Rec>({
          offset: walk.offset,
          limit: walk.limit,
          pageSize: walk.pageSize,
          concurrency: walk.concurrency,
          wantTotal: walk.wantTotal,
          fetchPage: async (w: PageWindow) => {
            const page = srv.answer(w);
            await Promise.resolve();
            return w.withTotal || walk.wantTotal ? page : { items: page.items };
          },
        });
        check(walk, faults, srv, await outcome(pages, false), (r) => r.id);
      }),
      { numRuns: 500 },
    );
  });

  it("MambuClient.getAll() through the connector: the same, awaited or streamed", async () => {
    await fc.assert(
      fc.asyncProperty(walkArb, fc.oneof(fc.constant(honest), faultsArb), async (walk, faults) => {
        const srv = server(records(walk.count), faults);
        const fetch = async (url: string): Promise<Response> => {
          const q = new URL(url).searchParams;
          const page = srv.answer({ offset: Number(q.get("offset")), limit: Number(q.get("limit")) });
          const headers: Record<string, string> = { "Content-Type": "application/vnd.mambu.v2+json" };
          if (q.get("paginationDetails") === "ON" && page.total !== undefined) headers["items-total"] = String(page.total);
          return new Response(JSON.stringify(page.items), { status: 200, headers });
        };
        const config = new MambuConfig({ env: {}, rcFiles: [], warn: () => undefined });
        config.apiurl = "tenant.mambu.test";
        config.apiuser = "u";
        config.apipwd = "pw";
        config.apipagination = walk.pageSize;
        config.concurrency = walk.concurrency;
        const connector = new MambuConnector({ config, fetch: fetch as unknown as typeof nodeFetch, sleep: async () => undefined });
        const list = MambuClient.getAll({
          offset: walk.offset,
          limit: walk.limit,
          paginationDetails: walk.wantTotal ? "ON" : undefined,
          connector,
        }) as unknown as MambuList<Rec>;
        check(walk, faults, srv, await outcome(list, walk.stream), (c) => c.id);
      }),
      { numRuns: 150 },
    );
  });

  it("an honest server always gives exactly the records, in as few requests as the page size allows", async () => {
    await fc.assert(
      fc.asyncProperty(walkArb, async (walk) => {
        const srv = server(records(walk.count), honest);
        const pages = paginate<Rec>({
          offset: walk.offset,
          limit: walk.limit,
          pageSize: walk.pageSize,
          concurrency: walk.concurrency,
          wantTotal: walk.wantTotal,
          fetchPage: async (w) => srv.answer(w),
        });
        const result = await outcome(pages, false);
        const expected = records(walk.count).slice(walk.offset, walk.limit === undefined ? undefined : walk.offset + walk.limit);
        expect(result).toEqual({ ok: expected });
        expect(srv.requests()).toBeLessThanOrEqual(Math.floor(expected.length / walk.pageSize) + walk.concurrency);
      }),
      { numRuns: 300 },
    );
  });
});
