/**
 * Sandbox e2e: the platform routes — application status and the end-of-day cron, which runs the sandbox's
 * end-of-day work (arrears, deposit maturities, hold expiry) on the current clock without any other request first.
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call, expectContractAnswer } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

describe("GET /application/status", () => {
  it("answers the contract's ApplicationStatus: the sandbox reads and writes", async () => {
    const r = await call(sb, "GET", "/application/status");
    expectContractAnswer("GET", "/application/status", r, { status: 200, resource: "application__status", strict: true });
    expect(r.body).toEqual({ dataAccessState: "WRITE_READ_STATE" });
  });
});

describe("POST /crons/eod:run", () => {
  let loanId: string;
  beforeAll(async () => {
    const holder = (await call(sb, "GET", "/clients/0512N0025")).body.encodedKey;
    const product = await call(sb, "POST", "/depositproducts", {
      body: {
        id: "FIXEDEOD", name: "Fixed deposit for EOD", type: "FIXED_DEPOSIT", state: "ACTIVE",
        accountingSettings: { accountingMethod: "NONE" }, newAccountSettings: { idGeneratorType: "INCREMENTAL_NUMBER", idPattern: "@@@###" },
        currencySettings: { currencies: [{ code: "MXN" }] },
        interestSettings: { interestRateSettings: { interestRate: { defaultValue: 3, minValue: 1, maxValue: 6 }, interestChargeFrequency: "ANNUALIZED" }, daysInYear: "ACTUAL_365_FIXED" },
        maturitySettings: { maturityPeriod: { defaultValue: 6, minValue: 1, maxValue: 24 }, maturityPeriodUnit: "MONTHS" },
      },
    });
    expect(product.status).toBe(201);
    expect((await call(sb, "POST", "/deposits", { body: { id: "EOD001", name: "Fixed", accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: product.body.encodedKey } })).status).toBe(201);
    expect((await call(sb, "POST", "/deposits/EOD001:changeState", { body: { action: "APPROVE" } })).status).toBe(200);
    expect((await call(sb, "POST", "/deposits/EOD001/deposit-transactions", { body: { amount: 10000 } })).status).toBe(201);
    expect((await call(sb, "POST", "/deposits/EOD001:startMaturity", { body: { maturityDate: "2026-01-20" } })).status).toBe(200);
    loanId = "54321";
    expect((await call(sb, "GET", `/loans/${loanId}`)).body.accountState).toBe("ACTIVE");
  });

  it("puts a late loan into arrears and matures a due deposit, with no other request first; a second run changes nothing", async () => {
    sb.clock.advance({ days: 90 });
    expect(sb.store.find("loans", loanId)?.accountState).toBe("ACTIVE");
    expect(sb.store.find("deposits", "EOD001")?.accountState).toBe("ACTIVE");
    const r = await call(sb, "POST", "/crons/eod:run");
    expectContractAnswer("POST", "/crons/eod:run", r, { status: 202, resource: "crons_eod", strict: true });
    expect(r.body).toEqual({ state: "COMPLETE" });
    const loan = sb.store.find("loans", loanId)!;
    const deposit = sb.store.find("deposits", "EOD001")!;
    expect(loan.accountState).toBe("ACTIVE_IN_ARREARS");
    expect(deposit.accountState).toBe("MATURED");
    const before = JSON.stringify([loan, deposit]);
    expect((await call(sb, "POST", "/crons/eod:run")).status).toBe(202);
    expect(JSON.stringify([sb.store.find("loans", loanId), sb.store.find("deposits", "EOD001")])).toBe(before);
  });
});
