/**
 * The tables of a Mambu database backup (`GET /database/backup/LATEST`: a zip holding a MySQL dump), as data:
 * table and column names of Mambu's database, their SQL types, primary keys and the relations between tables.
 * The names are the ones MambuPy's SQLAlchemy ORM maps (its `orm/schema_*.py`), so tools written for real backups
 * work on the sandbox's too; the sandbox writes its dumps from this module and `mambu-ts/db` restores and reads
 * them with it. Rank 0: imports nothing.
 *
 * Decisions where MambuPy is silent (it maps every text column as an unsized `String`):
 * - keys (`encodedKey` and the `...Key` columns) are `VARCHAR(32)`, as Mambu's 32-hex-digit keys; ids and other
 *   short text `VARCHAR(256)`; free text (notes, descriptions, comments, custom field values) `TEXT`;
 * - money and rates `DECIMAL(50,10)` (MambuPy's `Numeric(50, 10)`); counts and flags `INT`; ids that are numbers
 *   in Mambu (`loantransaction.transactionId`, `task.id`) `BIGINT`;
 * - a few columns Mambu's tables have and MambuPy does not map are added where the sandbox knows the value
 *   (`assignedUserKey`, `lastModifiedDate`, `currencyCode`...: marked `extra` below);
 * - MambuPy maps no savings tables; `savingsproduct`, `savingsaccount` and `savingstransaction` are added with
 *   Mambu's names (marked `extra`) so deposit accounts are in the dump too;
 * - the dump declares indexes, never FOREIGN KEY constraints (a restore must not fail on load order or on a
 *   dangling key, as Mambu's own dumps); the relations are data here ({@link BackupRelation}).
 */

/** A column's SQL type (MySQL/MariaDB). */
export type BackupSqlType =
  | { kind: "varchar"; length: number }
  | { kind: "text" }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "datetime" }
  | { kind: "int" }
  | { kind: "bigint" };

/** A column of a backup table. */
export interface BackupColumn {
  /** The column's name in Mambu's database (case as Mambu writes it). */
  readonly name: string;
  readonly type: BackupSqlType;
  /** Whether the column is Mambu's but not mapped by MambuPy's ORM (see the module comment). */
  readonly extra?: boolean;
}

/**
 * A many-to-one relation: `column` holds the `references` column (an encodedKey) of a row of one of `targets`.
 * More than one target means a polymorphic key (e.g. `address.parentKey` points to a client, a group or a branch;
 * the row's own type column, when there is one, says which).
 */
export interface BackupRelation {
  /** Name of the relation as MambuPy's ORM calls it (e.g. `branch`, `holder_client`). */
  readonly name: string;
  readonly column: string;
  readonly targets: readonly string[];
  readonly references: string;
}

/** A table of the backup. */
export interface BackupTable {
  /** The table's name in Mambu's database (lower case, e.g. `loanaccount`, `group`). */
  readonly name: string;
  readonly columns: readonly BackupColumn[];
  /** The primary key's columns (`encodedKey` for all tables but the link tables). */
  readonly primaryKey: readonly string[];
  /** Columns with a unique index (the entity ids). */
  readonly unique: readonly string[];
  readonly relations: readonly BackupRelation[];
  /** Whether the whole table is Mambu's but not mapped by MambuPy's ORM. */
  readonly extra?: boolean;
}

/** DECIMAL(50,10), as MambuPy maps money. */
export const MONEY: BackupSqlType = { kind: "decimal", precision: 50, scale: 10 };
const KEY: BackupSqlType = { kind: "varchar", length: 32 };
const STR: BackupSqlType = { kind: "varchar", length: 256 };
const TEXT: BackupSqlType = { kind: "text" };
const DATE: BackupSqlType = { kind: "datetime" };
const INT: BackupSqlType = { kind: "int" };
const BIGINT: BackupSqlType = { kind: "bigint" };

type ColSpec = [name: string, type: BackupSqlType, extra?: "extra"];
type RelSpec = [name: string, column: string, targets: string | readonly string[]];

function table(
  name: string,
  cols: readonly ColSpec[],
  rels: readonly RelSpec[] = [],
  opts: { primaryKey?: readonly string[]; unique?: readonly string[]; extra?: boolean } = {},
): BackupTable {
  const columns = cols.map(([n, type, extra]) => (extra ? { name: n, type, extra: true } : { name: n, type }));
  const relations = rels.map(([rn, column, t]) => ({ name: rn, column, targets: typeof t === "string" ? [t] : t, references: "encodedKey" }));
  const out: BackupTable = {
    name,
    columns,
    primaryKey: opts.primaryKey ?? ["encodedKey"],
    unique: opts.unique ?? [],
    relations,
    ...(opts.extra ? { extra: true } : {}),
  };
  return out;
}

const ID: ColSpec = ["id", STR];
const EK: ColSpec = ["encodedKey", KEY];
const byId = { unique: ["id"] };
const money = (...names: string[]): ColSpec[] => names.map((n) => [n, MONEY]);

/** Parents a custom field value, an address or a task may belong to. */
const CF_PARENTS = ["client", "group", "loanaccount", "savingsaccount", "user", "branch", "centre"] as const;

/**
 * Every table of the backup, in an order where a table comes after those it points to (the dump's order).
 * Frozen: read it, never change it.
 */
export const BACKUP_TABLES: readonly BackupTable[] = Object.freeze([
  table("branch", [EK, ID, ["name", STR], ["notes", TEXT], ["phoneNumber", STR], ["emailAddress", STR], ["state", STR], ["creationDate", DATE], ["lastModifiedDate", DATE]], [], byId),
  table("centre", [EK, ID, ["name", STR], ["notes", TEXT], ["state", STR], ["creationDate", DATE], ["lastModifiedDate", DATE], ["assignedBranchKey", KEY]], [["branch", "assignedBranchKey", "branch"]], byId),
  table("role", [EK, ["id", STR, "extra"], ["name", STR]]),
  table(
    "user",
    [EK, ID, ["firstName", STR], ["lastName", STR], ["userName", STR], ["homePhone", STR], ["mobilePhone1", STR], ["userState", STR], ["email", STR], ["title", STR, "extra"], ["creationDate", DATE], ["lastModifiedDate", DATE, "extra"], ["isCreditOfficer", INT], ["assignedBranchKey", KEY], ["role_encodedKey_oid", KEY]],
    [["branch", "assignedBranchKey", "branch"], ["role", "role_encodedKey_oid", "role"]],
    byId,
  ),
  table(
    "group",
    [EK, ID, ["groupName", STR], ["homePhone", STR], ["mobilePhone1", STR], ["emailAddress", STR, "extra"], ["loanCycle", INT], ["creationDate", DATE], ["lastModifiedDate", DATE, "extra"], ["notes", TEXT], ["assignedCentreKey", KEY], ["assignedUserKey", KEY], ["assignedBranchKey", KEY]],
    [["centre", "assignedCentreKey", "centre"], ["user", "assignedUserKey", "user"], ["branch", "assignedBranchKey", "branch"]],
    byId,
  ),
  table("grouprolename", [EK, ["name", STR]]),
  table(
    "client",
    [EK, ID, ["firstName", STR], ["middleName", STR], ["lastName", STR], ["homePhone", STR], ["mobilePhone1", STR], ["mobilePhone2", STR], ["emailAddress", STR], ["gender", STR], ["state", STR], ["preferredLanguage", STR, "extra"], ["notes", TEXT, "extra"], ["loanCycle", INT], ["groupLoanCycle", INT, "extra"], ["birthDate", DATE], ["creationDate", DATE], ["lastModifiedDate", DATE, "extra"], ["activationDate", DATE], ["approvedDate", DATE], ["closedDate", DATE, "extra"], ["assignedBranchKey", KEY], ["assignedCentreKey", KEY, "extra"], ["assignedUserKey", KEY, "extra"]],
    [["branch", "assignedBranchKey", "branch"], ["centre", "assignedCentreKey", "centre"], ["user", "assignedUserKey", "user"]],
    byId,
  ),
  table("groupmember", [["clientkey", KEY], ["groupkey", KEY]], [["client", "clientkey", "client"], ["group", "groupkey", "group"]], { primaryKey: ["clientkey", "groupkey"] }),
  table(
    "grouprole",
    [EK, ["clientKey", KEY], ["groupKey", KEY], ["groupRoleNameKey", KEY]],
    [["client", "clientKey", "client"], ["group", "groupKey", "group"], ["roleName", "groupRoleNameKey", "grouprolename"]],
  ),
  table(
    "identificationdocument",
    [EK, ["documentId", STR], ["documentType", STR], ["indexInList", INT], ["issuingAuthority", STR], ["validUntil", DATE], ["identificationDocumentTemplateKey", KEY], ["clientKey", KEY]],
    [["client", "clientKey", "client"]],
  ),
  table("address", [EK, ["parentKey", KEY], ["city", STR], ["country", STR], ["line1", STR], ["line2", STR], ["postcode", STR], ["region", STR], ["indexInList", INT, "extra"]], [["parent", "parentKey", ["client", "group", "branch", "centre", "user"]]]),
  table("loanproduct", [EK, ID, ["productName", STR], ["productType", STR, "extra"], ["activated", INT], ["creationDate", DATE, "extra"], ["lastModifiedDate", DATE, "extra"]], [], byId),
  table("disbursementdetails", [EK, ["expectedDisbursementDate", DATE], ["disbursementDate", DATE], ["firstRepaymentDate", DATE]]),
  table(
    "loanaccount",
    [
      EK, ID, ["loanName", STR, "extra"], ["accountState", STR], ["accountSubstate", STR], ["currencyCode", STR, "extra"], ["loanAmount", MONEY], ["notes", TEXT],
      ...money("principalBalance", "principalPaid", "principalDue", "interestBalance", "interestPaid", "interestDue", "interestRate"),
      ["interestCalculationMethod", STR], ["interestBalanceCalculationMethod", STR], ["repaymentInstallments", INT], ["repaymentPeriodUnit", STR], ["repaymentPeriodCount", INT], ["accountHolderType", STR],
      ...money("feesBalance", "feesPaid", "feesDue", "penaltyBalance", "penaltyPaid", "penaltyDue"),
      ["creationDate", DATE], ["lastModifiedDate", DATE, "extra"], ["approvedDate", DATE], ["closedDate", DATE], ["rescheduledAccountKey", KEY], ["lastSetToArrearsDate", DATE],
      ["productTypeKey", KEY], ["disbursementDetailsKey", KEY], ["assignedBranchKey", KEY], ["assignedCentreKey", KEY], ["assignedUserKey", KEY], ["accountHolderKey", KEY],
    ],
    [
      ["product", "productTypeKey", "loanproduct"], ["disbursementDetails", "disbursementDetailsKey", "disbursementdetails"], ["branch", "assignedBranchKey", "branch"],
      ["centre", "assignedCentreKey", "centre"], ["user", "assignedUserKey", "user"], ["holder", "accountHolderKey", ["client", "group"]],
    ],
    byId,
  ),
  table(
    "repayment",
    [EK, ["dueDate", DATE], ...money("principalDue", "principalPaid", "interestDue", "interestPaid", "feesDue", "feesPaid", "penaltyDue", "penaltyPaid"), ["repaidDate", DATE], ["lastPaidDate", DATE], ["state", STR], ["parentAccountKey", KEY]],
    [["account", "parentAccountKey", "loanaccount"]],
  ),
  table("transactionchannel", [EK, ID, ["name", STR]]),
  table("transactiondetails", [EK, ["transactionChannelKey", KEY]], [["transactionChannel", "transactionChannelKey", "transactionchannel"]]),
  table(
    "loantransaction",
    [EK, ["transactionId", BIGINT], ["creationDate", DATE], ["entryDate", DATE], ...money("principalAmount", "interestAmount", "feesAmount", "penaltyAmount"), ["reversalTransactionKey", KEY], ["amount", MONEY], ["balance", MONEY, "extra"], ["type", STR], ["comment", TEXT], ["parentAccountKey", KEY], ["details_encodedkey_oid", KEY]],
    [["account", "parentAccountKey", "loanaccount"], ["transactionDetails", "details_encodedkey_oid", "transactiondetails"]],
  ),
  table("savingsproduct", [EK, ID, ["productName", STR], ["productType", STR], ["activated", INT], ["creationDate", DATE], ["lastModifiedDate", DATE]], [], { ...byId, extra: true }),
  table(
    "savingsaccount",
    [EK, ID, ["name", STR], ["accountState", STR], ["accountType", STR], ["accountHolderType", STR], ["currencyCode", STR], ["balance", MONEY], ["creationDate", DATE], ["lastModifiedDate", DATE], ["approvedDate", DATE], ["activationDate", DATE], ["closedDate", DATE], ["notes", TEXT], ["productTypeKey", KEY], ["assignedBranchKey", KEY], ["assignedCentreKey", KEY], ["assignedUserKey", KEY], ["accountHolderKey", KEY]],
    [["product", "productTypeKey", "savingsproduct"], ["branch", "assignedBranchKey", "branch"], ["centre", "assignedCentreKey", "centre"], ["user", "assignedUserKey", "user"], ["holder", "accountHolderKey", ["client", "group"]]],
    { ...byId, extra: true },
  ),
  table(
    "savingstransaction",
    [EK, ["transactionId", BIGINT], ["creationDate", DATE], ["entryDate", DATE], ["amount", MONEY], ["balance", MONEY], ["type", STR], ["comment", TEXT], ["reversalTransactionKey", KEY], ["parentAccountKey", KEY], ["details_encodedkey_oid", KEY]],
    [["account", "parentAccountKey", "savingsaccount"], ["transactionDetails", "details_encodedkey_oid", "transactiondetails"]],
    { extra: true },
  ),
  table("customfieldset", [EK, ID, ["name", STR], ["type", STR], ["indexInList", INT]]),
  table(
    "customfield",
    [EK, ["name", STR], ["description", TEXT], ID, ["type", STR], ["indexInList", INT], ["state", STR], ["valueLength", STR], ["dataType", STR], ["creationDate", DATE], ["lastModifiedDate", DATE], ["customFieldSet_encodedKey_oid", KEY]],
    [["customFieldSet", "customFieldSet_encodedKey_oid", "customfieldset"]],
  ),
  table("customfieldselection", [EK, ID, ["value", STR], ["score", INT], ["selectionindex", INT], ["customfieldkey", KEY]], [["customField", "customfieldkey", "customfield"]]),
  table(
    "customfieldvalue",
    [EK, ["parentKey", KEY], ["indexInList", INT], ["value", TEXT], ["linkedEntityKeyValue", KEY], ["amount", MONEY], ["customFieldSetGroupIndex", INT], ["customFieldKey", KEY]],
    [["customField", "customFieldKey", "customfield"], ["parent", "parentKey", CF_PARENTS], ["linked", "linkedEntityKeyValue", ["client", "group", "user"]]],
  ),
  table(
    "task",
    [EK, ["creationDate", DATE], ["completionDate", DATE], ["description", TEXT], ["dueDate", DATE], ["id", BIGINT], ["lastModifiedDate", DATE], ["status", STR], ["title", STR], ["taskLinkType", STR], ["assignedUserKey", KEY], ["createdByUserKey", KEY], ["taskLinkKey", KEY]],
    [["assignedUser", "assignedUserKey", "user"], ["createdByUser", "createdByUserKey", "user"], ["link", "taskLinkKey", ["client", "group", "loanaccount", "savingsaccount"]]],
  ),
  table(
    "activity",
    [
      EK, ["lineOfCreditKey", KEY], ["centreKey", KEY], ["loanProductKey", KEY], ["savingsAccountKey", KEY], ["savingsProductKey", KEY], ["assignedCentreKey", KEY], ["taskKey", KEY],
      ["glAccountKey", KEY], ["glAccountsClosureKey", KEY], ["entityKey", KEY], ["transactionId", BIGINT], ["entityType", STR], ["parent_key", KEY], ["fieldChangeName", STR],
      ["activityChanges_integer_idx", INT], ["timestamp", DATE], ["notes", TEXT], ["type", STR],
      ["loanAccountKey", KEY], ["branchKey", KEY], ["clientKey", KEY], ["groupKey", KEY], ["userKey", KEY], ["assignedUserKey", KEY],
    ],
    [["loan", "loanAccountKey", "loanaccount"], ["branch", "branchKey", "branch"], ["client", "clientKey", "client"], ["group", "groupKey", "group"], ["user", "userKey", "user"], ["assignedUser", "assignedUserKey", "user"]],
  ),
  table(
    "fieldchangeitem",
    [["id", KEY], ["fieldChangeName", STR], ["fieldDetailName", STR], ["fieldDetailKey", KEY], ["newValue", TEXT], ["originalValue", TEXT], ["fieldchanges_integer_idx", INT], ["fieldchanges_encodedkey_own", KEY]],
    [["activity", "fieldchanges_encodedkey_own", "activity"]],
    { primaryKey: ["id"] },
  ),
]);

const BY_NAME: ReadonlyMap<string, BackupTable> = new Map(BACKUP_TABLES.map((t) => [t.name, t]));

/** A backup table by its name, or undefined. */
export function backupTable(name: string): BackupTable | undefined {
  return BY_NAME.get(name);
}

/** A column of a table by its name, or undefined. */
export function backupColumn(tableName: string, column: string): BackupColumn | undefined {
  return BY_NAME.get(tableName)?.columns.find((c) => c.name === column);
}

/** Quotes an identifier for MySQL (backticks; a backtick inside is doubled). */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** The SQL spelling of a column type, e.g. `VARCHAR(32)`, `DECIMAL(50,10)`. */
export function sqlTypeText(type: BackupSqlType): string {
  switch (type.kind) {
    case "varchar":
      return `VARCHAR(${type.length})`;
    case "text":
      return "TEXT";
    case "decimal":
      return `DECIMAL(${type.precision},${type.scale})`;
    case "datetime":
      return "DATETIME";
    case "int":
      return "INT";
    case "bigint":
      return "BIGINT";
  }
}

/**
 * The `CREATE TABLE` statement of a table (MySQL/MariaDB, utf8mb4, InnoDB), ending with `;`: primary key columns
 * NOT NULL, the rest NULL by default; a unique index per `unique` column and an index per relation column (no
 * FOREIGN KEY constraints: see the module comment).
 */
export function createTableSql(t: BackupTable): string {
  const pk = new Set(t.primaryKey);
  const lines = t.columns.map((c) => `  ${quoteIdentifier(c.name)} ${sqlTypeText(c.type)}${pk.has(c.name) ? " NOT NULL" : " DEFAULT NULL"}`);
  lines.push(`  PRIMARY KEY (${t.primaryKey.map(quoteIdentifier).join(",")})`);
  for (const u of t.unique) lines.push(`  UNIQUE KEY ${quoteIdentifier(`UK_${t.name}_${u}`)} (${quoteIdentifier(u)})`);
  const indexed = new Set<string>([...t.primaryKey.slice(0, 1), ...t.unique]);
  for (const r of t.relations) {
    if (indexed.has(r.column)) continue;
    indexed.add(r.column);
    lines.push(`  KEY ${quoteIdentifier(`IX_${t.name}_${r.column}`)} (${quoteIdentifier(r.column)})`);
  }
  return `CREATE TABLE ${quoteIdentifier(t.name)} (\n${lines.join(",\n")}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;`;
}

/** The DDL of the whole backup: for each table in {@link BACKUP_TABLES} order, `DROP TABLE IF EXISTS` and `CREATE TABLE`. */
export function renderBackupDdl(tables: readonly BackupTable[] = BACKUP_TABLES): string {
  return tables.map((t) => `DROP TABLE IF EXISTS ${quoteIdentifier(t.name)};\n${createTableSql(t)}\n`).join("\n");
}
