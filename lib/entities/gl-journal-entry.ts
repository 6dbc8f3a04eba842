/** General ledger journal entries (`/api/gljournalentries`). */
import { buildBody } from "../core/actions";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf, EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import type { MambuList } from "../core/list";
import "../core/entity-methods";
import { RawNumber, stringifyExact } from "../core/json";
import { Decimal } from "../core/money";
import type { Amount, DateInput } from "../core/operations";
import type { Listable, Listing } from "../core/query-types";
import { CONN } from "../core/symbols";
import { validateAgainst } from "../contract/schema";
import type { GLJournalEntryFilterCriteria, GLJournalEntrySortingCriteria, GLJournalEntryStruct, QueryParameters } from "../generated/types/gljournalentries";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";

/** One line of a manual journal entry: a GL account (its GL code or encodedKey) and a positive amount. */
export interface JournalEntryLine {
  glAccount: string;
  amount: Amount;
}

/**
 * A manual journal entry (`MambuGLJournalEntry.post(...)`, Swagger `PostGLJournalEntriesDTO`): its booking
 * `date`, debit and credit lines that must add up to the same total, and optionally the `branchId`, `notes`
 * and a `transactionId` of your own.
 */
export interface JournalEntryInput {
  date: DateInput;
  debits: readonly JournalEntryLine[];
  credits: readonly JournalEntryLine[];
  branchId?: string;
  notes?: string;
  transactionId?: string;
}

/** Options of `MambuGLJournalEntry.post(...)`. */
export interface JournalEntryPostOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
  connector?: MambuConnector;
}

/** Most lines one manual entry may have (each side); a larger entry is refused before any request. */
export const MAX_JOURNAL_ENTRY_LINES = 1000;

/** An amount as an exact Decimal (never through a binary float beyond what a number already is). */
function toDecimal(value: unknown, where: string): Decimal {
  let d: Decimal;
  try {
    if (Decimal.isDecimal(value)) d = new Decimal(value as Decimal);
    else if (value instanceof RawNumber) d = new Decimal(value.text);
    else if (typeof value === "number" || (typeof value === "string" && value.trim() !== "")) d = new Decimal(typeof value === "string" ? value.trim() : value);
    else throw new Error("not an amount");
  } catch {
    throw new MambuTsError(`${where}: expected a Decimal, number or numeric string, got ${JSON.stringify(typeof value === "string" ? value : typeof value)}`);
  }
  if (!d.isFinite()) throw new MambuTsError(`${where}: ${d.toString()} is not a finite amount`);
  return d;
}

/** Checks one side of an entry and returns its total. */
function sideTotal(lines: unknown, side: "debits" | "credits", label: string): Decimal {
  if (!Array.isArray(lines) || lines.length === 0) throw new MambuTsError(`${label}: ${side} must be a non-empty array of { glAccount, amount }`);
  if (lines.length > MAX_JOURNAL_ENTRY_LINES) throw new MambuTsError(`${label}: at most ${MAX_JOURNAL_ENTRY_LINES} ${side} (got ${lines.length})`);
  let total = new Decimal(0);
  lines.forEach((line: unknown, i) => {
    const where = `${label}: ${side}[${i}]`;
    if (typeof line !== "object" || line === null || Array.isArray(line)) throw new MambuTsError(`${where} must be { glAccount, amount }`);
    const { glAccount, amount, ...rest } = line as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) throw new MambuTsError(`${where}: unknown key "${extra[0]}" (known: glAccount, amount)`);
    if (typeof glAccount !== "string" || glAccount.trim() === "") throw new MambuTsError(`${where}.glAccount must be a non-empty string (a GL code or encodedKey)`);
    const d = toDecimal(amount, `${where}.amount`);
    if (!d.isPositive() || d.isZero()) throw new MambuTsError(`${where}.amount must be positive, got ${d.toFixed()}`);
    total = total.plus(d);
  });
  return total;
}

/**
 * A journal entry of the general ledger: one debit or one credit (`type`) of `amount` (Decimal) on a
 * `glAccount`, booked on `bookingDate`, with the `transactionId` shared by the entries of one posting,
 * `accountKey`/`productKey`/`productType` when a loan or deposit transaction posted it, and `notes`.
 */
export class MambuGLJournalEntry extends MambuEntity {
  static override resource = "gljournalentries";
  static override definition = "GLJournalEntry";
  static override spec = {
    prefix: "gljournalentries",
    search: { filterDefinition: "GLJournalEntryFilterCriteria" },
  } as const satisfies EntitySpec;

  /**
   * The journal entries booked from `from` to `to` (dates `YYYY-MM-DD`, both required by Mambu), optionally of
   * one GL account (`glAccountId`: its GL code) or branch (`branchId`); paginated as every getAll.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const o = (opts ?? {}) as { from?: unknown; to?: unknown };
    for (const [k, v] of [["from", o.from], ["to", o.to]] as const) {
      if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new MambuTsError(`MambuGLJournalEntry.getAll: ${k} is required, a date "YYYY-MM-DD" (got ${JSON.stringify(v)})`);
    }
    if ((o.from as string) > (o.to as string)) throw new MambuTsError(`MambuGLJournalEntry.getAll: from (${String(o.from)}) is after to (${String(o.to)})`);
    return MambuEntity.getAll.call(this, opts as never) as MambuList<T>;
  }

  /**
   * Posts a balanced manual journal entry (`POST /gljournalentries`): debit lines and credit lines whose
   * totals are equal, exactly (Decimal), each amount positive. An unbalanced entry, an empty side or a line
   * with a zero or negative amount is refused with a `MambuTsError` before any request. Resolves to the
   * journal entries Mambu created (one per line). Naive dates take the tenant's offset.
   */
  static async post(input: JournalEntryInput, opts: JournalEntryPostOptions = {}): Promise<MambuGLJournalEntry[]> {
    const label = "MambuGLJournalEntry.post";
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new MambuTsError(`${label}: the entry must be an object`);
    checkOptionKeys(label, opts, ["idempotencyKey", "connector"]);
    const debit = sideTotal(input.debits, "debits", label);
    const credit = sideTotal(input.credits, "credits", label);
    if (!debit.equals(credit)) {
      throw new MambuTsError(`${label}: the entry is unbalanced: debits total ${debit.toFixed()}, credits total ${credit.toFixed()} (difference ${debit.minus(credit).toFixed()})`);
    }
    if (input.date === undefined || input.date === null) throw new MambuTsError(`${label}: date is required`);
    const conn = connectorOf(undefined, opts.connector);
    const owner = new MambuGLJournalEntry();
    owner[CONN] = conn;
    const lines = (side: readonly JournalEntryLine[]) => side.map((l) => ({ glAccount: l.glAccount, amount: toDecimal(l.amount, label) }));
    const body = buildBody(owner, "gljournalentries", "PostGLJournalEntriesDTO", { ...input, debits: lines(input.debits), credits: lines(input.credits) } as Record<string, unknown>, label);
    const problems = validateAgainst("gljournalentries", { type: "object", ref: "PostGLJournalEntriesDTO" }, JSON.parse(stringifyExact(body) as string), { path: label });
    if (problems.length) throw new MambuTsError(problems.join("; "));
    const answer = await callOperation("gljournalentries", "create", { body, idempotencyKey: opts.idempotencyKey, connector: conn });
    if (!Array.isArray(answer) || !answer.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))) {
      throw new MambuError(`malformed response from Mambu to ${label}: expected the created journal entries as a JSON list`);
    }
    return answer.map((raw) => MambuGLJournalEntry.fromWire(raw as Record<string, unknown>, conn, { detailsLevel: "FULL" }));
  }
}
export interface MambuGLJournalEntry
  extends GLJournalEntryStruct,
    Listable<Listing<QueryParameters["GET /gljournalentries"], typeof MambuGLJournalEntry.spec, GLJournalEntryFilterCriteria, GLJournalEntrySortingCriteria>> {}
