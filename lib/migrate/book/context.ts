/**
 * The book under construction: what every job of validation (book/*.ts) reads and adds to — the
 * plan, the compiled mapping blocks and the rows read, the problems found so far, and the units and
 * loans built — plus the small helpers they share (problems located at a cell, contract checks).
 */
import { stringifyExact } from "../../core/json";
import { validateAgainst } from "../../contract/schema";
import type { MambuConnector } from "../../transport";
import { CompiledBlock, MapContext, Mapped, mapRow } from "../mapping";
import { isPersonalTarget, PersonalColumns, WITHHELD } from "../personal";
import type { SourceLayout, SourceRow } from "../sources";
import type { ReferenceData } from "../tenant";
import type { DepositPlan, LoanPlan, Plan, Problem, SourceName, Unit } from "../types";

/** Options of `buildBook`. */
export interface BookOptions {
  /** Reference data of the tenant (without it, references by id are not checked nor resolved). */
  refs?: ReferenceData;
  /** Connector to look up holders and linked clients that are not in the plan. */
  conn?: MambuConnector;
  /** The tenant's offset for naive dates. */
  offset?: string;
  /** Leave out units with invalid rows instead of refusing the plan. */
  skipInvalid?: boolean;
  /** "Now" of the tenant (ISO), for value dates in the future (default: the machine's clock). */
  now?: string;
}

/** The compiled mapping blocks of a plan (undefined: not mapped). */
export interface Blocks {
  clients?: CompiledBlock;
  groups?: CompiledBlock;
  account?: CompiledBlock;
  approve?: CompiledBlock;
  settlement?: CompiledBlock;
  disburse?: CompiledBlock;
  schedules?: CompiledBlock;
  fees?: CompiledBlock;
  repayments?: CompiledBlock;
  deposits?: CompiledBlock;
  depositTransactions?: CompiledBlock;
  loanTransactions?: CompiledBlock;
  documents?: CompiledBlock;
  groupMembers?: CompiledBlock;
}

/** A client or group outside the plan that rows refer to, and where. */
export interface ExternalRef {
  where: Array<{ row: SourceRow; column?: string; what: string; accept: Array<"client" | "group"> }>;
}

/** The state shared by the jobs of validation. */
export interface BookContext {
  plan: Plan;
  opts: BookOptions;
  blocks: Blocks;
  rows: Partial<Record<SourceName, SourceRow[]>>;
  layouts: Map<string, SourceLayout>;
  /** Columns holding personal data, by source. */
  personal: PersonalColumns;
  /** Problems of rows (plan-level problems throw before). */
  problems: Problem[];
  /** "Now" (ms) for value dates in the future. */
  nowMs: number;
  mapContext: MapContext;
  /** Clients and groups of the plan, by id. */
  clientUnits: Map<string, Unit>;
  groupUnits: Map<string, Unit>;
  /** Holders outside the plan with loans in it, by unit key (they are looked up, not created). */
  outside: Map<string, Unit>;
  /** Clients and groups outside the plan that rows refer to, by id. */
  external: Map<string, ExternalRef>;
  /** What the tenant says about them. */
  externalKeys: Map<string, { kind: "client" | "group"; encodedKey: string }>;
  loans: Map<string, LoanPlan>;
  /** The unit each loan belongs to, by loan id. */
  loanUnit: Map<string, Unit>;
  /** Duplicate loan rows → the loan id they repeat (their unit is left out with them). */
  loanUnitRows: Map<SourceRow, string>;
  /** Standalone deposit accounts, by id (not yet in their units: see book/deposits.ts). */
  deposits: Map<string, DepositPlan>;
  /** Duplicate deposit rows → the deposit id they repeat. */
  depositDupRows: Map<SourceRow, string>;
  /** The unit each deposit account belongs to, by deposit id (filled by attachDeposits). */
  depositUnit: Map<string, Unit>;
}

/** A new context for a plan whose blocks compiled and whose files were read. */
export function newContext(plan: Plan, opts: BookOptions, blocks: Blocks, rows: BookContext["rows"], layouts: Map<string, SourceLayout>, personal: PersonalColumns = new Map()): BookContext {
  return {
    plan,
    opts,
    blocks,
    rows,
    layouts,
    personal,
    problems: [],
    nowMs: opts.now ? instant(opts.now) : Date.now(),
    mapContext: { refs: opts.refs, offset: opts.offset, amountDecimals: plan.amountDecimals },
    clientUnits: new Map(),
    groupUnits: new Map(),
    outside: new Map(),
    external: new Map(),
    externalKeys: new Map(),
    loans: new Map(),
    loanUnit: new Map(),
    loanUnitRows: new Map(),
    deposits: new Map(),
    depositDupRows: new Map(),
    depositUnit: new Map(),
  };
}

type Rec = Record<string, unknown>;

/** The instant of an ISO date-time (ms). */
export const instant = (iso: string): number => Date.parse(iso);

/** Compares two non-negative decimals written as text, exactly. */
export function cmpDec(a: string, b: string): number {
  const [ai, af = ""] = a.replace(/^-/, "").split(".");
  const [bi, bf = ""] = b.replace(/^-/, "").split(".");
  const na = ai.replace(/^0+(?=\d)/, "");
  const nb = bi.replace(/^0+(?=\d)/, "");
  if (na.length !== nb.length) return na.length < nb.length ? -1 : 1;
  if (na !== nb) return na < nb ? -1 : 1;
  const len = Math.max(af.length, bf.length);
  const fa = af.padEnd(len, "0");
  const fb = bf.padEnd(len, "0");
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** Maps a row with a block; its problems join the book's. */
export function mapInto(c: BookContext, block: CompiledBlock, row: SourceRow, kind: "loan" | "deposit" = "loan"): Mapped {
  const r = mapRow(block, row, c.mapContext, kind);
  c.problems.push(...r.problems);
  return r;
}

/**
 * Maps a row that belongs to a loan of the plan (a schedule row, a fee, a repayment): its shape and
 * mapping problems join the book's, its `loanId` must name a loan of the plan, and the row is counted
 * among that loan's unit's rows. Undefined (with the problem recorded) when the loan is missing.
 */
export function mapLoanRow(c: BookContext, block: CompiledBlock, row: SourceRow): { r: Mapped; loanId: string; loan: LoanPlan } | undefined {
  checkShape(c, row);
  const r = mapInto(c, block, row);
  const loanId = r.specials.loanId as string | undefined;
  if (!loanId) {
    c.problems.push(rowProblem(row, "loanId: is required but empty", colOf(block, "loanId")));
    return undefined;
  }
  const loan = c.loans.get(loanId);
  if (!loan) {
    c.problems.push(rowProblem(row, `loan "${loanId}" is not in the plan's loans`, colOf(block, "loanId")));
    return undefined;
  }
  c.loanUnit.get(loanId)?.rows.push(row);
  return { r, loanId, loan };
}

/** A row's shape problem (wrong number of fields), if any, joins the book's problems. */
export function checkShape(c: BookContext, row: SourceRow): void {
  if (row.shapeProblem) c.problems.push(rowProblem(row, row.shapeProblem));
}

/** A problem at a row, at the cell of `column` when given. */
export function rowProblem(row: SourceRow, message: string, column?: string): Problem {
  if (column === undefined && message === row.shapeProblem) column = row.shapeColumn;
  return { file: row.file, line: row.line, column: column ? row.columns[column] : undefined, columnName: column, message, row };
}

/** The column a rule of a block reads for a target, if any. */
export function colOf(block: CompiledBlock, target: string): string | undefined {
  return block.rules.find((r) => r.target === target)?.column;
}

/** Contract problems of a body, located at the cells of the rules that produce the fields. */
export function contractProblems(block: CompiledBlock, body: Rec, row: SourceRow, skipRequired: string[] = [], reported: readonly Problem[] = []): Problem[] {
  if (!block.spec.resource || !block.spec.definition) return [];
  let json: unknown;
  try {
    json = JSON.parse(stringifyExact(body));
  } catch (e) {
    // the cells are checked before they become numbers, so this is a bug; still, a message at the row
    return [{ file: row.file, line: row.line, message: `the row cannot be written as JSON (${(e as Error).message})`, row }];
  }
  const found = validateAgainst(block.spec.resource, { type: "object", ref: block.spec.definition }, json, { path: "body" });
  const out: Problem[] = [];
  for (const text of found) {
    const m = /^body\.([^:]+): (.*)$/.exec(text);
    const path = m ? m[1] : "";
    if (skipRequired.some((r) => path === r) && /required field is missing/.test(text)) continue;
    const rule = block.rules.find((r) => r.target === path) ?? block.rules.find((r) => path.startsWith(`${r.target}.`) || r.target.startsWith(`${path}.`));
    // a cell whose conversion failed was already reported; its field is missing as a consequence
    if (rule?.column && reported.some((p) => p.row === row && p.columnName === rule.column)) continue;
    // the contract's words quote the value ("expected …, got \"…\""): not a personal one
    const personal = rule ? rule.personal : isPersonalTarget(block.spec.name, path.split(/[.[]/)[0]);
    const detail = m ? (personal ? m[2].replace(/, got [\s\S]*$/, `, got ${WITHHELD}`) : m[2]) : text;
    out.push({
      file: row.file,
      line: row.line,
      column: rule?.column ? row.columns[rule.column] : undefined,
      columnName: rule?.column,
      message: m ? `${path}: ${detail}` : personal ? `${path}: not valid (${WITHHELD})` : text,
      row,
    });
  }
  return out;
}

/** Notes a client or group outside the plan that a row refers to (looked up in the tenant later). */
export function needExternal(c: BookContext, id: string, row: SourceRow, column: string | undefined, what: string, accept: Array<"client" | "group">): void {
  if (!c.external.has(id)) c.external.set(id, { where: [] });
  c.external.get(id)!.where.push({ row, column, what, accept });
}
