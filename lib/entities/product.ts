/** Loan products (`/api/loanproducts`), always read with detailsLevel FULL. */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { LoanProductStruct, QueryParameters } from "../generated/types/loanproducts";
import type { Listable, Listing } from "../core/query-types";

/** A Mambu loan product. */
export class MambuProduct extends MambuEntity {
  static override resource = "loanproducts";
  static override definition = "LoanProduct";
  static override spec = {
    prefix: "loanproducts",
    sortBy: ["creationDate", "lastModifiedDate", "id", "productName"],
    ownerType: "LOAN_PRODUCT",
    alwaysFull: true,
    writable: true,
  } as const satisfies EntitySpec;
}
export interface MambuProduct extends LoanProductStruct, Listable<Listing<QueryParameters["GET /loanproducts"], typeof MambuProduct.spec>> {}
