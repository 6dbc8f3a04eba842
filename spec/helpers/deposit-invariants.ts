/**
 * The money invariants of a sandbox deposit account, checked over HTTP (what a client sees):
 * - the net position (`totalBalance − overdraftAmount`) is the sum of the account's transaction amounts;
 * - `availableBalance = totalBalance − holdBalance − blockedBalance`;
 * - `blockedBalance` is the sum of the remaining amounts (`amount − seizedAmount`) of the blocks still blocking
 *   (PENDING or PARTIALLY_SEIZED).
 * Amounts are compared exactly with decimal.js.
 */
import Decimal from "decimal.js";
import type { Sandbox } from "../../lib/sandbox";
import { call } from "../e2e/sandbox-helpers";

/** What {@link checkDepositInvariants} read, for further assertions. */
export interface DepositSnapshot {
  account: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  transactions: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  blocks: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const d = (v: unknown): Decimal => new Decimal(v === undefined || v === null ? 0 : (v as Decimal.Value));

async function get(sb: Sandbox, path: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await call(sb, "GET", path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return r.body;
}

/** Fetches a deposit, its transactions and its blocks, and asserts the invariants; returns what it read. */
export async function checkDepositInvariants(sb: Sandbox, depositId: string): Promise<DepositSnapshot> {
  const account = await get(sb, `/deposits/${encodeURIComponent(depositId)}`);
  const transactions: DepositSnapshot["transactions"] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await get(sb, `/deposits/${encodeURIComponent(depositId)}/transactions?offset=${offset}&limit=1000`);
    transactions.push(...page);
    if (page.length < 1000) break;
  }
  const blocks = await get(sb, `/deposits/${encodeURIComponent(depositId)}/blocks`);
  const b = account.balances ?? {};
  const net = d(b.totalBalance).minus(d(b.overdraftAmount));
  const sum = transactions.reduce<Decimal>((acc, t) => acc.plus(d(t.amount)), new Decimal(0));
  const available = d(b.totalBalance).minus(d(b.holdBalance)).minus(d(b.blockedBalance));
  const blocked = blocks
    .filter((x: { state?: string }) => x.state === "PENDING" || x.state === "PARTIALLY_SEIZED")
    .reduce((acc: Decimal, x: { amount?: number; seizedAmount?: number }) => acc.plus(d(x.amount).minus(d(x.seizedAmount))), new Decimal(0));
  const problems: string[] = [];
  if (!net.equals(sum)) problems.push(`net balance ${net.toString()} ≠ sum of transactions ${sum.toString()}`);
  if (!d(b.availableBalance).equals(available)) problems.push(`availableBalance ${String(b.availableBalance)} ≠ total − hold − blocked = ${available.toString()}`);
  if (!d(b.blockedBalance).equals(blocked)) problems.push(`blockedBalance ${String(b.blockedBalance)} ≠ open blocks' remaining ${blocked.toString()}`);
  expect({ depositId, problems }).toEqual({ depositId, problems: [] });
  return { account, transactions, blocks };
}
