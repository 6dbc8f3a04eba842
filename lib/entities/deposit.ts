/** Deposit (savings) accounts (`/api/deposits`). */
import { Assigned, Held, withAssignments } from "./assignments";
import type { ActionOptions } from "../core/actions";
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import { accountTransactions, Amount, EntityRef, TransactionListOptions } from "../core/operations";
import { relate } from "../core/relations";
import type { DepositAccountFilterCriteria, DepositAccountSortingCriteria, DepositAccountStruct, QueryParameters } from "../generated/types/deposits";
import type { MambuDepositCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";
import {
  adjustDepositTransaction, applyDepositFee, applyDepositInterest, DepositAction, DepositAdjustOptions, DepositFeeOptions,
  DepositInterestOptions, depositInto, DepositOptions, setDepositState, transferFrom, TransferOptions, withdrawFrom, WithdrawalOptions,
} from "./deposit-operations";
import { MambuDepositProduct } from "./deposit-product";
import { MambuDepositTransaction } from "./deposit-transaction";

/** A Mambu deposit (savings, current, fixed deposit, ...) account. */
export class MambuDeposit extends MambuEntity {
  static override resource = "deposits";
  static override definition = "DepositAccount";
  static override spec = {
    prefix: "deposits",
    filters: ["branchId", "centreId", "accountState", "accountHolderType", "accountHolderId", "creditOfficerUsername"],
    sortBy: [],
    search: { filterDefinition: "DepositAccountFilterCriteria" },
    ownerType: "DEPOSIT_ACCOUNT",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * The account's transactions (`GET /deposits/{id}/transactions`, paginated like getAll); awaited,
   * they are also set as `deposit.transactions`.
   */
  getTransactions(opts: TransactionListOptions = {}): MambuList<MambuDepositTransaction> {
    return accountTransactions(MambuDepositTransaction, this.entityPath(), opts, "MambuDeposit.getTransactions", { entity: this, property: "transactions" });
  }

  // Operations: each posts to its documented endpoint, re-reads the account (local unsaved
  // changes are dropped: update()/patch() first) and returns it or the created transaction.

  /**
   * Changes the account's state (`POST /deposits/{id}:changeState`): APPROVE, UNDO_APPROVE, LOCK,
   * UNLOCK, CLOSE, CLOSE_WITHDRAW, CLOSE_REJECT, CLOSE_WRITE_OFF. Returns the refreshed account.
   */
  setState(action: DepositAction, notes?: string, opts?: ActionOptions): Promise<this> {
    return setDepositState(this, action, notes, opts) as Promise<this>;
  }
  /** `setState("APPROVE", notes)`. */
  approve(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("APPROVE", notes, opts);
  }
  /** `setState("UNDO_APPROVE", notes)`. */
  undoApprove(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNDO_APPROVE", notes, opts);
  }
  /** `setState("LOCK", notes)`. */
  lock(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("LOCK", notes, opts);
  }
  /** `setState("UNLOCK", notes)`. */
  unlock(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("UNLOCK", notes, opts);
  }
  /** `setState("CLOSE", notes)`. */
  close(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("CLOSE", notes, opts);
  }
  /** `setState("CLOSE_WITHDRAW", notes)`. */
  closeWithdraw(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("CLOSE_WITHDRAW", notes, opts);
  }
  /** `setState("CLOSE_REJECT", notes)`. */
  closeReject(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("CLOSE_REJECT", notes, opts);
  }
  /** `setState("CLOSE_WRITE_OFF", notes)`. */
  closeWriteOff(notes?: string, opts?: ActionOptions): Promise<this> {
    return this.setState("CLOSE_WRITE_OFF", notes, opts);
  }

  /** Deposits `amount` (`POST /deposits/{id}/deposit-transactions`); returns the DEPOSIT transaction. */
  deposit(amount: Amount, opts?: DepositOptions): Promise<MambuDepositTransaction> {
    return depositInto(this, amount, opts);
  }
  /** Withdraws `amount` (`POST /deposits/{id}/withdrawal-transactions`); returns the WITHDRAWAL transaction. */
  withdrawal(amount: Amount, opts?: WithdrawalOptions): Promise<MambuDepositTransaction> {
    return withdrawFrom(this, amount, opts);
  }
  /**
   * Transfers `amount` to another deposit account (`toDeposit`) or to a loan (`toLoan`, a
   * repayment) (`POST /deposits/{id}/transfer-transactions`); returns this account's TRANSFER
   * transaction. A string destination is sent as `linkedAccountId`; an entity by its encodedKey.
   */
  transfer(amount: Amount, opts: TransferOptions): Promise<MambuDepositTransaction> {
    return transferFrom(this, amount, opts);
  }
  /**
   * Applies a fee (`POST /deposits/{id}/fee-transactions`); returns the FEE_APPLIED transaction.
   * `amount` may be undefined for a predefined fee (`predefinedFeeKey`) that has its own amount.
   */
  applyFee(amount: Amount | undefined, opts?: DepositFeeOptions): Promise<MambuDepositTransaction> {
    return applyDepositFee(this, amount, opts);
  }
  /**
   * Applies accrued interest up to `interestApplicationDate` (`POST /deposits/{id}:applyInterest`,
   * answered without a body); returns the refreshed account.
   */
  applyInterest(opts: DepositInterestOptions): Promise<this> {
    return applyDepositInterest(this, opts) as Promise<this>;
  }
  /**
   * Adjusts (reverses) one of this account's transactions, given by id, encodedKey or entity
   * (`POST /deposits/transactions/{id}:adjust`; one given by id is read first to check it is this
   * account's). Returns the transaction Mambu answers with.
   */
  adjustTransaction(transaction: EntityRef, notes?: string, opts?: DepositAdjustOptions): Promise<MambuDepositTransaction> {
    return adjustDepositTransaction(this, transaction, notes, opts);
  }

  /** The deposit product (also `deposit.productType`). */
  getProductType() {
    return relate(this, "productType", "productTypeKey", () => MambuDepositProduct);
  }
}
withAssignments(MambuDeposit, { holder: true });
export interface MambuDeposit
  extends DepositAccountStruct, Assigned, Held, MambuDepositCustomFields,
    Listable<Listing<QueryParameters["GET /deposits"], typeof MambuDeposit.spec, DepositAccountFilterCriteria, DepositAccountSortingCriteria>> {
  /** Set when getTransactions() is awaited. */
  transactions?: MambuDepositTransaction[];
  productType?: MambuDepositProduct;
}
