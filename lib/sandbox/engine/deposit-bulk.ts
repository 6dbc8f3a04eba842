/**
 * Bulk deposits (`POST /deposits/deposit-transactions:bulk`, `BulkDepositTransactionsInput`) and their status
 * (`GET /bulks/{bulkProcessKey}`, `BulkProcessStatus`).
 *
 * Mambu queues the bulk and answers 202 with the bulk process in the `Location` header, then works through it in
 * the background; so does the sandbox (see ../jobs.ts): the answer comes at once with the bulk QUEUED, and the
 * rows are posted in steps, one step before each later request, at most `jobRowsPerStep` rows a step — the status
 * goes QUEUED → IN_PROGRESS (`processedItems` and `errors` growing) → COMPLETE. The bulk, its rows still to post
 * and its results live in the `bulks` collection (they survive `--persist`). Each row is an independent deposit
 * (as `POST /deposits/{accountId}/deposit-transactions`): a row with an unknown account, a non-positive amount
 * (400 POSITIVE_AMOUNT_REQUIRED) or an account in the wrong state fails alone, with its `indexInRequest` in
 * `errors`; the others post and are listed in `processedItems` with their transaction id. At most {@link MAX_BULK_ROWS} rows (else 400 BULK_API_REQUEST_SIZE_LIMIT_REACHED, nothing
 * posted); no rows is 400 INVALID_PARAMETERS.
 */
import { SandboxError, WireRecord } from "../types";
import { EngineContext, EngineResult } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { makeDeposit } from "./deposit-transactions";
import { dec } from "./money";
import { enqueueJob } from "../jobs";

/** The most rows a bulk may have. */
export const MAX_BULK_ROWS = 1000;

/** `BulkProcessingSuccess`. */
interface Processed {
  externalId?: string;
  id: string;
  indexInRequest: number;
}

/** `BulkProcessingError`. */
interface RowError {
  externalId?: string;
  errorCode: number;
  indexInRequest: number;
  errorSource?: string;
  errorReason: string;
}

function postRow(ctx: EngineContext, row: unknown): string {
  if (!row || typeof row !== "object" || Array.isArray(row)) throw invalidParameters("a transaction must be an object");
  const r = row as Record<string, unknown>;
  let amount;
  try {
    amount = dec(r.amount);
  } catch {
    throw mambuError("POSITIVE_AMOUNT_REQUIRED", `invalid amount ${JSON.stringify(r.amount)}`);
  }
  if (!amount.isFinite() || !amount.greaterThan(0)) throw mambuError("POSITIVE_AMOUNT_REQUIRED", `amount must be positive, got ${JSON.stringify(r.amount)}`);
  if (typeof r.accountId !== "string" || r.accountId === "") throw mambuError("INVALID_DEPOSIT_ACCOUNT_ID", "accountId missing", 400);
  // Only the fields of a bulk row (Swagger DepositTransactionBulkableInputDTO): Mambu books each on the day it
  // processes the bulk, so a valueDate or bookingDate a row carries is not honoured (it is not in the contract).
  const bulkable: Record<string, unknown> = {};
  for (const k of BULKABLE) if (Object.prototype.hasOwnProperty.call(r, k)) bulkable[k] = r[k];
  return String(makeDeposit(ctx, r.accountId, bulkable).id);
}

/** The fields of a bulk deposit row. */
const BULKABLE = ["accountId", "amount", "externalId", "notes", "paymentDetails", "paymentOrderId", "transactionDetails"] as const;

function externalIdOf(row: unknown): string | undefined {
  return row && typeof row === "object" && typeof (row as { externalId?: unknown }).externalId === "string"
    ? (row as { externalId: string }).externalId
    : undefined;
}

/**
 * Queues a bulk of deposits (`POST /deposits/deposit-transactions:bulk`): checks the envelope (at least one row, at
 * most {@link MAX_BULK_ROWS}) and answers 202 with `Location: /api/bulks/{bulkProcessKey}`; the rows are posted
 * later by {@link stepBulk}, from the sandbox's job queue.
 */
export function makeBulkDeposits(ctx: EngineContext, body: Record<string, unknown> | undefined): EngineResult {
  const rows = body?.transactions;
  if (!Array.isArray(rows) || rows.length === 0) throw invalidParameters("transactions must list at least one transaction");
  if (rows.length > MAX_BULK_ROWS) {
    throw mambuError("BULK_API_REQUEST_SIZE_LIMIT_REACHED", `a bulk has at most ${MAX_BULK_ROWS} transactions, got ${rows.length}`);
  }
  const key = ctx.store.newEncodedKey();
  ctx.store.insert("bulks", {
    encodedKey: key,
    status: "QUEUED",
    processedItems: [],
    errors: [],
    creationDate: ctx.clock.nowIso(),
    pendingRows: JSON.parse(JSON.stringify(rows)) as unknown[],
    nextRow: 0,
  });
  enqueueJob(ctx.store, { kind: "bulk", key });
  return { status: 202, headers: { Location: `/api/bulks/${key}` } };
}

/**
 * Posts at most `budget` rows of the bulk `key` (one step of ../jobs.ts): each row alone, as
 * `POST /deposits/{accountId}/deposit-transactions`; a failed row goes to `errors` with its `indexInRequest`.
 * The bulk is IN_PROGRESS while rows remain, COMPLETE after its last row (its input is then dropped).
 */
export function stepBulk(ctx: EngineContext, key: string, budget: number): { rows: number; done: boolean } {
  const bulk = ctx.store.coll("bulks").byKey.get(key);
  if (!bulk || !Array.isArray(bulk.pendingRows)) return { rows: 0, done: true };
  const rows = bulk.pendingRows as unknown[];
  const processedItems = [...((bulk.processedItems as Processed[] | undefined) ?? [])];
  const errors = [...((bulk.errors as RowError[] | undefined) ?? [])];
  let next = typeof bulk.nextRow === "number" ? bulk.nextRow : 0;
  let done = 0;
  while (next < rows.length && done < budget) {
    const indexInRequest = next;
    const row = rows[indexInRequest];
    const externalId = externalIdOf(row);
    try {
      const id = postRow(ctx, row);
      processedItems.push({ ...(externalId !== undefined ? { externalId } : {}), id, indexInRequest });
    } catch (e) {
      const err = e instanceof SandboxError ? e : mambuError("INTERNAL_ERROR", (e as Error)?.message ?? String(e));
      errors.push({
        ...(externalId !== undefined ? { externalId } : {}),
        errorCode: err.errorCode,
        indexInRequest,
        ...(err.errorSource !== undefined ? { errorSource: err.errorSource } : {}),
        errorReason: err.errorReason,
      });
    }
    next++;
    done++;
  }
  const finished = next >= rows.length;
  const updated: WireRecord = { ...bulk, status: finished ? "COMPLETE" : "IN_PROGRESS", processedItems, errors, nextRow: next };
  if (finished) delete updated.pendingRows;
  ctx.store.replace("bulks", updated);
  return { rows: done, done: finished };
}

/** `GET /bulks/{bulkProcessKey}`: the bulk's status, processed rows and failed rows (404 INVALID_BULK_PROCESS_KEY). */
export function getBulkStatus(ctx: EngineContext, key: string): Record<string, unknown> {
  const bulk = ctx.store.coll("bulks").byKey.get(key);
  if (!bulk) throw mambuError("INVALID_BULK_PROCESS_KEY", `no bulk process ${key}`);
  return { errors: bulk.errors, processedItems: bulk.processedItems, status: bulk.status };
}
