// Must compile: fields read and written as the runtime takes them.
import { DateTime, Decimal, MambuClient, MambuLoan } from "mambu-ts";

export async function fields(): Promise<void> {
  const loan = await MambuLoan.get("54321");
  const amount: Decimal = loan.loanAmount;
  loan.loanAmount = 5;
  loan.loanAmount = "5000.00";
  loan.loanAmount = new Decimal("5000.00");
  const rate: Decimal | undefined = loan.interestSettings?.interestRate;
  const approved: DateTime | undefined = loan.approvedDate;
  loan.approvedDate = "2026-01-15T10:00:00";
  loan.approvedDate = new Date();
  loan.approvedDate = DateTime.now();
  const state: "PARTIAL_APPLICATION" | "PENDING_APPROVAL" | "APPROVED" | "ACTIVE" | "ACTIVE_IN_ARREARS" | "CLOSED" | "CLOSED_WRITTEN_OFF" | "CLOSED_REJECTED" | undefined =
    loan.accountState;
  const client = await MambuClient.get("0512N0025");
  const lastName: string = client["lastName"]; // bracket access of a native field
  const first: string = client["firstName"];
  client.birthDate = "1980-02-01";
  const chained: string = await MambuClient.get("0512N0025").lastName;
  void [amount, rate, approved, state, lastName, first, chained];
}
