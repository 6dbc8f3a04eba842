/**
 * Standing orders on the gateway (`/payments/standing-orders`): create, get, cancel (DELETE), `:suspend`,
 * `:search` and `/{id}/executions`; their executions run on the sandbox clock (./standing-orders-run.ts).
 *
 * Beyond the contract's checks (already run by the gateway): startDate not in the past, endDate not before it,
 * retryPolicy.retryCount 0..{@link MAX_RETRIES} (default {@link DEFAULT_RETRIES}, the seed's example), a EUR
 * amount, and the debtor's IBAN mapped to a Mambu deposit account in EUR — the account every execution debits
 * (`ownerId` is kept as given, the seed's free "owner id"). A suspension runs from its startDate (default today,
 * not in the past) to its endDate inclusive, replaces any earlier one, and is refused on a cancelled order
 * (INVALID_TRANSACTION_STATE). Search filters are `OWNER_ID` / `STATUS` with `EQUALS` (anything else is
 * PARAMETER_NOT_SUPPORTED), every filter must match; paged by offset (default 0) and limit (default 50, at most
 * 1000), in creation order.
 */
import { randomUUID } from "node:crypto";
import type { Router, RouteRequest, RouteResponse, SandboxContext } from "../router";
import { at, checkDay, checkEurAmount, Problems, prop, text } from "./schedule-checks";
import { Frequency } from "./schedule-dates";
import { accountForIban } from "./schedule-ports";
import { afterDueWork, runDuePayments } from "./schedule";
import {
  allStandingOrders, executionsOf, findStandingOrder, getAnswer, saveStandingOrder, searchAnswer, statusOf, StandingOrderRecord,
} from "./standing-orders-store";
import { TppError, tppError } from "./tpp";

/** Retries of a failed execution when the order names none (the seed's example sends 3). */
export const DEFAULT_RETRIES = 3;
/** Most retries an order may ask for. */
export const MAX_RETRIES = 10;
/** Standing orders a search answers when it names no limit. */
export const SEARCH_DEFAULT_LIMIT = 50;
/** The largest limit of a search. */
export const SEARCH_MAX_LIMIT = 1000;
/** Most filter criteria of a search. */
export const MAX_FILTERS = 10;

function notFound(id: string): TppError {
  return tppError("RESOURCE_UNKNOWN", `Unable to find Standing order with id: ${id.slice(0, 80)}.`, undefined, 404);
}

function create(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const body = req.body as Record<string, unknown>;
  const today = ctx.clock.today();
  const problems = new Problems();
  const ownerId = text(body, "ownerId") ?? "";
  if (ownerId.trim() === "") problems.add("ownerId", "must not be blank");
  const startDate = checkDay(problems, "startDate", body.startDate, { day: today, what: "today" });
  const endDate = body.endDate === undefined ? undefined : checkDay(problems, "endDate", body.endDate, startDate ? { day: startDate, what: "startDate" } : undefined);
  const retries = at(body, "retryPolicy", "retryCount");
  if (retries !== undefined && !(Number.isInteger(retries) && (retries as number) >= 0 && (retries as number) <= MAX_RETRIES)) {
    problems.add("retryPolicy.retryCount", `must be a whole number from 0 to ${MAX_RETRIES}`);
  }
  checkEurAmount(problems, "payment.instructedAmount", at(body, "payment", "instructedAmount"));
  const iban = text(body, "payment", "debtorAccount", "identification", "iban");
  if (iban === undefined) problems.add("payment.debtorAccount.identification.iban", "must be given: every execution debits the account mapped to it");
  problems.throwIfAny();
  const account = accountForIban(ctx, iban as string);
  if (!account) throw tppError("FORMAT_ERROR", "payment.debtorAccount.identification.iban is mapped to no Mambu deposit account", "payment.debtorAccount.identification.iban");
  if (account.currencyCode !== "EUR") throw tppError("FORMAT_ERROR", `payment.debtorAccount: the account ${String(account.id)} is in ${String(account.currencyCode)}, not EUR`, "payment.debtorAccount");

  const rec: StandingOrderRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    id: randomUUID(),
    ownerId,
    frequency: body.frequency as Frequency,
    startDate: startDate as string,
    ...(endDate !== undefined ? { endDate } : {}),
    payment: structuredClone(body.payment as Record<string, unknown>),
    retryCount: retries === undefined ? DEFAULT_RETRIES : (retries as number),
    creationDateTime: ctx.clock.nowIso(),
    state: "ACTIVE",
    suspendDateFrom: null,
    suspendDateTo: null,
    nextIndex: 0,
    pending: [],
    paymentsCount: 0,
    accountKey: account.encodedKey,
  };
  ctx.store.insert("paystandingorders", rec);
  runDuePayments(ctx); // starting today: the first payment goes at once
  return { status: 201, body: { id: rec.id } };
}

function get(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const rec = findStandingOrder(ctx, req.params.id);
  if (!rec) throw notFound(req.params.id);
  return { status: 200, body: getAnswer(rec, ctx.clock.today()) };
}

function cancel(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const rec = findStandingOrder(ctx, req.params.id);
  if (!rec) throw notFound(req.params.id);
  if (rec.state !== "CANCELED") saveStandingOrder(ctx, { ...rec, state: "CANCELED", pending: [] });
  return { status: 204 };
}

function executions(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const rec = findStandingOrder(ctx, req.params.id);
  if (!rec) throw notFound(req.params.id);
  return { status: 200, body: executionsOf(ctx, rec.id).map((e) => ({ ...e.wire })) };
}

function suspend(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const body = req.body as Record<string, unknown>;
  const today = ctx.clock.today();
  const id = text(body, "id") ?? "";
  const rec = findStandingOrder(ctx, id);
  if (!rec) throw tppError("RESOURCE_UNKNOWN", `Unable to find Standing order with id: ${id.slice(0, 80)}.`, "id");
  if (rec.state === "CANCELED") throw tppError("INVALID_TRANSACTION_STATE", `standing order ${rec.id} is CANCELED; it cannot be suspended`, "id");
  const problems = new Problems();
  const from = body.startDate === undefined ? today : checkDay(problems, "startDate", body.startDate, { day: today, what: "today" });
  const to = checkDay(problems, "endDate", body.endDate, from ? { day: from, what: "the suspension's startDate" } : undefined);
  problems.throwIfAny();
  saveStandingOrder(ctx, { ...rec, suspendDateFrom: from as string, suspendDateTo: to as string });
  return { status: 200 };
}

function search(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const body = req.body as Record<string, unknown>;
  const criteria = Array.isArray(body.filterCriteria) ? (body.filterCriteria as unknown[]) : [];
  if (criteria.length > MAX_FILTERS) throw tppError("FORMAT_ERROR", `filterCriteria takes at most ${MAX_FILTERS} criteria`, "filterCriteria");
  const filters: Array<{ field: "OWNER_ID" | "STATUS"; value: string }> = [];
  criteria.forEach((c, i) => {
    const field = prop(c, "field");
    const operator = prop(c, "operator");
    if (field !== "OWNER_ID" && field !== "STATUS") throw tppError("PARAMETER_NOT_SUPPORTED", `filterCriteria[${i}].field ${JSON.stringify(field)} is not supported; use OWNER_ID or STATUS`, `filterCriteria[${i}].field`);
    if (operator !== "EQUALS") throw tppError("PARAMETER_NOT_SUPPORTED", `filterCriteria[${i}].operator ${JSON.stringify(operator)} is not supported; use EQUALS`, `filterCriteria[${i}].operator`);
    filters.push({ field, value: String(prop(c, "value")) });
  });
  const offset = body.offset === undefined ? 0 : (body.offset as number);
  const limit = body.limit === undefined ? SEARCH_DEFAULT_LIMIT : (body.limit as number);
  if (!Number.isInteger(offset) || offset < 0) throw tppError("FORMAT_ERROR", "offset must be a whole number ≥ 0", "offset");
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX_LIMIT) throw tppError("FORMAT_ERROR", `limit must be a whole number from 1 to ${SEARCH_MAX_LIMIT}`, "limit");
  const today = ctx.clock.today();
  const hits = allStandingOrders(ctx).filter((rec) =>
    filters.every((f) => (f.field === "OWNER_ID" ? rec.ownerId === f.value : statusOf(rec, today) === f.value)),
  );
  return { status: 200, body: hits.slice(offset, offset + limit).map((rec) => searchAnswer(rec, today)) };
}

/** Registers the standing-order operations on the gateway's router. */
export function registerStandingOrderRoutes(router: Router): void {
  router.add("POST", "/payments/standing-orders", afterDueWork(create));
  router.add("POST", "/payments/standing-orders:search", afterDueWork(search));
  router.add("POST", "/payments/standing-orders:suspend", afterDueWork(suspend));
  router.add("GET", "/payments/standing-orders/{id}", afterDueWork(get));
  router.add("DELETE", "/payments/standing-orders/{id}", afterDueWork(cancel));
  router.add("GET", "/payments/standing-orders/{id}/executions", afterDueWork(executions));
}
