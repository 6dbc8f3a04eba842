/**
 * `Services.IndexRateSource`: an index rate source of the Services API (`/v1/sources`) with its index rates
 * (exact `Decimal`s: every digit of the JSON number sent is kept).
 */
import type { DateTime } from "luxon";
import { MambuTsError } from "../../errors";
import { services } from "../../core/services";
import type { MambuList } from "../../core/list";
import { schemaFields, tokenList, type TokenListOptions } from "../../core/token-list";
import type { Decimal } from "../../core/money";
import type { MambuConnector } from "../../transport/connector";
import { callOpts, dateTimeIn, dateTimeOut, decimalIn, decimalOut, optStrOut, strOut, type CreateOptions, type ServicesOptions } from "./wire";

/** The kind of an index rate source. */
export type IndexRateSourceType = "InterestRate" | "TaxRate" | "WithholdingTaxRate" | "PrincipalTaxRate";

/** The fields of a source, as given to create or update. */
export interface IndexRateSourceFields {
  /** The identifier, chosen by the caller. */
  sourceId: string;
  name: string;
  type: IndexRateSourceType;
  notes?: string;
}

const SOURCE_FIELDS = schemaFields("rates", "Source");
const INDEX_RATE_FIELDS = schemaFields("rates", "IndexRate");

/** One index rate of a source, valid from `startTime`. */
export class IndexRate {
  readonly rateId: string;
  readonly sourceId: string;
  /** Exact: every digit of the JSON number sent. */
  readonly rate: Decimal;
  readonly startTime: DateTime;
  readonly notes?: string;
  /** Who entered it. */
  readonly userId?: string;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>) {
    this.rateId = strOut(r.rate_id, "rate_id");
    this.sourceId = strOut(r.source_id, "source_id");
    this.rate = decimalOut(r.rate, "rate");
    this.startTime = dateTimeOut(r.start_time, "start_time");
    this.notes = optStrOut(r.notes);
    this.userId = optStrOut(r.user_id);
  }
}

function sourceBody(f: IndexRateSourceFields): Record<string, unknown> {
  if (typeof f !== "object" || f === null || typeof f.sourceId !== "string" || f.sourceId === "") throw new MambuTsError("Services.IndexRateSource: sourceId must be a non-empty string");
  const out: Record<string, unknown> = { source_id: f.sourceId, name: f.name, type: f.type };
  if (f.notes !== undefined) out.notes = f.notes;
  return out;
}

/** An index rate source of the Services API. `await Services.IndexRateSource.get("EURIBOR", { connector })`. */
export class IndexRateSource implements IndexRateSourceFields {
  readonly sourceId: string;
  readonly name: string;
  readonly type: IndexRateSourceType;
  readonly notes?: string;
  readonly #connector?: MambuConnector;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>, connector?: MambuConnector) {
    this.sourceId = strOut(r.source_id, "source_id");
    this.name = strOut(r.name, "name");
    this.type = strOut(r.type, "type") as IndexRateSourceType;
    this.notes = optStrOut(r.notes);
    this.#connector = connector;
  }

  /** The source `sourceId`. @throws MambuError (404) when there is none. */
  static async get(sourceId: string, opts?: ServicesOptions): Promise<IndexRateSource> {
    const o = callOpts(opts);
    return new IndexRateSource((await services.rates.getIndexRateSource({ source_id: sourceId }, o)) as Record<string, unknown>, o.connector);
  }

  /** Every source (a list promise); `filter`/`orderBy` on its fields. */
  static list(opts: TokenListOptions & ServicesOptions = {}): MambuList<IndexRateSource> {
    const o = callOpts(opts);
    return tokenList("Services.IndexRateSource.list", SOURCE_FIELDS, opts, async (q) => {
      const page = (await services.rates.listIndexRateSources(q, o)) as Record<string, unknown>;
      return { items: page.sources, next_page_token: page.next_page_token, total: page.total };
    }, (r) => new IndexRateSource(r, o.connector));
  }

  /** Creates a source. @throws MambuError (409) when the identifier exists. */
  static async create(fields: IndexRateSourceFields, opts?: CreateOptions): Promise<IndexRateSource> {
    const o = callOpts(opts);
    return new IndexRateSource((await services.rates.createIndexRateSource({}, sourceBody(fields) as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Replaces this source's fields (the identifier stays). */
  async update(fields: Omit<IndexRateSourceFields, "sourceId">, opts?: CreateOptions): Promise<IndexRateSource> {
    const o = callOpts(opts, this.#connector);
    const body = sourceBody({ ...fields, sourceId: this.sourceId });
    return new IndexRateSource((await services.rates.updateIndexRateSource({ source_id: this.sourceId }, body as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Deletes this source. */
  async delete(opts?: ServicesOptions): Promise<void> {
    await services.rates.deleteIndexRateSource({ source_id: this.sourceId }, callOpts(opts, this.#connector));
  }

  /** This source's index rates (a list promise). */
  indexRates(opts: TokenListOptions & ServicesOptions = {}): MambuList<IndexRate> {
    const o = callOpts(opts, this.#connector);
    return tokenList("Services.IndexRateSource.indexRates", INDEX_RATE_FIELDS, opts, async (q) => {
      const page = (await services.rates.listIndexRates({ source_id: this.sourceId, ...q }, o)) as Record<string, unknown>;
      return { items: page.rates, next_page_token: page.next_page_token, total: page.total };
    }, (r) => new IndexRate(r));
  }

  /** Adds an index rate from `startTime` (the rate a `Decimal` or a decimal string, sent with every digit). */
  async createIndexRate(rate: { rate: Decimal | string; startTime: DateTime | Date | string; notes?: string }, opts?: CreateOptions): Promise<IndexRate> {
    const o = callOpts(opts, this.#connector);
    const body: Record<string, unknown> = { rate: decimalIn(rate.rate, "rate"), start_time: dateTimeIn(rate.startTime, "startTime") };
    if (rate.notes !== undefined) body.notes = rate.notes;
    return new IndexRate((await services.rates.createIndexRate({ source_id: this.sourceId }, body as never, o)) as Record<string, unknown>);
  }
}
