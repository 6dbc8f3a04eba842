/**
 * Accounting reports (`POST /accounting/reports`, `GET /accounting/reports/{reportKey}`), computed from the
 * sandbox's general ledger (ledger-post.ts).
 *
 * Generation is asynchronous as in Mambu, and deterministic: the POST answers 202 `{ reportKey, status: QUEUED }`
 * and stores the request (collection `accountingreports`); the first read answers IN_PROGRESS, the second and
 * later ones COMPLETE with the items, computed from the journal entries at that read and then kept (later
 * postings do not change a completed report). A report is readable for 24 hours of the sandbox clock after its
 * creation, then 404 as an unknown key.
 *
 * Items: one per DETAIL GL account (of `glTypes` when given; HEADER accounts would count their accounts twice),
 * sorted by GL code, with `amounts`: `openingBalance` (entries booked before `startDate`), `debits` and `credits`
 * (entries booked from `startDate` to `endDate`, both included), `netChange` (debits − credits for ASSET and
 * EXPENSE accounts, credits − debits otherwise) and `closingBalance` (opening + net change); `balanceTypes`
 * keeps only the balance columns asked for (debits and credits are always there). Over every account, the debits
 * equal the credits: each posting of the ledger is balanced.
 */
import { WireRecord } from "../types";
import { invalidParameters, mambuError } from "../errors";
import { EngineContext, EngineRequest, EngineResult, EngineRoute } from "./context";
import { addDays, compareInstant, parseDateInput } from "./dates";
import { DEBIT_NORMAL, glAccountWire, journalEntries } from "./ledger-post";
import { Dec, ZERO, currencyDecimals, dec, num } from "./money";

const COLLECTION = "accountingreports";
/** How long a report stays readable, in milliseconds of the sandbox clock. */
export const REPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Most reports kept at once (the oldest go first). */
export const MAX_STORED_REPORTS = 1000;
const GL_TYPES = ["ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"];
const BALANCE_TYPES = ["OPENING_BALANCE", "NET_CHANGE", "CLOSING_BALANCE"];

/** The request as stored with the report. */
interface ReportRequest {
  startDate: string;
  endDate: string;
  glTypes?: string[];
  balanceTypes?: string[];
  branchKey?: string;
  currencyCode?: string;
}

function list(v: unknown, allowed: string[], field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > allowed.length * 4) throw invalidParameters(`${field}: expected a list of ${allowed.join(", ")}`);
  for (const x of v) if (typeof x !== "string" || !allowed.includes(x)) throw invalidParameters(`${field}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(x)}`);
  return [...new Set(v as string[])];
}

function parseRequest(ctx: EngineContext, body: unknown): ReportRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidParameters("the body must be an object");
  const b = body as Record<string, unknown>;
  const startDate = parseDateInput(b.startDate, "startDate");
  const endDate = parseDateInput(b.endDate, "endDate");
  if (!startDate || !endDate) throw invalidParameters("startDate, endDate: both dates are required");
  if (startDate > endDate) throw invalidParameters(`startDate ${startDate} is after endDate ${endDate}`);
  const out: ReportRequest = { startDate, endDate };
  const glTypes = list(b.glTypes, GL_TYPES, "glTypes");
  if (glTypes) out.glTypes = glTypes;
  const balanceTypes = list(b.balanceTypes, BALANCE_TYPES, "balanceTypes");
  if (balanceTypes) out.balanceTypes = balanceTypes;
  if (b.branchId !== undefined && b.branchId !== null && b.branchId !== "") {
    const branch = typeof b.branchId === "string" ? ctx.store.find("branches", b.branchId) : undefined;
    if (!branch) throw mambuError("INVALID_BRANCH_ID", `branch ${String(b.branchId)} not found`, 400);
    out.branchKey = branch.encodedKey;
  }
  if (b.currencyCode !== undefined && b.currencyCode !== null && b.currencyCode !== "") {
    if (typeof b.currencyCode !== "string" || !/^[A-Z]{3}$/.test(b.currencyCode)) throw mambuError("INVALID_CURRENCY_CODE", "currencyCode: expected an ISO 4217 code");
    const known = ctx.store.count("currencies") === 0 ? true : !!ctx.store.find("currencies", b.currencyCode);
    if (!known) throw mambuError("CURRENCY_DOES_NOT_EXIST", `currency ${b.currencyCode} not found`);
    out.currencyCode = b.currencyCode;
  }
  return out;
}

/** The report's items from the ledger as it is now. */
export function reportItems(ctx: EngineContext, req: ReportRequest): WireRecord[] {
  const accounts = ctx.store
    .all("glaccounts")
    .filter((gl) => gl.usage !== "HEADER" && (!req.glTypes || req.glTypes.includes(String(gl.type))))
    .filter((gl) => !req.currencyCode || String((gl.currency as { code?: unknown } | undefined)?.code ?? req.currencyCode) === req.currencyCode)
    .sort((a, b) => String(a.glCode).localeCompare(String(b.glCode)));
  const opening = new Map<string, Dec>();
  const debits = new Map<string, Dec>();
  const credits = new Map<string, Dec>();
  const add = (m: Map<string, Dec>, k: string, v: Dec) => m.set(k, (m.get(k) ?? ZERO).plus(v));
  for (const e of journalEntries(ctx, { to: addDays(req.startDate, -1), branchKey: req.branchKey })) {
    add(opening, String(e.glAccountKey), e.type === "DEBIT" ? dec(e.amount) : dec(e.amount).negated());
  }
  for (const e of journalEntries(ctx, { from: req.startDate, to: req.endDate, branchKey: req.branchKey })) {
    add(e.type === "DEBIT" ? debits : credits, String(e.glAccountKey), dec(e.amount));
  }
  const columns = new Set(req.balanceTypes ?? BALANCE_TYPES);
  return accounts.map((gl) => {
    const dp = currencyDecimals(String((gl.currency as { code?: unknown } | undefined)?.code ?? "EUR"));
    const sign = DEBIT_NORMAL.has(String(gl.type)) ? 1 : -1;
    const open = (opening.get(gl.encodedKey) ?? ZERO).times(sign);
    const dr = debits.get(gl.encodedKey) ?? ZERO;
    const cr = credits.get(gl.encodedKey) ?? ZERO;
    const change = dr.minus(cr).times(sign);
    const amounts: Record<string, number> = {};
    if (columns.has("OPENING_BALANCE")) amounts.openingBalance = num(open, dp);
    amounts.debits = num(dr, dp);
    amounts.credits = num(cr, dp);
    if (columns.has("NET_CHANGE")) amounts.netChange = num(change, dp);
    if (columns.has("CLOSING_BALANCE")) amounts.closingBalance = num(open.plus(change), dp);
    return { glAccount: glAccountWire(gl), amounts } as unknown as WireRecord;
  });
}

/** Forgets reports older than their lifetime, and the oldest beyond {@link MAX_STORED_REPORTS}. */
function expire(ctx: EngineContext): void {
  const now = Date.parse(ctx.clock.nowIso());
  const all = ctx.store.all(COLLECTION);
  all.forEach((r, i) => {
    if (now - Date.parse(String(r.creationDate)) > REPORT_LIFETIME_MS || all.length - i > MAX_STORED_REPORTS) ctx.store.remove(COLLECTION, r.encodedKey);
  });
}

function create(ctx: EngineContext, req: EngineRequest): EngineResult {
  const request = parseRequest(ctx, req.body);
  expire(ctx);
  const key = ctx.store.newEncodedKey();
  ctx.store.insert(COLLECTION, { encodedKey: key, id: key, status: "QUEUED", reads: 0, request, creationDate: ctx.clock.nowIso() } as unknown as WireRecord);
  return { status: 202, body: { reportKey: key, status: "QUEUED" } };
}

function read(ctx: EngineContext, req: EngineRequest): EngineResult {
  expire(ctx);
  const key = req.params.reportKey;
  const stored = ctx.store.find(COLLECTION, key);
  if (!stored || compareInstant(String(stored.creationDate), ctx.clock.nowIso()) > 0) throw mambuError("OBJECT_NOT_FOUND", `report ${key} not found`, 404);
  const reads = Number(stored.reads) + 1;
  if (stored.status === "COMPLETE") return { status: 200, body: { reportKey: key, status: "COMPLETE", items: stored.items } };
  if (reads < 2) {
    ctx.store.replace(COLLECTION, { ...stored, reads, status: "IN_PROGRESS" });
    return { status: 200, body: { reportKey: key, status: "IN_PROGRESS" } };
  }
  const items = reportItems(ctx, stored.request as ReportRequest);
  ctx.store.replace(COLLECTION, { ...stored, reads, status: "COMPLETE", items });
  return { status: 200, body: { reportKey: key, status: "COMPLETE", items } };
}

/** The routes of accounting reports (spread into routes-accounting.ts). */
export const reportRoutes: EngineRoute[] = [
  { method: "POST", template: "/accounting/reports", handle: create },
  { method: "GET", template: "/accounting/reports/{reportKey}", handle: read },
];
