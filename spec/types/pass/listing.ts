// Must compile: what getAll() and search() accept, per entity.
import {
  DateTime, Decimal, MambuBranch, MambuClient, MambuCustomField, MambuCustomFieldSet, MambuDepositTransaction, MambuEntity, MambuGroup,
  MambuLoan, MambuTask, MambuTransaction, MambuUser,
} from "mambu-ts";

export async function listing(): Promise<void> {
  const loans: MambuLoan[] = await MambuLoan.getAll({
    filters: { accountState: "ACTIVE_IN_ARREARS", creditOfficerUsername: "a.alas" },
    sortBy: "creationDate:DESC",
    limit: 100,
    offset: 0,
    paginationDetails: "ON",
    detailsLevel: "FULL",
  });
  await MambuLoan.getAll({ sortBy: ["id:ASC", "loanName", "lastModifiedDate:desc"] });
  await MambuLoan.getAll({ accountHolderType: "CLIENT" }); // a documented query parameter, at the top
  await MambuClient.getAll({ filters: { birthDate: "1978-04-12", state: "ACTIVE" } });
  await MambuClient.getAll({ filters: { birthDate: DateTime.fromISO("1978-04-12") } });
  await MambuGroup.getAll({ filters: { branchId: "CCAZ" }, sortBy: "groupName" });
  await MambuBranch.getAll({ sortBy: "name:ASC" });
  await MambuUser.getAll({ filters: { branchId: "CCAZ" }, branchIdType: "MANAGE" });
  await MambuTask.getAll({ filters: { status: "OPEN" } });
  await MambuCustomFieldSet.getAll({ availableFor: "CLIENT" });
  await MambuCustomField.getAll({ availableFor: "GROUP", detailsLevel: "FULL" });
  const txs: MambuTransaction[] = await MambuTransaction.getAll({ loanAccountId: "54321", limit: 3 });
  await MambuDepositTransaction.getAll({ depositAccountId: "DEP1" });
  for await (const loan of MambuLoan.getAll({ filters: { accountState: "ACTIVE" } })) void loan.id;

  const big: MambuLoan[] = await MambuLoan.search({
    filterCriteria: [
      { field: "accountState", operator: "IN", values: ["ACTIVE", "ACTIVE_IN_ARREARS"] },
      { field: "loanAmount", operator: "MORE_THAN", value: 5000 },
      { field: "approvedDate", operator: "BETWEEN", value: DateTime.now(), secondValue: "2026-12-31" },
      { field: "_loanPerformanceScore.amountScore", operator: "MORE_THAN", value: new Decimal(3) },
      { field: "accountState", operator: "NOT_EMPTY" },
    ],
    sortingCriteria: { field: "loanAmount", order: "DESC" },
    limit: 20,
  });
  await MambuClient.search({ filterCriteria: [{ field: "lastName", operator: "STARTS_WITH", value: "GAR" }], sortingCriteria: { field: "_OtherDetails.Age" } });

  // Generic code over any entity keeps the loose options (checked at run time).
  await MambuEntity.getAll({ filters: { anything: "x" }, sortBy: "x:ASC", documented: 1 });
  void [loans, txs, big];
}
