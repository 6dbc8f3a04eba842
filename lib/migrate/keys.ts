/**
 * Deterministic identities of a migration: the `Idempotency-Key` of each request of each step (v4
 * format, derived from the plan id, the row's key and the step), the `externalId` tagging each posted
 * transaction, and ids the source does not give (settlement accounts). The same plan and rows give
 * the same keys on every run, so a retry or a rerun is recognised instead of duplicated.
 */
import { createHash } from "crypto";
import { deterministicUuidV4 } from "../transport/uuid";

/** Namespace of every key, so that keys of other tools never collide with ours. */
const NS = "mambu-ts/migrate/v1";

/**
 * The `Idempotency-Key` of one request of a step: `(plan id, row key, step, part)` → v4-format UUID.
 * `part` tells apart the requests of a step that needs several (settlement: create, approve, link).
 * `scope`, when given, is the journal's own (journal.ts: a journal that creates without look-ups):
 * its runs share their keys, while another journal's creation of a record that exists gets Mambu's
 * "id already in use" (and adopts it) rather than a replay of the first answer.
 */
export function idempotencyKey(planId: string, rowKey: string, step: string, part = "", scope?: string): string {
  return scope === undefined ? deterministicUuidV4(NS, planId, rowKey, step, part) : deterministicUuidV4(NS, planId, rowKey, step, part, scope);
}

/** A short stable hash (hex) of parts, length-prefixed so that ("ab","c") ≠ ("a","bc"). */
export function shortHash(parts: readonly string[], hexChars = 20): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${Buffer.byteLength(p, "utf8")}:${p}`);
  return h.digest("hex").slice(0, hexChars);
}

/**
 * The `externalId` of a transaction row that has none in the source: `mig-` and a hash of the plan id,
 * the loan, the kind, the value date, the amount and the occurrence of that same tuple on the loan
 * (so two identical repayments on one day stay two). Stable when rows are re-fed from a failures file.
 */
export function derivedExternalId(planId: string, loanId: string, kind: string, valueDate: string, amount: string, occurrence: number): string {
  return `mig-${shortHash([NS, planId, loanId, kind, valueDate, amount, String(occurrence)])}`;
}

/** The `externalId` of a loan's disbursement transaction. */
export function disbursementExternalId(planId: string, loanId: string): string {
  return `mig-${shortHash([NS, planId, loanId, "disburse"])}`;
}

/** The `externalId` of a deposit account's opening deposit. */
export function openingExternalId(planId: string, depositId: string): string {
  return `mig-${shortHash([NS, planId, depositId, "opening"])}`;
}

/** Row keys: what identifies a row across runs. */
export const rowKey = {
  client: (id: string) => `client:${id}`,
  group: (id: string) => `group:${id}`,
  loan: (id: string) => `loan:${id}`,
  deposit: (id: string) => `deposit:${id}`,
  transaction: (kind: string, loanId: string, externalId: string) => `${kind}:${loanId}:${externalId}`,
};
