/**
 * How SEPA direct-debit collections sit in the sandbox's store (`paycollections`): one record per collection,
 * keyed by its `collectionId`, holding the request as sent, where it stands (`status`), the day it is due, the
 * debtor's deposit account and the mandate it was collected under.
 */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import type { TppMessage } from "./tpp";

/** Where a collection stands: accepted and waiting for its due date, settled, or rejected. */
export type CollectionState = "ACSP" | "ACSC" | "RJCT";

/** A stored collection. */
export interface CollectionRecord extends WireRecord {
  /** The collectionId. */
  id: string;
  /** The body of `POST /collections` as it was sent. */
  request: Record<string, unknown>;
  status: CollectionState;
  /** The requested collection date (today when none was asked), `YYYY-MM-DD`. */
  dueDate: string;
  /** The debtor's deposit account (encodedKey), found by its IBAN. */
  accountKey: string;
  /** The creditor scheme identification (SEPA creditor identifier) and the mandate's id. */
  creditorId: string;
  mandateId: string;
  sequenceType: string;
  /** Messages of the answer (why it was rejected). */
  messages: TppMessage[];
  /** The ISO 20022 reason of a rejection (MS02, AM04, AC04, AC01, MS03). */
  reasonCode?: string;
  creationDateTime: string;
  /** The v2 deposit transaction of the debit, once settled. */
  transactionKey?: string;
}

/** Every collection, in the order they were initiated. */
export function allCollections(ctx: SandboxContext): CollectionRecord[] {
  return ctx.store.all("paycollections") as CollectionRecord[];
}

/** A collection by id, or undefined. */
export function findCollection(ctx: SandboxContext, id: string): CollectionRecord | undefined {
  const key = ctx.store.coll("paycollections").idIndex.get(id);
  return key === undefined ? undefined : (ctx.store.coll("paycollections").byKey.get(key) as CollectionRecord | undefined);
}

/** Stores a changed collection. */
export function saveCollection(ctx: SandboxContext, rec: CollectionRecord): CollectionRecord {
  return ctx.store.replace("paycollections", rec) as CollectionRecord;
}
