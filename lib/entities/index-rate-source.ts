/**
 * Index rate sources and their index rates (`/api/indexratesources`): the dated reference rates (TIIE,
 * EURIBOR, a tax rate) that indexed loans and deposits follow.
 */
import { expectRecord } from "../core/account-operation";
import type { DateTime } from "luxon";
import { callOperation } from "../core/call";
import type { Chain } from "../core/chain";
import { checkOptionKeys, connectorOf, EntityClass, EntitySpec, GetAllOptions, MambuEntity, WriteOptions } from "../core/entity";
import "../core/entity-methods";
import { toWireDateTime, toWireDecimal } from "../core/coerce";
import { MambuList } from "../core/list";
import type { Amount } from "../core/operations";
import type { PatchOperation } from "../core/patch";
import { MambuValueObject, offsetSourceOf, structFromWire } from "../core/struct";
import type { IndexRateSource, IndexRateStruct } from "../generated/types/indexratesources";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";
import { getWhole, wholeList, WholeResource } from "../core/whole-list";

type Bag = Record<string, unknown>;

/** The types of an index rate source (Swagger `IndexRateSource.type`). */
export const INDEX_RATE_SOURCE_TYPES = ["INTEREST_RATE", "TAX_RATE", "WITHHOLDING_TAX_RATE", "PRINCIPAL_TAX_RATE"] as const;
/** An index rate source type. */
export type IndexRateSourceType = (typeof INDEX_RATE_SOURCE_TYPES)[number];

/**
 * One rate of an index rate source (Swagger `IndexRate`): `rate` (Decimal, percent), `startDate` (DateTime: from
 * when it is the source's rate), `notes`, `assignedIndexRateSourceKey`, `userKey` (who entered it), `encodedKey`
 * (what `deleteIndexRate` takes).
 */
export class MambuIndexRate extends MambuValueObject {
  static override resource = "indexratesources";
  static override definition = "IndexRate";
}
export interface MambuIndexRate extends IndexRateStruct {}

/** Fields of `source.addIndexRate({...})`: `rate` (percent, exact) and `startDate` are required. */
export interface IndexRateInput {
  rate: Amount;
  startDate: DateTime | Date | string;
  notes?: string;
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}


/** Options of {@link MambuIndexRateSource.getAll}. */
export interface IndexRateSourceListOptions {
  /** Skip this many sources of the list (applied to the list Mambu answers: it pages it not). */
  offset?: number;
  /** At most this many sources (likewise). */
  limit?: number;
  /** Accepted for the listing's common options; every source is answered whole. */
  detailsLevel?: "BASIC" | "FULL";
  /** Accepted for the listing's common options; Mambu sends no total for this list. */
  paginationDetails?: "ON" | "OFF";
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/** Where index rate sources are read (one unpaged list). */
const SOURCES: WholeResource = { resource: "indexratesources", idParam: "indexRateSourceId", what: "an index rate source" };

/**
 * An index rate source: `name`, `type` (INTEREST_RATE, TAX_RATE, WITHHOLDING_TAX_RATE, PRINCIPAL_TAX_RATE),
 * `notes`, `encodedKey` (and, from newer Mambu versions, `id`). Created, read, listed and deleted — Mambu's API
 * has no update of a source; its rates are added and deleted one by one.
 */
export class MambuIndexRateSource extends MambuEntity {
  static override resource = "indexratesources";
  static override definition = "IndexRateSource";
  static override spec = { prefix: "indexratesources", writable: true } as const satisfies EntitySpec;

  /**
   * Every index rate source (`GET /indexratesources`: one list, Mambu pages it not). Options: `connector`;
   * `offset` and `limit` cut the list Mambu answers; `detailsLevel` and `paginationDetails` are accepted as every
   * listing takes them (what `mambu list indexratesources` sends) and change nothing.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const label = "MambuIndexRateSource.getAll";
    const o = (opts ?? {}) as IndexRateSourceListOptions;
    checkOptionKeys(label, o, ["connector", "offset", "limit", "detailsLevel", "paginationDetails"]);
    return wholeList(this, SOURCES, label, o);
  }

  /** One source by id or encodedKey (`GET /indexratesources/{indexRateSourceId}`); not found rejects with MambuError (404). */
  static override get<T extends MambuEntity>(this: EntityClass<T>, idOrEncodedKey: string | number, opts: { connector?: MambuConnector; detailsLevel?: "BASIC" | "FULL" } = {}): Chain<T> {
    const label = "MambuIndexRateSource.get";
    // detailsLevel: accepted as every entity's get takes it (what `mambu get indexratesource` sends; the source is always answered whole)
    checkOptionKeys(label, opts, ["connector", "detailsLevel"]);
    return getWhole(this, SOURCES, label, idOrEncodedKey, opts.connector);
  }

  /**
   * Creates the source (`POST /indexratesources`) and takes Mambu's answer as its state.
   * @throws MambuTsError before any request without a `name`, or with a `type` outside {@link INDEX_RATE_SOURCE_TYPES}.
   */
  override async create(opts: WriteOptions & { connector?: MambuConnector } = {}): Promise<this> {
    const label = "MambuIndexRateSource.create";
    const name = (this as unknown as IndexRateSource).name;
    const type = (this as unknown as IndexRateSource).type as unknown;
    if (typeof name !== "string" || name.trim() === "") throw new MambuTsError(`${label}: name is required`);
    if (typeof type !== "string" || !(INDEX_RATE_SOURCE_TYPES as readonly string[]).includes(type)) {
      throw new MambuTsError(`${label}: type must be one of ${INDEX_RATE_SOURCE_TYPES.join(", ")}, got ${JSON.stringify(type)}`);
    }
    return super.create(opts);
  }

  /** Mambu's API has no update of an index rate source. @throws MambuTsError */
  override async update(): Promise<this> {
    throw new MambuTsError("MambuIndexRateSource cannot be updated through the API v2 (create, read and delete only)");
  }

  /** Mambu's API has no update of an index rate source. @throws MambuTsError */
  override async patch(): Promise<PatchOperation[]> {
    throw new MambuTsError("MambuIndexRateSource cannot be patched through the API v2 (create, read and delete only)");
  }

  /** The source's id for its requests: its encodedKey (or id), once read or created. */
  private sourceId(label: string): string {
    const raw = this.toJSON();
    const key = raw.encodedKey ?? raw.id;
    if (typeof key !== "string" || key === "") throw new MambuTsError(`${label}: the index rate source has no encodedKey yet (create() it first)`);
    return key;
  }

  /** The source's rates, oldest first (`GET /indexratesources/{indexRateSourceId}/indexrates`). */
  async getIndexRates(): Promise<MambuIndexRate[]> {
    const label = "MambuIndexRateSource.getIndexRates";
    const answer = await callOperation("indexratesources", "getAll_1", { path: { indexRateSourceId: this.sourceId(label) }, connector: connectorOf(this) });
    if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a JSON list`);
    return answer.map((raw) => structFromWire<MambuIndexRate>(MambuIndexRate, expectRecord(raw, "an index rate", label), this));
  }

  /**
   * Adds a rate (`POST /indexratesources/{indexRateSourceId}/indexrates`): `rate` in percent (sent exactly; an
   * interest rate may be negative, a tax rate not), from `startDate` (future dates announce a rate). Resolves to
   * the rate Mambu made.
   * @throws MambuTsError before any request without a rate or a start date, or with an unknown option.
   */
  async addIndexRate(input: IndexRateInput): Promise<MambuIndexRate> {
    const label = "MambuIndexRateSource.addIndexRate";
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new MambuTsError(`${label}: expected { rate, startDate, notes? }`);
    checkOptionKeys(label, input, ["rate", "startDate", "notes", "idempotencyKey"]);
    if (input.rate === undefined || input.rate === null) throw new MambuTsError(`${label}: rate is required`);
    if (input.startDate === undefined || input.startDate === null) throw new MambuTsError(`${label}: startDate is required`);
    if (input.notes !== undefined && typeof input.notes !== "string") throw new MambuTsError(`${label}: notes must be a string`);
    if (input.idempotencyKey !== undefined && typeof input.idempotencyKey !== "string") throw new MambuTsError(`${label}: idempotencyKey must be a string`);
    const body: Bag = {
      rate: toWireDecimal(input.rate, `${label}: rate`),
      startDate: toWireDateTime(input.startDate, `${label}: startDate`, offsetSourceOf(this)),
    };
    if (input.notes !== undefined) body.notes = input.notes;
    const id = this.sourceId(label);
    const answer = await callOperation("indexratesources", "create_1", { path: { indexRateSourceId: id }, body, connector: connectorOf(this), idempotencyKey: input.idempotencyKey });
    return structFromWire<MambuIndexRate>(MambuIndexRate, expectRecord(answer, "the created index rate", label), this);
  }

  /** Deletes one rate of the source by its encodedKey, or the rate itself (`DELETE .../indexrates/{indexRateId}`). */
  async deleteIndexRate(rate: string | MambuIndexRate): Promise<void> {
    const label = "MambuIndexRateSource.deleteIndexRate";
    const key = rate instanceof MambuIndexRate ? rate.encodedKey : rate;
    if (typeof key !== "string" || key.trim() === "") throw new MambuTsError(`${label}: expected an index rate or its encodedKey, got ${JSON.stringify(key)}`);
    await callOperation("indexratesources", "delete_1", { path: { indexRateSourceId: this.sourceId(label), indexRateId: key }, connector: connectorOf(this) });
  }

  /** Deletes the source (`DELETE /indexratesources/{indexRateSourceId}`); Mambu refuses one in use (INDEX_RATE_SOURCE_IN_USE). */
  override async delete(): Promise<void> {
    await callOperation("indexratesources", "delete", { path: { indexRateSourceId: this.sourceId("MambuIndexRateSource.delete") }, connector: connectorOf(this) });
  }
}
export interface MambuIndexRateSource extends IndexRateSource {
  /** The source's id (newer Mambu versions than the 2021 Swagger files; the sandbox's demo source is `TIIE`). */
  id?: string;
}
