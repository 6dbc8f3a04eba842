/**
 * The typed home of custom fields: one empty interface per entity that carries custom field sets,
 * merged into the entity's type. A tenant's sets and fields are added by module augmentation, the
 * way octokit types its plugins — `mambu types --out mambu-tenant.d.ts` writes it from the tenant's
 * definitions:
 *
 * ```ts
 * declare module "mambu-ts" {
 *   interface MambuClientCustomFields {
 *     get Age(): Decimal | undefined;
 *     set Age(value: Decimal | number | string | undefined);
 *   }
 * }
 * ```
 *
 * Then `client.Age` is typed and `client.Agee` does not compile. A field the augmentation does not
 * name is still reachable, untyped: `client.customField("Age")` (`unknown`).
 */

/** Custom fields of clients (sets `availableFor` CLIENT), flattened onto `MambuClient`; augment it. */
export interface MambuClientCustomFields {}
/** Custom fields of groups (GROUP), flattened onto `MambuGroup`; augment it. */
export interface MambuGroupCustomFields {}
/** Custom fields of loan accounts (LOAN_ACCOUNT), flattened onto `MambuLoan`; augment it. */
export interface MambuLoanCustomFields {}
/** Custom fields of deposit accounts (DEPOSIT_ACCOUNT), flattened onto `MambuDeposit`; augment it. */
export interface MambuDepositCustomFields {}
/** Custom fields of branches (BRANCH), flattened onto `MambuBranch`; augment it. */
export interface MambuBranchCustomFields {}
/** Custom fields of centres (CENTRE), flattened onto `MambuCentre`; augment it. */
export interface MambuCentreCustomFields {}
/** Custom fields of users (USER), flattened onto `MambuUser`; augment it. */
export interface MambuUserCustomFields {}
/** Custom fields of loan transactions (TRANSACTION_CHANNEL), flattened onto `MambuTransaction`; augment it. */
export interface MambuTransactionCustomFields {}
/** Custom fields of deposit transactions (TRANSACTION_CHANNEL), flattened onto `MambuDepositTransaction`; augment it. */
export interface MambuDepositTransactionCustomFields {}
/** Custom fields of deposit products, flattened onto `MambuDepositProduct`; augment it. */
export interface MambuDepositProductCustomFields {}
/** Custom fields of credit arrangements (CREDIT_ARRANGEMENT), flattened onto `MambuCreditArrangement`; augment it. */
export interface MambuCreditArrangementCustomFields {}

/**
 * Which interface each `availableFor` of a custom field set augments (`mambu types` follows it).
 * Sets for other targets (GUARANTOR, ASSET) live on records mambu-ts has no entity class for.
 */
export const CUSTOM_FIELD_INTERFACES: Readonly<Record<string, readonly string[]>> = {
  CLIENT: ["MambuClientCustomFields"],
  GROUP: ["MambuGroupCustomFields"],
  LOAN_ACCOUNT: ["MambuLoanCustomFields"],
  DEPOSIT_ACCOUNT: ["MambuDepositCustomFields"],
  BRANCH: ["MambuBranchCustomFields"],
  CENTRE: ["MambuCentreCustomFields"],
  USER: ["MambuUserCustomFields"],
  TRANSACTION_CHANNEL: ["MambuTransactionCustomFields", "MambuDepositTransactionCustomFields"],
  CREDIT_ARRANGEMENT: ["MambuCreditArrangementCustomFields"],
};
