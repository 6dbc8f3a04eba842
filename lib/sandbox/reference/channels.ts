/**
 * Transaction channels (`/organization/transactionChannels`): list (filter `transactionChannelState`), create, get
 * by id or encodedKey, replace (PUT, answered 200 without a body as the contract says) and delete, with Mambu's
 * refusals: a blank id or name, an id with spaces, an id or a name another channel has, constraints that
 * contradict their usage, a `glAccount` the chart of accounts lacks (when the tenant has one), deleting or
 * deactivating the default channel, deleting a channel that loan or deposit transactions name
 * (`transactionDetails.transactionChannelId` / `transactionChannelKey`).
 *
 * Stored in the `transactionchannels` collection in wire shape; `isDefault` is read-only (the seed marks one).
 */
import { validateBody, validateQuery } from "../contract";
import { ErrorName, invalidParameters, mambuError } from "../errors";
import type { Router, SandboxContext } from "../router";
import type { WireRecord } from "../types";

/** The fields of `TransactionChannel` (what the answers hold: the seed's bookkeeping dates are left out). */
const FIELDS = ["encodedKey", "id", "name", "state", "isDefault", "glAccount", "availableForAll", "usageRights", "loanConstraints", "depositConstraints"];

/** Most channels a tenant keeps in the sandbox. */
export const MAX_TRANSACTION_CHANNELS = 1000;

/** A stored channel in wire shape (copies, so that a caller cannot change the store). */
export function channelWire(rec: WireRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (rec[k] !== undefined) out[k] = JSON.parse(JSON.stringify(rec[k]));
  return out;
}

/** A channel by id or encodedKey, or 404 INVALID_TRANSACTION_CHANNEL_ID. */
export function requireChannel(ctx: SandboxContext, idOrKey: string): WireRecord {
  const rec = ctx.store.find("transactionchannels", idOrKey);
  if (!rec) throw mambuError("INVALID_TRANSACTION_CHANNEL_ID", `transactionChannelId: ${idOrKey}`);
  return rec;
}

/** Whether a loan or deposit transaction names the channel. */
export function channelInUse(ctx: SandboxContext, channel: WireRecord): boolean {
  const names = (tx: WireRecord): boolean => {
    const d = tx.transactionDetails as { transactionChannelId?: unknown; transactionChannelKey?: unknown } | undefined;
    return !!d && typeof d === "object" && (d.transactionChannelId === channel.id || d.transactionChannelKey === channel.encodedKey);
  };
  return ctx.store.all("loanTransactions").some(names) || ctx.store.all("depositTransactions").some(names);
}

function checkConstraints(value: unknown, reason: ErrorName, field: string): void {
  const c = value as { usage?: unknown; constraints?: unknown[] } | undefined;
  if (!c || typeof c !== "object") return;
  const n = Array.isArray(c.constraints) ? c.constraints.length : 0;
  if (c.usage === "LIMITED" && n === 0) throw mambuError(reason, `${field}: LIMITED usage needs constraints`);
  if (c.usage === "UNCONSTRAINED" && n > 0) throw mambuError(reason, `${field}: UNCONSTRAINED usage takes no constraints`);
}

/** Checks a channel body (create or replace) against the contract and Mambu's rules; `self` is the channel replaced. */
function checkChannel(ctx: SandboxContext, body: unknown, self?: WireRecord): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object (TransactionChannel)");
  const b = body as Record<string, unknown>;
  if (typeof b.id !== "string" || b.id.trim() === "") throw mambuError("EMPTY_TRANSACTION_CHANNEL_ID", "id");
  if (/\s/.test(b.id)) throw mambuError("TRANSACTION_CHANNEL_ID_CONTAINS_SPACES", `id: ${JSON.stringify(b.id)}`);
  if (typeof b.name !== "string" || b.name.trim() === "") throw mambuError("EMPTY_TRANSACTION_CHANNEL_NAME", "name");
  validateBody("organization_transactionChannels", "TransactionChannel", b, ctx.clock.offset);
  const others = ctx.store.all("transactionchannels").filter((c) => c !== self);
  if (others.some((c) => c.id === b.id || c.encodedKey === b.id)) throw mambuError("DUPLICATE_TRANSACTION_CHANNEL_ID", `id: ${b.id}`);
  const lower = b.name.trim().toLowerCase();
  if (others.some((c) => typeof c.name === "string" && c.name.trim().toLowerCase() === lower)) {
    throw mambuError("DUPLICATE_TRANSACTION_CHANNEL_NAME", `name: ${b.name}`);
  }
  // with a chart of accounts, the channel's GL account must be one of it (by glCode or encodedKey)
  const gls = ctx.store.all("glaccounts");
  if (gls.length && !gls.some((g) => g.glCode === b.glAccount || g.encodedKey === b.glAccount)) {
    throw mambuError("INVALID_GL_ACCOUNT_ID", `glAccount: no GL account ${String(b.glAccount)}`, 400);
  }
  checkConstraints(b.loanConstraints, "INVALID_TRANSACTION_CHANNEL_LOAN_CONSTRAINTS", "loanConstraints");
  checkConstraints(b.depositConstraints, "INVALID_TRANSACTION_CHANNEL_SAVINGS_CONSTRAINTS", "depositConstraints");
  if (b.availableForAll === false && Array.isArray(b.usageRights) && b.usageRights.length > 1000) throw invalidParameters("usageRights: at most 1000 roles");
  return b;
}

/** The stored record for a checked body: the contract's writable fields only. */
function recordOf(b: Record<string, unknown>, encodedKey: string, isDefault: boolean): WireRecord {
  const rec: WireRecord = {
    encodedKey,
    id: b.id as string,
    name: b.name as string,
    state: b.state === "INACTIVE" ? "INACTIVE" : "ACTIVE",
    isDefault,
    glAccount: b.glAccount,
    availableForAll: b.availableForAll !== false,
    usageRights: Array.isArray(b.usageRights) ? b.usageRights.map(String) : [],
    loanConstraints: JSON.parse(JSON.stringify(b.loanConstraints)),
    depositConstraints: JSON.parse(JSON.stringify(b.depositConstraints)),
  };
  return rec;
}

/** Registers the transaction channel routes. */
export function registerChannelRoutes(router: Router): void {
  const base = "/organization/transactionChannels";
  router.add("GET", base, (ctx, req) => {
    validateQuery("organization_transactionChannels", "GET", base, req.query);
    const state = req.query.transactionChannelState;
    const list = ctx.store.all("transactionchannels").filter((c) => state === undefined || c.state === state);
    return { status: 200, body: list.map(channelWire) };
  });
  router.add("POST", base, (ctx, req) => {
    const b = checkChannel(ctx, req.body);
    if (ctx.store.count("transactionchannels") >= MAX_TRANSACTION_CHANNELS) {
      throw invalidParameters(`the sandbox keeps at most ${MAX_TRANSACTION_CHANNELS} transaction channels`);
    }
    const rec = recordOf(b, ctx.store.newEncodedKey(), false);
    ctx.store.insert("transactionchannels", rec);
    return { status: 201, body: channelWire(rec) };
  });
  router.add("GET", `${base}/{transactionChannelId}`, (ctx, req) => ({ status: 200, body: channelWire(requireChannel(ctx, req.params.transactionChannelId)) }));
  router.add("PUT", `${base}/{transactionChannelId}`, (ctx, req) => {
    const old = requireChannel(ctx, req.params.transactionChannelId);
    const b = checkChannel(ctx, req.body, old);
    const rec = recordOf(b, old.encodedKey, old.isDefault === true);
    if (rec.isDefault && rec.state === "INACTIVE") throw mambuError("TRANSACTION_CHANNEL_CANNOT_BE_DEACTIVATED", `${old.id} is the default channel`);
    ctx.store.replace("transactionchannels", rec);
    return { status: 200 };
  });
  router.add("DELETE", `${base}/{transactionChannelId}`, (ctx, req) => {
    const old = requireChannel(ctx, req.params.transactionChannelId);
    if (old.isDefault === true) throw mambuError("CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL", String(old.id));
    if (channelInUse(ctx, old)) throw mambuError("TRANSACTION_CHANNEL_IN_USE", `${String(old.id)}: transactions were made through it`);
    ctx.store.remove("transactionchannels", old.encodedKey);
    return { status: 204 };
  });
}
