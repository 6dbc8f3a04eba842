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
