/**
 * `mambu deposit <verb> <depositId> [amount]`: the everyday servicing of a deposit account —
 * deposit, withdraw, transfer, block and unblock funds — each a thin layer over `MambuDeposit`'s
 * method of the same job (see ./verbs.ts for what they share).
 */
import { currencyOf } from "../core/money";
import type { MambuBlockFund } from "../entities/block-fund";
import { MambuDeposit } from "../entities/deposit";
import type { DepositOptions, TransferOptions, WithdrawalOptions } from "../entities/deposit-operations";
import type { MambuDepositTransaction } from "../entities/deposit-transaction";
import { wireOf } from "./columns";
import { UsageError } from "./exit";
import { dateOf, field, money, Verb, verbCommand, VerbInput, VerbResult } from "./verbs";

async function load(v: VerbInput): Promise<MambuDeposit> {
  return MambuDeposit.get(v.id, { connector: v.session.connector });
}

/** `Deposit DEP001 is ACTIVE: balance 5800.00 MXN, available 5550.00 MXN, blocked 250.00 MXN`. */
export function depositLine(d: MambuDeposit): string {
  const c = currencyOf(d);
  const parts = [`balance ${money(field(d, "balances.totalBalance"), c)}`, `available ${money(field(d, "balances.availableBalance"), c)}`];
  const blocked = field(d, "balances.blockedBalance");
  if (blocked !== undefined && blocked !== null) parts.push(`blocked ${money(blocked, c)}`);
  return `Deposit ${d.id} is ${d.accountState}: ${parts.join(", ")}`;
}

function transactionLine(tx: MambuDepositTransaction, currency: string | undefined): string {
  const when = dateOf(tx, "valueDate");
  return `Transaction ${tx.id}: ${tx.type} of ${money(field(tx, "amount"), currency)}${when ? `, value date ${when}` : ""}`;
}

function transactionResult(headline: string, d: MambuDeposit, tx: MambuDepositTransaction): VerbResult {
  return { lines: [headline, transactionLine(tx, currencyOf(d)), depositLine(d)], json: { transaction: wireOf(tx), deposit: wireOf(d) } };
}

/**
 * `--notes` and `--date` as the ORM's options, with the fields of `--data` (checked against the
 * contract by the ORM before anything is sent).
 */
function options<T>(v: VerbInput, extra: Record<string, unknown> = {}): T {
  return {
    ...(v.data ?? {}),
    ...(v.notes !== undefined ? { notes: v.notes } : {}),
    ...(v.date !== undefined ? { valueDate: v.date } : {}),
    ...extra,
  } as T;
}

const TX_FIELDS = ["amount", "notes", "valueDate"];

const VERBS: Verb[] = [
  {
    name: "deposit",
    summary: "Deposit an amount into the account (MambuDeposit.deposit).",
    amount: { name: "amount", required: true, help: "the amount deposited, exact (e.g. 250.75)" },
    writes: "POST /deposits/{id}/deposit-transactions",
    options: ["notes", "date", "data"],
    ownFields: TX_FIELDS,
    details: ["--data: more DepositTransactionInput fields (transactionDetails, externalId, paymentOrderId, ...)"],
    examples: ["mambu deposit deposit DEP001 250.75 --notes 'cash at CCAZ'"],
    async run(v) {
      const d = await load(v);
      const tx = await d.deposit(v.amount!, options<DepositOptions>(v));
      return transactionResult(`Deposited ${money(v.amount, currencyOf(d))} into deposit ${d.id}.`, d, tx);
    },
  },
  {
    name: "withdraw",
    summary: "Withdraw an amount from the account (MambuDeposit.withdrawal).",
    amount: { name: "amount", required: true, help: "the amount withdrawn, exact" },
    writes: "POST /deposits/{id}/withdrawal-transactions",
    options: ["notes", "date", "data"],
    ownFields: TX_FIELDS,
    details: ["--data: more WithdrawalDepositTransactionInput fields (transactionDetails, externalId, ...)"],
    examples: ["mambu deposit withdraw DEP001 100 --yes"],
    async run(v) {
      const d = await load(v);
      const tx = await d.withdrawal(v.amount!, options<WithdrawalOptions>(v));
      return transactionResult(`Withdrew ${money(v.amount, currencyOf(d))} from deposit ${d.id}.`, d, tx);
    },
  },
  {
    name: "transfer",
    summary: "Transfer an amount to another deposit (--to) or to a loan as a repayment (--to-loan) (MambuDeposit.transfer).",
    amount: { name: "amount", required: true, help: "the amount transferred, exact" },
    writes: "POST /deposits/{id}/transfer-transactions",
    options: ["to", "to-loan", "notes", "date", "data"],
    ownFields: [...TX_FIELDS, "transferDetails"],
    details: ["Give exactly one of --to DEPOSIT_ID and --to-loan LOAN_ID."],
    examples: ["mambu deposit transfer DEP001 500 --to DEP002", "mambu deposit transfer DEP001 295 --to-loan 54321 --notes 'installment 5'"],
    check(v) {
      if ((v.option("to") === undefined) === (v.option("to-loan") === undefined)) {
        throw new UsageError("deposit transfer needs exactly one destination: --to DEPOSIT_ID or --to-loan LOAN_ID", "deposit");
      }
    },
    async run(v) {
      const d = await load(v);
      const to = v.option("to");
      const dest = to !== undefined ? { toDeposit: to } : { toLoan: v.option("to-loan")! };
      const tx = await d.transfer(v.amount!, options<TransferOptions>(v, dest));
      const where = to !== undefined ? `deposit ${to}` : `loan ${v.option("to-loan")}`;
      return transactionResult(`Transferred ${money(v.amount, currencyOf(d))} from deposit ${d.id} to ${where}.`, d, tx);
    },
  },
  {
    name: "block",
    summary: "Block an amount under a reference: available balance drops until unblocked (MambuDeposit.blockFunds).",
    amount: { name: "amount", required: true, help: "the amount blocked, exact" },
    writes: "POST /deposits/{id}/blocks",
    options: ["ref", "notes"],
    requires: ["ref"],
    examples: ["mambu deposit block DEP001 250 --ref HOLD-2026-001 --notes 'court order'"],
    async run(v) {
      const d = await load(v);
      const ref = v.option("ref")!;
      const block: MambuBlockFund = await d.blockFunds(ref, v.amount!, v.notes !== undefined ? { notes: v.notes } : undefined);
      const c = currencyOf(d);
      return {
        lines: [`Blocked ${money(field(block, "amount"), c)} on deposit ${d.id} under reference ${ref} (${block.state ?? "PENDING"}).`, depositLine(d)],
        json: { block: wireOf(block), deposit: wireOf(d) },
      };
    },
  },
  {
    name: "unblock",
    summary: "Remove the block of a reference: its amount is available again (MambuDeposit.unblockFunds).",
    writes: "DELETE /deposits/{id}/blocks/{ref}",
    options: ["ref"],
    requires: ["ref"],
    examples: ["mambu deposit unblock DEP001 --ref HOLD-2026-001"],
    async run(v) {
      const d = await load(v);
      const ref = v.option("ref")!;
      await d.unblockFunds(ref);
      return { lines: [`Unblocked reference ${ref} on deposit ${d.id}.`, depositLine(d)], json: { deposit: wireOf(d) } };
    },
  },
];

/** `mambu deposit`. */
export const depositCommand = verbCommand({
  name: "deposit",
  idArg: "<depositId>",
  summary: "Service a deposit account: deposit, withdraw, transfer, block, unblock.",
  verbs: VERBS,
  examples: [
    "mambu deposit deposit DEP001 250.75",
    "mambu deposit withdraw DEP001 100 --notes ATM",
    "mambu deposit transfer DEP001 500 --to DEP002 --yes --json",
    "mambu deposit block DEP001 250 --ref HOLD-1 && mambu deposit unblock DEP001 --ref HOLD-1",
  ],
});
