/**
 * End to end: loan and deposit transactions go through transaction channels as in Mambu — none named means the
 * tenant's default (`GET /setup/general` `defaultTransactionChannelKey`), recorded as `transactionChannelId` and
 * `transactionChannelKey`; an unknown or INACTIVE channel is 400 INVALID_TRANSACTION_CHANNEL and posts nothing;
 * seizures and card transactions require a channel; a channel LIMITED to products refuses the others; a
 * repayment paid by transfer from a deposit goes through no channel; the channel's GL account is booked.
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { operation, validateAgainst } from "../../lib/contract/schema";
import { Answer, call } from "./sandbox-helpers";

let sb: Sandbox;
let cashKey: string;
let bankKey: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  cashKey = (await call(sb, "GET", "/organization/transactionChannels/cash")).body.encodedKey;
  bankKey = (await call(sb, "GET", "/organization/transactionChannels/bank")).body.encodedKey;
});
afterAll(async () => {
  await sb.stop();
});

function expectOk(r: Answer, resource: string, method: string, template: string, status: number): void {
  expect({ status: r.status, body: r.status === status ? undefined : r.body }).toEqual({ status, body: undefined });
  const op = operation(resource, method, template);
  if (!op) throw new Error(`no operation ${method} ${template}`);
  expect(validateAgainst(resource, op.responses[String(status)]!, r.body, { path: "response" })).toEqual([]);
}

function expectError(r: Answer, status: number, reason: string): void {
  expect({ status: r.status, reason: r.body?.errors?.[0]?.errorReason }).toEqual({ status, reason });
}

const DEPOSIT_TX = "/deposits/{depositAccountId}/deposit-transactions";
const REPAYMENT = "/loans/{loanAccountId}/repayment-transactions";

async function newSavings(id: string, opening: number): Promise<void> {
  const holder = (await call(sb, "GET", "/clients/0512N0025")).body.encodedKey;
  const created = await call(sb, "POST", "/deposits", { body: { id, name: "Channels", accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: "SAVINGS", accountType: "REGULAR_SAVINGS", currencyCode: "MXN" } });
  expect(created.status).toBe(201);
  expect((await call(sb, "POST", `/deposits/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
  expect((await call(sb, "POST", `/deposits/${id}/deposit-transactions`, { body: { amount: opening } })).status).toBe(201);
}

async function newLoan(product: string, disburse: Record<string, unknown> = {}): Promise<{ id: string; disbursement: Answer }> {
  const created = await call(sb, "POST", "/loans", {
    body: {
      accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey: product, loanAmount: 3000, interestSettings: { interestRate: 24 },
      scheduleSettings: { gracePeriod: 0, repaymentInstallments: 6, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await call(sb, "POST", `/loans/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
  return { id, disbursement: await call(sb, "POST", `/loans/${id}/disbursement-transactions`, { body: disburse }) };
}

const balanceOf = async (id: string): Promise<number> => (await call(sb, "GET", `/deposits/${id}`)).body.balances.totalBalance;
const channelBody = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id, name: `Channel ${id}`, glAccount: "1200", loanConstraints: { usage: "UNCONSTRAINED" }, depositConstraints: { usage: "UNCONSTRAINED" }, ...extra,
});

describe("deposits", () => {
  beforeAll(async () => newSavings("CH001", 1000));

  it("a transaction naming no channel goes through the tenant's default one (cash), id and key recorded", async () => {
    const general = (await call(sb, "GET", "/setup/general")).body;
    expect(general.defaultTransactionChannelKey).toBe(cashKey);
    const r = await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10 } });
    expectOk(r, "deposits_transactions", "POST", DEPOSIT_TX, 201);
    expect(r.body.transactionDetails).toEqual({ transactionChannelId: "cash", transactionChannelKey: cashKey });
    const w = await call(sb, "POST", "/deposits/CH001/withdrawal-transactions", { body: { amount: 5 } });
    expect(w.body.transactionDetails).toEqual({ transactionChannelId: "cash", transactionChannelKey: cashKey });
  });

  it("a channel named by id or by key is recorded with both", async () => {
    const byId = await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelId: "bank" } } });
    expectOk(byId, "deposits_transactions", "POST", DEPOSIT_TX, 201);
    expect(byId.body.transactionDetails).toEqual({ transactionChannelId: "bank", transactionChannelKey: bankKey });
    const byKey = await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelKey: bankKey } } });
    expect(byKey.body.transactionDetails).toEqual({ transactionChannelId: "bank", transactionChannelKey: bankKey });
    const stored = (await call(sb, "GET", `/deposits/transactions/${byKey.body.id}`)).body;
    expect(stored.transactionDetails).toEqual({ transactionChannelId: "bank", transactionChannelKey: bankKey });
  });

  it("an unknown channel, an INACTIVE one, or an id and a key of two channels are refused and post nothing", async () => {
    const before = await balanceOf("CH001");
    expectError(await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelId: "atm" } } }), 400, "INVALID_TRANSACTION_CHANNEL");
    expectError(await call(sb, "POST", "/deposits/CH001/withdrawal-transactions", { body: { amount: 10, transactionDetails: { transactionChannelKey: "8a00000000000000000000000000dead" } } }), 400, "INVALID_TRANSACTION_CHANNEL");
    expect((await call(sb, "POST", "/organization/transactionChannels", { body: channelBody("closed", { state: "INACTIVE" }) })).status).toBe(201);
    expectError(await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelId: "closed" } } }), 400, "INVALID_TRANSACTION_CHANNEL");
    expectError(
      await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelId: "cash", transactionChannelKey: bankKey } } }),
      400,
      "INCONSISTENCY_BETWEEN_CHANNEL_KEY_AND_ID",
    );
    expect(await balanceOf("CH001")).toBe(before);
  });

  it("the channel's GL account is booked in place of the product's fund source", async () => {
    const gl = async (code: string): Promise<number> => {
      const list = (await call(sb, "GET", "/glaccounts?type=ASSET&from=2026-01-01&to=2026-12-31")).body as Array<{ glCode: string; balance?: number }>;
      return list.find((g) => g.glCode === code)?.balance ?? 0;
    };
    const [cash, bank] = [await gl("1100"), await gl("1200")];
    expect((await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 40, transactionDetails: { transactionChannelId: "bank" } } })).status).toBe(201);
    expect([await gl("1100"), await gl("1200")]).toEqual([cash, bank + 40]);
  });

  it("a channel LIMITED to other deposit products refuses the account's; one that lists its product admits it", async () => {
    const savingsKey = (await call(sb, "GET", "/depositproducts/SAVINGS")).body.encodedKey;
    const other = { usage: "LIMITED", constraints: [{ criteria: "PRODUCT", operator: "IN", values: ["8a0000000000000000000000000fffff"] }] };
    expect((await call(sb, "POST", "/organization/transactionChannels", { body: channelBody("others", { depositConstraints: other }) })).status).toBe(201);
    expectError(await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelId: "others" } } }), 400, "TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS");
    const ours = { usage: "LIMITED", constraints: [{ criteria: "PRODUCT", operator: "EQUALS", value: savingsKey }] };
    expect((await call(sb, "POST", "/organization/transactionChannels", { body: channelBody("savings-only", { depositConstraints: ours }) })).status).toBe(201);
    const r = await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 10, transactionDetails: { transactionChannelId: "savings-only" } } });
    expect(r.body.transactionDetails?.transactionChannelId).toBe("savings-only");
    // an amount constraint: at most 100 through it
    const small = { usage: "LIMITED", constraints: [{ criteria: "AMOUNT", operator: "LESS_THAN", value: "100" }] };
    expect((await call(sb, "POST", "/organization/transactionChannels", { body: channelBody("small", { depositConstraints: small }) })).status).toBe(201);
    expect((await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 99.99, transactionDetails: { transactionChannelId: "small" } } })).status).toBe(201);
    expectError(await call(sb, "POST", "/deposits/CH001/deposit-transactions", { body: { amount: 100, transactionDetails: { transactionChannelId: "small" } } }), 400, "TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS");
  });

  it("a seizure requires a channel of the tenant", async () => {
    expect((await call(sb, "POST", "/deposits/CH001/blocks", { body: { externalReferenceId: "lien-1", amount: 50 } })).status).toBe(201);
    const missing = await call(sb, "POST", "/deposits/CH001/seizure-transactions", { body: { blockId: "lien-1" } });
    expect(missing.status).toBe(400);
    expect(["TRANSACTION_CHANNEL_IS_MANDATORY", "INVALID_PARAMETERS"]).toContain(missing.body.errors[0].errorReason);
    expect(JSON.stringify(missing.body.errors[0])).toMatch(/transactionChannelId/);
    expectError(await call(sb, "POST", "/deposits/CH001/seizure-transactions", { body: { blockId: "lien-1", transactionChannelId: "court" } }), 400, "INVALID_TRANSACTION_CHANNEL");
    const r = await call(sb, "POST", "/deposits/CH001/seizure-transactions", { body: { blockId: "lien-1", transactionChannelId: "bank" } });
    expect(r.status).toBe(201);
    expect(r.body.transactionDetails).toEqual({ transactionChannelId: "bank", transactionChannelKey: bankKey });
  });

  it("a card transaction requires a channel of the tenant; the account's transaction records it", async () => {
    expect((await call(sb, "POST", "/deposits/CH001/cards", { body: { referenceToken: "tok-ch-1" } })).status).toBe(201);
    const before = await balanceOf("CH001");
    const missing = await call(sb, "POST", "/cards/tok-ch-1/financialtransactions", { body: { externalReferenceId: "CT-0", amount: 5, advice: false } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors[0])).toMatch(/transactionChannelId/);
    expectError(await call(sb, "POST", "/cards/tok-ch-1/financialtransactions", { body: { externalReferenceId: "CT-1", amount: 5, advice: false, transactionChannelId: "atm" } }), 400, "INVALID_TRANSACTION_CHANNEL");
    expect(await balanceOf("CH001")).toBe(before);
    const r = await call(sb, "POST", "/cards/tok-ch-1/financialtransactions", { body: { externalReferenceId: "CT-2", amount: 5, advice: false, transactionChannelId: "bank" } });
    expect(r.status).toBe(201);
    const tx = (await call(sb, "GET", `/deposits/transactions/${r.body.linkedTransaction.linkedTransactionKey}`)).body;
    expect(tx.transactionDetails).toEqual({ transactionChannelId: "bank", transactionChannelKey: bankKey });
  });
});

describe("loans", () => {
  it("a disbursement and a repayment naming no channel go through the default one; an unknown channel is refused", async () => {
    const { id, disbursement } = await newLoan("FLAT-MICRO");
    expect(disbursement.status).toBe(201);
    expect(disbursement.body.transactionDetails).toEqual({ transactionChannelId: "cash", transactionChannelKey: cashKey });
    expectError(await call(sb, "POST", `/loans/${id}/repayment-transactions`, { body: { amount: 100, transactionDetails: { transactionChannelId: "atm" } } }), 400, "INVALID_TRANSACTION_CHANNEL");
    const r = await call(sb, "POST", `/loans/${id}/repayment-transactions`, { body: { amount: 100 } });
    expectOk(r, "loans_transactions", "POST", REPAYMENT, 201);
    expect(r.body.transactionDetails).toEqual({ transactionChannelId: "cash", transactionChannelKey: cashKey });
    const txs = (await call(sb, "GET", `/loans/${id}/transactions`)).body as Array<{ type: string }>;
    expect(txs.filter((t) => t.type === "REPAYMENT")).toHaveLength(1);
  });

  it("a disbursement naming an unknown channel is refused and the loan stays APPROVED", async () => {
    const { id, disbursement } = await newLoan("FLAT-MICRO", { transactionDetails: { transactionChannelId: "atm" } });
    expectError(disbursement, 400, "INVALID_TRANSACTION_CHANNEL");
    expect((await call(sb, "GET", `/loans/${id}`)).body.accountState).toBe("APPROVED");
  });

  it("a channel LIMITED to one loan product refuses the other product's repayments", async () => {
    const micro = (await call(sb, "GET", "/loanproducts/FLAT-MICRO")).body.encodedKey;
    const limited = { usage: "LIMITED", constraints: [{ criteria: "PRODUCT", operator: "EQUALS", value: micro }] };
    expect((await call(sb, "POST", "/organization/transactionChannels", { body: channelBody("micro-desk", { loanConstraints: limited }) })).status).toBe(201);
    const a = await newLoan("FLAT-MICRO");
    const b = await newLoan("DB-PERSONAL");
    const through = { transactionDetails: { transactionChannelId: "micro-desk" } };
    const ok = await call(sb, "POST", `/loans/${a.id}/repayment-transactions`, { body: { amount: 50, ...through } });
    expect(ok.body.transactionDetails?.transactionChannelId).toBe("micro-desk");
    expectError(await call(sb, "POST", `/loans/${b.id}/repayment-transactions`, { body: { amount: 50, ...through } }), 400, "TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS");
  });

  it("a repayment paid by transfer from a deposit account goes through no channel", async () => {
    await newSavings("CH002", 500);
    const { id } = await newLoan("FLAT-MICRO");
    const t = await call(sb, "POST", "/deposits/CH002/transfer-transactions", { body: { amount: 20, transferDetails: { linkedAccountType: "LOAN", linkedAccountId: id } } });
    expect(t.status).toBe(201);
    const repayment = ((await call(sb, "GET", `/loans/${id}/transactions`)).body as Array<{ type: string; transactionDetails?: unknown }>).find((x) => x.type === "REPAYMENT");
    expect(repayment?.transactionDetails).toEqual({});
  });
});
