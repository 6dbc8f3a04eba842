/**
 * Loan servicing behind `MambuLoan`'s methods: restructuring (`:reschedule`, `:refinance` and
 * their undo), termination, pay-off preview, changes of rate, repayment value, periodic payment,
 * arrears and due-date settings, interest application and the undo of a write-off. Each one is the
 * contract's operation of the same name, performed by {@link accountOperation} (body built and
 * checked against its definition before any request, the loan re-read afterwards unless
 * `reread: false`).
 */
import type DecimalJs from "decimal.js";
import type { ActionOptions } from "../core/actions";
import { accountOperation, expectRecord } from "../core/account-operation";
import { checkOptionKeys, connectorOf, EntityClass } from "../core/entity";
import { Decimal } from "../core/money";
import { operationInput } from "../core/operations";
import type { Amount, DateInput, Input } from "../core/operations";
import { MambuValueObject, structFromWire } from "../core/struct";
import { MambuError, MambuTsError } from "../errors";
import type {
  ApplyInterestInput, ChangeArrearsSettingsInput, ChangeDueDatesSettingsInput, ChangeInterestRateLoanAccountInput,
  ChangeRepaymentValueLoanAccountInput, PreviewLoanAccountSchedule, PreviewPayOffDueAmountsInAFutureDateWrapperStruct, RefinanceLoanAccount, RefinanceLoanAccountAction,
  RescheduleLoanAccount, RescheduleLoanAccountAction,
} from "../generated/types/loans";
import type { MambuConnector } from "../transport";
import { MambuInstallment } from "./installment";
import type { MambuLoan } from "./loan";

type Bag = Record<string, unknown>;

/**
 * Options of `loan.reschedule()` (`RescheduleLoanAccountAction`): the new account's terms
 * (`loanAccount`: `disbursementDetails`, `scheduleSettings`, `interestSettings`, ...; its
 * `productTypeKey` defaults to this loan's product) and the amounts to write off.
 */
export type RescheduleOptions = Omit<Input<RescheduleLoanAccountAction>, "loanAccount"> & {
  loanAccount: Input<RescheduleLoanAccount>;
} & ActionOptions;
/**
 * Options of `loan.refinance()` (`RefinanceLoanAccountAction`): the new account's terms
 * (`loanAccount`, its `productTypeKey` defaulting to this loan's product), the `topUpAmount` added to
 * the balance carried over, and the amounts to write off.
 */
export type RefinanceOptions = Omit<Input<RefinanceLoanAccountAction>, "loanAccount" | "topUpAmount"> & {
  loanAccount: Input<RefinanceLoanAccount>;
  topUpAmount: Amount;
} & ActionOptions;
/** Options of `loan.terminate()` (`TerminateLoanAccountInput`). */
export type LoanTerminateOptions = { valueDate: DateInput; notes?: string } & ActionOptions;
/** Options of `loan.previewPayOffAmounts()`: the date of the pay-off (default: now). */
export type PayOffPreviewOptions = { valueDate?: DateInput };
/** Options of `loan.changeInterestRate(rate, ...)` (`ChangeInterestRateLoanAccountInput` besides the rate). */
export type LoanInterestRateOptions = Omit<Input<ChangeInterestRateLoanAccountInput>, "interestRate"> & { valueDate: DateInput } & ActionOptions;
/** Options of `loan.changeRepaymentValue()` (`ChangeRepaymentValueLoanAccountInput`): `amount` or `percentage`. */
export type ChangeRepaymentValueOptions = Input<ChangeRepaymentValueLoanAccountInput> & { valueDate: DateInput } & ActionOptions;
/** Options of `loan.changePeriodicPayment(amount, ...)`. */
export type ChangePeriodicPaymentOptions = { valueDate: DateInput; notes?: string } & ActionOptions;
/** Options of `loan.changeArrearsSettings()` (`ChangeArrearsSettingsInput`). */
export type ChangeArrearsSettingsOptions = Input<ChangeArrearsSettingsInput> & { arrearsTolerancePeriod: number; entryDate: DateInput } & ActionOptions;
/** Options of `loan.changeDueDatesSettings()` (`ChangeDueDatesSettingsInput`). */
export type ChangeDueDatesSettingsOptions = Input<ChangeDueDatesSettingsInput> & { fixedDaysOfMonth: number[] } & ActionOptions;
/** Options of `loan.applyInterest()` (`ApplyInterestInput`). */
export type LoanInterestOptions = Input<ApplyInterestInput> & { interestApplicationDate: DateInput } & ActionOptions;

/**
 * What a pay-off would post at a date (`PreviewPayOffDueAmountsInAFutureDateWrapper`): the
 * `principalBalance`, `interestBalance`, `feeBalance`, `penaltyBalance` and `totalBalance` as Decimals,
 * also as `principal`, `interest`, `fee`, `penalty` and `total` (an amount Mambu leaves out is 0).
 */
export class MambuPayOffAmounts extends MambuValueObject {
  static override resource = "loans";
  static override definition = "PreviewPayOffDueAmountsInAFutureDateWrapper";
  /** `principalBalance` (0 when absent). */
  get principal(): DecimalJs {
    return this.principalBalance ?? new Decimal(0);
  }
  /** `interestBalance` (0 when absent). */
  get interest(): DecimalJs {
    return this.interestBalance ?? new Decimal(0);
  }
  /** `feeBalance` (0 when absent). */
  get fee(): DecimalJs {
    return this.feeBalance ?? new Decimal(0);
  }
  /** `penaltyBalance` (0 when absent). */
  get penalty(): DecimalJs {
    return this.penaltyBalance ?? new Decimal(0);
  }
  /** `totalBalance` (0 when absent). */
  get total(): DecimalJs {
    return this.totalBalance ?? new Decimal(0);
  }
}
export interface MambuPayOffAmounts extends PreviewPayOffDueAmountsInAFutureDateWrapperStruct {}

/** A loan action whose body is `{ notes }` (`LoanActionDetails`); returns the re-read loan. */
async function notesAction(loan: MambuLoan, operationId: string, label: string, notes: string | undefined, opts: ActionOptions | undefined): Promise<MambuLoan> {
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  return accountOperation(loan, "loans", operationId, input, action, { returns: "account", label });
}

/** A loan action with options only; returns the re-read loan. */
async function optionsAction(loan: MambuLoan, operationId: string, label: string, opts: object | undefined, positional: Bag = {}): Promise<MambuLoan> {
  const [input, action] = operationInput(label, opts as Bag | undefined, positional);
  return accountOperation(loan, "loans", operationId, input, action, { returns: "account", label });
}

/**
 * `:reschedule` / `:refinance`: posts the new account's terms (its product defaulting to this
 * loan's), builds the new loan Mambu answers with, re-reads this one (now closed) unless
 * `reread: false`, and returns the new loan.
 */
async function restructure(loan: MambuLoan, operationId: "reschedule" | "refinance", opts: RescheduleOptions | RefinanceOptions): Promise<MambuLoan> {
  const label = `MambuLoan.${operationId}`;
  if (opts === undefined || opts === null || typeof opts !== "object") throw new MambuTsError(`${label}: give the new account's terms as { loanAccount: {...} }`);
  const [input, action] = operationInput(label, opts as unknown as Bag);
  const terms = input.loanAccount;
  if (terms === undefined || terms === null || typeof terms !== "object" || Array.isArray(terms)) {
    throw new MambuTsError(`${label}: loanAccount (the new account's terms) must be an object`);
  }
  if ((terms as Bag).productTypeKey === undefined && loan.productTypeKey !== undefined) {
    input.loanAccount = { ...(terms as Bag), productTypeKey: loan.productTypeKey };
  }
  const answer = await accountOperation(loan, "loans", operationId, input, action, { returns: "answer", label });
  const cls = loan.constructor as EntityClass<MambuLoan>;
  return cls.fromWire(expectRecord(answer, "the new loan account", label), connectorOf(loan), { detailsLevel: "FULL" });
}

/** `loan.reschedule(opts)`: `POST /loans/{id}:reschedule`; the new loan. */
export async function rescheduleLoan(loan: MambuLoan, opts: RescheduleOptions): Promise<MambuLoan> {
  return restructure(loan, "reschedule", opts);
}

/** `loan.refinance(opts)`: `POST /loans/{id}:refinance`; the new loan. */
export async function refinanceLoan(loan: MambuLoan, opts: RefinanceOptions): Promise<MambuLoan> {
  return restructure(loan, "refinance", opts);
}

/**
 * `:undoReschedule` / `:undoRefinance`, asked of the original loan (closed RESCHEDULED / REFINANCED)
 * or of the new one (which has its `originalAccountKey`, and which the undo removes). Returns the
 * original loan, restored: this loan re-read, or, asked of the new loan, the original read afresh.
 * With `reread: false`, this loan as it was.
 */
async function undoRestructure(loan: MambuLoan, operationId: "undoReschedule" | "undoRefinance", notes: string | undefined, opts: ActionOptions | undefined): Promise<MambuLoan> {
  const label = `MambuLoan.${operationId}`;
  const [input, action] = operationInput(label, opts as Bag | undefined, { notes });
  const closedByIt = loan.accountSubState === "RESCHEDULED" || loan.accountSubState === "REFINANCED";
  const originalKey = closedByIt ? undefined : loan.originalAccountKey;
  if (originalKey === undefined || action.reread === false) return accountOperation(loan, "loans", operationId, input, action, { returns: "account", label });
  await accountOperation(loan, "loans", operationId, input, { ...action, reread: false }, { returns: "answer", label });
  const cls = loan.constructor as EntityClass<MambuLoan>;
  return cls.get(originalKey, { connector: connectorOf(loan) });
}

/** `loan.undoReschedule(notes)`: `POST /loans/{id}:undoReschedule`; the original loan, restored. */
export async function undoRescheduleLoan(loan: MambuLoan, notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
  return undoRestructure(loan, "undoReschedule", notes, opts);
}

/** `loan.undoRefinance(notes)`: `POST /loans/{id}:undoRefinance`; the original loan, restored. */
export async function undoRefinanceLoan(loan: MambuLoan, notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
  return undoRestructure(loan, "undoRefinance", notes, opts);
}

/** `loan.undoWriteOff(notes)`: `POST /loans/{id}:undoWriteOff`. */
export async function undoWriteOffLoan(loan: MambuLoan, notes?: string, opts?: ActionOptions): Promise<MambuLoan> {
  return notesAction(loan, "undoWriteOff", "MambuLoan.undoWriteOff", notes, opts);
}

/** `loan.terminate(opts)`: `POST /loans/{id}:terminate`. */
export async function terminateLoan(loan: MambuLoan, opts: LoanTerminateOptions): Promise<MambuLoan> {
  return optionsAction(loan, "terminateLoanAccount", "MambuLoan.terminate", opts);
}

/** `loan.previewPayOffAmounts(opts)`: `POST /loans/{id}:previewPayOffAmounts`; nothing is posted. */
export async function previewLoanPayOff(loan: MambuLoan, opts?: PayOffPreviewOptions): Promise<MambuPayOffAmounts> {
  const label = "MambuLoan.previewPayOffAmounts";
  checkOptionKeys(label, opts, ["valueDate"]);
  const [input] = operationInput(label, opts as Bag | undefined);
  if (input.valueDate === undefined) input.valueDate = new Date();
  const answer = await accountOperation(loan, "loans", "previewPayOffAmounts", input, { reread: false }, { returns: "answer", label });
  return structFromWire<MambuPayOffAmounts>(MambuPayOffAmounts, expectRecord(answer, "the pay-off amounts", label), loan);
}

/** `loan.changeInterestRate(rate, opts)`: `POST /loans/{id}:changeInterestRate`. */
export async function changeLoanInterestRate(loan: MambuLoan, interestRate: Amount | undefined, opts: LoanInterestRateOptions): Promise<MambuLoan> {
  return optionsAction(loan, "changeInterestRate", "MambuLoan.changeInterestRate", opts, { interestRate });
}

/** `loan.changeRepaymentValue(opts)`: `POST /loans/{id}:changeRepaymentValue` (an `amount` or a `percentage`). */
export async function changeLoanRepaymentValue(loan: MambuLoan, opts: ChangeRepaymentValueOptions): Promise<MambuLoan> {
  const label = "MambuLoan.changeRepaymentValue";
  const given = (opts ?? {}) as unknown as Bag;
  if ((given.amount === undefined) === (given.percentage === undefined)) {
    throw new MambuTsError(`${label}: give the new repayment as amount or as percentage (one of them)`);
  }
  return optionsAction(loan, "changeRepaymentValue", label, opts);
}

/** `loan.changePeriodicPayment(periodicPayment, opts)`: `POST /loans/{id}:changePeriodicPayment`. */
export async function changeLoanPeriodicPayment(loan: MambuLoan, periodicPayment: Amount, opts: ChangePeriodicPaymentOptions): Promise<MambuLoan> {
  return optionsAction(loan, "changePeriodicPayment", "MambuLoan.changePeriodicPayment", opts, { periodicPayment });
}

/** `loan.changeArrearsSettings(opts)`: `POST /loans/{id}:changeArrearsSettings`. */
export async function changeLoanArrearsSettings(loan: MambuLoan, opts: ChangeArrearsSettingsOptions): Promise<MambuLoan> {
  return optionsAction(loan, "changeArrearsSettings", "MambuLoan.changeArrearsSettings", opts);
}

/** `loan.changeDueDatesSettings(opts)`: `POST /loans/{id}:changeDueDatesSettings`. */
export async function changeLoanDueDatesSettings(loan: MambuLoan, opts: ChangeDueDatesSettingsOptions): Promise<MambuLoan> {
  return optionsAction(loan, "changeDueDatesSettings", "MambuLoan.changeDueDatesSettings", opts);
}

/** `loan.applyInterest(opts)`: `POST /loans/{id}:applyInterest`. */
export async function applyLoanInterest(loan: MambuLoan, opts: LoanInterestOptions): Promise<MambuLoan> {
  return optionsAction(loan, "applyInterest", "MambuLoan.applyInterest", opts);
}

/** Terms of `MambuLoan.previewSchedule()` (`PreviewLoanAccountSchedule`): at least `productTypeKey` and `loanAmount`. */
export type SchedulePreviewTerms = Input<PreviewLoanAccountSchedule> & { productTypeKey: string; loanAmount: Amount };

/**
 * `MambuLoan.previewSchedule(terms)`: `POST /loans:previewSchedule`, the installments a loan of these
 * terms would have; no account is created.
 */
export async function previewLoanSchedule(
  cls: EntityClass<MambuLoan>, terms: SchedulePreviewTerms, opts?: { connector?: MambuConnector },
): Promise<MambuInstallment[]> {
  const label = "MambuLoan.previewSchedule";
  checkOptionKeys(label, opts, ["connector"]);
  if (terms === undefined || terms === null || typeof terms !== "object" || Array.isArray(terms)) {
    throw new MambuTsError(`${label}: give the loan's terms ({ productTypeKey, loanAmount, ... })`);
  }
  const owner = cls.fromWire({}, connectorOf(undefined, opts?.connector));
  const answer = await accountOperation(owner, "loans", "getPreviewLoanAccountSchedule", terms, { reread: false }, { returns: "answer", label, ids: [] });
  const rows = (answer as { installments?: unknown } | undefined)?.installments;
  if (!Array.isArray(rows)) throw new MambuError(`malformed response from Mambu to ${label}: no installments list`);
  return rows.map((raw) => structFromWire<MambuInstallment>(MambuInstallment, expectRecord(raw, "an installment", label), owner));
}
