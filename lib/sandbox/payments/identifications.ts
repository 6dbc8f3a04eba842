/**
 * External account identifications (`/accounts/.../identifications`): an IBAN or another scheme's identification
 * (`other: { identification, scheme }`) mapped to a Mambu account of the same sandbox (a v2 deposit account, or a
 * loan), the association's currency being the account's. One record per mapping in `payidentifications`:
 * `{ encodedKey, accountKey, accountId, accountType, currency, iban?, otherIdentification?, otherScheme? }`.
 *
 * - `GET /accounts/{accountId}/identifications` lists an account's (paged: limit 1..1000, default 50; offset ≥ 0;
 *   `Items-Offset`/`Items-Limit`/`Items-Total` headers); an unknown account is 404 RESOURCE_UNKNOWN.
 * - `POST /accounts/{accountId}/identifications` adds one (201 `{ internalAccounts }`); an IBAN that fails mod-97 is
 *   FORMAT_ERROR (path `iban`, the seed's "iban invalid IBAN value"); the same IBAN or other id already on the
 *   account is ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION; a currency other than the account's is
 *   FORMAT_ERROR; an IBAN already mapped to another account of the same currency is FORMAT_ERROR (a payment to it
 *   would be ambiguous).
 * - `PUT /accounts/identifications` maps one identification to the given accounts (at most 100), replacing every
 *   earlier mapping of that identification.
 * - `POST /accounts/identifications:search`: IBAN, SCHEME, IDENTIFICATION with EQUALS or IN (comma-separated
 *   values); other operators are PARAMETER_NOT_SUPPORTED. Every criterion must match.
 *
 * {@link depositForIdentification} is how the gateway (and collections, standing orders) finds the deposit account
 * behind an IBAN.
 */
import type { Router, RouteRequest, SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { isValidIban, normaliseIban } from "./iban";
import { TppError, tppError, TppMessage } from "./tpp";

/** A stored mapping. */
export interface IdentificationRecord extends WireRecord {
  accountKey: string;
  accountId: string;
  accountType: "DEPOSIT" | "LOAN";
  currency: string;
  iban?: string;
  otherIdentification?: string;
  otherScheme?: string;
}

/** An identification as a request gives it (`Identification` of the contract). */
export interface IdentificationInput {
  iban?: string;
  currency?: string;
  other?: { identification: string; scheme: string };
}

/** Most accounts one `PUT /accounts/identifications` maps. */
export const MAX_MAPPED_ACCOUNTS = 100;
/** Most criteria of one search. */
export const MAX_SEARCH_CRITERIA = 20;

/** The Mambu account an id or encodedKey names: a deposit account first, else a loan; 404 RESOURCE_UNKNOWN otherwise. */
export function resolveMambuAccount(ctx: SandboxContext, accountId: string, path?: string): { rec: WireRecord; type: "DEPOSIT" | "LOAN" } {
  const dep = ctx.store.find("deposits", accountId);
  if (dep) return { rec: dep, type: "DEPOSIT" };
  const loan = ctx.store.find("loans", accountId);
  if (loan) return { rec: loan, type: "LOAN" };
  const text = `no Mambu account ${JSON.stringify(accountId.slice(0, 64))}`;
  throw path === undefined ? tppError("RESOURCE_UNKNOWN", text, undefined, 404) : tppError("FORMAT_ERROR", text, path);
}

/** The currency code of a v2 deposit or loan account. */
export function accountCurrency(rec: WireRecord): string {
  const c = rec.currencyCode;
  return typeof c === "string" ? c : "";
}

function all(ctx: SandboxContext): IdentificationRecord[] {
  return ctx.store.all("payidentifications") as IdentificationRecord[];
}

/** The answer form of a mapping (`Identification`). */
export function identificationOf(r: IdentificationRecord): Record<string, unknown> {
  return {
    ...(r.iban !== undefined ? { iban: r.iban } : {}),
    currency: r.currency,
    ...(r.otherIdentification !== undefined ? { other: { identification: r.otherIdentification, scheme: r.otherScheme ?? "" } } : {}),
  };
}

/** The mappings of an account (by encodedKey), in creation order. */
export function identificationsOf(ctx: SandboxContext, accountKey: string): IdentificationRecord[] {
  return all(ctx).filter((r) => r.accountKey === accountKey);
}

/**
 * The v2 deposit account an IBAN (or other identification) is mapped to, of `currency` when given (an IBAN may
 * map to one account per currency); undefined when none is (or when several match and no currency decides).
 */
export function depositForIdentification(ctx: SandboxContext, ident: { iban?: string; other?: { identification: string; scheme: string } }, currency?: string): WireRecord | undefined {
  const iban = ident.iban !== undefined ? normaliseIban(ident.iban) : undefined;
  const hits = all(ctx).filter(
    (r) =>
      r.accountType === "DEPOSIT" &&
      (iban !== undefined ? r.iban === iban : ident.other !== undefined && r.otherIdentification === ident.other.identification && r.otherScheme === ident.other.scheme),
  );
  const matching = currency === undefined ? hits : hits.filter((r) => r.currency === currency);
  if (matching.length !== 1) return undefined;
  return ctx.store.find("deposits", matching[0].accountKey);
}

/** The IBANs mapped to a deposit account (by encodedKey), first one first. */
export function ibansOf(ctx: SandboxContext, accountKey: string): string[] {
  return identificationsOf(ctx, accountKey).flatMap((r) => (r.iban !== undefined ? [r.iban] : []));
}

/** The identification of a request body, checked (IBAN mod-97, currency the account's). */
function checkIdentification(input: IdentificationInput, currency: string | undefined): { iban?: string; other?: { identification: string; scheme: string } } {
  const problems: TppMessage[] = [];
  let iban: string | undefined;
  if (input.iban !== undefined) {
    iban = normaliseIban(input.iban);
    if (!isValidIban(iban)) problems.push({ category: "ERROR", code: "FORMAT_ERROR", path: "iban", text: "iban invalid IBAN value" });
  }
  if (input.iban === undefined && input.other === undefined) {
    problems.push({ category: "ERROR", code: "FORMAT_ERROR", path: "identification", text: "identification needs an iban or an other identification" });
  }
  if (input.other !== undefined && (input.other.identification === "" || input.other.scheme === "")) {
    problems.push({ category: "ERROR", code: "FORMAT_ERROR", path: "identification.other", text: "identification.other needs a non-empty identification and scheme" });
  }
  if (currency !== undefined && input.currency !== undefined && input.currency !== currency) {
    problems.push({ category: "ERROR", code: "FORMAT_ERROR", path: "identification.currency", text: `the association's currency is the account's, ${currency}, not ${input.currency}` });
  }
  if (problems.length) throw new TppError(400, problems);
  return { ...(iban !== undefined ? { iban } : {}), ...(input.other !== undefined ? { other: { ...input.other } } : {}) };
}

function sameIdentification(r: IdentificationRecord, ident: { iban?: string; other?: { identification: string; scheme: string } }): boolean {
  if (ident.iban !== undefined && r.iban === ident.iban) return true;
  return ident.other !== undefined && r.otherIdentification === ident.other.identification && r.otherScheme === ident.other.scheme;
}

function insertMapping(ctx: SandboxContext, acc: { rec: WireRecord; type: "DEPOSIT" | "LOAN" }, ident: { iban?: string; other?: { identification: string; scheme: string } }): IdentificationRecord {
  const rec: IdentificationRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    accountKey: acc.rec.encodedKey,
    accountId: String(acc.rec.id ?? acc.rec.encodedKey),
    accountType: acc.type,
    currency: accountCurrency(acc.rec),
    ...(ident.iban !== undefined ? { iban: ident.iban } : {}),
    ...(ident.other !== undefined ? { otherIdentification: ident.other.identification, otherScheme: ident.other.scheme } : {}),
  };
  ctx.store.insert("payidentifications", rec);
  return rec;
}

/** Refuses an IBAN already mapped to another account of the same currency (a payment to it would be ambiguous). */
function checkUnambiguous(ctx: SandboxContext, accountKey: string, currency: string, ident: { iban?: string }): void {
  if (ident.iban === undefined) return;
  const clash = all(ctx).find((r) => r.iban === ident.iban && r.accountKey !== accountKey && r.currency === currency);
  if (clash) throw tppError("FORMAT_ERROR", `iban is already mapped to account ${clash.accountId} of the same currency (${currency})`, "iban");
}

function internalAccounts(ctx: SandboxContext, ident: { iban?: string; other?: { identification: string; scheme: string } }): Array<Record<string, unknown>> {
  const seen = new Set<string>();
  const out: Array<Record<string, unknown>> = [];
  for (const r of all(ctx)) {
    if (!sameIdentification(r, ident) || seen.has(r.accountKey)) continue;
    seen.add(r.accountKey);
    out.push({ id: r.accountId, type: r.accountType, currency: r.currency });
  }
  return out;
}

function intParam(req: RouteRequest, name: string, dflt: number, min: number, max: number): number {
  const raw = Object.prototype.hasOwnProperty.call(req.query, name) ? req.query[name] : undefined;
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < min || n > max) throw tppError("FORMAT_ERROR", `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 20))}`, name);
  return n;
}

function getMapping(ctx: SandboxContext, req: RouteRequest) {
  const acc = resolveMambuAccount(ctx, req.params.accountId);
  const limit = intParam(req, "limit", 50, 1, 1000);
  const offset = intParam(req, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const mine = identificationsOf(ctx, acc.rec.encodedKey);
  return {
    status: 200,
    body: mine.slice(offset, offset + limit).map(identificationOf),
    headers: { "Items-Offset": String(offset), "Items-Limit": String(limit), "Items-Total": String(mine.length) },
  };
}

function createMapping(ctx: SandboxContext, req: RouteRequest) {
  const acc = resolveMambuAccount(ctx, req.params.accountId);
  const body = req.body as { identification: IdentificationInput };
  const currency = accountCurrency(acc.rec);
  const ident = checkIdentification(body.identification, currency);
  if (identificationsOf(ctx, acc.rec.encodedKey).some((r) => sameIdentification(r, ident))) {
    throw tppError("ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION", `account ${String(acc.rec.id)} is already mapped to this identification`, "identification");
  }
  checkUnambiguous(ctx, acc.rec.encodedKey, currency, ident);
  insertMapping(ctx, acc, ident);
  return { status: 201, body: { internalAccounts: internalAccounts(ctx, ident) } };
}

function createMappings(ctx: SandboxContext, req: RouteRequest) {
  const body = req.body as { accountIds: string[]; identification: IdentificationInput };
  if (body.accountIds.length === 0) throw tppError("FORMAT_ERROR", "accountIds must name at least one account", "accountIds");
  if (body.accountIds.length > MAX_MAPPED_ACCOUNTS) throw tppError("FORMAT_ERROR", `accountIds: at most ${MAX_MAPPED_ACCOUNTS} accounts`, "accountIds");
  const accounts = body.accountIds.map((id, i) => resolveMambuAccount(ctx, id, `accountIds[${i}]`));
  const keys = new Set<string>();
  const currencies = new Set<string>();
  accounts.forEach((a, i) => {
    if (keys.has(a.rec.encodedKey)) throw tppError("FORMAT_ERROR", `accountIds[${i}] names an account given before`, `accountIds[${i}]`);
    keys.add(a.rec.encodedKey);
    const c = accountCurrency(a.rec);
    if (body.identification.iban !== undefined && currencies.has(c)) throw tppError("FORMAT_ERROR", `accountIds[${i}]: two accounts of currency ${c} for one IBAN`, `accountIds[${i}]`);
    currencies.add(c);
  });
  const ident = checkIdentification(body.identification, accounts.length === 1 ? accountCurrency(accounts[0].rec) : undefined);
  for (const r of all(ctx).filter((x) => sameIdentification(x, ident))) ctx.store.remove("payidentifications", r.encodedKey);
  for (const a of accounts) insertMapping(ctx, a, ident);
  return { status: 201, body: { internalAccounts: internalAccounts(ctx, ident) } };
}

type Criterion = { field: "SCHEME" | "IBAN" | "IDENTIFICATION"; operator: string; value?: string };

function searchIdentifications(ctx: SandboxContext, req: RouteRequest) {
  const { filterCriteria } = req.body as { filterCriteria: Criterion[] };
  if (filterCriteria.length > MAX_SEARCH_CRITERIA) throw tppError("FORMAT_ERROR", `at most ${MAX_SEARCH_CRITERIA} criteria`, "filterCriteria");
  const tests = filterCriteria.map((c, i) => {
    if (c.operator !== "EQUALS" && c.operator !== "IN") {
      throw tppError("PARAMETER_NOT_SUPPORTED", `filterCriteria[${i}].operator: only EQUALS and IN are supported`, `filterCriteria[${i}].operator`);
    }
    if (c.value === undefined || c.value === "") throw tppError("FORMAT_ERROR", `filterCriteria[${i}].value is required`, `filterCriteria[${i}].value`);
    const values = new Set((c.operator === "IN" ? c.value.split(",") : [c.value]).map((v) => (c.field === "IBAN" ? normaliseIban(v.trim()) : v.trim())));
    return (r: IdentificationRecord): boolean => {
      const v = c.field === "IBAN" ? r.iban : c.field === "SCHEME" ? r.otherScheme : r.otherIdentification;
      return v !== undefined && values.has(v);
    };
  });
  const hits = all(ctx).filter((r) => tests.every((t) => t(r)));
  return { status: 200, body: hits.map((r) => ({ accountId: r.accountId, currency: r.currency, type: r.accountType, identification: identificationOf(r) })) };
}

/** Registers the account identification routes (paths relative to `/api/v1`). */
export function registerIdentificationRoutes(router: Router): void {
  router.add("GET", "/accounts/{accountId}/identifications", getMapping);
  router.add("POST", "/accounts/{accountId}/identifications", createMapping);
  router.add("PUT", "/accounts/identifications", createMappings);
  router.add("POST", "/accounts/identifications:search", searchIdentifications);
}
