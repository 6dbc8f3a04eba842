/**
 * Mambu error reasons of the restructure, terminate, lock and redraw operations that the shared table
 * (../errors.ts) does not list yet, in the same form (code, reason, status) and with the same certainty notes:
 *
 * | reason                                                  | code | certainty                                                    |
 * |---------------------------------------------------------|------|--------------------------------------------------------------|
 * | ACCOUNT_ALREADY_UNLOCKED                                |  144 | derived (loan block: Swagger enum index + 62)                |
 * | RESCHEDULED_LOAN                                        |  146 | derived                                                      |
 * | REFINANCED_LOAN                                         |  147 | derived                                                      |
 * | REDRAW_DISABLED                                         |  244 | derived (index + 62, extrapolated past the last sure anchor) |
 * | INSUFFICIENT_REDRAW_BALANCE                             |  245 | derived (extrapolated)                                       |
 * | PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS          |  247 | derived (extrapolated)                                       |
 * | EXCESS_PAYMENT_MADE_AMOUNT                              |  248 | derived (extrapolated)                                       |
 * | PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS        |  249 | derived (extrapolated)                                       |
 * | ACCOUNT_ALREADY_LOCKED, NEGATIVE_WRITE_OFF_AMOUNT, TOP_UP_AMOUNT_IS_MANDATORY, NEGATIVE_TOP_UP_AMOUNT, WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT, CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN, INVALID_TERMINATION_DATE, LOAN_ACCOUNT_ALREADY_FULLY_PAID, INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE, LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE, RESTRUCTURE_DETAILS_ARE_MANDATORY, ACCOUNT_IS_LOCKED | 2101–2112 | guess (newer reasons, block unknown) |
 *
 * All answer 400. The reasons are Mambu's (Swagger `RestError.errorReason`); a real tenant may use other numbers.
 */
import { SandboxError } from "../types";

const CODES = {
  ACCOUNT_ALREADY_UNLOCKED: 144,
  RESCHEDULED_LOAN: 146,
  REFINANCED_LOAN: 147,
  REDRAW_DISABLED: 244,
  INSUFFICIENT_REDRAW_BALANCE: 245,
  PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS: 247,
  EXCESS_PAYMENT_MADE_AMOUNT: 248,
  PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS: 249,
  ACCOUNT_ALREADY_LOCKED: 2101,
  NEGATIVE_WRITE_OFF_AMOUNT: 2102,
  TOP_UP_AMOUNT_IS_MANDATORY: 2103,
  NEGATIVE_TOP_UP_AMOUNT: 2104,
  WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT: 2105,
  CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN: 2106,
  INVALID_TERMINATION_DATE: 2107,
  LOAN_ACCOUNT_ALREADY_FULLY_PAID: 2108,
  INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE: 2109,
  LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE: 2110,
  RESTRUCTURE_DETAILS_ARE_MANDATORY: 2111,
  ACCOUNT_IS_LOCKED: 2112,
} as const;

/** A reason of this module's table. */
export type RestructureErrorName = keyof typeof CODES;

/** A 400 SandboxError for a reason of the table above, with an optional errorSource. */
export function restructureError(name: RestructureErrorName, errorSource?: string): SandboxError {
  return new SandboxError(400, CODES[name], name, errorSource);
}
