/**
 * The sandbox's collections, one declaration each (see {@link ResourceDecl} in resource-decl.ts): clients,
 * groups, loans, deposits, their transactions, branches, centres, products, users, roles, tasks and custom field
 * definitions. The rules they share are in resource-rules.ts, the generic handlers in crud.ts, the served shape
 * of a record in records.ts.
 */
import { mambuError } from "./errors";
import { beforeDeleteCreditArrangement, checkAccountLink, prepareCreditArrangement } from "./engine/credit-arrangements";
import type { ResourceDecl } from "./resource-decl";
import {
  accountFilters, accountParents, byBranch, byCentre, byOfficer, checkAssignments, eqField, eqFieldCi, findUser, hasAccounts,
  holderOf, idOf, keyOf, syncGroupKeys, txParents,
} from "./resource-rules";
import type { CollectionName } from "./types";

const clients: ResourceDecl = {
  coll: "clients",
  path: "/clients",
  idParam: "clientId",
  swagger: "clients",
  definition: "Client",
  notFound: "INVALID_CLIENT_ID",
  ownerType: "CLIENT",
  customFieldsFor: "CLIENT",
  idInUse: "CLIENT_ID_ALREADY_IN_USE",
  filters: {
    branchId: byBranch,
    centreId: byCentre,
    creditOfficerUsername: byOfficer,
    firstName: eqFieldCi("firstName"),
    lastName: eqFieldCi("lastName"),
    idNumber: (r, v) => Array.isArray(r.idDocuments) && (r.idDocuments as Array<{ documentId?: string }>).some((d) => d.documentId === v),
    state: eqField("state"),
    birthDate: eqField("birthDate"),
  },
  sortFields: ["firstName", "lastName", "creationDate", "lastModifiedDate"],
  defaultSort: "lastModifiedDate:DESC",
  search: {
    resource: "clients",
    filterDefinition: "ClientFilterCriteria",
    sortDefinition: "ClientSortingCriteria",
    accessors: {
      creditOfficerKey: (r) => r.assignedUserKey,
      branchKey: (r) => r.assignedBranchKey,
      centreKey: (r) => r.assignedCentreKey,
      groupKey: (r) => r.groupKeys,
      groupId: (r, ctx) => ((r.groupKeys as string[] | undefined) ?? []).map((k) => ctx.store.find("groups", k)?.id),
      fullName: (r) => [r.firstName, r.middleName, r.lastName].filter((x) => x).join(" "),
      clientState: (r) => r.state,
      birthdate: (r) => r.birthDate,
      homePhoneNumber: (r) => r.homePhone,
      mobilePhoneNumber: (r) => r.mobilePhone,
      mobilePhoneNumber2: (r) => r.mobilePhone2,
      clientAddress: (r) => ((r.addresses as Array<Record<string, unknown>> | undefined) ?? []).map((a) => [a.line1, a.line2, a.city, a.region, a.postcode, a.country].filter((x) => x).join(", ")),
      portalState: (r) => (r.portalSettings as Record<string, unknown> | undefined)?.portalState,
      loansBalance: (r, ctx) => ctx.store.all("loans").filter((l) => l.accountHolderKey === r.encodedKey).reduce((s, l) => s + Number((l.balances as Record<string, unknown> | undefined)?.principalBalance ?? 0), 0),
      depositsBalance: (r, ctx) => ctx.store.all("deposits").filter((d) => d.accountHolderKey === r.encodedKey).reduce((s, d) => s + Number((d.balances as Record<string, unknown> | undefined)?.totalBalance ?? 0), 0),
    },
  },
  fullOnly: ["addresses", "idDocuments"],
  prepare: (ctx, rec, old) => {
    checkAssignments(ctx, rec);
    if (!old) {
      rec.state ??= "INACTIVE";
      rec.loanCycle ??= 0;
      rec.groupLoanCycle ??= 0;
      rec.preferredLanguage ??= "ENGLISH";
      rec.groupKeys ??= [];
      if (rec.state === "ACTIVE") rec.activationDate ??= ctx.clock.nowIso();
    } else {
      for (const f of ["groupKeys", "loanCycle", "groupLoanCycle", "approvedDate", "activationDate", "closedDate"]) {
        if (old[f] !== undefined) rec[f] = old[f];
      }
      if (rec.state === "ACTIVE" && old.state !== "ACTIVE") rec.activationDate = ctx.clock.nowIso();
    }
  },
  beforeDelete: (ctx, rec) => {
    if (hasAccounts(ctx, rec.encodedKey)) throw mambuError("CLIENT_HAS_ACCOUNTS");
    if (ctx.store.all("groups").some((g) => ((g.groupMembers as Array<{ clientKey?: string }> | undefined) ?? []).some((m) => m.clientKey === rec.encodedKey))) {
      throw mambuError("CLIENT_IS_MEMBER_OF_A_GROUP");
    }
  },
};

const groups: ResourceDecl = {
  coll: "groups",
  path: "/groups",
  idParam: "groupId",
  swagger: "groups",
  definition: "Group",
  notFound: "INVALID_GROUP_ID",
  ownerType: "GROUP",
  customFieldsFor: "GROUP",
  idInUse: "GROUP_ID_ALREADY_IN_USE",
  filters: { branchId: byBranch, centreId: byCentre, creditOfficerUsername: byOfficer },
  sortFields: ["creationDate", "lastModifiedDate", "groupName"],
  defaultSort: "creationDate:DESC",
  search: {
    resource: "groups",
    filterDefinition: "GroupFilterCriteria",
    sortDefinition: "GroupSortingCriteria",
    accessors: {
      branchKey: (r) => r.assignedBranchKey,
      centreKey: (r) => r.assignedCentreKey,
      creditOfficerKey: (r) => r.assignedUserKey,
      numberOfMembers: (r) => ((r.groupMembers as unknown[] | undefined) ?? []).length,
    },
  },
  fullOnly: ["addresses", "groupMembers", "groupRoles"],
  prepare: (ctx, rec, old) => {
    checkAssignments(ctx, rec);
    const members = rec.groupMembers as Array<{ clientKey?: string }> | undefined;
    if (members !== undefined && !Array.isArray(members)) throw mambuError("INVALID_PARAMETERS", "groupMembers: expected array");
    for (const m of members ?? []) {
      const c = m && typeof m.clientKey === "string" ? ctx.store.find("clients", m.clientKey) : undefined;
      if (!c) throw mambuError("INVALID_CLIENT_ID", `groupMembers.clientKey: ${String(m?.clientKey)}`, 400);
      m.clientKey = c.encodedKey;
    }
    if (!old) rec.loanCycle ??= 0;
    else if (old.loanCycle !== undefined) rec.loanCycle = old.loanCycle;
  },
  afterWrite: (ctx, rec, old) => syncGroupKeys(ctx, rec, old),
  beforeDelete: (ctx, rec) => {
    if (hasAccounts(ctx, rec.encodedKey)) throw mambuError("GROUP_HAS_ACCOUNTS");
  },
  afterDelete: (ctx, rec) => syncGroupKeys(ctx, undefined, rec),
};

const loans: ResourceDecl = {
  coll: "loans",
  path: "/loans",
  idParam: "loanAccountId",
  swagger: "loans",
  definition: "LoanAccount",
  notFound: "INVALID_LOAN_ACCOUNT_ID",
  ownerType: "LOAN_ACCOUNT",
  customFieldsFor: "LOAN_ACCOUNT",
  idInUse: "ACCOUNT_ID_ALREADY_IN_USE",
  filters: accountFilters,
  sortFields: ["id", "loanName", "creationDate", "lastModifiedDate"],
  defaultSort: "creationDate:ASC",
  search: {
    resource: "loans",
    filterDefinition: "LoanAccountFilterCriteria",
    sortDefinition: "LoanAccountSortingCriteria",
    accessors: {
      accountHolderId: (r, ctx) => holderOf(ctx, r)?.id,
      "balance.interestBalance": (r) => (r.balances as Record<string, unknown> | undefined)?.interestBalance,
      expectedMaturityDate: (r) => r.expectedMaturity ?? r.expectedMaturityDate,
    },
    parents: accountParents("loanproducts"),
  },
  immutable: ["accountState", "accountSubState", "balances", "fundingSources" /* through /loans/{id}/funding */],
  prepare: (ctx, rec, old) => {
    checkAssignments(ctx, rec);
    if (old) checkAccountLink(ctx, "loans", rec, old); // credit arrangement link of PUT/PATCH
  },
  beforeDelete: (_ctx, rec) => {
    if (!["PARTIAL_APPLICATION", "PENDING_APPROVAL", "APPROVED", "CLOSED_REJECTED", "CLOSED_WITHDRAWN"].includes(String(rec.accountState))) {
      throw mambuError("INVALID_ACCOUNT_STATE", `a loan in state ${String(rec.accountState)} cannot be deleted`);
    }
  },
  afterDelete: (ctx, rec) => {
    for (const t of ctx.store.all("loanTransactions")) if (t.parentAccountKey === rec.encodedKey) ctx.store.remove("loanTransactions", t.encodedKey);
  },
};

const deposits: ResourceDecl = {
  coll: "deposits",
  path: "/deposits",
  idParam: "depositAccountId",
  swagger: "deposits",
  definition: "DepositAccount",
  notFound: "INVALID_DEPOSIT_ACCOUNT_ID",
  ownerType: "DEPOSIT_ACCOUNT",
  customFieldsFor: "DEPOSIT_ACCOUNT",
  idInUse: "ACCOUNT_ID_ALREADY_IN_USE",
  filters: accountFilters,
  search: {
    resource: "deposits",
    filterDefinition: "DepositAccountFilterCriteria",
    sortDefinition: "DepositAccountSortingCriteria",
    accessors: {
      clientId: (r, ctx) => (r.accountHolderType === "CLIENT" ? holderOf(ctx, r)?.id : undefined),
      groupId: (r, ctx) => (r.accountHolderType === "GROUP" ? holderOf(ctx, r)?.id : undefined),
      accountHolderName: (r, ctx) => {
        const h = holderOf(ctx, r);
        return h ? (h.groupName ?? [h.firstName, h.lastName].filter((x) => x).join(" ")) : undefined;
      },
    },
    parents: accountParents("depositproducts"),
  },
  immutable: ["accountState", "balances"],
  prepare: (ctx, rec, old) => {
    checkAssignments(ctx, rec);
    if (old) checkAccountLink(ctx, "deposits", rec, old); // credit arrangement link of PUT/PATCH
  },
  beforeDelete: (_ctx, rec) => {
    if (!["PENDING_APPROVAL", "APPROVED", "CLOSED_REJECTED", "CLOSED_WITHDRAWN"].includes(String(rec.accountState))) {
      throw mambuError("INVALID_ACCOUNT_STATE", `a deposit account in state ${String(rec.accountState)} cannot be deleted`);
    }
  },
};

const loanTransactions: ResourceDecl = {
  coll: "loanTransactions",
  path: "/loans/transactions",
  idParam: "loanTransactionId",
  swagger: "loans_transactions",
  definition: "LoanTransaction",
  notFound: "INVALID_TRANSACTION_ID",
  search: {
    resource: "loans_transactions",
    filterDefinition: "LoanTransactionFilterCriteria",
    sortDefinition: "LoanTransactionSortingCriteria",
    accessors: {
      parentAccountID: idOf("loans", "parentAccountKey"),
      parentAccountId: idOf("loans", "parentAccountKey"),
      productID: idOf("loanproducts", "productTypeKey"),
      productId: idOf("loanproducts", "productTypeKey"),
      branchID: idOf("branches", "branchKey"),
      branchId: idOf("branches", "branchKey"),
      centreID: idOf("centres", "centreKey"),
      centreId: idOf("centres", "centreKey"),
      adjustmentTransactionID: idOf("loanTransactions", "adjustmentTransactionKey"),
      originalTransactionID: idOf("loanTransactions", "originalTransactionKey"),
      wasAdjusted: (r) => !!r.adjustmentTransactionKey,
      typeIsAdjustment: (r) => String(r.type ?? "").endsWith("_ADJUSTMENT"),
    },
    parents: txParents("loans"),
  },
};

const depositTransactions: ResourceDecl = {
  coll: "depositTransactions",
  path: "/deposits/transactions",
  idParam: "depositTransactionId",
  swagger: "deposits_transactions",
  definition: "DepositTransaction",
  notFound: "INVALID_TRANSACTION_ID",
  search: {
    resource: "deposits_transactions",
    filterDefinition: "DepositTransactionFilterCriteria",
    sortDefinition: "DepositTransactionSortingCriteria",
    accessors: {
      parentAccountID: idOf("deposits", "parentAccountKey"),
      parentAccountId: idOf("deposits", "parentAccountKey"),
      productID: idOf("depositproducts", "productTypeKey"),
      productId: idOf("depositproducts", "productTypeKey"),
      branchID: idOf("branches", "branchKey"),
      branchId: idOf("branches", "branchKey"),
      centreID: idOf("centres", "centreKey"),
      centreId: idOf("centres", "centreKey"),
      adjustmentTransactionID: idOf("depositTransactions", "adjustmentTransactionKey"),
      originalTransactionID: idOf("depositTransactions", "originalTransactionKey"),
      wasAdjusted: (r) => !!r.adjustmentTransactionKey,
      typeIsAdjustment: (r) => String(r.type ?? "").endsWith("_ADJUSTMENT"),
    },
    parents: txParents("deposits"),
  },
};

const branches: ResourceDecl = {
  coll: "branches",
  path: "/branches",
  idParam: "branchId",
  swagger: "branches",
  definition: "Branch",
  notFound: "INVALID_BRANCH_ID",
  ownerType: "BRANCH",
  customFieldsFor: "BRANCH",
  sortFields: ["id", "name", "creationDate", "lastModifiedDate"],
  defaultSort: "creationDate:DESC",
  fullOnly: ["addresses", "branchHolidays"],
};

const centres: ResourceDecl = {
  coll: "centres",
  path: "/centres",
  idParam: "centreId",
  swagger: "centres",
  definition: "Centre",
  notFound: "INVALID_CENTRE_ID",
  ownerType: "CENTRE",
  customFieldsFor: "CENTRE",
  filters: { branchId: byBranch },
  sortFields: ["id", "name", "creationDate", "lastModifiedDate"],
  defaultSort: "creationDate:DESC",
  fullOnly: ["addresses"],
};

const loanproducts: ResourceDecl = {
  coll: "loanproducts",
  path: "/loanproducts",
  idParam: "loanProductId",
  swagger: "loanproducts",
  definition: "LoanProduct",
  notFound: "INVALID_PRODUCT_ID",
  ownerType: "LOAN_PRODUCT",
  idInUse: "ACCOUNT_ID_ALREADY_IN_USE",
  sortFields: ["id", "productName", "creationDate", "lastModifiedDate"],
  defaultSort: "creationDate:DESC",
};

const depositproducts: ResourceDecl = {
  coll: "depositproducts",
  path: "/depositproducts",
  idParam: "depositProductId",
  swagger: "depositproducts",
  definition: "DepositProduct",
  notFound: "INVALID_PRODUCT_ID",
  ownerType: "SAVINGS_PRODUCT",
  idInUse: "ACCOUNT_ID_ALREADY_IN_USE",
  filters: {
    branchId: (r, v, ctx) => {
      const avail = r.availabilitySettings as { branchSettings?: { forAllBranches?: boolean; availableProductBranches?: string[] } } | undefined;
      const bs = avail?.branchSettings;
      if (!bs || bs.forAllBranches !== false) return true;
      const key = keyOf(ctx, "branches", v);
      return !!key && (bs.availableProductBranches ?? []).includes(key);
    },
  },
};

const users: ResourceDecl = {
  coll: "users",
  path: "/users",
  idParam: "userId",
  swagger: "users",
  definition: "User",
  createDefinition: "User Request",
  notFound: "INVALID_USER_ID",
  ownerType: "USER",
  customFieldsFor: "USER",
  lookup: (ctx, v) => ctx.store.all("users").find((u) => u.username === v),
  filters: {
    branchId: (r, v, ctx, q) => {
      const key = keyOf(ctx, "branches", v);
      if (!key) return false;
      if (q.branchIdType === "MANAGE") {
        const access = (r.access ?? {}) as { canManageAllBranches?: boolean; managedBranches?: Array<{ branchKey?: string }> };
        if (access.canManageAllBranches) return true;
        if ((access.managedBranches ?? []).some((b) => b.branchKey === key)) return true;
      }
      return r.assignedBranchKey === key;
    },
  },
  fullOnly: ["role"],
  hidden: ["password"],
  prepare: (ctx, rec, old) => {
    checkAssignments(ctx, rec);
    if (!old) {
      rec.userState ??= "ACTIVE";
      rec.language ??= "ENGLISH";
    } else if (old.username !== undefined && rec.username !== undefined && rec.username !== old.username) {
      throw mambuError("INVALID_PARAMETERS", "username cannot be changed");
    }
    const role = rec.role as { encodedKey?: string; id?: string } | undefined;
    if (role && (role.encodedKey || role.id)) {
      const r = ctx.store.find("userroles", String(role.encodedKey ?? role.id));
      if (!r) throw mambuError("INVALID_ROLE_ID", `role: ${String(role.encodedKey ?? role.id)}`, 400);
      rec.role = { encodedKey: r.encodedKey, id: r.id };
    }
    delete rec.password;
  },
};

const userroles: ResourceDecl = {
  coll: "userroles",
  path: "/userroles",
  idParam: "roleId",
  swagger: "userroles",
  definition: "Role",
  notFound: "INVALID_ROLE_ID",
};

const tasks: ResourceDecl = {
  coll: "tasks",
  path: "/tasks",
  idParam: "taskId",
  swagger: "tasks",
  definition: "Task",
  notFound: "INVALID_TASK_ID",
  numericId: true,
  filters: {
    username: (r, v, ctx) => {
      const u = findUser(ctx, v);
      return !!u && r.assignedUserKey === u.encodedKey;
    },
    clientId: (r, v, ctx) => r.taskLinkType === "CLIENT" && r.taskLinkKey === keyOf(ctx, "clients", v),
    groupId: (r, v, ctx) => r.taskLinkType === "GROUP" && r.taskLinkKey === keyOf(ctx, "groups", v),
    status: eqField("status"),
  },
  prepare: (ctx, rec, old) => {
    if (rec.assignedUserKey) {
      const u = findUser(ctx, String(rec.assignedUserKey));
      if (!u) throw mambuError("INVALID_USER_ID", `assignedUserKey: ${String(rec.assignedUserKey)}`, 400);
      rec.assignedUserKey = u.encodedKey;
    }
    if (!old) rec.status ??= "OPEN";
  },
};

const customfields: ResourceDecl = {
  coll: "customfields",
  path: "/customfields",
  idParam: "customfieldId",
  swagger: "customfields",
  definition: "CustomFieldMeta",
  notFound: "INVALID_CUSTOM_FIELD_ID",
};

const customfieldsets: ResourceDecl = {
  coll: "customfieldsets",
  path: "/customfieldsets",
  idParam: "customFieldSetId",
  swagger: "customfieldsets",
  definition: "CustomFieldSetMeta",
  notFound: "INVALID_CUSTOM_FIELD_SET_ID",
  filters: {
    availableFor: (r, v) => v.split(",").includes(String(r.availableFor)),
    "displaySettings.builtIn": (r, v) => String((r.displaySettings as { builtIn?: boolean } | undefined)?.builtIn ?? false) === v.toLowerCase(),
  },
};

const creditarrangements: ResourceDecl = {
  coll: "creditarrangements",
  path: "/creditarrangements",
  idParam: "creditArrangementId",
  swagger: "creditarrangements",
  definition: "CreditArrangement",
  notFound: "INVALID_CREDIT_ARRANGEMENT_ID",
  customFieldsFor: "CREDIT_ARRANGEMENT",
  idInUse: "CREDIT_ARRANGEMENT_ID_ALREADY_IN_USE",
  sortFields: ["creationDate", "startDate", "expireDate", "amount"],
  defaultSort: "startDate:DESC",
  search: { resource: "creditarrangements", filterDefinition: "CreditArrangementFilterCriteria", sortDefinition: "CreditArrangementSortingCriteria" },
  prepare: prepareCreditArrangement,
  beforeDelete: beforeDeleteCreditArrangement,
};

/** Every declared collection, by collection name. */
export const RESOURCES: Partial<Record<CollectionName, ResourceDecl>> = {
  clients, groups, loans, deposits, loanTransactions, depositTransactions, branches, centres, loanproducts,
  depositproducts, users, userroles, tasks, customfields, customfieldsets, creditarrangements,
};

/** Declarations that own documents and comments, by owner type (CLIENT, GROUP, LOAN_ACCOUNT, ...). */
export function declByOwnerType(ownerType: string): ResourceDecl | undefined {
  return Object.values(RESOURCES).find((d) => d?.ownerType === ownerType);
}
