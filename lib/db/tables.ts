/**
 * The tables of a restored Mambu database that the read models know, with the columns MambuPy's ORM maps
 * (MambuPy/orm/schema_*.py) and the kind of each: the one place the models' row types come from. A real
 * backup has more columns; they are kept in each record's `raw` and reachable through `db.kysely`.
 */
import type { Decimal } from "decimal.js";
import type { DateTime } from "luxon";

/** How a column is read: text, an integer, money/rates (`Decimal`) or a date-time (luxon `DateTime`). */
export type ColumnKind = "string" | "int" | "decimal" | "datetime";

/** The TypeScript type of a column kind (every column may be NULL). */
export type KindType<K extends ColumnKind> = (K extends "string"
  ? string
  : K extends "int"
    ? number
    : K extends "decimal"
      ? Decimal
      : DateTime) | null;

/** A table's columns and their kinds. */
export type Columns = Readonly<Record<string, ColumnKind>>;

/** The row type of a table's columns. */
export type RowOf<C extends Columns> = { -readonly [K in keyof C]: KindType<C[K]> };

const columns = <C extends Record<string, ColumnKind>>(c: C): Readonly<C> => Object.freeze(c);

/** `client` (schema_clients.Client). */
export const CLIENT = columns({
  encodedKey: "string",
  id: "string",
  firstName: "string",
  middleName: "string",
  lastName: "string",
  homePhone: "string",
  mobilePhone1: "string",
  mobilePhone2: "string",
  emailAddress: "string",
  gender: "string",
  state: "string",
  loanCycle: "int",
  birthDate: "datetime",
  creationDate: "datetime",
  activationDate: "datetime",
  approvedDate: "datetime",
  assignedBranchKey: "string",
});

/** `group` (schema_groups.Group). */
export const GROUP = columns({
  encodedKey: "string",
  id: "string",
  groupName: "string",
  homePhone: "string",
  mobilePhone1: "string",
  loanCycle: "int",
  creationDate: "datetime",
  notes: "string",
  assignedCentreKey: "string",
  assignedUserKey: "string",
  assignedBranchKey: "string",
});

/** `groupmember`: which clients are members of which groups (schema_clients.ClientsGroups). */
export const GROUP_MEMBER = columns({ clientkey: "string", groupkey: "string" });

/** `branch` (schema_branches.Branch). */
export const BRANCH = columns({
  encodedKey: "string",
  id: "string",
  name: "string",
  notes: "string",
  phoneNumber: "string",
  emailAddress: "string",
  state: "string",
  creationDate: "datetime",
  lastModifiedDate: "datetime",
});

/** `centre` (schema_centres.Centre). */
export const CENTRE = columns({
  encodedKey: "string",
  id: "string",
  name: "string",
  notes: "string",
  state: "string",
  creationDate: "datetime",
  lastModifiedDate: "datetime",
  assignedBranchKey: "string",
});

/** `user` (schema_users.User). */
export const USER = columns({
  encodedKey: "string",
  id: "string",
  firstName: "string",
  lastName: "string",
  userName: "string",
  homePhone: "string",
  mobilePhone1: "string",
  userState: "string",
  email: "string",
  creationDate: "datetime",
  isCreditOfficer: "int",
  assignedBranchKey: "string",
  role_encodedKey_oid: "string",
});

/** `loanproduct` (schema_loans.LoanProduct). */
export const LOAN_PRODUCT = columns({ encodedKey: "string", id: "string", productName: "string", activated: "int" });

/** `loanaccount` (schema_loans.LoanAccount). */
export const LOAN_ACCOUNT = columns({
  encodedKey: "string",
  id: "string",
  accountState: "string",
  accountSubstate: "string",
  loanAmount: "decimal",
  notes: "string",
  principalBalance: "decimal",
  principalPaid: "decimal",
  principalDue: "decimal",
  interestBalance: "decimal",
  interestPaid: "decimal",
  interestDue: "decimal",
  interestRate: "decimal",
  interestCalculationMethod: "string",
  interestBalanceCalculationMethod: "string",
  repaymentInstallments: "int",
  repaymentPeriodUnit: "string",
  repaymentPeriodCount: "int",
  accountHolderType: "string",
  accountHolderKey: "string",
  feesBalance: "decimal",
  feesPaid: "decimal",
  feesDue: "decimal",
  penaltyBalance: "decimal",
  penaltyPaid: "decimal",
  penaltyDue: "decimal",
  creationDate: "datetime",
  approvedDate: "datetime",
  closedDate: "datetime",
  rescheduledAccountKey: "string",
  lastSetToArrearsDate: "datetime",
  productTypeKey: "string",
  disbursementDetailsKey: "string",
  assignedBranchKey: "string",
  assignedCentreKey: "string",
  assignedUserKey: "string",
});

/** `repayment`: a loan's installments (schema_loans.Repayment). */
export const REPAYMENT = columns({
  encodedKey: "string",
  dueDate: "datetime",
  principalDue: "decimal",
  principalPaid: "decimal",
  interestDue: "decimal",
  interestPaid: "decimal",
  feesDue: "decimal",
  feesPaid: "decimal",
  penaltyDue: "decimal",
  penaltyPaid: "decimal",
  repaidDate: "datetime",
  lastPaidDate: "datetime",
  state: "string",
  parentAccountKey: "string",
});

/** `loantransaction` (schema_loans.LoanTransaction). */
export const LOAN_TRANSACTION = columns({
  encodedKey: "string",
  transactionId: "int",
  creationDate: "datetime",
  entryDate: "datetime",
  principalAmount: "decimal",
  interestAmount: "decimal",
  feesAmount: "decimal",
  penaltyAmount: "decimal",
  reversalTransactionKey: "string",
  amount: "decimal",
  type: "string",
  comment: "string",
  parentAccountKey: "string",
  details_encodedkey_oid: "string",
});

/** `customfieldset` (schema_customfields.CustomFieldSet). */
export const CUSTOM_FIELD_SET = columns({ encodedKey: "string", id: "string", name: "string", type: "string", indexInList: "int" });

/** `customfield` (schema_customfields.CustomField). */
export const CUSTOM_FIELD = columns({
  encodedKey: "string",
  name: "string",
  description: "string",
  id: "string",
  type: "string",
  indexInList: "int",
  state: "string",
  valueLength: "string",
  dataType: "string",
  creationDate: "datetime",
  lastModifiedDate: "datetime",
  customFieldSet_encodedKey_oid: "string",
});

/** `customfieldvalue`: the custom field values of clients, groups, loans, branches, users (schema_customfields.CustomFieldValue). */
export const CUSTOM_FIELD_VALUE = columns({
  encodedKey: "string",
  parentKey: "string",
  indexInList: "int",
  value: "string",
  linkedEntityKeyValue: "string",
  amount: "decimal",
  customFieldSetGroupIndex: "int",
  customFieldKey: "string",
});

/** `address` (schema_addresses.Address). */
export const ADDRESS = columns({
  encodedKey: "string",
  parentKey: "string",
  city: "string",
  country: "string",
  line1: "string",
  line2: "string",
  postcode: "string",
  region: "string",
});

/** Table name → its columns: every table the read models know. */
export const TABLES = Object.freeze({
  client: CLIENT,
  group: GROUP,
  groupmember: GROUP_MEMBER,
  branch: BRANCH,
  centre: CENTRE,
  user: USER,
  loanproduct: LOAN_PRODUCT,
  loanaccount: LOAN_ACCOUNT,
  repayment: REPAYMENT,
  loantransaction: LOAN_TRANSACTION,
  customfieldset: CUSTOM_FIELD_SET,
  customfield: CUSTOM_FIELD,
  customfieldvalue: CUSTOM_FIELD_VALUE,
  address: ADDRESS,
});

/** A table the read models know. */
export type TableName = keyof typeof TABLES;

/** The database as kysely sees it: table name → row type. */
export type MambuTables = { [T in TableName]: RowOf<(typeof TABLES)[T]> };
