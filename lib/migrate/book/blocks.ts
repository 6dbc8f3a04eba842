/**
 * The plan-level part of validation: the mapping compiled into blocks (fields unknown to the
 * contract or the tenant), the mappings a step needs, every source file read (malformed files) and
 * the columns the mapping reads checked against each header. Problems here concern the plan, not a
 * row: they are all gathered, then thrown as one {@link PlanError}.
 */
import { BLOCKS, CompiledBlock, compileBlock, missingColumns } from "../mapping";
import { isPersonalColumn, PersonalColumns } from "../personal";
import { PlanError } from "../plan";
import { readSource, SourceError, SourceLayout, SourceRow } from "../sources";
import type { FieldMapSpec, Plan, Problem, SourceName } from "../types";
import type { BookContext, BookOptions, Blocks } from "./context";

type Rec = Record<string, unknown>;

const isObj = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** Compiles the plan's mapping blocks (with their defaults); problems go to `fatal`. */
function compileBlocks(plan: Plan, opts: BookOptions, fatal: Problem[]): Blocks {
  const planFile = plan.file.split(/[\\/]/).pop() ?? plan.file;
  const m = plan.spec.mapping;
  const d = (plan.spec.defaults ?? {}) as Rec;
  const dflt = (k: string, sub?: string): Rec | undefined => {
    const v = sub ? (isObj(d[k]) ? (d[k] as Rec)[sub] : undefined) : d[k];
    return isObj(v) ? v : undefined;
  };
  const compile = (name: keyof typeof BLOCKS, map: FieldMapSpec | undefined, defaults: Rec | undefined): CompiledBlock | undefined =>
    map || defaults ? compileBlock(BLOCKS[name], map, defaults, planFile, opts.refs, fatal) : undefined;
  const blocks: Blocks = {
    clients: compile("clients", m.clients, dflt("clients")),
    groups: compile("groups", m.groups, dflt("groups")),
    account: m.loans ? compile("loans.account", m.loans.account, dflt("loans", "account")) : undefined,
    approve: m.loans ? compile("loans.approve", m.loans.approve ?? {}, dflt("loans", "approve")) : undefined,
    settlement: m.loans?.settlement ? compile("loans.settlement", m.loans.settlement, dflt("loans", "settlement")) : undefined,
    disburse: m.loans?.disburse ? compile("loans.disburse", m.loans.disburse, dflt("loans", "disburse")) : undefined,
    schedules: compile("schedules", m.schedules, dflt("schedules")),
    fees: compile("fees", m.fees, dflt("fees")),
    repayments: compile("repayments", m.repayments, dflt("repayments")),
    deposits: compile("deposits", m.deposits, dflt("deposits")),
    depositTransactions: compile("depositTransactions", m.depositTransactions, dflt("depositTransactions")),
    loanTransactions: compile("loanTransactions", m.loanTransactions, dflt("loanTransactions")),
    documents: compile("documents", m.documents, dflt("documents")),
    groupMembers: compile("groupMembers", m.groupMembers, dflt("groupMembers")),
  };
  if (plan.steps.has("disburse") && blocks.disburse && !blocks.disburse.rules.some((r) => r.target === "valueDate")) {
    fatal.push({ file: planFile, message: "mapping.loans.disburse.valueDate: must be mapped (a loan is disbursed on the date of its row)" });
  }
  if (plan.steps.has("opening") && blocks.deposits) {
    for (const t of ["openingBalance", "openingDate"]) {
      if (!blocks.deposits.rules.some((r) => r.target === t)) fatal.push({ file: planFile, message: `mapping.deposits.${t}: must be mapped (the opening deposit's ${t === "openingBalance" ? "amount" : "value date"})` });
    }
  }
  if (plan.steps.has("depositTransaction") && blocks.depositTransactions) {
    for (const t of ["amount", "valueDate"]) {
      if (!blocks.depositTransactions.rules.some((r) => r.target === t)) fatal.push({ file: planFile, message: `mapping.depositTransactions.${t}: must be mapped (the transaction's ${t === "amount" ? "amount" : "value date"})` });
    }
  }
  if (plan.steps.has("settlementOpening") && blocks.settlement?.rules.some((r) => r.target === "openingBalance") && !blocks.settlement.rules.some((r) => r.target === "openingDate")) {
    fatal.push({ file: planFile, message: "mapping.loans.settlement.openingDate: must be mapped with openingBalance (the opening deposit's value date)" });
  }
  if (plan.steps.has("settlement") && blocks.settlement && !blocks.settlement.rules.some((r) => r.target === "id")) {
    fatal.push({ file: planFile, message: "mapping.loans.settlement.id: must be mapped (the settlement account's id comes from the source)" });
  }
  return blocks;
}

/** Reads every row of a source (all its files); layout of each file recorded. */
async function readAll(plan: Plan, source: SourceName, layouts: Map<string, SourceLayout>, problems: Problem[], personal: PersonalColumns): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  const isPersonal = (column: string): boolean => isPersonalColumn(personal, source, column);
  for (const f of plan.files.filter((x) => x.source === source)) {
    const onError = (e: SourceError): void => void problems.push({ file: e.file, line: e.line, column: e.column, message: e.reason });
    try {
      for await (const row of readSource({ source, path: f.path, shownAs: f.shown, format: f.format, delimiter: f.delimiter, onLayout: (l) => layouts.set(f.shown, l), onError, isPersonal })) {
        rows.push(row);
      }
    } catch (e) {
      if (e instanceof SourceError) problems.push({ file: e.file, line: e.line, column: e.column, message: e.reason });
      else problems.push({ file: f.shown, message: `cannot read: ${(e as Error).message}` });
    }
  }
  return rows;
}

/** The blocks reading each source. */
function blocksOf(blocks: Blocks): Record<SourceName, Array<CompiledBlock | undefined>> {
  return {
    clients: [blocks.clients],
    groups: [blocks.groups],
    loans: [blocks.account, blocks.approve, blocks.settlement, blocks.disburse],
    schedules: [blocks.schedules],
    fees: [blocks.fees],
    repayments: [blocks.repayments],
    deposits: [blocks.deposits],
    depositTransactions: [blocks.depositTransactions],
    loanTransactions: [blocks.loanTransactions],
    documents: [blocks.documents],
    groupMembers: [blocks.groupMembers],
  };
}

/**
 * The columns holding personal data, by source: those read by a personal rule (personal.ts) and
 * those the plan lists under `personal`.
 */
function personalColumns(plan: Plan, blocks: Blocks): Map<string, Set<string>> {
  const reading = blocksOf(blocks);
  const out = new Map<string, Set<string>>();
  for (const source of Object.keys(reading) as SourceName[]) {
    const set = new Set<string>();
    for (const b of reading[source]) for (const r of b?.rules ?? []) if (r.personal && r.column) set.add(r.column);
    for (const c of plan.spec.personal?.[source] ?? []) set.add(c.trim());
    out.set(source, set);
  }
  return out;
}

/**
 * Compiles the mapping and reads every source file.
 * @throws PlanError with every plan-level problem.
 */
export async function readPlan(plan: Plan, opts: BookOptions): Promise<Pick<BookContext, "blocks" | "rows" | "layouts" | "personal">> {
  const fatal: Problem[] = [];
  const blocks = compileBlocks(plan, opts, fatal);
  const personal = personalColumns(plan, blocks);
  const layouts = new Map<string, SourceLayout>();
  const rows: BookContext["rows"] = {};
  for (const s of ["clients", "groups", "loans", "schedules", "fees", "repayments", "deposits", "depositTransactions", "loanTransactions", "documents", "groupMembers"] as const) {
    if (plan.files.some((f) => f.source === s)) rows[s] = await readAll(plan, s, layouts, fatal, personal);
  }
  const reading = blocksOf(blocks);
  for (const f of plan.files) {
    const layout = layouts.get(f.shown);
    for (const b of reading[f.source].filter((x): x is CompiledBlock => x !== undefined)) {
      for (const col of missingColumns(b, layout?.header)) fatal.push({ file: f.shown, line: 1, message: `column "${col}" (${b.spec.name}) is not in the header` });
    }
    for (const col of plan.spec.personal?.[f.source] ?? []) {
      if (layout?.header && !layout.header.includes(col.trim())) fatal.push({ file: f.shown, line: 1, message: `column "${col}" (personal.${f.source}) is not in the header` });
    }
  }
  if (fatal.length) throw new PlanError(fatal);
  return { blocks, rows, layouts, personal };
}
