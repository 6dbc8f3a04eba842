/** Pagination: "all when no limit" in pages of apipagination, limit windows, streaming, concurrency. */
import nock from "nock";
import { MambuClient, MambuLoan, MambuTsError } from "../../lib";
import { mambu, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

function people(from: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({ encodedKey: `k${from + i}`, id: String(from + i), firstName: `P${from + i}` }));
}

/** A fake tenant of `total` clients answering offset/limit, recording every window asked. */
function tenant(total: number, windows: Array<[number, number]>) {
  return (uri: string) => {
    const q = new URL(uri, "https://x").searchParams;
    const offset = Number(q.get("offset"));
    const limit = Number(q.get("limit"));
    windows.push([offset, limit]);
    const n = Math.max(0, Math.min(limit, total - offset));
    return [200, JSON.stringify(people(offset, n)), { "items-total": String(total) }] as [number, string, Record<string, string>];
  };
}

test("no limit: every record, in pages of apipagination (50 by default)", async () => {
  const windows: Array<[number, number]> = [];
  mambu().get("/api/clients").query(true).times(10).reply(tenant(120, windows));
  const all = await MambuClient.getAll({ connector: testConnector() });
  expect(all).toHaveLength(120);
  expect(all[119].id).toBe("119");
  expect(windows).toEqual([[0, 50], [50, 50], [100, 50]]);
});

test("limit 12 with apipagination 5 → offsets 0,5,10 and limits 5,5,2", async () => {
  const windows: Array<[number, number]> = [];
  mambu().get("/api/clients").query(true).times(10).reply(tenant(100, windows));
  const some = await MambuClient.getAll({ limit: 12, connector: testConnector({ apipagination: 5 }) });
  expect(some.map((c) => c.id)).toEqual(people(0, 12).map((p) => p.id));
  expect(windows).toEqual([[0, 5], [5, 5], [10, 2]]);
});

test("limit 2500 with apipagination 1000 → 1000, 1000, 500; offset respected", async () => {
  const windows: Array<[number, number]> = [];
  mambu().get("/api/clients").query(true).times(10).reply(tenant(5000, windows));
  const some = await MambuClient.getAll({ limit: 2500, offset: 7, connector: testConnector({ apipagination: 1000 }) });
  expect(some).toHaveLength(2500);
  expect(some[0].id).toBe("7");
  expect(windows).toEqual([[7, 1000], [1007, 1000], [2007, 500]]);
});

test("apipagination above 1000 is capped at 1000", async () => {
  const windows: Array<[number, number]> = [];
  mambu().get("/api/clients").query(true).times(10).reply(tenant(1500, windows));
  const conn = testConnector();
  conn.config.set("apipagination", "1000");
  await MambuClient.getAll({ connector: conn });
  expect(windows).toEqual([[0, 1000], [1000, 1000]]);
});

test("for await streams page by page and break stops fetching", async () => {
  const windows: Array<[number, number]> = [];
  mambu().get("/api/clients").query(true).times(10).reply(tenant(1000, windows));
  const seen: string[] = [];
  for await (const c of MambuClient.getAll({ connector: testConnector({ apipagination: 10 }) })) {
    seen.push(c.id as string);
    if (seen.length === 15) break;
  }
  expect(seen).toHaveLength(15);
  expect(windows).toEqual([[0, 10], [10, 10]]);
});

test("query carries filters, sortBy, detailsLevel, paginationDetails exactly", async () => {
  let query: Record<string, string> = {};
  mambu().get("/api/loans").query((q) => ((query = q as Record<string, string>), true)).reply(200, []);
  await MambuLoan.getAll({
    filters: { accountState: "ACTIVE_IN_ARREARS", creditOfficerUsername: "a.alas" },
    sortBy: "creationDate:DESC",
    detailsLevel: "FULL",
    paginationDetails: "ON",
    limit: 100,
    offset: 0,
    connector: testConnector(),
  });
  expect(query).toEqual({
    accountState: "ACTIVE_IN_ARREARS", creditOfficerUsername: "a.alas", sortBy: "creationDate:DESC",
    detailsLevel: "FULL", paginationDetails: "ON", offset: "0", limit: "50",
  });
});

test("bad arguments are MambuTsError before any request (cookbook: offset must be integer)", () => {
  const conn = testConnector();
  expect(() => MambuClient.getAll({ limit: 10, offset: "0" as never, connector: conn })).toThrow(new MambuTsError("offset must be integer"));
  expect(() => MambuClient.getAll({ limit: 1.5, connector: conn })).toThrow("limit must be integer");
  // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
  expect(() => MambuClient.getAll({ filters: { colour: "red" }, connector: conn })).toThrow(/key colour not in allowed filters for MambuClient/);
  // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
  expect(() => MambuClient.getAll({ sortBy: "id:ASC", connector: conn })).toThrow(/field id not in allowed sortBy fields/);
  // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
  expect(() => MambuClient.getAll({ sortBy: "lastName:UP", connector: conn })).toThrow(/ASC or DESC/);
  expect(() => MambuClient.getAll({ paginationDetails: "YES" as never, connector: conn })).toThrow(/paginationDetails must be in/);
  expect(() => MambuClient.getAll({ detailsLevel: "X" as never, connector: conn })).toThrow(/detailsLevel/);
  // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
  expect(() => MambuClient.getAll({ colour: "red", connector: conn })).toThrow(/unknown option "colour"/);
  expect(nock.pendingMocks()).toEqual([]);
});

test("a response that is not a list is a clear MambuError", async () => {
  mambu().get("/api/clients").query(true).reply(200, { oops: true });
  await expect(MambuClient.getAll({ connector: testConnector() })).rejects.toThrow(/expected a JSON list/);
});

test("with the total known, later pages are fetched concurrently and results stay in order", async () => {
  let inflight = 0;
  let maxInflight = 0;
  const windows: Array<[number, number]> = [];
  const http = await import("http");
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? "", "http://x").searchParams;
    const offset = Number(q.get("offset"));
    const limit = Number(q.get("limit"));
    windows.push([offset, limit]);
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    // later pages answer faster than earlier ones, to prove ordering does not depend on timing
    setTimeout(() => {
      inflight--;
      const n = Math.max(0, Math.min(limit, 230 - offset));
      res.writeHead(200, { "content-type": "application/json", "items-total": "230" });
      res.end(JSON.stringify(people(offset, n)));
    }, Math.max(5, 60 - offset / 5));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const conn = testConnector({ apiurl: `http://127.0.0.1:${port}`, apipagination: 20, concurrency: 4 });
    const all = await MambuClient.getAll({ connector: conn });
    expect(all.map((c) => c.id)).toEqual(people(0, 230).map((p) => p.id));
    expect(windows[0]).toEqual([0, 20]);
    expect(windows).toHaveLength(12);
    expect(maxInflight).toBeGreaterThan(1);
    expect(maxInflight).toBeLessThanOrEqual(4);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test("list.total: Mambu's items-total once the first page told it (paginationDetails ON); undefined before and when not said", async () => {
  const windows: Array<[number, number]> = [];
  mambu().get("/api/clients").query(true).times(3).reply(tenant(120, windows));
  const list = MambuClient.getAll({ paginationDetails: "ON", connector: testConnector() });
  expect(list.total).toBeUndefined(); // lazy: nothing asked yet
  const seen: Array<number | undefined> = [];
  for await (const page of list.byPage()) seen.push(page.length && list.total);
  expect(seen).toEqual([120, 120, 120]);
  expect(windows).toEqual([[0, 50], [50, 50], [100, 50]]);

  mambu().get("/api/clients").query(true).reply(200, JSON.stringify(people(0, 3)));
  const unsaid = MambuClient.getAll({ connector: testConnector() });
  expect(await unsaid).toHaveLength(3);
  expect(unsaid.total).toBeUndefined();
});
