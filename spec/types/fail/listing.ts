// Must not compile: each line marked `// error TS<code>: <text>` fails with that error (and no other line fails).
import { MambuBranch, MambuClient, MambuCustomFieldSet, MambuDeposit, MambuLoan, MambuTask, MambuTransaction } from "mambu-ts";

export function listing(): void {
  MambuLoan.getAll({ filters: { acountState: "ACTIVE" } }); // error TS2561: 'acountState' does not exist
  MambuLoan.getAll({ filters: { accountState: "OPEN" } }); // error TS2322: Type '"OPEN"' is not assignable
  MambuLoan.getAll({ limt: 5 }); // error TS2561: 'limt' does not exist
  MambuLoan.getAll({ sortBy: "amount:DESC" }); // error TS2322: Type '"amount:DESC"' is not assignable
  MambuLoan.getAll({ sortBy: "creationDate:UP" }); // error TS2820: Type '"creationDate:UP"' is not assignable
  MambuLoan.getAll({ sortBy: "creationDate:DESC,id:ASC" }); // error TS2820: Type '"creationDate:DESC,id:ASC"' is not assignable
  MambuClient.getAll({ filters: { colour: "red" } }); // error TS2353: 'colour' does not exist
  MambuDeposit.getAll({ sortBy: "id" }); // error TS2322: Type 'string' is not assignable to type 'undefined'
  MambuBranch.getAll({ filters: { branchId: "CCAZ" } }); // error TS2322: is not assignable to type 'undefined'
  MambuTask.getAll({ filters: { status: "DONE" } }); // error TS2322: Type '"DONE"' is not assignable
  MambuCustomFieldSet.getAll({ availableFor: "PLANET" }); // error TS2322: Type '"PLANET"' is not assignable
  MambuTransaction.getAll({ limit: 3 }); // error TS2345: Property 'loanAccountId' is missing in type '{ limit: number; }'
  MambuTransaction.getAll({ loanAccountId: "1", sortBy: "id" }); // error TS2353: 'sortBy' does not exist
  MambuLoan.search({ filterCriteria: [{ field: "loanAmount", operator: "GREATER", value: 5 }] }); // error TS2322: Type '"GREATER"' is not assignable
  MambuLoan.search({ filterCriteria: [{ field: "amount", operator: "MORE_THAN", value: 5 }] }); // error TS2322: Type '"amount"' is not assignable
  MambuLoan.search({ filterCriteria: [{ field: "loanAmount", operator: "EQUALS", valeu: 5 }] }); // error TS2561: 'valeu' does not exist
  MambuLoan.search({ sortingCriteria: { field: "amount", order: "DESC" } }); // error TS2322: Type '"amount"' is not assignable
  MambuLoan.search({ filterCriteria: [], limt: 5 }); // error TS2561: 'limt' does not exist
  MambuBranch.search({}); // error TS2345: Argument of type '{}' is not assignable to parameter of type 'undefined'
}
