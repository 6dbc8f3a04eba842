/**
 * Every operation of the contract has a method on an entity, in the ORM's style: one explicit table
 * per Swagger resource (operationId → method). The test fails when the contract has an operation the
 * table does not name (a new operation needs a method), when the table names an operation the
 * contract does not have, and when the method named does not exist.
 *
 * A method is written `Class.method` (static) or `Class#method` (instance). Add a table per resource
 * to TABLES to cover it.
 */
import * as lib from "../../lib";
import { resource } from "../../lib/contract/schema";

/** operationId → `Class.staticMethod` or `Class#instanceMethod`. */
type Table = Readonly<Record<string, string>>;

const loans: Table = {
  getAll: "MambuLoan.getAll",
  create: "MambuLoan#create",
  getById: "MambuLoan.get",
  update: "MambuLoan#update",
  delete: "MambuLoan#delete",
  patch: "MambuLoan#patch",
  search: "MambuLoan.search",
  getAllAuthorizationHolds: "MambuLoan#getAuthorizationHolds",
  getAllCards: "MambuLoan#getCards",
  createCard: "MambuLoan#addCard",
  deleteCard: "MambuLoan#removeCard",
  updateLoanAccountFundingSources: "MambuLoan#setFundingSources",
  createLoanAccountFundingSources: "MambuLoan#addFundingSources",
  deleteFundingSources: "MambuLoan#removeFundingSources",
  deleteSingleFundingSource: "MambuLoan#removeFundingSource",
  getScheduleForLoanAccount: "MambuLoan#getSchedule",
  editSchedule: "MambuLoan#editSchedule",
  getLoanAccountDocument: "MambuLoan#getDocument",
  applyInterest: "MambuLoan#applyInterest",
  changeArrearsSettings: "MambuLoan#changeArrearsSettings",
  changeDueDatesSettings: "MambuLoan#changeDueDatesSettings",
  changeInterestRate: "MambuLoan#changeInterestRate",
  changePeriodicPayment: "MambuLoan#changePeriodicPayment",
  changeRepaymentValue: "MambuLoan#changeRepaymentValue",
  changeState: "MambuLoan#setState",
  payOff: "MambuLoan#payOff",
  previewPayOffAmounts: "MambuLoan#previewPayOffAmounts",
  refinance: "MambuLoan#refinance",
  reschedule: "MambuLoan#reschedule",
  terminateLoanAccount: "MambuLoan#terminate",
  undoRefinance: "MambuLoan#undoRefinance",
  undoReschedule: "MambuLoan#undoReschedule",
  undoWriteOff: "MambuLoan#undoWriteOff",
  writeOff: "MambuLoan#writeOff",
  getPreviewLoanAccountSchedule: "MambuLoan.previewSchedule",
};

const loans_transactions: Table = {
  getById: "MambuTransaction.get",
  adjust: "MambuTransaction#adjust",
  search: "MambuTransaction.search",
  getAll: "MambuTransaction.getAll",
  makeDisbursement: "MambuLoan#disburse",
  applyFee: "MambuLoan#applyFee",
  applyLock: "MambuLoan#lock",
  applyUnlock: "MambuLoan#unlock",
  applyPaymentMade: "MambuLoan#paymentMade",
  makeRedrawRepayment: "MambuLoan#redraw",
  makeRepayment: "MambuLoan#repay",
  makeWithdrawal: "MambuLoan#withdrawal",
};

const installments: Table = {
  getAll: "MambuInstallment.getAll",
};

/** One table per resource; other resources add theirs here. */
const TABLES: Readonly<Record<string, Table>> = { loans, loans_transactions, installments };

/** The function a `Class.method` / `Class#method` reference names, or undefined. */
function methodOf(ref: string): unknown {
  const m = /^(\w+)([.#])(\w+)$/.exec(ref);
  if (!m) return undefined;
  const cls: unknown = (lib as Record<string, unknown>)[m[1]];
  if (typeof cls !== "function") return undefined;
  const statics = cls as unknown as Record<string, unknown>;
  return m[2] === "." ? statics[m[3]] : (statics.prototype as Record<string, unknown>)[m[3]];
}

describe.each(Object.keys(TABLES))("resource %s", (name) => {
  const table = TABLES[name];
  const ops = resource(name).operations.map((o) => o.operationId ?? `${o.method} ${o.path}`);

  test("every operation of the contract has an entry in the table", () => {
    expect(ops.filter((id) => !Object.prototype.hasOwnProperty.call(table, id))).toEqual([]);
  });

  test("every entry of the table is an operation of the contract", () => {
    expect(Object.keys(table).filter((id) => !ops.includes(id))).toEqual([]);
  });

  test("every method named exists", () => {
    const missing = Object.entries(table).filter(([, ref]) => typeof methodOf(ref) !== "function").map(([id, ref]) => `${id} → ${ref}`);
    expect(missing).toEqual([]);
  });
});

test("a reference to a method that does not exist is found missing (the check can fail)", () => {
  expect(methodOf("MambuLoan#noSuchMethod")).toBeUndefined();
  expect(methodOf("MambuLoan.reschedule")).toBeUndefined(); // an instance method is no static one
  expect(typeof methodOf("MambuLoan#reschedule")).toBe("function");
});
