/**
 * Bulk deposits (`POST /deposits/deposit-transactions:bulk`, `BulkDepositTransactionsInput`) and their status
 * (`GET /bulks/{bulkProcessKey}`, `BulkProcessStatus`).
 *
 * Mambu queues the bulk and answers 202 with the bulk process in the `Location` header; the sandbox processes
 * it at once (the status is COMPLETE when the answer arrives) and keeps the status in the `bulks` collection.
 * Each row is an independent deposit (as `POST /deposits/{accountId}/deposit-transactions`): a row with an
 * unknown account, a non-positive amount (400 POSITIVE_AMOUNT_REQUIRED) or an account in the wrong state fails
 * alone, with its `indexInRequest` in `errors`; the others post and are listed in `processedItems` with their
 * transaction id. At most {@link MAX_BULK_ROWS} rows (else 400 BULK_API_REQUEST_SIZE_LIMIT_REACHED, nothing
 * posted); no rows is 400 INVALID_PARAMETERS.
 */
import { SandboxError } from "../types";
import { EngineContext, EngineResult } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { makeDeposit } from "./deposit-transactions";
import { dec } from "./money";

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
  return String(makeDeposit(ctx, r.accountId, r).id);
}

/** Processes a bulk of deposits; answers 202 with `Location: /api/bulks/{bulkProcessKey}`. */
export function makeBulkDeposits(ctx: EngineContext, body: Record<string, unknown> | undefined): EngineResult {
  const rows = body?.transactions;
  if (!Array.isArray(rows) || rows.length === 0) throw invalidParameters("transactions must list at least one transaction");
  if (rows.length > MAX_BULK_ROWS) {
    throw mambuError("BULK_API_REQUEST_SIZE_LIMIT_REACHED", `a bulk has at most ${MAX_BULK_ROWS} transactions, got ${rows.length}`);
  }
  const processedItems: Processed[] = [];
  const errors: RowError[] = [];
  rows.forEach((row: unknown, indexInRequest: number) => {
    const externalId = row && typeof row === "object" && typeof (row as { externalId?: unknown }).externalId === "string"
      ? (row as { externalId: string }).externalId
      : undefined;
    try {
      const id = postRow(ctx, row);
      processedItems.push({ ...(externalId !== undefined ? { externalId } : {}), id, indexInRequest });
    } catch (e) {
      if (!(e instanceof SandboxError)) throw e;
      errors.push({
        ...(externalId !== undefined ? { externalId } : {}),
        errorCode: e.errorCode,
        indexInRequest,
        ...(e.errorSource !== undefined ? { errorSource: e.errorSource } : {}),
        errorReason: e.errorReason,
      });
    }
  });
  const key = ctx.store.newEncodedKey();
  ctx.store.insert("bulks", { encodedKey: key, status: "COMPLETE", processedItems, errors, creationDate: ctx.clock.nowIso() });
  return { status: 202, headers: { Location: `/api/bulks/${key}` } };
}

/** `GET /bulks/{bulkProcessKey}`: the bulk's status, processed rows and failed rows (404 INVALID_BULK_PROCESS_KEY). */
export function getBulkStatus(ctx: EngineContext, key: string): Record<string, unknown> {
  const bulk = ctx.store.coll("bulks").byKey.get(key);
  if (!bulk) throw mambuError("INVALID_BULK_PROCESS_KEY", `no bulk process ${key}`);
  return { errors: bulk.errors, processedItems: bulk.processedItems, status: bulk.status };
}
