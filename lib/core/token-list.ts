/**
 * Token-paged list promises (the Services API's lists: `page_token`, `page_size`, `order_by`, `filter`), with the
 * same API as API v2's {@link MambuList}: `await` for an array, `for await` to stream page by page (`break` stops
 * fetching). `filter` and `order_by` are checked against the grammar of the contract decision `filter-order-by`
 * and the listed object's fields before any request is sent.
 *
 * The server is not trusted: a page longer than asked, a `next_page_token` that was already given (a server
 * looping), an oversized token, a record that is not a JSON object, or more than {@link MAX_TOKEN_PAGES} pages
 * stop the walk with a `MambuCommError`.
 */
import { MambuCommError, MambuTsError } from "../errors";
import { resource, type ApiName } from "../contract/schema";
import { MambuList } from "./list";

/** Records per request when none is asked for (the contract's default). */
export const DEFAULT_TOKEN_PAGE_SIZE = 50;
/** The largest page the contract allows. */
export const MAX_TOKEN_PAGE_SIZE = 1000;
/** Most pages one walk fetches (a bound against a server that never ends a listing). */
export const MAX_TOKEN_PAGES = 100_000;
/** Longest `next_page_token` accepted from a server. */
const MAX_TOKEN_LENGTH = 4096;
/** Most comparisons in a filter and keys in an order_by (as the sandbox bounds them). */
const MAX_TERMS = 16;

/**
 * The field names of definition `definition` of resource `resourceName` of `api`'s contract, sorted: what a
 * `filter` or `order_by` on a list of those objects may name.
 * @throws MambuTsError when the contract has no such definition (a library bug).
 */
export function schemaFields(resourceName: string, definition: string, api: ApiName = "services"): readonly string[] {
  const defs = resource(resourceName, api).definitions;
  const def = Object.prototype.hasOwnProperty.call(defs, definition) ? defs[definition] : undefined;
  if (!def?.fields) throw new MambuTsError(`contract: ${api} ${resourceName} has no definition ${definition}`);
  return Object.freeze(Object.keys(def.fields).sort());
}

/** What a token-paged listing takes. */
export interface TokenListOptions {
  /** Comparisons joined by AND: `field op value`, op one of = != < <= > >=, value a number or a "string". */
  filter?: string;
  /** Comma-separated field names, each optionally followed by asc or desc: `"start_time desc"`. */
  orderBy?: string;
  /** Records per request (1..1000; default 50). */
  pageSize?: number;
}

/** One page as the server answered it. */
export interface TokenPage {
  items: unknown;
  next_page_token?: unknown;
  total?: unknown;
}

/**
 * Checks `filter` and `order_by` against the grammar and the listed object's `fields`.
 * @throws MambuTsError saying what to fix, before any request.
 */
export function checkListQuery(label: string, fields: readonly string[], opts: TokenListOptions): void {
  const known = new Set(fields);
  const fieldList = fields.join(", ");
  const { filter, orderBy, pageSize } = opts;
  if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_TOKEN_PAGE_SIZE)) {
    throw new MambuTsError(`${label}: pageSize must be an integer from 1 to ${MAX_TOKEN_PAGE_SIZE}`);
  }
  if (orderBy !== undefined) {
    if (typeof orderBy !== "string" || orderBy.length > 256) throw new MambuTsError(`${label}: orderBy must be a string of at most 256 characters`);
    const parts = orderBy.split(",");
    if (parts.length > MAX_TERMS) throw new MambuTsError(`${label}: orderBy has at most ${MAX_TERMS} fields`);
    for (const part of parts) {
      const m = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/.exec(part);
      if (!m) throw new MambuTsError(`${label}: orderBy: expected "field [asc|desc], ...", got "${part.trim().slice(0, 40)}"`);
      if (!known.has(m[1])) throw new MambuTsError(`${label}: orderBy: unknown field "${m[1]}"; fields: ${fieldList}`);
    }
  }
  if (filter !== undefined) {
    if (typeof filter !== "string" || filter.length > 1024) throw new MambuTsError(`${label}: filter must be a string of at most 1024 characters`);
    const re = /\s*([a-z_]+)\s*(!=|<=|>=|=|<|>)\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\["\\])*")\s*/y;
    let i = 0;
    let terms = 0;
    for (;;) {
      re.lastIndex = i;
      const m = re.exec(filter);
      if (!m) throw new MambuTsError(`${label}: filter: expected field op value (op one of = != < <= > >=, value a number or a "string") at position ${i}`);
      if (!known.has(m[1])) throw new MambuTsError(`${label}: filter: unknown field "${m[1]}"; fields: ${fieldList}`);
      if (++terms > MAX_TERMS) throw new MambuTsError(`${label}: filter has at most ${MAX_TERMS} comparisons`);
      i = re.lastIndex;
      if (i === filter.length) break;
      const and = /AND\s+/y;
      and.lastIndex = i;
      if (!and.exec(filter)) throw new MambuTsError(`${label}: filter: expected AND at position ${i}`);
      i = and.lastIndex;
    }
  }
}

/**
 * A list promise over a token-paged listing: `fetchPage(token, pageSize)` asks for one page (`token` undefined for
 * the first); `hydrate` turns each record into what the list holds. `filter`/`orderBy` are checked first (see
 * {@link checkListQuery}): a bad one throws here, before any request.
 */
export function tokenList<T>(
  label: string,
  fields: readonly string[],
  opts: TokenListOptions,
  fetchPage: (query: { page_token?: string; page_size: number; filter?: string; order_by?: string }) => Promise<TokenPage>,
  hydrate: (record: Record<string, unknown>) => T,
): MambuList<T> {
  checkListQuery(label, fields, opts);
  const pageSize = opts.pageSize ?? DEFAULT_TOKEN_PAGE_SIZE;
  const fault = (what: string): MambuCommError => new MambuCommError(`bad page from Mambu: ${label}: ${what}`);
  async function* walk(setTotal: (total: number) => void): AsyncGenerator<T[], void, undefined> {
    const seen = new Set<string>();
    let token: string | undefined;
    for (let pages = 0; ; pages++) {
      if (pages >= MAX_TOKEN_PAGES) throw fault(`more than ${MAX_TOKEN_PAGES} pages`);
      const query = { page_size: pageSize, ...(token !== undefined ? { page_token: token } : {}), ...(opts.filter !== undefined ? { filter: opts.filter } : {}), ...(opts.orderBy !== undefined ? { order_by: opts.orderBy } : {}) };
      const page = await fetchPage(query);
      const items = page.items;
      if (!Array.isArray(items)) throw fault("the page is not a JSON list");
      if (items.length > pageSize) throw fault(`a page has ${items.length} records, more than the ${pageSize} asked for`);
      if (pages === 0 && typeof page.total === "number" && Number.isSafeInteger(page.total) && page.total >= 0) setTotal(page.total);
      const out: T[] = [];
      for (const r of items as unknown[]) {
        if (typeof r !== "object" || r === null || Array.isArray(r)) throw fault("a record is not a JSON object");
        out.push(hydrate(r as Record<string, unknown>));
      }
      yield out;
      const next = page.next_page_token;
      if (next === undefined || next === null || next === "") return;
      if (typeof next !== "string" || next.length > MAX_TOKEN_LENGTH) throw fault("next_page_token is not a string of at most 4096 characters");
      if (seen.has(next)) throw fault("next_page_token repeats an earlier one (the listing would never end)");
      seen.add(next);
      token = next;
    }
  }
  return new MambuList<T>(walk, label);
}
