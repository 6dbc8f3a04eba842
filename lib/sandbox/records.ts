/**
 * Records as the sandbox serves them: a declared collection's record by id, encodedKey or its extra lookup
 * (else Mambu's not-found error), and the wire shape served for it at a `detailsLevel`.
 */
import { mambuError } from "./errors";
import { Paging, pagingHeaders } from "./list";
import type { ResourceDecl } from "./resource-decl";
import { RouteResponse, SandboxContext, V2_JSON } from "./router";
import type { WireRecord } from "./types";

/** A record of a declaration by id, encodedKey (or the declaration's extra lookup), else its 404 error. */
export function requireRecord(ctx: SandboxContext, decl: ResourceDecl, idOrKey: string): WireRecord {
  const r = ctx.store.find(decl.coll, idOrKey) ?? decl.lookup?.(ctx, idOrKey);
  if (!r) throw mambuError(decl.notFound);
  return r;
}

/**
 * The wire shape served for a record: hidden fields never; custom field sets (`_` keys) and the declaration's
 * nested lists only with FULL. Always a fresh copy.
 */
export function shape(decl: ResourceDecl | undefined, rec: WireRecord, full: boolean): Record<string, unknown> {
  const hidden = decl?.hidden;
  const fullOnly = decl?.fullOnly;
  const entries: Array<[string, unknown]> = [];
  for (const k of Object.keys(rec)) {
    if (hidden?.includes(k)) continue;
    if (!full && (k.charCodeAt(0) === 95 || fullOnly?.includes(k))) continue;
    const v = rec[k];
    entries.push([k, v !== null && typeof v === "object" ? JSON.parse(JSON.stringify(v)) : v]);
  }
  return Object.fromEntries(entries); // defines own properties: no key can set the copy's prototype
}

/**
 * The wire shape of {@link shape} for an answer that is serialised as it is (a GET, a list or search page): the
 * same fields, but nested values are the stored ones, not copies (FULL of a declaration hiding nothing: the stored
 * record itself, which the store replaces rather than changes) — so it must not be changed or kept.
 */
export function shapeForAnswer(decl: ResourceDecl | undefined, rec: WireRecord, full: boolean): Record<string, unknown> {
  const hidden = decl?.hidden;
  const fullOnly = decl?.fullOnly;
  if (full && !hidden?.length) return rec;
  const entries: Array<[string, unknown]> = [];
  for (const k of Object.keys(rec)) {
    if (hidden?.includes(k)) continue;
    if (!full && (k.charCodeAt(0) === 95 || fullOnly?.includes(k))) continue;
    entries.push([k, rec[k]]);
  }
  return Object.fromEntries(entries); // defines own properties: no key can set the answer's prototype
}

/** Answer shapes by what makes them (hidden fields, FULL-only fields, detailsLevel) → their number in the answer cache. */
const SHAPES = new Map<string, number>();
/** A declaration's answer shape numbers: [BASIC, FULL]. */
const DECL_SHAPES = new WeakMap<ResourceDecl, [number, number]>();

function shapeNumber(decl: ResourceDecl | undefined, full: boolean): number {
  if (!decl) return full ? 1 : 0;
  let pair = DECL_SHAPES.get(decl);
  if (!pair) {
    const id = `${JSON.stringify(decl.hidden ?? [])}|${JSON.stringify(decl.fullOnly ?? [])}`;
    const n = (f: boolean): number => {
      const k = `${id}|${f}`;
      let x = SHAPES.get(k);
      if (x === undefined) SHAPES.set(k, (x = SHAPES.size + 2)); // 0 and 1: no declaration
      return x;
    };
    DECL_SHAPES.set(decl, (pair = [n(false), n(true)]));
  }
  return pair[full ? 1 : 0];
}

/** The JSON of {@link shapeForAnswer} for a stored record (kept in the store's answer cache: answer-cache.ts). */
export function answerJson(ctx: SandboxContext, decl: ResourceDecl | undefined, rec: WireRecord, full: boolean): Buffer {
  return ctx.store.answers.get(rec, shapeNumber(decl, full), () => shapeForAnswer(decl, rec, full));
}

/**
 * A 200 answer (or `status`, e.g. 201 of a creation) of one stored record ({@link shapeForAnswer}), serialised. The
 * record must be the stored one (not one the store has replaced since), since its JSON is kept.
 */
export function recordAnswer(ctx: SandboxContext, decl: ResourceDecl | undefined, rec: WireRecord, full: boolean, status = 200): RouteResponse {
  return jsonAnswer(answerJson(ctx, decl, rec, full), { "Content-Type": V2_JSON }, status);
}

/**
 * An answer already serialised (`json`): its `body` is read from `raw` when asked for (by a caller of the handler
 * itself, e.g. a data import or a test; the socket only sends `raw`), a fresh copy each time.
 */
function jsonAnswer(raw: Buffer, headers: Record<string, string>, status = 200): RouteResponse {
  return {
    status,
    raw,
    json: true,
    headers,
    get body(): unknown {
      return JSON.parse(raw.toString("utf8"));
    },
  };
}

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

/**
 * Pages of more bytes than this are answered as their pieces (`rawParts`: the socket writes them one after the other)
 * rather than joined into one buffer: a large fresh buffer for each answer costs more than the writes of its pieces.
 */
export const JOIN_MAX_BYTES = 8 * 1024;

/** An answer already serialised as pieces (see {@link JOIN_MAX_BYTES}); `raw` joins them once when it is read. */
function partsAnswer(parts: Buffer[], size: number, headers: Record<string, string>): RouteResponse {
  let joined: Buffer | undefined;
  const raw = (): Buffer => (joined ??= Buffer.concat(parts, size));
  return {
    status: 200,
    json: true,
    headers,
    rawParts: parts,
    rawLength: size,
    get raw(): Buffer {
      return raw();
    },
    get body(): unknown {
      return JSON.parse(raw().toString("utf8"));
    },
  };
}

/**
 * A page of stored records as a 200 answer (list.ts `pageResponse` with {@link shapeForAnswer}): the records at
 * `paging` of `items` (`total` of them in all, for the pagination headers; default `items.length`), serialised as
 * their cached JSON between brackets.
 */
export function pageAnswer(ctx: SandboxContext, decl: ResourceDecl | undefined, items: readonly WireRecord[], paging: Paging, full: boolean, total = items.length): RouteResponse {
  const end = Math.min(items.length, paging.offset + paging.limit);
  const parts: Buffer[] = [OPEN];
  let size = 2;
  for (let i = paging.offset; i < end; i++) {
    const json = answerJson(ctx, decl, items[i], full);
    if (i > paging.offset) {
      parts.push(COMMA);
      size++;
    }
    parts.push(json);
    size += json.length;
  }
  parts.push(CLOSE);
  const headers = pagingHeaders(total, paging, { "Content-Type": V2_JSON });
  if (size > JOIN_MAX_BYTES) return partsAnswer(parts, size, headers);
  return jsonAnswer(Buffer.concat(parts, size), headers);
}
