/**
 * Loan operations: given a loan read from Mambu, each operation sends the documented request
 * (method, path, no query, a body valid against the Swagger definition of that path), re-reads the
 * loan, and returns the refreshed loan or the created transaction as an entity.
 */
import nock from "nock";
import {
  DateTime, Decimal, MambuError, MambuLoan, MambuTransaction, MambuTsError, parseJsonExact, stringifyExact,
} from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, fixture, contractTenant, fixtureJson, startRecorder, testConnector } from "../helpers/mambu";

const LOAN_KEY = "8a0000000000000000000000000l5432";
const LOAN_PATH = `/api/loans/${LOAN_KEY}`;
const TX_KEY = "8a00000000000000000000000000t100";
const IDEMPOTENCY_KEY = "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

type Bag = Record<string, unknown>;

/** Records every request; after each test every path must be a Swagger operation. */
const { tenant, requests } = contractTenant();

function loanWire(over: Bag = {}): string {
  return over && Object.keys(over).length ? JSON.stringify({ ...fixtureJson("loan-full.json"), ...over }) : fixture("loan-full.json");
}

async function readLoan(over: Bag = {}): Promise<MambuLoan> {
  tenant().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, loanWire(over));
  return MambuLoan.get("54321", { connector: testConnector() });
}

function expectRefresh(over: Bag = {}): nock.Scope {
  return tenant().get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanWire(over));
}

/**
 * The captured request is the Swagger operation `METHOD template` whose body is `definition`, it
 * has no query string, and its body validates against that definition.
 */
function expectContract(seen: Captured, method: string, template: string, definition: string): Bag {
  const [path, query] = (seen.path as string).split("?");
  expect(query).toBeUndefined();
  const match = findOperation(method, path);
  expect(match?.op.path).toBe(template);
  expect(match?.op.body).toEqual({ type: "object", ref: definition });
  const body = JSON.parse(seen.body as string) as Bag;
  expect(validateAgainst(match!.resource, { type: "object", ref: definition }, body)).toEqual([]);
  expect(validateAgainst(match!.resource, match!.op.body!, body)).toEqual([]);
  expect(seen.headers?.["content-type"]).toBe("application/json");
  expect(String(seen.headers?.["idempotency-key"])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  return body;
}

test("fixtures are valid Mambu wire records", () => {
  expect(validateAgainst("loans", { type: "object", ref: "LoanAccount" }, JSON.parse(fixture("loan-full.json")))).toEqual([]);
  for (const f of ["loan-tx-repayment.json", "loan-tx-disbursement.json"]) {
    expect(validateAgainst("loans_transactions", { type: "object", ref: "LoanTransaction" }, JSON.parse(fixture(f)))).toEqual([]);
  }
});

describe("setState and one method per action (POST /loans/{id}:changeState, LoanAccountAction)", () => {
  // [action, call, state after (accountState or accountState/accountSubState)]
  const cases: [string, (l: MambuLoan, notes: string) => Promise<MambuLoan>, string][] = [
    ["REQUEST_APPROVAL", (l, n) => l.requestApproval(n), "PENDING_APPROVAL"],
    ["SET_INCOMPLETE", (l, n) => l.setIncomplete(n), "PARTIAL_APPLICATION"],
    ["APPROVE", (l, n) => l.approve(n), "APPROVED"],
    ["UNDO_APPROVE", (l, n) => l.undoApprove(n), "PENDING_APPROVAL"],
    ["REJECT", (l, n) => l.reject(n), "CLOSED/REJECTED"],
    ["WITHDRAW", (l, n) => l.withdraw(n), "CLOSED/WITHDRAWN"],
    ["CLOSE", (l, n) => l.close(n), "CLOSED/REPAID"],
    ["UNDO_REJECT", (l, n) => l.undoReject(n), "PENDING_APPROVAL"],
    ["UNDO_WITHDRAW", (l, n) => l.undoWithdraw(n), "PENDING_APPROVAL"],
    ["UNDO_CLOSE", (l, n) => l.undoClose(n), "ACTIVE"],
  ];
  const stateOf = (after: string): Bag => {
    const [accountState, accountSubState] = after.split("/");
    return accountSubState ? { accountState, accountSubState } : { accountState };
  };

  test("the helper list covers the Swagger enum exactly", () => {
    const { definition } = jest.requireActual("../../lib/contract/schema");
    expect(cases.map((c) => c[0])).toEqual(definition("loans", "LoanAccountAction").fields.action.enum);
  });

  test.each(cases)("%s: posts { action, notes }, re-reads the loan and returns it", async (action, call, after) => {
    const loan = await readLoan({ accountState: "PENDING_APPROVAL" });
    const seen: Captured = {};
    const state = stateOf(after);
    expect(validateAgainst("loans", { type: "object", ref: "LoanAccount" }, JSON.parse(loanWire(state)))).toEqual([]);
    tenant().post(`${LOAN_PATH}:changeState`).reply(capture(seen, 200, loanWire(state)));
    const refresh = expectRefresh({ ...state, lastModifiedDate: "2021-04-03T10:00:00+05:30" });
    const result = await call(loan, `notes for ${action}`);
    const body = expectContract(seen, "POST", "/loans/{loanAccountId}:changeState", "LoanAccountAction");
    expect(seen.body).toBe(JSON.stringify({ action, notes: `notes for ${action}` }));
    expect(body.action).toBe(action);
    expect(refresh.isDone()).toBe(true);
    expect(result).toBe(loan);
    expect([loan.accountState, loan.accountSubState]).toEqual([state.accountState, state.accountSubState]);
    expect(loan.lastModifiedDate?.toISO()).toBe("2021-04-03T10:00:00.000+05:30");
  });

  test("setState(action) without notes sends only the action; idempotencyKey goes in the header", async () => {
    const loan = await readLoan({ accountState: "PENDING_APPROVAL" });
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}:changeState`).reply(capture(seen, 200, loanWire({ accountState: "APPROVED" })));
    expectRefresh({ accountState: "APPROVED" });
    await loan.setState("APPROVE", undefined, { idempotencyKey: IDEMPOTENCY_KEY });
    expect(seen.body).toBe('{"action":"APPROVE"}');
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
  });

  test("an unknown action, a wrong notes type or an unknown option is refused before any request", async () => {
    const loan = await readLoan();
    await expect(loan.setState("APROVE" as never, "x")).rejects.toThrow(/MambuLoan\.setState\.action: "APROVE" is not one of REQUEST_APPROVAL, SET_INCOMPLETE, APPROVE/);
    await expect(loan.setState("APPROVE", 5 as never)).rejects.toThrow(MambuTsError);
    await expect(loan.approve("x", { idempotency: "k" } as never)).rejects.toThrow(/unknown option "idempotency"/);
    expect(requests).toHaveLength(1); // the GET of the loan only
  });

  test("works at the end of a fluent chain: await MambuLoan.get(id).approve(notes)", async () => {
    tenant().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, loanWire({ accountState: "PENDING_APPROVAL" }));
    tenant().post(`${LOAN_PATH}:changeState`, { action: "APPROVE", notes: "ok" }).reply(200, loanWire({ accountState: "APPROVED" }));
    expectRefresh({ accountState: "APPROVED" });
    const loan = await MambuLoan.get("54321", { connector: testConnector() }).approve("ok");
    expect(loan).toBeInstanceOf(MambuLoan);
    expect(loan.accountState).toBe("APPROVED");
  });

  test("a Mambu error is a MambuError and the loan is not re-read", async () => {
    const loan = await readLoan({ accountState: "ACTIVE" });
    tenant().post(`${LOAN_PATH}:changeState`).reply(400, { errors: [{ errorCode: 116, errorReason: "INVALID_STATE_TRANSITION" }] });
    await expect(loan.approve()).rejects.toThrow(new MambuError("116 (400) - INVALID_STATE_TRANSITION"));
    expect(loan.accountState).toBe("ACTIVE");
  });
});

describe("disburse (POST /loans/{id}/disbursement-transactions, DisbursementLoanTransactionInput)", () => {
  const approved = { accountState: "APPROVED", disbursementDetails: { expectedDisbursementDate: "2021-03-15T00:00:00+05:30", firstRepaymentDate: "2021-04-15T00:00:00+05:30" } };

  test("without dates sends the loan's expected disbursement and first repayment dates (as MambuPy); returns the transaction", async () => {
    const loan = await readLoan(approved);
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}/disbursement-transactions`).reply(capture(seen, 201, fixture("loan-tx-disbursement.json")));
    const refresh = expectRefresh();
    const tx = await loan.disburse({ notes: "Disbursed at branch" });
    expectContract(seen, "POST", "/loans/{loanAccountId}/disbursement-transactions", "DisbursementLoanTransactionInput");
    expect(seen.body).toBe('{"notes":"Disbursed at branch","valueDate":"2021-03-15T00:00:00+05:30","firstRepaymentDate":"2021-04-15T00:00:00+05:30"}');
    expect(refresh.isDone()).toBe(true);
    expect(tx).toBeInstanceOf(MambuTransaction);
    expect([tx.id, tx.type, tx.amount?.toFixed(2), tx.valueDate?.toISO()]).toEqual(["99", "DISBURSEMENT", "1500.00", "2021-03-15T00:00:00.000+05:30"]);
    expect(loan.accountState).toBe("ACTIVE"); // refreshed
    // the transaction is not stored on the loan: nothing new would be sent by update()
    expect(Object.keys(loan)).toEqual([]);
    expect(stringifyExact(loan.toJSON())).toBe(stringifyExact(parseJsonExact(fixture("loan-full.json"))));
  });

  test("naive dates take the loan's offset (+05:30), never the machine's; offsets given are converted to it", async () => {
    const loan = await readLoan(approved);
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}/disbursement-transactions`).reply(capture(seen, 201, fixture("loan-tx-disbursement.json")));
    expectRefresh();
    await loan.disburse({
      valueDate: "2021-03-16T10:00:00",
      firstRepaymentDate: DateTime.fromISO("2021-04-16T00:00:00", { zone: "UTC" }),
      bookingDate: new Date("2021-03-16T04:30:00Z"),
    });
    const body = expectContract(seen, "POST", "/loans/{loanAccountId}/disbursement-transactions", "DisbursementLoanTransactionInput");
    expect(body).toEqual({
      valueDate: "2021-03-16T10:00:00+05:30",
      firstRepaymentDate: "2021-04-16T05:30:00+05:30",
      bookingDate: "2021-03-16T10:00:00+05:30",
    });
  });

  test("disbursementDate is MambuPy's name for valueDate; null leaves a date to Mambu; nested inputs are checked", async () => {
    const loan = await readLoan(approved);
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}/disbursement-transactions`).reply(capture(seen, 201, fixture("loan-tx-disbursement.json")));
    expectRefresh();
    await loan.disburse({
      disbursementDate: "2021-03-17T00:00:00+05:30",
      firstRepaymentDate: null,
      fees: [{ predefinedFeeKey: "8a00000000000000000000000000f001", amount: "15.50" }],
      transactionDetails: { transactionChannelId: "cash" },
      externalId: "MIG-0001-disb",
      _Disb: { Source: "migration" },
      idempotencyKey: IDEMPOTENCY_KEY,
    });
    const body = expectContract(seen, "POST", "/loans/{loanAccountId}/disbursement-transactions", "DisbursementLoanTransactionInput");
    expect(seen.body).toBe('{"valueDate":"2021-03-17T00:00:00+05:30","fees":[{"predefinedFeeKey":"8a00000000000000000000000000f001","amount":15.5}],"transactionDetails":{"transactionChannelId":"cash"},"externalId":"MIG-0001-disb","_Disb":{"Source":"migration"}}');
    expect(body.firstRepaymentDate).toBeUndefined();
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
  });

  test("unknown keys (top level or nested), both date names, and invalid dates are errors before any request", async () => {
    const loan = await readLoan(approved);
    await expect(loan.disburse({ note: "x" } as never)).rejects.toThrow(/MambuLoan\.disburse: unknown option "note"/);
    await expect(loan.disburse({ transactionDetails: { channel: "x" } } as never)).rejects.toThrow(/transactionDetails\.channel: unknown field/);
    await expect(loan.disburse({ valueDate: "2021-03-17T00:00:00+05:30", disbursementDate: "2021-03-17T00:00:00+05:30" })).rejects.toThrow(/not both/);
    await expect(loan.disburse({ valueDate: "17/03/2021" })).rejects.toThrow(/not a valid ISO 8601 date/);
    await expect(loan.disburse({ fees: [{ amount: 1 }] })).rejects.toThrow(/fees\[0\]\.predefinedFeeKey: required field is missing/);
    expect(requests).toHaveLength(1);
  });
});

describe("repay (POST /loans/{id}/repayment-transactions, RepaymentLoanTransactionInput)", () => {
  test("sends the amount exactly and returns the REPAYMENT transaction; the loan's balances are current", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}/repayment-transactions`).reply(capture(seen, 201, fixture("loan-tx-repayment.json")));
    expectRefresh({ balances: { principalBalance: 759.60, principalDue: 0, principalPaid: 740.40, interestBalance: 0, feesBalance: 0 } });
    const tx = await loan.repay(new Decimal("250.50"), {
      notes: "Pago en ventanilla",
      valueDate: "2021-04-15T10:00:00",
      transactionDetails: { transactionChannelId: "cash" },
      _Receipt: { Folio: "000123" },
    });
    expectContract(seen, "POST", "/loans/{loanAccountId}/repayment-transactions", "RepaymentLoanTransactionInput");
    expect(seen.body).toBe('{"amount":250.5,"notes":"Pago en ventanilla","valueDate":"2021-04-15T10:00:00+05:30","transactionDetails":{"transactionChannelId":"cash"},"_Receipt":{"Folio":"000123"}}');
    expect(tx).toBeInstanceOf(MambuTransaction);
    expect([tx.id, tx.type, tx.parentAccountKey]).toEqual(["100", "REPAYMENT", LOAN_KEY]);
    expect(tx.amount?.toFixed(2)).toBe("250.50");
    expect(tx.Folio).toBe("000123"); // custom fields of the transaction flattened like any entity's
    expect((loan.balances as { principalBalance: Decimal }).principalBalance.toFixed(2)).toBe("759.60");
  });

  test("amounts: numeric strings keep every digit on the wire (exact bytes), numbers go as numbers, anything else is refused", async () => {
    const recorder = await startRecorder((req) => {
      if (req.method === "GET") return [200, loanWire()];
      return [201, fixture("loan-tx-repayment.json")];
    });
    try {
      const loan = await MambuLoan.get("54321", { connector: recorder.connector() });
      await loan.repay("12345678901234567.89", { installmentEncodedKey: "8a0000000000000000000000000i0001", prepaymentRecalculationMethod: "REDUCE_AMOUNT_PER_INSTALLMENT" });
      await loan.repay(100);
      const posts = recorder.requests.filter((r) => r.method === "POST");
      expect(posts.map((r) => r.url)).toEqual([`${LOAN_PATH}/repayment-transactions`, `${LOAN_PATH}/repayment-transactions`]);
      expect(posts[0].body).toBe('{"amount":12345678901234567.89,"installmentEncodedKey":"8a0000000000000000000000000i0001","prepaymentRecalculationMethod":"REDUCE_AMOUNT_PER_INSTALLMENT"}');
      expect(posts[1].body).toBe('{"amount":100}');
      expect(recorder.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST", "GET"]);
      for (const r of posts) {
        expect(validateAgainst("loans_transactions", { type: "object", ref: "RepaymentLoanTransactionInput" }, JSON.parse(r.body))).toEqual([]);
      }

      await expect(loan.repay("12,50")).rejects.toThrow(/MambuLoan\.repay\.amount: expected a Decimal, number or numeric string/);
      await expect(loan.repay(Number.NaN)).rejects.toThrow(/not a finite amount/);
      await expect(loan.repay(undefined as never)).rejects.toThrow(/MambuLoan\.repay\.amount: required field is missing/);
      await expect(loan.repay(10, { amount: 10 } as never)).rejects.toThrow(/give amount as an argument/);
      await expect(loan.repay(10, { prepaymentRecalculationMethod: "SOMETIMES" as never })).rejects.toThrow(/is not one of NO_RECALCULATION/);
      expect(recorder.requests).toHaveLength(5);
    } finally {
      await recorder.close();
    }
  });

  test("a failed repayment is a MambuError carrying Mambu's reason", async () => {
    const loan = await readLoan();
    tenant().post(`${LOAN_PATH}/repayment-transactions`).reply(400, { errors: [{ errorCode: 110, errorReason: "INVALID_REPAYMENT_AMOUNT" }] });
    const err = await loan.repay(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).message).toBe("110 (400) - INVALID_REPAYMENT_AMOUNT");
  });
});

describe("applyFee (POST /loans/{id}/fee-transactions, FeeLoanTransactionInput)", () => {
  test("amount, installmentNumber, notes, valueDate; returns the FEE_APPLIED transaction", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    const answer = { ...fixtureJson("loan-tx-repayment.json"), type: "FEE_APPLIED", id: "101", amount: 35 };
    tenant().post(`${LOAN_PATH}/fee-transactions`).reply(capture(seen, 201, answer));
    expectRefresh();
    const tx = await loan.applyFee("35.00", { installmentNumber: 2, notes: "Late fee", valueDate: "2021-05-16" });
    expectContract(seen, "POST", "/loans/{loanAccountId}/fee-transactions", "FeeLoanTransactionInput");
    expect(seen.body).toBe('{"amount":35,"installmentNumber":2,"notes":"Late fee","valueDate":"2021-05-16T00:00:00+05:30"}');
    expect([tx.type, tx.id]).toEqual(["FEE_APPLIED", "101"]);
  });

  test("a predefined fee may go without an amount", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}/fee-transactions`).reply(capture(seen, 201, { ...fixtureJson<Bag>("loan-tx-repayment.json"), type: "FEE_APPLIED" }));
    expectRefresh();
    await loan.applyFee(undefined, { predefinedFeeKey: "8a00000000000000000000000000f002" });
    expectContract(seen, "POST", "/loans/{loanAccountId}/fee-transactions", "FeeLoanTransactionInput");
    expect(seen.body).toBe('{"predefinedFeeKey":"8a00000000000000000000000000f002"}');
    await expect(loan.applyFee(1, { installmentNumber: 1.5 })).rejects.toThrow(/installmentNumber: expected an integer/);
  });
});

describe("writeOff and payOff (answered 204: the refreshed loan is returned)", () => {
  test("writeOff(notes): POST /loans/{id}:writeOff with LoanActionDetails", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}:writeOff`).reply(capture(seen, 204));
    expectRefresh({ accountState: "CLOSED", accountSubState: "WRITTEN_OFF" });
    const result = await loan.writeOff("Uncollectable", { idempotencyKey: IDEMPOTENCY_KEY });
    expectContract(seen, "POST", "/loans/{loanAccountId}:writeOff", "LoanActionDetails");
    expect(seen.body).toBe('{"notes":"Uncollectable"}');
    expect(result).toBe(loan);
    expect([loan.accountState, loan.accountSubState]).toEqual(["CLOSED", "WRITTEN_OFF"]);
    await expect(loan.writeOff("x", { notes: "y" } as never)).rejects.toThrow(/give notes as an argument/);
  });

  test("payOff(opts): POST /loans/{id}:payOff with LoanAccountPayOffInput", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    tenant().post(`${LOAN_PATH}:payOff`).reply(capture(seen, 204));
    expectRefresh({ accountState: "CLOSED" });
    const result = await loan.payOff({
      notes: "Early payoff",
      externalId: "PO-1",
      payOffAdjustableAmounts: { interestPaid: new Decimal("10.00"), feesPaid: 0, penaltyPaid: "0" },
      transactionDetails: { transactionChannelId: "cash" },
    });
    expectContract(seen, "POST", "/loans/{loanAccountId}:payOff", "LoanAccountPayOffInput");
    expect(seen.body).toBe('{"notes":"Early payoff","externalId":"PO-1","payOffAdjustableAmounts":{"interestPaid":10,"feesPaid":0,"penaltyPaid":0},"transactionDetails":{"transactionChannelId":"cash"}}');
    expect(result.accountState).toBe("CLOSED");
    await expect(loan.payOff({ amount: 5 } as never)).rejects.toThrow(/unknown option "amount"/);
  });
});

describe("adjustments (POST /loans/transactions/{id}:adjust, LoanTransactionAdjustmentDetails)", () => {
  const adjustment = { ...fixtureJson("loan-tx-repayment.json"), encodedKey: "8a00000000000000000000000000t101", id: "101", type: "REPAYMENT_ADJUSTMENT", amount: -250.5, originalTransactionKey: TX_KEY };

  test("loan.adjustTransaction(id, notes) reads the transaction, checks it is this loan's, adjusts it and re-reads the loan", async () => {
    const loan = await readLoan();
    tenant().get("/api/loans/transactions/100").query({ detailsLevel: "BASIC" }).reply(200, fixture("loan-tx-repayment.json"));
    const seen: Captured = {};
    tenant().post(`/api/loans/transactions/${TX_KEY}:adjust`).reply(capture(seen, 200, adjustment));
    const refresh = expectRefresh();
    const adj = await loan.adjustTransaction("100", "Wrong amount");
    expectContract(seen, "POST", "/loans/transactions/{loanTransactionId}:adjust", "LoanTransactionAdjustmentDetails");
    expect(seen.body).toBe('{"notes":"Wrong amount"}');
    expect(refresh.isDone()).toBe(true);
    expect(adj).toBeInstanceOf(MambuTransaction);
    expect([adj.type, adj.originalTransactionKey, adj.amount?.toString()]).toEqual(["REPAYMENT_ADJUSTMENT", TX_KEY, "-250.5"]);
  });

  test("given the entity, no read is needed; a transaction of another loan is refused", async () => {
    const loan = await readLoan();
    const tx = MambuTransaction.fromWire(fixtureJson("loan-tx-repayment.json"), testConnector());
    const seen: Captured = {};
    tenant().post(`/api/loans/transactions/${TX_KEY}:adjust`).reply(capture(seen, 200, adjustment));
    expectRefresh();
    await loan.adjustTransaction(tx, "Wrong amount", { bookingDate: "2021-04-20T00:00:00", idempotencyKey: IDEMPOTENCY_KEY });
    expectContract(seen, "POST", "/loans/transactions/{loanTransactionId}:adjust", "LoanTransactionAdjustmentDetails");
    expect(seen.body).toBe('{"notes":"Wrong amount","bookingDate":"2021-04-20T00:00:00+05:30"}');
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);

    const other = MambuTransaction.fromWire({ ...fixtureJson("loan-tx-repayment.json"), parentAccountKey: "8a00000000000000000000000000l999" });
    await expect(loan.adjustTransaction(other, "x")).rejects.toThrow(/belongs to another account \(8a00000000000000000000000000l999\)/);
    await expect(loan.adjustTransaction("", "x")).rejects.toThrow(/transaction must be an id, an encodedKey or the entity/);
  });

  test("transaction.adjust(notes) adjusts it, re-reads it and the loan it was fetched with, and returns the adjustment", async () => {
    const loan = await readLoan();
    tenant().get(`${LOAN_PATH}/transactions`).query({ offset: "0", limit: "50" }).reply(200, `[${fixture("loan-tx-repayment.json")}]`);
    const [tx] = await loan.getTransactions();
    tenant().get(`/api/loans/${LOAN_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, loanWire());
    await tx.getLoan();
    expect(tx.loan).toBeInstanceOf(MambuLoan);
    const seen: Captured = {};
    tenant().post(`/api/loans/transactions/${TX_KEY}:adjust`).reply(capture(seen, 200, adjustment));
    tenant().get(`/api/loans/transactions/${TX_KEY}`).query({ detailsLevel: "BASIC" }).reply(200, { ...fixtureJson("loan-tx-repayment.json"), adjustmentTransactionKey: "8a00000000000000000000000000t101" });
    const loanRefresh = expectRefresh({ accountState: "ACTIVE_IN_ARREARS" });
    const adj = await tx.adjust("Bounced cheque");
    expectContract(seen, "POST", "/loans/transactions/{loanTransactionId}:adjust", "LoanTransactionAdjustmentDetails");
    expect(seen.body).toBe('{"notes":"Bounced cheque"}');
    expect(adj.type).toBe("REPAYMENT_ADJUSTMENT");
    expect(tx.adjustmentTransactionKey).toBe("8a00000000000000000000000000t101");
    expect(loanRefresh.isDone()).toBe(true);
    expect(tx.loan?.accountState).toBe("ACTIVE_IN_ARREARS");
    expect(Object.keys(tx)).toEqual([]);
  });
});

describe("transactions of a loan", () => {
  test("loan.getTransactions(): GET /loans/{id}/transactions, paginated; sets loan.transactions when awaited", async () => {
    const loan = await readLoan();
    tenant().get(`${LOAN_PATH}/transactions`).query({ offset: "0", limit: "2", detailsLevel: "FULL" })
      .reply(200, `[${fixture("loan-tx-disbursement.json")},${fixture("loan-tx-repayment.json")}]`);
    const txs = await loan.getTransactions({ limit: 2, detailsLevel: "FULL" });
    expect(txs.map((t) => t.type)).toEqual(["DISBURSEMENT", "REPAYMENT"]);
    expect(loan.transactions).toBe(txs);
    expect(Object.keys(loan)).toEqual([]);
    expect(() => loan.getTransactions({ sortBy: "id" } as never)).toThrow(/unknown option "sortBy"/);
  });

  test("MambuTransaction.getAll({ loanAccountId }) as MambuPy's get_all(loanAccountId)", async () => {
    const connector = testConnector();
    tenant().get("/api/loans/54321/transactions").query({ offset: "0", limit: "50" }).reply(200, `[${fixture("loan-tx-repayment.json")}]`);
    const txs = await MambuTransaction.getAll({ loanAccountId: "54321", connector });
    expect(txs[0]).toBeInstanceOf(MambuTransaction);
    expect(txs[0].amount?.toFixed(2)).toBe("250.50");
    const loan = await readLoan();
    tenant().get(`${LOAN_PATH}/transactions`).query({ offset: "0", limit: "10" }).reply(200, "[]");
    expect(await MambuTransaction.getAll({ loanAccountId: loan, limit: 10 })).toEqual([]);
    expect(() => MambuTransaction.getAll()).toThrow(/give loanAccountId/);
    // @ts-expect-error refused at compile time too: this checks the run-time refusal (JavaScript callers)
    expect(() => MambuTransaction.getAll({ loanAccountId: "1", filters: { type: "REPAYMENT" } })).toThrow(/takes no filters or sortBy; use MambuTransaction.search/);
  });

  test("MambuTransaction.search: POST /loans/transactions:search with LoanTransactionSearchCriteria", async () => {
    const seen: Captured = {};
    tenant().post("/api/loans/transactions:search").query({ offset: "0", limit: "5" }).reply(capture(seen, 200, `[${fixture("loan-tx-repayment.json")}]`));
    const txs = await MambuTransaction.search({
      filterCriteria: [{ field: "parentAccountKey", operator: "EQUALS", value: LOAN_KEY }, { field: "type", operator: "EQUALS", value: "REPAYMENT" }],
      limit: 5,
      connector: testConnector(),
    });
    expect(txs[0].id).toBe("100");
    const match = findOperation("POST", "/loans/transactions:search");
    expect(validateAgainst(match!.resource, match!.op.body!, JSON.parse(seen.body as string))).toEqual([]);
  });
});
