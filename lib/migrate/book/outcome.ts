/**
 * The end of validation: the units in the order they run (clients of the plan, holders outside it,
 * then groups; a unit linking to a later client is a problem), the problems sorted by file, line and
 * column (a row split by an unquoted separator keeps only its shape problem), and — with
 * `skipInvalid` — the units of invalid rows left out, with every unit that depends on them.
 */
import type { Book, Problem, Unit } from "../types";
import { BookContext, rowProblem } from "./context";
import { unitSteps } from "./unit-steps";

/** The units in the order they run; links to a client that runs later are problems. */
function orderUnits(c: BookContext): Unit[] {
  const outside = [...c.outside.values()];
  const ordered: Unit[] = [...c.clientUnits.values(), ...outside.filter((u) => u.kind === "client"), ...c.groupUnits.values(), ...outside.filter((u) => u.kind === "group")];
  // linked clients must come earlier in the plan (a unit waits for them)
  const position = new Map(ordered.map((u, i) => [u.key, i]));
  for (const u of ordered) {
    for (const l of u.links) {
      const target = c.clientUnits.get(l.clientId);
      if (target && position.get(target.key)! >= position.get(u.key)! && u.row) {
        c.problems.push(rowProblem(u.row, `links to client "${l.clientId}", which comes later in the plan (move it earlier)`));
      }
    }
    for (const loan of u.loans) if (loan.holderType === "CLIENT" && u.kind === "group") c.problems.push(rowProblem(loan.row, `loan ${loan.id}: holder "${loan.holderId}" is a group`));
  }
  return ordered;
}

/** The units with invalid rows (and those depending on them), with their reasons; problems of no unit. */
function invalidUnits(c: BookContext, ordered: readonly Unit[]): { bad: Map<Unit, string[]>; loose: Problem[] } {
  const unitOfRow = new Map(ordered.flatMap((u) => u.rows.map((r) => [r, u] as const)));
  const bad = new Map<Unit, string[]>();
  const loose: Problem[] = [];
  for (const p of c.problems) {
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
        const t = c.clientUnits.get(id);
        return t && bad.has(t);
      });
      if (badDep) {
        bad.set(u, [`depends on client ${badDep}, which has invalid rows`]);
        changed = true;
      }
    }
  }
  return { bad, loose };
}

/** The book: units in order (without the invalid ones with `skipInvalid`), problems sorted. */
export function finishBook(c: BookContext): Book {
  const { plan, problems } = c;
  const ordered = orderUnits(c);
  // rows split by an unquoted separator: their cells are shifted, so only the shape is reported
  if (problems.some((p) => p.row?.misaligned)) {
    const kept = problems.filter((p) => !p.row?.misaligned || p.message === p.row.shapeProblem);
    problems.length = 0;
    problems.push(...kept);
  }
  const { bad, loose } = invalidUnits(c, ordered);
  const fileOrder = new Map(plan.files.map((f, i) => [f.shown, i]));
  problems.sort((a, b) => (fileOrder.get(a.file) ?? 99) - (fileOrder.get(b.file) ?? 99) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const skipped: Book["skipped"] = [];
  let kept = ordered;
  if (c.opts.skipInvalid) {
    kept = ordered.filter((u) => !bad.has(u));
    for (const [u, reasons] of bad) skipped.push({ unit: u.key, rows: u.rows, reasons });
    for (const p of loose) if (p.row) skipped.push({ rows: [p.row], reasons: [p.message] });
  }
  kept.forEach((u, i) => (u.order = i));
  const totalSteps = kept.reduce((n, u) => n + unitSteps(u, plan), 0);
  const rowCounts: Book["rowCounts"] = {};
  for (const [k, v] of Object.entries(c.rows)) rowCounts[k as keyof Book["rowCounts"]] = v?.length ?? 0;
  return { units: kept, problems, skipped, layouts: c.layouts, rowCounts, totalSteps, external: c.externalKeys, personal: c.personal };
}
