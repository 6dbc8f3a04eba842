/**
 * Fund blocks on deposit accounts (`/deposits/{depositAccountId}/blocks`, `BlockFund`): an amount reserved, e.g.
 * for a court order, that the client can no longer withdraw and that can later be seized
 * (see ./deposit-seizure.ts) or removed.
 *
 * - A block may be larger than the account's available balance (Mambu: "You can block any amount, even larger
 *   than the available balance"); it raises `balances.blockedBalance` by its amount and lowers
 *   `availableBalance` (which may go below zero); withdrawals beyond the available balance are refused
 *   (checkFunds counts blocked money).
 * - States: PENDING → PARTIALLY_SEIZED (part seized, the rest still blocked) → SEIZED (all seized); PENDING or
 *   PARTIALLY_SEIZED → REMOVED (unblocked: the remaining amount is released).
 * - `externalReferenceId` names the block within its account: a second block with the same one is refused with
 *   `DUPLICATE_BLOCK_ID` (even when the first was removed or seized).
 *
 * Blocks are stored in the `blockfunds` collection in `BlockFund` wire shape plus an internal `encodedKey`, which
 * is not served.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { DEBIT_STATES, depositCurrency, requireDeposit } from "./deposit-common";
import { adjustBlockedBalance } from "./deposit-holds-balance";
import { D, Dec, ZERO, dec, max, num, round } from "./money";

/** Block states whose remaining amount is still blocked. */
export const OPEN_BLOCK_STATES = new Set(["PENDING", "PARTIALLY_SEIZED"]);

/** The blocks of a deposit account, oldest first. */
export function blocksOf(ctx: EngineContext, dep: WireRecord): WireRecord[] {
  return ctx.store.all("blockfunds").filter((b) => b.accountKey === dep.encodedKey);
}

/** A block of the account by its externalReferenceId, or undefined. */
export function findBlock(ctx: EngineContext, dep: WireRecord, externalReferenceId: string): WireRecord | undefined {
  return blocksOf(ctx, dep).find((b) => b.externalReferenceId === externalReferenceId);
}

/** The amount of a block still blocked: amount − seizedAmount for an open block, else 0. */
export function remainingOf(block: WireRecord): Dec {
  if (!OPEN_BLOCK_STATES.has(String(block.state))) return ZERO;
  return max(dec(block.amount).minus(dec(block.seizedAmount)), ZERO);
}

/** The `BlockFund` wire view of a stored block (without the internal encodedKey). */
export function blockView(block: WireRecord): Record<string, unknown> {
  const { encodedKey: _key, ...view } = block; // eslint-disable-line @typescript-eslint/no-unused-vars
  return view;
}

/** A positive amount from a body field rounded to the currency's decimals, or 400 INVALID_AMOUNT. */
export function positiveBlockAmount(v: unknown, dp: number, field = "amount"): Dec {
  let a: Dec;
  try {
    a = dec(v);
  } catch {
    throw mambuError("INVALID_AMOUNT", `invalid ${field} ${JSON.stringify(v)}`);
  }
  if (!a.isFinite() || !round(a, dp).greaterThan(0)) throw mambuError("INVALID_AMOUNT", `${field} must be positive, got ${JSON.stringify(v)}`);
  return new D(round(a, dp));
}

/** `GET /deposits/{depositAccountId}/blocks`: every block of the account, oldest first. */
export function listBlocks(ctx: EngineContext, depId: string): Array<Record<string, unknown>> {
  const dep = requireDeposit(ctx, depId);
  return blocksOf(ctx, dep).map(blockView);
}

/** `POST /deposits/{depositAccountId}/blocks` (BlockFund): blocks an amount; returns the block (PENDING). */
export function createBlock(ctx: EngineContext, depId: string, input: Record<string, unknown> | undefined): Record<string, unknown> {
  const body = input ?? {};
  const dep = requireDeposit(ctx, depId);
  if (!DEBIT_STATES.has(String(dep.accountState))) {
    throw mambuError("INVALID_DEPOSIT_ACCOUNT_STATE", `deposit account ${String(dep.id)} is ${String(dep.accountState)}`);
  }
  const ref = body.externalReferenceId;
  if (typeof ref !== "string" || ref.trim() === "") throw invalidParameters("externalReferenceId must not be blank");
  const { dp } = depositCurrency(dep);
  const amount = positiveBlockAmount(body.amount, dp);
  if (findBlock(ctx, dep, ref)) throw mambuError("DUPLICATE_BLOCK_ID", `deposit account ${String(dep.id)} already has a block ${ref}`);
  const now = ctx.clock.nowIso();
  const block: WireRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    externalReferenceId: ref,
    accountKey: dep.encodedKey,
    amount: num(amount, dp),
    seizedAmount: 0,
    state: "PENDING",
    creationDate: now,
    lastModifiedDate: now,
  };
  if (typeof body.notes === "string") block.notes = body.notes;
  ctx.store.insert("blockfunds", block);
  adjustBlockedBalance(ctx, dep, amount);
  return blockView(block);
}

/**
 * An open block of the account for an unblock or a seizure: 404 BLOCK_FUND_DOES_NOT_EXIST when unknown (or the
 * given status: 400 when named in a body), 400 INVALID_BLOCK_FUND_STATE when already SEIZED or REMOVED.
 */
export function requireOpenBlock(ctx: EngineContext, dep: WireRecord, ref: unknown, notFoundStatus?: number): WireRecord {
  const block = typeof ref === "string" ? findBlock(ctx, dep, ref) : undefined;
  if (!block) throw mambuError("BLOCK_FUND_DOES_NOT_EXIST", `deposit account ${String(dep.id)} has no block ${String(ref)}`, notFoundStatus);
  if (!OPEN_BLOCK_STATES.has(String(block.state))) {
    throw mambuError("INVALID_BLOCK_FUND_STATE", `block ${String(ref)} is ${String(block.state)}`);
  }
  return block;
}

/** `DELETE /deposits/{depositAccountId}/blocks/{externalReferenceId}`: releases the block's remaining amount (REMOVED). */
export function unblockFund(ctx: EngineContext, depId: string, ref: string): void {
  const dep = requireDeposit(ctx, depId);
  const block = requireOpenBlock(ctx, dep, ref);
  const remaining = remainingOf(block);
  ctx.store.replace("blockfunds", { ...block, state: "REMOVED", lastModifiedDate: ctx.clock.nowIso() });
  adjustBlockedBalance(ctx, dep, remaining.negated());
}

