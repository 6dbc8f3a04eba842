/** Interest accrual breakdown (`POST /api/accounting/interestaccrual:search`). */
import { EntityClass, EntitySpec, GetAllOptions, GetOptions, MambuEntity } from "../core/entity";
import type { Chain } from "../core/chain";
import "../core/entity-methods";
import type { MambuList } from "../core/list";
import type { Listable, Listing } from "../core/query-types";
import type { InterestAccrualBreakdownStruct, InterestAccrualFilterCriteria, InterestAccrualSortingCriteria } from "../generated/types/accounting_interestaccrual";
import { MambuTsError } from "../errors";

/**
 * One entry of the interest accrual breakdown: the interest accrued on a loan or deposit account
 * (`accountId`, `accountKey`, `productType`, `productId`) logged to a GL account (`glAccountId`,
 * `glAccountName`, `glAccountType`) as a debit or a credit (`entryType`), `amount` (Decimal), on
 * `bookingDate`; `parentEntryId` is the GL journal entry summing the product's accruals. Mambu only
 * searches them: `MambuInterestAccrual.search({ filterCriteria, sortingCriteria })`.
 */
export class MambuInterestAccrual extends MambuEntity {
  static override resource = "accounting_interestaccrual";
  static override definition = "InterestAccrualBreakdown";
  static override spec = {
    prefix: "accounting/interestaccrual",
    search: { filterDefinition: "InterestAccrualFilterCriteria" },
  } as const satisfies EntitySpec;

  /** Mambu has no list of accrual entries: use {@link MambuInterestAccrual.search}. */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, _opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    throw new MambuTsError("MambuInterestAccrual.getAll: Mambu only searches interest accruals; use MambuInterestAccrual.search({ filterCriteria })");
  }

  /** Mambu has no read of one accrual entry: use {@link MambuInterestAccrual.search} with `entryId`. */
  static override get<T extends MambuEntity>(this: EntityClass<T>, _id: string | number, _opts?: GetOptions): Chain<T> {
    throw new MambuTsError('MambuInterestAccrual.get: Mambu only searches interest accruals; use MambuInterestAccrual.search({ filterCriteria: [{ field: "entryId", operator: "EQUALS", value }] })');
  }
}
export interface MambuInterestAccrual
  extends InterestAccrualBreakdownStruct,
    Listable<Listing<object, typeof MambuInterestAccrual.spec, InterestAccrualFilterCriteria, InterestAccrualSortingCriteria>> {}
