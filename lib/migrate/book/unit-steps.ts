/** The steps each unit of a book runs under its plan (for the totals and the progress). */
import type { Plan, StepName, Unit } from "../types";

/** The steps a unit runs under a plan, in order (one entry per step). */
export function unitStepNames(u: Unit, plan: Plan): StepName[] {
  const s = plan.steps;
  const out: StepName[] = [];
  if (u.create && u.kind === "client" && s.has("client")) out.push("client");
  if (u.create && u.kind === "group" && s.has("group")) out.push("group");
  for (const d of u.deposits ?? []) {
    if (s.has("deposit")) out.push("deposit");
    if (d.opening && s.has("opening")) out.push("opening");
    if (s.has("depositTransaction")) for (const _ of d.transactions ?? []) out.push("depositTransaction");
  }
  for (const l of u.loans) {
    if (s.has("loan")) out.push("loan");
    if (l.approve && s.has("approve")) out.push("approve");
    if (l.settlement && s.has("settlement")) out.push("settlement");
    if (l.settlement?.opening && s.has("settlementOpening")) out.push("settlementOpening");
    if (l.schedule && s.has("schedule")) out.push("schedule");
    if (l.disburse && s.has("disburse")) out.push("disburse");
    for (const t of l.transactions) if (s.has(t.kind)) out.push(t.kind);
  }
  if (s.has("document")) for (const _ of u.documents ?? []) out.push("document");
  return out;
}

/** Number of steps a unit runs under a plan. */
export function unitSteps(u: Unit, plan: Plan): number {
  return unitStepNames(u, plan).length;
}
