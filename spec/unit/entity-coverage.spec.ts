/**
 * Every operation of the contract's account resources has a method on an entity, in the ORM's style: one
 * explicit table per Swagger resource (operationId → method) — loans, loan transactions, installments,
 * deposits, deposit transactions, cards, credit arrangements, bulks and communication messages — checked by one
 * loop. The test fails when the contract has an operation the table does not name (a new operation needs a
 * method), when the table names an operation the contract does not have, and when the method named does not exist.
 *
 * A method is written `Class.method` (static) or `Class#method` (instance), an exported function by its name.
 * Add a table per resource to TABLES to cover it.
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

const communications_messages: Table = {
  getByEncodedKey: "MambuCommunicationMessage.get",
  send: "MambuCommunicationMessage.send",
  search: "MambuCommunicationMessage.search",
  resend: "MambuCommunicationMessage.resend",
};

const consumers: Table = {
  getAll: "MambuApiConsumer.getAll",
  create: "MambuApiConsumer#create",
  getById: "MambuApiConsumer.get",
  update: "MambuApiConsumer#update",
  patch: "MambuApiConsumer#patch",
  delete: "MambuApiConsumer#delete",
  getApiKeysByConsumerId: "MambuApiConsumer#apiKeys",
  createApiKeyForConsumer: "MambuApiConsumer#createApiKey",
  deleteApiKeyForConsumer: "MambuApiConsumer#deleteApiKey",
  createSecretKeyForConsumer: "MambuApiConsumer#createSecretKey",
};

/** A bare name is an exported function of the library (an operation that belongs to no entity). */
const apikey_rotation: Table = {
  rotateKey: "rotateApiKey",
};

/** One table per resource. */
const TABLES: Readonly<Record<string, Table>> = {
  loans, loans_transactions, installments, deposits, deposits_transactions, cards, creditarrangements, bulks, communications_messages, consumers, apikey_rotation,
};

/** The function a `Class.method` / `Class#method` / `function` reference names, or undefined. */
function methodOf(ref: string): unknown {
  if (/^[a-z]\w*$/.test(ref)) return (lib as Record<string, unknown>)[ref];
  const m = /^(\w+)([.#])(\w+)$/.exec(ref);
  if (!m) return undefined;
  const cls: unknown = (lib as Record<string, unknown>)[m[1]];
  if (typeof cls !== "function") return undefined;
  const statics = cls as unknown as Record<string, unknown>;
  return m[2] === "." ? statics[m[3]] : (statics.prototype as Record<string, unknown>)[m[3]];
}

/** What is wrong with a resource's table: operations it lacks, entries the contract lacks, methods that do not exist. */
function coverageProblems(name: string, table: Table): { unnamed: string[]; unknown: string[]; missing: string[] } {
  const ops = resource(name).operations.map((o) => o.operationId ?? `${o.method} ${o.path}`);
  return {
    unnamed: ops.filter((id) => !Object.prototype.hasOwnProperty.call(table, id)),
    unknown: Object.keys(table).filter((id) => !ops.includes(id)),
    missing: Object.entries(table).filter(([, ref]) => typeof methodOf(ref) !== "function").map(([id, ref]) => `${id} → ${ref}`),
  };
}

describe.each(Object.keys(TABLES))("resource %s", (name) => {
  const problems = coverageProblems(name, TABLES[name]);

  test("every operation of the contract has an entry in the table", () => {
    expect(problems.unnamed).toEqual([]);
  });

  test("every entry of the table is an operation of the contract", () => {
    expect(problems.unknown).toEqual([]);
  });

  test("every method named exists", () => {
    expect(problems.missing).toEqual([]);
  });
});

test("the holders' credit arrangement listings exist (clients and groups resources)", () => {
  expect(resource("clients").operations.some((o) => o.operationId === "getCreditArrangementsByClientIdOrKey")).toBe(true);
  expect(resource("groups").operations.some((o) => o.operationId === "getCreditArrangementsByGroupIdOrKey")).toBe(true);
  expect(typeof methodOf("MambuClient#getCreditArrangements")).toBe("function");
  expect(typeof methodOf("MambuGroup#getCreditArrangements")).toBe("function");
});

test("the check can fail: an operation without a row, a row without an operation, a method that does not exist", () => {
  const { terminateLoanAccount, ...withoutTerminate } = loans;
  expect(terminateLoanAccount).toBe("MambuLoan#terminate");
  expect(coverageProblems("loans", withoutTerminate)).toEqual({ unnamed: ["terminateLoanAccount"], unknown: [], missing: [] });
  expect(coverageProblems("cards", { ...cards, noSuchOperation: "MambuCard#balanceInquiry", getAccountBalances: "MambuCard#noSuchMethod" })).toEqual({
    unnamed: [], unknown: ["noSuchOperation"], missing: ["getAccountBalances → MambuCard#noSuchMethod"],
  });
  expect(methodOf("MambuLoan.reschedule")).toBeUndefined(); // an instance method is no static one
  expect(methodOf("MambuDeposit.blockFunds")).toBeUndefined();
  expect(typeof methodOf("MambuLoan#reschedule")).toBe("function");
  expect(typeof methodOf("CardAuthorizationHolds#create")).toBe("function");
});

test("a bare name is an exported function of the library, or nothing", () => {
  expect(typeof methodOf("rotateApiKey")).toBe("function");
  expect(methodOf("noSuchFunction")).toBeUndefined();
  expect(coverageProblems("apikey_rotation", { rotateKey: "rotateApiKeys" }).missing).toEqual(["rotateKey → rotateApiKeys"]);
});
