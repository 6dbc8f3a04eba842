// Must compile: deposit servicing, cards and credit arrangements are typed (Decimal amounts, DateTime dates).
import {
  Decimal, DateTime, MambuAuthorizationHold, MambuBlockFund, MambuCard, MambuCardBalances, MambuClient, MambuCreditArrangement, MambuDeposit,
  MambuDepositTransaction, MambuLoan,
} from "mambu-ts";

export async function depositServicing(): Promise<void> {
  const dep = await MambuDeposit.get("DEP1");
  const block: MambuBlockFund = await dep.blockFunds("BLK-1", "150.25", { notes: "court order" });
  const blocked: Decimal = block.amount;
  const created: DateTime | undefined = block.creationDate;
  const seized: MambuDepositTransaction = await dep.seize("BLK-1", new Decimal(10), { transactionChannelId: "cash" });
  const same: MambuDeposit = await dep.changeInterestRate(3.5, { valueDate: "2021-06-01" });
  await dep.startMaturity({ maturityDate: DateTime.fromISO("2021-09-01") });
  await dep.undoMaturity();
  await dep.reopen("back");
  const holds: MambuAuthorizationHold[] = await dep.getAuthorizationHolds({ status: "PENDING" });
  const cards: MambuCard[] = await dep.getCards();
  const loans: MambuLoan[] = await dep.getFundedLoans();
  const html: string = await dep.getDocument("TPL1");
  const bulk = await MambuDeposit.bulkDeposit([{ accountId: dep, amount: "10.10" }]);
  const status = await MambuDeposit.waitForBulk(bulk.bulkProcessKey, { onProgress: (s) => void s.status });
  void [blocked, created, seized, same, holds, cards, loans, html, status.processedItems];
}

export async function cardsAndHolds(): Promise<void> {
  const card = MambuCard.of("tok-1");
  const hold: MambuAuthorizationHold = await card.authorizationHolds.create({ externalReferenceId: "AH-1", amount: "25.50" });
  const amount: Decimal = hold.amount;
  await card.authorizationHolds.increase("AH-1", 1);
  await card.authorizationHolds.reverse("AH-1");
  const tx = await card.financialTransactions.create({ externalReferenceId: "CT-1", amount: 1, transactionChannelId: "cards" });
  const balances: MambuCardBalances = await card.balanceInquiry();
  const available: Decimal | undefined = balances.availableBalance;
  void [amount, tx.linkedTransaction, available];
}

export async function creditArrangements(): Promise<void> {
  const ca = await MambuCreditArrangement.get("CA1");
  const limit: Decimal = ca.amount;
  const expires: DateTime = ca.expireDate;
  await ca.approve("ok");
  const { loans, deposits } = await ca.getAccounts();
  const sorted = await MambuCreditArrangement.getAll({ sortBy: "expireDate:ASC" });
  const client = await MambuClient.get("C1");
  const mine: MambuCreditArrangement[] = await client.getCreditArrangements({ limit: 10 });
  void [limit, expires, loans, deposits, sorted, mine];
}
