/**
 * Loans: one per id, each with its holder (a client or group of the plan, or one of the tenant),
 * its body checked against the contract and its product's limits (amount, installments), and its
 * approval, settlement account and disbursement as the plan's steps say; then each loan joins its
 * holder's unit (a holder outside the plan gets a unit that is looked up, not created).
 */
import { checkAmount } from "../mapping";
import { disbursementExternalId, rowKey } from "../keys";
import type { LoanPlan, Unit } from "../types";
import { BookContext, checkShape, cmpDec, colOf, contractProblems, instant, mapInto, needExternal, rowProblem } from "./context";
import { openingOf } from "./opening";

type Rec = Record<string, unknown>;

/** The loans of the loans' rows (not yet in their units: {@link attachLoans} does that). */
export function loanPlans(c: BookContext): void {
  const { plan, opts, blocks, problems, loans } = c;
  const account = blocks.account!;
  for (const row of c.rows.loans ?? []) {
    checkShape(c, row);
    const acc = mapInto(c, account, row);
    const id = acc.body.id as string | undefined;
    const holderId = acc.specials.accountHolderId as string | undefined;
    if (!id || !holderId) {
      if (!holderId) problems.push(rowProblem(row, "accountHolderId: is required but empty", colOf(account, "accountHolderId")));
      continue;
    }
    if (loans.has(id)) {
      c.loanUnitRows.set(row, id);
      problems.push(rowProblem(row, `loan id "${id}" appears twice (first at line ${loans.get(id)!.row.line})`, colOf(account, "id")));
      continue;
    }
    const declared = acc.body.accountHolderType as "CLIENT" | "GROUP" | undefined;
    const inPlan: "CLIENT" | "GROUP" | undefined = c.clientUnits.has(holderId) ? "CLIENT" : c.groupUnits.has(holderId) ? "GROUP" : undefined;
    const holderType = declared ?? inPlan ?? "CLIENT";
    problems.push(...contractProblems(account, { ...acc.body, accountHolderType: holderType }, row, ["accountHolderKey"], acc.problems));
    if (declared && inPlan && declared !== inPlan) {
      problems.push(rowProblem(row, `accountHolderType ${declared}, but "${holderId}" is a ${inPlan.toLowerCase()} of the plan`, colOf(account, "accountHolderType")));
    }
    // product limits
    const productKey = acc.body.productTypeKey as string | undefined;
    const product = opts.refs ? [...opts.refs.loanProducts.values()].find((p) => p.encodedKey === productKey) : undefined;
    const amount = acc.body.loanAmount !== undefined ? String(acc.body.loanAmount) : undefined;
    if (product && amount) {
      const col = colOf(account, "loanAmount");
      if (product.minAmount && cmpDec(amount, product.minAmount) < 0) problems.push(rowProblem(row, `loanAmount ${amount} is below the minimum ${product.minAmount} of product ${product.id}`, col));
      if (product.maxAmount && cmpDec(amount, product.maxAmount) > 0) problems.push(rowProblem(row, `loanAmount ${amount} is above the maximum ${product.maxAmount} of product ${product.id}`, col));
    }
    if (amount && checkAmount(amount, plan.amountDecimals, true)) problems.push(rowProblem(row, `loanAmount must be positive, got ${amount}`, colOf(account, "loanAmount")));
    const n = (acc.body.scheduleSettings as Rec | undefined)?.repaymentInstallments as number | undefined;
    if (product && n !== undefined) {
      const col = colOf(account, "scheduleSettings.repaymentInstallments");
      if ((product.minInstallments !== undefined && n < product.minInstallments) || (product.maxInstallments !== undefined && n > product.maxInstallments)) {
        problems.push(rowProblem(row, `repaymentInstallments ${n} is outside ${product.minInstallments ?? "-"}..${product.maxInstallments ?? "-"} of product ${product.id}`, col));
      }
    }
    const loan: LoanPlan = { id, row, holderId, holderType, body: acc.body, loanAmount: amount ?? "0", transactions: [] };
    delete loan.body.accountHolderType;
    loan.body.accountHolderType = holderType;
    if (plan.steps.has("approve")) {
      const ap = mapInto(c, blocks.approve!, row);
      loan.approve = { body: { action: "APPROVE", ...ap.body } };
    }
    if (blocks.settlement && plan.steps.has("settlement")) {
      const st = mapInto(c, blocks.settlement, row, "deposit");
      const sid = st.body.id as string | undefined;
      if (sid) {
        const probe = { ...st.body, accountHolderKey: "x", accountHolderType: holderType };
        problems.push(...contractProblems(blocks.settlement, probe, row, [], st.problems));
        loan.settlement = { id: sid, body: st.body };
        const opening = openingOf(c, blocks.settlement, row, st.specials, sid, plan.steps.has("settlementOpening"));
        if (opening) loan.settlement.opening = opening;
      }
    }
    if (blocks.disburse && plan.steps.has("disburse")) {
      const ds = mapInto(c, blocks.disburse, row);
      const vd = ds.body.valueDate as string | undefined;
      if (vd) {
        problems.push(...contractProblems(blocks.disburse, ds.body, row, [], ds.problems));
        if (instant(vd) > c.nowMs) problems.push(rowProblem(row, `disbursement date ${vd} is in the future`, colOf(blocks.disburse, "valueDate")));
        const first = ds.body.firstRepaymentDate as string | undefined;
        if (first && instant(first) <= instant(vd)) problems.push(rowProblem(row, `firstRepaymentDate ${first} is not after the disbursement date ${vd}`, colOf(blocks.disburse, "firstRepaymentDate")));
        const externalId = (ds.body.externalId as string | undefined) ?? disbursementExternalId(plan.id, id);
        ds.body.externalId = externalId;
        loan.disburse = { body: ds.body, valueDate: vd, externalId };
      }
    }
    loans.set(id, loan);
    if (!inPlan) needExternal(c, holderId, row, colOf(account, "accountHolderId"), `account holder "${holderId}"`, declared ? [declared === "GROUP" ? "group" : "client"] : ["client", "group"]);
  }
}

/** Puts each loan in its holder's unit (after the holders outside the plan were looked up). */
export function attachLoans(c: BookContext): void {
  for (const loan of c.loans.values()) {
    let unit = loan.holderType === "GROUP" ? c.groupUnits.get(loan.holderId) : c.clientUnits.get(loan.holderId);
    if (!unit) {
      const found = c.externalKeys.get(loan.holderId);
      const kind = found?.kind ?? (loan.holderType === "GROUP" ? "group" : "client");
      loan.holderType = kind === "group" ? "GROUP" : "CLIENT";
      loan.body.accountHolderType = loan.holderType;
      const key = kind === "group" ? rowKey.group(loan.holderId) : rowKey.client(loan.holderId);
      unit = c.outside.get(key);
      if (!unit) {
        const created: Unit = { key, kind, id: loan.holderId, create: false, members: [], links: [], loans: [], rows: [], order: 0 };
        c.outside.set(key, created);
        unit = created;
      }
    }
    unit.loans.push(loan);
    unit.rows.push(loan.row);
    c.loanUnit.set(loan.id, unit);
  }
  for (const [row, id] of c.loanUnitRows) c.loanUnit.get(id)?.rows.push(row);
}
