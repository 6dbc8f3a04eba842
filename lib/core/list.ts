/**
 * List promises: what `getAll()` and `search()` return.
 *
 * `await MambuLoan.getAll()` gives an array; `for await (const loan of MambuLoan.getAll())` streams
 * page by page in constant memory, and `break` stops fetching. Without `limit` every record is
 * fetched, in pages of `apipagination` (default 50, at most 1000); a `limit` is split into pages of
 * that size. When the total is known (`paginationDetails=ON` → `items-total`), later pages are
 * fetched a few at a time (config `concurrency`) while results keep their order.
 */
import { inspect } from "node:util";

/** One page request: where it starts and how many records it asks for. */
export interface PageWindow {
  offset: number;
  limit: number;
  /** Ask Mambu for `items-total` on this page. */
  withTotal: boolean;
}

/** One page answered: its records and, when asked, the total. */
export interface PageResult<R> {
  items: R[];
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
}

/**
 * Yields the pages of a listing in order, fetching ahead at most `concurrency` pages. A page's
 * length is read before it is yielded, so the caller may empty the array once it has taken the
 * records (streaming then holds only what the consumer has not reached).
 */
export async function* paginate<R>(plan: PaginationPlan<R>): AsyncGenerator<R[], void, undefined> {
  const { pageSize, concurrency } = plan;
  let offset = plan.offset;
  let remaining = plan.limit;
  const windowAt = (): number => (remaining === undefined ? pageSize : Math.min(pageSize, remaining));
  const useTotal = plan.wantTotal || concurrency > 1;

  const first = windowAt();
  if (first <= 0) return;
  const firstPage = await plan.fetchPage({ offset, limit: first, withTotal: useTotal && (remaining === undefined || remaining > first) });
  const firstCount = firstPage.items.length;
  yield firstPage.items;
  if (firstCount < first) return;
  offset += first;
  if (remaining !== undefined) remaining -= first;

  if (concurrency > 1 && firstPage.total !== undefined) {
    // Total known: plan every remaining window, keep up to `concurrency` in flight, yield in order.
    const end = remaining === undefined ? firstPage.total : Math.min(firstPage.total, offset + remaining);
    const windows: PageWindow[] = [];
    for (let o = offset; o < end; o += pageSize) windows.push({ offset: o, limit: Math.min(pageSize, end - o), withTotal: false });
    const inflight: Array<Promise<PageResult<R>>> = [];
    let next = 0;
    const launch = (): void => {
      while (inflight.length < concurrency && next < windows.length) {
        const p = plan.fetchPage(windows[next++]);
        p.catch(() => undefined); // observed when awaited below; never an unhandled rejection
        inflight.push(p);
      }
    };
    try {
      let done = 0;
      for (;;) {
        launch();
        const p = inflight.shift();
        if (!p) break;
        const page = await p;
        const w = windows[done++];
        const count = page.items.length;
        yield page.items;
        if (count < w.limit) return; // data shrank while paging: stop at the short page
      }
      return; // every record counted by items-total has been yielded
    } finally {
      inflight.length = 0;
    }
  }

  for (;;) {
    const size = windowAt();
    if (size <= 0) return;
    const page = await plan.fetchPage({ offset, limit: size, withTotal: false });
    const count = page.items.length;
    yield page.items;
    if (count < size) return;
    offset += size;
    if (remaining !== undefined) remaining -= size;
  }
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

  constructor(
    private readonly pages: () => AsyncGenerator<T[], void, undefined>,
    private readonly label = "MambuList",
  ) {}

  /** Every record, in order (memoised). */
  toArray(): Promise<T[]> {
    return (this.all ??= (async () => {
      const out: T[] = [];
      for await (const page of this.pages()) for (const x of page) out.push(x);
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
    for await (const page of this.pages()) {
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
    return { [Symbol.asyncIterator]: () => this.pages() };
  }

  [inspect.custom](): string {
    return `${this.label} <lazy: await it for an array, or for-await it to stream>`;
  }
}
