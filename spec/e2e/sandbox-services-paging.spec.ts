/**
 * Page tokens of the sandbox's Services API are keyset cursors (lib/sandbox/services/paging.ts): paging through a
 * list while objects are created before and after the place reached, and deleted, answers every object present at
 * the start and not deleted exactly once. Tokens are opaque, bound to their list, filter and order_by, signed and
 * bounded. Through the ORM's `services.*` operations and `Services.*` entities against one sandbox.
 */
import { services, Services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf, statusOf } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  await sb.stop();
});

type Type = "InterestRate" | "TaxRate";
const create = (id: string, name: string, type: Type = "InterestRate", notes?: string) =>
  services.rates.createIndexRateSource({}, { source_id: id, name, type, ...(notes !== undefined ? { notes } : {}) }, { connector });
/** Creates a source unless one with that id exists (a 409 is fine here: the place it sorts at is what matters). */
async function ensure(id: string, name: string, type: Type = "InterestRate"): Promise<void> {
  try {
    await create(id, name, type);
  } catch (e) {
    if ((await statusOf(Promise.reject(e))) !== 409) throw e;
  }
}
const remove = (id: string) => services.rates.deleteIndexRateSource({ source_id: id }, { connector });
const pad = (n: number) => String(n).padStart(3, "0");

interface Run {
  seen: string[];
  pages: number;
}

/**
 * Pages through the sources of `query` (page_size 4), calling `between` after each page with what was seen so far.
 */
async function pageThrough(query: { filter?: string; order_by?: string }, between: (seen: string[], page: number) => Promise<void>): Promise<Run> {
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await services.rates.listIndexRateSources({ page_size: 4, ...query, ...(token ? { page_token: token } : {}) }, { connector });
    seen.push(...page.sources.map((s) => s.source_id));
    token = page.next_page_token || undefined;
    pages++;
    if (token) await between(seen, pages);
  } while (token && pages < 100);
  return { seen, pages };
}

/** Every source present at the start and not deleted is seen exactly once; nothing is seen twice. */
function expectExactlyOnce(run: Run, initial: string[], deleted: Set<string>): void {
  const counts = new Map<string, number>();
  for (const id of run.seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  const missing = initial.filter((id) => !deleted.has(id) && !counts.has(id));
  expect(missing).toEqual([]);
}

describe("paging under concurrent writes", () => {
  test("order_by name: sources created before and after the place reached, and deleted ones, skip and repeat nothing", async () => {
    const initial: string[] = [];
    for (let n = 0; n < 60; n += 2) {
      await create(`A${pad(n)}`, `a ${pad(n)}`);
      initial.push(`A${pad(n)}`);
    }
    const deleted = new Set<string>();
    const run = await pageThrough({ order_by: "name", filter: 'source_id >= "A" AND source_id < "B"' }, async (seen, page) => {
      const last = Number(seen[seen.length - 1].slice(1));
      await ensure(`A${pad(last - 1)}`, `a ${pad(last - 1)}`); // before the place reached
      await ensure(`A${pad(last + 1)}`, `a ${pad(last + 1)}`); // after it
      const gone = seen[page - 1]; // one already answered
      await remove(gone);
      deleted.add(gone);
      const ahead = `A${pad(last + 4)}`; // one not answered yet
      if (initial.includes(ahead) && !deleted.has(ahead)) {
        await remove(ahead);
        deleted.add(ahead);
      }
    });
    expectExactlyOnce(run, initial, deleted);
    // the names answered are in order
    const names = run.seen.map((id) => Number(id.slice(1)));
    expect(names).toEqual([...names].sort((a, b) => a - b));
  });

  test("order_by name desc with a filter on the type", async () => {
    const initial: string[] = [];
    for (let n = 0; n < 40; n += 2) {
      const type: Type = n % 4 === 0 ? "InterestRate" : "TaxRate";
      await create(`D${pad(n)}`, `d ${pad(n)}`, type);
      if (type === "TaxRate") initial.push(`D${pad(n)}`);
    }
    const deleted = new Set<string>();
    const run = await pageThrough({ order_by: "name desc", filter: 'type = "TaxRate" AND source_id >= "D" AND source_id < "E"' }, async (seen) => {
      const last = Number(seen[seen.length - 1].slice(1));
      await ensure(`D${pad(last + 1)}`, `d ${pad(last + 1)}`, "TaxRate"); // before the place (desc)
      await ensure(`D${pad(last - 1)}`, `d ${pad(last - 1)}`, "TaxRate"); // after it
      const first = seen[0];
      if (!deleted.has(first)) {
        await remove(first);
        deleted.add(first);
      }
    });
    expectExactlyOnce(run, initial, deleted);
    expect(run.seen.filter((id) => Number(id.slice(1)) % 4 === 0)).toEqual([]); // the filter holds on every page
    const names = run.seen.map((id) => Number(id.slice(1)));
    expect(names).toEqual([...names].sort((a, b) => b - a));
  });

  test("in the order of creation (no order_by): deleting answered sources skips nothing", async () => {
    const initial: string[] = [];
    for (let n = 0; n < 20; n++) {
      await create(`C${pad(n)}`, `c ${pad(n)}`);
      initial.push(`C${pad(n)}`);
    }
    const deleted = new Set<string>();
    const run = await pageThrough({ filter: 'source_id >= "C" AND source_id < "D"' }, async (seen) => {
      for (const id of seen.slice(-2)) {
        if (!deleted.has(id)) {
          await remove(id);
          deleted.add(id);
        }
      }
      await create(`C${pad(100 + seen.length)}`, "created later");
    });
    expectExactlyOnce(run, initial, deleted);
    expect(run.seen.slice(0, 20)).toEqual(initial);
  });

  test("Services.IndexRateSource.list streams with for await while sources come and go", async () => {
    for (let n = 0; n < 12; n++) await create(`S${pad(n)}`, `s ${pad(n)}`);
    const seen: string[] = [];
    for await (const s of Services.IndexRateSource.list({ filter: 'source_id >= "S" AND source_id < "T"', orderBy: "name", pageSize: 3, connector })) {
      seen.push(s.sourceId);
      if (seen.length === 3) {
        await remove("S000");
        await create("S0005", "s 0005");
      }
    }
    expect(seen).toEqual(["S000", "S001", "S002", "S003", "S004", "S005", "S006", "S007", "S008", "S009", "S010", "S011"]);
  });
});

describe("page tokens", () => {
  beforeAll(async () => {
    for (let n = 0; n < 6; n++) await ensure(`T${n}`, `t${n}`);
  });

  async function firstToken(query: { filter?: string; order_by?: string } = {}): Promise<string> {
    const page = await services.rates.listIndexRateSources({ page_size: 2, ...query }, { connector });
    expect(page.next_page_token).toBeTruthy();
    return page.next_page_token!;
  }

  test("are opaque: no offset in them", async () => {
    const token = await firstToken();
    expect(token).not.toMatch(/^[A-Za-z0-9_-]{1,8}$/);
    expect(Buffer.from(token.split(".")[0], "base64url").toString("utf8")).not.toMatch(/^o:\d+$/);
  });

  test("work with another page_size", async () => {
    const token = await firstToken({ order_by: "name" });
    const page = await services.rates.listIndexRateSources({ page_size: 5, order_by: "name", page_token: token }, { connector });
    expect(page.sources.length).toBe(5);
  });

  test.each([
    ["another list", async (t: string) => services.currencies.listCurrencies({ page_token: t }, { connector })],
    ["another filter", async (t: string) => services.rates.listIndexRateSources({ page_token: t, order_by: "name", filter: 'type = "TaxRate"' }, { connector })],
    ["another order_by", async (t: string) => services.rates.listIndexRateSources({ page_token: t, order_by: "name desc" }, { connector })],
    ["no order_by", async (t: string) => services.rates.listIndexRateSources({ page_token: t }, { connector })],
  ])("from %s: 400 INVALID_PARAMETERS", async (_what, use) => {
    await services.currencies.createCurrency({}, { code: "PGA", name: "a" }, { connector }).catch(() => undefined);
    const token = await firstToken({ order_by: "name" });
    expect(await statusOf(use(token))).toBe(400);
    expect(await reasonOf(use(token))).toBe("INVALID_PARAMETERS");
  });

  test("a token of another parent's list (index rates of another source) is refused", async () => {
    for (const id of ["P1", "P2"]) {
      await create(id, id);
      for (const day of ["01", "02", "03"]) await services.rates.createIndexRate({ source_id: id }, { rate: 1, start_time: `2026-01-${day}T00:00:00Z` }, { connector });
    }
    const page = await services.rates.listIndexRates({ source_id: "P1", page_size: 1 }, { connector });
    expect(await statusOf(services.rates.listIndexRates({ source_id: "P2", page_token: page.next_page_token }, { connector }))).toBe(400);
    const next = await services.rates.listIndexRates({ source_id: "P1", page_token: page.next_page_token }, { connector });
    expect(next.rates.length).toBe(2);
  });

  test("altered, made up or too long: 400", async () => {
    const token = await firstToken({ order_by: "name" });
    const [payload, sig] = token.split(".");
    const cursor = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { t: [number, string] };
    cursor.t[0] += 1; // another place in the list
    const forged = Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
    const otherSig = `${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`;
    const spareBits = `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`; // decodes to the same bytes, or not: refused either way
    for (const bad of [`${forged}.${sig}`, `${payload}.${otherSig}`, `${payload}.${spareBits}`, "bzo0", "o:4", "x".repeat(9000), `${payload}`]) {
      expect(await reasonOf(services.rates.listIndexRateSources({ order_by: "name", page_token: bad }, { connector }))).toBe("INVALID_PARAMETERS");
    }
  });

  test("stay short when the sort key is a long text, and paging by it still answers everything", async () => {
    const long = "n".repeat(5000);
    const ids: string[] = [];
    for (let n = 0; n < 9; n++) {
      await create(`L${n}`, `l${n}`, "InterestRate", `${long}${n}`);
      ids.push(`L${n}`);
    }
    const query = { order_by: "notes", filter: 'source_id >= "L" AND source_id < "M"' };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await services.rates.listIndexRateSources({ page_size: 2, ...query, ...(token ? { page_token: token } : {}) }, { connector });
      seen.push(...page.sources.map((s) => s.source_id));
      token = page.next_page_token || undefined;
      if (token) expect(token.length).toBeLessThan(1024);
      pages++;
    } while (token && pages < 20);
    expect(seen).toEqual(ids);

    // non-ASCII text takes more bytes: the token stays short all the same
    for (let n = 0; n < 3; n++) await create(`U${n}`, `u${n}`, "InterestRate", `${"€😀".repeat(2000)}${n}`);
    const unicode: string[] = [];
    let utoken: string | undefined;
    let upages = 0;
    do {
      const page = await services.rates.listIndexRateSources({ page_size: 1, order_by: "notes desc", filter: 'source_id >= "U" AND source_id < "V"', ...(utoken ? { page_token: utoken } : {}) }, { connector });
      unicode.push(...page.sources.map((s) => s.source_id));
      utoken = page.next_page_token || undefined;
      if (utoken) expect(utoken.length).toBeLessThan(1024);
      upages++;
    } while (utoken && upages < 10);
    expect(unicode).toEqual(["U2", "U1", "U0"]);

    // the object a token's prefix came from is gone: the ones sharing the prefix are answered again, none skipped
    const first = await services.rates.listIndexRateSources({ page_size: 2, ...query }, { connector });
    await remove("L1");
    const rest = await services.rates.listIndexRateSources({ page_size: 100, ...query, page_token: first.next_page_token }, { connector });
    const after = rest.sources.map((s) => s.source_id);
    for (const id of ids.slice(2)) expect(after).toContain(id);
  });
});
