/**
 * API consumer records (`apiconsumers`, the contract's ApiConsumer): the declaration the generic create, PUT and
 * PATCH machinery of ../crud.ts works with, and the rules of a written consumer —
 * - `name` (not blank, at most {@link MAX_CONSUMER_NAME_LENGTH} characters) and `type` (the contract's enum)
 *   are required;
 * - `id`, `encodedKey`, `creationDate`, `lastModifiedDate` are the sandbox's (the id is generated);
 * - `access.apiAccess` is always true (an API consumer exists to call the API);
 * - `role` names an existing user role by id or encodedKey (else 400 INVALID_ROLE_ID) and is stored as both;
 * - `assignedBranchKey` and `access.managedBranches[].branchKey` name existing branches by id or encodedKey
 *   (else 400 INVALID_BRANCH_KEY) and are stored as encodedKeys;
 * - `transactionLimits` maps at most {@link MAX_TRANSACTION_LIMITS} names to integers from 0 to 2^31-1;
 * - fields the contract does not know are dropped.
 * An unknown consumer is 404 OBJECT_NOT_FOUND (Mambu's RestError enum has no reason of its own for it).
 */
import { findDefinition } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import type { ResourceDecl } from "../resource-decl";
import { eqField } from "../resource-rules";
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { removeKeysOf } from "./api-keys";

/** Longest consumer name. */
export const MAX_CONSUMER_NAME_LENGTH = 255;
/** Most entries of a consumer's `transactionLimits`. */
export const MAX_TRANSACTION_LIMITS = 100;

const INT32_MAX = 2 ** 31 - 1;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The contract's ApiConsumer fields (top level). */
function consumerFields(): Set<string> {
  return new Set(Object.keys(findDefinition("consumers", "ApiConsumer")?.fields ?? {}));
}

function checkName(rec: WireRecord): void {
  const name = rec.name;
  if (typeof name !== "string" || name.trim() === "") throw invalidParameters("name: must not be blank");
  if (name.length > MAX_CONSUMER_NAME_LENGTH) throw invalidParameters(`name: at most ${MAX_CONSUMER_NAME_LENGTH} characters`);
}

function checkRole(ctx: SandboxContext, rec: WireRecord): void {
  const role = rec.role;
  if (role === undefined || role === null) {
    delete rec.role;
    return;
  }
  if (!isObj(role)) throw invalidParameters("role: expected an object with the user role's id or encodedKey");
  const ref = role.encodedKey ?? role.id;
  if (ref === undefined || ref === null || ref === "") {
    delete rec.role;
    return;
  }
  const r = ctx.store.find("userroles", String(ref));
  if (!r) throw mambuError("INVALID_ROLE_ID", `role: no user role ${String(ref).slice(0, 64)}`, 400);
  rec.role = { encodedKey: r.encodedKey, id: r.id };
}

function branchKey(ctx: SandboxContext, value: unknown, where: string): string {
  const b = typeof value === "string" && value !== "" ? ctx.store.find("branches", value) : undefined;
  if (!b) throw mambuError("INVALID_BRANCH_KEY", `${where}: no branch ${String(value).slice(0, 64)}`);
  return b.encodedKey;
}

function checkAccess(ctx: SandboxContext, rec: WireRecord): void {
  const access = rec.access === undefined || rec.access === null ? {} : rec.access;
  if (!isObj(access)) throw invalidParameters("access: expected an object");
  const managed = access.managedBranches;
  if (Array.isArray(managed)) {
    access.managedBranches = managed.map((m, i) => {
      if (!isObj(m)) throw invalidParameters(`access.managedBranches[${i}]: expected an object with branchKey`);
      return { branchKey: branchKey(ctx, m.branchKey, `access.managedBranches[${i}].branchKey`) };
    });
  }
  access.apiAccess = true;
  rec.access = access;
}

function checkLimits(rec: WireRecord): void {
  const limits = rec.transactionLimits;
  if (limits === undefined || limits === null) {
    delete rec.transactionLimits;
    return;
  }
  if (!isObj(limits)) throw invalidParameters("transactionLimits: expected an object of limits by name");
  const entries = Object.entries(limits);
  if (entries.length > MAX_TRANSACTION_LIMITS) throw invalidParameters(`transactionLimits: at most ${MAX_TRANSACTION_LIMITS} entries`);
  for (const [k, v] of entries) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > INT32_MAX) {
      throw invalidParameters(`transactionLimits.${k.slice(0, 64)}: expected an integer from 0 to ${INT32_MAX}`);
    }
  }
}

/** Checks and normalises a consumer about to be written (new when `old` is undefined). */
function prepareConsumer(ctx: SandboxContext, rec: WireRecord, old: WireRecord | undefined): void {
  const known = consumerFields();
  for (const k of Object.keys(rec)) if (!known.has(k)) delete rec[k];
  if (!old) delete rec.id; // readOnly: the sandbox numbers consumers
  checkName(rec);
  checkRole(ctx, rec);
  if (rec.assignedBranchKey === undefined || rec.assignedBranchKey === null || rec.assignedBranchKey === "") delete rec.assignedBranchKey;
  else rec.assignedBranchKey = branchKey(ctx, rec.assignedBranchKey, "assignedBranchKey");
  checkAccess(ctx, rec);
  checkLimits(rec);
}

/** The declaration of API consumers for the generic create / PUT / PATCH of ../crud.ts (routes in consumers.ts). */
export const CONSUMERS: ResourceDecl = {
  coll: "apiconsumers",
  path: "/consumers",
  idParam: "apiConsumerId",
  swagger: "consumers",
  definition: "ApiConsumer",
  notFound: "OBJECT_NOT_FOUND",
  filters: { type: eqField("type") },
  prepare: prepareConsumer,
  afterDelete: (ctx, rec) => removeKeysOf(ctx, rec.encodedKey),
};
