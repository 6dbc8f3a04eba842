/**
 * The custom fields of the tenants the tests read (the demo tenant and the records the unit tests
 * make up), declared by module augmentation as a user's `mambu types` file declares a tenant's — but
 * loosely (`unknown`): the tests write every kind of value to see what the library does with it.
 * Types only; the spec's TypeScript check (`tsc -p spec/tsconfig.json`) reads it.
 */
export {};

/** A custom field row of a grouped set (`ASSETAGE_0`, `RefOfficer_1`, ...). */
type RowField = `${"ASSETYPE" | "ASSETAGE" | "ASSETVALUE" | "RefOfficer"}_${number}`;

declare module "../../lib/entities/custom-fields" {
  interface MambuClientCustomFields {
    _OtherDetails: unknown;
    _Assets: unknown;
    _Extra: unknown;
    _Odd: unknown;
    _Guarantor: unknown;
    Age: unknown;
    EmployerName: unknown;
    Score: unknown;
    GuarantorClient: unknown;
    Assets: unknown;
    [row: RowField]: unknown;
    getGuarantorClient: unknown;
    getRefOfficer: unknown;
  }
  interface MambuLoanCustomFields {
    amountScore: unknown;
    getSolidarityGroup: unknown;
  }
  interface MambuGroupCustomFields {
    industry: unknown;
  }
  interface MambuDepositCustomFields {
    Goal: unknown;
  }
  interface MambuTransactionCustomFields {
    Folio: unknown;
  }
}
