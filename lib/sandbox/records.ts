/**
 * Records as the sandbox serves them: a declared collection's record by id, encodedKey or its extra lookup
 * (else Mambu's not-found error), and the wire shape served for it at a `detailsLevel`.
 */
import { mambuError } from "./errors";
import type { ResourceDecl } from "./resource-decl";
import type { SandboxContext } from "./router";
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
