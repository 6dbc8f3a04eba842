/**
 * Card authorization holds expire as the tenant's `configuration/authorizationholds.yaml` says: a PENDING hold
 * whose days to expiration (the setting of its merchant category code, `cardAcceptor.mcc`, else the default; 7
 * days for a tenant that never configured it) have passed on the sandbox clock since its creation becomes EXPIRED,
 * and the money it reserved leaves the account's `balances.holdBalance` (a deposit's `availableBalance` and a
 * loan's available credit grow back). Run before each /cards, /deposits and /loans request (app.ts), as maturities
 * and arrears are; a hold whose setting changed later expires by the setting in force when the check runs.
 */
import { holdExpiryDays } from "../configuration/authorization-holds";
import { EngineContext } from "./context";
import { expireHold } from "./card-holds";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The merchant category code of a hold (`cardAcceptor.mcc`), when it has one. */
function mccOf(h: Record<string, unknown>): number | undefined {
  const mcc = (h.cardAcceptor as { mcc?: unknown } | undefined)?.mcc;
  const n = typeof mcc === "number" ? mcc : typeof mcc === "string" && /^\d{1,4}$/.test(mcc) ? Number(mcc) : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/** Expires every PENDING hold whose time has come by the sandbox clock; returns how many expired. */
export function expireAuthorizationHolds(ctx: EngineContext): number {
  const now = Date.parse(ctx.clock.nowIso());
  let expired = 0;
  for (const h of ctx.store.all("authorizationholds")) {
    if (h.status !== "PENDING" || typeof h.creationDate !== "string") continue;
    const created = Date.parse(h.creationDate);
    if (Number.isNaN(created)) continue;
    if (now >= created + holdExpiryDays(ctx, mccOf(h)) * DAY_MS) {
      expireHold(ctx, h);
      expired += 1;
    }
  }
  return expired;
}
