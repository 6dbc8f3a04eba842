/**
 * Accounting reports (`POST /api/accounting/reports`, then `GET /api/accounting/reports/{reportKey}` until
 * ready): `MambuAccountingReport.generate(request, { onProgress })` is the one awaitable that does both.
 */
import { buildBody } from "../core/actions";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { MambuValueObject, structFromWire } from "../core/struct";
import type { DateInput } from "../core/operations";
import { CONN } from "../core/symbols";
import type { AccountingReport, AccountingReportAmountsStruct, AccountingReportGenerationInput, GLAccountStruct } from "../generated/types/accounting_reports";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";
import { MambuGLAccount } from "./gl-account";

/** A report's status (Swagger `AccountingReport.status`). */
export type AccountingReportStatus = NonNullable<AccountingReport["status"]>;

/**
 * What to report on (Swagger `AccountingReportGenerationInput`): the period `startDate`..`endDate` (both
 * included; dates, or DateTimes taken by their calendar date), and optionally the GL account types
 * (`glTypes`), the balance columns (`balanceTypes`), one `branchId`, a `currencyCode`.
 */
export interface AccountingReportRequest {
  startDate: DateInput;
  endDate: DateInput;
  glTypes?: AccountingReportGenerationInput["glTypes"];
  balanceTypes?: AccountingReportGenerationInput["balanceTypes"];
  branchId?: string;
  currencyCode?: string;
}

/** What `onProgress` is told after the request and after each read of the report. */
export interface AccountingReportProgress {
  reportKey: string;
  status: AccountingReportStatus | string;
  /** 0 for the answer to the POST, then 1, 2, … for each read. */
  poll: number;
}

/** Options of `MambuAccountingReport.generate(...)`. */
export interface GenerateReportOptions {
  /** Called with the status after the POST and after each read, the last one included. */
  onProgress?: (progress: AccountingReportProgress) => void;
  /** Milliseconds before each read (default 1000). */
  intervalMs?: number;
  /** Reads before giving up with a MambuTsError (default 300). */
  maxPolls?: number;
  /** Aborts the waiting (and the request under way): the promise rejects with a MambuTsError. */
  signal?: AbortSignal;
  /** Idempotency-Key (v4 UUID) of the POST; a random one otherwise. */
  idempotencyKey?: string;
  connector?: MambuConnector;
}

/** Statuses after which Mambu still works on the report (read again). */
const PENDING: ReadonlySet<string> = new Set(["QUEUED", "IN_PROGRESS", "TO_BE_CANCELED", "TRANSIENT_ERROR", "RECOVERABLE_ERROR"]);
/** Largest `maxPolls` accepted. */
const MAX_POLLS = 100_000;
/** Largest `intervalMs` accepted (one hour). */
const MAX_INTERVAL_MS = 3_600_000;

/** One line of an accounting report: a GL account and its amounts over the period (Decimal). */
export interface MambuAccountingReportItem {
  /** The GL account (`glCode`, `name`, `type`, …). */
  glAccount?: GLAccountStruct;
  /** `openingBalance`, `debits`, `credits`, `netChange`, `closingBalance` in the organization's currency. */
  amounts?: AccountingReportAmountsStruct;
  /** The same in the GL account's foreign currency, if any. */
  foreignAmounts?: AccountingReportAmountsStruct;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sleep(ms: number, signal: AbortSignal | undefined, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new MambuTsError(`${label}: aborted by the caller`));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new MambuTsError(`${label}: aborted by the caller`));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * An accounting report (Swagger `AccountingReport`): `reportKey`, `status` (QUEUED, IN_PROGRESS, COMPLETE,
 * …) and, when complete, `items` — one per GL account, with `amounts.openingBalance`, `debits`, `credits`,
 * `netChange` and `closingBalance` as Decimal.
 */
export class MambuAccountingReport extends MambuValueObject {
  static override resource = "accounting_reports";
  static override definition = "AccountingReport";

  /**
   * Generates a report and waits until it is ready: `POST /accounting/reports`, then
   * `GET /accounting/reports/{reportKey}` every `intervalMs` until its status is COMPLETE, at most `maxPolls`
   * reads. Resolves to the complete report; rejects with a `MambuError` when Mambu ends it otherwise (ERROR,
   * TIMED_OUT, CANCEL, …), with a `MambuTsError` when it is still pending after `maxPolls` reads or when
   * `signal` aborts. The request is checked against the contract before it is sent.
   */
  static async generate(request: AccountingReportRequest, opts: GenerateReportOptions = {}): Promise<MambuAccountingReport> {
    const label = "MambuAccountingReport.generate";
    checkOptionKeys(label, opts, ["onProgress", "intervalMs", "maxPolls", "signal", "idempotencyKey", "connector"]);
    const { intervalMs = 1000, maxPolls = 300, onProgress, signal } = opts;
    if (typeof intervalMs !== "number" || !Number.isFinite(intervalMs) || intervalMs < 0 || intervalMs > MAX_INTERVAL_MS) {
      throw new MambuTsError(`${label}: intervalMs must be a number of milliseconds between 0 and ${MAX_INTERVAL_MS}`);
    }
    if (!Number.isSafeInteger(maxPolls) || maxPolls < 1 || maxPolls > MAX_POLLS) throw new MambuTsError(`${label}: maxPolls must be an integer between 1 and ${MAX_POLLS}`);
    if (onProgress !== undefined && typeof onProgress !== "function") throw new MambuTsError(`${label}: onProgress must be a function`);
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new MambuTsError(`${label}: signal must be an AbortSignal`);
    const conn = connectorOf(undefined, opts.connector);
    const body = reportBody(request, conn, label);
    if (signal?.aborted) throw new MambuTsError(`${label}: aborted by the caller`);
    const started = await callOperation("accounting_reports", "create", { body, idempotencyKey: opts.idempotencyKey, connector: conn, signal });
    if (!isRecord(started) || typeof started.reportKey !== "string" || started.reportKey === "") {
      throw new MambuError(`malformed response from Mambu to ${label}: expected { reportKey, status }`);
    }
    const reportKey = started.reportKey;
    let status = String(started.status ?? "QUEUED");
    onProgress?.({ reportKey, status, poll: 0 });
    for (let poll = 1; poll <= maxPolls; poll++) {
      await sleep(intervalMs, signal, label);
      const report = await MambuAccountingReport.read(reportKey, conn, signal, label);
      status = String(report.status);
      onProgress?.({ reportKey, status, poll });
      if (status === "COMPLETE") return report;
      if (!PENDING.has(status)) {
        throw new MambuError(`${label}: Mambu ended report ${reportKey} with status ${status}`, { status: 200 });
      }
    }
    throw new MambuTsError(`${label}: report ${reportKey} still ${status} after ${maxPolls} reads`);
  }

  /** Reads a report once (`GET /accounting/reports/{reportKey}`), whatever its status. */
  static async get(reportKey: string, opts: { connector?: MambuConnector; signal?: AbortSignal } = {}): Promise<MambuAccountingReport> {
    const label = "MambuAccountingReport.get";
    checkOptionKeys(label, opts, ["connector", "signal"]);
    if (typeof reportKey !== "string" || reportKey.trim() === "") throw new MambuTsError(`${label}: reportKey must be a non-empty string`);
    return MambuAccountingReport.read(reportKey, connectorOf(undefined, opts.connector), opts.signal, label);
  }

  private static async read(reportKey: string, conn: MambuConnector, signal: AbortSignal | undefined, label: string): Promise<MambuAccountingReport> {
    const answer = await callOperation("accounting_reports", "get", { path: { reportKey }, connector: conn, signal });
    if (!isRecord(answer) || typeof answer.status !== "string") throw new MambuError(`malformed response from Mambu to ${label}: expected an accounting report`);
    if (answer.items !== undefined && (!Array.isArray(answer.items) || !answer.items.every(isRecord))) {
      throw new MambuError(`malformed response from Mambu to ${label}: items is not a list of records`);
    }
    return structFromWire<MambuAccountingReport>(MambuAccountingReport, answer);
  }
}
export interface MambuAccountingReport {
  /** The report's key (to read it again within 24 hours). */
  reportKey?: string;
  /** QUEUED, IN_PROGRESS, COMPLETE, … */
  status?: AccountingReportStatus;
  /** The report's lines, one per GL account, once COMPLETE. */
  items?: MambuAccountingReportItem[];
}

/** The POST body: dates as `YYYY-MM-DD`, checked against the contract (unknown keys, enums) before any request. */
function reportBody(request: AccountingReportRequest, conn: MambuConnector, label: string): Record<string, unknown> {
  if (!isRecord(request)) throw new MambuTsError(`${label}: the request must be an object { startDate, endDate, ... }`);
  if (request.startDate === undefined || request.endDate === undefined) throw new MambuTsError(`${label}: startDate and endDate are required`);
  const owner = new MambuGLAccount();
  owner[CONN] = conn;
  const body = buildBody(owner, "accounting_reports", "AccountingReportGenerationInput", request as unknown as Record<string, unknown>, label);
  if (String(body.startDate) > String(body.endDate)) throw new MambuTsError(`${label}: startDate (${String(body.startDate)}) is after endDate (${String(body.endDate)})`);
  return body;
}
