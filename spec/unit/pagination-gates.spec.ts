/**
 * Pages fetched ahead (concurrency > 1) wait for their turn before their bodies are read (`PageWindow.ready`, given to
 * the request as `readWhen`): memory holds the page being consumed and the next one, whatever `concurrency` is, and
 * the pages the walk never reaches are given up. Records still come in order, each exactly once.
 */
import { MambuClient } from "../../lib";
import { paginate, PageWindow } from "../../lib/core/list";
import { testConnector } from "../helpers/mambu";

/** A listing of `total` numbers; each page's "body" is read (resolved) only once its window's gate opens. */
function plan(total: number, concurrency: number, log: { opened: number[]; closed: number[]; asked: number[] }) {
  return {
    offset: 0,
    pageSize: 10,
    concurrency,
    fetchPage: async (w: PageWindow) => {
      log.asked.push(w.offset);
      if (w.ready) {
        try {
          await w.ready;
          log.opened.push(w.offset);
        } catch {
          log.closed.push(w.offset);
          throw new Error("given up");
        }
      }
      const n = Math.max(0, Math.min(w.limit, total - w.offset));
      return { items: Array.from({ length: n }, (_, i) => ({ n: w.offset + i })), total };
    },
  };
}

test("with concurrency 4, a page's body is read only when the page before it is being consumed; every record once, in order", async () => {
  const log = { opened: [] as number[], closed: [] as number[], asked: [] as number[] };
  const seen: number[] = [];
  const readAhead: number[] = [];
  for await (const page of paginate(plan(95, 4, log))) {
    const at = (page[0] as { n: number } | undefined)?.n ?? -1;
    // bodies read so far, beyond the page being consumed
    readAhead.push(log.opened.filter((o) => o > at).length);
    for (const r of page) seen.push((r as { n: number }).n);
  }
  expect(seen).toEqual(Array.from({ length: 95 }, (_, i) => i));
  expect(log.opened).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]); // every page fetched ahead had a gate, opened in turn
  expect(Math.max(...readAhead)).toBeLessThanOrEqual(1);
  expect(log.closed).toEqual([]);
  expect(log.asked.length).toBe(10);
});

test("break: the pages fetched ahead and never reached are given up (their gates reject), none read", async () => {
  const log = { opened: [] as number[], closed: [] as number[], asked: [] as number[] };
  for await (const page of paginate(plan(1000, 4, log))) {
    if ((page[0] as { n: number }).n === 10) break; // the second page
  }
  await new Promise((r) => setImmediate(r));
  // page 0 has no gate (fetched alone, to learn the total); 10 and 20 were opened (the head and the next); 30, 40 given up
  expect(log.opened).toEqual([10, 20]);
  expect(log.closed.sort((a, b) => a - b)).toEqual([30, 40]);
});

test("getAll streamed with for await (pages read element by element, fetched ahead behind gates) gives what await gives: every record once, in order", async () => {
  const http = await import("http");
  const total = 23;
  const people = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ encodedKey: `k${from + i}`, id: String(from + i), firstName: `P "${from + i}" },{ [x]`, lastName: "Zoë" }));
  const server = http.createServer((req, res) => {
    const q = new URL(req.url!, "http://x").searchParams;
    const offset = Number(q.get("offset"));
    const n = Math.max(0, Math.min(Number(q.get("limit")), total - offset));
    res.writeHead(200, { "content-type": "application/json", "items-total": String(total) });
    const body = Buffer.from(JSON.stringify(people(offset, n)), "utf8");
    for (let i = 0; i < body.length; i += 5) res.write(body.subarray(i, i + 5)); // cut anywhere, even inside a character
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const conn = testConnector({ apiurl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, apipagination: 3, concurrency: 4 });
    const streamed: string[] = [];
    for await (const c of MambuClient.getAll({ connector: conn })) streamed.push(`${c.id} ${c.firstName} ${c.lastName}`);
    const awaited = (await MambuClient.getAll({ connector: conn })).map((c) => `${c.id} ${c.firstName} ${c.lastName}`);
    expect(streamed).toEqual(people(0, total).map((p) => `${p.id} ${p.firstName} ${p.lastName}`));
    expect(awaited).toEqual(streamed);
    conn.close();
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
