/**
 * Replay checkpoints: the state a loan's last replay ended in, with everything that state was computed from (the
 * plan's installments, the replay options, and the fields the ledger reads of each transaction, in order). A
 * later replay whose transactions start with exactly those (same keys, types, amounts, value dates, installments,
 * fees, in the same order) over the same plan and options continues from that state instead of from the
 * disbursement — a repayment replays one transaction, not the loan's whole history. Anything else (a backdated
 * transaction sorting earlier, an adjustment taking one out, a changed plan, fee or option) does not match, and
 * the replay starts from scratch: the match is on the replay's inputs, so its result is the same either way.
 *
 * Bounded: at most {@link MAX_REPLAY_CHECKPOINTS} checkpoints (one per plan, the least recently used dropped).
 */
import { WireRecord } from "../types";
import type { LedgerOptions } from "./loan-ledger";
import type { StoredSchedule } from "./loan-schedule";

/** Most checkpoints kept (one per loan plan; each holds the loan's replayed installments and effects). */
export const MAX_REPLAY_CHECKPOINTS = 1000;

/** What the ledger reads of a transaction. */
interface TxInputs {
  encodedKey: unknown;
  type: unknown;
  amount: unknown;
  valueDate: unknown;
  installmentEncodedKey: unknown;
  /** JSON of `fees` (a disbursement's), when it has an array of them. */
  fees: string | undefined;
}

interface Checkpoint {
  /** The plan's replay origin (planned amounts) it started from: a new one when an amount changed. */
  origin: object;
  /** encodedKey, number and due date of each planned installment. */
  installments: string[];
  currency: string;
  options: string;
  txs: TxInputs[];
  state: unknown;
}

const checkpoints = new Map<StoredSchedule, Checkpoint>();

function feesOf(tx: WireRecord): string | undefined {
  return Array.isArray(tx.fees) ? JSON.stringify(tx.fees) : undefined;
}

function inputsOf(tx: WireRecord): TxInputs {
  return { encodedKey: tx.encodedKey, type: tx.type, amount: tx.amount, valueDate: tx.valueDate, installmentEncodedKey: tx.installmentEncodedKey, fees: feesOf(tx) };
}

function sameInputs(a: TxInputs, tx: WireRecord): boolean {
  return (
    a.encodedKey === tx.encodedKey &&
    a.type === tx.type &&
    a.amount === tx.amount &&
    a.valueDate === tx.valueDate &&
    a.installmentEncodedKey === tx.installmentEncodedKey &&
    a.fees === feesOf(tx)
  );
}

function installmentsOf(plan: StoredSchedule): string[] {
  return plan.installments.map((i) => `${i.encodedKey}\u0000${i.number}\u0000${i.dueDate}`);
}

function optionsOf(opts: LedgerOptions): string {
  return `${opts.order.join(",")}\u0000${opts.method}\u0000${opts.interestApplicationMethod}\u0000${opts.offset}`;
}

/**
 * The state saved after the longest replay of `plan` whose transactions are the first ones of `txs` (same inputs,
 * same order), with how many of `txs` it covers; undefined when there is none.
 */
export function findCheckpoint(plan: StoredSchedule, origin: object, txs: WireRecord[], opts: LedgerOptions): { state: unknown; replayed: number } | undefined {
  const cp = checkpoints.get(plan);
  if (!cp || cp.origin !== origin || cp.txs.length > txs.length || cp.currency !== plan.currency || cp.options !== optionsOf(opts)) return undefined;
  const now = installmentsOf(plan);
  if (now.length !== cp.installments.length || now.some((s, n) => s !== cp.installments[n])) return undefined;
  for (let n = 0; n < cp.txs.length; n++) if (!sameInputs(cp.txs[n], txs[n])) return undefined;
  checkpoints.delete(plan); // most recently used last
  checkpoints.set(plan, cp);
  return { state: cp.state, replayed: cp.txs.length };
}

/** Saves the state a replay of `txs` over `plan` ended in (the caller's copy: it must not change afterwards). */
export function saveCheckpoint(plan: StoredSchedule, origin: object, txs: WireRecord[], opts: LedgerOptions, state: unknown): void {
  checkpoints.delete(plan);
  checkpoints.set(plan, { origin, installments: installmentsOf(plan), currency: plan.currency, options: optionsOf(opts), txs: txs.map(inputsOf), state });
  if (checkpoints.size > MAX_REPLAY_CHECKPOINTS) {
    const oldest = checkpoints.keys().next().value;
    if (oldest !== undefined) checkpoints.delete(oldest);
  }
}
