/** Deposit (savings) products (`/api/depositproducts`), always read with detailsLevel FULL. */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { DepositProduct } from "../generated/types/depositproducts";

/** A Mambu deposit product. */
export class MambuDepositProduct extends MambuEntity {
  static override resource = "depositproducts";
  static override definition = "DepositProduct";
  static override spec: EntitySpec = {
    prefix: "depositproducts",
    filters: ["branchId"],
    sortBy: [],
    ownerType: "SAVINGS_PRODUCT",
    alwaysFull: true,
    writable: true,
  };
}
export interface MambuDepositProduct extends DepositProduct {
  /** Flattened custom fields. */
  [customField: string]: unknown;
}
