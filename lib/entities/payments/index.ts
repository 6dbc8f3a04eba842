/**
 * The Payments API (SEPA) as entities: {@link CreditTransfer}, {@link Payment}, {@link Collection},
 * {@link StandingOrder}, {@link AccountIdentification}, {@link BlockingRule}, and the
 * checks they make before sending (./validate.ts).
 */
export { CreditTransfer, Payment } from "./payment";
export type { CreditTransferFields, PaymentStatus, SepaAmount } from "./payment";
export { Collection } from "./collection";
export type { CollectionFields } from "./collection";
export { StandingOrder } from "./standing-order";
export { AccountIdentification } from "./account-identification";
export type {
  AccountIdentificationFields,
  AccountIdentificationListOptions,
  AccountIdentificationMatch,
  AccountIdentificationSearch,
  AccountMapping,
  InternalAccount,
} from "./account-identification";
export { BlockingRule } from "./blocking-rule";
export type { CreditorMandate } from "./blocking-rule";
export type {
  PaymentsDay,
  StandingOrderExecution,
  StandingOrderFields,
  StandingOrderFrequency,
  StandingOrderPayment,
  StandingOrderSearch,
  StandingOrderStatus,
} from "./standing-order";
export type { PaymentsReadOptions, PaymentsWriteOptions } from "./common";
export { checkBic, checkEurAmount, checkIban, checkSepaPayment, checkSepaText, maskIban, SEPA_MAX_AMOUNT, SEPA_MAX_LENGTH } from "./validate";
export { checkCollection, checkCreditorIdentifier, SEQUENCE_TYPES } from "./validate-collection";
export { listenForCallouts, DEFAULT_CALLOUT_MAX_BYTES, DEFAULT_CALLOUT_QUEUE, MAX_CALLOUT_MAX_BYTES } from "./callout-listener";
export type { CalloutListener, CalloutListenerOptions, CalloutRejection } from "./callout-listener";
export { calloutKind, Iso20022Error, ISO20022_URN, MAX_MESSAGE_TRANSACTIONS, parseCalloutMessage } from "./iso20022-parse";
export type {
  CalloutMessage,
  CalloutMessageKind,
  Camt056Message,
  CreditTransferInstruction,
  Iso20022Amount,
  Iso20022Party,
  Iso20022Reason,
  Pacs002Message,
  Pacs008Message,
  PaymentCancellation,
  TransactionStatus,
} from "./iso20022-types";
