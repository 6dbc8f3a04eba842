/** Loan transactions (`/api/loans/transactions`, listed per loan at `/api/loans/{id}/transactions`). */
import { EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import { transactionsGetAll } from "../core/operations";
import { relate } from "../core/relations";
import type { LoanTransaction } from "../generated/types/loans_transactions";
import { MambuLoan } from "./loan";
import { adjustLoanTransactionSelf, LoanAdjustOptions } from "./loan-operations";

/** A loan transaction (disbursement, repayment, fee, ...). */
export class MambuTransaction extends MambuEntity {
  static override resource = "loans_transactions";
  static override definition = "LoanTransaction";
  static override spec: EntitySpec = {
    prefix: "loans/transactions",
    search: { filterDefinition: "LoanTransactionFilterCriteria" },
  };

  /**
   * The transactions of one loan (`GET /loans/{loanAccountId}/transactions`), as MambuPy's
   * `MambuTransaction.get_all(loanAccountId)`: `getAll({ loanAccountId: "54321", limit? ... })`
   * (an id, encodedKey or the loan). No filters or sortBy: use `search()` for criteria.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts: GetAllOptions & { loanAccountId?: string | MambuLoan } = {}): MambuList<T> {
    return transactionsGetAll(this, "loans", "loanAccountId", opts);
  }

  /** The loan this transaction belongs to (also set as `transaction.loan`). */
  getLoan() {
    return relate(this, "loan", "parentAccountKey", () => MambuLoan);
  }

  /**
   * Adjusts (reverses) this transaction (`POST /loans/transactions/{id}:adjust`), then re-reads it
   * (and `transaction.loan` when getLoan() fetched it). Returns the transaction Mambu answers with.
   */
  adjust(notes?: string, opts?: LoanAdjustOptions): Promise<MambuTransaction> {
    return adjustLoanTransactionSelf(this, notes, opts);
  }
}
export interface MambuTransaction extends LoanTransaction {
  /** Set by getLoan(). */
  loan?: MambuLoan;
  /** Flattened custom fields of the transaction. */
  [customField: string]: unknown;
}
