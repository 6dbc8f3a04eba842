/**
 * Validation before any write: every row of every source is mapped and checked against the mapping
 * and the API contract (required fields, enums, dates, exact amounts), against the tenant (branches,
 * centres, users, products and their limits, custom fields, holders that are not in the plan) and
 * against the plan itself (unique ids, loans of known holders, transactions of disbursed loans, value
 * dates not before the disbursement nor in the future, schedules adding up to the loan amount). All
 * problems come back at once with file, line and column; the valid rows become the {@link Book}.
 */
import { stringifyExact } from "../core/json";
import { validateAgainst } from "../contract/schema";
import { MambuClient, MambuGroup } from "../index";
import type { MambuConnector } from "../transport";
import { derivedExternalId, disbursementExternalId, rowKey } from "./keys";
import { BLOCKS, checkAmount, CompiledBlock, compileBlock, MapContext, Mapped, mapRow, missingColumns } from "./mapping";
import { PlanError } from "./plan";
import { readSource, SourceError, SourceLayout, SourceRow } from "./sources";
import type { ReferenceData } from "./tenant";
import { Book, FieldMapSpec, LoanPlan, Plan, Problem, SourceName, StepName, TxPlan, Unit } from "./types";

/** Options of {@link buildBook}. */
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

type Rec = Record<string, unknown>;

const isObj = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const plain = (v: unknown): unknown => JSON.parse(stringifyExact(v));
const instant = (iso: string): number => Date.parse(iso);
const cmpDec = (a: string, b: string): number => {
  // exact comparison of non-negative decimals written as text
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
};
/** Exact sum of decimal texts. */
export function sumDecimals(values: readonly string[]): string {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, (v.split(".")[1] ?? "").length);
  let total = 0n;
  for (const v of values) {
    const neg = v.startsWith("-");
    const [i, f = ""] = v.replace(/^-/, "").split(".");
    const n = BigInt(i + f.padEnd(scale, "0"));
    total += neg ? -n : n;
  }
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, "0");
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${out}` : out;
}

/** Reads every row of a source (all its files); layout of each file recorded. */
async function readAll(plan: Plan, source: SourceName, layouts: Map<string, SourceLayout>, problems: Problem[]): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for (const f of plan.files.filter((x) => x.source === source)) {
    const onError = (e: SourceError): void => void problems.push({ file: e.file, line: e.line, column: e.column, message: e.reason });
    try {
      for await (const row of readSource({ source, path: f.path, shownAs: f.shown, format: f.format, delimiter: f.delimiter, onLayout: (l) => layouts.set(f.shown, l), onError })) {
        rows.push(row);
      }
    } catch (e) {
      if (e instanceof SourceError) problems.push({ file: e.file, line: e.line, column: e.column, message: e.reason });
      else problems.push({ file: f.shown, message: `cannot read: ${(e as Error).message}` });
    }
  }
  return rows;
}

/** Contract problems of a body, located at the cells of the rules that produce the fields. */
function contractProblems(block: CompiledBlock, body: Rec, row: SourceRow, skipRequired: string[] = [], reported: readonly Problem[] = []): Problem[] {
  if (!block.spec.resource || !block.spec.definition) return [];
  let json: unknown;
  try {
    json = plain(body);
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
    out.push({
      file: row.file,
      line: row.line,
      column: rule?.column ? row.columns[rule.column] : undefined,
      columnName: rule?.column,
      message: m ? `${path}: ${m[2]}` : text,
      row,
    });
  }
  return out;
}

function rowProblem(row: SourceRow, message: string, column?: string): Problem {
  if (column === undefined && message === row.shapeProblem) column = row.shapeColumn;
  return { file: row.file, line: row.line, column: column ? row.columns[column] : undefined, columnName: column, message, row };
}

/** The column a rule of a block reads for a target, if any. */
function colOf(block: CompiledBlock, target: string): string | undefined {
  return block.rules.find((r) => r.target === target)?.column;
}

/** Runs `f` over items with at most `n` at once. */
async function eachLimit<T>(items: readonly T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await f(items[next++]);
    }),
  );
}

/**
 * Reads, maps and validates every row of a plan into a {@link Book}. Plan-level problems (mapping
 * fields unknown to the contract or the tenant, missing columns, malformed files) throw
 * {@link PlanError}; row problems are returned in `book.problems` (with `skipInvalid`, their units
 * are left out and listed in `book.skipped`).
 */
export async function buildBook(plan: Plan, opts: BookOptions = {}): Promise<Book> {
  const planFile = plan.file.split(/[\\/]/).pop() ?? plan.file;
  const fatal: Problem[] = [];
  const m = plan.spec.mapping;
  const d = (plan.spec.defaults ?? {}) as Record<string, unknown>;
  const dflt = (k: string, sub?: string): Record<string, unknown> | undefined => {
    const v = sub ? (isObj(d[k]) ? (d[k] as Rec)[sub] : undefined) : d[k];
    return isObj(v) ? (v as Record<string, unknown>) : undefined;
  };
  const compile = (name: keyof typeof BLOCKS, map: FieldMapSpec | undefined, defaults: Record<string, unknown> | undefined): CompiledBlock | undefined =>
    map || defaults ? compileBlock(BLOCKS[name], map, defaults, planFile, opts.refs, fatal) : undefined;
  const blocks = {
    clients: compile("clients", m.clients, dflt("clients")),
    groups: compile("groups", m.groups, dflt("groups")),
    account: m.loans ? compile("loans.account", m.loans.account, dflt("loans", "account")) : undefined,
    approve: m.loans ? compile("loans.approve", m.loans.approve ?? {}, dflt("loans", "approve")) : undefined,
    settlement: m.loans?.settlement ? compile("loans.settlement", m.loans.settlement, dflt("loans", "settlement")) : undefined,
    disburse: m.loans?.disburse ? compile("loans.disburse", m.loans.disburse, dflt("loans", "disburse")) : undefined,
    schedules: compile("schedules", m.schedules, dflt("schedules")),
    fees: compile("fees", m.fees, dflt("fees")),
    repayments: compile("repayments", m.repayments, dflt("repayments")),
  };
  if (plan.steps.has("disburse") && blocks.disburse && !blocks.disburse.rules.some((r) => r.target === "valueDate")) {
    fatal.push({ file: planFile, message: "mapping.loans.disburse.valueDate: must be mapped (a loan is disbursed on the date of its row)" });
  }
  if (plan.steps.has("settlement") && blocks.settlement && !blocks.settlement.rules.some((r) => r.target === "id")) {
    fatal.push({ file: planFile, message: "mapping.loans.settlement.id: must be mapped (the settlement account's id comes from the source)" });
  }
  const layouts = new Map<string, SourceLayout>();
  const rows: Partial<Record<SourceName, SourceRow[]>> = {};
  for (const s of ["clients", "groups", "loans", "schedules", "fees", "repayments"] as const) {
    if (plan.files.some((f) => f.source === s)) rows[s] = await readAll(plan, s, layouts, fatal);
  }
  const blockOfSource: Record<SourceName, Array<CompiledBlock | undefined>> = {
    clients: [blocks.clients],
    groups: [blocks.groups],
    loans: [blocks.account, blocks.approve, blocks.settlement, blocks.disburse],
    schedules: [blocks.schedules],
    fees: [blocks.fees],
    repayments: [blocks.repayments],
  };
  for (const f of plan.files) {
    const layout = layouts.get(f.shown);
    for (const b of blockOfSource[f.source].filter((x): x is CompiledBlock => x !== undefined)) {
      for (const c of missingColumns(b, layout?.header)) fatal.push({ file: f.shown, line: 1, message: `column "${c}" (${b.spec.name}) is not in the header` });
    }
  }
  if (fatal.length) throw new PlanError(fatal);

  const problems: Problem[] = [];
  const ctx: MapContext = { refs: opts.refs, offset: opts.offset, amountDecimals: plan.amountDecimals };
  const nowMs = opts.now ? instant(opts.now) : Date.now();
  const rowCounts: Partial<Record<SourceName, number>> = {};
  for (const [k, v] of Object.entries(rows)) rowCounts[k as SourceName] = v?.length ?? 0;
  const map = (b: CompiledBlock, row: SourceRow, kind: "loan" | "deposit" = "loan"): Mapped => {
    const r = mapRow(b, row, ctx, kind);
    problems.push(...r.problems);
    return r;
  };
  const shape = (row: SourceRow): void => {
    if (row.shapeProblem) problems.push(rowProblem(row, row.shapeProblem));
  };

  // ---- clients and groups
  const units = new Map<string, Unit>();
  const clientUnits = new Map<string, Unit>();
  const groupUnits = new Map<string, Unit>();
  const clientRows = rows.clients ?? [];
  let order = 0;
  for (const row of clientRows) {
    shape(row);
    const r = map(blocks.clients!, row);
    const id = r.body.id as string | undefined;
    if (!id) continue;
    if (clientUnits.has(id)) {
      // both rows are suspect: the unit is left out with both
      clientUnits.get(id)!.rows.push(row);
      problems.push(rowProblem(row, `client id "${id}" appears twice (first at line ${clientUnits.get(id)!.row!.line})`, colOf(blocks.clients!, "id")));
      continue;
    }
    problems.push(...contractProblems(blocks.clients!, r.body, row, [], r.problems));
    const u: Unit = { key: rowKey.client(id), kind: "client", id, create: true, row, body: r.body, members: [], links: r.links, loans: [], rows: [row], order: order++ };
    clientUnits.set(id, u);
  }
  for (const row of rows.groups ?? []) {
    shape(row);
    const r = map(blocks.groups!, row);
    const id = r.body.id as string | undefined;
    if (!id) continue;
    if (groupUnits.has(id) || clientUnits.has(id)) {
      (groupUnits.get(id) ?? clientUnits.get(id))!.rows.push(row);
      problems.push(rowProblem(row, `group id "${id}" appears twice (or is also a client id)`, colOf(blocks.groups!, "id")));
      continue;
    }
    problems.push(...contractProblems(blocks.groups!, r.body, row, [], r.problems));
    const members = (r.specials.members as string[] | undefined) ?? [];
    const u: Unit = { key: rowKey.group(id), kind: "group", id, create: true, row, body: r.body, members, links: r.links, loans: [], rows: [row], order: 0 };
    groupUnits.set(id, u);
  }

  // ---- references to clients and groups outside the plan: they must exist in the tenant
  const external = new Map<string, { kind?: "client" | "group"; where: Array<{ row: SourceRow; column?: string; what: string; accept: Array<"client" | "group"> }> }>();
  const needExternal = (id: string, row: SourceRow, column: string | undefined, what: string, accept: Array<"client" | "group">): void => {
    if (!external.has(id)) external.set(id, { where: [] });
    external.get(id)!.where.push({ row, column, what, accept });
  };
  for (const u of groupUnits.values()) {
    for (const mid of u.members) if (!clientUnits.has(mid)) needExternal(mid, u.row!, colOf(blocks.groups!, "members"), `group member "${mid}"`, ["client"]);
  }
  for (const u of [...clientUnits.values(), ...groupUnits.values()]) {
    for (const l of u.links) if (!clientUnits.has(l.clientId)) needExternal(l.clientId, u.row!, undefined, `linked client "${l.clientId}"`, ["client"]);
  }

  // ---- loans
  const loans = new Map<string, LoanPlan>();
  const loanUnit = new Map<string, Unit>();
  const pendingLoans: Array<{ loan: LoanPlan; row: SourceRow }> = [];
  /** Duplicate loan rows → the loan id they repeat (their unit is left out with them). */
  const loanUnitRows = new Map<SourceRow, string>();
  for (const row of rows.loans ?? []) {
    shape(row);
    const acc = map(blocks.account!, row);
    const id = acc.body.id as string | undefined;
    const holderId = acc.specials.accountHolderId as string | undefined;
    if (!id || !holderId) {
      if (!holderId) problems.push(rowProblem(row, "accountHolderId: is required but empty", colOf(blocks.account!, "accountHolderId")));
      continue;
    }
    if (loans.has(id)) {
      loanUnitRows.set(row, id);
      problems.push(rowProblem(row, `loan id "${id}" appears twice (first at line ${loans.get(id)!.row.line})`, colOf(blocks.account!, "id")));
      continue;
    }
    const declared = acc.body.accountHolderType as "CLIENT" | "GROUP" | undefined;
    const inPlan: "CLIENT" | "GROUP" | undefined = clientUnits.has(holderId) ? "CLIENT" : groupUnits.has(holderId) ? "GROUP" : undefined;
    const holderType = declared ?? inPlan ?? "CLIENT";
    problems.push(...contractProblems(blocks.account!, { ...acc.body, accountHolderType: holderType }, row, ["accountHolderKey"], acc.problems));
    if (declared && inPlan && declared !== inPlan) {
      problems.push(rowProblem(row, `accountHolderType ${declared}, but "${holderId}" is a ${inPlan.toLowerCase()} of the plan`, colOf(blocks.account!, "accountHolderType")));
    }
    // product limits
    const productKey = acc.body.productTypeKey as string | undefined;
    const product = opts.refs ? [...opts.refs.loanProducts.values()].find((p) => p.encodedKey === productKey) : undefined;
    const amount = acc.body.loanAmount !== undefined ? String(acc.body.loanAmount) : undefined;
    if (product && amount) {
      const col = colOf(blocks.account!, "loanAmount");
      if (product.minAmount && cmpDec(amount, product.minAmount) < 0) problems.push(rowProblem(row, `loanAmount ${amount} is below the minimum ${product.minAmount} of product ${product.id}`, col));
      if (product.maxAmount && cmpDec(amount, product.maxAmount) > 0) problems.push(rowProblem(row, `loanAmount ${amount} is above the maximum ${product.maxAmount} of product ${product.id}`, col));
    }
    if (amount && checkAmount(amount, plan.amountDecimals, true)) problems.push(rowProblem(row, `loanAmount must be positive, got ${amount}`, colOf(blocks.account!, "loanAmount")));
    const n = (acc.body.scheduleSettings as Rec | undefined)?.repaymentInstallments as number | undefined;
    if (product && n !== undefined) {
      const col = colOf(blocks.account!, "scheduleSettings.repaymentInstallments");
      if ((product.minInstallments !== undefined && n < product.minInstallments) || (product.maxInstallments !== undefined && n > product.maxInstallments)) {
        problems.push(rowProblem(row, `repaymentInstallments ${n} is outside ${product.minInstallments ?? "-"}..${product.maxInstallments ?? "-"} of product ${product.id}`, col));
      }
    }
    const loan: LoanPlan = { id, row, holderId, holderType, body: acc.body, loanAmount: amount ?? "0", transactions: [] };
    delete loan.body.accountHolderType;
    loan.body.accountHolderType = holderType;
    if (plan.steps.has("approve")) {
      const ap = map(blocks.approve!, row);
      loan.approve = { body: { action: "APPROVE", ...ap.body } };
    }
    if (blocks.settlement && plan.steps.has("settlement")) {
      const st = map(blocks.settlement, row, "deposit");
      const sid = st.body.id as string | undefined;
      if (sid) {
        const probe = { ...st.body, accountHolderKey: "x", accountHolderType: holderType };
        problems.push(...contractProblems(blocks.settlement, probe, row, [], st.problems));
        loan.settlement = { id: sid, body: st.body };
      }
    }
    if (blocks.disburse && plan.steps.has("disburse")) {
      const ds = map(blocks.disburse, row);
      const vd = ds.body.valueDate as string | undefined;
      if (vd) {
        problems.push(...contractProblems(blocks.disburse, ds.body, row, [], ds.problems));
        if (instant(vd) > nowMs) problems.push(rowProblem(row, `disbursement date ${vd} is in the future`, colOf(blocks.disburse, "valueDate")));
        const first = ds.body.firstRepaymentDate as string | undefined;
        if (first && instant(first) <= instant(vd)) problems.push(rowProblem(row, `firstRepaymentDate ${first} is not after the disbursement date ${vd}`, colOf(blocks.disburse, "firstRepaymentDate")));
        const externalId = (ds.body.externalId as string | undefined) ?? disbursementExternalId(plan.id, id);
        ds.body.externalId = externalId;
        loan.disburse = { body: ds.body, valueDate: vd, externalId };
      }
    }
    loans.set(id, loan);
    pendingLoans.push({ loan, row });
    if (!inPlan) needExternal(holderId, row, colOf(blocks.account!, "accountHolderId"), `account holder "${holderId}"`, declared ? [declared === "GROUP" ? "group" : "client"] : ["client", "group"]);
  }

  // ---- external references, looked up in the tenant
  const externalKeys = new Map<string, { kind: "client" | "group"; encodedKey: string }>();
  if (opts.conn && external.size) {
    await eachLimit([...external.keys()], 8, async (id) => {
      const e = external.get(id)!;
      const accepts = new Set(e.where.flatMap((w) => w.accept));
      let found: { kind: "client" | "group"; encodedKey: string } | undefined;
      if (accepts.has("client")) {
        const c = await MambuClient.find(id, { connector: opts.conn });
        if (c) found = { kind: "client", encodedKey: String(c.encodedKey) };
      }
      if (!found && accepts.has("group")) {
        const g = await MambuGroup.find(id, { connector: opts.conn });
        if (g) found = { kind: "group", encodedKey: String(g.encodedKey) };
      }
      if (found) externalKeys.set(id, found);
    });
  }
  for (const [id, e] of external) {
    const found = externalKeys.get(id);
    for (const w of e.where) {
      if (!opts.conn) continue;
      if (!found || !w.accept.includes(found.kind)) {
        problems.push(rowProblem(w.row, `${w.what} is neither in the plan nor in the tenant`, w.column));
      }
    }
  }

  // ---- loans to their units
  for (const { loan } of pendingLoans) {
    let unit = loan.holderType === "GROUP" ? groupUnits.get(loan.holderId) : clientUnits.get(loan.holderId);
    if (!unit) {
      const found = externalKeys.get(loan.holderId);
      const kind = found?.kind ?? (loan.holderType === "GROUP" ? "group" : "client");
      loan.holderType = kind === "group" ? "GROUP" : "CLIENT";
      loan.body.accountHolderType = loan.holderType;
      const key = kind === "group" ? rowKey.group(loan.holderId) : rowKey.client(loan.holderId);
      unit = units.get(key);
      if (!unit) {
        unit = { key, kind, id: loan.holderId, create: false, members: [], links: [], loans: [], rows: [], order: 0 };
        units.set(key, unit);
      }
    }
    unit.loans.push(loan);
    unit.rows.push(loan.row);
    loanUnit.set(loan.id, unit);
  }

  for (const [row, id] of loanUnitRows) loanUnit.get(id)?.rows.push(row);

  // ---- schedules
  const scheduleRows = new Map<string, Array<{ row: SourceRow; inst: Rec }>>();
  for (const row of rows.schedules ?? []) {
    shape(row);
    const r = map(blocks.schedules!, row);
    const loanId = r.specials.loanId as string | undefined;
    if (!loanId) {
      problems.push(rowProblem(row, "loanId: is required but empty", colOf(blocks.schedules!, "loanId")));
      continue;
    }
    const loan = loans.get(loanId);
    if (!loan) {
      problems.push(rowProblem(row, `loan "${loanId}" is not in the plan's loans`, colOf(blocks.schedules!, "loanId")));
      continue;
    }
    loanUnit.get(loanId)?.rows.push(row);
    const s = r.specials;
    if (s.number === undefined || s.dueDate === undefined || s.principal === undefined) {
      for (const f of ["number", "dueDate", "principal"]) if (s[f] === undefined && !r.problems.length) problems.push(rowProblem(row, `${f}: is required but empty`, colOf(blocks.schedules!, f)));
      continue;
    }
    const inst: Rec = { number: s.number, dueDate: s.dueDate };
    for (const e of ["principal", "interest", "fee", "penalty"]) if (s[e] !== undefined) inst[e] = { amount: { expected: s[e] } };
    if (!scheduleRows.has(loanId)) scheduleRows.set(loanId, []);
    scheduleRows.get(loanId)!.push({ row, inst });
  }
  for (const [loanId, list] of scheduleRows) {
    const loan = loans.get(loanId)!;
    const first = list[0].row;
    if (!plan.steps.has("schedule")) continue;
    if (!loan.disburse && plan.steps.has("disburse")) {
      // an edited schedule of a loan that is not disbursed is fine
    }
    list.sort((a, b) => (a.inst.number as number) - (b.inst.number as number));
    const nums = list.map((x) => x.inst.number as number);
    if (new Set(nums).size !== nums.length) problems.push(rowProblem(first, `loan ${loanId}: installment numbers repeat`, colOf(blocks.schedules!, "number")));
    for (let i = 1; i < list.length; i++) {
      if ((list[i].inst.dueDate as string) <= (list[i - 1].inst.dueDate as string)) {
        problems.push(rowProblem(list[i].row, `loan ${loanId}: installment ${String(list[i].inst.number)} is not due after installment ${String(list[i - 1].inst.number)}`, colOf(blocks.schedules!, "dueDate")));
      }
    }
    const principal = sumDecimals(list.map((x) => String(((x.inst.principal as Rec).amount as Rec).expected)));
    if (cmpDec(principal, loan.loanAmount) !== 0) {
      problems.push(rowProblem(first, `loan ${loanId}: the installments' principal adds up to ${principal}, not the loan amount ${loan.loanAmount}`, colOf(blocks.schedules!, "principal")));
    }
    if (loan.disburse && (list[0].inst.dueDate as string) <= loan.disburse.valueDate.slice(0, 10)) {
      problems.push(rowProblem(first, `loan ${loanId}: the first installment is due on or before the disbursement date ${loan.disburse.valueDate.slice(0, 10)}`, colOf(blocks.schedules!, "dueDate")));
    }
    const declared = (loan.body.scheduleSettings as Rec | undefined)?.repaymentInstallments;
    if (declared !== undefined && declared !== list.length) {
      problems.push(rowProblem(first, `loan ${loanId}: ${list.length} schedule rows, but the loan has ${String(declared)} installments (scheduleSettings.repaymentInstallments)`, colOf(blocks.schedules!, "number")));
    }
    loan.schedule = { rows: list.map((x) => x.row), installments: list.map((x) => x.inst) };
  }

  // ---- fees and repayments
  const occurrences = new Map<string, number>();
  /** Rows already reported: a transaction of a loan whose row is invalid is not blamed for it again. */
  const reportedRows = new Set(problems.map((p) => p.row));
  const txRows = (kind: "fee" | "repayment", block: CompiledBlock | undefined, list: SourceRow[] | undefined): void => {
    if (!block || !list) return;
    for (const row of list) {
      shape(row);
      const r = map(block, row);
      const loanId = r.specials.loanId as string | undefined;
      if (!loanId) {
        problems.push(rowProblem(row, "loanId: is required but empty", colOf(block, "loanId")));
        continue;
      }
      const loan = loans.get(loanId);
      if (!loan) {
        problems.push(rowProblem(row, `loan "${loanId}" is not in the plan's loans`, colOf(block, "loanId")));
        continue;
      }
      loanUnit.get(loanId)?.rows.push(row);
      if (!plan.steps.has(kind)) continue;
      problems.push(...contractProblems(block, r.body, row, [], r.problems));
      const vd = r.body.valueDate as string | undefined;
      const vdCol = colOf(block, "valueDate");
      if (!vd) {
        if (!r.problems.some((p) => p.columnName === vdCol)) problems.push(rowProblem(row, "valueDate: is required (the date the transaction happened)", vdCol));
        continue;
      }
      if (instant(vd) > nowMs) problems.push(rowProblem(row, `valueDate ${vd} is in the future`, vdCol));
      if (reportedRows.has(loan.row)) {
        // the loan's own row is invalid (reported): its unit is left out anyway
      } else if (!loan.disburse) problems.push(rowProblem(row, `loan ${loanId} is not disbursed by the plan (no disbursement date)`, colOf(block, "loanId")));
      else if (vd.slice(0, 10) < loan.disburse.valueDate.slice(0, 10)) problems.push(rowProblem(row, `valueDate ${vd} is before the disbursement of loan ${loanId} (${loan.disburse.valueDate})`, vdCol));
      const product = opts.refs ? [...opts.refs.loanProducts.values()].find((p) => p.encodedKey === loan.body.productTypeKey) : undefined;
      let amount = r.body.amount !== undefined ? String(r.body.amount) : undefined;
      const amountCol = colOf(block, "amount");
      if (kind === "fee") {
        const feeId = r.body.predefinedFeeKey as string | undefined;
        if (feeId !== undefined && product) {
          const key = product.fees.get(feeId);
          if (!key) problems.push(rowProblem(row, `product ${product.id} has no fee "${feeId}"`, colOf(block, "predefinedFeeKey")));
          else {
            r.body.predefinedFeeKey = key;
            amount ??= product.feeAmounts.get(key);
          }
        }
        if (feeId === undefined && amount === undefined) problems.push(rowProblem(row, "a fee needs an amount or a predefinedFeeKey", amountCol));
        if (feeId === undefined && product && !product.allowArbitraryFees) problems.push(rowProblem(row, `product ${product.id} does not allow arbitrary fees (give predefinedFeeKey)`, amountCol));
      } else if (amount === undefined) {
        continue; // the contract problem (amount required) was reported
      }
      if (amount !== undefined) {
        const e = checkAmount(amount, plan.amountDecimals, true);
        if (e) problems.push(rowProblem(row, `amount: ${e}`, amountCol));
      }
      amount ??= "0";
      const tuple = `${loanId}\u0000${kind}\u0000${vd}\u0000${amount}`;
      const occ = (occurrences.get(tuple) ?? 0) + 1;
      occurrences.set(tuple, occ);
      const externalId = (r.body.externalId as string | undefined) ?? derivedExternalId(plan.id, loanId, kind, vd, amount, occ);
      r.body.externalId = externalId;
      if (loan.transactions.some((t) => t.externalId === externalId)) {
        problems.push(rowProblem(row, `externalId "${externalId}" appears twice on loan ${loanId}`, colOf(block, "externalId")));
        continue;
      }
      const tx: TxPlan = { kind, row, key: rowKey.transaction(kind, loanId, externalId), externalId, valueDate: vd, amount, body: r.body };
      loan.transactions.push(tx);
    }
  };
  txRows("fee", blocks.fees, rows.fees);
  txRows("repayment", blocks.repayments, rows.repayments);
  for (const loan of loans.values()) {
    const seq = new Map(loan.transactions.map((t, i) => [t, i]));
    loan.transactions.sort((a, b) => {
      const da = instant(a.valueDate);
      const db = instant(b.valueDate);
      if (da !== db) return da - db;
      if (a.kind !== b.kind) return a.kind === "fee" ? -1 : 1;
      return seq.get(a)! - seq.get(b)!;
    });
  }

  // ---- units in order: clients of the plan, holders outside it, then groups
  const ordered: Unit[] = [...clientUnits.values(), ...[...units.values()].filter((u) => u.kind === "client"), ...groupUnits.values(), ...[...units.values()].filter((u) => u.kind === "group")];
  // linked clients must come earlier in the plan (a unit waits for them)
  const position = new Map(ordered.map((u, i) => [u.key, i]));
  for (const u of ordered) {
    for (const l of u.links) {
      const target = clientUnits.get(l.clientId);
      if (target && position.get(target.key)! >= position.get(u.key)! && u.row) {
        problems.push(rowProblem(u.row, `links to client "${l.clientId}", which comes later in the plan (move it earlier)`));
      }
    }
    for (const loan of u.loans) if (loan.holderType === "CLIENT" && u.kind === "group") problems.push(rowProblem(loan.row, `loan ${loan.id}: holder "${loan.holderId}" is a group`));
  }

  // ---- rows split by an unquoted separator: their cells are shifted, so only the shape is reported
  if (problems.some((p) => p.row?.misaligned)) {
    const kept = problems.filter((p) => !p.row?.misaligned || p.message === p.row.shapeProblem);
    problems.length = 0;
    for (const p of kept) problems.push(p);
  }

  // ---- invalid rows → their units
  const unitOfRow = new Map<SourceRow, Unit>();
  for (const u of ordered) for (const r of u.rows) unitOfRow.set(r, u);
  const bad = new Map<Unit, string[]>();
  const loose: Problem[] = [];
  for (const p of problems) {
    const u = p.row ? unitOfRow.get(p.row) : undefined;
    if (u) {
      if (!bad.has(u)) bad.set(u, []);
      bad.get(u)!.push(`${p.file}:${p.line ?? ""}${p.columnName ? ` (${p.columnName})` : ""}: ${p.message}`);
    } else loose.push(p);
  }
  // dependents of bad units are bad too (group members, linked clients)
  let changed = true;
  while (changed) {
    changed = false;
    for (const u of ordered) {
      if (bad.has(u)) continue;
      const deps = [...u.members, ...u.links.map((l) => l.clientId)];
      const badDep = deps.find((id) => {
        const t = clientUnits.get(id);
        return t && bad.has(t);
      });
      if (badDep) {
        bad.set(u, [`depends on client ${badDep}, which has invalid rows`]);
        changed = true;
      }
    }
  }
  const fileOrder = new Map(plan.files.map((f, i) => [f.shown, i]));
  problems.sort((a, b) => (fileOrder.get(a.file) ?? 99) - (fileOrder.get(b.file) ?? 99) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const skipped: Book["skipped"] = [];
  let kept = ordered;
  if (opts.skipInvalid) {
    kept = ordered.filter((u) => !bad.has(u));
    for (const [u, reasons] of bad) skipped.push({ unit: u.key, rows: u.rows, reasons });
    for (const p of loose) if (p.row) skipped.push({ rows: [p.row], reasons: [p.message] });
  }
  kept.forEach((u, i) => (u.order = i));
  const totalSteps = kept.reduce((n, u) => n + unitSteps(u, plan), 0);
  return { units: kept, problems, skipped, layouts, rowCounts, totalSteps, external: externalKeys };
}

/** The steps a unit runs under a plan, in order (one entry per step). */
export function unitStepNames(u: Unit, plan: Plan): StepName[] {
  const s = plan.steps;
  const out: StepName[] = [];
  if (u.create && u.kind === "client" && s.has("client")) out.push("client");
  if (u.create && u.kind === "group" && s.has("group")) out.push("group");
  for (const l of u.loans) {
    if (s.has("loan")) out.push("loan");
    if (l.approve && s.has("approve")) out.push("approve");
    if (l.settlement && s.has("settlement")) out.push("settlement");
    if (l.schedule && s.has("schedule")) out.push("schedule");
    if (l.disburse && s.has("disburse")) out.push("disburse");
    for (const t of l.transactions) if (s.has(t.kind)) out.push(t.kind);
  }
  return out;
}

/** Number of steps a unit runs under a plan. */
export function unitSteps(u: Unit, plan: Plan): number {
  return unitStepNames(u, plan).length;
}
