/** Deposit transactions (`/api/deposits/transactions`, listed per account at `/api/deposits/{id}/transactions`). */
import { EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import { TransactionListOptions, transactionsGetAll } from "../core/operations";
import { relate } from "../core/relations";
import type { DepositTransactionFilterCriteria, DepositTransactionSortingCriteria, DepositTransactionStruct } from "../generated/types/deposits_transactions";
import type { MambuDepositTransactionCustomFields } from "./custom-fields";
import type { MambuConnector } from "../transport";
import type { Listable, Listing } from "../core/query-types";
import { MambuDeposit } from "./deposit";
import { adjustDepositTransactionSelf, DepositAdjustOptions } from "./deposit-operations";
import { depositTransactionDocument } from "./deposit-servicing";

/** Options of `MambuDepositTransaction.getAll()`: the account (an id, encodedKey or the account) and pagination. */
export interface DepositTransactionsOptions extends TransactionListOptions {
  depositAccountId: string | MambuDeposit;
  connector?: MambuConnector;
}

/** A deposit transaction (deposit, withdrawal, transfer, fee, interest, ...). */
export class MambuDepositTransaction extends MambuEntity {
  static override resource = "deposits_transactions";
  static override definition = "DepositTransaction";
  static override spec = {
    prefix: "deposits/transactions",
    search: { filterDefinition: "DepositTransactionFilterCriteria" },
  } as const satisfies EntitySpec;

  /**
   * The transactions of one deposit account (`GET /deposits/{depositAccountId}/transactions`):
   * `getAll({ depositAccountId: "DEP1", limit? ... })` (an id, encodedKey or the account).
   * No filters or sortBy: use `search()` for criteria.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    return transactionsGetAll(this, "deposits", "depositAccountId", { ...opts });
  }

  /** The deposit account this transaction belongs to (also set as `transaction.deposit`). */
  getDeposit() {
    return relate(this, "deposit", "parentAccountKey", () => MambuDeposit);
  }

  /**
   * Adjusts (reverses) this transaction (`POST /deposits/transactions/{id}:adjust`), then re-reads
   * it (and `transaction.deposit` when getDeposit() fetched it). Returns the transaction Mambu
   * answers with.
   */
  adjust(notes?: string, opts?: DepositAdjustOptions): Promise<MambuDepositTransaction> {
    return adjustDepositTransactionSelf(this, notes, opts);
  }

  /** A document template rendered for this transaction (`GET /deposits/transactions/{id}/templates/{templateId}`), as text. */
  getDocument(templateId: string): Promise<string> {
    return depositTransactionDocument(this, templateId);
  }
}
export interface MambuDepositTransaction
  extends DepositTransactionStruct, MambuDepositTransactionCustomFields,
    Listable<Listing<object, typeof MambuDepositTransaction.spec, DepositTransactionFilterCriteria, DepositTransactionSortingCriteria> & { getAllOptions: DepositTransactionsOptions }> {
  /** Set by getDeposit(). */
  deposit?: MambuDeposit;
}
