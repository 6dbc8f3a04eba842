/** Sandbox e2e with the engine: the demo tenant's loans and deposits, and a loan's life through HTTP. */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

describe("demo tenant loans and deposits", () => {
  it("has loans in several states", async () => {
    const r = await call(sb, "GET", "/loans?limit=100");
    const states = Object.fromEntries(r.body.map((l: { id: string; accountState: string }) => [l.id, l.accountState]));
    expect(states).toEqual({
      "54321": "ACTIVE",
      "54322": "ACTIVE_IN_ARREARS",
      "54323": "PENDING_APPROVAL",
      "54324": "APPROVED",
      "54325": "CLOSED",
      "54326": "ACTIVE",
    });
  });

  it("loan 54321 has its transactions and schedule", async () => {
    const tx = await call(sb, "GET", "/loans/54321/transactions");
    expect(tx.status).toBe(200);
    expect(tx.body.map((t: { type: string }) => t.type)).toEqual(["DISBURSEMENT", "REPAYMENT", "REPAYMENT", "REPAYMENT", "REPAYMENT"]);
    const one = await call(sb, "GET", `/loans/transactions/${tx.body[1].id}`);
    expect(one.body.encodedKey).toBe(tx.body[1].encodedKey);
    const schedule = await call(sb, "GET", "/loans/54321/schedule");
    expect(schedule.status).toBe(200);
    expect(schedule.body.installments).toHaveLength(6);
    const search = await call(sb, "POST", "/loans/transactions:search", {
      body: { filterCriteria: [{ field: "parentAccountID", operator: "EQUALS", value: "54321" }, { field: "type", operator: "EQUALS", value: "REPAYMENT" }] },
    });
    expect(search.body).toHaveLength(4);
  });

  it("filters loans by holder, state, officer; searches by the holder's custom fields", async () => {
    const byHolder = await call(sb, "GET", "/loans?accountHolderId=0512N0025&accountHolderType=CLIENT");
    expect(byHolder.body.map((l: { id: string }) => l.id)).toEqual(["54321"]);
    const arrears = await call(sb, "GET", "/loans?accountState=ACTIVE_IN_ARREARS&creditOfficerUsername=a.alas");
    expect(arrears.body.map((l: { id: string }) => l.id)).toEqual(["54322"]);
    const s = await call(sb, "POST", "/loans:search", { body: { filterCriteria: [{ field: "_OtherDetails.Age", operator: "MORE_THAN", value: "45" }] } });
    expect(s.body.map((l: { id: string }) => l.id).sort()).toEqual(["54321", "54325"]);
    const full = await call(sb, "GET", "/loans/54321?detailsLevel=FULL");
    expect(full.body._loanPerformanceScore).toEqual({ amountScore: "10", timeScore: "5" });
  });

  it("has an active and an approved deposit", async () => {
    const r = await call(sb, "GET", "/deposits");
    const states = Object.fromEntries(r.body.map((d: { id: string; accountState: string }) => [d.id, d.accountState]));
    expect(states).toEqual({ DEP001: "ACTIVE", DEP002: "APPROVED" });
    const dep = r.body.find((d: { id: string }) => d.id === "DEP001");
    expect(Number(dep.balances.totalBalance)).toBe(5800);
    const tx = await call(sb, "GET", "/deposits/DEP001/transactions");
    expect(tx.body).toHaveLength(3);
  });
});

describe("a loan's life through HTTP", () => {
  it("create → approve → disburse → repay", async () => {
    const created = await call(sb, "POST", "/loans", {
      body: {
        accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey: "FLAT-MICRO", loanAmount: 1200,
        interestSettings: { interestRate: 24 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
      },
      headers: { "Idempotency-Key": "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b" },
    });
    expect(created.status).toBe(201);
    expect(created.body.accountState).toBe("PENDING_APPROVAL");
    const id = created.body.id;
    const approve = await call(sb, "POST", `/loans/${id}:changeState`, { body: { action: "APPROVE", notes: "ok" } });
    expect(approve.status).toBe(200);
    expect((await call(sb, "GET", `/loans/${id}`)).body.accountState).toBe("APPROVED");
    const disb = await call(sb, "POST", `/loans/${id}/disbursement-transactions`, { body: { notes: "cash" } });
    expect(disb.status).toBe(201);
    expect((await call(sb, "GET", `/loans/${id}`)).body.accountState).toBe("ACTIVE");
    sb.clock.advance({ days: 31 });
    const repay = await call(sb, "POST", `/loans/${id}/repayment-transactions`, { body: { amount: 424 } });
    expect(repay.status).toBe(201);
    const loan = (await call(sb, "GET", `/loans/${id}`)).body;
    expect(Number(loan.balances.principalBalance)).toBeLessThan(1200);
    const tx = await call(sb, "GET", `/loans/${id}/transactions`);
    expect(tx.body.map((t: { type: string }) => t.type)).toEqual(["DISBURSEMENT", "REPAYMENT"]);
    const bad = await call(sb, "POST", `/loans/${id}:changeState`, { body: { action: "FLY" } });
    expect(bad.status).toBe(400);
  });
});
