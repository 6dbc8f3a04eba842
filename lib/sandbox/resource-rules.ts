/**
 * The rules the sandbox's collection declarations share: finding records by id, key or username, `GET` list
 * filters (by branch, centre, credit officer, account holder, field value), reference checks of assignments,
 * account holders and their accounts, group membership kept in clients' `groupKeys`, and search accessors of
 * related records.
 */
import { mambuError } from "./errors";
import type { ErrorName } from "./errors";
import type { Filter } from "./resource-decl";
import type { SandboxContext } from "./router";
import type { Accessor } from "./search";
import type { CollectionName, WireRecord } from "./types";

/** A record by id or key, or undefined. */
const find = (ctx: SandboxContext, coll: CollectionName, idOrKey: string | undefined): WireRecord | undefined =>
  idOrKey === undefined ? undefined : ctx.store.find(coll, idOrKey);

/** A user by id, encodedKey or username. */
export function findUser(ctx: SandboxContext, idOrKey: string): WireRecord | undefined {
  return ctx.store.find("users", idOrKey) ?? ctx.store.all("users").find((u) => u.username === idOrKey);
}

/** The encodedKey of a record given by id or key, or undefined. */
export const keyOf = (ctx: SandboxContext, coll: CollectionName, idOrKey: string): string | undefined => find(ctx, coll, idOrKey)?.encodedKey;

/** `branchId` filter: records assigned to that branch (id or key). */
export const byBranch: Filter = (r, v, ctx) => r.assignedBranchKey !== undefined && r.assignedBranchKey === keyOf(ctx, "branches", v);
/** `centreId` filter: records assigned to that centre (id or key). */
export const byCentre: Filter = (r, v, ctx) => r.assignedCentreKey !== undefined && r.assignedCentreKey === keyOf(ctx, "centres", v);
/** `creditOfficerUsername` filter: records assigned to that user (username, id or key). */
export const byOfficer: Filter = (r, v, ctx) => {
  const u = findUser(ctx, v);
  return !!u && r.assignedUserKey === u.encodedKey;
};
/** A filter on a field's exact value (compared as text). */
export const eqField = (field: string): Filter => (r, v) => r[field] !== undefined && String(r[field]) === v;
/** A filter on a text field's value, ignoring case. */
export const eqFieldCi = (field: string): Filter => (r, v) => typeof r[field] === "string" && (r[field] as string).toLowerCase() === v.toLowerCase();

/** The account holder (client or group) of a loan or deposit. */
export function holderOf(ctx: SandboxContext, acc: WireRecord): WireRecord | undefined {
  const key = acc.accountHolderKey as string | undefined;
  if (!key) return undefined;
  return acc.accountHolderType === "GROUP" ? ctx.store.find("groups", key) : ctx.store.find("clients", key) ?? ctx.store.find("groups", key);
}

/** `accountHolderId` filter: accounts of that client or group (id or key). */
export const byHolder: Filter = (r, v, ctx) => {
  const h = holderOf(ctx, r);
  return !!h && (h.id === v || h.encodedKey === v);
};

/** Checks and normalises branch/centre/officer references (ids become encodedKeys). */
export function checkAssignments(ctx: SandboxContext, rec: WireRecord): void {
  const ref = (field: string, coll: CollectionName, err: ErrorName): void => {
    const v = rec[field];
    if (v === undefined || v === null || v === "") return;
    const target = coll === "users" ? findUser(ctx, String(v)) : ctx.store.find(coll, String(v));
    if (!target) throw mambuError(err, `${field}: ${String(v)}`);
    rec[field] = target.encodedKey;
  };
  ref("assignedBranchKey", "branches", "INVALID_BRANCH_KEY");
  ref("assignedCentreKey", "centres", "INVALID_CENTRE_KEY");
  ref("assignedUserKey", "users", "INVALID_CREDIT_OFFICER_KEY");
  if (rec.assignedCentreKey && !rec.assignedBranchKey) {
    const c = ctx.store.find("centres", String(rec.assignedCentreKey));
    if (c?.assignedBranchKey) rec.assignedBranchKey = c.assignedBranchKey;
  }
}

/** Whether a client or group (by encodedKey) holds any loan or deposit. */
export const hasAccounts = (ctx: SandboxContext, holderKey: string): boolean =>
  ctx.store.all("loans").some((l) => l.accountHolderKey === holderKey) ||
  ctx.store.all("deposits").some((d) => d.accountHolderKey === holderKey);

/** Search parents of an account: its holder and its product (for `_Set.field` criteria of related records). */
export const accountParents = (products: CollectionName) => (rec: WireRecord, ctx: SandboxContext): WireRecord[] => {
  const h = holderOf(ctx, rec);
  const p = find(ctx, products, rec.productTypeKey as string | undefined);
  return [h, p].filter((x): x is WireRecord => !!x);
};

/** Search parents of a transaction: its account and the account's holder. */
export const txParents = (coll: CollectionName) => (rec: WireRecord, ctx: SandboxContext): WireRecord[] => {
  const acc = find(ctx, coll, rec.parentAccountKey as string | undefined);
  if (!acc) return [];
  const h = holderOf(ctx, acc);
  return h ? [acc, h] : [acc];
};

/** A search accessor: the id of the record a key field points at. */
export const idOf = (coll: CollectionName, field: string): Accessor => (r, ctx) => find(ctx, coll, r[field] as string | undefined)?.id;

/** Keeps clients' groupKeys in step with a group's members. */
export function syncGroupKeys(ctx: SandboxContext, group: WireRecord | undefined, old: WireRecord | undefined): void {
  const members = (g: WireRecord | undefined): string[] =>
    ((g?.groupMembers as Array<{ clientKey?: string }> | undefined) ?? []).map((m) => String(m.clientKey));
  const key = (group ?? old)!.encodedKey;
  const now = new Set(members(group));
  for (const k of new Set([...members(old), ...now])) {
    const c = ctx.store.find("clients", k);
    if (!c) continue;
    const keys = new Set((c.groupKeys as string[] | undefined) ?? []);
    const had = keys.has(key);
    if (now.has(k)) keys.add(key);
    else keys.delete(key);
    if (had !== keys.has(key)) ctx.store.replace("clients", { ...c, groupKeys: [...keys] });
  }
}

/** The `GET /loans` and `GET /deposits` filters. */
export const accountFilters: Record<string, Filter> = {
  branchId: byBranch,
  centreId: byCentre,
  creditOfficerUsername: byOfficer,
  accountState: eqField("accountState"),
  accountHolderType: eqField("accountHolderType"),
  accountHolderId: byHolder,
};
