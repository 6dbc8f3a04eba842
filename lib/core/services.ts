/**
 * `services`: every operation of the Services API (cards' balances, holds and transactions, hold configurations,
 * currencies with their accounting and exchange rates, index rate sources and their rates) as a typed function,
 * `services.<resource>.<operationId>(...)`, assembled from the descriptors generated from
 * lib/contract/openapi/services-v1.json (lib/generated/services/operations) over the one caller,
 * {@link callOperation}: sent under the API's base path (`/v1`) through the same connector as API v2
 * (authentication, retries, idempotency keys, exact JSON, typed errors), and checked against the contract before
 * anything is sent. Arguments as for `api`: the path and query parameters in one object, then the body when the
 * operation takes one, then {@link CallOptions}:
 *
 * ```ts
 * await services.cards.getCardBalance({ card_id: "C1" });
 * await services.currencies.listCurrencies({ page_size: 50 }, { connector });
 * ```
 *
 * Amounts the contract writes as decimal strings (`Amount.value`, `AccountingRate.rate`) are sent and answered as
 * strings, every digit kept: give them as a `Decimal` or a string of digits, never a number. Other amounts and rates
 * are JSON numbers (a `RawNumber` in an answer when a double would change them).
 */
import type Decimal from "decimal.js";
import type { DateTime } from "luxon";
import { OPERATIONS as SERVICES_OPERATIONS } from "../generated/services/operations";
import type { AnyOperation } from "../generated/services/operations/_op";
import { buildOperations, type BodyOf, type OperationArgs, type ParamsOf, type ResponseOf } from "./api";
import type { RawNumber } from "./json";

/**
 * What the Services API's JSON answer holds where its contract says `T` (hydrated type): amounts as decimal strings
 * or numbers (`RawNumber` when a double would change them), date strings.
 */
export type ServicesWireOutput<T> = T extends Decimal
  ? string | number | RawNumber
  : T extends DateTime
    ? string
    : T extends Uint8Array
      ? Buffer
      : T extends readonly (infer U)[]
        ? ServicesWireOutput<U>[]
        : T extends object
          ? { [K in keyof T]: ServicesWireOutput<T[K]> }
          : T;

/** One Services API operation as a function, carrying its descriptor. */
export type ServicesOperationFunction<D> = ((...args: OperationArgs<ParamsOf<D>, BodyOf<D>>) => Promise<ServicesWireOutput<ResponseOf<D>>>) & {
  readonly descriptor: D;
};

/** Every operation of the Services API: `ServicesApi["cards"]["getCardBalance"]`. */
export type ServicesApi = {
  readonly [R in keyof typeof SERVICES_OPERATIONS]: {
    readonly [O in keyof (typeof SERVICES_OPERATIONS)[R]]: ServicesOperationFunction<(typeof SERVICES_OPERATIONS)[R][O]>;
  };
};

/**
 * Every operation of the Services API, by resource (its contract's tags: `cards`, `holdConfigs`, `currencies`,
 * `rates`) and operationId, sent under `/v1` through the one transport:
 * `await services.cards.getCardBalance({ card_id: "C1" })`.
 */
export const services: ServicesApi = buildOperations(
  SERVICES_OPERATIONS as unknown as Record<string, Record<string, AnyOperation>>,
  "services",
) as unknown as ServicesApi;
