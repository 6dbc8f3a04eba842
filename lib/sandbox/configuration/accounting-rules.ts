/**
 * `configuration/accountingrules.yaml` (Mambu's newer reference): `defaultGlCode`,
 * `automatedAccountingClosuresInterval` and `customRules` (the GL account of transactions between two
 * branches), kept in `store.extra.accountingRules` — the document the ledger (engine/ledger-accounts.ts) reads.
 * Branch ids must exist, rule ids be unique, GL codes name existing GL accounts when the tenant has a chart.
 */
import { invalidParameters } from "../errors";
import type { SandboxContext } from "../router";
import { ownValue } from "../safe-keys";

/** The document (`AccountingRulesConfiguration`). */
export interface AccountingRulesConfig {
  defaultGlCode?: string;
  automatedAccountingClosuresInterval?: number;
  customRules: Array<{ id: string; leftBranchId: string; rightBranchId: string; glCode: string }>;
}

/** Most custom rules in one document. */
export const MAX_RULES = 1000;

/** The tenant's accounting rules document (a copy; no custom rules when never set). */
export function accountingRulesDocument(ctx: SandboxContext): AccountingRulesConfig {
  const stored = ownValue(ctx.store.extra, "accountingRules") as AccountingRulesConfig | undefined;
  if (!stored) return { customRules: [] };
  return { ...stored, customRules: (stored.customRules ?? []).map((r) => ({ ...r })) };
}

/** Applies a validated document (what it leaves out is gone). */
export function applyAccountingRules(ctx: SandboxContext, doc: Partial<AccountingRulesConfig>): void {
  const gls = ctx.store.all("glaccounts");
  const glCode = (code: string, where: string): string => {
    if (gls.length && !gls.some((g) => g.glCode === code && g.usage !== "HEADER")) throw invalidParameters(`${where}: no DETAIL GL account ${code} (INVALID_GL_ACCOUNT_ID)`);
    return code;
  };
  const out: AccountingRulesConfig = { customRules: [] };
  if (doc.defaultGlCode !== undefined) out.defaultGlCode = glCode(doc.defaultGlCode, "defaultGlCode");
  if (doc.automatedAccountingClosuresInterval !== undefined) {
    const n = doc.automatedAccountingClosuresInterval;
    if (n < 0 || n > 3660) throw invalidParameters("automatedAccountingClosuresInterval: a whole number of days (0–3660)");
    out.automatedAccountingClosuresInterval = n;
  }
  const rules = doc.customRules ?? [];
  if (rules.length > MAX_RULES) throw invalidParameters(`customRules: at most ${MAX_RULES} rules`);
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    const where = `customRules[${i}]`;
    if (ids.has(r.id)) throw invalidParameters(`${where}.id: duplicate rule id ${r.id}`);
    ids.add(r.id);
    for (const k of ["leftBranchId", "rightBranchId"] as const) {
      const b = ctx.store.find("branches", r[k]);
      if (!b || b.id !== r[k]) throw invalidParameters(`${where}.${k}: branch ${r[k]} not found (INVALID_BRANCH_ID)`);
    }
    out.customRules.push({ id: r.id, leftBranchId: r.leftBranchId, rightBranchId: r.rightBranchId, glCode: glCode(r.glCode, `${where}.glCode`) });
  });
  ctx.store.extra.accountingRules = out;
}
