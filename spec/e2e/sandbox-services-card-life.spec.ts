/**
 * A card's whole life through the Services API entities (`Services.Card`, its holds and transactions) against one
 * sandbox, every answer checked against the Services contract (MAMBU_SANDBOX_CHECK_RESPONSES): at each step the
 * available balance is read twice — from the Services API (`card.balance()`) and from API v2 (the deposit
 * account's `balances.availableBalance`) — and both move by exactly the hold, adjustment, settlement or reversal.
 * Hold → adjust +/− → replace → a card transaction settling it → partial reversal → a reversal beyond the amount
 * refused; advice over the available balance; expiry after the merchant's hold configuration on the sandbox clock;
 * errors for unknown cards, holds and transactions.
 */
import { randomUUID } from "node:crypto";
import { Duration } from "luxon";
import { Decimal, MambuCard, MambuConnector, MambuDeposit, MambuDepositProduct, MambuError, MambuLoan, Services, services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { checkDepositInvariants } from "../helpers/deposit-invariants";
import { demoConnector, reasonOf, statusOf } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: MambuConnector;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  connector.close();
  await sb.stop();
});

/** A new MXN savings account holding `opening`, with the card `token` linked to it (through API v2). */
async function cardOn(id: string, opening: string, token: string): Promise<{ dep: MambuDeposit; card: Services.Card }> {
  const template = await MambuDeposit.get("DEP001", { connector });
  const product = await MambuDepositProduct.get("SAVINGS", { connector });
  const dep = new MambuDeposit({ id, name: `Card life ${id}`, accountHolderKey: template.accountHolderKey, accountHolderType: "CLIENT", productTypeKey: product.encodedKey, currencyCode: "MXN" });
  await dep.create({ connector });
  await dep.approve();
  await dep.deposit(opening);
  await dep.addCard(token);
  return { dep, card: Services.Card.get(token, { connector }) };
}

/** The available balance as both APIs see it; fails unless they agree. */
async function available(dep: MambuDeposit, card: Services.Card): Promise<string> {
  const svc = await card.balance();
  await dep.refresh();
  const v2 = dep.balances?.availableBalance?.toFixed(2);
  expect(svc.available.value.toFixed(2)).toBe(v2);
  expect(svc.available.currency).toBe("MXN");
  return svc.available.value.toFixed(2);
}

const MXN = (value: string): { value: string; currency: string } => ({ value, currency: "MXN" });

test("hold → adjust up and down → replace → settle by a card transaction → partial reversals; both APIs agree at every step", async () => {
  const { dep, card } = await cardOn("LIFE001", "500.00", "life-1");
  const b = await card.balance();
  expect([b.accountId, b.cardType, b.total.value.toFixed(2)]).toEqual(["LIFE001", "Debit", "500.00"]);
  expect(await available(dep, card)).toBe("500.00");

  const hold = await card.holds.create({ holdId: "LIFE-H1", amount: MXN("100.00"), cardAcceptor: { name: "Grocer", m_c_c: 5411, address: { line1: "Calle 1", line2: "Local 2", city: "CDMX" } } });
  expect([hold.status, hold.amount.value.toFixed(2), hold.accountId, hold.type]).toEqual(["HoldPending", "100.00", "LIFE001", "Debit"]);
  expect(hold.cardAcceptor).toEqual({ name: "Grocer", m_c_c: 5411, address: { line1: "Calle 1", line2: "Local 2", city: "CDMX" } });
  expect(await available(dep, card)).toBe("400.00");

  const up = await hold.adjust(MXN("25.50"), { adjustmentId: "ADJ-1" });
  expect(up.amount.value.toFixed(2)).toBe("125.50");
  expect(await available(dep, card)).toBe("374.50");
  const down = await up.adjust({ value: new Decimal("-10.25"), currency: "MXN" }, { adjustmentId: "ADJ-2" });
  expect(down.amount.value.toFixed(2)).toBe("115.25");
  expect(await available(dep, card)).toBe("384.75");

  // an adjustment id applies once: its replay is refused and nothing moves
  expect(await statusOf(hold.adjust(MXN("25.50"), { adjustmentId: "ADJ-1" }))).toBe(409);
  // a hold never goes to zero or below by an adjustment (revoke it instead)
  expect(await reasonOf(hold.adjust(MXN("-115.25"), { adjustmentId: "ADJ-3" }))).toBe("INVALID_AMOUNT");
  // a rise beyond the available balance is refused without advice
  expect(await reasonOf(hold.adjust(MXN("384.76"), { adjustmentId: "ADJ-4" }))).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  expect(await available(dep, card)).toBe("384.75");
  expect((await card.holds.get("LIFE-H1")).amount.value.toFixed(2)).toBe("115.25");

  // replacing the hold: the new amount reserves the difference; what the caller did not change is kept
  const replaced = await down.update({ amount: MXN("120.00") });
  expect([replaced.amount.value.toFixed(2), replaced.cardAcceptor?.m_c_c, replaced.status]).toEqual(["120.00", 5411, "HoldPending"]);
  expect(await available(dep, card)).toBe("380.00");

  // the card transaction settles the hold: its 120.00 is released as 118.40 is withdrawn
  const tx = await card.transactions.create({ transactionId: "LIFE-T1", amount: MXN("118.40"), authorizationId: "LIFE-H1", acceptor: { name: "Grocer", m_c_c: 5411 } });
  expect([tx.transactionId, tx.amount.value.toFixed(2), tx.authorizationId, tx.acceptor?.name]).toEqual(["LIFE-T1", "118.40", "LIFE-H1", "Grocer"]);
  expect((await card.holds.get("LIFE-H1")).status).toBe("HoldSettled");
  expect((await MambuCard.of("life-1", { connector }).authorizationHolds.get("LIFE-H1")).status).toBe("SETTLED");
  expect(await available(dep, card)).toBe("381.60");
  expect((await card.balance()).total.value.toFixed(2)).toBe("381.60");

  // a settled hold is never settled twice, adjusted or replaced
  expect(await reasonOf(card.transactions.create({ transactionId: "LIFE-T2", amount: MXN("1.00"), authorizationId: "LIFE-H1" }))).toBe("INVALID_AUTHORIZATION_HOLD_STATE");
  expect(await reasonOf(replaced.adjust(MXN("1.00")))).toBe("INVALID_AUTHORIZATION_HOLD_STATE");
  expect(await reasonOf(replaced.update({ amount: MXN("1.00") }))).toBe("INVALID_AUTHORIZATION_HOLD_STATE");
  expect(await statusOf(card.transactions.create({ transactionId: "LIFE-T1", amount: MXN("1.00") }))).toBe(409);
  expect(await available(dep, card)).toBe("381.60");

  // partial reversals credit the account back, up to the amount
  const part = await tx.reverse(MXN("18.40"));
  expect(part.amount.value.toFixed(2)).toBe("100.00");
  expect(await available(dep, card)).toBe("400.00");
  expect(await reasonOf(part.reverse(MXN("100.01")))).toBe("CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED");
  expect(await available(dep, card)).toBe("400.00");
  const rest = await part.reverse(MXN("100.00"));
  expect(rest.amount.value.toFixed(2)).toBe("0.00");
  expect(await available(dep, card)).toBe("500.00");
  expect(await reasonOf(rest.reverse(MXN("0.01")))).toBe("CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED");

  // API v2 shows the withdrawal and its two reversals
  const txs = await dep.getTransactions();
  const card_ = txs.filter((t) => t.type === "WITHDRAWAL" || t.type === "CARD_TRANSACTION_REVERSAL").map((t) => [t.type, t.amount?.toFixed(2)]);
  expect(card_).toEqual(expect.arrayContaining([["WITHDRAWAL", "-118.40"], ["CARD_TRANSACTION_REVERSAL", "18.40"], ["CARD_TRANSACTION_REVERSAL", "100.00"]]));
  await checkDepositInvariants(sb, "LIFE001");
});

test("advice: a hold, an adjustment and a transaction above the available balance are accepted only as advice", async () => {
  const { dep, card } = await cardOn("LIFE002", "50.00", "life-2");
  expect(await reasonOf(card.holds.create({ holdId: "ADV-H0", amount: MXN("50.01") }))).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  const hold = await card.holds.create({ holdId: "ADV-H1", amount: MXN("40.00") });
  expect(await available(dep, card)).toBe("10.00");
  expect(await reasonOf(hold.adjust(MXN("10.01")))).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  const advised = await hold.adjust(MXN("15.00"), { advice: true });
  expect(advised.amount.value.toFixed(2)).toBe("55.00");
  expect(await available(dep, card)).toBe("-5.00");
  expect(await reasonOf(card.transactions.create({ transactionId: "ADV-T0", amount: MXN("0.01") }))).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  // settling the hold counts its money as available: 55.00 may be withdrawn for it
  await card.transactions.create({ transactionId: "ADV-T1", amount: MXN("50.00"), authorizationId: "ADV-H1" });
  expect(await available(dep, card)).toBe("0.00");
  const over = await card.transactions.create({ transactionId: "ADV-T2", amount: MXN("20.00"), advice: true });
  expect(over.advice).toBe(true);
  // API v2 books what a deposit owes past zero as its overdraftAmount (totalBalance stays 0): both APIs say so
  expect(await available(dep, card)).toBe("0.00");
  expect(dep.balances?.overdraftAmount?.toFixed(2)).toBe("20.00");
  expect(await reasonOf(card.transactions.create({ amount: MXN("0.01") }))).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  await checkDepositInvariants(sb, "LIFE002");
});

test("exact money: more decimals than the currency has, zero, and another currency are refused before anything moves", async () => {
  const { dep, card } = await cardOn("LIFE003", "100.00", "life-3");
  expect(await reasonOf(card.holds.create({ amount: MXN("1.005") }))).toBe("INVALID_AMOUNT");
  expect(await reasonOf(card.holds.create({ amount: MXN("0.00") }))).toBe("INVALID_AMOUNT");
  expect(await statusOf(card.holds.create({ amount: { value: "1.00", currency: "USD" } }))).toBe(400);
  const hold = await card.holds.create({ amount: MXN("0.10") });
  expect(await reasonOf(hold.adjust(MXN("0.001")))).toBe("INVALID_AMOUNT");
  expect(await reasonOf(hold.adjust(MXN("-0.00")))).toBe("INVALID_AMOUNT");
  expect(await reasonOf(card.transactions.create({ amount: MXN("0.015") }))).toBe("INVALID_AMOUNT");
  // 0.1 + 0.2 held exactly (no binary float on the way)
  const more = await hold.adjust(MXN("0.20"));
  expect(more.amount.value.toFixed()).toBe("0.3");
  expect(await available(dep, card)).toBe("99.70");
});

test("replacing a hold: what is not changed is kept, a key given as undefined is removed, a rise is checked unless advice", async () => {
  const { dep, card } = await cardOn("LIFE007", "100.00", "life-7");
  const hold = await card.holds.create({
    holdId: "PUT-1", amount: MXN("86.25"), originalAmount: { value: "5.00", currency: "USD" }, exchangeRate: "17.25",
    userTransactionTime: "2026-01-15T09:30:00+02:00", source: "CardSource",
  });
  expect([hold.originalAmount?.value.toFixed(2), hold.originalAmount?.currency, hold.exchangeRate?.toFixed(), hold.userTransactionTime?.toUTC().toISO(), hold.source])
    .toEqual(["5.00", "USD", "17.25", "2026-01-15T07:30:00.000Z", "CardSource"]);
  expect(await reasonOf(hold.update({ amount: MXN("100.01") }))).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  const advised = await hold.update({ amount: MXN("100.01"), advice: true });
  expect([advised.amount.value.toFixed(2), advised.advice, advised.originalAmount?.value.toFixed(2), advised.exchangeRate?.toFixed()]).toEqual(["100.01", true, "5.00", "17.25"]);
  expect(await available(dep, card)).toBe("-0.01");
  const smaller = await advised.update({ amount: MXN("50.00"), originalAmount: undefined, advice: false });
  expect([smaller.amount.value.toFixed(2), smaller.originalAmount, smaller.exchangeRate?.toFixed(), smaller.source]).toEqual(["50.00", undefined, "17.25", "CardSource"]);
  expect(await available(dep, card)).toBe("50.00");
  // the body's hold_id must be the path's
  const other = services.cards.updateAuthorizationHold({ card_id: "life-7", hold_id: "PUT-1" }, { hold_id: "PUT-2", amount: MXN("1.00") }, { connector });
  expect(await reasonOf(other)).toBe("INVALID_PARAMETERS");
  expect(await statusOf(services.cards.updateAuthorizationHold({ card_id: "life-7", hold_id: "NOPE" }, { hold_id: "NOPE", amount: MXN("1.00") }, { connector }))).toBe(404);
  await checkDepositInvariants(sb, "LIFE007");
});

test("a retried adjustment, transaction or reversal (the same Idempotency-Key) moves money once", async () => {
  const { dep, card } = await cardOn("LIFE006", "100.00", "life-6");
  const hold = await card.holds.create({ amount: MXN("10.00") });
  const key = randomUUID();
  const first = await hold.adjust(MXN("5.00"), { adjustmentId: "IDEM-1", idempotencyKey: key });
  const again = await hold.adjust(MXN("5.00"), { adjustmentId: "IDEM-1", idempotencyKey: key });
  expect([first.amount.value.toFixed(2), again.amount.value.toFixed(2)]).toEqual(["15.00", "15.00"]);
  expect(await available(dep, card)).toBe("85.00");
  const txKey = randomUUID();
  const tx = await card.transactions.create({ transactionId: "IDEM-T", amount: MXN("20.00") }, { idempotencyKey: txKey });
  await card.transactions.create({ transactionId: "IDEM-T", amount: MXN("20.00") }, { idempotencyKey: txKey });
  expect(await available(dep, card)).toBe("65.00");
  const revKey = randomUUID();
  await tx.reverse(MXN("5.00"), { idempotencyKey: revKey });
  expect((await tx.reverse(MXN("5.00"), { idempotencyKey: revKey })).amount.value.toFixed(2)).toBe("15.00");
  expect(await available(dep, card)).toBe("70.00");
});

test("a credit card: the loan's amount is its limit, a hold reserves credit, a draw of the loan amount settles it and disburses the loan", async () => {
  const loan = await MambuLoan.get("54324", { connector });
  expect(loan.accountState).toBe("APPROVED");
  await loan.addCard("life-credit");
  const card = Services.Card.get("life-credit", { connector });
  const limit = new Decimal(String(loan.loanAmount));
  const b = await card.balance();
  expect([b.cardType, b.creditLimit?.value.toFixed(2), b.available.value.toFixed(2), b.total.value.toFixed(2)]).toEqual(["Credit", limit.toFixed(2), limit.toFixed(2), "0.00"]);
  const cur = b.available.currency;
  const hold = await card.holds.create({ holdId: "CR-H1", amount: { value: "300.00", currency: cur }, type: "Credit" });
  expect(hold.type).toBe("Credit");
  expect(await reasonOf(card.holds.create({ amount: { value: "1.00", currency: cur }, type: "Debit" }))).toBe("INVALID_PARAMETERS");
  expect((await card.balance()).available.value.toFixed(2)).toBe(limit.minus(300).toFixed(2));
  expect((await loan.refresh()).balances?.holdBalance?.toFixed(2)).toBe("300.00");
  expect(await reasonOf(hold.adjust({ value: limit.minus(299).toFixed(2), currency: cur }))).toBe("INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS");
  const draw = await card.transactions.create({ transactionId: "CR-T1", amount: { value: limit.toFixed(2), currency: cur }, authorizationId: "CR-H1" });
  expect(draw.amount.value.toFixed(2)).toBe(limit.toFixed(2));
  expect((await card.holds.get("CR-H1")).status).toBe("HoldSettled");
  await loan.refresh();
  expect([loan.accountState, loan.balances?.principalBalance?.toFixed(2), loan.balances?.holdBalance?.toFixed(2)]).toEqual(["ACTIVE", limit.toFixed(2), "0.00"]);
  const after = await card.balance();
  expect([after.available.value.toFixed(2), after.total.value.toFixed(2)]).toEqual(["0.00", limit.toFixed(2)]);
  expect(await reasonOf(draw.reverse({ value: "1.00", currency: cur }))).toBe("CARD_TRANSACTION_CANNOT_BE_ADJUSTED");
});

test("unknown cards, holds and transactions are 404 MambuErrors with Mambu's reasons", async () => {
  const nobody = Services.Card.get("no-such-card", { connector });
  const err = await nobody.balance().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MambuError);
  expect([(err as MambuError).status, await reasonOf(nobody.balance())]).toEqual([404, "CARD_REFERENCE_NOT_FOUND"]);
  expect(await reasonOf(nobody.holds.create({ amount: MXN("1.00") }))).toBe("CARD_REFERENCE_NOT_FOUND");
  expect(await reasonOf(nobody.transactions.create({ amount: MXN("1.00") }))).toBe("CARD_REFERENCE_NOT_FOUND");
  const { card } = await cardOn("LIFE004", "100.00", "life-4");
  expect(await statusOf(card.holds.get("no-such-hold"))).toBe(404);
  expect(await reasonOf(card.holds.get("no-such-hold"))).toBe("AUTHORIZATION_HOLD_NOT_FOUND");
  // a hold of another card is not this card's
  const other = await Services.Card.get("life-1", { connector }).holds.create({ holdId: "OTHER-H", amount: MXN("1.00") });
  expect(await reasonOf(card.holds.get(other.holdId))).toBe("AUTHORIZATION_HOLD_NOT_FOUND");
  expect(await reasonOf(card.transactions.create({ amount: MXN("1.00"), authorizationId: "OTHER-H" }))).toBe("AUTHORIZATION_HOLD_NOT_FOUND");
  const tx = await card.transactions.create({ transactionId: "LIFE4-T", amount: MXN("1.00") });
  expect(await reasonOf(tx.reverse(MXN("5.00")))).toBe("CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED");
  const ghost = services.cards.reverseCardTransaction({ card_id: "life-4", ref_id: "no-such-tx" }, { amount: MXN("1.00") }, { connector });
  expect(await reasonOf(ghost)).toBe("CARD_TRANSACTION_NOT_FOUND");
  // a transaction of another card is not this card's
  expect(await reasonOf(services.cards.reverseCardTransaction({ card_id: "life-1", ref_id: "LIFE4-T" }, { amount: MXN("1.00") }, { connector }))).toBe("CARD_TRANSACTION_NOT_FOUND");
});

test("a hold expires after its merchant's configured duration on the sandbox clock (else the default one): HoldExpired, its money available again", async () => {
  const { dep, card } = await cardOn("LIFE005", "300.00", "life-5");
  await Services.HoldConfig.create({ merchantCode: "5812", duration: Duration.fromObject({ days: 2 }), description: "restaurants" }, { connector });
  const def = await Services.HoldConfig.default({ connector });
  expect(def.duration.as("days")).toBe(7);
  const held = async (): Promise<string | undefined> => (await dep.refresh()).balances?.holdBalance?.toFixed(2);
  const start = await available(dep, card);
  const dinner = await card.holds.create({ holdId: "EXP-R", amount: MXN("80.00"), cardAcceptor: { name: "Bistro", m_c_c: 5812 } });
  const other = await card.holds.create({ holdId: "EXP-D", amount: MXN("20.00") });
  expect(await available(dep, card)).toBe(new Decimal(start).minus(100).toFixed(2));
  expect(await held()).toBe("100.00");

  sb.clock.advance({ days: 1, hours: 23 });
  expect((await card.holds.get("EXP-R")).status).toBe("HoldPending");
  sb.clock.advance({ hours: 1 });
  expect((await card.holds.get("EXP-R")).status).toBe("HoldExpired");
  expect((await card.holds.get("EXP-D")).status).toBe("HoldPending");
  expect(await held()).toBe("20.00");
  const total = (await card.balance()).total.value;
  expect(await available(dep, card)).toBe(total.minus(20).toFixed(2));
  // an expired hold is neither adjusted, replaced nor settled
  expect(await reasonOf(dinner.adjust(MXN("1.00")))).toBe("INVALID_AUTHORIZATION_HOLD_STATE");
  expect(await reasonOf(dinner.update({ amount: MXN("1.00") }))).toBe("INVALID_AUTHORIZATION_HOLD_STATE");
  expect(await reasonOf(card.transactions.create({ amount: MXN("1.00"), authorizationId: "EXP-R" }))).toBe("INVALID_AUTHORIZATION_HOLD_STATE");

  sb.clock.advance({ days: 5 });
  expect((await card.holds.get("EXP-D")).status).toBe("HoldExpired");
  expect(await reasonOf(other.revoke())).toBe("INVALID_AUTHORIZATION_HOLD_STATE");
  expect(await held()).toBe("0.00");
  const now = await card.balance();
  expect(await available(dep, card)).toBe(now.total.value.toFixed(2));
  await checkDepositInvariants(sb, "LIFE005");
});
