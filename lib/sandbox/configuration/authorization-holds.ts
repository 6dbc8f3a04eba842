/**
 * `configuration/authorizationholds.yaml` (Mambu's newer reference): how many days a card authorization hold
 * lives before it expires — the default, and per Merchant Category Code (`mcc`). Kept in
 * `store.extra.authorizationHoldsConfiguration`; a tenant that never set it has the reference's default of 7 days
 * and no per-MCC settings. {@link holdExpiryDays} is what the card engine asks.
 */
import { invalidParameters, mambuError } from "../errors";
import type { SandboxContext } from "../router";
import { ownValue } from "../safe-keys";

/** The document (`AuthorizationHoldsConfiguration`). */
export interface AuthorizationHoldsConfig {
  defaultAuthorizationHold: { daysToExpiration: number };
  authorizationHolds: Array<{ mcc: number; daysToExpiration: number; description?: string }>;
}

/** Where the settings live in `store.extra`. */
export const HOLDS_EXTRA_KEY = "authorizationHoldsConfiguration";

/** Days a hold lives when the tenant never configured it (the reference's example). */
export const DEFAULT_HOLD_DAYS = 7;

/** Most per-MCC settings in one document. */
export const MAX_HOLD_SETTINGS = 10000;

/** The tenant's authorization holds document (a copy). */
export function authorizationHoldsDocument(ctx: SandboxContext): AuthorizationHoldsConfig {
  const stored = ownValue(ctx.store.extra, HOLDS_EXTRA_KEY) as AuthorizationHoldsConfig | undefined;
  if (!stored) return { defaultAuthorizationHold: { daysToExpiration: DEFAULT_HOLD_DAYS }, authorizationHolds: [] };
  return { defaultAuthorizationHold: { ...stored.defaultAuthorizationHold }, authorizationHolds: stored.authorizationHolds.map((h) => ({ ...h })) };
}

/** Days until a hold with this merchant category code expires. */
export function holdExpiryDays(ctx: SandboxContext, mcc: number | undefined): number {
  const doc = authorizationHoldsDocument(ctx);
  const own = mcc === undefined ? undefined : doc.authorizationHolds.find((h) => h.mcc === mcc);
  return own ? own.daysToExpiration : doc.defaultAuthorizationHold.daysToExpiration;
}

/** Applies a validated document (what it leaves out is gone; no default given keeps the current default). */
export function applyAuthorizationHolds(ctx: SandboxContext, doc: Partial<AuthorizationHoldsConfig>): void {
  const current = authorizationHoldsDocument(ctx);
  const days = (n: number, where: string): number => {
    if (!Number.isInteger(n) || n <= 0) throw mambuError("INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD", `${where}: Days to expire value must be a positive number`);
    return n;
  };
  const list = doc.authorizationHolds ?? [];
  if (list.length > MAX_HOLD_SETTINGS) throw invalidParameters(`authorizationHolds: at most ${MAX_HOLD_SETTINGS} settings`);
  const seen = new Set<number>();
  const holds = list.map((h, i) => {
    if (seen.has(h.mcc)) throw invalidParameters(`authorizationHolds[${i}].mcc: ${h.mcc} is listed twice`);
    if (h.mcc < 0 || h.mcc > 9999) throw invalidParameters(`authorizationHolds[${i}].mcc: a merchant category code is 0–9999`);
    seen.add(h.mcc);
    const out: { mcc: number; daysToExpiration: number; description?: string } = { mcc: h.mcc, daysToExpiration: days(h.daysToExpiration, `authorizationHolds[${i}].daysToExpiration`) };
    if (h.description !== undefined) out.description = h.description;
    return out;
  });
  const def = doc.defaultAuthorizationHold
    ? { daysToExpiration: days(doc.defaultAuthorizationHold.daysToExpiration, "defaultAuthorizationHold.daysToExpiration") }
    : current.defaultAuthorizationHold;
  ctx.store.extra[HOLDS_EXTRA_KEY] = { defaultAuthorizationHold: def, authorizationHolds: holds };
}
