/**
 * End to end: cards through the ORM against the sandbox — a deposit's cards (add, list, remove),
 * authorization holds reserving money until settled, decreased or reversed (the account's available
 * balance follows), the holds listed by status and page, a card transaction posting to the account,
 * its partial reversal, and the balance inquiry. Amounts are exact Decimals.
 */
import { Decimal, MambuCard, MambuConnector, MambuDeposit, MambuDepositProduct } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { checkDepositInvariants } from "../helpers/deposit-invariants";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

async function newDeposit(id: string, opening: string): Promise<MambuDeposit> {
  const template = await MambuDeposit.get("DEP001", { connector: conn });
  const product = await MambuDepositProduct.get("SAVINGS", { connector: conn });
  const dep = new MambuDeposit({ id, name: `Cards ${id}`, accountHolderKey: template.accountHolderKey, accountHolderType: "CLIENT", productTypeKey: product.encodedKey, currencyCode: "MXN" });
  await dep.create({ connector: conn });
  await dep.approve();
  await dep.deposit(opening);
  return dep;
}

const money = (d: Decimal | undefined): string | undefined => d?.toFixed(2);

test("a deposit's cards: added, listed, removed", async () => {
  const dep = await newDeposit("CRD001", "100");
  const card = await dep.addCard("tok-list-1");
  await dep.addCard("tok-list-2");
  expect(card).toBeInstanceOf(MambuCard);
  expect((await dep.getCards()).map((c) => c.referenceToken).sort()).toEqual(["tok-list-1", "tok-list-2"]);
  expect(await reasonOf(dep.addCard("tok-list-1"))).toBe("CARD_REFERENCE_TOKEN_ALREADY_IN_USE");
  await dep.removeCard("tok-list-2");
  const left = await dep.getCards();
  expect(left.map((c) => c.referenceToken)).toEqual(["tok-list-1"]);
  // a handle from getCards() works like MambuCard.of: through the account's connection
  expect(money((await left[0].balanceInquiry()).totalBalance)).toBe("100.00");
});

test("holds reserve money until settled, decreased or reversed; the account's available balance follows", async () => {
  const dep = await newDeposit("CRD002", "500.00");
  const card = await dep.addCard("tok-holds");
  const h1 = await card.authorizationHolds.create({ externalReferenceId: "H-1", amount: "120.40", cardAcceptor: { name: "Café", mcc: 5814 } });
  expect([h1.externalReferenceId, money(h1.amount), h1.status]).toEqual(["H-1", "120.40", "PENDING"]);
  await card.authorizationHolds.create({ externalReferenceId: "H-2", amount: new Decimal("30.05") });
  await card.authorizationHolds.create({ externalReferenceId: "H-3", amount: 9.55 });
  await dep.refresh();
  expect(money(dep.balances?.holdBalance)).toBe("160.00");
  expect(money(dep.balances?.availableBalance)).toBe("340.00");

  expect(money((await card.authorizationHolds.increase("H-2", "4.95")).amount)).toBe("35.00");
  expect(money((await card.authorizationHolds.decrease("H-1", "20.40")).amount)).toBe("100.00");
  await card.authorizationHolds.reverse("H-3");
  expect((await card.authorizationHolds.get("H-3")).status).toBe("REVERSED");
  await dep.refresh();
  expect(money(dep.balances?.holdBalance)).toBe("135.00");
  expect(money(dep.balances?.availableBalance)).toBe("365.00");

  // the holds of the account, by status, page by page
  const pending = await dep.getAuthorizationHolds({ status: "PENDING" });
  expect(pending.map((h) => h.externalReferenceId).sort()).toEqual(["H-1", "H-2"]);
  expect(pending.reduce((a, h) => a.plus(h.amount), new Decimal(0)).toFixed(2)).toBe("135.00");
  expect((await dep.getAuthorizationHolds({ limit: 1 })).length).toBe(1);
  expect((await dep.getAuthorizationHolds({ offset: 1 })).length).toBe(2);
  expect((await dep.getAuthorizationHolds({ status: "REVERSED" })).map((h) => h.externalReferenceId)).toEqual(["H-3"]);

  // a card transaction settles H-1 and posts a withdrawal to the account
  const payment = await card.financialTransactions.create({ externalReferenceId: "T-1", amount: "100.00", transactionChannelId: "cash", externalAuthorizationReferenceId: "H-1" });
  expect(payment.linkedTransaction?.linkedTransactionType).toBe("DEPOSIT");
  expect((await card.authorizationHolds.get("H-1")).status).toBe("SETTLED");
  const posted = (await dep.getTransactions()).find((t) => t.encodedKey === payment.linkedTransaction?.linkedTransactionKey);
  expect(money(posted?.amount)).toBe("-100.00");
  await dep.refresh();
  expect([money(dep.balances?.totalBalance), money(dep.balances?.holdBalance), money(dep.balances?.availableBalance)]).toEqual(["400.00", "35.00", "365.00"]);

  await card.financialTransactions.reverse("T-1", "0.01");
  const balances = await card.balanceInquiry();
  expect([balances.accountId, balances.cardType, money(balances.totalBalance), money(balances.availableBalance)]).toEqual(["CRD002", "DEBIT", "400.01", "365.01"]);
  await checkDepositInvariants(sandbox, "CRD002");
});

test("Mambu's refusals: an unknown card, an unknown hold, more than the available balance", async () => {
  const dep = await newDeposit("CRD003", "50");
  const card = await dep.addCard("tok-refuse");
  expect(await reasonOf(MambuCard.of("tok-nobody", { connector: conn }).balanceInquiry())).toBe("CARD_REFERENCE_NOT_FOUND");
  await expect(card.authorizationHolds.get("nope")).rejects.toMatchObject({ status: 404 });
  const reason = await reasonOf(card.authorizationHolds.create({ externalReferenceId: "BIG", amount: "50.01" }));
  expect(reason).toBe("AVAILABLE_BALANCE_BELOW_ZERO");
  // advice: accepted without balance validation
  const advised = await card.authorizationHolds.create({ externalReferenceId: "ADV", amount: "60.00", advice: true });
  expect(advised.status).toBe("PENDING");
  await dep.refresh();
  expect(money(dep.balances?.availableBalance)).toBe("-10.00");
  await checkDepositInvariants(sandbox, "CRD003");
});
