/** Fund blocks of a deposit account (`/api/deposits/{id}/blocks`). */
import { MambuValueObject } from "../core/struct";
import type { BlockFundStruct } from "../generated/types/deposits";

/**
 * An amount blocked on a deposit account (Swagger `BlockFund`), referenced by its
 * `externalReferenceId`: `amount` and `seizedAmount` (Decimal), `state` (PENDING, SEIZED,
 * PARTIALLY_SEIZED, REMOVED), `creationDate`/`lastModifiedDate` (DateTime in the account's offset),
 * `accountKey`, `notes`. Made by `deposit.blockFunds(...)`, listed by `deposit.getBlocks()`, released
 * by `deposit.unblockFunds(id)`, seized by `deposit.seize(id, amount, ...)`.
 */
export class MambuBlockFund extends MambuValueObject {
  static override resource = "deposits";
  static override definition = "BlockFund";
}
export interface MambuBlockFund extends BlockFundStruct {}
