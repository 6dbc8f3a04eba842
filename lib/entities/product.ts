/** Loan products (`/api/loanproducts`), always read with detailsLevel FULL. */
import { EntitySpec, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import type { LoanProduct } from "../generated/types/loanproducts";

/** A Mambu loan product. */
export class MambuProduct extends MambuEntity {
  static override resource = "loanproducts";
  static override definition = "LoanProduct";
  static override spec: EntitySpec = {
    prefix: "loanproducts",
    sortBy: ["creationDate", "lastModifiedDate", "id", "productName"],
    ownerType: "LOAN_PRODUCT",
    alwaysFull: true,
    writable: true,
  };
}
export interface MambuProduct extends LoanProduct {}
