/**
 * `mambu loan <verb> <loanId> [amount]`: the everyday servicing of a loan account — approve,
 * disburse, repay, reschedule, refinance, pay off, write off, apply a fee, show the schedule —
 * each a thin layer over `MambuLoan`'s method of the same job (see ./verbs.ts for what they share).
 */
import { MambuLoan } from "../entities/loan";
import type { LoanFeeOptions, RepayOptions } from "../entities/loan-operations";
import type { MambuTransaction } from "../entities/transaction";
import { currencyOf, Decimal } from "../core/money";
import { SCHEDULE_COLUMNS, wireOf } from "./columns";
import type { CommandContext } from "./commands";
import { EXIT, UsageError } from "./exit";
import { printPages } from "./output";
import { dateOf, field, money, Verb, verbCommand, VerbInput, VerbResult } from "./verbs";

type Bag = Record<string, unknown>;

async function load(v: VerbInput): Promise<MambuLoan> {
  return MambuLoan.get(v.id, { connector: v.session.connector });
}

/** `Loan 54321 is ACTIVE: principal balance 1205.00 MXN, interest balance 36.15 MXN`. */
export function loanLine(loan: MambuLoan): string {
  const c = currencyOf(loan);
  const parts = [`principal balance ${money(field(loan, "balances.principalBalance"), c)}`];
  for (const [k, name] of [["interestBalance", "interest"], ["feesBalance", "fees"], ["penaltyBalance", "penalty"]] as const) {
    const v = field(loan, `balances.${k}`);
    if (v !== undefined && !(Decimal.isDecimal(v) && (v as Decimal).isZero())) parts.push(`${name} balance ${money(v, c)}`);
  }
  return `Loan ${loan.id} is ${loan.accountState}${loan.accountSubState ? ` (${loan.accountSubState})` : ""}: ${parts.join(", ")}`;
}

/** `Transaction 12: REPAYMENT of 100.00 MXN, value date 2026-12-07T00:00:00-06:00`. */
function transactionLine(tx: MambuTransaction, currency: string | undefined): string {
  const when = dateOf(tx, "valueDate");
  return `Transaction ${tx.id}: ${tx.type} of ${money(field(tx, "amount"), currency)}${when ? `, value date ${when}` : ""}`;
}

function transactionResult(headline: string, loan: MambuLoan, tx: MambuTransaction): VerbResult {
  return { lines: [headline, transactionLine(tx, currencyOf(loan)), loanLine(loan)], json: { transaction: wireOf(tx), loan: wireOf(loan) } };
}

/**
 * `--notes` and `--date` as the ORM's options, with the fields of `--data` (checked against the
 * contract by the ORM before anything is sent).
 */
function options<T = Bag>(v: VerbInput): T {
  return { ...(v.data ?? {}), ...(v.notes !== undefined ? { notes: v.notes } : {}), ...(v.date !== undefined ? { valueDate: v.date } : {}) } as T;
}

async function stateChange(v: VerbInput, run: (loan: MambuLoan) => Promise<MambuLoan>, done: string): Promise<VerbResult> {
  const loan = await load(v);
  const before = loan.accountState;
  const after = await run(loan);
  return { lines: [`Loan ${after.id} ${done} (${before} → ${after.accountState}).`, loanLine(after)], json: { loan: wireOf(after) } };
}

/**
 * Prints a loan's repayment schedule (`mambu schedule <loanId>`, `mambu loan schedule <loanId>`):
 * a table of its installments, or their JSON.
 */
export async function printLoanSchedule(ctx: CommandContext, id: string): Promise<number> {
  const s = await ctx.session();
  const loan = await MambuLoan.get(id, { connector: s.connector });
  const installments = await loan.getSchedule();
  const pages = (async function* () {
    yield installments;
  })();
  await printPages(pages, { ...ctx.out, currency: currencyOf(loan) }, () => SCHEDULE_COLUMNS, "installments");
  return EXIT.OK;
}

async function restructure(v: VerbInput, kind: "reschedule" | "refinance"): Promise<VerbResult> {
  const loan = await load(v);
  const body = { ...(v.data ?? {}) } as Bag;
  if (v.amount !== undefined) body.topUpAmount = v.amount;
  const created = kind === "reschedule"
    ? await loan.reschedule(body as unknown as Parameters<MambuLoan["reschedule"]>[0])
    : await loan.refinance(body as unknown as Parameters<MambuLoan["refinance"]>[0]);
  const old = await load(v);
  const verb = kind === "reschedule" ? "rescheduled" : "refinanced";
  return {
    lines: [`Loan ${old.id} ${verb} into loan ${created.id}; loan ${old.id} is now ${old.accountState}${old.accountSubState ? ` (${old.accountSubState})` : ""}.`, loanLine(created)],
    json: { loan: wireOf(created), originalLoan: wireOf(old) },
  };
}

const VERBS: Verb[] = [
  {
    name: "approve",
    summary: "Approve a loan pending approval (MambuLoan.approve).",
    writes: "POST /loans/{id}:changeState",
    options: ["notes"],
    examples: ['mambu loan approve 54323 --notes "committee of 7 May"'],
    run: (v) => stateChange(v, (loan) => loan.approve(v.notes), "approved"),
  },
  {
    name: "disburse",
    summary: "Disburse an approved loan, all of it or an amount (MambuLoan.disburse).",
    amount: { name: "amount", required: false, help: "the amount disbursed (default: Mambu's, the loan amount)" },
    writes: "POST /loans/{id}/disbursement-transactions",
    options: ["notes", "date", "data"],
    ownFields: ["amount", "notes", "valueDate"],
    details: ["--date: the value date (default: the loan's expected disbursement date)", "--data: more DisbursementLoanTransactionInput fields (firstRepaymentDate, transactionDetails, fees, externalId, ...)"],
    examples: ["mambu loan disburse 54324", "mambu loan disburse 54324 --date 2026-12-07 --notes cash"],
    async run(v) {
      const loan = await load(v);
      const opts = { ...options(v), ...(v.amount !== undefined ? { amount: v.amount } : {}) };
      const tx = await loan.disburse(opts);
      return transactionResult(`Disbursed ${money(field(tx, "amount"), currencyOf(loan))} on loan ${loan.id}.`, loan, tx);
    },
  },
  {
    name: "repay",
    summary: "Repay an amount (MambuLoan.repay).",
    amount: { name: "amount", required: true, help: "the amount repaid, exact (e.g. 295.50)" },
    writes: "POST /loans/{id}/repayment-transactions",
    options: ["notes", "date", "data"],
    ownFields: ["amount", "notes", "valueDate"],
    details: ["--data: more RepaymentLoanTransactionInput fields (transactionDetails, externalId, customPaymentAmounts, ...)"],
    examples: ["mambu loan repay 54321 295", "mambu loan repay 54321 100.50 --date 2026-12-01 --notes 'branch CCAZ' --yes"],
    async run(v) {
      const loan = await load(v);
      const tx = await loan.repay(v.amount!, options<RepayOptions>(v));
      return transactionResult(`Repaid ${money(field(tx, "amount"), currencyOf(loan))} on loan ${loan.id}.`, loan, tx);
    },
  },
  {
    name: "reschedule",
    summary: "Reschedule into a new loan with new terms given in --data (MambuLoan.reschedule).",
    writes: "POST /loans/{id}:reschedule",
    options: ["data"],
    dataRequired: true,
    details: [
      "--data: the RescheduleLoanAccountAction body: {\"loanAccount\": {...new terms}, \"writeOffAmounts\": {...}};",
      "loanAccount.productTypeKey defaults to the loan's product.",
    ],
    examples: ["mambu loan reschedule 54322 --data '{\"loanAccount\":{\"disbursementDetails\":{\"firstRepaymentDate\":\"2027-01-15\"},\"scheduleSettings\":{\"repaymentInstallments\":18}}}'"],
    run: (v) => restructure(v, "reschedule"),
  },
  {
    name: "refinance",
    summary: "Refinance into a new loan, with a top-up amount, new terms in --data (MambuLoan.refinance).",
    amount: { name: "topUpAmount", required: false, help: "the money added to the balance carried over (or \"topUpAmount\" in --data)" },
    writes: "POST /loans/{id}:refinance",
    options: ["data"],
    dataRequired: true,
    details: ["--data: the RefinanceLoanAccountAction body: {\"loanAccount\": {...new terms}, \"writeOffAmounts\": {...}}."],
    examples: ["mambu loan refinance 54322 2000 --data '{\"loanAccount\":{\"disbursementDetails\":{\"firstRepaymentDate\":\"2027-01-15\"}}}'"],
    check(v) {
      if (v.amount !== undefined && v.data && Object.prototype.hasOwnProperty.call(v.data, "topUpAmount")) {
        throw new UsageError("give the top-up amount once: as the amount argument or as \"topUpAmount\" in --data", "loan");
      }
    },
    run: (v) => restructure(v, "refinance"),
  },
  {
    name: "payoff",
    summary: "Pay the loan off: everything due, then closed (MambuLoan.payOff).",
    writes: "POST /loans/{id}:payOff",
    options: ["notes", "data"],
    ownFields: ["notes"],
    details: ["--data: more LoanAccountPayOffInput fields (payOffAdjustableAmounts, transactionDetails, externalId)"],
    examples: ["mambu loan payoff 54321 --notes 'paid in full'"],
    run: (v) => stateChange(v, (loan) => loan.payOff(options(v)), "paid off"),
  },
  {
    name: "writeoff",
    summary: "Write the loan off (MambuLoan.writeOff).",
    writes: "POST /loans/{id}:writeOff",
    options: ["notes"],
    examples: ["mambu loan writeoff 54322 --notes uncollectable"],
    run: (v) => stateChange(v, (loan) => loan.writeOff(v.notes), "written off"),
  },
  {
    name: "fee",
    summary: "Apply a fee: an amount, or a predefined fee in --data (MambuLoan.applyFee).",
    amount: { name: "amount", required: false, help: "the fee's amount (omit it for a predefined fee with its own amount)" },
    writes: "POST /loans/{id}/fee-transactions",
    options: ["notes", "date", "data"],
    ownFields: ["amount", "notes", "valueDate"],
    details: ["--data: more FeeLoanTransactionInput fields (predefinedFeeKey, installmentNumber, externalId)"],
    examples: ["mambu loan fee 54321 25 --notes 'late visit'", "mambu loan fee 54321 --data '{\"predefinedFeeKey\":\"8a...\"}'"],
    check(v) {
      if (v.amount === undefined && !(v.data && typeof v.data.predefinedFeeKey === "string")) {
        throw new UsageError("loan fee needs the amount, or a predefined fee: --data '{\"predefinedFeeKey\":\"...\"}'", "loan");
      }
    },
    async run(v) {
      const loan = await load(v);
      const tx = await loan.applyFee(v.amount, options<LoanFeeOptions>(v));
      return transactionResult(`Applied a fee of ${money(field(tx, "amount"), currencyOf(loan))} on loan ${loan.id}.`, loan, tx);
    },
  },
  {
    name: "schedule",
    summary: "Show the repayment schedule (MambuLoan.getSchedule; the same as mambu schedule).",
    options: [],
    examples: ["mambu loan schedule 54321", "mambu loan schedule 54321 --json"],
    print: (v) => printLoanSchedule(v.ctx, v.id),
  },
];

/** `mambu loan`. */
export const loanCommand = verbCommand({
  name: "loan",
  idArg: "<loanId>",
  summary: "Service a loan: approve, disburse, repay, reschedule, refinance, payoff, writeoff, fee, schedule.",
  verbs: VERBS,
  examples: [
    "mambu loan approve 54323",
    "mambu loan disburse 54324 --date 2026-12-07",
    "mambu loan repay 54321 295.50 --notes 'installment 5'",
    "mambu loan repay 54321 100 --yes --json          # in a script: no question, JSON out",
    "echo '{\"externalId\":\"R-1\"}' | mambu loan repay 54321 100 --data @- --yes",
    "mambu loan repay --help",
  ],
});
