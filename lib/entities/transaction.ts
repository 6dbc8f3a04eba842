/** Loan transactions (`/api/loans/transactions`, listed per loan at `/api/loans/{id}/transactions`). */
import { EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import { TransactionListOptions, transactionsGetAll } from "../core/operations";
import { relate } from "../core/relations";
import type { LoanTransactionFilterCriteria, LoanTransactionSortingCriteria, LoanTransactionStruct } from "../generated/types/loans_transactions";
import type { MambuTransactionCustomFields } from "./custom-fields";
import type { MambuConnector } from "../transport";
import type { Listable, Listing } from "../core/query-types";
import { MambuLoan } from "./loan";
import { adjustLoanTransactionSelf, LoanAdjustOptions } from "./loan-operations";

/** Options of `MambuTransaction.getAll()`: the loan (an id, encodedKey or the loan) and pagination. */
export interface LoanTransactionsOptions extends TransactionListOptions {
  loanAccountId: string | MambuLoan;
  connector?: MambuConnector;
}

/** A loan transaction (disbursement, repayment, fee, ...). */
export class MambuTransaction extends MambuEntity {
  static override resource = "loans_transactions";
  static override definition = "LoanTransaction";
  static override spec = {
    prefix: "loans/transactions",
    search: { filterDefinition: "LoanTransactionFilterCriteria" },
  } as const satisfies EntitySpec;

  /**
   * The transactions of one loan (`GET /loans/{loanAccountId}/transactions`), as MambuPy's
   * `MambuTransaction.get_all(loanAccountId)`: `getAll({ loanAccountId: "54321", limit? ... })`
   * (an id, encodedKey or the loan). No filters or sortBy: use `search()` for criteria.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    return transactionsGetAll(this, "loans", "loanAccountId", { ...opts });
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
export interface MambuTransaction
  extends LoanTransactionStruct, MambuTransactionCustomFields,
    Listable<Listing<object, typeof MambuTransaction.spec, LoanTransactionFilterCriteria, LoanTransactionSortingCriteria> & { getAllOptions: LoanTransactionsOptions }> {
  /** Set by getLoan(). */
  loan?: MambuLoan;
}
