/**
 * The sandbox's general ledger: journal entries (collection `gljournalentries`) posted for every transaction
 * the engine stores, and the queries other parts read it through ({@link journalEntries}, {@link glBalances}).
 *
 * {@link postJournalEntries} is called where transactions are stored (loan-common.ts `commitTransaction` and
 * `syncLoan`, deposit-common.ts `postMovement`). It reconciles: the lines the rules give now (ledger-rules.ts)
 * are compared with what the transaction's entries already book; when they differ (a backdated transaction
 * moved money between principal and interest of a later repayment) the live entries are reversed (each gets
 * `reversalEntryKey`) and the new lines posted. Every posting is balanced, so the trial balance is always zero.
 *
 * Stored entries keep two fields of the sandbox's own, `transactionKey` and `glAccountKey` (stripped from
 * answers, see {@link entryWire}); answers carry `glAccount` (the GL account record).
 */
import { WireRecord } from "../types";
import { SandboxStore } from "../store";
import { EngineContext } from "./context";
import { localDate } from "./dates";
import { Dec, ZERO, currencyDecimals, dec, num } from "./money";
import { JournalLine, LedgerProductType, isReversal, netByAccount, plannedLines } from "./ledger-rules";

/** Entry keys by transaction key, per store (rebuilt when the collection's size is not what it knew). */
const index = new WeakMap<SandboxStore, { count: number; byTx: Map<string, string[]> }>();

function txIndex(store: SandboxStore): Map<string, string[]> {
  const known = index.get(store);
  if (known && known.count === store.count("gljournalentries")) return known.byTx;
  const byTx = new Map<string, string[]>();
  for (const e of store.all("gljournalentries")) {
    if (typeof e.transactionKey !== "string") continue;
    const list = byTx.get(e.transactionKey) ?? [];
    list.push(e.encodedKey);
    byTx.set(e.transactionKey, list);
  }
  index.set(store, { count: store.count("gljournalentries"), byTx });
  return byTx;
}

/** The stored entries of one transaction (by its encodedKey), in posting order. */
export function entriesOfTransaction(ctx: EngineContext, txKey: string): WireRecord[] {
  return (txIndex(ctx.store).get(txKey) ?? []).map((k) => ctx.store.find("gljournalentries", k)).filter((e): e is WireRecord => !!e);
}

function live(entries: WireRecord[]): WireRecord[] {
  return entries.filter((e) => typeof e.reversalEntryKey !== "string" && typeof e.reversedEntryKey !== "string");
}

function linesOf(entries: WireRecord[]): JournalLine[] {
  return entries.map((e) => ({ glAccountKey: String(e.glAccountKey), type: e.type === "DEBIT" ? "DEBIT" : "CREDIT", amount: dec(e.amount) }));
}

function sameNet(a: Map<string, Dec>, b: Map<string, Dec>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.get(k)?.equals(v)) return false;
  return true;
}

/** Where and when new entries are booked (copied onto each entry). */
export interface EntryHeader {
  transactionId: string;
  transactionKey?: string;
  bookingDate: string;
  accountKey?: string;
  productKey?: string;
  productType?: LedgerProductType;
  assignedBranchKey?: string;
  userKey?: string;
  notes?: string;
  dp: number;
}

/** Stores one balanced group of lines as journal entries (returns them as stored). */
export function insertEntries(ctx: EngineContext, header: EntryHeader, lines: JournalLine[], reverses?: WireRecord[]): WireRecord[] {
  const now = ctx.clock.nowIso();
  const out: WireRecord[] = [];
  const byTx = txIndex(ctx.store);
  lines.forEach((l, i) => {
    const id = ctx.store.nextId("gljournalentries", 0);
    const rec: WireRecord = {
      encodedKey: ctx.store.newEncodedKey(),
      id,
      entryID: Number(id),
      transactionId: header.transactionId,
      glAccountKey: l.glAccountKey,
      type: l.type,
      amount: num(l.amount, header.dp),
      bookingDate: header.bookingDate,
      creationDate: now,
    };
    if (header.transactionKey) rec.transactionKey = header.transactionKey;
    if (header.accountKey) rec.accountKey = header.accountKey;
    if (header.productKey) rec.productKey = header.productKey;
    if (header.productType) rec.productType = header.productType;
    if (header.assignedBranchKey) rec.assignedBranchKey = header.assignedBranchKey;
    if (header.userKey) rec.userKey = header.userKey;
    if (header.notes) rec.notes = header.notes;
    const original = reverses?.[i];
    if (original) rec.reversedEntryKey = original.encodedKey;
    ctx.store.insert("gljournalentries", rec);
    if (original) ctx.store.replace("gljournalentries", { ...original, reversalEntryKey: rec.encodedKey });
    if (header.transactionKey) byTx.set(header.transactionKey, [...(byTx.get(header.transactionKey) ?? []), rec.encodedKey]);
    out.push(rec);
  });
  const known = index.get(ctx.store);
  if (known) known.count = ctx.store.count("gljournalentries");
  return out;
}

function flip(l: JournalLine): JournalLine {
  return { ...l, type: l.type === "DEBIT" ? "CREDIT" : "DEBIT" };
}

/**
 * Books a transaction in the general ledger (idempotent: posts only what changed since the last call, see the
 * file comment). `account` is the loan or deposit account the transaction belongs to.
 */
export function postJournalEntries(ctx: EngineContext, tx: WireRecord, account: WireRecord, kind: LedgerProductType): void {
  let wanted: JournalLine[] | undefined;
  if (isReversal(tx)) {
    wanted = linesOf(live(entriesOfTransaction(ctx, String(tx.originalTransactionKey)))).map(flip);
  } else {
    wanted = plannedLines(ctx, tx, account, kind);
  }
  if (wanted === undefined) return;
  const current = live(entriesOfTransaction(ctx, tx.encodedKey));
  if (sameNet(netByAccount(wanted), netByAccount(linesOf(current)))) return;
  const currency = kind === "LOAN" ? String((account.currency as { code?: unknown } | undefined)?.code ?? "EUR") : String(account.currencyCode ?? "EUR");
  const header: EntryHeader = {
    transactionId: String(tx.id ?? tx.encodedKey),
    transactionKey: tx.encodedKey,
    bookingDate: String(tx.bookingDate ?? tx.valueDate ?? ctx.clock.nowIso()),
    accountKey: account.encodedKey,
    productKey: typeof account.productTypeKey === "string" ? account.productTypeKey : undefined,
    productType: kind,
    assignedBranchKey: typeof tx.branchKey === "string" ? tx.branchKey : typeof account.assignedBranchKey === "string" ? account.assignedBranchKey : undefined,
    userKey: typeof tx.userKey === "string" ? tx.userKey : undefined,
    dp: currencyDecimals(currency),
  };
  if (current.length > 0) insertEntries(ctx, header, linesOf(current).map(flip), current);
  if (wanted.length > 0) insertEntries(ctx, header, wanted);
}

/** Filter of {@link journalEntries}; dates are tenant-local `YYYY-MM-DD`, inclusive. */
export interface JournalFilter {
  from?: string;
  to?: string;
  /** Branch encodedKey. */
  branchKey?: string;
  /** GL account encodedKey. */
  glAccountKey?: string;
  /** Loan or deposit transaction encodedKey. */
  transactionKey?: string;
  /** Loan or deposit account encodedKey. */
  accountKey?: string;
}

/** Stored journal entries matching a filter, in posting order (records as stored, see {@link entryWire}). */
export function journalEntries(ctx: EngineContext, filter: JournalFilter = {}): WireRecord[] {
  const source = filter.transactionKey !== undefined ? entriesOfTransaction(ctx, filter.transactionKey) : ctx.store.all("gljournalentries");
  const off = ctx.clock.offset;
  return source.filter((e) => {
    if (filter.glAccountKey !== undefined && e.glAccountKey !== filter.glAccountKey) return false;
    if (filter.branchKey !== undefined && e.assignedBranchKey !== filter.branchKey) return false;
    if (filter.accountKey !== undefined && e.accountKey !== filter.accountKey) return false;
    if (filter.from !== undefined || filter.to !== undefined) {
      const day = localDate(String(e.bookingDate), off);
      if (filter.from !== undefined && day < filter.from) return false;
      if (filter.to !== undefined && day > filter.to) return false;
    }
    return true;
  });
}

/** Debit-normal GL account types (balance = debits − credits); the others are credit-normal. */
export const DEBIT_NORMAL = new Set(["ASSET", "EXPENSE"]);

/**
 * Balances of the DETAIL GL accounts (encodedKey → signed balance: debits − credits for ASSET/EXPENSE,
 * credits − debits for LIABILITY/EQUITY/INCOME) over the entries booked in [from, to] (and a branch).
 */
export function glBalances(ctx: EngineContext, range: { from?: string; to?: string; branchKey?: string } = {}): Map<string, Dec> {
  const debitMinusCredit = new Map<string, Dec>();
  for (const e of journalEntries(ctx, range)) {
    const k = String(e.glAccountKey);
    debitMinusCredit.set(k, (debitMinusCredit.get(k) ?? ZERO).plus(e.type === "DEBIT" ? dec(e.amount) : dec(e.amount).negated()));
  }
  const out = new Map<string, Dec>();
  for (const gl of ctx.store.all("glaccounts")) {
    const net = debitMinusCredit.get(gl.encodedKey) ?? ZERO;
    out.set(gl.encodedKey, DEBIT_NORMAL.has(String(gl.type)) ? net : net.negated());
  }
  return out;
}

/** A GL account in wire shape (without the sandbox's lookup `id`), with a balance when given. */
export function glAccountWire(gl: WireRecord, balance?: Dec): WireRecord {
  const { id: _id, ...rest } = gl;
  void _id;
  const out: WireRecord = { ...rest };
  delete out.balance;
  if (balance !== undefined) out.balance = num(balance, currencyDecimals(String((gl.currency as { code?: unknown } | undefined)?.code ?? "EUR")));
  return out;
}

/** A stored entry in GLJournalEntry wire shape (with its `glAccount`, without the sandbox's own fields). */
export function entryWire(ctx: EngineContext, e: WireRecord): WireRecord {
  const { id: _id, transactionKey: _t, glAccountKey, reversedEntryKey: _r, ...rest } = e;
  void _id; void _t; void _r;
  const gl = typeof glAccountKey === "string" ? ctx.store.find("glaccounts", glAccountKey) : undefined;
  return { ...rest, ...(gl ? { glAccount: glAccountWire(gl) } : {}) };
}

/**
 * Reverses what a transaction's entries still book (before the engine removes the transaction, e.g. the new
 * account's disbursement when a reschedule or refinance is undone).
 */
export function reverseJournalEntries(ctx: EngineContext, txKey: string): void {
  const current = live(entriesOfTransaction(ctx, txKey));
  if (current.length === 0) return;
  const first = current[0];
  const header: EntryHeader = {
    transactionId: String(first.transactionId),
    transactionKey: txKey,
    bookingDate: String(first.bookingDate),
    accountKey: typeof first.accountKey === "string" ? first.accountKey : undefined,
    productKey: typeof first.productKey === "string" ? first.productKey : undefined,
    productType: first.productType === "LOAN" || first.productType === "SAVINGS" ? first.productType : undefined,
    assignedBranchKey: typeof first.assignedBranchKey === "string" ? first.assignedBranchKey : undefined,
    userKey: typeof first.userKey === "string" ? first.userKey : undefined,
    dp: Math.max(...current.map((e) => decimalsOf(e.amount))),
  };
  insertEntries(ctx, header, linesOf(current).map(flip), current);
}

function decimalsOf(v: unknown): number {
  return dec(v).decimalPlaces();
}
