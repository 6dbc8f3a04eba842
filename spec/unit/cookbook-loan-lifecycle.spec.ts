/**
 * Cookbook recipe "Approving, Disbursing, Paying and Closing a Loan Account" (README "Cookbook"),
 * against a mocked tenant that answers as Mambu would at each step. Every request is checked
 * against the Swagger files: the path is a documented operation and the body valid for it.
 */
import nock from "nock";
import { Decimal, deterministicUuidV4, MambuLoan, MambuTransaction } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

const LOAN_PATH = "/api/loans/8a0000000000000000000000000l5432";
type Bag = Record<string, unknown>;

let seen: { method: string; path: string; body?: Bag; idempotencyKey?: string }[] = [];

function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string; headers: Record<string, string> }, _i: unknown, body: string) => {
    seen.push({ method: req.method, path: req.path, body: body ? (JSON.parse(body) as Bag) : undefined, idempotencyKey: req.headers["idempotency-key"] });
  });
  return scope;
}

function loanAt(over: Bag): string {
  return JSON.stringify({ ...fixtureJson("loan-full.json"), ...over });
}

beforeEach(() => {
  seen = [];
});

afterEach(() => {
  nock.cleanAll();
});

function expectEveryRequestDocumented(): void {
  for (const r of seen) {
    const match = findOperation(r.method, r.path);
    expect([r.method, r.path, match !== undefined]).toEqual([r.method, r.path, true]);
    if (r.method === "POST") expect([r.path, validateAgainst(match!.resource, match!.op.body!, r.body)]).toEqual([r.path, []]);
  }
}

test("Approving, Disbursing, Paying and Closing a Loan Account", async () => {
  const connector = testConnector();
  const pending = { accountState: "PENDING_APPROVAL", approvedDate: undefined, disbursementDetails: { expectedDisbursementDate: "2021-03-15T00:00:00+05:30", firstRepaymentDate: "2021-04-15T00:00:00+05:30" } };
  const approved = { ...pending, accountState: "APPROVED", approvedDate: "2021-03-10T09:00:00+05:30" };
  const active = { accountState: "ACTIVE", balances: { principalBalance: 1500.00, interestBalance: 0, feesBalance: 0 } };
  const afterRepayment = { accountState: "ACTIVE", balances: { principalBalance: 999.50, interestBalance: 0, feesBalance: 0 } };
  const closed = { accountState: "CLOSED", accountSubState: "REPAID", closedDate: "2021-04-20T12:00:00+05:30", balances: { principalBalance: 0, interestBalance: 0, feesBalance: 0 } };
  tenant()
    .get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, loanAt(pending))
    .post(`${LOAN_PATH}:changeState`).reply(200, loanAt(approved))
    .get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanAt(approved))
    .post(`${LOAN_PATH}/disbursement-transactions`).reply(201, fixture("loan-tx-disbursement.json"))
    .get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanAt(active))
    .post(`${LOAN_PATH}/repayment-transactions`).reply(201, fixture("loan-tx-repayment.json"))
    .get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanAt(afterRepayment))
    .post(`${LOAN_PATH}:payOff`).reply(204)
    .get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanAt(closed));

  // --- the recipe (README "Cookbook") ---
  const loan = await MambuLoan.get("54321", { connector });
  expect(loan.accountState).toBe("PENDING_APPROVAL");

  await loan.approve("Approved by the credit committee");
  expect(loan.accountState).toBe("APPROVED"); // the loan is re-read after every operation

  const disbursement = await loan.disburse({ notes: "Cash at branch CCAZ" }); // dates from disbursementDetails
  expect(disbursement).toBeInstanceOf(MambuTransaction);
  expect([disbursement.type, disbursement.amount?.toFixed(2), disbursement.valueDate?.toISODate()]).toEqual(["DISBURSEMENT", "1500.00", "2021-03-15"]);
  expect(loan.accountState).toBe("ACTIVE");

  const repayment = await loan.repay(new Decimal("250.50"), {
    notes: "Pago en ventanilla",
    valueDate: "2021-04-15T10:00:00", // no offset: the loan's (+05:30)
    transactionDetails: { transactionChannelId: "cash" },
    idempotencyKey: deterministicUuidV4("loan 54321", "repayment 1"), // a rerun is replayed, not repeated
  });
  expect([repayment.type, repayment.amount?.toFixed(2)]).toEqual(["REPAYMENT", "250.50"]);
  expect((loan.balances as { principalBalance: Decimal }).principalBalance.toFixed(2)).toBe("999.50");

  await loan.payOff({ notes: "Early payoff" });
  expect(loan.accountState).toBe("CLOSED");
  expect(loan.closedDate?.toISO()).toBe("2021-04-20T12:00:00.000+05:30");
  // --- end of the recipe ---

  expect(seen.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
    "GET /api/loans/54321",
    `POST ${LOAN_PATH}:changeState`,
    `GET ${LOAN_PATH}`,
    `POST ${LOAN_PATH}/disbursement-transactions`,
    `GET ${LOAN_PATH}`,
    `POST ${LOAN_PATH}/repayment-transactions`,
    `GET ${LOAN_PATH}`,
    `POST ${LOAN_PATH}:payOff`,
    `GET ${LOAN_PATH}`,
  ]);
  const posts = seen.filter((r) => r.method === "POST").map((r) => r.body);
  expect(posts).toEqual([
    { action: "APPROVE", notes: "Approved by the credit committee" },
    { notes: "Cash at branch CCAZ", valueDate: "2021-03-15T00:00:00+05:30", firstRepaymentDate: "2021-04-15T00:00:00+05:30" },
    { amount: 250.5, notes: "Pago en ventanilla", valueDate: "2021-04-15T10:00:00+05:30", transactionDetails: { transactionChannelId: "cash" } },
    { notes: "Early payoff" },
  ]);
  expect(seen[5].idempotencyKey).toBe(deterministicUuidV4("loan 54321", "repayment 1"));
  expectEveryRequestDocumented();
});

test("the same recipe's other endings: a mistaken repayment adjusted, a paid loan closed, an application withdrawn", async () => {
  const connector = testConnector();
  const repaymentTx = MambuTransaction.fromWire(fixtureJson("loan-tx-repayment.json"), connector);
  const adjustment = { ...fixtureJson<Bag>("loan-tx-repayment.json"), encodedKey: "8a00000000000000000000000000t101", id: "101", type: "REPAYMENT_ADJUSTMENT", amount: -250.5 };
  tenant()
    .get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, loanAt({ accountState: "ACTIVE" }))
    .post("/api/loans/transactions/8a00000000000000000000000000t100:adjust").reply(200, adjustment)
    .get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanAt({ accountState: "ACTIVE" }))
    .post(`${LOAN_PATH}:changeState`).reply(200, loanAt({ accountState: "CLOSED", accountSubState: "REPAID" }))
    .get(LOAN_PATH).query({ detailsLevel: "BASIC" }).reply(200, loanAt({ accountState: "CLOSED", accountSubState: "REPAID" }))
    .get("/api/loans/99999").query({ detailsLevel: "BASIC" }).reply(200, loanAt({ id: "99999", encodedKey: "8a00000000000000000000000000l999", accountState: "PENDING_APPROVAL" }))
    .post("/api/loans/8a00000000000000000000000000l999:changeState").reply(200, loanAt({ accountState: "CLOSED", accountSubState: "WITHDRAWN" }))
    .get("/api/loans/8a00000000000000000000000000l999").query({ detailsLevel: "BASIC" }).reply(200, loanAt({ id: "99999", encodedKey: "8a00000000000000000000000000l999", accountState: "CLOSED", accountSubState: "WITHDRAWN" }));

  const loan = await MambuLoan.get("54321", { connector });
  const adj = await loan.adjustTransaction(repaymentTx, "Wrong amount"); // or: await repaymentTx.adjust("Wrong amount")
  expect(adj.type).toBe("REPAYMENT_ADJUSTMENT");
  await loan.close("Paid in full");
  expect(loan.accountState).toBe("CLOSED");
  const application = await MambuLoan.get("99999", { connector }).withdraw("Client declined the offer");
  expect([application.accountState, application.accountSubState]).toEqual(["CLOSED", "WITHDRAWN"]);

  expect(seen.filter((r) => r.method === "POST").map((r) => r.body)).toEqual([
    { notes: "Wrong amount" },
    { action: "CLOSE", notes: "Paid in full" },
    { action: "WITHDRAW", notes: "Client declined the offer" },
  ]);
  expectEveryRequestDocumented();
});
