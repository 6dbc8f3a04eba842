/**
 * The records of the Services API (`/v1`) and the Payments API (`/api/v1`) on the command line:
 * `mambu get services.currency EUR`, `mambu list services.currencies --filter decimals=2 --sort code:DESC`,
 * `mambu list services.exchangerates EUR`, `mambu get payments.payment <paymentId>`,
 * `mambu list payments.executions <standingOrderId>`. Each name is written `services.<name>` or `payments.<name>`
 * (singular or plural), the ids of the record's parents before its own (`services.indexrate <sourceId> <rateId>`).
 *
 * Records are read through the one caller of the contract ({@link callOperation}, as `Services.*`/`Payments.*` and
 * `mambu call` read them) and printed as the server sent them: snake_case fields for the Services API, every number
 * exact. Services lists are walked by `page_token` (the same list promise as `Services.Currency.list`); their
 * `--filter field=value` (or `!=`, `<`, `<=`, `>`, `>=`) and `--sort field:ASC|DESC` become the API's `filter` and
 * `order_by`, checked against the listed object's fields before any request.
 */
import { resource as resourceSpec } from "../contract/schema";
import { callOperation } from "../core/call";
import type { MambuList } from "../core/list";
import { DEFAULT_TOKEN_PAGE_SIZE, MAX_TOKEN_PAGE_SIZE, schemaFields, tokenList } from "../core/token-list";
import { MambuTsError } from "../errors";
import { MambuConnector } from "../transport";
import type { Session } from "./session";
import { positiveInt } from "./args";
import type { CommandContext } from "./commands";
import { EXIT, UsageError } from "./exit";
import { printPages, printRecord } from "./output";

/** The two APIs besides v2 whose records `get`/`list` read. */
export type OtherApi = "services" | "payments";

/** A token-paged list of the Services API: the operation, the page's key holding the records, the listed definition. */
interface TokenListing {
  kind: "token";
  resource: string;
  operationId: string;
  /** Key of the page holding the records (`currencies`, `rates`, `configs`, `sources`). */
  items: string;
  /** The listed object's definition (its fields are what `--filter`/`--sort` may name). */
  definition: string;
}

/** A list answered whole, as a JSON array (the Payments API's executions and identifications). */
interface ArrayListing {
  kind: "array";
  resource: string;
  operationId: string;
  /** The operation takes `limit` and `offset` query parameters. */
  paged?: boolean;
}

/** One record kind of the Services or Payments API on the command line. */
export interface ApiEntity {
  api: OtherApi;
  /** The main name, after the prefix: `currency`. */
  name: string;
  /** Every name accepted after the prefix (lower case), main name first. */
  names: string[];
  /** The class of the ORM that reads the same records (for help). */
  orm: string;
  /** The path parameters of `get`, parents first (`code`, `rate_id`). */
  getIds?: string[];
  get?: { resource: string; operationId: string };
  /** The path parameters of `list` (the parents' ids). */
  listIds?: string[];
  list?: TokenListing | ArrayListing;
  /** Table columns (wire fields). */
  columns: string[];
}

const S = "services" as const;
const P = "payments" as const;

/** Every record kind `get`/`list` reach in the Services and Payments APIs. */
export const API_ENTITIES: readonly ApiEntity[] = [
  {
    api: S, name: "currency", names: ["currency", "currencies"], orm: "Services.Currency",
    getIds: ["code"], get: { resource: "currencies", operationId: "getCurrency" },
    list: { kind: "token", resource: "currencies", operationId: "listCurrencies", items: "currencies", definition: "Currency" },
    columns: ["code", "name", "symbol", "decimals", "format"],
  },
  {
    api: S, name: "accountingrate", names: ["accountingrate", "accountingrates"], orm: "Services.AccountingRate",
    getIds: ["code", "rate_id"], get: { resource: "currencies", operationId: "getAccountingRate" },
    listIds: ["code"], list: { kind: "token", resource: "currencies", operationId: "listAccountingRates", items: "rates", definition: "AccountingRate" },
    columns: ["rate_id", "from_currency", "to_currency", "rate", "start_time", "end_time"],
  },
  {
    api: S, name: "exchangerate", names: ["exchangerate", "exchangerates"], orm: "Services.ExchangeRate",
    getIds: ["code", "rate_id"], get: { resource: "currencies", operationId: "getExchangeRate" },
    listIds: ["code"], list: { kind: "token", resource: "currencies", operationId: "listExchangeRates", items: "rates", definition: "ExchangeRate" },
    columns: ["rate_id", "from_currency", "to_currency", "buy_rate", "sell_rate", "start_time", "end_time"],
  },
  {
    api: S, name: "holdconfig", names: ["holdconfig", "holdconfigs"], orm: "Services.HoldConfig",
    getIds: ["merchant_code"], get: { resource: "holdConfigs", operationId: "getHoldConfig" },
    list: { kind: "token", resource: "holdConfigs", operationId: "listHoldConfigs", items: "configs", definition: "HoldConfig" },
    columns: ["merchant_code", "duration", "description"],
  },
  {
    api: S, name: "indexratesource", names: ["indexratesource", "indexratesources", "source", "sources"], orm: "Services.IndexRateSource",
    getIds: ["source_id"], get: { resource: "rates", operationId: "getIndexRateSource" },
    list: { kind: "token", resource: "rates", operationId: "listIndexRateSources", items: "sources", definition: "Source" },
    columns: ["source_id", "name", "type", "notes"],
  },
  {
    api: S, name: "indexrate", names: ["indexrate", "indexrates"], orm: "Services.IndexRate",
    getIds: ["source_id", "rate_id"], get: { resource: "rates", operationId: "getIndexRate" },
    listIds: ["source_id"], list: { kind: "token", resource: "rates", operationId: "listIndexRates", items: "rates", definition: "IndexRate" },
    columns: ["rate_id", "source_id", "rate", "start_time", "notes"],
  },
  {
    api: S, name: "card", names: ["card", "cards", "cardbalance", "balance"], orm: "Services.Card (balance)",
    getIds: ["card_id"], get: { resource: "cards", operationId: "getCardBalance" },
    columns: ["account_id", "card_type", "available", "total", "credit_limit"],
  },
  {
    api: S, name: "hold", names: ["hold", "holds"], orm: "Services.Hold",
    getIds: ["card_id", "hold_id"], get: { resource: "cards", operationId: "getAuthorizationHold" },
    columns: ["hold_id", "card_id", "status", "amount", "user_transaction_time"],
  },
  {
    api: P, name: "payment", names: ["payment", "payments"], orm: "Payments.Payment",
    getIds: ["paymentId"], get: { resource: "sepaCreditTransfers", operationId: "getPaymentDetails" },
    columns: ["paymentId", "transactionStatus", "transactionFeeIndicator"],
  },
  {
    api: P, name: "collection", names: ["collection", "collections"], orm: "Payments.Collection",
    getIds: ["collectionId"], get: { resource: "sepaDirectDebit", operationId: "getCollectionDetails" },
    columns: ["collectionId", "transactionStatus", "transactionFeeIndicator"],
  },
  {
    api: P, name: "standingorder", names: ["standingorder", "standingorders"], orm: "Payments.StandingOrder",
    getIds: ["id"], get: { resource: "standingOrders", operationId: "getStandingOrderDetails" },
    columns: ["id", "status", "frequency", "startDate", "endDate", "nextExecution", "paymentsCount"],
  },
  {
    api: P, name: "execution", names: ["execution", "executions", "standingorderexecution", "standingorderexecutions"], orm: "Payments.StandingOrder#executions",
    listIds: ["id"], list: { kind: "array", resource: "standingOrders", operationId: "getExecutionsByStandingOrderId" },
    columns: [],
  },
  {
    api: P, name: "accountidentification", names: ["accountidentification", "accountidentifications", "identification", "identifications"], orm: "Payments.AccountIdentification",
    listIds: ["accountId"], list: { kind: "array", resource: "externalAccountIdentifications", operationId: "getMapping", paged: true },
    columns: [],
  },
];

/**
 * The connection a call to `api` goes through: the session's, except for the Payments API with `--sandbox` (it takes
 * an API key only): a connector to the embedded sandbox with its demo tenant's API key. `close()` releases what was
 * opened here (nothing for the session's own).
 */
export async function connectionFor(api: OtherApi | "v2", s: Session): Promise<{ connector: MambuConnector; close(): void }> {
  if (api !== "payments" || !s.sandbox) return { connector: s.connector, close: () => undefined };
  const { DEFAULT_USERS } = await import("../sandbox/auth");
  const apikey = DEFAULT_USERS.find((u) => u.apiKey)?.apiKey;
  if (!apikey) return { connector: s.connector, close: () => undefined };
  const connector = new MambuConnector({ apiurl: s.sandbox.url, apikey });
  return { connector, close: () => connector.close() };
}

/** Whether a command-line entity name is one of the Services or Payments API (`services.…`, `payments.…`). */
export function isApiEntityName(name: string | undefined): boolean {
  return name !== undefined && /^(services|payments)\./i.test(name);
}

/** How a record kind is written in help and errors: `services.currency(currencies)`. */
export function apiEntityDisplay(e: ApiEntity): string {
  return `${e.api}.${e.names.filter((n) => n !== e.name).length ? `${e.name}(${e.names.slice(1).join("/")})` : e.name}`;
}

/**
 * The record kind a name designates (`services.currencies`, case-insensitive).
 * @throws UsageError listing the API's names when there is none.
 */
export function findApiEntity(typed: string, command: string): ApiEntity {
  const dot = typed.indexOf(".");
  const api = typed.slice(0, dot).toLowerCase() as OtherApi;
  const n = typed.slice(dot + 1).toLowerCase().replace(/[-_]/g, "");
  const found = API_ENTITIES.find((e) => e.api === api && e.names.includes(n));
  if (!found) {
    const known = API_ENTITIES.filter((e) => e.api === api).map((e) => `${api}.${e.name}`);
    throw new UsageError(`unknown entity "${typed}". Known in the ${api === "services" ? "Services" : "Payments"} API: ${known.join(", ")}`, command);
  }
  return found;
}

/** The ids given for `names`, in order: too few or too many is a usage error showing the usage line. */
function idsOf(ctx: CommandContext, command: string, e: ApiEntity, names: readonly string[]): Record<string, string> {
  const given = ctx.args.positionals.slice(1);
  const usage = `mambu ${command} ${e.api}.${e.name}${names.map((n) => ` <${n}>`).join("")}`;
  if (given.length < names.length) throw new UsageError(`${e.api}.${e.name} needs ${names.slice(given.length).map((n) => `<${n}>`).join(" ")}: ${usage}`, command);
  if (given.length > names.length) throw new UsageError(`too many arguments: ${given.slice(names.length).join(" ")} (${usage})`, command);
  const out: Record<string, string> = {};
  names.forEach((n, i) => {
    if (given[i] === "") throw new UsageError(`<${n}> is empty: ${usage}`, command);
    out[n] = given[i];
  });
  return out;
}

/** Options of `get`/`list` that the Services and Payments APIs have no use for. */
function refuse(ctx: CommandContext, command: string, e: ApiEntity, options: readonly string[]): void {
  for (const o of options) {
    const v = ctx.args.options[o];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    const why = o === "full" ? "it has no detailsLevel" : o === "offset" ? "its lists are paged by token, not by offset" : "its list takes none";
    throw new UsageError(`--${o} does not apply to ${e.api}.${e.name} (${why})`, command);
  }
}

/** A library error about the request (a bad filter, a missing id) as a usage error; anything else as it is. */
async function asUsage<T>(command: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof MambuTsError && e.constructor === MambuTsError) throw new UsageError(e.message, command);
    throw e;
  }
}

/** `mambu get services.currency EUR`: one record, as the server sent it. */
export async function getApiEntity(ctx: CommandContext): Promise<number> {
  const e = findApiEntity(ctx.args.positionals[0], "get");
  if (!e.get) {
    throw new UsageError(`${e.api}.${e.name} cannot be read one by one: mambu list ${e.api}.${e.name}${(e.listIds ?? []).map((n) => ` <${n}>`).join("")}`, "get");
  }
  const path = idsOf(ctx, "get", e, e.getIds ?? []);
  refuse(ctx, "get", e, ["full"]);
  const conn = await connectionFor(e.api, await ctx.session());
  try {
    const record = await asUsage("get", () => callOperation(e.get!.resource, e.get!.operationId, { api: e.api, path, connector: conn.connector }));
    printRecord(record, ctx.out);
  } finally {
    conn.close();
  }
  return EXIT.OK;
}

const FILTER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>)(.*)$/s;

/**
 * `--filter` items (`code=EUR`, `decimals>=2`) as the Services API's `filter`: comparisons joined by AND, a value
 * written as a JSON string unless it is a number and the field is not text (or it is quoted already).
 */
export function servicesFilter(items: readonly string[], resource: string, definition: string, command = "list"): string | undefined {
  if (!items.length) return undefined;
  const defs = resourceSpec(resource, "services").definitions;
  const fields = Object.prototype.hasOwnProperty.call(defs, definition) ? defs[definition].fields : {};
  return items
    .map((item) => {
      const m = FILTER.exec(item);
      if (!m) throw new UsageError(`--filter ${JSON.stringify(item)}: expected field=value (or != < <= > >=), e.g. --filter code=EUR`, command);
      const [, field, op, raw] = m;
      const value = raw.trim();
      const type = Object.prototype.hasOwnProperty.call(fields, field) ? fields[field].type : "string";
      const quoted = /^"(?:[^"\\]|\\["\\])*"$/.test(value);
      const numeric = /^-?\d+(\.\d+)?$/.test(value) && type !== "string";
      return `${field} ${op} ${quoted || numeric ? value : JSON.stringify(value)}`;
    })
    .join(" AND ");
}

/** `--sort code:DESC,name` as the Services API's `order_by` (`code desc, name asc`). */
export function servicesOrderBy(items: readonly string[], command = "list"): string | undefined {
  const parts = items.flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
  if (!parts.length) return undefined;
  return parts
    .map((p) => {
      const [field, order = "ASC", more] = p.split(":");
      if (more !== undefined || !/^(ASC|DESC)$/i.test(order)) throw new UsageError(`--sort ${p}: expected field:ASC or field:DESC`, command);
      return `${field} ${order.toLowerCase()}`;
    })
    .join(", ");
}

/** The pages of a list promise, stopping (no more requests) once `limit` records were given. */
async function* limited(pages: AsyncIterable<unknown[]> | Iterable<unknown[]>, limit: number | undefined): AsyncGenerator<unknown[], void, undefined> {
  let left = limit ?? Infinity;
  if (left <= 0) return;
  for await (const page of pages) {
    const part = page.length > left ? page.slice(0, left) : page;
    left -= part.length;
    yield part;
    if (left <= 0) return;
  }
}

function strings(ctx: CommandContext, name: string): string[] {
  const v = ctx.args.options[name];
  return Array.isArray(v) ? v : [];
}

/** `mambu list services.currencies`, `mambu list payments.executions <id>`: every record, page by page. */
export async function listApiEntity(ctx: CommandContext): Promise<number> {
  const e = findApiEntity(ctx.args.positionals[0], "list");
  if (!e.list) throw new UsageError(`${e.api}.${e.name} has no list: mambu get ${e.api}.${e.name}${(e.getIds ?? []).map((n) => ` <${n}>`).join("")}`, "list");
  const path = idsOf(ctx, "list", e, e.listIds ?? []);
  const listing = e.list;
  const limitText = ctx.args.options.limit;
  const limit = positiveInt("limit", typeof limitText === "string" ? limitText : undefined, "list");
  const label = `${e.api}.${e.names[1] ?? e.name}`;
  const defaults = (rows: readonly unknown[]): readonly string[] => (e.columns.length ? e.columns : Object.keys((rows[0] ?? {}) as object).slice(0, 7));
  if (listing.kind === "token") {
    refuse(ctx, "list", e, ["full", "offset"]);
    const filter = servicesFilter(strings(ctx, "filter"), listing.resource, listing.definition);
    const orderBy = servicesOrderBy(strings(ctx, "sort"));
    const s = await ctx.session();
    const pageSize = limit !== undefined ? Math.min(Math.max(limit, 1), MAX_TOKEN_PAGE_SIZE) : DEFAULT_TOKEN_PAGE_SIZE;
    // The list promise is not awaited here (that would fetch every page): its filter and order_by are checked now.
    let list: MambuList<Record<string, unknown>>;
    try {
      list = tokenList(`${e.api}.${e.name}`, schemaFields(listing.resource, listing.definition), { filter, orderBy, pageSize }, async (query) => {
        const page = (await callOperation(listing.resource, listing.operationId, { api: e.api, path, query, connector: s.connector })) as Record<string, unknown>;
        return { items: page[listing.items], next_page_token: page.next_page_token, total: page.total };
      }, (r) => r);
    } catch (err) {
      if (err instanceof MambuTsError && err.constructor === MambuTsError) throw new UsageError(err.message, "list");
      throw err;
    }
    await printPages(limited(list.byPage(), limit), { ...ctx.out, itemsTotal: () => list.total }, defaults, label);
    return EXIT.OK;
  }
  refuse(ctx, "list", e, listing.paged ? ["full", "filter", "sort"] : ["full", "filter", "sort", "offset"]);
  const offsetText = ctx.args.options.offset;
  const offset = positiveInt("offset", typeof offsetText === "string" ? offsetText : undefined, "list", 0);
  const query = listing.paged ? { ...(limit !== undefined ? { limit: Math.min(limit, 1000) } : {}), ...(offset ? { offset } : {}) } : {};
  const conn = await connectionFor(e.api, await ctx.session());
  let answer: unknown;
  try {
    answer = await asUsage("list", () => callOperation(listing.resource, listing.operationId, { api: e.api, path, query, connector: conn.connector }));
  } finally {
    conn.close();
  }
  const rows = Array.isArray(answer) ? answer : [];
  await printPages(limited([rows], limit), ctx.out, defaults, label);
  return EXIT.OK;
}

/** The rows of `mambu entities` for the Services and Payments APIs. */
export function apiEntityRows(): Array<{ entity: string; class: string; search: string; filters: string; sort: string }> {
  return API_ENTITIES.map((e) => {
    const fields = e.list?.kind === "token" ? schemaFields(e.list.resource, e.list.definition).join(",") : "";
    return { entity: apiEntityDisplay(e), class: e.orm, search: "no", filters: fields, sort: fields };
  });
}
