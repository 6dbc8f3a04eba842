/** Loan accounts (`/api/loans`). */
import { Assigned, Held, withAssignments } from "./assignments";
import type { ActionOptions } from "../core/actions";
import { chain } from "../core/chain";
import { connectorOf, EntitySpec, MambuEntity, requestJson } from "../core/entity";
import "../core/entity-methods";
import { MambuError } from "../errors";
import { MambuList } from "../core/list";
import { accountTransactions, Amount, EntityRef, TransactionListOptions } from "../core/operations";
import { relate, setTransient } from "../core/relations";
import { structFromWire } from "../core/struct";
import type { LoanAccountFilterCriteria, LoanAccountSortingCriteria, LoanAccountStruct, QueryParameters } from "../generated/types/loans";
import type { MambuLoanCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";
import { MambuInstallment } from "./installment";
import {
  adjustLoanTransaction, applyLoanFee, disburseLoan, DisburseOptions, editLoanSchedule, EditScheduleOptions, InstallmentInput, LoanAction,
  LoanAdjustOptions, LoanFeeOptions, payOffLoan, PayOffOptions, repayLoan, RepayOptions, setLoanState, writeOffLoan,
} from "./loan-operations";
import {
  LoanHoldListOptions, LoanCardOptions, deleteLoanFunding, InvestorFundInput, linkLoanCard, loanAuthorizationHolds, loanCards,
  loanDocument, LoanDocumentOptions, loanFundingSources, MambuInvestorFund, writeLoanFunding,
} from "./loan-funding";
import {
  lockLoan, LoanLockOptions, LoanWithdrawalOptions, loanPaymentMade, loanRedraw, loanWithdrawal, PaymentMadeOptions, RedrawOptions, unlockLoan,
  LoanUnlockOptions,
} from "./loan-payments";
import {
  applyLoanInterest, changeLoanArrearsSettings, changeLoanDueDatesSettings, changeLoanInterestRate, changeLoanPeriodicPayment,
  changeLoanRepaymentValue, ChangeArrearsSettingsOptions, ChangeDueDatesSettingsOptions, LoanInterestRateOptions, ChangePeriodicPaymentOptions,
  ChangeRepaymentValueOptions, LoanInterestOptions, MambuPayOffAmounts, PayOffPreviewOptions, previewLoanPayOff, previewLoanSchedule,
  refinanceLoan, RefinanceOptions, rescheduleLoan, RescheduleOptions, SchedulePreviewTerms, terminateLoan, LoanTerminateOptions, undoRefinanceLoan,
  undoRescheduleLoan, undoWriteOffLoan,
} from "./loan-servicing";
import type { MambuAuthorizationHold } from "./authorization-hold";
import type { MambuCard } from "./card";
import type { MambuConnector } from "../transport";
import { MambuProduct } from "./product";
import { MambuTransaction } from "./transaction";

/** A Mambu loan account. */
export class MambuLoan extends MambuEntity {
  static override resource = "loans";
  static override definition = "LoanAccount";
  static override spec = {
    prefix: "loans",
    filters: ["branchId", "centreId", "accountState", "accountHolderType", "accountHolderId", "creditOfficerUsername"],
    sortBy: ["creationDate", "lastModifiedDate", "id", "loanName"],
    search: { filterDefinition: "LoanAccountFilterCriteria" },
    ownerType: "LOAN_ACCOUNT",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * The repayment schedule (`GET /loans/{id}/schedule`) as `MambuInstallment[]`; also set as
   * `loan.schedule` (never sent back to Mambu).
   */
  getSchedule() {
    return chain(async () => {
      const { body } = await requestJson(connectorOf(this), { method: "GET", path: `${this.entityPath()}/schedule` });
      const installments = (body as { installments?: unknown } | undefined)?.installments;
      if (!Array.isArray(installments)) throw new MambuError(`malformed schedule from Mambu: no installments list`);
      const schedule = installments.map((raw) => structFromWire<MambuInstallment>(MambuInstallment, raw as Record<string, unknown>, this));
      setTransient(this, "schedule", schedule);
      return schedule;
    }, `${this.constructor.name}.schedule`);
  }

  /**
   * Replaces the repayment schedule (`PUT /loans/{id}/schedule`, newer Mambu versions; before the
   * disbursement): installments read with `getSchedule()` and changed, or given as fields
   * (`{ number: "1", dueDate, principal: { amount: { expected } }, interest, fee, penalty }`).
   * Returns the schedule Mambu answers with, also set as `loan.schedule`; the loan is re-read
   * unless `reread: false`.
   */
  editSchedule(installments: readonly InstallmentInput[], opts?: EditScheduleOptions): Promise<MambuInstallment[]> {
    return editLoanSchedule(this, installments, opts);
  }

  /**
   * The loan's transactions (`GET /loans/{id}/transactions`, paginated like getAll); awaited,
   * they are also set as `loan.transactions`.
   */
  getTransactions(opts: TransactionListOptions = {}): MambuList<MambuTransaction> {
    return accountTransactions(MambuTransaction, this.entityPath(), opts, "MambuLoan.getTransactions", { entity: this, property: "transactions" });
  }

  // Operations: each posts to its documented endpoint, re-reads the loan (local unsaved changes
  // are dropped: update()/patch() first) and returns the refreshed loan or the created transaction.
  // With `{ reread: false }` there is no re-read: Mambu's answer is taken as the new state.

  /**
   * Changes the loan's state (`POST /loans/{id}:changeState`): REQUEST_APPROVAL, SET_INCOMPLETE,
   * APPROVE, UNDO_APPROVE, REJECT, WITHDRAW, CLOSE, UNDO_REJECT, UNDO_WITHDRAW, UNDO_CLOSE.
   * Returns the refreshed loan.
   */
  setState(action: LoanAction, notes?: string, opts?: ActionOptions): Promise<this> {
    return setLoanState(this, action, notes, opts) as Promise<this>;
  }
  /** `setState("REQUEST_APPROVAL", notes)`. */
  requestApproval(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("REQUEST_APPROVAL", notes, opts);
  }
  /** `setState("SET_INCOMPLETE", notes)`. */
  setIncomplete(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("SET_INCOMPLETE", notes, opts);
  }
  /** `setState("APPROVE", notes)`. */
  approve(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("APPROVE", notes, opts);
  }
  /** `setState("UNDO_APPROVE", notes)`. */
  undoApprove(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_APPROVE", notes, opts);
  }
  /** `setState("REJECT", notes)`. */
  reject(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("REJECT", notes, opts);
  }
  /** `setState("WITHDRAW", notes)`. */
  withdraw(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("WITHDRAW", notes, opts);
  }
  /** `setState("CLOSE", notes)`. */
  close(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("CLOSE", notes, opts);
  }
  /** `setState("UNDO_REJECT", notes)`. */
  undoReject(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_REJECT", notes, opts);
  }
  /** `setState("UNDO_WITHDRAW", notes)`. */
  undoWithdraw(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_WITHDRAW", notes, opts);
  }
  /** `setState("UNDO_CLOSE", notes)`. */
  undoClose(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_CLOSE", notes, opts);
  }

  /**
   * Disburses the loan (`POST /loans/{id}/disbursement-transactions`); returns the DISBURSEMENT
   * transaction. Without `valueDate` the expected disbursement date is used, without
   * `firstRepaymentDate` the loan's (as MambuPy); `null` leaves either to Mambu.
   */
  disburse(opts?: DisburseOptions): Promise<MambuTransaction> {
    return disburseLoan(this, opts);
  }
  /** Repays `amount` (`POST /loans/{id}/repayment-transactions`); returns the REPAYMENT transaction. */
  repay(amount: Amount, opts?: RepayOptions): Promise<MambuTransaction> {
    return repayLoan(this, amount, opts);
  }
  /**
   * Applies a fee (`POST /loans/{id}/fee-transactions`); returns the FEE_APPLIED transaction.
   * `amount` may be undefined for a predefined fee (`predefinedFeeKey`) that has its own amount.
   */
  applyFee(amount: Amount | undefined, opts?: LoanFeeOptions): Promise<MambuTransaction> {
    return applyLoanFee(this, amount, opts);
  }
  /** Writes the loan off (`POST /loans/{id}:writeOff`, answered without a body); returns the refreshed loan. */
  writeOff(notes?: string, opts?: ActionOptions): Promise<this> {
    return writeOffLoan(this, notes, opts) as Promise<this>;
  }
  /** Pays the loan off (`POST /loans/{id}:payOff`, answered without a body); returns the refreshed loan. */
  payOff(opts?: PayOffOptions): Promise<this> {
    return payOffLoan(this, opts) as Promise<this>;
  }
  /**
   * Adjusts (reverses) one of this loan's transactions, given by id, encodedKey or entity
   * (`POST /loans/transactions/{id}:adjust`; a transaction given by id is read first to check that
   * it is this loan's). Returns the transaction Mambu answers with.
   */
  adjustTransaction(transaction: EntityRef, notes?: string, opts?: LoanAdjustOptions): Promise<MambuTransaction> {
    return adjustLoanTransaction(this, transaction, notes, opts);
  }

  // Servicing (lib/entities/loan-servicing.ts): each returns the re-read loan unless said otherwise.

  /**
   * Reschedules the loan (`POST /loans/{id}:reschedule`): Mambu closes it and opens a new account
   * with the balance carried over on the terms of `loanAccount` (its product defaults to this one's).
   * Returns the NEW loan; this one is re-read.
   */
  reschedule(opts: RescheduleOptions): Promise<MambuLoan> {
    return rescheduleLoan(this, opts);
  }
  /**
   * Refinances the loan (`POST /loans/{id}:refinance`): like reschedule, plus `topUpAmount`
   * disbursed on the new account. Returns the NEW loan; this one is re-read.
   */
  refinance(opts: RefinanceOptions): Promise<MambuLoan> {
    return refinanceLoan(this, opts);
  }
  /**
   * Undoes a reschedule (`POST /loans/{id}:undoReschedule`), asked of the original loan or of the
   * new one (which the undo removes). Returns the original loan, restored (this one re-read, or
   * read afresh when asked of the new loan).
   */
  undoReschedule(notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
    return undoRescheduleLoan(this, notes, opts);
  }
  /** Undoes a refinance (`POST /loans/{id}:undoRefinance`), as {@link MambuLoan.undoReschedule}. */
  undoRefinance(notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
    return undoRefinanceLoan(this, notes, opts);
  }
  /** Undoes a write-off (`POST /loans/{id}:undoWriteOff`). */
  undoWriteOff(notes?: string, opts?: ActionOptions): Promise<this> {
    return undoWriteOffLoan(this, notes, opts) as Promise<this>;
  }
  /** Terminates the loan at `valueDate` (`POST /loans/{id}:terminate`). */
  terminate(opts: LoanTerminateOptions): Promise<this> {
    return terminateLoan(this, opts) as Promise<this>;
  }
  /**
   * What paying the loan off at `valueDate` (default now) would post
   * (`POST /loans/{id}:previewPayOffAmounts`): principal, interest, fee, penalty and total as Decimals.
   * Nothing is posted.
   */
  previewPayOffAmounts(opts?: PayOffPreviewOptions): Promise<MambuPayOffAmounts> {
    return previewLoanPayOff(this, opts);
  }
  /** Changes the interest rate from `valueDate` (`POST /loans/{id}:changeInterestRate`). */
  changeInterestRate(interestRate: Amount | undefined, opts: LoanInterestRateOptions): Promise<this> {
    return changeLoanInterestRate(this, interestRate, opts) as Promise<this>;
  }
  /** Changes the repayment `amount` or `percentage` from `valueDate` (`POST /loans/{id}:changeRepaymentValue`). */
  changeRepaymentValue(opts: ChangeRepaymentValueOptions): Promise<this> {
    return changeLoanRepaymentValue(this, opts) as Promise<this>;
  }
  /** Changes the periodic payment from `valueDate` (`POST /loans/{id}:changePeriodicPayment`). */
  changePeriodicPayment(periodicPayment: Amount, opts: ChangePeriodicPaymentOptions): Promise<this> {
    return changeLoanPeriodicPayment(this, periodicPayment, opts) as Promise<this>;
  }
  /** Changes the arrears tolerance period from `entryDate` (`POST /loans/{id}:changeArrearsSettings`). */
  changeArrearsSettings(opts: ChangeArrearsSettingsOptions): Promise<this> {
    return changeLoanArrearsSettings(this, opts) as Promise<this>;
  }
  /** Changes the fixed days of month installments fall due on (`POST /loans/{id}:changeDueDatesSettings`). */
  changeDueDatesSettings(opts: ChangeDueDatesSettingsOptions): Promise<this> {
    return changeLoanDueDatesSettings(this, opts) as Promise<this>;
  }
  /** Applies the interest accrued up to `interestApplicationDate` (`POST /loans/{id}:applyInterest`). */
  applyInterest(opts: LoanInterestOptions): Promise<this> {
    return applyLoanInterest(this, opts) as Promise<this>;
  }
  /**
   * The installments a loan of these terms would have (`POST /loans:previewSchedule`); no account
   * is created.
   */
  static previewSchedule(terms: SchedulePreviewTerms, opts?: { connector?: MambuConnector }): Promise<MambuInstallment[]> {
    return previewLoanSchedule(this, terms, opts);
  }

  // Further transactions (lib/entities/loan-payments.ts): each returns what Mambu created.

  /** Records a payment made (`POST /loans/{id}/payment-made-transactions`); returns the PAYMENT_MADE transaction. */
  paymentMade(amount: Amount, opts?: PaymentMadeOptions): Promise<MambuTransaction> {
    return loanPaymentMade(this, amount, opts);
  }
  /** Repays into the redraw balance (`POST /loans/{id}/redraw-repayment-transactions`); returns the transaction. */
  redraw(amount: Amount, opts?: RedrawOptions): Promise<MambuTransaction> {
    return loanRedraw(this, amount, opts);
  }
  /**
   * Withdraws from the redraw balance (`POST /loans/{id}/withdrawal-transactions`); returns the
   * WITHDRAWAL_REDRAW transaction. (`withdraw(notes)` is the WITHDRAW state change.)
   */
  withdrawal(amount: Amount, opts?: LoanWithdrawalOptions): Promise<MambuTransaction> {
    return loanWithdrawal(this, amount, opts);
  }
  /** Locks the account's `lockedOperations` (`POST /loans/{id}/lock-transactions`); returns the transactions posted. */
  lock(opts?: LoanLockOptions): Promise<MambuTransaction[]> {
    return lockLoan(this, opts);
  }
  /** Unlocks the account (`POST /loans/{id}/unlock-transactions`); returns the transactions posted. */
  unlock(opts?: LoanUnlockOptions): Promise<MambuTransaction[]> {
    return unlockLoan(this, opts);
  }

  // Funding, cards, holds, documents (lib/entities/loan-funding.ts).

  /** The loan's funding sources (`fundingSources`), after re-reading the loan. */
  async getFundingSources(): Promise<MambuInvestorFund[]> {
    await this.refresh();
    return loanFundingSources(this);
  }
  /** Adds funding sources (`POST /loans/{id}/funding`); returns those Mambu answers with; the loan is re-read. */
  addFundingSources(funds: readonly InvestorFundInput[], opts?: ActionOptions): Promise<MambuInvestorFund[]> {
    return writeLoanFunding(this, "createLoanAccountFundingSources", funds, opts, "MambuLoan.addFundingSources");
  }
  /** Replaces the funding sources (`PUT /loans/{id}/funding`); returns those Mambu answers with; the loan is re-read. */
  setFundingSources(funds: readonly InvestorFundInput[], opts?: ActionOptions): Promise<MambuInvestorFund[]> {
    return writeLoanFunding(this, "updateLoanAccountFundingSources", funds, opts, "MambuLoan.setFundingSources");
  }
  /** Removes every funding source (`DELETE /loans/{id}/funding`). */
  removeFundingSources(opts?: ActionOptions): Promise<this> {
    return deleteLoanFunding(this, undefined, opts) as Promise<this>;
  }
  /** Removes one funding source, by encodedKey or as read (`DELETE /loans/{id}/funding/{fundEncodedKey}`). */
  removeFundingSource(fund: EntityRef, opts?: ActionOptions): Promise<this> {
    return deleteLoanFunding(this, fund, opts) as Promise<this>;
  }
  /** The cards linked to the loan (`GET /loans/{id}/cards`). */
  getCards(): Promise<MambuCard[]> {
    return loanCards(this);
  }
  /** Links a card, by reference token (`POST /loans/{id}/cards`); returns it. */
  addCard(card: string | MambuCard, opts?: LoanCardOptions): Promise<MambuCard> {
    return linkLoanCard(this, card, false, opts);
  }
  /** Unlinks a card (`DELETE /loans/{id}/cards/{cardReferenceToken}`); returns it. */
  removeCard(card: string | MambuCard, opts?: LoanCardOptions): Promise<MambuCard> {
    return linkLoanCard(this, card, true, opts);
  }
  /** The card authorization holds on the loan (`GET /loans/{id}/authorizationholds`, page by page; await it for the array). */
  getAuthorizationHolds(opts?: LoanHoldListOptions): MambuList<MambuAuthorizationHold> {
    return loanAuthorizationHolds(this, opts);
  }
  /** A document rendered from one of the product's templates (`GET /loans/{id}/templates/{templateId}`): its text. */
  getDocument(templateId: string, opts?: LoanDocumentOptions): Promise<string> {
    return loanDocument(this, templateId, opts);
  }


  /** The loan product (also `loan.productType`). */
  getProductType() {
    return relate(this, "productType", "productTypeKey", () => MambuProduct);
  }
  /** The account this one was rescheduled/refinanced from (also `loan.originalAccount`). */
  getOriginalAccount() {
    return relate(this, "originalAccount", "originalAccountKey", () => MambuLoan);
  }
}
withAssignments(MambuLoan, { holder: true });
export interface MambuLoan
  extends LoanAccountStruct, Assigned, Held, MambuLoanCustomFields,
    Listable<Listing<QueryParameters["GET /loans"], typeof MambuLoan.spec, LoanAccountFilterCriteria, LoanAccountSortingCriteria>> {
  /** Set by getSchedule(). */
  schedule?: MambuInstallment[];
  /** Set when getTransactions() is awaited. */
  transactions?: MambuTransaction[];
  productType?: MambuProduct;
  originalAccount?: MambuLoan;
}
