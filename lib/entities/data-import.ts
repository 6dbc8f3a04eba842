/**
 * Data imports (`/data/import`): a workbook of clients, accounts and transactions uploaded in one request
 * (`POST /data/import`, multipart `file`, answered 202 `{ importKey, state }`), which Mambu checks and applies
 * as a draft in the background (`GET /data/import/{importKey}` → `{ state, errors, eventKey }`), then keeps or
 * reverts when told (`POST /data/import/events/{eventKey}:action`, `{ type: "APPROVE" | "REJECT" }`).
 *
 * `MambuDataImport.upload(file)` checks the file before anything is sent — an existing, readable `.xlsx` or
 * `.xls` workbook (its first bytes say so), not empty, at most {@link MAX_DATA_IMPORT_BYTES} — and returns the
 * import; `imp.wait()` reads it until Mambu is done (every read to `onProgress`); an import that ended
 * COMPLETE is approved or rejected with `imp.approve()` / `imp.reject()`; one that ended ERROR lists its
 * refused cells in `imp.errors` (sheet, row, column, message) and wrote nothing.
 */
import { promises as fs } from "node:fs";
import { basename } from "node:path";
import { inspect } from "node:util";
import { buildMultipart } from "../core/attachments";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { RawNumber } from "../core/json";
import { PENDING_STATES, PollOptions, pollPlan, pollUntilSettled } from "../core/poll";
import { MambuError, MambuTsError } from "../errors";
import type { DataImportError as WireDataImportError, DataImportStatus } from "../generated/types/data_import";
import type { MambuConnector } from "../transport";

/** The state of an import: QUEUED, IN_PROGRESS, COMPLETE, ERROR, TIMED_OUT, CANCEL, … (Swagger `DataImportStatus.state`). */
export type DataImportState = NonNullable<DataImportStatus["state"]>;

/** One refused cell of an import: the sheet, the row (as numbered in the workbook), the column (name and index) and why. */
export interface DataImportError {
  sheet?: string;
  row?: number;
  column?: { name?: string; index?: number };
  errorMessage?: string;
}

/** The largest workbook {@link MambuDataImport.upload} sends: 10 MiB. */
export const MAX_DATA_IMPORT_BYTES = 10 * 1024 * 1024;
/** File extensions of workbooks Mambu imports (matched case-insensitively). */
export const DATA_IMPORT_EXTENSIONS: readonly string[] = ["xlsx", "xls"];

/** What to import: a local file path, or bytes with the file name to give them. */
export type DataImportSource = string | { fileName: string; data: Buffer | Uint8Array };

/** Options of {@link MambuDataImport.upload}. */
export interface DataImportUploadOptions {
  /** The connection to use (default: `MambuConnector.default()`); the import keeps using it. */
  connector?: MambuConnector;
  /** Idempotency-Key (v4 UUID) of the upload; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
  /** Aborts the upload and its retries. */
  signal?: AbortSignal;
}

/** Options of {@link MambuDataImport.get}. */
export interface DataImportGetOptions {
  connector?: MambuConnector;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of `imp.approve()` / `imp.reject()`. */
export interface DataImportActionOptions {
  /** Idempotency-Key (v4 UUID) of the action; a random one otherwise. */
  idempotencyKey?: string;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * What `onProgress` of `imp.wait()` gets after each read: the import's key, its state, the refused cells so far,
 * the draft's eventKey (once COMPLETE), and the number of the read.
 */
export interface DataImportProgress {
  importKey: string;
  state: DataImportState;
  errors: readonly DataImportError[];
  eventKey?: string;
  poll: number;
}

/** Options of `imp.wait()`: `onProgress`, `intervalMs` (default 1000), `maxPolls` (default 600), `signal`. */
export type DataImportWaitOptions = Omit<PollOptions<DataImportProgress>, "onProgress"> & {
  /** Called after every read, the last one included. */
  onProgress?: (progress: DataImportProgress) => void;
};

/** The first bytes of each kind of workbook: a zip archive (.xlsx), an OLE2 compound file (.xls). */
const SIGNATURES: Record<string, Buffer> = {
  xlsx: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  xls: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
};
const CONTENT_TYPES: Record<string, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
};
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/** Characters a file name may not hold: it goes, quoted, into the part's Content-Disposition header. */
const FORBIDDEN_NAME_CHARS = /["\\/]/;
const STATES: ReadonlySet<string> = new Set([
  "QUEUED", "IN_PROGRESS", "COMPLETE", "NOT_FOUND", "CANCEL", "TO_BE_CANCELED", "TIMED_OUT", "ERROR", "TRANSIENT_ERROR", "OVERRIDDEN",
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === "ENOENT" ? "no such file" : err.code === "EACCES" || err.code === "EPERM" ? "permission denied" : err.code ?? "error";
}

/** The extension of a workbook's file name, checked. */
function checkFileName(fileName: unknown, where: string): string {
  if (typeof fileName !== "string" || fileName.trim() === "") throw new MambuTsError(`${where}: the file name is empty`);
  if (CONTROL_CHARS.test(fileName) || FORBIDDEN_NAME_CHARS.test(fileName)) {
    throw new MambuTsError(`${where}: the file name ${JSON.stringify(fileName)} may not hold control characters, quotes, slashes or backslashes`);
  }
  if (Buffer.byteLength(fileName, "utf8") > 255) throw new MambuTsError(`${where}: the file name is longer than 255 bytes`);
  const dot = fileName.lastIndexOf(".");
  const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
  if (!DATA_IMPORT_EXTENSIONS.includes(ext)) {
    throw new MambuTsError(`${where}: ${JSON.stringify(fileName)} is not an Excel workbook: Mambu imports .xlsx and .xls files`);
  }
  return ext;
}

/** Checks a workbook's bytes: not empty, within the bound, starting as its kind of file does. */
function checkData(fileName: string, ext: string, data: Buffer, where: string): void {
  if (data.length === 0) throw new MambuTsError(`${where}: ${JSON.stringify(fileName)} is empty`);
  if (data.length > MAX_DATA_IMPORT_BYTES) {
    throw new MambuTsError(`${where}: ${JSON.stringify(fileName)} is ${data.length} bytes, more than the ${MAX_DATA_IMPORT_BYTES} bytes (10 MiB) a data import takes`);
  }
  const sig = SIGNATURES[ext];
  if (data.length < sig.length || !data.subarray(0, sig.length).equals(sig)) {
    throw new MambuTsError(`${where}: ${JSON.stringify(fileName)} is not a .${ext} workbook (its content does not start as one; save it from Excel as .${ext})`);
  }
}

/** Reads and checks a workbook; nothing is sent before this resolves. @internal */
export async function readWorkbook(source: DataImportSource, where: string): Promise<{ fileName: string; ext: string; data: Buffer }> {
  if (typeof source === "string") {
    if (source.trim() === "") throw new MambuTsError(`${where}: the path is empty`);
    if (CONTROL_CHARS.test(source)) throw new MambuTsError(`${where}: the path ${JSON.stringify(source)} contains control characters`);
    if (source.split(/[/\\]/).includes("..")) {
      throw new MambuTsError(`${where}: the path ${JSON.stringify(source)} climbs directories with ".."; pass path.resolve(...) of it if you mean it`);
    }
    const fileName = basename(source);
    const ext = checkFileName(fileName, where);
    let stat;
    try {
      stat = await fs.stat(source);
    } catch (e) {
      throw new MambuTsError(`${where}: cannot read ${JSON.stringify(source)} (${errnoText(e)})`);
    }
    if (!stat.isFile()) throw new MambuTsError(`${where}: ${JSON.stringify(source)} is not a file`);
    if (stat.size > MAX_DATA_IMPORT_BYTES) {
      throw new MambuTsError(`${where}: ${JSON.stringify(source)} is ${stat.size} bytes, more than the ${MAX_DATA_IMPORT_BYTES} bytes (10 MiB) a data import takes`);
    }
    let data: Buffer;
    try {
      data = await fs.readFile(source);
    } catch (e) {
      throw new MambuTsError(`${where}: cannot read ${JSON.stringify(source)} (${errnoText(e)})`);
    }
    checkData(fileName, ext, data, where);
    return { fileName, ext, data };
  }
  if (!isRecord(source) || !(source.data instanceof Uint8Array)) throw new MambuTsError(`${where}: give a file path, or { fileName, data: Buffer }`);
  const ext = checkFileName(source.fileName, where);
  const data = Buffer.isBuffer(source.data) ? source.data : Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength);
  checkData(source.fileName, ext, data, where);
  return { fileName: source.fileName, ext, data };
}

function integer(v: unknown): number | undefined {
  const n = v instanceof RawNumber ? Number(v.text) : v;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** One refused cell as Mambu sent it, typed (anything else it holds is dropped). */
function errorOf(e: WireDataImportError | Record<string, unknown>): DataImportError {
  const r = e as Record<string, unknown>;
  const out: DataImportError = {};
  if (text(r.sheet) !== undefined) out.sheet = text(r.sheet);
  if (integer(r.row) !== undefined) out.row = integer(r.row);
  if (isRecord(r.column)) {
    const column: { name?: string; index?: number } = {};
    if (text(r.column.name) !== undefined) column.name = text(r.column.name);
    if (integer(r.column.index) !== undefined) column.index = integer(r.column.index);
    out.column = column;
  }
  if (text(r.errorMessage) !== undefined) out.errorMessage = text(r.errorMessage);
  return out;
}

function stateOf(v: unknown, label: string): DataImportState {
  if (typeof v !== "string" || !STATES.has(v)) throw new MambuError(`malformed response from Mambu to ${label}: expected the import's state, got ${JSON.stringify(v)}`);
  return v as DataImportState;
}

function checkImportKey(key: unknown, label: string): string {
  if (typeof key !== "string" || key.trim() === "") throw new MambuTsError(`${label}: the import key must be a non-empty string`);
  return key;
}

/**
 * A data import (Swagger `DataImportResponse` / `DataImportStatus`): its `importKey`, its `state`, the cells
 * Mambu refused (`errors`, when it ended ERROR) and the draft's `eventKey` (when it ended COMPLETE) to approve
 * or reject. Made by {@link MambuDataImport.upload} or {@link MambuDataImport.get}; `refresh()` reads it again,
 * `wait()` until Mambu is done.
 */
export class MambuDataImport {
  /** The import's key in Mambu (to read it again later: `MambuDataImport.get(importKey)`). */
  readonly importKey: string;
  /** Its state when last read: QUEUED, IN_PROGRESS, then COMPLETE or ERROR (or TIMED_OUT, CANCEL, …). */
  state: DataImportState;
  /** The cells Mambu refused (sheet, row, column, errorMessage); empty unless the import ended in ERROR. */
  errors: DataImportError[] = [];
  /** The key of the draft Mambu made, to approve or reject (once COMPLETE). */
  eventKey?: string;
  /** What was done with the draft through this object: APPROVE or REJECT. */
  decision?: "APPROVE" | "REJECT";
  readonly #connector: MambuConnector;

  private constructor(importKey: string, state: DataImportState, connector: MambuConnector) {
    this.importKey = importKey;
    this.state = state;
    this.#connector = connector;
  }

  /**
   * Uploads a workbook (`POST /data/import`, multipart `file`) and returns the import, usually QUEUED. The file is
   * checked first — a path without `..` (resolve it first if you mean it) to an existing, readable file, or
   * `{ fileName, data }`; a `.xlsx` or `.xls` name whose content starts as such a workbook; not empty; at most
   * {@link MAX_DATA_IMPORT_BYTES} — and nothing is sent when a check fails.
   * @throws MambuTsError for a file refused before sending; MambuError when Mambu refuses the upload;
   *   MambuCommError when it cannot be reached.
   */
  static async upload(source: DataImportSource, opts: DataImportUploadOptions = {}): Promise<MambuDataImport> {
    const label = "MambuDataImport.upload";
    checkOptionKeys(label, opts, ["connector", "idempotencyKey", "signal"]);
    const connector = connectorOf(undefined, opts.connector);
    const file = await readWorkbook(source, label);
    const body = buildMultipart([], { field: "file", fileName: file.fileName, contentType: CONTENT_TYPES[file.ext], data: file.data });
    const answer = await callOperation("data_import", "dataImport", { body, connector, idempotencyKey: opts.idempotencyKey, signal: opts.signal });
    if (!isRecord(answer) || typeof answer.importKey !== "string" || answer.importKey === "") {
      throw new MambuError(`malformed response from Mambu to ${label}: expected { importKey, state }`);
    }
    return new MambuDataImport(answer.importKey, answer.state === undefined ? "QUEUED" : stateOf(answer.state, label), connector);
  }

  /**
   * Reads an import by its key (`GET /data/import/{importKey}`).
   * @throws MambuTsError for an empty key; MambuError when Mambu refuses (404 for an unknown key).
   */
  static async get(importKey: string, opts: DataImportGetOptions = {}): Promise<MambuDataImport> {
    const label = "MambuDataImport.get";
    checkImportKey(importKey, label);
    checkOptionKeys(label, opts, ["connector", "signal"]);
    const imp = new MambuDataImport(importKey, "QUEUED", connectorOf(undefined, opts.connector));
    await imp.read(label, opts.signal);
    return imp;
  }

  /** Whether Mambu still works on the import (QUEUED, IN_PROGRESS, TO_BE_CANCELED, TRANSIENT_ERROR). */
  get pending(): boolean {
    return PENDING_STATES.has(this.state);
  }

  private async read(label: string, signal: AbortSignal | undefined): Promise<this> {
    const answer = await callOperation("data_import", "getImport", { path: { importKey: this.importKey }, connector: this.#connector, signal });
    if (!isRecord(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected the import's status as a JSON object`);
    const state = stateOf(answer.state, label);
    if (answer.errors !== undefined && (!Array.isArray(answer.errors) || !answer.errors.every(isRecord))) {
      throw new MambuError(`malformed response from Mambu to ${label}: errors is not a list of objects`);
    }
    if (answer.eventKey !== undefined && answer.eventKey !== null && typeof answer.eventKey !== "string") {
      throw new MambuError(`malformed response from Mambu to ${label}: eventKey is not a string`);
    }
    this.state = state;
    this.errors = ((answer.errors ?? []) as Record<string, unknown>[]).map(errorOf);
    this.eventKey = typeof answer.eventKey === "string" && answer.eventKey !== "" ? answer.eventKey : undefined;
    return this;
  }

  /** Reads the import again (`GET /data/import/{importKey}`): `state`, `errors` and `eventKey` are updated. */
  refresh(opts: { signal?: AbortSignal } = {}): Promise<this> {
    checkOptionKeys("MambuDataImport#refresh", opts, ["signal"]);
    return this.read("MambuDataImport#refresh", opts.signal);
  }

  /**
   * Reads the import until Mambu is done with it (its state no longer QUEUED, IN_PROGRESS, TO_BE_CANCELED or
   * TRANSIENT_ERROR), telling `onProgress` every read; resolves to this import — COMPLETE (then approve or
   * reject it), ERROR (`errors` says which cells; nothing was written), or TIMED_OUT, CANCEL, …. The first read
   * is at once, then one every `intervalMs`.
   * @throws MambuTsError for bad options, when still pending after `maxPolls` reads (the message says the last
   *   state) or when `signal` aborts; MambuError / MambuCommError from a read.
   */
  async wait(opts: DataImportWaitOptions = {}): Promise<this> {
    const label = "MambuDataImport#wait";
    checkOptionKeys(label, opts, ["onProgress", "intervalMs", "maxPolls", "signal"]);
    const { onProgress, ...rest } = opts;
    if (onProgress !== undefined && typeof onProgress !== "function") throw new MambuTsError(`${label}: onProgress must be a function`);
    const plan = pollPlan<this>(label, {
      ...rest,
      onProgress: onProgress && ((imp, poll) => onProgress({ importKey: imp.importKey, state: imp.state, errors: imp.errors, eventKey: imp.eventKey, poll })),
    });
    return pollUntilSettled<this>({ label, what: `import ${this.importKey}`, read: (signal) => this.read(label, signal), stateOf: (imp) => imp.state }, plan);
  }

  /** The eventKey to act on, or a MambuTsError saying why there is none. */
  private eventKeyFor(action: "approve" | "reject"): string {
    const label = `MambuDataImport#${action}`;
    if (this.decision) throw new MambuTsError(`${label}: import ${this.importKey} was already ${this.decision === "APPROVE" ? "approved" : "rejected"}`);
    if (this.state === "ERROR") {
      const n = this.errors.length;
      throw new MambuTsError(`${label}: import ${this.importKey} ended in ERROR (${n} error${n === 1 ? "" : "s"} in the workbook, see imp.errors): nothing was imported, so there is nothing to ${action}; fix the workbook and upload it again`);
    }
    if (this.pending) throw new MambuTsError(`${label}: import ${this.importKey} is still ${this.state}: await imp.wait() first`);
    if (this.state !== "COMPLETE") throw new MambuTsError(`${label}: import ${this.importKey} ended ${this.state}: there is nothing to ${action}`);
    if (this.eventKey === undefined) throw new MambuTsError(`${label}: import ${this.importKey} is COMPLETE but Mambu gave no eventKey yet: await imp.refresh() and try again`);
    return this.eventKey;
  }

  private async act(type: "APPROVE" | "REJECT", opts: DataImportActionOptions): Promise<this> {
    const action = type === "APPROVE" ? "approve" : "reject";
    checkOptionKeys(`MambuDataImport#${action}`, opts, ["idempotencyKey", "signal"]);
    const eventKey = this.eventKeyFor(action);
    await callOperation("data_import", "action", {
      path: { eventKey }, body: { type }, connector: this.#connector, idempotencyKey: opts.idempotencyKey, signal: opts.signal,
    });
    this.decision = type;
    return this;
  }

  /**
   * Keeps what the import wrote (`POST /data/import/events/{eventKey}:action`, `{ type: "APPROVE" }`).
   * @throws MambuTsError, before any request, when the import is still pending, ended in ERROR (nothing to
   *   approve) or otherwise than COMPLETE, has no eventKey yet, or was already approved or rejected here;
   *   MambuError when Mambu refuses.
   */
  approve(opts: DataImportActionOptions = {}): Promise<this> {
    return this.act("APPROVE", opts);
  }

  /**
   * Reverts everything the import wrote (`POST /data/import/events/{eventKey}:action`, `{ type: "REJECT" }`).
   * @throws MambuTsError as {@link MambuDataImport.approve} does; MambuError when Mambu refuses.
   */
  reject(opts: DataImportActionOptions = {}): Promise<this> {
    return this.act("REJECT", opts);
  }

  /** The import as plain data: `{ importKey, state, errors, eventKey?, decision? }`. */
  toJSON(): { importKey: string; state: DataImportState; errors: DataImportError[]; eventKey?: string; decision?: "APPROVE" | "REJECT" } {
    return {
      importKey: this.importKey, state: this.state, errors: this.errors,
      ...(this.eventKey !== undefined ? { eventKey: this.eventKey } : {}),
      ...(this.decision !== undefined ? { decision: this.decision } : {}),
    };
  }

  /** `MambuDataImport(key) { state: 'COMPLETE', errors: [], eventKey: '…' }` in the REPL (no connector shown). */
  [inspect.custom](depth: number, options: { stylize?: unknown } & object): string {
    const { importKey, ...rest } = this.toJSON();
    return `MambuDataImport(${importKey}) ${inspect(rest, { ...options, depth: depth < 0 ? null : depth })}`;
  }
}

/** An import, as {@link MambuDataImport.upload} and {@link MambuDataImport.get} return it. */
export type DataImport = MambuDataImport;
