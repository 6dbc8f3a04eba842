/**
 * `MambuEntity`: the ActiveRecord base of every Mambu resource. An entity file only declares what
 * differs (`static spec`); fetching, listing, searching, writing, relations and printing live here.
 */
import { inspect } from "node:util";
import { definition, findOperation, operation } from "../contract/schema";
import { encodeSegment, MambuConnector } from "../transport";
import type { MambuResponse, RequestOptions } from "../transport";
import { Chain, chain } from "./chain";
import { getOwn, hasOwn, isPlainObject, setOwn } from "./clone";
import { adoptCustomFieldLayout, isCustomFieldKey, syncCustomFieldAccessors } from "./custom-fields";
import { readCustomField, writeCustomField } from "./custom-field-access";
import { MambuError, MambuTsError } from "../errors";
import { parseJsonExact, parseJsonPage, pendingPageOf, stringifyExact } from "./json";
import { MambuList, ownPage, paginate } from "./list";
import { buildPatch, PatchOperation } from "./patch";
import {
  checkDetailsLevel, checkFilters, checkInteger, checkPaginationDetails, checkSearch, checkSortBy, DetailsLevel,
} from "./query";
import {
  ensureAccessors, fieldSpecsOf, inspectStruct, MambuStruct, resetFromWire, StructClass, structFromWire, toWire, wireOf,
} from "./struct";
import { CONN, DIRTY, RAW, READ_OPTS, VALS } from "./symbols";
import type { GetAllOptions, LooseGetAllOptions, LooseSearchOptions, SearchOptions } from "./query-types";

type Bag = Record<string, unknown>;

/** What an entity class declares about its Mambu resource. */
export interface EntitySpec {
  /** URL prefix under /api, e.g. "clients". */
  prefix: string;
  /** Allowed `getAll` filter keys (query parameters). */
  filters?: readonly string[];
  /** Allowed `getAll` sortBy fields. */
  sortBy?: readonly string[];
  /** Has `POST /{prefix}:search`; names the FilterCriteria definition of the Swagger file. */
  search?: { filterDefinition: string };
  /** Mambu owner type for documents and comments (CLIENT, LOAN_ACCOUNT, ...). */
  ownerType?: string;
  /** Always read with detailsLevel FULL (e.g. loan products). */
  alwaysFull?: boolean;
  /** Accepts create/update/patch/delete. */
  writable?: boolean;
}

/** Options of `Entity.get()`. */
export interface GetOptions {
  detailsLevel?: DetailsLevel;
  connector?: MambuConnector;
}

// Options of getAll() and search(), typed per entity (filters, sortBy, search fields, operators).
export type { GetAllOptions, SearchOptions } from "./query-types";

/** Options of writes (create, update, patch, delete). */
export interface WriteOptions {
  /** Idempotency-Key to send (v4 UUID format); a random one otherwise. */
  idempotencyKey?: string;
}

/** An entity class: constructor plus the statics of MambuEntity. */
// eslint-disable-next-line @typescript-eslint/no-use-before-define
export type EntityClass<T extends MambuEntity = MambuEntity> = Omit<typeof MambuEntity, "prototype"> &
  (new (fields?: Bag) => T) & { prototype: T };

/** Rejects option keys a method does not know (instead of silently dropping them). @internal */
export function checkOptionKeys(method: string, opts: object | undefined, allowed: readonly string[]): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== "object") throw new MambuTsError(`${method}: options must be an object`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new MambuTsError(`${method}: unknown option "${k}" (known: ${allowed.join(", ")})`);
  }
}

/** The connector of an entity (the one it was read through, else the default). @internal */
export function connectorOf(e: MambuEntity | undefined, explicit?: MambuConnector): MambuConnector {
  if (explicit !== undefined) {
    if (!(explicit instanceof MambuConnector)) throw new MambuTsError(`connector must be a MambuConnector`);
    return explicit;
  }
  return (e && e[CONN]) || MambuConnector.default();
}

/** Sends a request and parses the JSON answer exactly (numbers keep every digit). @internal */
export async function requestJson(conn: MambuConnector, req: RequestOptions): Promise<{ res: MambuResponse; body: unknown }> {
  const res = await conn.request({ ...req, parse: parseJsonExact });
  return { res, body: res.body };
}

function expectObject(body: unknown, what: string): Bag {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new MambuError(`malformed response from Mambu: expected ${what} as a JSON object`);
  }
  return body as Bag;
}

/** Base class of every Mambu resource (clients, loans, ...). */
export class MambuEntity extends MambuStruct {
  /** The resource declaration; each entity class sets its own. */
  static spec: EntitySpec = { prefix: "" };

  declare [CONN]: MambuConnector | undefined;
  declare [READ_OPTS]: { detailsLevel?: DetailsLevel } | undefined;

  /** Builds an entity from a wire record as Mambu sent it. @internal */
  static fromWire<T extends MambuEntity>(this: EntityClass<T>, raw: Bag, connector?: MambuConnector, readOpts?: { detailsLevel?: DetailsLevel }): T {
    const e = structFromWire<T>(this, raw, undefined, pendingPageOf(raw));
    e[CONN] = connector;
    e[READ_OPTS] = readOpts;
    adoptWire(e, true);
    return e;
  }

  /**
   * Fetches one entity by id or encodedKey. Returns a lazy, memoised chain: `await` it for the
   * entity, or call its methods directly (`await MambuLoan.get("54321").getSchedule()`).
   * Not found rejects with `MambuError` (e.g. `301 (404) - INVALID_CLIENT_ID`).
   */
  static get<T extends MambuEntity>(this: EntityClass<T>, idOrEncodedKey: string | number, opts: GetOptions = {}): Chain<T> {
    checkOptionKeys(`${this.name}.get`, opts, ["detailsLevel", "connector"]);
    if ((typeof idOrEncodedKey !== "string" && typeof idOrEncodedKey !== "number") || String(idOrEncodedKey).trim() === "") {
      throw new MambuTsError(`${this.name}.get: id must be a non-empty string (an id or an encodedKey)`);
    }
    const detailsLevel = this.spec.alwaysFull ? "FULL" : checkDetailsLevel(opts.detailsLevel) ?? "BASIC";
    const conn = connectorOf(undefined, opts.connector);
    const cls = this;
    return chain(async () => {
      const { body } = await requestJson(conn, {
        method: "GET",
        path: `/${cls.spec.prefix}/${encodeSegment(idOrEncodedKey)}`,
        query: detailsQuery(cls, detailsLevel),
      });
      return cls.fromWire(expectObject(body, `a ${cls.name}`), conn, { detailsLevel });
    }, `${this.name}.get(${JSON.stringify(String(idOrEncodedKey))})`);
  }

  /**
   * Like {@link MambuEntity.get}, but resolves `undefined` when Mambu answers 404 (there is no such
   * entity) instead of rejecting: the "is it there already?" of an import that adopts what an
   * earlier run created (`await MambuClient.find(row.id) ?? await new MambuClient(fields).create()`).
   * Other errors reject as with `get`.
   */
  static async find<T extends MambuEntity>(this: EntityClass<T>, idOrEncodedKey: string | number, opts: GetOptions = {}): Promise<T | undefined> {
    const pending = this.get(idOrEncodedKey, opts);
    try {
      return await pending;
    } catch (e) {
      if (e instanceof MambuError && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * Lists entities. Without `limit` every record is fetched (pages of `apipagination`); with it,
   * at most `limit`. `await` for an array, `for await` to stream. Filters and sortBy fields are
   * checked against the entity's lists before any request.
   */
  static getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const { filters, offset, limit, paginationDetails, detailsLevel, sortBy, connector, ...extra } = (opts ?? {}) as LooseGetAllOptions;
    const query: Bag = {
      ...checkFilters(this.name, this.spec.filters ?? [], filters),
      ...extraQuery(this, `/${this.spec.prefix}`, extra),
    };
    const sort = checkSortBy(this.name, this.spec.sortBy ?? [], sortBy);
    if (sort) query.sortBy = sort;
    return listOf(this, { method: "GET", path: `/${this.spec.prefix}`, query }, {
      offset, limit, paginationDetails, detailsLevel, connector,
    });
  }

  /**
   * Searches with Mambu's `POST /{prefix}:search` (`filterCriteria` with the API's operators,
   * custom fields as `_set.field`, `sortingCriteria`). Pagination as `getAll`.
   */
  static search<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<SearchOptions<T>>): MambuList<T> {
    const opts = (options ?? {}) as LooseSearchOptions;
    checkOptionKeys(`${this.name}.search`, opts, ["filterCriteria", "sortingCriteria", "offset", "limit", "paginationDetails", "detailsLevel", "connector"]);
    const s = this.spec.search;
    if (!s) throw new MambuTsError(`${this.name} is not searchable`);
    const opEnum = definition(this.resource, s.filterDefinition).fields.operator?.enum ?? [];
    const body = checkSearch({ operators: opEnum }, opts.filterCriteria, opts.sortingCriteria);
    const bodyText = stringifyExact(body.sortingCriteria ? body : { filterCriteria: body.filterCriteria });
    return listOf(this, { method: "POST", path: `/${this.spec.prefix}:search`, query: {}, bodyText }, opts);
  }

  /** The path of this entity (by encodedKey when known: it never changes). @internal */
  entityPath(): string {
    const cls = this.constructor as EntityClass;
    const raw = this[RAW];
    const key = raw.encodedKey ?? raw.id;
    if (key === undefined || key === null || key === "") {
      throw new MambuTsError(`${cls.name} has no id or encodedKey yet (create() it first)`);
    }
    return `/${cls.spec.prefix}/${encodeSegment(String(key))}`;
  }

  /** Re-reads the entity from Mambu (same detailsLevel as it was read with); returns it. */
  async refresh(opts: GetOptions = {}): Promise<this> {
    const cls = this.constructor as EntityClass;
    checkOptionKeys(`${cls.name}.refresh`, opts, ["detailsLevel", "connector"]);
    const detailsLevel = cls.spec.alwaysFull ? "FULL" : checkDetailsLevel(opts.detailsLevel) ?? this[READ_OPTS]?.detailsLevel ?? "BASIC";
    const conn = connectorOf(this, opts.connector);
    const { body } = await requestJson(conn, { method: "GET", path: this.entityPath(), query: detailsQuery(cls, detailsLevel) });
    this.adopt(expectObject(body, `a ${cls.name}`), { detailsLevel });
    return this;
  }

  /** Replaces the baseline with what Mambu now holds. @internal */
  adopt(raw: Bag, readOpts?: { detailsLevel?: DetailsLevel }): void {
    resetFromWire(this, raw);
    if (readOpts) this[READ_OPTS] = readOpts;
    adoptWire(this);
  }

  /** Makes this entity (and what is fetched through it) use a connector (other credentials or tenant). */
  setConnector(connector: MambuConnector): this {
    this[CONN] = connectorOf(undefined, connector);
    return this;
  }

  /**
   * Creates the entity in Mambu (POST) and takes what Mambu answers (ids, keys, dates) as its state:
   * one request, no re-read. With a caller-supplied `idempotencyKey` (e.g. `deterministicUuidV4` of
   * the source row), a retry or a rerun is replayed by Mambu instead of creating a second one.
   */
  async create(opts: WriteOptions & { connector?: MambuConnector } = {}): Promise<this> {
    const cls = this.assertWritable("create");
    checkOptionKeys(`${cls.name}.create`, opts, ["idempotencyKey", "connector"]);
    if (opts.connector) this.setConnector(opts.connector);
    const wire = this.wireForWrite();
    const { body } = await requestJson(connectorOf(this), {
      method: "POST", path: `/${cls.spec.prefix}`, bodyText: stringifyExact(wire), idempotencyKey: opts.idempotencyKey,
    });
    this.adopt(expectObject(body, `the created ${cls.name}`), { detailsLevel: "FULL" });
    return this;
  }

  /** Replaces the entity in Mambu (PUT) with its current state; untouched fields go back exactly as read. */
  async update(opts: WriteOptions = {}): Promise<this> {
    const cls = this.assertWritable("update");
    checkOptionKeys(`${cls.name}.update`, opts, ["idempotencyKey"]);
    const wire = this.wireForWrite();
    const { body } = await requestJson(connectorOf(this), {
      method: "PUT", path: this.entityPath(), bodyText: stringifyExact(wire), idempotencyKey: opts.idempotencyKey,
    });
    this.adopt(body === undefined ? wire : expectObject(body, `the updated ${cls.name}`));
    return this;
  }

  /**
   * Sends only what changed since the last read, as RFC 6902 operations (ADD/REPLACE/REMOVE;
   * custom fields as `/_Set/field` and `/_Set/1/field`). Nothing is sent when nothing changed.
   * `fields` restricts the patch; `autodetectRemove` turns fields that disappeared into REMOVEs.
   * Returns the operations sent.
   */
  async patch(fields?: string[], opts: { autodetectRemove?: boolean } & WriteOptions = {}): Promise<PatchOperation[]> {
    const cls = this.assertWritable("patch");
    checkOptionKeys(`${cls.name}.patch`, opts, ["autodetectRemove", "idempotencyKey"]);
    if (fields !== undefined && !Array.isArray(fields)) throw new MambuTsError(`${cls.name}.patch: fields must be an array of field names`);
    this.wireForWrite();
    const ops = buildPatch(this, { fields, autodetectRemove: opts.autodetectRemove });
    if (ops.length === 0) return ops;
    const touchedSets = new Set(ops.map((o) => o.path.split("/")[1]).filter(isCustomFieldKey));
    if (fields) {
      // A custom field set is re-read from the new baseline after the patch: refuse to leave part
      // of its changes unsent (they would be lost).
      const all = buildPatch(this, { autodetectRemove: opts.autodetectRemove });
      for (const set of touchedSets) {
        const inSet = (o: PatchOperation): boolean => o.path.split("/")[1] === set;
        const sent = new Set(ops.filter(inSet).map((o) => stringifyExact(o)));
        if (all.filter(inSet).some((o) => !sent.has(stringifyExact(o)))) {
          throw new MambuTsError(`patch: ${set} has other pending changes; patch every change of ${set} together (or none)`);
        }
      }
    }
    await requestJson(connectorOf(this), {
      method: "PATCH", path: this.entityPath(), bodyText: stringifyExact(ops), idempotencyKey: opts.idempotencyKey,
    });
    // Mambu answers 204: the baseline becomes the state just sent (refresh() for server-side
    // changes); changes not sent (fields restricted) stay pending.
    this[RAW] = parseJsonExact(stringifyExact(patchedBaseline(this[RAW], ops))) as Bag;
    const vals = this[VALS];
    for (const set of touchedSets) {
      if (vals) delete vals[set];
      this[DIRTY]?.delete(set);
    }
    syncCustomFieldAccessors(this);
    return ops;
  }

  /** The RFC 6902 operations `patch()` would send now (nothing is sent). */
  pendingPatch(fields?: string[], opts: { autodetectRemove?: boolean } = {}): PatchOperation[] {
    return buildPatch(this, { fields, autodetectRemove: opts.autodetectRemove });
  }

  /** Deletes the entity in Mambu. */
  async delete(): Promise<void> {
    this.assertWritable("delete");
    await connectorOf(this).request({ method: "DELETE", path: this.entityPath() });
  }

  /** Whether a field was set since the last read (or was read with a value). */
  has(field: string): boolean {
    return field in this && (this as unknown as Bag)[field] !== undefined;
  }

  /**
   * A custom field or set by name, untyped (`client.customField("Age")`, `"ASSETAGE_0"`,
   * `"_OtherDetails"`): for names the tenant's types (`mambu types`) do not declare. `undefined`
   * when the entity has none of that name (read it with detailsLevel FULL).
   */
  customField(name: string): unknown {
    return readCustomField(this, name);
  }

  /** Writes a custom field or a whole set by name, untyped (see {@link MambuEntity.customField}). */
  setCustomField(name: string, value: unknown): this {
    writeCustomField(this, name, value);
    return this;
  }

  private assertWritable(what: string): EntityClass {
    const cls = this.constructor as EntityClass;
    if (!cls.spec.writable) throw new MambuTsError(`${cls.name} cannot be ${what}d through the API v2 (read-only resource)`);
    return cls;
  }

  /** The wire body for a write, after checking there is no field the API does not know. @internal */
  wireForWrite(): Bag {
    const cls = this.constructor as EntityClass;
    const specs = fieldSpecsOf(cls);
    const raw = this[RAW];
    for (const k of Object.keys(this)) {
      if (!hasOwn(specs, k) && !hasOwn(raw, k) && !isCustomFieldKey(k)) {
        throw new MambuTsError(`${cls.name}.${k} is not a field of ${cls.definition} in the Mambu API; remove it before writing`);
      }
    }
    return toWire(this);
  }

  // Documents, comments, link custom fields and reassignment are methods of every entity too,
  // installed on this prototype by attachments.ts, comments.ts, link-fields.ts and reassign.ts
  // (see entity-methods.ts): they import this module, so this module does not import them.

  override [inspect.custom](depth: number, options: { stylize: (s: string, style: string) => string }, insp: typeof inspect): string {
    const raw = this[RAW];
    const id = raw.id ?? raw.encodedKey ?? "new";
    return inspectStruct(this, `${this.constructor.name}(${String(id)})`, depth, options, insp);
  }
}

const detailsLevelByClass = new WeakMap<object, boolean>();

/** `{ detailsLevel }` when the API's GET-by-id of the class documents it (tasks don't), else `{}`. */
function detailsQuery(cls: EntityClass, detailsLevel: DetailsLevel): { detailsLevel?: DetailsLevel } {
  let takes = detailsLevelByClass.get(cls);
  if (takes === undefined) {
    const match = findOperation("GET", `/${cls.spec.prefix}/x`);
    takes = !match || match.op.query.some((q) => q.name === "detailsLevel");
    detailsLevelByClass.set(cls, takes);
  }
  return takes ? { detailsLevel } : {};
}

/**
 * Per class: key sequences (in wire order) of records lately adopted whose every key is a schema
 * field — nothing to copy, no custom field set — most recent first, at most {@link MAX_PLAIN_LAYOUTS}.
 * A record with one of these sequences needs nothing more (records of a page mostly share a few).
 */
const plainLayouts = new WeakMap<object, string[][]>();
const MAX_PLAIN_LAYOUTS = 4;

/** Whether the keys of `raw` (for…in, its own enumerable keys) are `keys`, in that order. */
function hasKeys(raw: Bag, keys: string[]): boolean {
  let i = 0;
  for (const k in raw) {
    if (keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}

/**
 * Copies fields unknown to the schema onto the entity and defines custom field accessors (`fresh`:
 * a new entity, without own fields yet — its accessors are then defined for its whole layout at once).
 * Reads the wire object's keys and structure only (a record of a page not settled yet stays so),
 * unless a field is copied.
 */
function adoptWire(e: MambuStruct, fresh = false): void {
  const cls = e.constructor as StructClass;
  ensureAccessors(cls);
  const raw = wireOf(e);
  let recent: string[][] | undefined;
  if (fresh) {
    recent = plainLayouts.get(cls);
    if (recent !== undefined) for (let i = 0; i < recent.length; i++) if (hasKeys(raw, recent[i])) return;
  }
  const specs = fieldSpecsOf(cls);
  let hasCustom = false;
  let copied = false;
  let unknown = false;
  for (const k in raw) {
    if (isCustomFieldKey(k)) hasCustom = true;
    else if (!hasOwn(specs, k)) {
      unknown = true;
      if (k in e) continue;
      // an unknown field is handed over as it is: its numbers exact first (settles a pending page; the same object)
      if (!copied) void e[RAW];
      (e as unknown as Bag)[k] = raw[k];
      copied = true;
    }
  }
  if (fresh && !hasCustom && !unknown) {
    if (recent === undefined) plainLayouts.set(cls, (recent = []));
    recent.unshift(Object.keys(raw));
    if (recent.length > MAX_PLAIN_LAYOUTS) recent.length = MAX_PLAIN_LAYOUTS;
  }
  if (hasCustom && !(fresh && !copied && adoptCustomFieldLayout(e, Object.getPrototypeOf(e) as object, raw))) syncCustomFieldAccessors(e);
}

function extraQuery(cls: EntityClass, path: string, extra: Bag): Bag {
  const keys = Object.keys(extra);
  if (!keys.length) return {};
  const op = operation(cls.resource, "GET", path);
  const known = new Set(op?.query.map((q) => q.name) ?? []);
  const out: Bag = {};
  for (const k of keys) {
    if (!known.has(k)) {
      throw new MambuTsError(`${cls.name}.getAll: unknown option "${k}" (options: filters, offset, limit, paginationDetails, detailsLevel, sortBy, connector${known.size ? `; query parameters: ${[...known].join(", ")}` : ""})`);
    }
    const v = extra[k];
    if (v !== undefined && v !== null && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw new MambuTsError(`${cls.name}.getAll: ${k} must be a string, number or boolean`);
    }
    out[k] = v;
  }
  return out;
}

/** Options shared by every paginated listing. @internal */
export interface ListOptions {
  offset?: unknown;
  limit?: unknown;
  paginationDetails?: unknown;
  detailsLevel?: unknown;
  connector?: MambuConnector;
}

/**
 * A paginated listing of entities of a class from a request template (GET with query, or POST
 * search with a body). Used by getAll, search and per-parent listings (transactions, comments).
 * @internal
 */
export function listOf<T extends MambuEntity>(
  cls: EntityClass<T>,
  req: { method: "GET" | "POST"; path: string; query: Bag; bodyText?: string },
  opts: ListOptions,
  build?: (raw: Bag, conn: MambuConnector, readOpts: { detailsLevel?: DetailsLevel }) => T,
): MambuList<T> {
  // Entities of the class itself settle their page's exact numbers when first read: such pages are
  // parsed lazily when read whole (json.ts parseJsonPage); any other build gets exact records at once.
  const lazy = build === undefined;
  const make = build ?? ((raw: Bag, conn: MambuConnector, ro: { detailsLevel?: DetailsLevel }) => cls.fromWire(raw, conn, ro));
  const offset = checkInteger("offset", opts.offset, 0) ?? 0;
  const limit = checkInteger("limit", opts.limit, 1);
  const paginationDetails = checkPaginationDetails(opts.paginationDetails);
  const detailsLevel = cls.spec.alwaysFull ? "FULL" : checkDetailsLevel(opts.detailsLevel);
  const conn = connectorOf(undefined, opts.connector);
  const readOpts = { detailsLevel: detailsLevel ?? "BASIC" as DetailsLevel };
  return new MambuList<T>((setTotal, how) => {
    const pageSize = conn.pageSize;
    const concurrency = Math.max(1, conn.config.concurrency);
    return mapPages(paginate<Bag>({
      offset, limit, pageSize, concurrency, wantTotal: paginationDetails === "ON", onTotal: setTotal,
      request: { method: req.method, url: `/api${req.path}` },
      fetchPage: async (w) => {
        const query: Bag = { ...req.query, offset: w.offset, limit: w.limit };
        if (detailsLevel) query.detailsLevel = detailsLevel;
        if (w.withTotal || paginationDetails === "ON") query.paginationDetails = "ON";
        const res = await conn.request({
          method: req.method, path: req.path, query: query as RequestOptions["query"], bodyText: req.bodyText,
          ...(how.streaming ? { jsonList: true, readWhen: w.ready, parse: parseJsonExact } : { parse: lazy ? parseJsonPage : parseJsonExact }),
        });
        const body = res.body;
        if (!Array.isArray(body)) throw new MambuError(`malformed response from Mambu: expected a JSON list from ${req.method} ${req.path}`, { status: res.status });
        const totalHeader = res.headers["items-total"];
        const total = totalHeader !== undefined && /^\d+$/.test(totalHeader) ? Number(totalHeader) : undefined;
        return { items: body as Bag[], total };
      },
    }), (raw) => make(raw, conn, readOpts));
  }, `${cls.name} list`);
}

async function* mapPages<R, T>(pages: AsyncGenerator<R[], void, undefined>, f: (r: R) => T): AsyncGenerator<T[], void, undefined> {
  for await (const page of pages) {
    const entities = ownPage(page.map(f));
    page.length = 0; // the entities hold the records now: the wire page need not keep them alive
    yield entities;
  }
}

/**
 * The wire state after applying operations to a baseline (what Mambu now holds). Path segments are
 * data (field ids from Mambu): they only ever name own members — a segment `__proto__` is a key like
 * any other, never the way to an object's prototype.
 */
function patchedBaseline(raw: Bag, ops: PatchOperation[]): Bag {
  const doc = parseJsonExact(stringifyExact(raw)) as Bag;
  for (const op of ops) {
    const parts = op.path.split("/").slice(1);
    const last = parts.pop() as string;
    let parent: Bag | unknown[] | undefined = doc;
    for (const p of parts) {
      const next = getOwn(parent as Bag, p);
      parent = next !== null && typeof next === "object" ? (next as Bag) : undefined;
      if (parent === undefined) break;
    }
    if (parent === undefined) continue; // nothing there to change (Mambu would have refused the path)
    if (op.op === "REMOVE") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete (parent as Bag)[last];
    } else if (op.op === "ADD" && Array.isArray(parent)) {
      parent.splice(Number(last), 0, op.value);
    } else if (op.op === "ADD" && parts.length === 0 && isCustomFieldKey(last) && isPlainObject(getOwn(parent, last)) && isPlainObject(op.value)) {
      const set = getOwn(parent, last) as Bag;
      for (const k of Object.keys(op.value)) setOwn(set, k, (op.value as Bag)[k]);
    } else {
      setOwn(parent as Bag, last, op.value);
    }
  }
  return doc;
}
