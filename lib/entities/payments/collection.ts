/**
 * SEPA direct debits of the Payments API: {@link Collection.initiate} (`POST /collections`) checks the payment,
 * the mandate, the creditor identifier and the sequence type before sending (./validate-collection.ts);
 * {@link Collection.get} (`GET /collections/{collectionId}`) reads its status.
 */
import type { DateTime } from "luxon";
import { callOperation } from "../../core/call";
import { checkOptionKeys } from "../../core/entity";
import type { CollectionDTO } from "../../generated/payments/types/sepaDirectDebit";
import { answerRecord, checkId, PaymentsTransaction, READ_KEYS, WRITE_KEYS, type PaymentsReadOptions, type PaymentsWriteOptions } from "./common";
import type { SepaAmount } from "./payment";
import { checkCollection } from "./validate-collection";

/**
 * The fields of a SEPA direct debit (`CollectionDTO`): a payment's, plus `mandateRelatedInformation`
 * (`mandateIdentification`, `dateOfSignature` a `DateTime` or `YYYY-MM-DD`), `creditorSchemeIdentification`
 * (`{ identification: { privateIdentification: "DE98ZZZ09999999999" } }`) and `paymentTypeInformation`
 * (`{ sequenceType: "OOFF" }`); the amount a {@link SepaAmount}.
 */
export type CollectionFields = Omit<CollectionDTO, "instructedAmount" | "mandateRelatedInformation" | "requestedExecutionDate"> & {
  instructedAmount: SepaAmount;
  mandateRelatedInformation: Omit<CollectionDTO["mandateRelatedInformation"], "dateOfSignature"> & { dateOfSignature: DateTime | string };
  requestedExecutionDate?: DateTime | string;
};

/** A SEPA direct debit: its id and status, and the messages the API added. */
export class Collection extends PaymentsTransaction {
  /** @internal Built from an answer; use {@link Collection.initiate} or {@link Collection.get}. */
  constructor(answer: Record<string, unknown>) {
    super(answer, "collectionId");
  }

  /**
   * Initiates a SEPA direct debit. Every field is checked before anything is sent: the accounts' IBANs, names and
   * texts (SEPA characters, lengths), the amount (EUR, two decimals), the mandate (id, date of signature), the
   * creditor identifier's check digits and the sequence type. A v4 Idempotency-Key is sent, the same on a retry.
   * @throws MambuTsError naming the field to fix, before any request; MambuError with `tppMessages` when refused.
   */
  static async initiate(fields: CollectionFields, opts: PaymentsWriteOptions = {}): Promise<Collection> {
    checkOptionKeys("Collection.initiate", opts, WRITE_KEYS);
    const body = checkCollection(fields);
    const answer = await callOperation("sepaDirectDebit", "initiateCollection", {
      api: "payments",
      body,
      connector: opts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
    return new Collection(answerRecord("Collection.initiate", answer));
  }

  /** Reads a collection's status (`GET /collections/{collectionId}`). */
  static async get(id: string, opts: PaymentsReadOptions = {}): Promise<Collection> {
    checkOptionKeys("Collection.get", opts, READ_KEYS);
    const answer = await callOperation("sepaDirectDebit", "getCollectionDetails", {
      api: "payments",
      path: { collectionId: checkId("Collection.get", id) },
      connector: opts.connector,
      signal: opts.signal,
    });
    return new Collection(answerRecord("Collection.get", answer));
  }
}
