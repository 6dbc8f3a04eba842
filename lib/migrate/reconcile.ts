/**
 * Reconciliation: per unit and in total, what the source says (holders, loans, loan amounts, amounts
 * disbursed, fees, repayments and their counts, standalone deposit accounts and their balances —
 * the opening plus the deposits less the withdrawals —, those deposits and withdrawals and their counts,
 * and the balances of the settlement accounts opened with one)
 * against what the tenant holds (the deposit accounts' total balances, the loans' amounts,
 * their transactions, and the amounts paid according to the loans' balances), with the differences.
 */
import { Decimal } from "../core/money";
import type { EntityClass } from "../core/entity";
import { MambuClient, MambuDeposit, MambuGroup, MambuLoan } from "../index";
import type { MambuEntity } from "../index";
import { getAttachmentsMetadata } from "../core/attachments";
import type { MambuConnector } from "../transport";
import type { Book, Plan, Unit } from "./types";

/** The figures compared, in display order. */
export const METRICS = ["holders", "loans", "loanAmount", "disbursed", "fees", "feeCount", "repaid", "repaymentCount", "paid", "deposits", "depositBalance", "deposited", "depositedCount", "withdrawn", "withdrawnCount", "settlements", "adjustedCount", "documents", "groupRoles"] as const;
/** One figure. */
export type Metric = (typeof METRICS)[number];
/** Figures of one side. */
export type Figures = Record<Metric, Decimal>;

/** One unit's differences. */
export interface UnitReconciliation {
  unit: string;
  source: Figures;
  tenant: Figures;
  /** Metrics that differ. */
  differences: Metric[];
}

/** The outcome of a reconciliation. */
export interface Reconciliation {
  equal: boolean;
  totals: { source: Figures; tenant: Figures };
  units: UnitReconciliation[];
}

const zero = (): Figures => Object.fromEntries(METRICS.map((m) => [m, new Decimal(0)])) as Figures;
const dec = (v: unknown): Decimal => {
  if (v === undefined || v === null || v === "") return new Decimal(0);
  try {
    return new Decimal(String(v));
  } catch {
    return new Decimal(0);
  }
};

/** What the source expects of a unit under a plan. */
export function sourceFigures(u: Unit, plan: Plan): Figures {
  const f = zero();
  const s = plan.steps;
  f.holders = new Decimal(1);
  if (s.has("document")) f.documents = new Decimal((u.documents ?? []).length);
  for (const roles of u.memberRoles?.values() ?? []) f.groupRoles = f.groupRoles.plus(roles.length);
  for (const d of u.deposits ?? []) {
    f.deposits = f.deposits.plus(1);
    if (d.opening) f.depositBalance = f.depositBalance.plus(d.opening.amount);
    if (!s.has("depositTransaction")) continue;
    for (const t of d.transactions ?? []) {
      if (t.type === "DEPOSIT") {
        f.deposited = f.deposited.plus(t.amount);
        f.depositedCount = f.depositedCount.plus(1);
        f.depositBalance = f.depositBalance.plus(t.amount);
      } else {
        f.withdrawn = f.withdrawn.plus(t.amount);
        f.withdrawnCount = f.withdrawnCount.plus(1);
        f.depositBalance = f.depositBalance.minus(t.amount);
      }
    }
  }
  if (!s.has("loan")) return f;
  for (const l of u.loans) {
    if (l.settlement?.opening && s.has("settlementOpening")) f.settlements = f.settlements.plus(l.settlement.opening.amount);
    f.loans = f.loans.plus(1);
    f.loanAmount = f.loanAmount.plus(l.loanAmount);
    if (l.disburse && s.has("disburse")) f.disbursed = f.disbursed.plus(l.loanAmount);
    // the fees and repayments the plan adjusts are reversed in the tenant: left out, like the tenant's
    const reversed = new Set(s.has("adjustment") ? l.transactions.filter((t) => t.kind === "adjustment").map((t) => t.adjusts) : []);
    for (const t of l.transactions) {
      if (!s.has(t.kind)) continue;
      if (t.kind === "interest") continue; // its amount is the tenant's to compute: seen in paid
      if (t.kind === "adjustment") {
        f.adjustedCount = f.adjustedCount.plus(1);
        continue;
      }
      if (reversed.has(t.externalId)) continue;
      if (t.kind === "fee") {
        f.fees = f.fees.plus(t.amount);
        f.feeCount = f.feeCount.plus(1);
      } else {
        f.repaid = f.repaid.plus(t.amount);
        f.repaymentCount = f.repaymentCount.plus(1);
        f.paid = f.paid.plus(t.amount);
      }
    }
  }
  return f;
}

/**
 * What the tenant holds for a unit (its plan loans only). A deposit account's deposits and
 * withdrawals are those tagged with the externalIds of the plan's rows (reversed ones left out): an
 * extra transaction shows in its balance.
 */
export async function tenantFigures(conn: MambuConnector, u: Unit, plan?: Plan): Promise<Figures> {
  const f = zero();
  const holderClass: EntityClass = u.kind === "group" ? MambuGroup : MambuClient;
  // a group whose members have roles in the plan is read in full (its members and their roles)
  const holder = (await holderClass.find(u.id, { connector: conn, ...(u.memberRoles?.size ? { detailsLevel: "FULL" as const } : {}) }))?.toJSON();
  if (!holder) return f;
  f.holders = new Decimal(1);
  if (plan === undefined || plan.steps.has("document")) f.documents = await tenantDocuments(conn, u, String(holder.encodedKey));
  if (u.memberRoles?.size) {
    // the roles of the group's members that are the plan's (by the key of their name)
    const planned = new Set([...u.memberRoles.values()].flat().map((r) => r.groupRoleNameKey));
    for (const m of (holder.groupMembers ?? []) as Array<{ roles?: Array<{ groupRoleNameKey?: string }> }>) {
      for (const r of m.roles ?? []) if (typeof r.groupRoleNameKey === "string" && planned.has(r.groupRoleNameKey)) f.groupRoles = f.groupRoles.plus(1);
    }
  }
  for (const d of u.deposits ?? []) {
    const dep = await MambuDeposit.find(d.id, { connector: conn });
    if (!dep || dep.accountHolderKey !== holder.encodedKey) continue;
    const b = (dep.toJSON().balances ?? {}) as Record<string, unknown>; // as Mambu wrote them
    f.deposits = f.deposits.plus(1);
    f.depositBalance = f.depositBalance.plus(dec(b.totalBalance));
    const planned = new Set((plan === undefined || plan.steps.has("depositTransaction") ? (d.transactions ?? []) : []).map((t) => t.externalId));
    if (!planned.size) continue;
    for await (const tx of dep.getTransactions()) {
      const t = tx.toJSON();
      if (t.adjustmentTransactionKey || typeof t.externalId !== "string" || !planned.has(t.externalId)) continue;
      if (t.type === "DEPOSIT") {
        f.deposited = f.deposited.plus(dec(t.amount));
        f.depositedCount = f.depositedCount.plus(1);
      } else if (t.type === "WITHDRAWAL") {
        f.withdrawn = f.withdrawn.plus(dec(t.amount).abs()); // Mambu writes a withdrawal's amount negative
        f.withdrawnCount = f.withdrawnCount.plus(1);
      }
    }
  }
  for (const l of u.loans) {
    // the settlement accounts opened with a balance: their balances (those opened empty are not read)
    if (l.settlement?.opening && (plan === undefined || plan.steps.has("settlementOpening"))) {
      const dep = await MambuDeposit.find(l.settlement.id, { connector: conn });
      if (dep && dep.accountHolderKey === holder.encodedKey) f.settlements = f.settlements.plus(dec(((dep.toJSON().balances ?? {}) as Record<string, unknown>).totalBalance));
    }
    const loan = await MambuLoan.find(l.id, { connector: conn });
    if (!loan || loan.accountHolderKey !== holder.encodedKey) continue;
    const wire = loan.toJSON(); // amounts as Mambu wrote them
    f.loans = f.loans.plus(1);
    f.loanAmount = f.loanAmount.plus(dec(wire.loanAmount));
    const b = (wire.balances ?? {}) as Record<string, unknown>;
    f.paid = f.paid.plus(dec(b.principalPaid)).plus(dec(b.interestPaid)).plus(dec(b.feesPaid)).plus(dec(b.penaltyPaid));
    const adjusts = new Set((plan === undefined || plan.steps.has("adjustment") ? l.transactions : []).filter((t) => t.kind === "adjustment").map((t) => t.adjusts));
    for await (const tx of loan.getTransactions()) {
      const t = tx.toJSON();
      if (t.adjustmentTransactionKey) {
        // reversed: one the plan adjusts counts as its adjustment
        if (typeof t.externalId === "string" && adjusts.has(t.externalId)) f.adjustedCount = f.adjustedCount.plus(1);
        continue;
      }
      const amount = dec(t.amount);
      switch (t.type) {
        case "DISBURSEMENT":
          f.disbursed = f.disbursed.plus(amount);
          break;
        case "FEE_APPLIED":
          f.fees = f.fees.plus(amount);
          f.feeCount = f.feeCount.plus(1);
          break;
        case "REPAYMENT":
          f.repaid = f.repaid.plus(amount);
          f.repaymentCount = f.repaymentCount.plus(1);
          break;
        default:
          break;
      }
    }
  }
  return f;
}

/** How many of a unit's documents its owners have in the tenant (same title and file name; one listing per owner). */
async function tenantDocuments(conn: MambuConnector, u: Unit, holderKey: string): Promise<Decimal> {
  let n = 0;
  const byOwner = new Map<string, NonNullable<Unit["documents"]>>();
  for (const d of u.documents ?? []) {
    const k = `${d.ownerType}:${d.ownerId}`;
    if (!byOwner.has(k)) byOwner.set(k, []);
    byOwner.get(k)!.push(d);
  }
  for (const docs of byOwner.values()) {
    const { ownerType, ownerId } = docs[0];
    let owner: MambuEntity | undefined;
    if (ownerType === "CLIENT" || ownerType === "GROUP") owner = ((ownerType === "GROUP" ? MambuGroup : MambuClient) as EntityClass).fromWire({ encodedKey: holderKey, id: ownerId }, conn);
    else {
      const found = ownerType === "LOAN_ACCOUNT" ? await MambuLoan.find(ownerId, { connector: conn }) : await MambuDeposit.find(ownerId, { connector: conn });
      if (!found || found.accountHolderKey !== holderKey) continue;
      owner = found;
    }
    const listed = await getAttachmentsMetadata(owner);
    const left = [...listed];
    for (const d of docs) {
      const i = left.findIndex((x) => x.name === d.title && x.fileName === d.fileName);
      if (i >= 0) {
        n++;
        left.splice(i, 1);
      }
    }
  }
  return new Decimal(n);
}

/** Compares every unit of the book with the tenant, `concurrency` units at a time. */
export async function reconcile(conn: MambuConnector, plan: Plan, book: Book, concurrency = 8): Promise<Reconciliation> {
  const units: UnitReconciliation[] = new Array(book.units.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, book.units.length)) }, async () => {
      while (next < book.units.length) {
        const i = next++;
        const u = book.units[i];
        const source = sourceFigures(u, plan);
        const tenant = await tenantFigures(conn, u, plan);
        units[i] = { unit: u.key, source, tenant, differences: METRICS.filter((m) => !source[m].equals(tenant[m])) };
      }
    }),
  );
  const totals = { source: zero(), tenant: zero() };
  for (const r of units) {
    for (const m of METRICS) {
      totals.source[m] = totals.source[m].plus(r.source[m]);
      totals.tenant[m] = totals.tenant[m].plus(r.tenant[m]);
    }
  }
  return { equal: units.every((r) => r.differences.length === 0), totals, units };
}

const money = new Set<Metric>(["loanAmount", "disbursed", "fees", "repaid", "paid", "depositBalance", "deposited", "withdrawn", "settlements"]);
/** A figure as shown: amounts with 2 decimals, counts as they are. */
export const showFigure = (m: Metric, d: Decimal): string => (money.has(m) ? d.toFixed(2) : d.toString());

const DEPOSIT_METRICS: readonly Metric[] = ["deposits", "depositBalance"];
const DEPOSIT_TX_METRICS: readonly Metric[] = ["deposited", "depositedCount", "withdrawn", "withdrawnCount"];

/**
 * The metrics shown: the deposit accounts' only when a side has any, their deposits' and
 * withdrawals' and the settlement accounts' balances only when a side has some (a plan without
 * savings shows the table it always did).
 */
export function shownMetrics(r: Reconciliation): Metric[] {
  const none = (ms: readonly Metric[]): boolean => ms.every((m) => r.totals.source[m].isZero() && r.totals.tenant[m].isZero());
  return METRICS.filter(
    (m) => !(DEPOSIT_METRICS.includes(m) && none(DEPOSIT_METRICS)) && !(DEPOSIT_TX_METRICS.includes(m) && none(DEPOSIT_TX_METRICS)) && !((m === "settlements" || m === "adjustedCount" || m === "documents" || m === "groupRoles") && none([m])),
  );
}

/** The units that differ (at most `limit`), and the closing line of a reconciliation. */
export function differingUnits(r: Reconciliation, limit = 20): { shown: UnitReconciliation[]; more: number; verdict: string } {
  const differing = r.units.filter((u) => u.differences.length);
  const verdict = differing.length
    ? `${differing.length} of ${r.units.length} clients and groups differ:`
    : `all ${r.units.length} clients and groups reconcile: source and tenant are equal`;
  return { shown: differing.slice(0, limit), more: Math.max(0, differing.length - limit), verdict };
}

/** The reconciliation as plain lines: totals (source / tenant), then the units that differ (at most `limit`). */
export function formatReconciliation(r: Reconciliation, limit = 20): string {
  const { shown, more, verdict } = differingUnits(r, limit);
  const totals = shownMetrics(r).map((m) => `${m} ${showFigure(m, r.totals.source[m])}${r.totals.source[m].equals(r.totals.tenant[m]) ? " =" : ` / ${showFigure(m, r.totals.tenant[m])}`}`);
  const out = [`reconciliation (source / tenant): ${totals.join(", ")}`, verdict];
  for (const u of shown) out.push(`  ${u.unit}: ${u.differences.map((m) => `${m} ${showFigure(m, u.source[m])} / ${showFigure(m, u.tenant[m])}`).join(", ")}`);
  if (more) out.push(`... and ${more} more (see the report)`);
  return out.join("\n");
}

/** Figures as plain strings (report.json). */
export function figuresJson(f: Figures): Record<Metric, string> {
  return Object.fromEntries(METRICS.map((m) => [m, f[m].toString()])) as Record<Metric, string>;
}
