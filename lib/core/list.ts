/**
 * List promises: what `getAll()` and `search()` return.
 *
 * `await MambuLoan.getAll()` gives an array; `for await (const loan of MambuLoan.getAll())` streams
 * page by page in constant memory, and `break` stops fetching. Without `limit` every record is
 * fetched, in pages of `apipagination` (default 50, at most 1000); a `limit` is split into pages of
 * that size. When the total is known (`paginationDetails=ON` → `items-total`), later pages are
 * fetched a few at a time (config `concurrency`) while results keep their order.
 *
 * The server is not trusted: `items-total` only says how far to fetch ahead (it never sizes an
 * allocation and never ends a listing: a short page does), a page longer than asked, a page that
 * repeats an earlier one (a server ignoring `offset`) or a record that is not a JSON object stops
 * the walk with a `MambuCommError`, so a listing never loops forever and never returns more than
 * its `limit`.
 */
import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { MambuCommError } from "../errors";

/** One page request: where it starts and how many records it asks for. */
export interface PageWindow {
  offset: number;
  limit: number;
  /** Ask Mambu for `items-total` on this page. */
  withTotal: boolean;
  /**
   * For a page fetched ahead: settles when the walk wants the page's body — the page before it is being consumed —
   * and rejects when the walk stops before reaching it. Give it to the request as `readWhen`, so that the answers
   * fetched ahead wait in the network buffers and memory holds at most two pages, whatever `concurrency` is.
   */
  ready?: Promise<void>;
}

/** One page answered: its records and, when asked, the total. */
export interface PageResult<R> {
  items: R[];
  /** `items-total` as Mambu sent it; only a safe integer ≥ 0 is used, and only to fetch ahead. */
  total?: number;
}

/** How to walk a listing. */
export interface PaginationPlan<R> {
  fetchPage(window: PageWindow): Promise<PageResult<R>>;
  /** First record (default 0). */
  offset: number;
  /** Records wanted (undefined: all of them). */
  limit?: number;
  /** Records per request (1..1000). */
  pageSize: number;
  /** Pages requested at once once the total is known (1: strictly sequential). */
  concurrency: number;
  /** Always ask for the total on the first page (the caller asked for paginationDetails=ON). */
  wantTotal?: boolean;
  /** Hears `items-total` when the first page brings a usable one (a safe integer ≥ 0). */
  onTotal?: (total: number) => void;
  /** The listing's request (`GET`, `/api/clients`), named in errors about a page. */
  request?: { method: string; url: string };
}

/**
 * Yields the pages of a listing in order, fetching ahead at most `concurrency` pages. A page's
 * length is read before it is yielded, so the caller may empty the array once it has taken the
 * records (streaming then holds only what the consumer has not reached).
 *
 * Every page is checked before it is yielded (see {@link PageGuard}); with the total known, pages
 * are fetched ahead only up to that total, and the listing still ends only at a short page (a
 * total that is too low costs one page at a time past it, a total that is too high costs at most
 * `concurrency` empty pages).
 * @throws MambuCommError when a page is longer than asked, repeats an earlier page, or holds a
 *   record that is not a JSON object.
 */
export async function* paginate<R>(plan: PaginationPlan<R>): AsyncGenerator<R[], void, undefined> {
  const { pageSize, concurrency } = plan;
  const guard = new PageGuard(plan.request);
  let offset = plan.offset;
  let remaining = plan.limit;
  const windowAt = (): number => (remaining === undefined ? pageSize : Math.min(pageSize, remaining));
  const advance = (n: number): void => {
    offset += n;
    if (remaining !== undefined) remaining -= n;
  };
  const useTotal = plan.wantTotal || concurrency > 1;

  const first = windowAt();
  if (first <= 0) return;
  const firstWindow: PageWindow = { offset, limit: first, withTotal: useTotal && (remaining === undefined || remaining > first) };
  const firstPage = await plan.fetchPage(firstWindow);
  guard.check(firstWindow, firstPage.items);
  const total = usableTotal(firstPage.total);
  if (total !== undefined) plan.onTotal?.(total);
  const firstCount = firstPage.items.length;
  yield firstPage.items;
  if (firstCount < first) return;
  advance(first);

  if (concurrency > 1 && total !== undefined && offset < total) {
    // Total known: keep up to `concurrency` windows in flight, launched one by one (never planned
    // from the total), only up to the total; yield in order; stop at the first short page.
    // Each page fetched ahead has a gate: its body is read once the page before it is being consumed (the head's
    // is read at once), so that the answers fetched ahead wait in the network buffers, not in memory.
    const inflight: Array<{ window: PageWindow; page: Promise<PageResult<R>>; open: () => void; close: () => void }> = [];
    let next = offset;
    let left = remaining;
    const launch = (): void => {
      while (inflight.length < concurrency && next < total && (left === undefined || left > 0)) {
        const size = left === undefined ? pageSize : Math.min(pageSize, left);
        let open!: () => void;
        let close!: () => void;
        const ready = new Promise<void>((resolve, reject) => {
          open = resolve;
          close = () => reject(new Error("the listing stopped before this page"));
        });
        ready.catch(() => undefined); // a gate closed on a page no one reads is no error
        const window: PageWindow = { offset: next, limit: size, withTotal: false, ready };
        const page = plan.fetchPage(window);
        page.catch(() => undefined); // observed when awaited below; never an unhandled rejection
        inflight.push({ window, page, open, close });
        next += size;
        if (left !== undefined) left -= size;
      }
    };
    try {
      for (;;) {
        launch();
        const head = inflight.shift();
        if (!head) break;
        head.open();
        inflight[0]?.open(); // read while the head is consumed
        const page = await head.page;
        guard.check(head.window, page.items);
        const count = page.items.length;
        yield page.items;
        if (count < head.window.limit) return; // the end (or data shrank while paging)
        advance(head.window.limit);
      }
    } finally {
      for (const p of inflight) p.close(); // pages fetched ahead and not wanted: their requests are given up
      inflight.length = 0;
    }
    // Every page up to the total was full: the total may be stale or wrong, so go on one page at
    // a time until a short page says the listing is over.
  }

  for (;;) {
    const size = windowAt();
    if (size <= 0) return;
    const window: PageWindow = { offset, limit: size, withTotal: false };
    const page = await plan.fetchPage(window);
    guard.check(window, page.items);
    const count = page.items.length;
    yield page.items;
    if (count < size) return;
    advance(size);
  }
}

/** `items-total` when it is a usable count (a safe integer ≥ 0), else undefined. */
function usableTotal(total: unknown): number | undefined {
  return typeof total === "number" && Number.isSafeInteger(total) && total >= 0 ? total : undefined;
}

/**
 * Checks each page of one walk before its records are handed over: a list, no longer than its
 * window, of JSON objects, not starting as an earlier page started (what a server ignoring
 * `offset` sends: the same first two records, or the same first record for a one-record page).
 * Remembers two short keys per page (from the `encodedKey`, or `id`, or a hash of the first
 * records), so its memory grows with the number of pages, not of records.
 * @internal
 */
export class PageGuard {
  /** First record's key → offset of the page it started. */
  readonly #starts = new Map<string, number>();
  /** First two records' keys → offset of the page they started. */
  readonly #starts2 = new Map<string, number>();

  constructor(private readonly request?: { method: string; url: string }) {}

  /** @throws MambuCommError naming the page when it misbehaves. */
  check(window: PageWindow, items: unknown): void {
    if (!Array.isArray(items)) throw this.#fault(window, "is not a JSON list");
    if (items.length > window.limit) {
      throw this.#fault(window, `has ${items.length} records, more than the ${window.limit} asked for`);
    }
    for (let i = 0; i < items.length; i++) {
      const r = items[i] as unknown;
      if (typeof r !== "object" || r === null || Array.isArray(r)) {
        throw this.#fault(window, `holds a record that is not a JSON object (record ${i}: ${describeValue(r)})`);
      }
    }
    if (items.length === 0) return;
    const key = recordKey(items[0] as Record<string, unknown>);
    const key2 = items.length > 1 ? `${key}\n${recordKey(items[1] as Record<string, unknown>)}` : undefined;
    const earlier = key2 !== undefined ? this.#starts2.get(key2) : this.#starts.get(key);
    if (earlier !== undefined) {
      throw this.#fault(window, `repeats the page at offset ${earlier} (same first records: is the server ignoring offset?)`);
    }
    if (!this.#starts.has(key)) this.#starts.set(key, window.offset);
    if (key2 !== undefined && !this.#starts2.has(key2)) this.#starts2.set(key2, window.offset);
  }

  #fault(window: PageWindow, what: string): MambuCommError {
    const req = this.request;
    const where = req ? ` of ${req.method} ${req.url}` : "";
    return new MambuCommError(`bad page from Mambu: the page at offset ${window.offset} (limit ${window.limit})${where} ${what}`, {
      method: req?.method,
      url: req?.url,
    });
  }
}

/** A short, value-free description of a non-record (`null`, `number`, `string`, `array`). */
function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return `a ${typeof v}`;
}

/** The identity of a record: its encodedKey, else its id, else a hash of its JSON. */
function recordKey(r: Record<string, unknown>): string {
  const k = r.encodedKey;
  if (typeof k === "string" && k.length <= 64) return `k:${k}`;
  const id = r.id;
  if ((typeof id === "string" && id.length <= 64) || typeof id === "number") return `i:${String(id)}`;
  let text: string;
  try {
    text = JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "";
  } catch {
    text = inspect(r, { depth: 4 });
  }
  return `h:${createHash("sha1").update(text).digest("base64")}`;
}

/**
 * How a walk is consumed: `streaming` (`for await`, `byPage()`) hands each page over and forgets it, so a walk may
 * then read pages element by element and leave the pages fetched ahead unread until their turn (bounded memory);
 * an `await` keeps every record anyway, and reads each page whole (the least CPU).
 */
export interface WalkMode {
  streaming: boolean;
}

const handOver = new WeakSet<object>();

/**
 * Marks a page array as the listing's own (made for this walk, seen by no one else): streaming then
 * drops each record from it as it hands the record over, so that memory holds only the records the
 * consumer has not reached. @internal
 */
export function ownPage<T>(page: T[]): T[] {
  handOver.add(page);
  return page;
}

/**
 * A list promise: awaitable (an array of every record) and async-iterable (streaming). Lazy: no
 * request is made until it is awaited or iterated. Awaiting is memoised; each `for await` walks
 * the listing afresh.
 */
export class MambuList<T> implements PromiseLike<T[]>, AsyncIterable<T> {
  private all?: Promise<T[]>;
  #total?: number;

  /**
   * @param walk starts one walk of the listing, page by page; it may report Mambu's `items-total`
   *   through `setTotal` (see {@link MambuList.total}).
   */
  constructor(
    private readonly walk: (setTotal: (total: number) => void, how: WalkMode) => AsyncGenerator<T[], void, undefined>,
    private readonly label = "MambuList",
  ) {}

  /**
   * How many records Mambu says the listing holds (`items-total`), once the first page of a walk has
   * told it (with `paginationDetails: "ON"`, or when later pages are fetched concurrently); undefined
   * before, or when Mambu did not say. A hint (for progress lines), not a bound: records are counted as
   * they come.
   */
  get total(): number | undefined {
    return this.#total;
  }

  private pages(streaming: boolean): AsyncGenerator<T[], void, undefined> {
    return this.walk((total) => (this.#total = total), { streaming });
  }

  /** Every record, in order (memoised). */
  toArray(): Promise<T[]> {
    return (this.all ??= (async () => {
      const out: T[] = [];
      for await (const page of this.pages(false)) for (const x of page) out.push(x);
      return out;
    })());
  }

  then<A = T[], B = never>(ok?: ((v: T[]) => A | PromiseLike<A>) | null, ko?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.toArray().then(ok, ko);
  }

  catch<B = never>(ko?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<T[] | B> {
    return this.toArray().catch(ko);
  }

  finally(f?: (() => void) | null): Promise<T[]> {
    return this.toArray().finally(f);
  }

  /** Streams records page by page; `break` stops fetching further pages. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages(true)) {
      if (!handOver.has(page)) {
        yield* page;
        continue;
      }
      for (let i = 0; i < page.length; i++) {
        const record = page[i];
        (page as Array<T | undefined>)[i] = undefined;
        yield record;
      }
    }
  }

  /** Streams whole pages (arrays) instead of records. */
  byPage(): AsyncIterable<T[]> {
    return { [Symbol.asyncIterator]: () => this.pages(true) };
  }

  [inspect.custom](): string {
    return `${this.label} <lazy: await it for an array, or for-await it to stream>`;
  }
}
