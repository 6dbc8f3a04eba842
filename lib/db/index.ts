/**
 * `mambu-ts/db`: SQL read models over a restored backup of Mambu's database (MambuPy's ORM, on kysely and
 * mysql2), and the restore itself.
 */
export { openDatabase, MambuDatabase } from "./database";
export type { DatabaseOptions } from "./database";
export { Model } from "./models";
export { restoreBackup, RestoreError } from "./restore";
export type { RestoreOptions, RestoreProgress, RestoreResult } from "./restore";
export { BackupZip, BackupZipError } from "./backup-zip";
export type { BackupZipBounds, BackupZipProblem, BackupEntry } from "./backup-zip";
export { SqlSplitter, splitSql } from "./sql-splitter";
export type { SqlStatement } from "./sql-splitter";
export { Query, MAX_LIMIT } from "./query";
export type { Comparison, WhereValue, ColumnsOfKind } from "./query";
export {
  DbRecord,
  DbClient,
  DbGroup,
  DbBranch,
  DbCentre,
  DbUser,
  DbLoanProduct,
  DbLoanAccount,
  DbRepayment,
  DbLoanTransaction,
  DbCustomFieldSet,
  DbCustomField,
  DbCustomFieldValue,
  DbAddress,
} from "./records";
export type { DbCustomFieldEntry } from "./records";
export { TABLES } from "./tables";
export type { ColumnKind, Columns, KindType, MambuTables, RowOf, TableName } from "./tables";
