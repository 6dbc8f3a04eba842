/**
 * Every operation of the deposit, deposit transaction, card, credit arrangement and bulk resources
 * has a method in the ORM's style: one explicit table per Swagger resource (operationId → method),
 * as spec/unit/entity-coverage.spec.ts does for loans. The test fails when the contract has an
 * operation the table does not name, when the table names an operation the contract does not have,
 * and when the method named does not exist.
 *
 * A method is written `Class.method` (static) or `Class#method` (instance).
 */
import * as lib from "../../lib";
import { resource } from "../../lib/contract/schema";

/** operationId → `Class.staticMethod` or `Class#instanceMethod`. */
type Table = Readonly<Record<string, string>>;

const deposits: Table = {
  getAll: "MambuDeposit.getAll",
  create: "MambuDeposit#create",
  getById: "MambuDeposit.get",
  update: "MambuDeposit#update",
  delete: "MambuDeposit#delete",
  patch: "MambuDeposit#patch",
  search: "MambuDeposit.search",
  changeState: "MambuDeposit#setState",
  applyInterest: "MambuDeposit#applyInterest",
  createBlockFund: "MambuDeposit#blockFunds",
  getAllBlocks: "MambuDeposit#getBlocks",
  unblockFund: "MambuDeposit#unblockFunds",
  startMaturity: "MambuDeposit#startMaturity",
  undoMaturity: "MambuDeposit#undoMaturity",
  reopen: "MambuDeposit#reopen",
  changeInterestRate: "MambuDeposit#changeInterestRate",
  getAllAuthorizationHolds: "MambuDeposit#getAuthorizationHolds",
  getAllCards: "MambuDeposit#getCards",
  createCard: "MambuDeposit#addCard",
  deleteCard: "MambuDeposit#removeCard",
  getFundedLoans: "MambuDeposit#getFundedLoans",
  getScheduleForFundedAccount: "MambuDeposit#getFundedSchedule",
  getDepositAccountDocument: "MambuDeposit#getDocument",
};

const deposits_transactions: Table = {
  getById: "MambuDepositTransaction.get",
  getAll: "MambuDepositTransaction.getAll",
  search: "MambuDepositTransaction.search",
  adjust: "MambuDepositTransaction#adjust",
  getDepositTransactionDocument: "MambuDepositTransaction#getDocument",
  makeDeposit: "MambuDeposit#deposit",
  makeWithdrawal: "MambuDeposit#withdrawal",
  makeTransfer: "MambuDeposit#transfer",
  applyFee: "MambuDeposit#applyFee",
  makeSeizure: "MambuDeposit#seize",
  makeBulkDeposits: "MambuDeposit.bulkDeposit",
};

const cards: Table = {
  createAuthorizationHold: "CardAuthorizationHolds#create",
  getAuthorizationHoldById: "CardAuthorizationHolds#get",
  increaseAuthorizationHold: "CardAuthorizationHolds#increase",
  decreaseAuthorizationHold: "CardAuthorizationHolds#decrease",
  reverseAuthorizationHold: "CardAuthorizationHolds#reverse",
  createCardTransaction: "CardFinancialTransactions#create",
  reverseCardTransaction: "CardFinancialTransactions#reverse",
  getAccountBalances: "MambuCard#balanceInquiry",
};

const creditarrangements: Table = {
  getAll: "MambuCreditArrangement.getAll",
  create: "MambuCreditArrangement#create",
  getById: "MambuCreditArrangement.get",
  update: "MambuCreditArrangement#update",
  delete: "MambuCreditArrangement#delete",
  patch: "MambuCreditArrangement#patch",
  search: "MambuCreditArrangement.search",
  changeState: "MambuCreditArrangement#setState",
  getAllAccounts: "MambuCreditArrangement#getAccounts",
  addAccount: "MambuCreditArrangement#addAccount",
  removeAccount: "MambuCreditArrangement#removeAccount",
};

const bulks: Table = {
  getBulkStatus: "MambuDeposit.getBulkStatus",
};

/** One table per resource. */
const TABLES: Readonly<Record<string, Table>> = { deposits, deposits_transactions, cards, creditarrangements, bulks };

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

test("the holders' credit arrangement listings exist (clients and groups resources)", () => {
  expect(resource("clients").operations.some((o) => o.operationId === "getCreditArrangementsByClientIdOrKey")).toBe(true);
  expect(resource("groups").operations.some((o) => o.operationId === "getCreditArrangementsByGroupIdOrKey")).toBe(true);
  expect(typeof methodOf("MambuClient#getCreditArrangements")).toBe("function");
  expect(typeof methodOf("MambuGroup#getCreditArrangements")).toBe("function");
});

test("a reference to a method that does not exist is found missing (the check can fail)", () => {
  expect(methodOf("MambuDeposit#noSuchMethod")).toBeUndefined();
  expect(methodOf("MambuDeposit.blockFunds")).toBeUndefined(); // an instance method is no static one
  expect(typeof methodOf("CardAuthorizationHolds#create")).toBe("function");
});
