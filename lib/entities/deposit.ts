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
import type { MambuAuthorizationHold } from "./authorization-hold";
import type { MambuBlockFund } from "./block-fund";
import type { MambuCard } from "./card";
import type { MambuInstallment } from "./installment";
import type { MambuLoan } from "./loan";
import type { BulkProcessStatus } from "../generated/types/bulks";
import type { MambuConnector } from "../transport";
import {
  addDepositCard, AuthorizationHoldListOptions, blockDepositFunds, BlockFundOptions, bulkDeposit, BulkDepositInput, BulkDepositOptions,
  BulkDepositResult, bulkStatus, changeDepositInterestRate, ChangeInterestRateOptions, depositAuthorizationHolds, depositBlocks, depositCards,
  depositDocument, DepositDocumentOptions, depositFundedLoans, depositFundedSchedule, removeDepositCard, reopenDeposit, seizeDepositBlock,
  SeizeOptions, startDepositMaturity, StartMaturityOptions, unblockDepositFunds, undoDepositMaturity, waitForBulk, WaitForBulkOptions,
} from "./deposit-servicing";

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

  // Servicing (lib/entities/deposit-servicing.ts): fund blocks, seizure, maturity, reopen, interest
  // rate, authorization holds, cards, funded loans, documents and bulk deposits.

  /**
   * Blocks `amount` on the account under `externalReferenceId` (`POST /deposits/{id}/blocks`): the
   * available balance drops by it until unblocked or seized. Returns the block; the account is re-read
   * (its `balances.blockedBalance`) unless `reread: false`.
   */
  blockFunds(externalReferenceId: string, amount: Amount, opts?: BlockFundOptions): Promise<MambuBlockFund> {
    return blockDepositFunds(this, externalReferenceId, amount, opts);
  }
  /** The account's fund blocks (`GET /deposits/{id}/blocks`); also set as `deposit.blocks`. */
  getBlocks(): Promise<MambuBlockFund[]> {
    return depositBlocks(this);
  }
  /** Removes a fund block (`DELETE /deposits/{id}/blocks/{externalReferenceId}`); returns the refreshed account. */
  unblockFunds(externalReferenceId: string, opts?: ActionOptions): Promise<this> {
    return unblockDepositFunds(this, externalReferenceId, opts) as Promise<this>;
  }
  /**
   * Seizes `amount` of the block `blockId` (`POST /deposits/{id}/seizure-transactions`; the contract
   * requires `transactionChannelId`); returns the WITHDRAWAL-like seizure transaction Mambu creates.
   */
  seize(blockId: string, amount: Amount | undefined, opts: SeizeOptions): Promise<MambuDepositTransaction> {
    return seizeDepositBlock(this, blockId, amount, opts);
  }
  /** Starts the maturity period of a fixed deposit (`POST /deposits/{id}:startMaturity`); returns the refreshed account. */
  startMaturity(opts?: StartMaturityOptions): Promise<this> {
    return startDepositMaturity(this, opts) as Promise<this>;
  }
  /** Undoes the maturity period (`POST /deposits/{id}:undoMaturity`, which takes no body); returns the refreshed account. */
  undoMaturity(opts?: ActionOptions): Promise<this> {
    return undoDepositMaturity(this, opts) as Promise<this>;
  }
  /** Reopens a closed account (`POST /deposits/{id}:reopen`); returns the refreshed account. */
  reopen(notes?: string, opts?: ActionOptions): Promise<this> {
    return reopenDeposit(this, notes, opts) as Promise<this>;
  }
  /**
   * Changes the interest rate from `valueDate` on (`POST /deposits/{id}:changeInterestRate`, answered
   * without a body); returns the refreshed account.
   */
  changeInterestRate(interestRate: Amount, opts: ChangeInterestRateOptions): Promise<this> {
    return changeDepositInterestRate(this, interestRate, opts) as Promise<this>;
  }
  /** The card authorization holds on the account (`GET /deposits/{id}/authorizationholds`, by `status`, paginated). */
  getAuthorizationHolds(opts?: AuthorizationHoldListOptions): MambuList<MambuAuthorizationHold> {
    return depositAuthorizationHolds(this, opts);
  }
  /** The cards linked to the account (`GET /deposits/{id}/cards`), as {@link MambuCard} handles. */
  getCards(): Promise<MambuCard[]> {
    return depositCards(this);
  }
  /** Links a card (its reference token, or a MambuCard) to the account (`POST /deposits/{id}/cards`); returns its handle. */
  addCard(card: string | MambuCard, opts?: Pick<ActionOptions, "idempotencyKey">): Promise<MambuCard> {
    return addDepositCard(this, card, opts);
  }
  /** Unlinks a card (`DELETE /deposits/{id}/cards/{cardReferenceToken}`). */
  removeCard(card: string | MambuCard): Promise<void> {
    return removeDepositCard(this, card);
  }
  /** The loans this (investor) account funds (`GET /deposits/{id}/funding`). */
  getFundedLoans(): Promise<MambuLoan[]> {
    return depositFundedLoans(this);
  }
  /** The schedule of a loan this account funds (`GET /deposits/{id}/funding/{loanAccountId}/schedule`). */
  getFundedSchedule(loan: EntityRef): Promise<MambuInstallment[]> {
    return depositFundedSchedule(this, loan);
  }
  /** A document template rendered for the account (`GET /deposits/{id}/templates/{templateId}`), as text. */
  getDocument(templateId: string, opts?: DepositDocumentOptions): Promise<string> {
    return depositDocument(this, templateId, opts);
  }

  /**
   * Deposits into many accounts at once (`POST /deposits/deposit-transactions:bulk`, answered 202):
   * returns the bulk process key to follow with {@link MambuDeposit.waitForBulk}.
   */
  static bulkDeposit(transactions: readonly BulkDepositInput[], opts?: BulkDepositOptions): Promise<BulkDepositResult> {
    return bulkDeposit(this, transactions, opts);
  }
  /** The status of a bulk process (`GET /bulks/{bulkProcessKey}`): `status`, `processedItems`, `errors`. */
  static getBulkStatus(bulkProcessKey: string, opts?: { connector?: MambuConnector }): Promise<BulkProcessStatus> {
    return bulkStatus(bulkProcessKey, opts);
  }
  /**
   * Reads `GET /bulks/{bulkProcessKey}` until the bulk is no longer QUEUED or IN_PROGRESS (every
   * `intervalMs`, at most `maxPolls` times), telling `onProgress` each status; resolves to the last one.
   */
  static waitForBulk(bulkProcessKey: string, opts?: WaitForBulkOptions): Promise<BulkProcessStatus> {
    return waitForBulk(bulkProcessKey, opts);
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
  /** Set by getBlocks(). */
  blocks?: MambuBlockFund[];
  productType?: MambuDepositProduct;
}
