/**
 * Manual journal entries (`POST /gljournalentries`, PostGLJournalEntriesDTO): a dated, balanced set of debits and
 * credits on DETAIL GL accounts that allow manual entries.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { compareInstant, parseDateTimeInput } from "./dates";
import { Dec, currencyDecimals, dec, sum } from "./money";
import { JournalLine } from "./ledger-rules";
import { insertEntries } from "./ledger-post";
import { requireGlAccount } from "./ledger-accounts";

/** Most debit + credit lines one manual posting may carry. */
export const MAX_MANUAL_LINES = 500;

function amountOf(v: unknown, where: string): Dec {
  let a: Dec;
  try {
    a = dec(v);
  } catch {
    throw mambuError("INVALID_AMOUNT", `${where}: invalid amount`);
  }
  if (v === undefined || v === null || !a.isFinite() || !a.greaterThan(0)) throw mambuError("INVALID_AMOUNT", `${where}: amount must be positive`);
  return a;
}

/**
 * Posts manual journal entries; returns them as stored. Refuses: no date (JOURNAL_ENTRY_DATE_NOT_DEFINED), a
 * future date (JOURNAL_ENTRY_DATE_IN_THE_FUTURE), an unknown GL account (400 INVALID_GL_ACCOUNT_ID), a HEADER
 * account (GL_ACCOUNT_IS_HEADER), one without `allowManualJournalEntries` (GL_ACCOUNT_DOES_NOT_SUPPORT_MANUALLY_ENTRIES),
 * debits ≠ credits (DEBITS_DO_NOT_MATCH_CREDITS), an unknown branch (400 INVALID_BRANCH_ID).
 */
export function postManualEntries(ctx: EngineContext, input: unknown): WireRecord[] {
  if (!input || typeof input !== "object" || Array.isArray(input)) throw invalidParameters("body: expected an object");
  const body = input as Record<string, unknown>;
  if (body.date === undefined || body.date === null || body.date === "") throw mambuError("JOURNAL_ENTRY_DATE_NOT_DEFINED", "date is required");
  const date = parseDateTimeInput(body.date, ctx.clock.offset, "date") as string;
  if (compareInstant(date, ctx.clock.nowIso()) > 0) throw mambuError("JOURNAL_ENTRY_DATE_IN_THE_FUTURE", `date ${date} is in the future`);
  const debits = body.debits ?? [];
  const credits = body.credits ?? [];
  if (!Array.isArray(debits) || !Array.isArray(credits)) throw invalidParameters("debits, credits: expected lists");
  if (debits.length === 0 || credits.length === 0) throw invalidParameters("debits, credits: at least one of each is required");
  if (debits.length + credits.length > MAX_MANUAL_LINES) throw invalidParameters(`debits, credits: at most ${MAX_MANUAL_LINES} lines`);
  let dp = 2;
  const lines: JournalLine[] = [];
  const read = (list: unknown[], type: "DEBIT" | "CREDIT", name: string) => {
    list.forEach((x, i) => {
      const where = `${name}[${i}]`;
      if (!x || typeof x !== "object") throw invalidParameters(`${where}: expected an object`);
      const item = x as Record<string, unknown>;
      if (typeof item.glAccount !== "string" || item.glAccount === "") throw invalidParameters(`${where}.glAccount: required`);
      const gl = requireGlAccount(ctx, item.glAccount, 400);
      if (gl.usage === "HEADER") throw mambuError("GL_ACCOUNT_IS_HEADER", `${where}: GL account ${String(gl.glCode)} is a header account`);
      if (gl.allowManualJournalEntries !== true) {
        throw mambuError("GL_ACCOUNT_DOES_NOT_SUPPORT_MANUALLY_ENTRIES", `${where}: GL account ${String(gl.glCode)} does not allow manual entries`);
      }
      dp = currencyDecimals(String((gl.currency as { code?: unknown } | undefined)?.code ?? "EUR"));
      lines.push({ glAccountKey: gl.encodedKey, type, amount: amountOf(item.amount, `${where}.amount`) });
    });
  };
  read(debits, "DEBIT", "debits");
  read(credits, "CREDIT", "credits");
  const d = sum(lines.filter((l) => l.type === "DEBIT").map((l) => l.amount));
  const c = sum(lines.filter((l) => l.type === "CREDIT").map((l) => l.amount));
  if (!d.equals(c)) throw mambuError("DEBITS_DO_NOT_MATCH_CREDITS", `debits ${d.toString()} ≠ credits ${c.toString()}`);
  let branchKey: string | undefined;
  if (body.branchId !== undefined && body.branchId !== null && body.branchId !== "") {
    const branch = ctx.store.find("branches", String(body.branchId));
    if (!branch) throw mambuError("INVALID_BRANCH_ID", `branch ${String(body.branchId)} not found`, 400);
    branchKey = branch.encodedKey;
  }
  const transactionId = typeof body.transactionId === "string" && body.transactionId !== "" ? body.transactionId : `MJE-${ctx.store.newEncodedKey().slice(0, 12)}`;
  return insertEntries(ctx, {
    transactionId,
    bookingDate: date,
    assignedBranchKey: branchKey,
    notes: typeof body.notes === "string" ? body.notes : undefined,
    dp,
  }, lines);
}
