/**
 * Allocation of money over installments: repayments pay elements in the product's allocation order
 * (default fee → penalty → interest → principal), installments oldest first — horizontally (installment by
 * installment, Mambu's default) or vertically (one element across all installments, then the next).
 */
import { Dec, ZERO, min } from "./money";

/** The four amounts of an installment or a transaction. */
export interface Elements {
  principal: Dec;
  interest: Dec;
  fee: Dec;
  penalty: Dec;
}

/** An element name. */
export type Element = keyof Elements;

/** Allocation order names as in `paymentSettings.repaymentAllocationOrder`. */
export type OrderName = "FEE" | "PENALTY" | "INTEREST" | "PRINCIPAL";

/** All-zero elements. */
export function zeroElements(): Elements {
  return { principal: ZERO, interest: ZERO, fee: ZERO, penalty: ZERO };
}

/** Element-wise a + b. */
export function addElements(a: Elements, b: Elements): Elements {
  return { principal: a.principal.plus(b.principal), interest: a.interest.plus(b.interest), fee: a.fee.plus(b.fee), penalty: a.penalty.plus(b.penalty) };
}

/** Sum of the four amounts. */
export function totalOf(e: Elements): Dec {
  return e.principal.plus(e.interest).plus(e.fee).plus(e.penalty);
}

/** The element of an allocation order name. */
export function elementOf(name: OrderName): Element {
  return name === "FEE" ? "fee" : name === "PENALTY" ? "penalty" : name === "INTEREST" ? "interest" : "principal";
}

/** What allocation needs of an installment: expected and paid amounts (paid is mutated). */
export interface Allocatable {
  encodedKey: string;
  expected: Elements;
  paid: Elements;
}

/** Outstanding amount of one element of an installment. */
export function outstandingOf(i: Allocatable, e: Element): Dec {
  const o = i.expected[e].minus(i.paid[e]);
  return o.isNegative() ? ZERO : o;
}

/** Outstanding amounts of an installment. */
export function outstandingElements(i: Allocatable): Elements {
  return { principal: outstandingOf(i, "principal"), interest: outstandingOf(i, "interest"), fee: outstandingOf(i, "fee"), penalty: outstandingOf(i, "penalty") };
}

/** Result of an allocation. */
export interface Allocation {
  /** How much went to each element. */
  affected: Elements;
  /** What could not be allocated (excess). */
  left: Dec;
  /** Installments that received money. */
  touched: Set<string>;
}

/**
 * Allocates `amount` over `installments` (in the order given: oldest first), paying elements in `order`.
 * Mutates the installments' `paid` amounts.
 */
export function allocate(installments: Allocatable[], amount: Dec, order: OrderName[], method: "HORIZONTAL" | "VERTICAL"): Allocation {
  const affected = zeroElements();
  const touched = new Set<string>();
  let left = amount;
  const pay = (inst: Allocatable, e: Element) => {
    if (!left.greaterThan(0)) return;
    // nothing outstanding (expected ≤ paid): nothing to take — found without computing the difference
    if (!inst.expected[e].greaterThan(inst.paid[e])) return;
    const take = min(left, outstandingOf(inst, e));
    inst.paid[e] = inst.paid[e].plus(take);
    affected[e] = affected[e].plus(take);
    left = left.minus(take);
    touched.add(inst.encodedKey);
  };
  const elements = order.map(elementOf);
  // once nothing is left, `pay` does nothing: the walk stops there
  if (method === "VERTICAL") {
    outer: for (const e of elements) {
      for (const inst of installments) {
        if (!left.greaterThan(0)) break outer;
        pay(inst, e);
      }
    }
  } else {
    outer: for (const inst of installments) {
      for (const e of elements) {
        if (!left.greaterThan(0)) break outer;
        pay(inst, e);
      }
    }
  }
  return { affected, left, touched };
}

/**
 * Reduces the outstanding amount of one element by up to `amount` (installments oldest first), lowering
 * `expected` (a waiver: INTEREST_DUE_REDUCED, FEES_DUE_REDUCED, PENALTIES_DUE_REDUCED). Returns what was reduced.
 */
export function reduce(installments: Allocatable[], e: Element, amount: Dec): Dec {
  let left = amount;
  for (const inst of installments) {
    if (!left.greaterThan(0)) break;
    const take = min(left, outstandingOf(inst, e));
    if (!take.greaterThan(0)) continue;
    inst.expected[e] = inst.expected[e].minus(take);
    left = left.minus(take);
  }
  return amount.minus(left);
}
