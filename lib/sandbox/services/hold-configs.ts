/**
 * Hold configurations of the Services API (`/holds`): how long a card authorization hold lasts, per merchant
 * category code or by default (decision `merchant-code` of services-v1.json). They are the tenant's one setting
 * that API v2 serves as `configuration/authorizationholds.yaml` (../configuration/authorization-holds.ts) and the
 * card engine reads, so they are shared, not copied: a duration set here is the expiry of holds made through
 * API v2 and back. That document keeps whole days, so a duration must be a whole number of days in seconds
 * ("604800s"); anything else is 400 INVALID_PARAMETERS. `default` always exists: it can be read and replaced,
 * never created (409) or deleted (400).
 */
import { invalidParameters, mambuError } from "../errors";
import { applyAuthorizationHolds, authorizationHoldsDocument } from "../configuration/authorization-holds";
import type { RouteResponse, Router, SandboxContext } from "../router";
import { checkServicesBody, servicesFields } from "./contract";
import { pageOf } from "./paging";

const DAY = 86400;
const CODE_RE = /^(default|[0-9]{4})$/;

type Setting = { mcc: number; daysToExpiration: number; description?: string };

function days(duration: unknown): number {
  const m = /^([0-9]{1,12})(?:\.0{1,9})?s$/.exec(String(duration));
  const seconds = m ? Number(m[1]) : NaN;
  if (!m || seconds <= 0 || seconds % DAY !== 0) {
    throw invalidParameters(`duration: the sandbox keeps hold expiry in whole days: give a positive multiple of ${DAY}s (e.g. "604800s" for 7 days), got ${JSON.stringify(duration)}`);
  }
  return seconds / DAY;
}

function wireOf(code: string, daysToExpiration: number, description?: string): Record<string, unknown> {
  return { merchant_code: code, duration: `${daysToExpiration * DAY}s`, ...(description !== undefined ? { description } : {}) };
}

const codeOf = (mcc: number): string => String(mcc).padStart(4, "0");

function checkCode(code: string | undefined, where: string): string {
  if (code === undefined || !CODE_RE.test(code)) throw invalidParameters(`${where}: expected "default" or a 4-digit merchant category code, got ${JSON.stringify(code)}`);
  return code;
}

function notFound(code: string): never {
  throw mambuError("OBJECT_NOT_FOUND", `no hold configuration for merchant code ${code}`);
}

function read(ctx: SandboxContext, code: string): Record<string, unknown> {
  const doc = authorizationHoldsDocument(ctx);
  if (code === "default") return wireOf("default", doc.defaultAuthorizationHold.daysToExpiration);
  const own = doc.authorizationHolds.find((h) => h.mcc === Number(code));
  if (!own) notFound(code);
  return wireOf(code, own.daysToExpiration, own.description);
}

function setting(mcc: number, body: Record<string, unknown>): Setting {
  return { mcc, daysToExpiration: days(body.duration), ...(typeof body.description === "string" ? { description: body.description } : {}) };
}

/** Registers the hold configuration routes on the Services router (paths relative to `/v1`). */
export function registerHoldConfigRoutes(router: Router): void {
  const fields = servicesFields("holdConfigs", "HoldConfig");

  router.add("POST", "/holds", (ctx, req): RouteResponse => {
    const body = checkServicesBody("holdConfigs", "HoldConfig", req.body);
    const code = checkCode(String(body.merchant_code), "merchant_code");
    if (code === "default") throw mambuError("INVALID_PARAMETERS", "merchant_code: the default hold configuration always exists (replace it with PUT /holds?merchant_code=default)", 409);
    const doc = authorizationHoldsDocument(ctx);
    if (doc.authorizationHolds.some((h) => h.mcc === Number(code))) throw mambuError("INVALID_PARAMETERS", `hold configuration ${code} already exists`, 409);
    applyAuthorizationHolds(ctx, { authorizationHolds: [...doc.authorizationHolds, setting(Number(code), body)] });
    return { status: 201, body: read(ctx, code) };
  });

  router.add("GET", "/holds", (ctx, req): RouteResponse => {
    const all = authorizationHoldsDocument(ctx).authorizationHolds.map((h) => wireOf(codeOf(h.mcc), h.daysToExpiration, h.description));
    const p = pageOf(all, req.query, fields, { list: "holds", wire: (w) => w, tie: (w) => [0, String(w.merchant_code)] });
    return { status: 200, body: { total: p.total, remaining: p.remaining, configs: p.items, ...(p.next_page_token ? { next_page_token: p.next_page_token } : {}) } };
  });

  router.add("PUT", "/holds", (ctx, req): RouteResponse => {
    const code = checkCode(req.query.merchant_code, "merchant_code (query)");
    const body = checkServicesBody("holdConfigs", "HoldConfig", req.body);
    if (body.merchant_code !== code) throw invalidParameters(`merchant_code: the body's ${JSON.stringify(body.merchant_code)} must equal the query's "${code}"`);
    const doc = authorizationHoldsDocument(ctx);
    if (code === "default") {
      applyAuthorizationHolds(ctx, { defaultAuthorizationHold: { daysToExpiration: days(body.duration) }, authorizationHolds: doc.authorizationHolds });
    } else {
      const i = doc.authorizationHolds.findIndex((h) => h.mcc === Number(code));
      if (i < 0) notFound(code);
      const list = doc.authorizationHolds.slice();
      list[i] = setting(Number(code), body);
      applyAuthorizationHolds(ctx, { authorizationHolds: list });
    }
    return { status: 200, body: read(ctx, code) };
  });

  router.add("GET", "/holds/{merchant_code}", (ctx, req): RouteResponse => ({ status: 200, body: read(ctx, checkCode(req.params.merchant_code, "merchant_code")) }));

  router.add("DELETE", "/holds/{merchant_code}", (ctx, req): RouteResponse => {
    const code = checkCode(req.params.merchant_code, "merchant_code");
    if (code === "default") throw invalidParameters("merchant_code: the default hold configuration cannot be deleted (replace it instead)");
    const doc = authorizationHoldsDocument(ctx);
    if (!doc.authorizationHolds.some((h) => h.mcc === Number(code))) notFound(code);
    applyAuthorizationHolds(ctx, { authorizationHolds: doc.authorizationHolds.filter((h) => h.mcc !== Number(code)) });
    return { status: 204 };
  });
}
