/**
 * `configuration/accountingrules.yaml` (Mambu's newer reference): `defaultGlCode`,
 * `automatedAccountingClosuresInterval` and `customRules` (the GL account of transactions between two
 * branches). The document is the ledger's (engine/ledger-accounts.ts, `store.extra.accountingRules`): GET reads
 * it with `getAccountingRules`, PUT replaces it with `setAccountingRules`, which checks GL codes against the chart
 * of accounts (DETAIL accounts only), branch ids, unique rule ids and the number of rules.
 */
import { getAccountingRules, setAccountingRules } from "../engine/ledger-accounts";
import type { AccountingRulesDocument } from "../engine/ledger-accounts";
import type { SandboxContext } from "../router";

/** The tenant's accounting rules document. */
export function accountingRulesDocument(ctx: SandboxContext): AccountingRulesDocument {
  return getAccountingRules(ctx);
}

/** Replaces the document (checked by the ledger; what it leaves out is gone). */
export function applyAccountingRules(ctx: SandboxContext, doc: unknown): void {
  setAccountingRules(ctx, doc);
}
