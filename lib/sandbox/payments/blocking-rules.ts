/**
 * SEPA direct-debit blocking rules (`/accounts/{accountId}/blocking-rules`), per Mambu deposit account: a rule
 * without a mandate blocks every collection from the account, a rule with a creditor's mandate (creditor scheme id
 * + mandate id) only that mandate's. As the seed says, only `SEPA_DIRECT_DEBIT` can be blocked: a
 * `SEPA_CREDIT_TRANSFER` rule is 400 PARAMETER_NOT_SUPPORTED (path `product`, "SEPA_CREDIT_TRANSFER cannot be
 * blocked"); credit transfers are never blocked. Create and delete answer 202 without a body; DELETE without a body
 * removes every rule of the account, with a body only the rule of that mandate. An unknown account is 404
 * RESOURCE_UNKNOWN. Records in `payblockingrules`: `{ encodedKey, accountKey, accountId, product,
 * creditorIdentifier?, mandateIdentification? }`.
 *
 * Collections (./collections*.ts) call {@link blockingRuleApplies}: a blocked collection is rejected (a pacs.002
 * with reason MS02, per the seed).
 */
import type { Router, RouteRequest, SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { resolveMambuAccount } from "./identifications";
import { tppError } from "./tpp";

/** A stored blocking rule. */
export interface BlockingRuleRecord extends WireRecord {
  accountKey: string;
  accountId: string;
  product: "SEPA_DIRECT_DEBIT";
  creditorIdentifier?: string;
  mandateIdentification?: string;
}

/** A creditor's mandate: the creditor scheme identification and the mandate id. */
export interface MandateRef {
  creditorIdentifier: string;
  mandateIdentification: string;
}

/** Most rules one account keeps. */
export const MAX_RULES_PER_ACCOUNT = 1000;

/**
 * The creditor identifier of a `CreditorSchemeIdentificationDTO`-like value: its identification's
 * privateIdentification, else other.identification, else iban; undefined when none.
 */
export function creditorIdentifierOf(csi: unknown): string | undefined {
  if (csi === null || typeof csi !== "object") return undefined;
  const ident = (csi as { identification?: unknown }).identification;
  if (ident === null || typeof ident !== "object") return undefined;
  const i = ident as { privateIdentification?: unknown; other?: { identification?: unknown }; iban?: unknown };
  if (typeof i.privateIdentification === "string") return i.privateIdentification;
  if (i.other && typeof i.other.identification === "string") return i.other.identification;
  return typeof i.iban === "string" ? i.iban : undefined;
}

/** The mandate of a `CreditorMandateDTO` body field, or undefined. */
function mandateOf(creditorMandate: unknown): MandateRef | undefined {
  if (creditorMandate === null || typeof creditorMandate !== "object") return undefined;
  const cm = creditorMandate as { creditorSchemeIdentification?: unknown; mandateRelatedInformation?: { mandateIdentification?: unknown } };
  const creditorIdentifier = creditorIdentifierOf(cm.creditorSchemeIdentification);
  const mandateIdentification = cm.mandateRelatedInformation?.mandateIdentification;
  if (creditorIdentifier === undefined || typeof mandateIdentification !== "string") {
    throw tppError("FORMAT_ERROR", "creditorMandate needs a creditor scheme identification and a mandateIdentification", "creditorMandate");
  }
  return { creditorIdentifier, mandateIdentification };
}

function rulesOf(ctx: SandboxContext, accountKey: string): BlockingRuleRecord[] {
  return (ctx.store.all("payblockingrules") as BlockingRuleRecord[]).filter((r) => r.accountKey === accountKey);
}

/**
 * Whether a blocking rule stops a SEPA direct debit from a deposit account (by encodedKey): a rule without a
 * mandate stops all, a rule with one stops that creditor's mandate (`mandate` of the collection).
 */
export function blockingRuleApplies(ctx: SandboxContext, accountKey: string, mandate?: MandateRef): boolean {
  return rulesOf(ctx, accountKey).some(
    (r) =>
      r.mandateIdentification === undefined ||
      (mandate !== undefined && r.mandateIdentification === mandate.mandateIdentification && r.creditorIdentifier === mandate.creditorIdentifier),
  );
}

function createRule(ctx: SandboxContext, req: RouteRequest) {
  const acc = resolveMambuAccount(ctx, req.params.accountId);
  const body = req.body as { product: string; creditorMandate?: unknown };
  if (body.product !== "SEPA_DIRECT_DEBIT") throw tppError("PARAMETER_NOT_SUPPORTED", `${body.product} cannot be blocked`, "product");
  if (acc.type !== "DEPOSIT") throw tppError("FORMAT_ERROR", `account ${String(acc.rec.id)} is not a deposit account`, "accountId");
  const mandate = mandateOf(body.creditorMandate);
  const existing = rulesOf(ctx, acc.rec.encodedKey);
  const same = existing.find((r) => r.mandateIdentification === mandate?.mandateIdentification && r.creditorIdentifier === mandate?.creditorIdentifier);
  if (!same) {
    if (existing.length >= MAX_RULES_PER_ACCOUNT) throw tppError("FORMAT_ERROR", `an account keeps at most ${MAX_RULES_PER_ACCOUNT} blocking rules`);
    const rec: BlockingRuleRecord = {
      encodedKey: ctx.store.newEncodedKey(),
      accountKey: acc.rec.encodedKey,
      accountId: String(acc.rec.id ?? acc.rec.encodedKey),
      product: "SEPA_DIRECT_DEBIT",
      ...(mandate ? { creditorIdentifier: mandate.creditorIdentifier, mandateIdentification: mandate.mandateIdentification } : {}),
    };
    ctx.store.insert("payblockingrules", rec);
  }
  return { status: 202 };
}

function deleteRules(ctx: SandboxContext, req: RouteRequest) {
  const acc = resolveMambuAccount(ctx, req.params.accountId);
  const body = req.body as { product: string; creditorMandate?: unknown } | undefined;
  const mandate = body ? mandateOf(body.creditorMandate) : undefined;
  for (const r of rulesOf(ctx, acc.rec.encodedKey)) {
    const hit = mandate === undefined ? body === undefined || r.mandateIdentification === undefined : r.mandateIdentification === mandate.mandateIdentification && r.creditorIdentifier === mandate.creditorIdentifier;
    if (hit) ctx.store.remove("payblockingrules", r.encodedKey);
  }
  return { status: 202 };
}

/** Registers the blocking rule routes (paths relative to `/api/v1`). */
export function registerBlockingRuleRoutes(router: Router): void {
  router.add("POST", "/accounts/{accountId}/blocking-rules", createRule);
  router.add("DELETE", "/accounts/{accountId}/blocking-rules", deleteRules);
}
