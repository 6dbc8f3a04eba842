/** Deposit (savings) products (`/api/depositproducts`), always read with detailsLevel FULL. */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { DepositProductStruct, QueryParameters } from "../generated/types/depositproducts";
import type { MambuDepositProductCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";

/** A Mambu deposit product. */
export class MambuDepositProduct extends MambuEntity {
  static override resource = "depositproducts";
  static override definition = "DepositProduct";
  static override spec = {
    prefix: "depositproducts",
    filters: ["branchId"],
    sortBy: [],
    ownerType: "SAVINGS_PRODUCT",
    alwaysFull: true,
    writable: true,
  } as const satisfies EntitySpec;
}
export interface MambuDepositProduct
  extends DepositProductStruct, MambuDepositProductCustomFields,
    Listable<Listing<QueryParameters["GET /depositproducts"], typeof MambuDepositProduct.spec>> {}
