/**
 * Engine routes of the general ledger (registered by ./routes.ts): GL accounts with balances computed from the
 * journal entries, journal entries (list, manual posting, search).
 */
import { WireRecord } from "../types";
import { EngineContext, EngineRequest, EngineResult, EngineRoute } from "./context";
import { invalidParameters, mambuError } from "../errors";
import { parsePaging } from "../list";
import { runSearch, SearchSpec } from "../search";
import { parseDateInput } from "./dates";
import { chartBalances, findGlAccount, requireGlAccount } from "./ledger-accounts";
import { entryWire, glAccountWire, journalEntries } from "./ledger-post";
import { postManualEntries } from "./ledger-manual";
import { accrualRoutes } from "./interest-accrual";
import { reportRoutes } from "./accounting-reports";

const GL_TYPES = new Set(["ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"]);

function page(items: unknown[], query: Record<string, string>): EngineResult {
  const paging = parsePaging(query);
  const body = items.slice(paging.offset, paging.offset + paging.limit);
  const headers = paging.details ? { "items-total": String(items.length), "items-limit": String(paging.limit), "items-offset": String(paging.offset) } : undefined;
  return { status: 200, body, headers };
}

function range(query: Record<string, string>): { from?: string; to?: string } {
  const from = parseDateInput(query.from, "from");
  const to = parseDateInput(query.to, "to");
  if (from && to && from > to) throw invalidParameters(`from ${from} is after to ${to}`);
  return { from, to };
}

function branchKey(ctx: EngineContext, query: Record<string, string>): string | undefined {
  if (query.branchId === undefined || query.branchId === "") return undefined;
  const branch = ctx.store.find("branches", query.branchId);
  if (!branch) throw mambuError("INVALID_BRANCH_ID", `branch ${query.branchId} not found`, 400);
  return branch.encodedKey;
}

function glAccounts(ctx: EngineContext, req: EngineRequest, one?: WireRecord): EngineResult {
  const q = req.query;
  if (q.type !== undefined && !GL_TYPES.has(q.type)) throw invalidParameters(`type: expected one of ${[...GL_TYPES].join(", ")}`);
  const excluded = q.balanceExcluded === "true";
  const balances = excluded ? undefined : chartBalances(ctx, { ...range(q), branchKey: branchKey(ctx, q) });
  const wire = (gl: WireRecord) => glAccountWire(gl, balances?.get(gl.encodedKey));
  if (one) return { status: 200, body: wire(one) };
  const list = ctx.store.all("glaccounts").filter((g) => q.type === undefined || g.type === q.type);
  list.sort((a, b) => String(a.glCode).localeCompare(String(b.glCode)));
  return page(list.map(wire), q);
}

function glAccountOf(ctx: EngineContext, e: WireRecord): WireRecord | undefined {
  return typeof e.glAccountKey === "string" ? ctx.store.find("glaccounts", e.glAccountKey) : undefined;
}

/** Search fields of GLJournalEntryFilterCriteria / GLJournalEntrySortingCriteria on the stored entries. */
const SEARCH: SearchSpec = {
  resource: "gljournalentries",
  filterDefinition: "GLJournalEntryFilterCriteria",
  sortDefinition: "GLJournalEntrySortingCriteria",
  accessors: {
    entryId: (e) => e.entryID,
    glAccountId: (e, ctx) => glAccountOf(ctx, e)?.glCode,
    glAccountName: (e, ctx) => glAccountOf(ctx, e)?.name,
    glAccountType: (e, ctx) => glAccountOf(ctx, e)?.type,
    debit: (e) => (e.type === "DEBIT" ? e.amount : undefined),
    credit: (e) => (e.type === "CREDIT" ? e.amount : undefined),
    loanAccountId: (e, ctx) => (e.productType === "LOAN" && typeof e.accountKey === "string" ? ctx.store.find("loans", e.accountKey)?.id : undefined),
    source: (e) => (typeof e.transactionKey === "string" ? e.productType : "MANUAL"),
    branchName: (e, ctx) => (typeof e.assignedBranchKey === "string" ? ctx.store.find("branches", e.assignedBranchKey)?.name : undefined),
  },
};

/** The routes of this area. */
export const routes: EngineRoute[] = [
  { method: "GET", template: "/glaccounts", handle: (ctx, r) => glAccounts(ctx, r) },
  { method: "GET", template: "/glaccounts/{glAccountId}", handle: (ctx, r) => glAccounts(ctx, r, requireGlAccount(ctx, r.params.glAccountId)) },
  {
    method: "GET",
    template: "/gljournalentries",
    handle: (ctx, r) => {
      const { from, to } = range(r.query);
      if (!from || !to) throw invalidParameters("from, to: both dates are required");
      let glAccountKey: string | undefined;
      if (r.query.glAccountId !== undefined && r.query.glAccountId !== "") {
        glAccountKey = findGlAccount(ctx, r.query.glAccountId)?.encodedKey;
        if (!glAccountKey) throw mambuError("INVALID_GL_ACCOUNT_ID", `GL account ${r.query.glAccountId} not found`, 400);
      }
      const entries = journalEntries(ctx, { from, to, branchKey: branchKey(ctx, r.query), glAccountKey });
      return page(entries.map((e) => entryWire(ctx, e)), r.query);
    },
  },
  { method: "POST", template: "/gljournalentries", handle: (ctx, r) => ({ status: 201, body: postManualEntries(ctx, r.body).map((e) => entryWire(ctx, e)) }) },
  {
    method: "POST",
    template: "/gljournalentries:search",
    handle: (ctx, r) => page(runSearch(SEARCH, ctx.store.all("gljournalentries"), r.body, ctx).map((e) => entryWire(ctx, e)), r.query),
  },
  ...accrualRoutes,
  ...reportRoutes,
];
