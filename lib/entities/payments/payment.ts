/**
 * SEPA credit transfers of the Payments API: {@link CreditTransfer.initiate} (`POST /payments`) checks every field
 * before sending (./validate.ts) and answers the {@link Payment} created; {@link Payment.get}
 * (`GET /payments/{paymentId}`) reads a payment's status.
 */
import type { DateTime } from "luxon";
import { callOperation } from "../../core/call";
import { checkOptionKeys } from "../../core/entity";
import type { Decimal } from "../../core/money";
import type { InitiationPaymentDTO } from "../../generated/payments/types/sepaCreditTransfers";
import { answerRecord, checkId, PaymentsTransaction, READ_KEYS, WRITE_KEYS, type PaymentsReadOptions, type PaymentsWriteOptions } from "./common";
import { checkSepaPayment } from "./validate";
import { checkDay } from "./validate-collection";

export type { PaymentStatus } from "./common";

/** A SEPA amount: a `Decimal` (or a string of digits) in euros. */
export interface SepaAmount {
  amount: Decimal | string;
  currency: "EUR";
}

/**
 * The fields of a SEPA credit transfer (`InitiationPaymentDTO`), the amount a {@link SepaAmount}:
 * `{ debtorAccount: { identification: { iban } }, debtorName, creditorAccount: ..., creditorName,
 * instructedAmount: { amount: new Decimal("12.50"), currency: "EUR" }, remittanceInformationUnstructured? , ... }`.
 * `requestedExecutionDate` is a luxon `DateTime` (its calendar day) or a `YYYY-MM-DD` string.
 */
export type CreditTransferFields = Omit<InitiationPaymentDTO, "instructedAmount" | "requestedExecutionDate"> & {
  instructedAmount: SepaAmount;
  requestedExecutionDate?: DateTime | string;
};

/** A payment of the Payments API: its id and status, and the messages the API added. */
export class Payment extends PaymentsTransaction {
  /** @internal Built from an answer; use {@link CreditTransfer.initiate} or {@link Payment.get}. */
  constructor(answer: Record<string, unknown>) {
    super(answer, "paymentId");
  }

  /**
   * Reads a payment's details and status (`GET /payments/{paymentId}`).
   * @throws MambuError (404 with `tppMessages` when there is no such payment); MambuTsError for an empty id or a
   *   connector without an apikey.
   */
  static async get(id: string, opts: PaymentsReadOptions = {}): Promise<Payment> {
    checkOptionKeys("Payment.get", opts, READ_KEYS);
    const paymentId = checkId("Payment.get", id);
    const answer = await callOperation("sepaCreditTransfers", "getPaymentDetails", {
      api: "payments",
      path: { paymentId },
      connector: opts.connector,
      signal: opts.signal,
    });
    return new Payment(answerRecord("Payment.get", answer));
  }

  /** Whether the payment was rejected (`RJCT`). */
  get rejected(): boolean {
    return this.status === "RJCT";
  }
}

/** SEPA credit transfers (`POST /payments`). */
export class CreditTransfer {
  private constructor() {}

  /**
   * Initiates a SEPA credit transfer. Every field is checked before anything is sent (IBANs, BICs, the SEPA
   * character set and lengths, an amount in EUR with at most two decimals); the amount's digits are sent as they
   * are. A v4 Idempotency-Key goes with the request (`idempotencyKey`, or a random one), the same on each retry.
   * @returns the payment created (`id`, `status` `RCVD`).
   * @throws MambuTsError naming the field to fix, before any request; MambuError with `tppMessages` when the API
   *   refuses.
   */
  static async initiate(fields: CreditTransferFields, opts: PaymentsWriteOptions = {}): Promise<Payment> {
    checkOptionKeys("CreditTransfer.initiate", opts, WRITE_KEYS);
    const body = checkSepaPayment("", fields);
    if (body.requestedExecutionDate !== undefined) body.requestedExecutionDate = checkDay("requestedExecutionDate", body.requestedExecutionDate);
    const answer = await callOperation("sepaCreditTransfers", "initiatePayment", {
      api: "payments",
      body,
      connector: opts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
    return new Payment(answerRecord("CreditTransfer.initiate", answer));
  }
}
