/**
 * Engine routes of credit arrangements and investor funds (registered by ./routes.ts). Creation, `PUT`, `PATCH`
 * and `DELETE` of arrangements are the generic handlers of the `creditarrangements` declaration (resources.ts);
 * the reads are served here so that `consumedCreditAmount`, `availableCreditAmount` and ACTIVE are current
 * (see ./credit-arrangements.ts): `GET /creditarrangements[/{id}]`, `:search`, `/{id}/accounts`, `:changeState`,
 * `GET /clients/{clientId}/creditarrangements`, `GET /groups/{groupId}/creditarrangements`, and
 * `GET /clients/{clientId}/role`, and (newer than the 2021 Swagger files) `:addAccount` / `:removeAccount`. Funds: `POST`/`PUT`/`DELETE /loans/{id}/funding[/{fundEncodedKey}]`,
 * `GET /deposits/{id}/funding[/{loanAccountId}/schedule]`, `POST /fundingsources/{id}:sell` (./funding.ts).
 */
import { createHash } from "node:crypto";
import { validateQuery } from "../contract";
import { invalidParameters } from "../errors";
import { pageResponse, parsePaging, parseSortBy, sortRecords } from "../list";
import { requireRecord, shape } from "../records";
import { RESOURCES } from "../resources";
import { runSearch } from "../search";
import { WireRecord } from "../types";
import { refreshArrears } from "./arrears";
import { EngineContext, EngineRequest, EngineResult, EngineRoute } from "./context";
import {
  addCreditArrangementAccount, arrangementsOf, changeCreditArrangementState, linkedAccounts, refreshCreditArrangement, refreshCreditArrangements,
  removeCreditArrangementAccount, requireCreditArrangement,
} from "./credit-arrangements";
import { deleteLoanFunds, fundedLoans, funderSchedule, sellFund, setLoanFunds } from "./funding";

const SORT_FIELDS = ["creationDate", "startDate", "expireDate", "amount"];

function full(query: Record<string, string>): boolean {
  const d = query.detailsLevel;
  if (d === undefined || d === "BASIC") return false;
  if (d === "FULL") return true;
  throw invalidParameters(`detailsLevel: expected one of BASIC, FULL, got "${d}"`);
}

function decl() {
  return RESOURCES.creditarrangements!;
}

/** A page of arrangements as Mambu lists them (sortBy on creation/start/expiry date or amount, default startDate:DESC). */
function listOf(swagger: string, template: string, records: (ctx: EngineContext, req: EngineRequest) => WireRecord[]) {
  return (ctx: EngineContext, req: EngineRequest): EngineResult => {
    validateQuery(swagger, "GET", template, req.query);
    const paging = parsePaging(req.query);
    const isFull = full(req.query);
    let recs = records(ctx, req);
    let keys = swagger === "creditarrangements" ? parseSortBy(req.query.sortBy, SORT_FIELDS) : [];
    if (!keys.length) keys = parseSortBy("startDate:DESC", SORT_FIELDS);
    recs = sortRecords(recs, keys);
    const r = pageResponse(recs, paging, (x) => shape(decl(), x, isFull));
    return { status: r.status, body: r.body, headers: r.headers };
  };
}

function all(ctx: EngineContext): WireRecord[] {
  refreshCreditArrangements(ctx);
  return ctx.store.all("creditarrangements");
}

/** `GET /creditarrangements/{id}/accounts`: the linked loans and deposits (`CreditArrangementAccounts`). */
function accounts(ctx: EngineContext, id: string) {
  refreshArrears(ctx);
  const ca = requireCreditArrangement(ctx, id);
  const { loans, deposits } = linkedAccounts(ctx, ca);
  return {
    loanAccounts: loans.map((l) => shape(RESOURCES.loans, l, false)),
    depositAccounts: deposits.map((d) => shape(RESOURCES.deposits, d, false)),
  };
}

const DEFAULT_ROLE_KEY = createHash("sha256").update("sandbox/clientrole/default").digest("hex").slice(0, 32);

/**
 * `GET /clients/{clientId}/role`: the sandbox keeps no client role catalogue; every client has Mambu's default
 * role (its `clientRoleKey` as encodedKey when it has one): may open accounts and guarantee, no ID required.
 */
function clientRole(ctx: EngineContext, clientId: string) {
  const client = requireRecord(ctx, RESOURCES.clients!, clientId);
  return {
    encodedKey: typeof client.clientRoleKey === "string" ? client.clientRoleKey : DEFAULT_ROLE_KEY,
    id: "client",
    name: "Client",
    clientType: "CLIENT",
    canOpenAccounts: true,
    canGuarantee: true,
    requireID: false,
    useDefaultAddress: true,
    description: "The sandbox's default client role",
  };
}

/** The routes of this area. */
export const routes: EngineRoute[] = [
  // credit arrangements
  { method: "GET", template: "/creditarrangements", handle: listOf("creditarrangements", "/creditarrangements", (ctx) => all(ctx)) },
  {
    method: "GET",
    template: "/creditarrangements/{creditArrangementId}",
    handle: (ctx, r) => {
      validateQuery("creditarrangements", "GET", "/creditarrangements/{creditArrangementId}", r.query);
      const isFull = full(r.query);
      const ca = refreshCreditArrangement(ctx, requireCreditArrangement(ctx, r.params.creditArrangementId));
      return { status: 200, body: shape(decl(), ca, isFull) };
    },
  },
  {
    method: "POST",
    template: "/creditarrangements:search",
    handle: (ctx, r) => {
      validateQuery("creditarrangements", "POST", "/creditarrangements:search", r.query);
      const paging = parsePaging(r.query);
      const isFull = full(r.query);
      const found = runSearch(decl().search!, all(ctx), r.body, ctx);
      const page = pageResponse(found, paging, (x) => shape(decl(), x, isFull));
      return { status: 200, body: page.body, headers: page.headers };
    },
  },
  { method: "GET", template: "/creditarrangements/{creditArrangementId}/accounts", handle: (ctx, r) => ({ status: 200, body: accounts(ctx, r.params.creditArrangementId) }) },
  {
    method: "POST",
    template: "/creditarrangements/{creditArrangementId}:changeState",
    handle: (ctx, r) => ({ status: 200, body: shape(decl(), changeCreditArrangementState(ctx, r.params.creditArrangementId, r.body), true) }),
  },
  // newer than the 2021 Swagger files: link and unlink an existing account; answer the accounts linked
  {
    method: "POST",
    template: "/creditarrangements/{creditArrangementId}:addAccount",
    handle: (ctx, r) => (addCreditArrangementAccount(ctx, r.params.creditArrangementId, r.body), { status: 200, body: accounts(ctx, r.params.creditArrangementId) }),
  },
  {
    method: "POST",
    template: "/creditarrangements/{creditArrangementId}:removeAccount",
    handle: (ctx, r) => (removeCreditArrangementAccount(ctx, r.params.creditArrangementId, r.body), { status: 200, body: accounts(ctx, r.params.creditArrangementId) }),
  },
  {
    method: "GET",
    template: "/clients/{clientId}/creditarrangements",
    handle: listOf("clients", "/clients/{clientId}/creditarrangements", (ctx, r) => arrangementsOf(ctx, requireRecord(ctx, RESOURCES.clients!, r.params.clientId).encodedKey)),
  },
  {
    method: "GET",
    template: "/groups/{groupId}/creditarrangements",
    handle: listOf("groups", "/groups/{groupId}/creditarrangements", (ctx, r) => arrangementsOf(ctx, requireRecord(ctx, RESOURCES.groups!, r.params.groupId).encodedKey)),
  },
  { method: "GET", template: "/clients/{clientId}/role", handle: (ctx, r) => ({ status: 200, body: clientRole(ctx, r.params.clientId) }) },
  // investor funds
  { method: "POST", template: "/loans/{loanAccountId}/funding", handle: (ctx, r) => ({ status: 201, body: setLoanFunds(ctx, r.params.loanAccountId, r.body, "add") }) },
  { method: "PUT", template: "/loans/{loanAccountId}/funding", handle: (ctx, r) => ({ status: 200, body: setLoanFunds(ctx, r.params.loanAccountId, r.body, "replace") }) },
  { method: "DELETE", template: "/loans/{loanAccountId}/funding", handle: (ctx, r) => (deleteLoanFunds(ctx, r.params.loanAccountId), { status: 204 }) },
  {
    method: "DELETE",
    template: "/loans/{loanAccountId}/funding/{fundEncodedKey}",
    handle: (ctx, r) => (deleteLoanFunds(ctx, r.params.loanAccountId, r.params.fundEncodedKey), { status: 204 }),
  },
  {
    method: "GET",
    template: "/deposits/{depositAccountId}/funding",
    handle: (ctx, r) => (refreshArrears(ctx), { status: 200, body: fundedLoans(ctx, r.params.depositAccountId).map((l) => shape(RESOURCES.loans, l, false)) }),
  },
  {
    method: "GET",
    template: "/deposits/{depositAccountId}/funding/{loanAccountId}/schedule",
    handle: (ctx, r) => (refreshArrears(ctx), { status: 200, body: funderSchedule(ctx, r.params.depositAccountId, r.params.loanAccountId) }),
  },
  { method: "POST", template: "/fundingsources/{fundingSourceId}:sell", handle: (ctx, r) => ({ status: 200, body: sellFund(ctx, r.params.fundingSourceId, r.body) }) },
];
