/**
 * Errors of the loan and deposit engine, as Mambu answers them: `SandboxError(status, code, REASON, source?)`.
 *
 * Mambu numbers its reasons in blocks (generic 0–60, loans 100–, groups 200–, clients 300–, deposits 400–,
 * transfers/products 500–); the Swagger `RestError.errorReason` enum lists the reasons in code order. "sure"
 * codes are documented by Mambu or used by MambuPy (`INVALID_LOAN_ACCOUNT_ID` 100, `INVALID_ACCOUNT_STATE` 105,
 * `EXCESS_REPAYMENT_ERROR` 110, `INVALID_STATE_TRANSITION` 116, `INVALID_ACCOUNT_STATE_FOR_REPAYMENTS` 128,
 * `INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT` 132, `INVALID_CLIENT_ID` 301); "derived" ones are
 * block start + position in the enum (the anchors above all fit: loan code = enum index + 62, deposit code =
 * enum index + 159, transfer/product code = enum index + 204), the same reading as lib/sandbox/errors.ts;
 * "guess" ones are reasons of newer Mambu versions whose block is unknown. A real tenant may differ on
 * derived/guessed numbers; the reasons are Mambu's.
 *
 * | reason                                              | code | status | used for                                                  | certainty |
 * |-----------------------------------------------------|------|--------|-----------------------------------------------------------|-----------|
 * | INVALID_PARAMETERS                                  |    4 | 400    | bad/missing input, date offset ≠ tenant offset            | sure      |
 * | NON_REVERSIBLE_WRITE_OFF                            |   36 | 400    | undoWriteOff with later transactions                      | derived   |
 * | INVALID_LOAN_ACCOUNT_ID                             |  100 | 404    | unknown loan (400 when named in a body)                   | sure      |
 * | INVALID_AMOUNT                                      |  101 | 400    | amount missing, ≤ 0, not matching the loan amount         | derived   |
 * | INVALID_DATE                                        |  102 | 400    | transaction dated before the disbursement                 | derived   |
 * | INVALID_ACCOUNT_STATE                               |  105 | 400    | disburse a non-APPROVED loan; fee/write-off/pay-off state  | sure      |
 * | INVALID_FEE                                         |  106 | 400    | predefinedFeeKey not a fee of the product                 | derived   |
 * | EXCESS_REPAYMENT_ERROR                              |  110 | 400    | repayment above the total outstanding                     | sure      |
 * | INVALID_STATE_TRANSITION                            |  116 | 400    | changeState action not allowed from the current state     | sure      |
 * | INVALID_FIRST_REPAYMENT_DUE_DATE                    |  118 | 400    | firstRepaymentDate not after the disbursement date        | derived   |
 * | INVALID_INTEREST_RATE                               |  120 | 400    | rate missing or outside the product's min/max             | derived   |
 * | INVALID_INSTALLMENTS                                |  121 | 400    | installments missing, < 1 or outside the product's min/max | derived  |
 * | REPAYMENT_DATE_IN_THE_FUTURE_ERROR                  |  124 | 400    | loan transaction valueDate after now                      | derived   |
 * | INVALID_DISBURSEMENT_DATE                           |  125 | 400    | disbursement valueDate in the future                      | derived   |
 * | INVALID_ACCOUNT_STATE_FOR_REPAYMENTS                |  128 | 400    | repayment on a loan that is not ACTIVE / ACTIVE_IN_ARREARS | sure     |
 * | DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT                |  129 | 400    | upfront fees ≥ loan amount                                | derived   |
 * | INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT|  132 | 400    | edited schedule whose principal ≠ loan amount             | sure      |
 * | UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE     |  166 | 400    | adjust a disbursement/write-off with later transactions   | derived   |
 * | INVALID_TRANSACTION_TYPE                            |  165 | 400    | adjust of a transaction type that cannot be adjusted      | derived   |
 * | INVALID_REPAYMENT_NUMBER                            |  170 | 400    | fee installmentNumber outside the schedule                | derived   |
 * | ARBITRARY_FEE_NOT_ALLOWED                           |  174 | 400    | fee without predefinedFeeKey when the product forbids it  | derived   |
 * | INVALID_PRODUCT_STATE                               |  189 | 400    | product INACTIVE                                          | derived   |
 * | FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE | 194 | 400 | creation/preview with inconsistent dates                  | derived   |
 * | INVALID_GROUP_ID                                    |  201 | 400/404| accountHolderKey (GROUP) unknown                          | derived   |
 * | TRANSACTION_ALREADY_REVERSED                        |  211 | 400    | adjust of an adjusted transaction                         | derived   |
 * | INVALID_TRANSACTION_ID                              |  212 | 404    | unknown loan/deposit transaction                          | derived   |
 * | TRANSACTION_MADE_FROM_A_TRANSFER                    |  217 | 400    | adjust a loan repayment made by a deposit transfer        | derived   |
 * | TRANSACTION_MADE_FROM_A_DISBURSEMENT                |  218 | 400    | adjust the deposit side of a loan disbursement            | derived   |
 * | INVALID_CLIENT_ID                                   |  301 | 400/404| accountHolderKey (CLIENT) unknown                         | sure      |
 * | INVALID_CLIENT_STATE                                |  305 | 400    | holder EXITED / REJECTED / BLACKLISTED                    | derived   |
 * | BALANCE_BELOW_ZERO                                  |  401 | 400    | withdrawal/fee/transfer/adjust above the available funds  | derived   |
 * | BACKDATE_SET_IN_THE_FUTURE                          |  405 | 400    | deposit transaction valueDate after now                   | derived   |
 * | BACKDATE_BEFORE_ACTIVATION                          |  403 | 400    | deposit transaction dated before the account's activation | derived   |
 * | INVALID_DEPOSIT_AMOUNT                              |  406 | 400    | deposit amount missing or ≤ 0                             | derived   |
 * | INVALID_DEPOSIT_ACCOUNT_STATE                       |  407 | 400    | transaction on a deposit in the wrong state               | derived   |
 * | ACCOUNT_ID_ALREADY_IN_USE                           |  411 | 400    | create with an id that exists                             | derived   |
 * | INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION            |  416 | 400    | deposit changeState not allowed                           | derived   |
 * | MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED                  |  417 | 400    | above internalControls.maxWithdrawalAmount                | derived   |
 * | MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED                    |  418 | 400    | overdraft above the limit / the product's maximum         | derived   |
 * | INVALID_DEPOSIT_ACCOUNT_ID                          |  428 | 404    | unknown deposit (400 when named in a body)                | derived   |
 * | PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED             |  430 | 400    | allowOverdraft on a product without overdrafts            | derived   |
 * | TRANSFER_CANT_BE_MADE                               |  500 | 400    | transfer target missing/closed/other currency             | derived   |
 * | CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT              |  501 | 400    | transfer to the same deposit                              | derived   |
 * | TRANSFER_AMOUNT_IS_NOT_POSITIVE                     |  504 | 400    | transfer amount ≤ 0                                       | derived   |
 * | INVALID_PRODUCT_KEY                                 |  508 | 400    | productTypeKey is not a product of that kind              | derived   |
 * | ACCOUNT_HAS_REMAINING_BALANCE                       |  511 | 400    | CLOSE of an account with money in it / owed               | derived   |
 * | PAY_OFF_INVALID_INTEREST_PAID                       |  536 | 400    | payOffAdjustableAmounts.interestPaid above outstanding    | derived   |
 * | PAY_OFF_INVALID_FEES_PAID                           |  537 | 400    | payOffAdjustableAmounts.feesPaid above outstanding        | derived   |
 * | PAY_OFF_INVALID_PENALTY_PAID                        |  538 | 400    | payOffAdjustableAmounts.penaltyPaid above outstanding     | derived   |
 * | INVALID_INSTALLMENT_KEY                             | 2016 | 400    | installmentEncodedKey not of this loan                    | guess     |
 * | INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT   | 2017 | 400    | repayment above the named installment's outstanding       | guess     |
 * | CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT                | 2015 | 400    | fee on a PAID installment                                 | guess     |
 */
import { SandboxError } from "../types";

/** One engine error: code, reason, default HTTP status. */
export interface EngineErrorDef {
  readonly code: number;
  readonly reason: string;
  readonly status: number;
}

const d = (code: number, reason: string, status = 400): EngineErrorDef => ({ code, reason, status });

/** The engine's error table (see the module comment for certainty of each code). */
export const ENGINE_ERRORS = {
  INVALID_PARAMETERS: d(4, "INVALID_PARAMETERS"),
  NON_REVERSIBLE_WRITE_OFF: d(36, "NON_REVERSIBLE_WRITE_OFF"),
  INVALID_LOAN_ACCOUNT_ID: d(100, "INVALID_LOAN_ACCOUNT_ID", 404),
  INVALID_AMOUNT: d(101, "INVALID_AMOUNT"),
  INVALID_DATE: d(102, "INVALID_DATE"),
  INVALID_ACCOUNT_STATE: d(105, "INVALID_ACCOUNT_STATE"),
  INVALID_FEE: d(106, "INVALID_FEE"),
  EXCESS_REPAYMENT_ERROR: d(110, "EXCESS_REPAYMENT_ERROR"),
  INVALID_STATE_TRANSITION: d(116, "INVALID_STATE_TRANSITION"),
  INVALID_FIRST_REPAYMENT_DUE_DATE: d(118, "INVALID_FIRST_REPAYMENT_DUE_DATE"),
  INVALID_INTEREST_RATE: d(120, "INVALID_INTEREST_RATE"),
  INVALID_INSTALLMENTS: d(121, "INVALID_INSTALLMENTS"),
  REPAYMENT_DATE_IN_THE_FUTURE_ERROR: d(124, "REPAYMENT_DATE_IN_THE_FUTURE_ERROR"),
  INVALID_DISBURSEMENT_DATE: d(125, "INVALID_DISBURSEMENT_DATE"),
  INVALID_ACCOUNT_STATE_FOR_REPAYMENTS: d(128, "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"),
  DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT: d(129, "DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT"),
  INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT: d(132, "INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT"),
  INVALID_TRANSACTION_TYPE: d(165, "INVALID_TRANSACTION_TYPE"),
  UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE: d(166, "UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE"),
  INVALID_REPAYMENT_NUMBER: d(170, "INVALID_REPAYMENT_NUMBER"),
  ARBITRARY_FEE_NOT_ALLOWED: d(174, "ARBITRARY_FEE_NOT_ALLOWED"),
  INVALID_PRODUCT_STATE: d(189, "INVALID_PRODUCT_STATE"),
  FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE: d(194, "FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE"),
  INVALID_GROUP_ID: d(201, "INVALID_GROUP_ID"),
  TRANSACTION_ALREADY_REVERSED: d(211, "TRANSACTION_ALREADY_REVERSED"),
  INVALID_TRANSACTION_ID: d(212, "INVALID_TRANSACTION_ID", 404),
  TRANSACTION_MADE_FROM_A_TRANSFER: d(217, "TRANSACTION_MADE_FROM_A_TRANSFER"),
  TRANSACTION_MADE_FROM_A_DISBURSEMENT: d(218, "TRANSACTION_MADE_FROM_A_DISBURSEMENT"),
  INVALID_CLIENT_ID: d(301, "INVALID_CLIENT_ID"),
  INVALID_CLIENT_STATE: d(305, "INVALID_CLIENT_STATE"),
  BALANCE_BELOW_ZERO: d(401, "BALANCE_BELOW_ZERO"),
  BACKDATE_BEFORE_ACTIVATION: d(403, "BACKDATE_BEFORE_ACTIVATION"),
  BACKDATE_SET_IN_THE_FUTURE: d(405, "BACKDATE_SET_IN_THE_FUTURE"),
  INVALID_DEPOSIT_AMOUNT: d(406, "INVALID_DEPOSIT_AMOUNT"),
  INVALID_DEPOSIT_ACCOUNT_STATE: d(407, "INVALID_DEPOSIT_ACCOUNT_STATE"),
  ACCOUNT_ID_ALREADY_IN_USE: d(411, "ACCOUNT_ID_ALREADY_IN_USE"),
  INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION: d(416, "INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION"),
  MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED: d(417, "MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED"),
  MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED: d(418, "MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED"),
  INVALID_DEPOSIT_ACCOUNT_ID: d(428, "INVALID_DEPOSIT_ACCOUNT_ID", 404),
  PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED: d(430, "PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED"),
  TRANSFER_CANT_BE_MADE: d(500, "TRANSFER_CANT_BE_MADE"),
  CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT: d(501, "CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT"),
  TRANSFER_AMOUNT_IS_NOT_POSITIVE: d(504, "TRANSFER_AMOUNT_IS_NOT_POSITIVE"),
  INVALID_PRODUCT_KEY: d(508, "INVALID_PRODUCT_KEY"),
  ACCOUNT_HAS_REMAINING_BALANCE: d(511, "ACCOUNT_HAS_REMAINING_BALANCE"),
  PAY_OFF_INVALID_INTEREST_PAID: d(536, "PAY_OFF_INVALID_INTEREST_PAID"),
  PAY_OFF_INVALID_FEES_PAID: d(537, "PAY_OFF_INVALID_FEES_PAID"),
  PAY_OFF_INVALID_PENALTY_PAID: d(538, "PAY_OFF_INVALID_PENALTY_PAID"),
  CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT: d(2015, "CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT"),
  INVALID_INSTALLMENT_KEY: d(2016, "INVALID_INSTALLMENT_KEY"),
  INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT: d(2017, "INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT"),
} as const;

/** Name of an engine error. */
export type EngineErrorName = keyof typeof ENGINE_ERRORS;

/** Builds the SandboxError for a table entry, with an optional errorSource and status override. */
export function engineError(name: EngineErrorName, errorSource?: string, status?: number): SandboxError {
  const e = ENGINE_ERRORS[name];
  return new SandboxError(status ?? e.status, e.code, e.reason, errorSource);
}

/** 400 INVALID_PARAMETERS with an errorSource, Mambu's answer to malformed input. */
export function invalidParameters(errorSource: string): SandboxError {
  return engineError("INVALID_PARAMETERS", errorSource);
}
