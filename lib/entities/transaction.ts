/** Loan transactions (`/api/loans/transactions`, listed per loan at `/api/loans/{id}/transactions`). */
import { EntitySpec, MambuEntity } from "../core/entity";
import { relate } from "../core/relations";
import type { LoanTransaction } from "../generated/types/loans_transactions";
import { MambuLoan } from "./loan";

/** A loan transaction (disbursement, repayment, fee, ...). */
export class MambuTransaction extends MambuEntity {
  static override resource = "loans_transactions";
  static override definition = "LoanTransaction";
  static override spec: EntitySpec = {
    prefix: "loans/transactions",
    search: { filterDefinition: "LoanTransactionFilterCriteria" },
  };

  /** The loan this transaction belongs to (also set as `transaction.loan`). */
  getLoan() {
    return relate(this, "loan", "parentAccountKey", () => MambuLoan);
  }
}
export interface MambuTransaction extends LoanTransaction {
  loan?: MambuLoan;
}
