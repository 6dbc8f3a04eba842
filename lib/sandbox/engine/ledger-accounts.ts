/**
 * The chart of accounts (collection `glaccounts`, stored with `id` = glCode for lookups) and the tenant's
 * accounting rules document (`accountingrules.yaml` of Mambu's configuration as code: `defaultGlCode`,
 * `automatedAccountingClosuresInterval`, `customRules` for transactions between two branches), kept in the
 * store's `extra.accountingRules`.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { ownValue } from "../safe-keys";
import { Dec, ZERO } from "./money";
import { glBalances } from "./ledger-post";

/** A GL account by glCode or encodedKey, or undefined. */
export function findGlAccount(ctx: EngineContext, codeOrKey: string): WireRecord | undefined {
  const byKey = ctx.store.find("glaccounts", codeOrKey);
  if (byKey) return byKey;
  return ctx.store.all("glaccounts").find((g) => g.glCode === codeOrKey);
}

/** A GL account by glCode or encodedKey, or 404 INVALID_GL_ACCOUNT_ID (`status` overrides, e.g. 400 in a body). */
export function requireGlAccount(ctx: EngineContext, codeOrKey: string, status?: number): WireRecord {
  const gl = findGlAccount(ctx, codeOrKey);
  if (!gl) throw mambuError("INVALID_GL_ACCOUNT_ID", `GL account ${codeOrKey} not found`, status);
  return gl;
}

/**
 * Balances of every GL account (encodedKey → signed balance) for a range: DETAIL accounts sum their entries
 * (see glBalances); a HEADER account sums the DETAIL accounts of its type whose glCode starts with its own
 * glCode without trailing zeros (header 1000 covers 1100, 1200…).
 */
export function chartBalances(ctx: EngineContext, range: { from?: string; to?: string; branchKey?: string }): Map<string, Dec> {
  const detail = glBalances(ctx, range);
  const all = ctx.store.all("glaccounts");
  const out = new Map<string, Dec>();
  for (const gl of all) {
    if (gl.usage !== "HEADER") {
      out.set(gl.encodedKey, detail.get(gl.encodedKey) ?? ZERO);
      continue;
    }
    const prefix = String(gl.glCode ?? "").replace(/0+$/, "");
    let total = ZERO;
    for (const d of all) {
      if (d.usage === "HEADER" || d.type !== gl.type || !String(d.glCode ?? "").startsWith(prefix)) continue;
      total = total.plus(detail.get(d.encodedKey) ?? ZERO);
    }
    out.set(gl.encodedKey, total);
  }
  return out;
}

/** One custom rule of the accounting rules document (inter-branch transactions). */
export interface AccountingCustomRule {
  id: string;
  leftBranchId: string;
  rightBranchId: string;
  glCode: string;
}

/** The accounting rules document (the shape of Mambu's `accountingrules.yaml`). */
export interface AccountingRulesDocument {
  defaultGlCode?: string;
  automatedAccountingClosuresInterval?: number;
  customRules: AccountingCustomRule[];
}

/** Most custom rules a document may hold. */
export const MAX_CUSTOM_RULES = 1000;

/** The tenant's accounting rules document (a copy; `customRules` empty when never set). */
export function getAccountingRules(ctx: EngineContext): AccountingRulesDocument {
  const stored = ownValue(ctx.store.extra, "accountingRules") as AccountingRulesDocument | undefined;
  if (!stored) return { customRules: [] };
  return { ...stored, customRules: stored.customRules.map((r) => ({ ...r })) };
}

function str(v: unknown, where: string): string {
  if (typeof v !== "string" || v.trim() === "") throw invalidParameters(`${where}: expected a non-empty string`);
  return v;
}

/**
 * Replaces the accounting rules document after checking it: only the three known fields; GL codes of existing
 * DETAIL accounts (400 INVALID_GL_ACCOUNT_ID), existing branches (400 INVALID_BRANCH_ID), unique rule ids, at
 * most {@link MAX_CUSTOM_RULES} rules. Returns the stored document.
 */
export function setAccountingRules(ctx: EngineContext, doc: unknown): AccountingRulesDocument {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw invalidParameters("accounting rules: expected an object");
  const input = doc as Record<string, unknown>;
  for (const k of Object.keys(input)) {
    if (k !== "defaultGlCode" && k !== "automatedAccountingClosuresInterval" && k !== "customRules") throw invalidParameters(`accounting rules: unknown field ${k}`);
  }
  const glCode = (v: unknown, where: string): string => {
    const code = str(v, where);
    const gl = findGlAccount(ctx, code);
    if (!gl || gl.usage === "HEADER") throw mambuError("INVALID_GL_ACCOUNT_ID", `${where}: no DETAIL GL account ${code}`, 400);
    return String(gl.glCode);
  };
  const branch = (v: unknown, where: string): string => {
    const id = str(v, where);
    if (!ctx.store.find("branches", id)) throw mambuError("INVALID_BRANCH_ID", `${where}: branch ${id} not found`, 400);
    return id;
  };
  const out: AccountingRulesDocument = { customRules: [] };
  if (input.defaultGlCode !== undefined && input.defaultGlCode !== null) out.defaultGlCode = glCode(input.defaultGlCode, "defaultGlCode");
  const interval = input.automatedAccountingClosuresInterval;
  if (interval !== undefined && interval !== null) {
    if (typeof interval !== "number" || !Number.isInteger(interval) || interval < 0 || interval > 3660) {
      throw invalidParameters("automatedAccountingClosuresInterval: expected a whole number of days (0–3660)");
    }
    out.automatedAccountingClosuresInterval = interval;
  }
  const rules = input.customRules ?? [];
  if (!Array.isArray(rules)) throw invalidParameters("customRules: expected a list");
  if (rules.length > MAX_CUSTOM_RULES) throw invalidParameters(`customRules: at most ${MAX_CUSTOM_RULES} rules`);
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    const where = `customRules[${i}]`;
    if (!r || typeof r !== "object" || Array.isArray(r)) throw invalidParameters(`${where}: expected an object`);
    const rule = r as Record<string, unknown>;
    const id = str(rule.id, `${where}.id`);
    if (ids.has(id)) throw invalidParameters(`${where}.id: duplicate rule id ${id}`);
    ids.add(id);
    out.customRules.push({
      id,
      leftBranchId: branch(rule.leftBranchId, `${where}.leftBranchId`),
      rightBranchId: branch(rule.rightBranchId, `${where}.rightBranchId`),
      glCode: glCode(rule.glCode, `${where}.glCode`),
    });
  });
  ctx.store.extra = { ...ctx.store.extra, accountingRules: out };
  return getAccountingRules(ctx);
}
