/**
 * `payments`: every operation of the Payments API (SEPA credit transfers and direct debits, standing orders,
 * external account identifications, incoming ISO 20022 messages, the log) as a typed function,
 * `payments.<resource>.<operationId>(...)`, assembled from the descriptors generated from
 * lib/contract/openapi/payments-v1.json (lib/generated/payments/operations) over the one caller,
 * {@link callOperation}: sent under the API's base path (`/api/v1`) through the same connector as API v2 (retries,
 * an `Idempotency-Key` on every POST kept on each retry, an `X-Request-ID` on every request — a random v4 UUID,
 * or the caller's own on the four initiations that declare it, the same on each retry (./payments-request-id.ts,
 * decision D34) —, exact JSON), checked against the contract before anything is sent. The Payments API authenticates by API key only (the `apikey` header): a connector with user and password
 * only is refused before sending. Its error answers (`{ tppMessages: [...] }`) become a `MambuError` keeping them
 * whole in `error.tppMessages`. Arguments as for `api`: the path and query parameters in one object, then the body
 * when the operation takes one, then {@link CallOptions}:
 *
 * ```ts
 * await payments.sepaCreditTransfers.getPaymentDetails({ paymentId: "P1" }, { connector });
 * await payments.incomingMessages.receiveIncomingMessage({}, "<Document>...</Document>"); // application/xml
 * ```
 *
 * Amounts are decimal strings (`"12.50"`): give them as a `Decimal` or a string of digits, never a number.
 */
import { OPERATIONS as PAYMENTS_OPERATIONS } from "../generated/payments/operations";
import type { AnyOperation } from "../generated/payments/operations/_op";
import { buildOperations, type BodyOf, type OperationArgs, type ParamsOf, type ResponseOf } from "./api";
import type { ServicesWireOutput } from "./services";

export { PAYMENTS_REQUEST_ID_HEADER } from "./payments-request-id";

/**
 * What the Payments API's JSON answer holds where its contract says `T` (hydrated type): amounts as decimal strings
 * (or numbers, `RawNumber` when a double would change them), date strings, `null` where the contract allows it.
 */
export type PaymentsWireOutput<T> = ServicesWireOutput<T>;

/** One Payments API operation as a function, carrying its descriptor. */
export type PaymentsOperationFunction<D> = ((...args: OperationArgs<ParamsOf<D>, BodyOf<D>>) => Promise<PaymentsWireOutput<ResponseOf<D>>>) & {
  readonly descriptor: D;
};

/** Every operation of the Payments API: `PaymentsApi["standingOrders"]["createStandingOrder"]`. */
export type PaymentsApi = {
  readonly [R in keyof typeof PAYMENTS_OPERATIONS]: {
    readonly [O in keyof (typeof PAYMENTS_OPERATIONS)[R]]: PaymentsOperationFunction<(typeof PAYMENTS_OPERATIONS)[R][O]>;
  };
};

/**
 * Every operation of the Payments API, by resource (its contract's tags made camelCase: `sepaCreditTransfers`,
 * `financialInstitutionCreditTransfers`, `sepaDirectDebit`, `standingOrders`, `externalAccountIdentifications`,
 * `incomingMessages`, `log`) and operationId, sent under `/api/v1` with the connector's API key:
 * `await payments.standingOrders.getStandingOrderDetails({ id: "SO1" })`.
 */
export const payments: PaymentsApi = buildOperations(
  PAYMENTS_OPERATIONS as unknown as Record<string, Record<string, AnyOperation>>,
  "payments",
) as unknown as PaymentsApi;
