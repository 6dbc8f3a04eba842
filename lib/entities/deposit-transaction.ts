/** Deposit transactions (`/api/deposits/transactions`, listed per account at `/api/deposits/{id}/transactions`). */
import { EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import { transactionsGetAll } from "../core/operations";
import { relate } from "../core/relations";
import type { DepositTransaction } from "../generated/types/deposits_transactions";
import { MambuDeposit } from "./deposit";
import { adjustDepositTransactionSelf, DepositAdjustOptions } from "./deposit-operations";

/** A deposit transaction (deposit, withdrawal, transfer, fee, interest, ...). */
export class MambuDepositTransaction extends MambuEntity {
  static override resource = "deposits_transactions";
  static override definition = "DepositTransaction";
  static override spec: EntitySpec = {
    prefix: "deposits/transactions",
    search: { filterDefinition: "DepositTransactionFilterCriteria" },
  };

  /**
   * The transactions of one deposit account (`GET /deposits/{depositAccountId}/transactions`):
   * `getAll({ depositAccountId: "DEP1", limit? ... })` (an id, encodedKey or the account).
   * No filters or sortBy: use `search()` for criteria.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts: GetAllOptions & { depositAccountId?: string | MambuDeposit } = {}): MambuList<T> {
    return transactionsGetAll(this, "deposits", "depositAccountId", opts);
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
}
export interface MambuDepositTransaction extends DepositTransaction {
  /** Set by getDeposit(). */
  deposit?: MambuDeposit;
  /** Flattened custom fields of the transaction. */
  [customField: string]: unknown;
}
