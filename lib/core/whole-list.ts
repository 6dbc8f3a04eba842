/**
 * Resources Mambu answers whole (index rate sources, transaction channels): the listing is one unpaged list —
 * `offset` and `limit` cut it here — and a record is read by id or encodedKey; both built as entities of the
 * class, FULL.
 */
import { callOperation } from "./call";
import { chain, Chain } from "./chain";
import { expectRecord } from "./account-operation";
import { connectorOf, EntityClass, MambuEntity } from "./entity";
import { MambuList } from "./list";
import { checkInteger } from "./query";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";

/** Where a whole resource is read: its contract resource and the operations of its list and of one record. */
export interface WholeResource {
  /** Contract resource, e.g. "indexratesources". */
  resource: string;
  /** The record's path parameter in the `getById` operation, e.g. "indexRateSourceId". */
  idParam: string;
  /** The record as messages name it, e.g. "an index rate source". */
  what: string;
}

/**
 * The whole list (`getAll` of the resource, with `query`), cut by `offset`/`limit` (checked now), as entities of
 * `cls`. @internal
 */
export function wholeList<T extends MambuEntity>(
  cls: EntityClass<T>, where: WholeResource, label: string,
  o: { offset?: unknown; limit?: unknown; connector?: MambuConnector }, query?: Record<string, unknown>,
): MambuList<T> {
  const offset = checkInteger(`${label}: offset`, o.offset, 0) ?? 0;
  const limit = checkInteger(`${label}: limit`, o.limit, 1);
  const conn = connectorOf(undefined, o.connector);
  return new MambuList<T>(
    () =>
      (async function* () {
        const answer = await callOperation(where.resource, "getAll", { query, connector: conn });
        if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a JSON list`);
        const page = answer.slice(offset, limit === undefined ? undefined : offset + limit);
        yield page.map((raw) => cls.fromWire(expectRecord(raw, where.what, label), conn, { detailsLevel: "FULL" }));
      })(),
    label,
  );
}

/** One record by id or encodedKey (`getById` of the resource) as an entity of `cls`; unknown rejects with MambuError. @internal */
export function getWhole<T extends MambuEntity>(
  cls: EntityClass<T>, where: WholeResource, label: string, idOrEncodedKey: string | number, connector?: MambuConnector,
): Chain<T> {
  if ((typeof idOrEncodedKey !== "string" && typeof idOrEncodedKey !== "number") || String(idOrEncodedKey).trim() === "") {
    throw new MambuTsError(`${label}: the id must be a non-empty string (an id or an encodedKey)`);
  }
  const conn = connectorOf(undefined, connector);
  return chain(async () => {
    const answer = await callOperation(where.resource, "getById", { path: { [where.idParam]: String(idOrEncodedKey) }, connector: conn });
    return cls.fromWire(expectRecord(answer, where.what, label), conn, { detailsLevel: "FULL" });
  }, `${label}(${JSON.stringify(String(idOrEncodedKey))})`);
}
