/**
 * Sandbox e2e: investor funds of a loan — adding, replacing and deleting funds with their refusals, the money the
 * funders' deposits pay at disbursement (deposit invariants kept), the loans a deposit funds, each funder's share
 * of the schedule (adding up to the loan's exactly), the sale of a fund to other investors, and what flows back:
 * each funder's share of the principal and interest (less the organization's commission) repaid, taken back when
 * a repayment is adjusted, and the funds refunded when the disbursement is adjusted.
 * Every answer is checked against the operation's response schema.
 */
import Decimal from "decimal.js";
import fc from "fast-check";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { splitAmount } from "../../lib/sandbox/engine/funding";
import { D } from "../../lib/sandbox/engine/money";
import { Answer, call, contractCall } from "./sandbox-helpers";
import { checkDepositInvariants } from "../helpers/deposit-invariants";
import { checkLoanInvariants } from "../helpers/loan-invariants";

let sb: Sandbox;

async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  return contractCall(sb, method, path, body);
}

function reason(r: Answer): string {
  return r.body?.errors?.[0]?.errorReason;
}

interface Dep {
  id: string;
  encodedKey: string;
  holderKey: string;
}

const dec = (v: unknown) => new Decimal(String(v ?? 0));

/** Asserts a deposit's invariants: totalBalance = sum of its transactions, available = total − holds − blocks. */
async function checkDeposit(id: string): Promise<{ total: Decimal; types: string[] }> {
  const dep = (await api("GET", `/deposits/${id}`)).body;
  const txs = (await api("GET", `/deposits/${id}/transactions?limit=1000`)).body as Array<{ amount: number; type: string }>;
  const sum = txs.reduce((s, t) => s.plus(dec(t.amount)), new Decimal(0));
  const b = dep.balances;
  expect(dec(b.totalBalance).minus(dec(b.overdraftAmount)).equals(sum)).toBe(true);
  expect(dec(b.availableBalance).equals(dec(b.totalBalance).minus(dec(b.holdBalance)).minus(dec(b.blockedBalance)))).toBe(true);
  return { total: dec(b.totalBalance), types: txs.map((t) => t.type) };
}

let loanProduct: string;
let plainProduct: string;
let investorProduct: string;
let borrowerKey: string;
const investors: Record<string, Dep> = {};

async function investorDeposit(name: string, clientId: string, money: number): Promise<Dep> {
  const client = (await call(sb, "GET", `/clients/${clientId}`)).body;
  const r = await api("POST", "/deposits", { id: name, name, accountHolderKey: client.encodedKey, accountHolderType: "CLIENT", productTypeKey: investorProduct });
  expect(r.status).toBe(201);
  expect(r.body.accountType).toBe("INVESTOR_ACCOUNT");
  expect((await api("POST", `/deposits/${name}:changeState`, { action: "APPROVE" })).status).toBe(200);
  expect((await api("POST", `/deposits/${name}/deposit-transactions`, { amount: money })).status).toBe(201);
  return { id: name, encodedKey: r.body.encodedKey, holderKey: client.encodedKey };
}

function fund(d: Dep, amount: number) {
  return { amount, guarantorKey: d.holderKey, guarantorType: "CLIENT", depositAccountKey: d.encodedKey };
}

async function newLoan(product = loanProduct, amount = 1000): Promise<{ id: string; encodedKey: string }> {
  const r = await api("POST", "/loans", {
    accountHolderKey: borrowerKey,
    accountHolderType: "CLIENT",
    productTypeKey: product,
    loanAmount: amount,
    interestSettings: { interestRate: 24 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
  });
  expect(r.status).toBe(201);
  return r.body;
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
  for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete base[f];
  loanProduct = (await call(sb, "POST", "/loanproducts", { body: { ...base, id: "P2P", fundingSettings: { enabled: true, requiredFunds: 50 } } })).body.encodedKey;
  plainProduct = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body.encodedKey;
  const savings = (await call(sb, "GET", "/depositproducts/SAVINGS")).body;
  for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete savings[f];
  const inv = await call(sb, "POST", "/depositproducts", { body: { ...savings, id: "INVESTOR", name: "Investor account", type: "INVESTOR_ACCOUNT" } });
  expect(inv.status).toBe(201);
  investorProduct = inv.body.encodedKey;
  borrowerKey = (await call(sb, "GET", "/clients/0512N0026")).body.encodedKey;
  investors.a = await investorDeposit("INV-A", "0512N0027", 2000);
  investors.b = await investorDeposit("INV-B", "0512N0028", 350);
  investors.c = await investorDeposit("INV-C", "0512N0032", 400);
  investors.d = await investorDeposit("INV-D", "0512N0029", 500);
});
afterAll(async () => {
  await sb.stop();
});

describe("investor funds of a loan", () => {
  let loan: { id: string; encodedKey: string };
  let funds: Array<{ encodedKey: string; id: string; amount: number; depositAccountKey: string; sharePercentage: number }>;

  it("refuses funds the rules do not allow", async () => {
    loan = await newLoan();
    const { a, b, c } = investors;
    const cases: Array<[unknown[], string]> = [
      [[fund(a, 700), fund(b, 350)], "INVESTORS_TOTAL_AMOUNT_MORE_THAN_LOAN_AMOUNT"],
      [[fund(b, 351)], "INSUFFICIENT_FUNDS_ACCOUNT_BALANCE"],
      [[fund(a, 0)], "FUNDING_AMOUNT_MUST_BE_STRICTLY_POSITIVE"],
      [[fund(a, 100), fund(a, 100)], "DUPLICATED_SAVINGS_ACCOUNT_FOR_FUNDING"],
      [[{ ...fund(a, 100), guarantorKey: c.holderKey }], "INVALID_GUARANTOR_KEY"],
    ];
    for (const [body, why] of cases) {
      const r = await api("POST", `/loans/${loan.id}/funding`, body);
      expect(r.status).toBe(400);
      expect(reason(r)).toBe(why);
    }
    const dep001 = (await call(sb, "GET", "/deposits/DEP001")).body;
    const notInvestor = await api("POST", `/loans/${loan.id}/funding`, [{ amount: 10, guarantorKey: dep001.accountHolderKey, guarantorType: "CLIENT", depositAccountKey: dep001.encodedKey }]);
    expect(reason(notInvestor)).toBe("INVALID_SAVINGS_ACCOUNT_TYPE_FOR_FUNDING");
    const plain = await newLoan(plainProduct);
    expect(reason(await api("POST", `/loans/${plain.id}/funding`, [fund(a, 100)]))).toBe("INVALID_PRODUCT_WITH_FUNDING_SOURCE_DISABLED");
    expect(reason(await api("POST", "/loans/nope/funding", [fund(a, 100)]))).toBe("INVALID_LOAN_ACCOUNT_ID");
  });

  it("adds, replaces and deletes funds, with their share of the loan", async () => {
    const { a, b, c } = investors;
    const added = await api("POST", `/loans/${loan.id}/funding`, [fund(a, 200)]);
    expect(added.status).toBe(201);
    expect(added.body).toHaveLength(1);
    expect(added.body[0]).toMatchObject({ amount: 200, sharePercentage: 20, depositAccountKey: a.encodedKey, guarantorKey: a.holderKey, guarantorType: "CLIENT" });
    const more = await api("POST", `/loans/${loan.id}/funding`, [fund(b, 300)]);
    expect(more.body.map((f: { amount: number }) => f.amount)).toEqual([300]);
    expect((await api("GET", `/loans/${loan.id}`)).body.fundingSources.map((f: { amount: number }) => f.amount)).toEqual([200, 300]);

    expect((await api("DELETE", `/loans/${loan.id}/funding/${added.body[0].encodedKey}`)).status).toBe(204);
    expect(reason(await api("DELETE", `/loans/${loan.id}/funding/${added.body[0].encodedKey}`))).toBe("INVALID_FUND_ENCODED_KEY");
    expect((await api("GET", `/loans/${loan.id}`)).body.fundingSources.map((f: { amount: number }) => f.amount)).toEqual([300]);
    expect((await api("DELETE", `/loans/${loan.id}/funding`)).status).toBe(204);
    expect((await api("GET", `/loans/${loan.id}`)).body.fundingSources).toBeUndefined();

    // below the product's 50 % required funds, the loan is not approved
    await api("PUT", `/loans/${loan.id}/funding`, [fund(a, 400)]);
    const approve = await api("POST", `/loans/${loan.id}:changeState`, { action: "APPROVE" });
    expect(reason(approve)).toBe("INSUFFICIENT_FUNDS_TOTAL_AMOUNT");

    const replaced = await api("PUT", `/loans/${loan.id}/funding`, [fund(a, 300), fund(b, 300), fund(c, 400)]);
    expect(replaced.status).toBe(200);
    funds = replaced.body;
    expect(funds.map((f) => [f.amount, f.sharePercentage])).toEqual([[300, 30], [300, 30], [400, 40]]);
    expect((await api("GET", `/deposits/${a.id}/funding`)).body.map((l: { id: string }) => l.id)).toEqual([loan.id]);
    expect((await api("GET", `/deposits/${investors.d.id}/funding`)).body).toEqual([]);
  });

  it("takes each fund from its deposit at disbursement; funds are then fixed", async () => {
    const before = {
      a: await checkDeposit("INV-A"),
      b: await checkDeposit("INV-B"),
      c: await checkDeposit("INV-C"),
    };
    expect((await api("POST", `/loans/${loan.id}:changeState`, { action: "APPROVE" })).status).toBe(200);
    expect(reason(await api("POST", `/loans/${loan.id}/funding`, [fund(investors.d, 10)]))).toBe("INVALID_LOAN_ACCOUNT_STATE_FOR_FUNDS_EDIT");
    const toSavings = await api("POST", `/loans/${loan.id}/disbursement-transactions`, { transferDetails: { linkedAccountId: "DEP001" } });
    expect(reason(toSavings)).toBe("DISBURSE_TO_SAVINGS_NOT_AVALAIBLE_WITH_INVESTOR_FUNDS");
    const disbursed = await api("POST", `/loans/${loan.id}/disbursement-transactions`, {});
    expect(disbursed.status).toBe(201);
    for (const [k, amount] of [["a", 300], ["b", 300], ["c", 400]] as const) {
      const after = await checkDeposit(investors[k].id);
      expect(before[k].total.minus(after.total).toNumber()).toBe(amount);
      expect(after.types[after.types.length - 1]).toBe("LOAN_FUNDED");
    }
    const tx = (await api("GET", "/deposits/INV-C/transactions")).body.find((t: { type: string }) => t.type === "LOAN_FUNDED");
    expect(tx).toMatchObject({ amount: -400, transferDetails: { linkedLoanTransactionKey: disbursed.body.encodedKey } });
    expect(reason(await api("DELETE", `/loans/${loan.id}/funding`))).toBe("INVALID_LOAN_ACCOUNT_STATE_FOR_FUNDS_EDIT");
  });

  it("answers each funder's share of the schedule, the shares adding up to the loan's exactly", async () => {
    const whole = (await api("GET", `/loans/${loan.id}/schedule`)).body;
    const parts: Array<{ installments: Array<Record<string, any>> }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const d of ["INV-A", "INV-B", "INV-C"]) {
      const r = await api("GET", `/deposits/${d}/funding/${loan.id}/schedule`);
      expect(r.status).toBe(200);
      expect(r.body.installments).toHaveLength(whole.installments.length);
      parts.push(r.body);
    }
    let rounded = 0;
    whole.installments.forEach((inst: Record<string, any>, i: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const e of ["principal", "interest", "fee", "penalty"]) {
        for (const k of ["expected", "paid", "due"]) {
          const value = dec(inst[e].amount[k]);
          const shares = parts.map((p) => dec(p.installments[i][e].amount[k]));
          expect(shares.reduce((s, x) => s.plus(x), new Decimal(0)).equals(value)).toBe(true);
          expect(shares[0].equals(value.times(0.3).toDecimalPlaces(2, Decimal.ROUND_HALF_UP))).toBe(true);
          if (!value.times(0.4).equals(shares[2])) rounded++;
        }
      }
      expect(parts[0].installments[i].dueDate).toBe(inst.dueDate);
    });
    expect(rounded).toBeGreaterThan(0); // the remainder really landed on the last funder somewhere
    expect(reason(await api("GET", `/deposits/INV-D/funding/${loan.id}/schedule`))).toBe("LOAN_ACCOUNT_NOT_FUNDED_BY_DEPOSIT_ACCOUNT");
  });

  it("sells part of a fund to another investor: money moves, the funds' total does not", async () => {
    const { a, d } = investors;
    const seller = funds[0];
    const before = { a: await checkDeposit(a.id), d: await checkDeposit(d.id) };
    const refusals: Array<[unknown, string]> = [
      [{ purchases: [] }, "FUND_SELL_WITH_NO_PURCHASES"],
      [{ purchases: [{ depositAccountKey: d.encodedKey, amount: 300.01, price: 1 }] }, "FUND_OVERSELL"],
      [{ purchases: [{ depositAccountKey: a.encodedKey, amount: 10, price: 10 }] }, "FUND_SELF_SELL"],
      [{ purchases: [{ depositAccountKey: d.encodedKey, amount: 10, price: 501 }] }, "INSUFFICIENT_BUYER_FUNDING_ACCOUNT_FUNDS"],
      [{ purchases: [{ depositAccountKey: d.encodedKey, amount: 0, price: 1 }] }, "INVALID_BUYER_FUND_AMOUNT"],
      [{ purchases: [{ depositAccountKey: "DEP001", amount: 10, price: 1 }] }, "INVALID_BUYER_FUNDING_ACCOUNT"],
    ];
    for (const [body, why] of refusals) expect(reason(await api("POST", `/fundingsources/${seller.encodedKey}:sell`, body))).toBe(why);
    expect(reason(await api("POST", "/fundingsources/nothing:sell", { purchases: [] }))).toBe("INVALID_FUND_ID");

    const sold = await api("POST", `/fundingsources/${seller.encodedKey}:sell`, { purchases: [{ depositAccountKey: d.encodedKey, amount: 100, price: 110.5 }] });
    expect(sold.status).toBe(200);
    expect(sold.body.map((t: { type: string; amount: number; parentAccountKey: string }) => [t.type, t.amount, t.parentAccountKey])).toEqual([
      ["LOAN_FRACTION_BOUGHT", -110.5, d.encodedKey],
      ["LOAN_FRACTION_SOLD", 110.5, a.encodedKey],
    ]);
    expect(sold.body[0].affectedAmounts.fractionAmount).toBe(100);
    const after = { a: await checkDeposit(a.id), d: await checkDeposit(d.id) };
    expect(after.a.total.minus(before.a.total).toNumber()).toBe(110.5);
    expect(before.d.total.minus(after.d.total).toNumber()).toBe(110.5);

    const now = (await api("GET", `/loans/${loan.id}`)).body.fundingSources as typeof funds;
    expect(now.map((f) => [f.depositAccountKey, f.amount, f.sharePercentage])).toEqual([
      [a.encodedKey, 200, 20],
      [funds[1].depositAccountKey, 300, 30],
      [funds[2].depositAccountKey, 400, 40],
      [d.encodedKey, 100, 10],
    ]);
    expect(now[0].id).toBe(seller.id);
    expect(now[0].encodedKey).not.toBe(seller.encodedKey);
    expect(reason(await api("POST", `/fundingsources/${seller.encodedKey}:sell`, { purchases: [{ depositAccountKey: d.encodedKey, amount: 1, price: 1 }] }))).toBe("INACTIVE_FUND_ID");
    expect((await api("GET", `/deposits/${d.id}/funding`)).body.map((l: { id: string }) => l.id)).toEqual([loan.id]);
    // the buyer's schedule share follows its new fund
    const whole = (await api("GET", `/loans/${loan.id}/schedule`)).body;
    const share = (await api("GET", `/deposits/${d.id}/funding/${loan.id}/schedule`)).body;
    expect(dec(share.installments[0].principal.amount.expected).equals(dec(whole.installments[0].principal.amount.expected).times(0.1).toDecimalPlaces(2))).toBe(true);
  });

  it("sells a whole fund by its id", async () => {
    const c = (await api("GET", `/loans/${loan.id}`)).body.fundingSources[2];
    const r = await api("POST", `/fundingsources/${c.id}:sell`, { purchases: [{ depositAccountKey: investors.d.encodedKey, amount: 400, price: 0 }] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]); // a gift: nothing to pay
    const now = (await api("GET", `/loans/${loan.id}`)).body.fundingSources;
    expect(now.map((f: { amount: number }) => f.amount)).toEqual([200, 300, 500]);
    expect(now.reduce((s: number, f: { sharePercentage: number }) => s + f.sharePercentage, 0)).toBe(100);
    expect((await api("GET", "/deposits/INV-C/funding")).body).toEqual([]);
  });
});

describe("funds named at creation", () => {
  it("are validated and normalised like POST /funding", async () => {
    const { a } = investors;
    const body = {
      accountHolderKey: borrowerKey,
      accountHolderType: "CLIENT",
      productTypeKey: loanProduct,
      loanAmount: 2000,
      interestSettings: { interestRate: 24 },
      scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    };
    const ok = await api("POST", "/loans", { ...body, fundingSources: [fund(a, 500)] });
    expect(ok.status).toBe(201);
    expect(ok.body.fundingSources).toEqual([expect.objectContaining({ amount: 500, sharePercentage: 25, depositAccountKey: a.encodedKey })]);
    expect(typeof ok.body.fundingSources[0].encodedKey).toBe("string");
    const over = await api("POST", "/loans", { ...body, fundingSources: [fund(a, 2000.01)] });
    expect(reason(over)).toBe("INVESTORS_TOTAL_AMOUNT_MORE_THAN_LOAN_AMOUNT");
  });
});

describe("properties", () => {
  it("splits an amount among funds: proportional parts rounded, the last taking the remainder when the funds cover the loan", () => {
    const cents = (n: number) => new D(n).dividedBy(100);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        (funds, rest, value) => {
          const amounts = funds.map(cents);
          const covered = rest % 2 === 0; // half the cases: the funds are the whole loan
          const loanAmount = amounts.reduce((s, a) => s.plus(a), new D(0)).plus(covered ? 0 : cents(rest + 1));
          const v = cents(value);
          const parts = splitAmount(v, amounts, loanAmount, 2);
          const exact = amounts.map((a) => v.times(a).dividedBy(loanAmount));
          parts.forEach((p, i) => {
            expect(p.decimalPlaces()).toBeLessThanOrEqual(2);
            if (!covered || i < parts.length - 1) expect(p.equals(exact[i].toDecimalPlaces(2, Decimal.ROUND_HALF_UP))).toBe(true);
            else expect(p.minus(exact[i]).abs().lessThanOrEqualTo(new D("0.005").times(parts.length))).toBe(true);
          });
          const total = parts.reduce((s, p) => s.plus(p), new D(0));
          if (covered) expect(total.equals(v)).toBe(true);
          else expect(total.lessThanOrEqualTo(v.plus(new D("0.005").times(parts.length)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("random sales keep the funds' total and the investors' money; every deposit stays consistent", async () => {
    const pool: Dep[] = [];
    for (const [i, client] of ["0512N0025", "0512N0027", "0512N0028", "0512N0029"].entries()) pool.push(await investorDeposit(`PROP-${i}`, client, 1_000_000));
    const totalOf = async () => {
      let t = new Decimal(0);
      for (const d of pool) t = t.plus((await checkDeposit(d.id)).total);
      return t;
    };
    const sale = fc.record({ seller: fc.nat(3), buyer: fc.nat(3), share: fc.integer({ min: 1, max: 100 }), price: fc.integer({ min: 0, max: 200_000 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(sale, { minLength: 3, maxLength: 12 }), async (sales) => {
        const loan = await newLoan(loanProduct, 9000);
        await api("PUT", `/loans/${loan.id}/funding`, [fund(pool[0], 3000), fund(pool[1], 2500.5), fund(pool[2], 3499.5)]);
        await api("POST", `/loans/${loan.id}:changeState`, { action: "APPROVE" });
        expect((await api("POST", `/loans/${loan.id}/disbursement-transactions`, {})).status).toBe(201);
        const money = await totalOf();
        for (const s of sales) {
          const funds = (await api("GET", `/loans/${loan.id}`)).body.fundingSources as Array<{ encodedKey: string; amount: number; depositAccountKey: string }>;
          const seller = funds.find((f) => f.depositAccountKey === pool[s.seller].encodedKey);
          const amount = seller ? dec(seller.amount).times(s.share).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_DOWN) : new Decimal(1);
          const price = new Decimal(s.price).dividedBy(100);
          const r = await api("POST", `/fundingsources/${seller?.encodedKey ?? "none"}:sell`, { purchases: [{ depositAccountKey: pool[s.buyer].encodedKey, amount: amount.toNumber(), price: price.toNumber() }] });
          if (!seller) expect(reason(r)).toBe("INVALID_FUND_ID");
          else if (amount.isZero()) expect(reason(r)).toBe("INVALID_BUYER_FUND_AMOUNT");
          else if (s.seller === s.buyer) expect(reason(r)).toBe("FUND_SELF_SELL");
          else expect(r.status).toBe(200);
          const after = (await api("GET", `/loans/${loan.id}`)).body.fundingSources as Array<{ amount: number; sharePercentage: number }>;
          expect(after.reduce((t, f) => t.plus(dec(f.amount)), new Decimal(0)).toNumber()).toBe(9000);
          expect(after.every((f) => f.amount > 0)).toBe(true);
          expect((await totalOf()).equals(money)).toBe(true);
        }
      }),
      { numRuns: 4 },
    );
  });
});

describe("funds are changed only through /funding", () => {
  it("keeps a loan's funds on PUT and refuses them in a PATCH", async () => {
    const loan = await newLoan();
    await api("POST", `/loans/${loan.id}/funding`, [fund(investors.d, 100)]);
    const stored = (await api("GET", `/loans/${loan.id}`)).body;
    const put = await api("PUT", `/loans/${loan.id}`, { ...stored, fundingSources: [{ ...stored.fundingSources[0], amount: 999 }] });
    expect(put.status).toBe(200);
    expect(put.body.fundingSources.map((f: { amount: number }) => f.amount)).toEqual([100]);
    const patch = await call(sb, "PATCH", `/loans/${loan.id}`, { body: [{ op: "REMOVE", path: "fundingSources" }] });
    expect(reason(patch)).toBe("INVALID_PARAMETERS");
    expect((await api("GET", `/loans/${loan.id}`)).body.fundingSources).toHaveLength(1);
  });
});

describe("what the funders receive", () => {
  // 75 / 25 of a 1000 loan at 25 %; the organization keeps 6 of the 25 points: the funders get 19/25 of the interest
  const ORG_COMMISSION = 6;
  const RATE = 25;
  let loan: { id: string; encodedKey: string };
  let e: Dep;
  let f: Dep;
  const initial = new Decimal(10000);

  interface Payout { principal: Decimal; interest: Decimal; types: string[] }

  /** The payouts a deposit received for a loan transaction (live or adjusted), from its deposit transactions. */
  async function payoutsFor(dep: Dep, repaymentKey: string): Promise<Payout> {
    const txs = (await api("GET", `/deposits/${dep.id}/transactions?limit=1000`)).body as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const mine = txs.filter((t) => t.transferDetails?.linkedLoanTransactionKey === repaymentKey);
    const of = (type: string) => mine.filter((t) => t.type === type).reduce<Decimal>((s, t) => s.plus(dec(t.amount)), new Decimal(0));
    return { principal: of("LOAN_REPAID"), interest: of("INTEREST_APPLIED"), types: mine.map((t) => String(t.type)) };
  }

  /** Each funder's exact share of a repayment's principal and interest: 75 % / the rest, interest × 19/25 first. */
  function expected(repayment: Record<string, any>): { e: [Decimal, Decimal]; f: [Decimal, Decimal]; funders: Decimal } { // eslint-disable-line @typescript-eslint/no-explicit-any
    const p = dec(repayment.affectedAmounts.principalAmount);
    const i = dec(repayment.affectedAmounts.interestAmount);
    const funders = i.times(RATE - ORG_COMMISSION).dividedBy(RATE).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const pe = p.times(0.75).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const ie = funders.times(0.75).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    return { e: [pe, ie], f: [p.minus(pe), funders.minus(ie)], funders };
  }

  async function checkAll(): Promise<{ e: Decimal; f: Decimal }> {
    await checkLoanInvariants(sb, loan.id);
    const a = await checkDepositInvariants(sb, e.id);
    const b = await checkDepositInvariants(sb, f.id);
    return { e: dec(a.account.balances.totalBalance), f: dec(b.account.balances.totalBalance) };
  }

  async function repaymentsOf(): Promise<Array<Record<string, any>>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const txs = (await api("GET", `/loans/${loan.id}/transactions?limit=1000`)).body as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    return txs.filter((t) => t.type === "REPAYMENT");
  }

  let first: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let second: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let afterFirst: { e: Decimal; f: Decimal };

  /** A second loan on the first one's product, funded 750 by E and 250 by F, approved and disbursed. */
  async function disbursedSecondLoan(): Promise<{ other: { id: string; encodedKey: string }; disbursed: Answer }> {
    const product = (await api("GET", `/loans/${loan.id}`)).body.productTypeKey;
    const created = await api("POST", "/loans", {
      accountHolderKey: borrowerKey, accountHolderType: "CLIENT", productTypeKey: product, loanAmount: 1000,
      interestSettings: { interestRate: RATE },
      scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
      fundingSources: [fund(e, 750), fund(f, 250)],
    });
    const other = created.body as { id: string; encodedKey: string };
    expect((await api("POST", `/loans/${other.id}:changeState`, { action: "APPROVE" })).status).toBe(200);
    const disbursed = await api("POST", `/loans/${other.id}/disbursement-transactions`, {});
    return { other, disbursed };
  }

  it("pays each funder its share of the first installment's principal and interest, less the commission", async () => {
    const base = (await call(sb, "GET", "/loanproducts/DB-PERSONAL")).body;
    for (const k of ["encodedKey", "creationDate", "lastModifiedDate"]) delete base[k];
    const product = await call(sb, "POST", "/loanproducts", {
      body: { ...base, id: "P2P-COMM", fundingSettings: { enabled: true, organizationInterestCommission: { defaultValue: ORG_COMMISSION, minValue: 0, maxValue: 10 } } },
    });
    expect(product.status).toBe(201);
    e = await investorDeposit("INV-E", "0512N0027", 10000);
    f = await investorDeposit("INV-F", "0512N0028", 10000);
    const created = await api("POST", "/loans", {
      accountHolderKey: borrowerKey,
      accountHolderType: "CLIENT",
      productTypeKey: product.body.encodedKey,
      loanAmount: 1000,
      interestSettings: { interestRate: RATE },
      scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
      fundingSources: [fund(e, 750), fund(f, 250)],
    });
    expect([created.status, created.status === 201 ? "" : created.text]).toEqual([201, ""]);
    loan = created.body;
    expect(created.body.fundingSources.map((x: { sharePercentage: number }) => x.sharePercentage)).toEqual([75, 25]);
    expect((await api("POST", `/loans/${loan.id}:changeState`, { action: "APPROVE" })).status).toBe(200);
    expect((await api("POST", `/loans/${loan.id}/disbursement-transactions`, {})).status).toBe(201);
    const funded = await checkAll();
    expect([funded.e.toString(), funded.f.toString()]).toEqual(["9250", "9750"]);

    sb.clock.advance({ days: 31 });
    const schedule = (await api("GET", `/loans/${loan.id}/schedule`)).body;
    const inst = schedule.installments[0];
    const due = ["principal", "interest", "fee", "penalty"].reduce((s, k) => s.plus(dec(inst[k].amount.due)), new Decimal(0));
    const r = await api("POST", `/loans/${loan.id}/repayment-transactions`, { amount: due.toNumber() });
    expect(r.status).toBe(201);
    first = r.body;
    expect(dec(first.affectedAmounts.interestAmount).greaterThan(0)).toBe(true);
    const want = expected(first);
    // 326.49 principal and 20.83 interest paid: 244.87 + 81.62 principal, 15.83 of interest = 11.87 + 3.96
    expect([first.affectedAmounts.principalAmount, first.affectedAmounts.interestAmount]).toEqual([326.49, 20.83]);
    expect([...want.e, ...want.f, want.funders].map(String)).toEqual(["244.87", "11.87", "81.62", "3.96", "15.83"]);
    const got = { e: await payoutsFor(e, first.encodedKey), f: await payoutsFor(f, first.encodedKey) };
    expect([got.e.principal.toString(), got.e.interest.toString()]).toEqual(want.e.map(String));
    expect([got.f.principal.toString(), got.f.interest.toString()]).toEqual(want.f.map(String));
    expect(got.e.types.sort()).toEqual(["INTEREST_APPLIED", "LOAN_REPAID"]);
    // the shares add up exactly to the principal paid and to the interest paid less the organization's commission
    expect(got.e.principal.plus(got.f.principal).toString()).toBe(dec(first.affectedAmounts.principalAmount).toString());
    expect(got.e.interest.plus(got.f.interest).toString()).toBe(want.funders.toString());
    expect(dec(first.affectedAmounts.fundersInterestAmount).toString()).toBe(want.funders.toString());
    expect(dec(first.affectedAmounts.organizationCommissionAmount).plus(want.funders).toString()).toBe(dec(first.affectedAmounts.interestAmount).toString());
    afterFirst = await checkAll();
    expect(afterFirst.e.minus(funded.e).toString()).toBe(want.e[0].plus(want.e[1]).toString());
    expect(afterFirst.f.minus(funded.f).toString()).toBe(want.f[0].plus(want.f[1]).toString());
    // the interest payout is interest on the deposit
    const txs = (await api("GET", `/deposits/${e.id}/transactions?limit=1000`)).body as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const interestTx = txs.find((t) => t.type === "INTEREST_APPLIED");
    expect(dec(interestTx!.affectedAmounts.interestAmount).toString()).toBe(want.e[1].toString());
  });

  it("pays out the pay-off too: the funders get back the whole principal", async () => {
    sb.clock.advance({ days: 30 });
    expect((await api("POST", `/loans/${loan.id}:payOff`, { notes: "done" })).status).toBe(204);
    expect((await api("GET", `/loans/${loan.id}`)).body.accountState).toBe("CLOSED");
    const repayments = await repaymentsOf();
    expect(repayments).toHaveLength(2);
    second = repayments.find((t) => t.encodedKey !== first.encodedKey)!;
    first = repayments.find((t) => t.encodedKey === first.encodedKey)!;
    const want = expected(second);
    const got = { e: await payoutsFor(e, second.encodedKey), f: await payoutsFor(f, second.encodedKey) };
    expect([got.e.principal.toString(), got.e.interest.toString()]).toEqual(want.e.map(String));
    expect([got.f.principal.toString(), got.f.interest.toString()]).toEqual(want.f.map(String));
    const totals = await checkAll();
    const p1 = { e: await payoutsFor(e, first.encodedKey), f: await payoutsFor(f, first.encodedKey) };
    // principal: 750 and 250 back exactly; interest: 19/25 of what the borrower paid, split 75/25
    expect(p1.e.principal.plus(got.e.principal).toString()).toBe("750");
    expect(p1.f.principal.plus(got.f.principal).toString()).toBe("250");
    const interestPaid = dec(first.affectedAmounts.interestAmount).plus(dec(second.affectedAmounts.interestAmount));
    const fundersInterest = p1.e.interest.plus(p1.f.interest).plus(got.e.interest).plus(got.f.interest);
    expect(fundersInterest.minus(interestPaid.times(19).dividedBy(25)).abs().lessThanOrEqualTo("0.01")).toBe(true);
    expect(totals.e.minus(initial).toString()).toBe(p1.e.interest.plus(got.e.interest).toString());
    expect(totals.f.minus(initial).toString()).toBe(p1.f.interest.plus(got.f.interest).toString());
  });

  it("takes the payouts back when a repayment is adjusted", async () => {
    const r = await api("POST", `/loans/transactions/${second.id}:adjust`, { notes: "bounced" });
    expect(r.status).toBe(200);
    const totals = await checkAll();
    expect([totals.e.toString(), totals.f.toString()]).toEqual([afterFirst.e.toString(), afterFirst.f.toString()]);
    const got = await payoutsFor(e, second.encodedKey);
    expect(got.types.sort()).toEqual(["INTEREST_APPLIED", "INTEREST_APPLIED_ADJUSTMENT", "LOAN_REPAID", "LOAN_REPAID_ADJUSTMENT"]);
    const txs = (await api("GET", `/deposits/${e.id}/transactions?limit=1000`)).body as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const repaid = txs.find((t) => t.type === "LOAN_REPAID" && t.transferDetails?.linkedLoanTransactionKey === second.encodedKey)!;
    const back = txs.find((t) => t.type === "LOAN_REPAID_ADJUSTMENT" && t.originalTransactionKey === repaid.encodedKey)!;
    expect(repaid.adjustmentTransactionKey).toBe(back.encodedKey);
    expect(dec(back.amount).plus(dec(repaid.amount)).isZero()).toBe(true);
    // the first repayment's payouts stay
    expect((await payoutsFor(f, first.encodedKey)).principal.toString()).toBe(expected(first).f[0].toString());
  });

  it("refunds the funds when the disbursement is adjusted", async () => {
    expect((await api("POST", `/loans/transactions/${first.id}:adjust`, {})).status).toBe(200);
    const disbursement = ((await api("GET", `/loans/${loan.id}/transactions?limit=1000`)).body as Array<{ type: string; id: string }>).find((t) => t.type === "DISBURSEMENT")!;
    expect((await api("POST", `/loans/transactions/${disbursement.id}:adjust`, { notes: "cancelled" })).status).toBe(200);
    expect((await api("GET", `/loans/${loan.id}`)).body.accountState).toBe("APPROVED");
    const totals = await checkAll();
    expect([totals.e.toString(), totals.f.toString()]).toEqual(["10000", "10000"]);
    const txs = (await api("GET", `/deposits/${f.id}/transactions?limit=1000`)).body as Array<{ type: string; amount: number }>;
    expect(txs.filter((t) => t.type.startsWith("LOAN_FUNDED")).map((t) => [t.type, t.amount])).toEqual(
      expect.arrayContaining([["LOAN_FUNDED", -250], ["LOAN_FUNDED_ADJUSTMENT", 250]]),
    );
  });
  it("re-posts the payouts of a repayment that a backdated one re-allocates", async () => {
    const { other, disbursed } = await disbursedSecondLoan();
    sb.clock.advance({ days: 40 });
    const later = await api("POST", `/loans/${other.id}/repayment-transactions`, { amount: 200 });
    expect(dec(later.body.affectedAmounts.interestAmount).greaterThan(0)).toBe(true);
    const before = await payoutsFor(e, later.body.encodedKey);
    const off = sb.clock.offset; // the tenant's offset, e.g. +02:00
    const minutes = (off.startsWith("-") ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
    const backdated = new Date(Date.parse(disbursed.body.valueDate) + 35 * 86_400_000 + minutes * 60_000).toISOString().slice(0, 19) + off;
    const early = await api("POST", `/loans/${other.id}/repayment-transactions`, { amount: 100, valueDate: backdated });
    expect([early.status, early.status === 201 ? "" : early.text]).toEqual([201, ""]);
    const txs = ((await api("GET", `/loans/${other.id}/transactions?limit=1000`)).body as Array<Record<string, any>>).filter((t) => t.type === "REPAYMENT"); // eslint-disable-line @typescript-eslint/no-explicit-any
    const now = txs.find((t) => t.encodedKey === later.body.encodedKey)!;
    // the earlier repayment now pays the interest: the later one only principal
    expect(dec(now.affectedAmounts.interestAmount).isZero()).toBe(true);
    for (const t of txs) {
      const want = expected(t);
      for (const [dep, share] of [[e, want.e], [f, want.f]] as const) {
        const all = (await api("GET", `/deposits/${dep.id}/transactions?limit=1000`)).body as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
        const live = all.filter((x) => x.transferDetails?.linkedLoanTransactionKey === t.encodedKey && !x.adjustmentTransactionKey && !String(x.type).endsWith("_ADJUSTMENT"));
        const of = (type: string) => live.filter((x) => x.type === type).reduce<Decimal>((acc, x) => acc.plus(dec(x.amount)), new Decimal(0));
        expect([t.id, of("LOAN_REPAID").toString(), of("INTEREST_APPLIED").toString()]).toEqual([t.id, share[0].toString(), share[1].toString()]);
      }
    }
    // the later repayment's first payouts were reversed, not lost: what it paid before and after nets out
    const after = await payoutsFor(e, later.body.encodedKey);
    expect(after.types.filter((x) => x.endsWith("_ADJUSTMENT")).length).toBe(before.types.length);
    await checkLoanInvariants(sb, other.id);
    await checkAll();
    // adjusting both repayments and the disbursement gives the funders exactly their money back
    for (const t of [early.body, later.body, disbursed.body]) expect((await api("POST", `/loans/transactions/${t.id}:adjust`, {})).status).toBe(200);
    const back = await checkAll();
    expect([back.e.toString(), back.f.toString()]).toEqual(["10000", "10000"]);
  });
  it("pays out a repayment made by transfer from a deposit, and takes it back when the transfer is adjusted", async () => {
    const { other, disbursed } = await disbursedSecondLoan();
    sb.clock.advance({ days: 31 });
    const transfer = await api("POST", "/deposits/DEP001/transfer-transactions", {
      amount: 150, transferDetails: { linkedAccountType: "LOAN", linkedAccountId: other.id },
    });
    expect([transfer.status, transfer.status === 201 ? "" : transfer.text]).toEqual([201, ""]);
    const repayment = ((await api("GET", `/loans/${other.id}/transactions?limit=1000`)).body as Array<Record<string, any>>).find((t) => t.type === "REPAYMENT")!; // eslint-disable-line @typescript-eslint/no-explicit-any
    const want = expected(repayment);
    const got = await payoutsFor(f, repayment.encodedKey);
    expect([got.principal.toString(), got.interest.toString()]).toEqual(want.f.map(String));
    expect((await api("POST", `/deposits/transactions/${transfer.body.id}:adjust`, { notes: "recalled" })).status).toBe(200);
    const back = await payoutsFor(f, repayment.encodedKey);
    expect(back.types.sort()).toEqual(["INTEREST_APPLIED", "INTEREST_APPLIED_ADJUSTMENT", "LOAN_REPAID", "LOAN_REPAID_ADJUSTMENT"]);
    expect((await api("POST", `/loans/transactions/${disbursed.body.id}:adjust`, {})).status).toBe(200);
    const totals = await checkAll();
    expect([totals.e.toString(), totals.f.toString()]).toEqual(["10000", "10000"]);
    await checkDepositInvariants(sb, "DEP001");
  });

  it("under random repayments, backdated repayments and adjustments, each repayment's payouts follow its allocation", async () => {
    const product = (await api("GET", `/loans/${loan.id}`)).body.productTypeKey;
    const pool = [await investorDeposit("PAY-0", "0512N0025", 5000), await investorDeposit("PAY-1", "0512N0029", 5000), await investorDeposit("PAY-2", "0512N0032", 5000)];
    const amounts = [new Decimal("417.17"), new Decimal("291.41"), new Decimal("291.42")]; // 1000: the last takes the remainders
    const op = fc.oneof(
      fc.record({ kind: fc.constant("repay" as const), cents: fc.integer({ min: 1, max: 60_000 }), days: fc.integer({ min: 0, max: 25 }) }),
      fc.record({ kind: fc.constant("backdate" as const), cents: fc.integer({ min: 1, max: 30_000 }), back: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant("adjust" as const), pick: fc.nat(10) }),
    );
    const off = sb.clock.offset;
    const minutes = (off.startsWith("-") ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
    const local = (ms: number) => new Date(ms + minutes * 60_000).toISOString().slice(0, 19) + off;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 8 }), async (ops) => {
        const created = await api("POST", "/loans", {
          accountHolderKey: borrowerKey, accountHolderType: "CLIENT", productTypeKey: product, loanAmount: 1000,
          interestSettings: { interestRate: RATE },
          scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
          fundingSources: pool.map((d, i) => fund(d, amounts[i].toNumber())),
        });
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        expect((await api("POST", `/loans/${id}:changeState`, { action: "APPROVE" })).status).toBe(200);
        const disbursedAt = Date.parse((await api("POST", `/loans/${id}/disbursement-transactions`, {})).body.valueDate);
        for (const o of ops) {
          if (o.kind === "adjust") {
            const live = ((await api("GET", `/loans/${id}/transactions?limit=1000`)).body as Array<{ type: string; id: string; adjustmentTransactionKey?: string }>)
              .filter((t) => t.type === "REPAYMENT" && !t.adjustmentTransactionKey);
            if (live.length) expect((await api("POST", `/loans/transactions/${live[o.pick % live.length].id}:adjust`, {})).status).toBe(200);
            continue;
          }
          let valueDate: string | undefined;
          if (o.kind === "repay") sb.clock.advance({ days: o.days });
          else valueDate = local(Math.max(disbursedAt, Date.parse(sb.clock.nowIso()) - o.back * 86_400_000));
          const r = await api("POST", `/loans/${id}/repayment-transactions`, { amount: o.cents / 100, ...(valueDate ? { valueDate } : {}) });
          if (r.status !== 201) expect(["EXCESS_REPAYMENT_ERROR", "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"]).toContain(reason(r));
        }
        await checkLoanInvariants(sb, id);
        const deposits = [];
        for (const d of pool) deposits.push((await checkDepositInvariants(sb, d.id)).transactions);
        const repayments = ((await api("GET", `/loans/${id}/transactions?limit=1000`)).body as Array<Record<string, any>>).filter((t) => t.type === "REPAYMENT"); // eslint-disable-line @typescript-eslint/no-explicit-any
        for (const t of repayments) {
          // net of everything linked to the repayment (payouts and their reversals) on each funder's deposit
          const net = (txs: Array<Record<string, any>>, type: string) => txs // eslint-disable-line @typescript-eslint/no-explicit-any
            .filter((x) => x.transferDetails?.linkedLoanTransactionKey === t.encodedKey && String(x.type).startsWith(type))
            .reduce<Decimal>((acc, x) => acc.plus(dec(x.amount)), new Decimal(0));
          const principal = deposits.map((txs) => net(txs, "LOAN_REPAID"));
          const interest = deposits.map((txs) => net(txs, "INTEREST_APPLIED"));
          const sumOf = (xs: Decimal[]) => xs.reduce((acc, x) => acc.plus(x), new Decimal(0)).toString();
          if (t.adjustmentTransactionKey) {
            expect([t.id, sumOf(principal.map((x) => x.abs())), sumOf(interest.map((x) => x.abs()))]).toEqual([t.id, "0", "0"]);
            continue;
          }
          const p = dec(t.affectedAmounts.principalAmount);
          const i = dec(t.affectedAmounts.interestAmount);
          const funders = i.times(RATE - ORG_COMMISSION).dividedBy(RATE).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
          expect([t.id, sumOf(principal), sumOf(interest)]).toEqual([t.id, p.toString(), funders.toString()]);
          expect(dec(t.affectedAmounts.fundersInterestAmount).toString()).toBe(funders.toString());
          amounts.forEach((a, k) => {
            expect(principal[k].minus(p.times(a).dividedBy(1000)).abs().lessThanOrEqualTo("0.015")).toBe(true);
            expect(interest[k].minus(funders.times(a).dividedBy(1000)).abs().lessThanOrEqualTo("0.015")).toBe(true);
          });
        }
      }),
      { numRuns: 8 },
    );
  });
});
