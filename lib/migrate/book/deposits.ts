/**
 * Standalone deposit accounts (savings): one per id, each with its holder (a client or group of the
 * plan, or one of the tenant), its body checked against the contract, and its opening balance (not
 * negative, exact to the plan's decimals) with the opening date (not in the future) that the opening
 * deposit is posted on; then each account joins its holder's unit, whose loans come after it.
 */
import { rowKey } from "../keys";
import type { DepositPlan, Unit } from "../types";
import { BookContext, checkShape, colOf, contractProblems, mapInto, needExternal, rowProblem } from "./context";
import { openingOf } from "./opening";

/** The deposit accounts of the deposits' rows (not yet in their units: {@link attachDeposits} does that). */
export function depositPlans(c: BookContext): void {
  const { plan, problems, deposits } = c;
  const block = c.blocks.deposits;
  if (!block) return;
  for (const row of c.rows.deposits ?? []) {
    checkShape(c, row);
    const r = mapInto(c, block, row, "deposit");
    const id = r.body.id as string | undefined;
    const holderId = r.specials.accountHolderId as string | undefined;
    if (!id || !holderId) {
      if (!holderId) problems.push(rowProblem(row, "accountHolderId: is required but empty", colOf(block, "accountHolderId")));
      continue;
    }
    if (deposits.has(id)) {
      c.depositDupRows.set(row, id);
      problems.push(rowProblem(row, `deposit id "${id}" appears twice (first at line ${deposits.get(id)!.row.line})`, colOf(block, "id")));
      continue;
    }
    const declared = r.body.accountHolderType as "CLIENT" | "GROUP" | undefined;
    const inPlan: "CLIENT" | "GROUP" | undefined = c.clientUnits.has(holderId) ? "CLIENT" : c.groupUnits.has(holderId) ? "GROUP" : undefined;
    const holderType = declared ?? inPlan ?? "CLIENT";
    problems.push(...contractProblems(block, { ...r.body, accountHolderType: holderType }, row, ["accountHolderKey"], r.problems));
    if (declared && inPlan && declared !== inPlan) {
      problems.push(rowProblem(row, `accountHolderType ${declared}, but "${holderId}" is a ${inPlan.toLowerCase()} of the plan`, colOf(block, "accountHolderType")));
    }
    const dep: DepositPlan = { id, row, holderId, holderType, body: r.body };
    delete dep.body.accountHolderType;
    dep.body.accountHolderType = holderType;

    // the opening balance: posted as one deposit on the opening date (none for an empty or zero balance)
    const opening = openingOf(c, block, row, r.specials, id, plan.steps.has("opening"));
    if (opening) dep.opening = opening;
    deposits.set(id, dep);
    if (!inPlan) needExternal(c, holderId, row, colOf(block, "accountHolderId"), `account holder "${holderId}"`, declared ? [declared === "GROUP" ? "group" : "client"] : ["client", "group"]);
  }
}

/** Puts each deposit account in its holder's unit (after the holders outside the plan were looked up). */
export function attachDeposits(c: BookContext): void {
  const unitOf = c.depositUnit;
  for (const dep of c.deposits.values()) {
    let unit = dep.holderType === "GROUP" ? c.groupUnits.get(dep.holderId) : c.clientUnits.get(dep.holderId);
    if (!unit) {
      const found = c.externalKeys.get(dep.holderId);
      const kind = found?.kind ?? (dep.holderType === "GROUP" ? "group" : "client");
      dep.holderType = kind === "group" ? "GROUP" : "CLIENT";
      dep.body.accountHolderType = dep.holderType;
      const key = kind === "group" ? rowKey.group(dep.holderId) : rowKey.client(dep.holderId);
      unit = c.outside.get(key);
      if (!unit) {
        const created: Unit = { key, kind, id: dep.holderId, create: false, members: [], links: [], loans: [], rows: [], order: 0 };
        c.outside.set(key, created);
        unit = created;
      }
    }
    (unit.deposits ??= []).push(dep);
    unit.rows.push(dep.row);
    unitOf.set(dep.id, unit);
  }
  for (const [row, id] of c.depositDupRows) unitOf.get(id)?.rows.push(row);
}
