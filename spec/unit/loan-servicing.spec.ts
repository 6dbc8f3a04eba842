/**
 * Loan servicing through MambuLoan's methods: each method sends the contract's operation (method,
 * path, body valid against the operation's body definition, exact amounts, dates in the loan's
 * offset), takes Mambu's answer (itself valid against the operation's response schema) as the
 * entity, struct or text a user expects, and re-reads the loan when the operation changes it. Bad
 * input is refused before any request with a MambuTsError that says what to fix.
 */
import nock from "nock";
import {
  Decimal, MambuCard, MambuInstallment, MambuInvestorFund, MambuLoan, MambuPayOffAmounts, MambuTransaction, MambuTsError,
} from "../../lib";
import { MambuAuthorizationHold } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { capture, Captured, contractTenant, fixture, fixtureJson, startRecorder, testConnector } from "../helpers/mambu";

const LOAN_KEY = "8a0000000000000000000000000l5432";
const LOAN_PATH = `/api/loans/${LOAN_KEY}`;
const NEW_KEY = "8a0000000000000000000000000l5433";
const IDEMPOTENCY_KEY = "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

type Bag = Record<string, unknown>;

const { tenant, requests } = contractTenant();

function loanWire(over: Bag = {}): string {
  return JSON.stringify({ ...fixtureJson("loan-full.json"), ...over });
}

async function readLoan(over: Bag = {}): Promise<MambuLoan> {
  tenant().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, loanWire(over));
  return MambuLoan.get("54321", { connector: testConnector() });
}

function expectRefresh(over: Bag = {}): nock.Scope {
  return tenant().get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanWire(over));
}

function txWire(type: string, over: Bag = {}): Bag {
  return { ...fixtureJson("loan-tx-repayment.json"), type, ...over };
}

/**
 * The captured request is `resource.operationId` of the contract; its body (if any) validates against
 * the operation's body spec and `answer` against its response schema for `status`. Returns the body.
 */
function expectOperation(seen: Captured, method: string, resource: string, operationId: string, status: number, answer: unknown): unknown {
  const path = (seen.path as string).split("?")[0];
  const match = findOperation(method, path);
  expect([match?.resource, match?.op.operationId]).toEqual([resource, operationId]);
  const op = match!.op;
  let body: unknown;
  if (op.body) {
    body = JSON.parse(seen.body as string);
    expect(validateAgainst(resource, op.body, body)).toEqual([]);
    expect(seen.headers?.["content-type"]).toBe("application/json");
  } else {
    expect(seen.body ?? "").toBe("");
  }
  const spec = op.responses[String(status)];
  expect(spec === undefined ? "undocumented status" : "documented").toBe("documented");
  if (spec && answer !== undefined) expect(validateAgainst(resource, spec, answer)).toEqual([]);
  return body;
}

/** A nock interceptor for one request that records it. */
function answer(method: "GET" | "POST" | "PUT" | "DELETE", path: string, seen: Captured, status: number, body?: unknown): void {
  const scope = tenant();
  const i = method === "GET" ? scope.get(path) : method === "POST" ? scope.post(path) : method === "PUT" ? scope.put(path) : scope.delete(path);
  i.query(true).reply(capture(seen, status, body));
}

describe("restructuring: reschedule / refinance return the NEW loan and re-read the original", () => {
  const newLoan = { encodedKey: NEW_KEY, id: "54322", accountState: "ACTIVE", loanAmount: 1000.10 };

  test("reschedule(opts): POST /loans/{id}:reschedule with the new terms (product defaults to this loan's), naive dates in the loan's offset", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    const reply = JSON.parse(loanWire(newLoan));
    answer("POST", `${LOAN_PATH}:reschedule`, seen, 200, reply);
    const refresh = expectRefresh({ accountState: "CLOSED", accountSubState: "RESCHEDULED" });
    const next = await loan.reschedule({
      loanAccount: { disbursementDetails: { firstRepaymentDate: "2021-06-01T00:00:00" }, scheduleSettings: { repaymentInstallments: 12 } },
      writeOffAmounts: { interest: "12.345" },
      idempotencyKey: IDEMPOTENCY_KEY,
    });
    const body = expectOperation(seen, "POST", "loans", "reschedule", 200, reply);
    expect(body).toEqual({
      loanAccount: {
        disbursementDetails: { firstRepaymentDate: "2021-06-01T00:00:00+05:30" }, scheduleSettings: { repaymentInstallments: 12 },
        productTypeKey: "8a00000000000000000000000000p001",
      },
      writeOffAmounts: { interest: 12.345 },
    });
    expect(seen.headers?.["idempotency-key"]).toBe(IDEMPOTENCY_KEY);
    expect(refresh.isDone()).toBe(true);
    expect(next).toBeInstanceOf(MambuLoan);
    expect(next).not.toBe(loan);
    expect([next.encodedKey, next.id, next.loanAmount?.toFixed(2)]).toEqual([NEW_KEY, "54322", "1000.10"]);
    expect([loan.accountState, loan.accountSubState]).toEqual(["CLOSED", "RESCHEDULED"]);
  });

  test("refinance(opts): POST /loans/{id}:refinance with topUpAmount exact to the digit; reread: false leaves the original as read", async () => {
    const reply = JSON.parse(loanWire(newLoan));
    const server = await startRecorder((req) => (req.method === "GET" ? [200, loanWire()] : [200, reply]));
    try {
      const loan = await MambuLoan.get("54321", { connector: server.connector() });
      const next = await loan.refinance({
        loanAccount: { productTypeKey: "8a00000000000000000000000000p002", disbursementDetails: { firstRepaymentDate: "2021-06-01T00:00:00+05:30" } },
        topUpAmount: new Decimal("12345678901234567.89"),
        reread: false,
      });
      expect(server.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
      const sent = server.requests[1];
      expectOperation({ path: sent.url, body: sent.body, headers: sent.headers as Captured["headers"] }, "POST", "loans", "refinance", 200, reply);
      expect(sent.body).toBe(
        '{"loanAccount":{"productTypeKey":"8a00000000000000000000000000p002","disbursementDetails":{"firstRepaymentDate":"2021-06-01T00:00:00+05:30"}},"topUpAmount":12345678901234567.89}',
      );
      expect(next.encodedKey).toBe(NEW_KEY);
      expect(loan.accountState).toBe("ACTIVE");
    } finally {
      await server.close();
    }
  });

  test.each([
    ["undoReschedule", "undoReschedule", (l: MambuLoan) => l.undoReschedule("wrong terms")],
    ["undoRefinance", "undoRefinance", (l: MambuLoan) => l.undoRefinance("wrong terms")],
    ["undoWriteOff", "undoWriteOff", (l: MambuLoan) => l.undoWriteOff("wrong terms")],
  ])("%s(notes): POST /loans/{id}:%s with { notes }, answered 204; returns the re-read loan", async (method, operationId, call) => {
    const loan = await readLoan({ accountState: "CLOSED", accountSubState: "RESCHEDULED" });
    const seen: Captured = {};
    answer("POST", `${LOAN_PATH}:${operationId}`, seen, 204);
    const refresh = expectRefresh({ accountState: "ACTIVE" });
    const result = await call(loan);
    expectOperation(seen, "POST", "loans", operationId, 204, undefined);
    expect(seen.body).toBe('{"notes":"wrong terms"}');
    expect(refresh.isDone()).toBe(true);
    expect(result).toBe(loan); // the original, re-read
    expect([method, loan.accountState]).toEqual([method, "ACTIVE"]);
  });
});

test("undoRefinance asked of the NEW loan (which the undo removes) returns the original, read afresh", async () => {
  tenant().get("/api/loans/54399").query({ detailsLevel: "BASIC" }).reply(200, loanWire({ encodedKey: NEW_KEY, id: "54399", originalAccountKey: LOAN_KEY }));
  const fresh = await MambuLoan.get("54399", { connector: testConnector() });
  const seen: Captured = {};
  answer("POST", `/api/loans/${NEW_KEY}:undoRefinance`, seen, 204);
  tenant().get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanWire({ accountState: "ACTIVE" }));
  const original = await fresh.undoRefinance("wrong terms");
  expectOperation(seen, "POST", "loans", "undoRefinance", 204, undefined);
  expect(requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
    "GET /api/loans/54399", `POST /api/loans/${NEW_KEY}:undoRefinance`, `GET ${LOAN_PATH}`,
  ]);
  expect(original).not.toBe(fresh);
  expect([original.encodedKey, original.accountState]).toEqual([LOAN_KEY, "ACTIVE"]);
});

describe("account changes: answered 204, the loan re-read and returned", () => {
  // [method, operationId, call, exact body]
  const cases: [string, string, (l: MambuLoan) => Promise<MambuLoan>, string][] = [
    ["terminate", "terminateLoanAccount", (l) => l.terminate({ valueDate: "2021-05-01T00:00:00", notes: "fraud" }),
      '{"valueDate":"2021-05-01T00:00:00+05:30","notes":"fraud"}'],
    ["changeInterestRate", "changeInterestRate", (l) => l.changeInterestRate("18.125", { valueDate: "2021-05-01T00:00:00+05:30" }),
      '{"interestRate":18.125,"valueDate":"2021-05-01T00:00:00+05:30"}'],
    ["changeRepaymentValue", "changeRepaymentValue", (l) => l.changeRepaymentValue({ amount: new Decimal("99.99"), valueDate: "2021-05-01T00:00:00+05:30" }),
      '{"amount":99.99,"valueDate":"2021-05-01T00:00:00+05:30"}'],
    ["changePeriodicPayment", "changePeriodicPayment", (l) => l.changePeriodicPayment(120, { valueDate: "2021-05-01T00:00:00+05:30", notes: "n" }),
      '{"periodicPayment":120,"valueDate":"2021-05-01T00:00:00+05:30","notes":"n"}'],
    ["changeArrearsSettings", "changeArrearsSettings", (l) => l.changeArrearsSettings({ arrearsTolerancePeriod: 5, entryDate: "2021-05-01T00:00:00" }),
      '{"arrearsTolerancePeriod":5,"entryDate":"2021-05-01T00:00:00+05:30"}'],
    ["changeDueDatesSettings", "changeDueDatesSettings", (l) => l.changeDueDatesSettings({ fixedDaysOfMonth: [1, 15], valueDate: "2021-05-01T00:00:00+05:30" }),
      '{"fixedDaysOfMonth":[1,15],"valueDate":"2021-05-01T00:00:00+05:30"}'],
    ["applyInterest", "applyInterest", (l) => l.applyInterest({ interestApplicationDate: "2021-05-01T00:00:00+05:30", notes: "month end" }),
      '{"interestApplicationDate":"2021-05-01T00:00:00+05:30","notes":"month end"}'],
  ];

  test.each(cases)("%s: POST /loans/{id}:%s", async (_method, operationId, call, exact) => {
    const loan = await readLoan();
    const seen: Captured = {};
    const path = operationId === "terminateLoanAccount" ? "terminate" : operationId;
    answer("POST", `${LOAN_PATH}:${path}`, seen, 204);
    const refresh = expectRefresh({ lastModifiedDate: "2021-05-01T10:00:00+05:30" });
    const result = await call(loan);
    expectOperation(seen, "POST", "loans", operationId, 204, undefined);
    expect(seen.body).toBe(exact);
    expect(refresh.isDone()).toBe(true);
    expect(result).toBe(loan);
    expect(loan.lastModifiedDate?.toISO()).toBe("2021-05-01T10:00:00.000+05:30");
  });

  test("with reread: false there is one request and the loan stays as read", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    answer("POST", `${LOAN_PATH}:terminate`, seen, 204);
    await loan.terminate({ valueDate: "2021-05-01T00:00:00+05:30", reread: false });
    expect(requests.map((r) => r.method)).toEqual(["GET", "POST"]);
    expect(loan.accountState).toBe("ACTIVE");
  });
});

describe("previewPayOffAmounts (POST /loans/{id}:previewPayOffAmounts)", () => {
  test("returns principal, interest, fee, penalty and total as exact Decimals; nothing is re-read", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    const text = '{"principalBalance":12345678901234567.89,"interestBalance":10.005,"feeBalance":5,"penaltyBalance":0.1,"totalBalance":12345678901234582.995}';
    answer("POST", `${LOAN_PATH}:previewPayOffAmounts`, seen, 200, text);
    const amounts = await loan.previewPayOffAmounts({ valueDate: "2021-05-01T00:00:00" });
    expectOperation(seen, "POST", "loans", "previewPayOffAmounts", 200, JSON.parse(text));
    expect(seen.body).toBe('{"valueDate":"2021-05-01T00:00:00+05:30"}');
    expect(amounts).toBeInstanceOf(MambuPayOffAmounts);
    expect([amounts.principal, amounts.interest, amounts.fee, amounts.penalty, amounts.total].map((d) => d.toFixed())).toEqual([
      "12345678901234567.89", "10.005", "5", "0.1", "12345678901234582.995",
    ]);
    expect(amounts.principal.plus(amounts.interest).plus(amounts.fee).plus(amounts.penalty).equals(amounts.total)).toBe(true);
    expect(amounts.totalBalance?.toFixed()).toBe("12345678901234582.995");
    expect(requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  test("without valueDate asks for now; an amount Mambu leaves out is 0", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    answer("POST", `${LOAN_PATH}:previewPayOffAmounts`, seen, 200, { principalBalance: 100, totalBalance: 100 });
    const before = Date.now();
    const amounts = await loan.previewPayOffAmounts();
    const sent = Date.parse((JSON.parse(seen.body as string) as { valueDate: string }).valueDate);
    expect(sent).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(sent).toBeLessThanOrEqual(Date.now());
    expect([amounts.fee.toFixed(), amounts.penalty.toFixed(), amounts.total.toFixed()]).toEqual(["0", "0", "100"]);
  });
});

describe("transactions: paymentMade, redraw, withdrawal return the created transaction; lock/unlock the transactions posted", () => {
  const cases: [string, string, string, (l: MambuLoan) => Promise<MambuTransaction>, string][] = [
    ["paymentMade", "applyPaymentMade", "payment-made-transactions", (l) => l.paymentMade("250.50", { notes: "at branch" }), '{"amount":250.5,"notes":"at branch"}'],
    ["redraw", "makeRedrawRepayment", "redraw-repayment-transactions", (l) => l.redraw(new Decimal("100.01"), { valueDate: "2021-05-01T00:00:00" }),
      '{"amount":100.01,"valueDate":"2021-05-01T00:00:00+05:30"}'],
    ["withdrawal", "makeWithdrawal", "withdrawal-transactions", (l) => l.withdrawal(75, { externalId: "W-1", _Channel: { Kind: "atm" } }),
      '{"amount":75,"externalId":"W-1","_Channel":{"Kind":"atm"}}'],
  ];

  test.each(cases)("%s: POST /loans/{id}/… (%s)", async (_m, operationId, suffix, call, exact) => {
    const loan = await readLoan();
    const seen: Captured = {};
    const reply = txWire("REPAYMENT", { id: "101", amount: 250.5 });
    answer("POST", `${LOAN_PATH}/${suffix}`, seen, 201, reply);
    const refresh = expectRefresh();
    const tx = await call(loan);
    expectOperation(seen, "POST", "loans_transactions", operationId, 201, reply);
    expect(seen.body).toBe(exact);
    expect(refresh.isDone()).toBe(true);
    expect(tx).toBeInstanceOf(MambuTransaction);
    expect([tx.id, tx.amount?.toFixed(2)]).toEqual(["101", "250.50"]);
  });

  test.each([
    ["lock", "applyLock", "lock-transactions", (l: MambuLoan) => l.lock({ lockedOperations: ["APPLY_INTEREST", "APPLY_FEES"], notes: "dispute" }),
      '{"lockedOperations":["APPLY_INTEREST","APPLY_FEES"],"notes":"dispute"}'],
    ["unlock", "applyUnlock", "unlock-transactions", (l: MambuLoan) => l.unlock({ notes: "resolved" }), '{"notes":"resolved"}'],
  ])("%s: POST /loans/{id}/… (%s) returns the transactions Mambu answers with", async (_m, operationId, suffix, call, exact) => {
    const loan = await readLoan();
    const seen: Captured = {};
    const reply = { loanTransactions: [txWire("INTEREST_LOCKED", { id: "102", amount: 0 })] };
    answer("POST", `${LOAN_PATH}/${suffix}`, seen, 201, reply);
    expectRefresh({ accountState: "ACTIVE" });
    const txs = await call(loan);
    expectOperation(seen, "POST", "loans_transactions", operationId, 201, reply);
    expect(seen.body).toBe(exact);
    expect(txs.map((t) => [t instanceof MambuTransaction, t.id, t.type])).toEqual([[true, "102", "INTEREST_LOCKED"]]);
  });
});

describe("funding sources (/loans/{id}/funding)", () => {
  const fund = { encodedKey: "8a00000000000000000000000000i001", guarantorType: "CLIENT", guarantorKey: "8a00000000000000000000000000c001", amount: 400.10, sharePercentage: 40, depositAccountKey: "8a00000000000000000000000000d001" };

  test("addFundingSources: POST with the list, amounts exact; returns MambuInvestorFund[]; the loan re-read", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    answer("POST", `${LOAN_PATH}/funding`, seen, 201, [fund]);
    const refresh = expectRefresh({ fundingSources: [fund] });
    const funds = await loan.addFundingSources([{ guarantorType: "CLIENT", guarantorKey: "8a00000000000000000000000000c001", amount: "400.10", depositAccountKey: "8a00000000000000000000000000d001" }]);
    expectOperation(seen, "POST", "loans", "createLoanAccountFundingSources", 201, [fund]);
    expect(seen.body).toBe('[{"guarantorType":"CLIENT","guarantorKey":"8a00000000000000000000000000c001","amount":400.1,"depositAccountKey":"8a00000000000000000000000000d001"}]');
    expect(refresh.isDone()).toBe(true);
    expect(funds.map((f) => [f instanceof MambuInvestorFund, f.encodedKey, f.amount?.toFixed(2), f.sharePercentage?.toFixed()])).toEqual([
      [true, "8a00000000000000000000000000i001", "400.10", "40"],
    ]);
  });

  test("getFundingSources re-reads the loan; setFundingSources PUTs funds as read; removeFundingSource(s) DELETE", async () => {
    const loan = await readLoan();
    expectRefresh({ fundingSources: [fund] });
    const funds = await loan.getFundingSources();
    expect(funds.map((f) => f.amount?.toFixed(2))).toEqual(["400.10"]);

    funds[0].amount = new Decimal("500.25");
    const put: Captured = {};
    const changed = { ...fund, amount: 500.25 };
    answer("PUT", `${LOAN_PATH}/funding`, put, 200, [changed]);
    expectRefresh({ fundingSources: [changed] });
    const after = await loan.setFundingSources(funds);
    expectOperation(put, "PUT", "loans", "updateLoanAccountFundingSources", 200, [changed]);
    expect((JSON.parse(put.body as string) as Bag[])[0]).toEqual({ ...fund, amount: 500.25 });
    expect(after[0].amount?.toFixed(2)).toBe("500.25");

    const one: Captured = {};
    answer("DELETE", `${LOAN_PATH}/funding/${fund.encodedKey}`, one, 204);
    expectRefresh({ fundingSources: [] });
    expect(await loan.removeFundingSource(after[0] as never)).toBe(loan);
    expectOperation(one, "DELETE", "loans", "deleteSingleFundingSource", 204, undefined);

    const all: Captured = {};
    answer("DELETE", `${LOAN_PATH}/funding`, all, 204);
    expectRefresh({ fundingSources: [] });
    await loan.removeFundingSources();
    expectOperation(all, "DELETE", "loans", "deleteFundingSources", 204, undefined);
  });
});

describe("cards, authorization holds, documents", () => {
  test("getCards: GET /loans/{id}/cards as MambuCard handles; addCard/removeCard POST and DELETE, the loan not re-read", async () => {
    const loan = await readLoan();
    const list: Captured = {};
    answer("GET", `${LOAN_PATH}/cards`, list, 200, [{ referenceToken: "tok-1" }]);
    const cards = await loan.getCards();
    expectOperation(list, "GET", "loans", "getAllCards", 200, [{ referenceToken: "tok-1" }]);
    expect(cards.map((c) => [c instanceof MambuCard, c.referenceToken])).toEqual([[true, "tok-1"]]);

    const add: Captured = {};
    answer("POST", `${LOAN_PATH}/cards`, add, 201);
    const card = await loan.addCard("tok/2", { idempotencyKey: IDEMPOTENCY_KEY });
    expectOperation(add, "POST", "loans", "createCard", 201, undefined);
    expect(add.body).toBe('{"referenceToken":"tok/2"}');
    expect(card.referenceToken).toBe("tok/2");

    const del: Captured = {};
    answer("DELETE", `${LOAN_PATH}/cards/tok%2F2`, del, 204);
    await loan.removeCard(card);
    expectOperation(del, "DELETE", "loans", "deleteCard", 204, undefined);
    expect(requests.filter((r) => r.method === "GET").length).toBe(2); // the loan once, the cards once
  });

  test("getAuthorizationHolds: GET /loans/{id}/authorizationholds?status=… as MambuAuthorizationHold with Decimal amounts", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    const hold = { externalReferenceId: "H-1", amount: 10.015, advice: false, status: "PENDING", currencyCode: "MXN" };
    answer("GET", `${LOAN_PATH}/authorizationholds`, seen, 200, [hold]);
    const holds = await loan.getAuthorizationHolds({ status: "PENDING", limit: 10 });
    expectOperation(seen, "GET", "loans", "getAllAuthorizationHolds", 200, [hold]);
    expect((seen.path as string).split("?")[1]).toBe("status=PENDING&offset=0&limit=10");
    expect(holds.map((h) => [h instanceof MambuAuthorizationHold, h.externalReferenceId, h.amount?.toFixed()])).toEqual([[true, "H-1", "10.015"]]);
  });

  test("getAuthorizationHolds walks every page (a full page asks for the next), as getAll does", async () => {
    tenant().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, loanWire());
    const loan = await MambuLoan.get("54321", { connector: testConnector({ apipagination: 2 }) });
    const hold = (n: number) => ({ externalReferenceId: `H-${n}`, amount: n, advice: false, status: "SETTLED" });
    tenant().get(`${LOAN_PATH}/authorizationholds`).query({ offset: "0", limit: "2" }).reply(200, [hold(1), hold(2)]);
    tenant().get(`${LOAN_PATH}/authorizationholds`).query({ offset: "2", limit: "2" }).reply(200, [hold(3)]);
    const holds = await loan.getAuthorizationHolds();
    expect(holds.map((h) => [h.externalReferenceId, h.amount?.toFixed()])).toEqual([["H-1", "1"], ["H-2", "2"], ["H-3", "3"]]);
    expect(requests).toHaveLength(3);
  });

  test("getDocument: GET /loans/{id}/templates/{templateId}?startDate&endDate, the rendered text", async () => {
    const loan = await readLoan();
    const seen: Captured = {};
    answer("GET", `${LOAN_PATH}/templates/tpl-1`, seen, 200, JSON.stringify("<html>Statement of 54321</html>"));
    const text = await loan.getDocument("tpl-1", { startDate: "2021-01-01", endDate: "2021-03-31" });
    expectOperation(seen, "GET", "loans", "getLoanAccountDocument", 200, "<html>Statement of 54321</html>");
    expect((seen.path as string).split("?")[1]).toBe("startDate=2021-01-01&endDate=2021-03-31");
    expect(text).toBe("<html>Statement of 54321</html>");
  });
});

describe("schedules without an account", () => {
  const installment = {
    encodedKey: "8a00000000000000000000000000s001", number: "1", dueDate: "2021-04-15T00:00:00+05:30", state: "PENDING",
    principal: { amount: { expected: 500.05, paid: 0, due: 500.05 } }, interest: { amount: { expected: 12.5, paid: 0, due: 12.5 } },
  };

  test("MambuLoan.previewSchedule(terms): POST /loans:previewSchedule; returns MambuInstallment[]", async () => {
    const seen: Captured = {};
    answer("POST", "/api/loans:previewSchedule", seen, 200, { installments: [installment] });
    const rows = await MambuLoan.previewSchedule(
      { productTypeKey: "8a00000000000000000000000000p001", loanAmount: "1000.10", disbursementDetails: { expectedDisbursementDate: "2021-03-15T00:00:00+05:30" } },
      { connector: testConnector() },
    );
    expectOperation(seen, "POST", "loans", "getPreviewLoanAccountSchedule", 200, { installments: [installment] });
    expect(seen.body).toBe('{"productTypeKey":"8a00000000000000000000000000p001","loanAmount":1000.1,"disbursementDetails":{"expectedDisbursementDate":"2021-03-15T00:00:00+05:30"}}');
    expect(rows.map((r) => [r instanceof MambuInstallment, r.number, r.principal?.amount?.expected?.toFixed(2), r.dueDate?.toISO()])).toEqual([
      [true, "1", "500.05", "2021-04-15T00:00:00.000+05:30"],
    ]);
    expect(requests.map((r) => r.method)).toEqual(["POST"]);
  });

  test("MambuInstallment.getAll({ dueFrom, dueTo }): GET /installments", async () => {
    const seen: Captured = {};
    const row = { ...installment, parentAccountKey: LOAN_KEY };
    answer("GET", "/api/installments", seen, 200, [row]);
    const rows = await MambuInstallment.getAll({ dueFrom: "2021-04-01", dueTo: "2021-04-30", limit: 5, connector: testConnector() });
    expectOperation(seen, "GET", "installments", "getAll", 200, [row]);
    expect((seen.path as string).split("?")[1]).toBe("offset=0&limit=5&dueFrom=2021-04-01&dueTo=2021-04-30");
    expect(rows.map((r) => [r.parentAccountKey, r.interest?.amount?.due?.toFixed(2)])).toEqual([[LOAN_KEY, "12.50"]]);
  });
});

describe("bad input is refused before any request, saying what to fix", () => {
  const valueDate = "2021-05-01T00:00:00+05:30";
  const cases: [string, (l: MambuLoan) => PromiseLike<unknown>, RegExp][] = [
    ["reschedule without terms", (l) => l.reschedule({} as never), /MambuLoan\.reschedule: loanAccount \(the new account's terms\) must be an object/],
    ["reschedule without firstRepaymentDate", (l) => l.reschedule({ loanAccount: { disbursementDetails: {} } } as never), /firstRepaymentDate/],
    ["refinance without topUpAmount", (l) => l.refinance({ loanAccount: { disbursementDetails: { firstRepaymentDate: valueDate } } } as never), /topUpAmount/],
    ["undoReschedule with non-text notes", (l) => l.undoReschedule(5 as never), /MambuLoan\.undoReschedule\.notes/],
    ["undoRefinance with an unknown option", (l) => l.undoRefinance("x", { force: true } as never), /unknown option "force"/],
    ["terminate without valueDate", (l) => l.terminate({ notes: "x" } as never), /valueDate/],
    ["previewPayOffAmounts with a bad date", (l) => l.previewPayOffAmounts({ valueDate: "01/05/2021" }), /not a valid ISO 8601 date/],
    ["previewPayOffAmounts with reread", (l) => l.previewPayOffAmounts({ reread: false } as never), /unknown option "reread"/],
    ["changeInterestRate with text", (l) => l.changeInterestRate("ten", { valueDate }), /MambuLoan\.changeInterestRate\.interestRate/],
    ["changeRepaymentValue with neither", (l) => l.changeRepaymentValue({ valueDate }), /amount or as percentage/],
    ["changeRepaymentValue with both", (l) => l.changeRepaymentValue({ valueDate, amount: 1, percentage: 2 }), /amount or as percentage/],
    ["changePeriodicPayment without valueDate", (l) => l.changePeriodicPayment(100, {} as never), /valueDate/],
    ["changeArrearsSettings with a fraction", (l) => l.changeArrearsSettings({ arrearsTolerancePeriod: 1.5, entryDate: valueDate }), /arrearsTolerancePeriod/],
    ["changeDueDatesSettings with text days", (l) => l.changeDueDatesSettings({ fixedDaysOfMonth: ["x"] as never }), /fixedDaysOfMonth/],
    ["applyInterest without a date", (l) => l.applyInterest({} as never), /interestApplicationDate/],
    ["paymentMade without an amount", (l) => l.paymentMade(undefined as never), /amount/],
    ["redraw with a grouped amount", (l) => l.redraw("1,000"), /MambuLoan\.redraw\.amount/],
    ["withdrawal with an unknown option", (l) => l.withdrawal(10, { note: "x" } as never), /unknown option "note"/],
    ["lock with an unknown operation", (l) => l.lock({ lockedOperations: ["APPLY_TAXES"] as never }), /APPLY_TAXES/],
    ["unlock with non-text notes", (l) => l.unlock({ notes: 5 as never }), /notes/],
    ["addFundingSources with none", (l) => l.addFundingSources([]), /non-empty list of funding sources/],
    ["addFundingSources without the funder", (l) => l.addFundingSources([{ amount: 1 } as never]), /guarantorKey/],
    ["removeFundingSource of nothing", (l) => l.removeFundingSource(""), /funding source must be an id, an encodedKey or the entity/],
    ["addCard without a token", (l) => l.addCard(""), /reference token/],
    ["getAuthorizationHolds with an unknown status", (l) => l.getAuthorizationHolds({ status: "OPEN" as never }), /one of PENDING, REVERSED, SETTLED, EXPIRED/],
    ["getDocument without a template", (l) => l.getDocument(""), /template's id/],
    ["getDocument with a bad date", (l) => l.getDocument("t", { startDate: "yesterday" }), /startDate/],
  ];

  test.each(cases)("%s", async (_name, call, message) => {
    const loan = await readLoan();
    const err = await call(loan).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect((err as Error).message).toMatch(message);
    expect(requests).toHaveLength(1); // the GET of the loan only
  });

  test("previewSchedule without productTypeKey, getAll without dueTo", async () => {
    await expect(MambuLoan.previewSchedule({ loanAmount: 1000 } as never, { connector: testConnector() })).rejects.toThrow(/productTypeKey/);
    expect(() => MambuInstallment.getAll({ dueFrom: "2021-04-01" } as never)).toThrow(/give dueFrom and dueTo/); // a list: refused when asked for, as getAll's
    expect(() => MambuInstallment.getAll({ dueFrom: "2021-04-01", dueTo: "2021-04-30", limit: 0 })).toThrow(/limit must be an integer ≥ 1/);
    expect(requests).toEqual([]);
  });

  test("a loan never read has no key: the method says so", async () => {
    await expect(new MambuLoan({}).undoReschedule()).rejects.toThrow(/MambuLoan has no id or encodedKey yet/);
    expect(fixture("loan-full.json")).toContain(LOAN_KEY);
  });
});

describe("the operation layer underneath (lib/core/account-operation.ts)", () => {
  test("an operation the contract does not have, or a hand-written target that names none, is refused before any request", async () => {
    const { accountOperation } = await import("../../lib/core/account-operation");
    const { postTransaction } = await import("../../lib/core/operations");
    const loan = await readLoan();
    await expect(accountOperation(loan, "loans", "reprogram", {}, {}, { returns: "account" })).rejects.toThrow(/loans has no operation "reprogram"/);
    await expect(
      postTransaction(loan, MambuTransaction, { label: "X", resource: "loans_transactions", definition: "RepaymentLoanTransactionInput", suffix: "/refund-transactions" }, {}, {}),
    ).rejects.toThrow(/X: POST …\/refund-transactions with a RepaymentLoanTransactionInput body is no operation of the loans_transactions contract/);
    await expect(
      postTransaction(loan, MambuTransaction, { label: "X", resource: "loans_transactions", definition: "FeeLoanTransactionInput", suffix: "/repayment-transactions" }, {}, {}),
    ).rejects.toThrow(/is no operation/);
    await expect(accountOperation(loan, "loans", "deleteCard", undefined, {}, { returns: "answer" })).rejects.toThrow(/takes 2 path parameter\(s\), got 1/);
    await expect(accountOperation(loan, "loans", "getAllCards", { x: 1 }, {}, { returns: "answer" })).rejects.toThrow(/takes no body/);
    expect(requests).toHaveLength(1);
  });

  test("a hand-written target still posts the contract's operation (the helpers deposits use keep working)", async () => {
    const { postTransaction } = await import("../../lib/core/operations");
    const loan = await readLoan();
    const seen: Captured = {};
    const reply = txWire("REPAYMENT");
    answer("POST", `${LOAN_PATH}/repayment-transactions`, seen, 201, reply);
    const tx = await postTransaction(loan, MambuTransaction, {
      label: "X", resource: "loans_transactions", definition: "RepaymentLoanTransactionInput", suffix: "/repayment-transactions",
    }, { amount: "250.50" }, { reread: false });
    expectOperation(seen, "POST", "loans_transactions", "makeRepayment", 201, reply);
    expect(seen.body).toBe('{"amount":250.5}');
    expect(tx).toBeInstanceOf(MambuTransaction);
  });
});
