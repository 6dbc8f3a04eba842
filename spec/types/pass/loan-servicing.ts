// Must compile: loan servicing is typed (the new loan as MambuLoan, Decimal amounts, transactions as entities).
import {
  Decimal, MambuAuthorizationHold, MambuCard, MambuInstallment, MambuInvestorFund, MambuLoan, MambuPayOffAmounts, MambuTransaction,
} from "mambu-ts";

export async function loanServicing(): Promise<void> {
  const loan = await MambuLoan.get("L1");
  const rescheduled: Promise<MambuLoan> = loan.reschedule({ loanAccount: { disbursementDetails: { firstRepaymentDate: "2021-06-01" } } });
  const next: MambuLoan = await rescheduled;
  const refinanced: MambuLoan = await loan.refinance({ loanAccount: { disbursementDetails: { firstRepaymentDate: "2021-06-01" } }, topUpAmount: "500.00" });
  const same: MambuLoan = await next.undoReschedule("wrong terms");
  await refinanced.undoRefinance();
  await loan.undoWriteOff("by mistake");
  await loan.terminate({ valueDate: new Date(), notes: "fraud" });
  const payoff: MambuPayOffAmounts = await loan.previewPayOffAmounts({ valueDate: "2021-06-01" });
  const total: Decimal = payoff.total;
  const principal: Decimal = payoff.principal.plus(payoff.interest).plus(payoff.fee).plus(payoff.penalty);
  await loan.changeInterestRate(new Decimal("12.5"), { valueDate: "2021-06-01" });
  await loan.changeRepaymentValue({ amount: 100, valueDate: "2021-06-01" });
  await loan.changePeriodicPayment("150.25", { valueDate: "2021-06-01" });
  await loan.changeArrearsSettings({ arrearsTolerancePeriod: 3, entryDate: "2021-06-01" });
  await loan.changeDueDatesSettings({ fixedDaysOfMonth: [1, 15] });
  await loan.applyInterest({ interestApplicationDate: "2021-06-01" });
  const made: MambuTransaction = await loan.paymentMade(10);
  const redrawn: MambuTransaction = await loan.redraw("5.50");
  const withdrawn: MambuTransaction = await loan.withdrawal(new Decimal(1), { notes: "atm" });
  const locked: MambuTransaction[] = await loan.lock({ lockedOperations: ["APPLY_INTEREST"] });
  await loan.unlock({ notes: "ok" });
  const funds: MambuInvestorFund[] = await loan.addFundingSources([{ guarantorType: "CLIENT", guarantorKey: "K", amount: "100" }]);
  await loan.setFundingSources(await loan.getFundingSources());
  await loan.removeFundingSource(funds[0]);
  await loan.removeFundingSources();
  const cards: MambuCard[] = await loan.getCards();
  const card: MambuCard = await loan.addCard("tok-1");
  await loan.removeCard(card);
  const holds: MambuAuthorizationHold[] = await loan.getAuthorizationHolds({ status: "PENDING" });
  const html: string = await loan.getDocument("TPL1", { startDate: "2021-01-01" });
  const preview: MambuInstallment[] = await MambuLoan.previewSchedule({ productTypeKey: "P1", loanAmount: 1000 });
  const due: MambuInstallment[] = await MambuInstallment.getAll({ dueFrom: "2021-01-01", dueTo: "2021-01-31" });
  void [same, total, principal, made, redrawn, withdrawn, locked, cards, holds, html, preview, due];
}
