/** Shapes shared by the migration toolkit's modules: the plan, problems, the book of units to migrate. */
import type { SourceFormat, SourceLayout, SourceRow } from "./sources";

/** The steps of a migration, in the order they run for one client (seed 002). */
export const STEP_NAMES = ["client", "group", "deposit", "opening", "depositTransaction", "loan", "approve", "settlement", "settlementOpening", "schedule", "disburse", "fee", "repayment", "interest", "adjustment", "document"] as const;
/** One step of a migration. */
export type StepName = (typeof STEP_NAMES)[number];

/** Logical sources of a plan. */
export const SOURCE_NAMES = ["clients", "groups", "loans", "schedules", "fees", "repayments", "deposits", "depositTransactions", "loanTransactions", "documents", "groupMembers"] as const;
/** One logical source of a plan. */
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * How one target field gets its value: a column name, or an object with a `column` (and optional
 * `default`), a constant `value`, `required`, and for list fields a `split` separator.
 */
export type FieldRuleSpec =
  | string
  | {
      column?: string;
      value?: unknown;
      default?: unknown;
      required?: boolean;
      split?: string;
      /** Whether the column holds personal data (default: by the target field, see personal.ts). */
      personal?: boolean;
    };

/** Target path → rule, e.g. `{ firstName: "first_name", "_OtherDetails.Age": "age" }`. */
export type FieldMapSpec = Record<string, FieldRuleSpec>;

/** The mapping section of a plan. */
export interface MappingSpec {
  clients?: FieldMapSpec;
  groups?: FieldMapSpec;
  loans?: { account: FieldMapSpec; approve?: FieldMapSpec; settlement?: FieldMapSpec; disburse?: FieldMapSpec };
  schedules?: FieldMapSpec;
  fees?: FieldMapSpec;
  repayments?: FieldMapSpec;
  /** Standalone deposit accounts (savings): `id`, `accountHolderId`, `openingBalance`, `openingDate` and DepositAccount fields. */
  deposits?: FieldMapSpec;
  /** Deposits and withdrawals of the plan's deposit accounts: `depositId`, `type`, `amount`, `valueDate`, `notes`, `externalId`. */
  depositTransactions?: FieldMapSpec;
  /** Loans' history beyond fees and repayments: `loanId`, `type` (INTEREST, ADJUSTMENT), `valueDate`, `adjusts`, `notes`, `externalId`. */
  loanTransactions?: FieldMapSpec;
  /** Documents attached to the plan's clients, groups, loans and deposits: `ownerType`, `ownerId`, `file` (relative to the plan), `name`, `notes`. */
  documents?: FieldMapSpec;
  /** Group memberships with roles: `groupId`, `clientId`, `groupRoleNameKey`, `roleName` (the roles go into the group's creation). */
  groupMembers?: FieldMapSpec;
}

/** A source as written in the plan. */
export interface SourceSpec {
  file: string | string[];
  format?: SourceFormat;
  delimiter?: string;
}

/** A plan file (JSON or YAML) as written. */
export interface PlanSpec {
  /** Stable identifier of the migration: part of every idempotency key and derived id. */
  id: string;
  description?: string;
  /** The tenant's UTC offset for dates given without one (default: config `tenantoffset`, or the sandbox's). */
  tenantOffset?: string;
  /** Most decimals an amount may have (default 2). */
  amountDecimals?: number;
  sources: Partial<Record<SourceName, SourceSpec>>;
  /** Which steps run (default: every step whose source is present). */
  steps?: StepName[];
  mapping: MappingSpec;
  /** Values used when a field is unmapped or its cell is empty, shaped like `mapping`. */
  defaults?: Record<string, unknown>;
  /** Columns holding personal data that no personal rule reads, by source (`{ clients: [spouse_name] }`). */
  personal?: Partial<Record<SourceName, string[]>>;
  /** The directory the documents' files are relative to (default: the plan's). */
  documentsDir?: string;
}

/** A source file resolved against the plan's directory. */
export interface SourceFile {
  source: SourceName;
  path: string;
  /** As shown in messages. */
  shown: string;
  format: SourceFormat;
  delimiter: string;
}

/** A loaded, structurally valid plan. */
export interface Plan {
  spec: PlanSpec;
  id: string;
  /** Path of the plan file, and its directory. */
  file: string;
  dir: string;
  /** SHA-256 of the plan file's text (the journal notes it). */
  hash: string;
  files: SourceFile[];
  steps: Set<StepName>;
  amountDecimals: number;
  /** The directory the documents' files are relative to (absolute; default the plan's directory). */
  documentsDir?: string;
}

/** Something wrong with the plan or a row, located as precisely as known. */
export interface Problem {
  file: string;
  line?: number;
  column?: number;
  /** Column name (CSV header / JSON key), when the problem is about a cell. */
  columnName?: string;
  message: string;
  /** The row concerned (skipped with `--skip-invalid`). */
  row?: SourceRow;
}

/** Formats a problem as `file:line:column (name): message`. */
export function formatProblem(p: Problem): string {
  const pos = [p.file, p.line, p.column].filter((x) => x !== undefined).join(":");
  return `${pos}${p.columnName ? ` (${p.columnName})` : ""}: ${p.message}`;
}

/**
 * A transaction of a loan's history: a fee or repayment to post, interest to apply up to a date, or
 * the adjustment (reversal) of one of the plan's fees or repayments.
 */
export interface TxPlan {
  kind: "fee" | "repayment" | "interest" | "adjustment";
  row: SourceRow;
  /** Stable key of the row: `fee:<loan>:<externalId>`. */
  key: string;
  externalId: string;
  /** Value date (ISO with offset) and amount (exact text), for ordering and reconciliation. */
  valueDate: string;
  amount: string;
  /** The request body (amounts exact), without references still to resolve. */
  body: Record<string, unknown>;
  /** An adjustment's target: the externalId of a fee or repayment of the same loan. */
  adjusts?: string;
}

/** One loan and everything that happens to it. */
export interface LoanPlan {
  id: string;
  row: SourceRow;
  holderId: string;
  holderType: "CLIENT" | "GROUP";
  /** LoanAccount body; `accountHolderKey` is filled in at run time. */
  body: Record<string, unknown>;
  loanAmount: string;
  approve?: { body: Record<string, unknown> };
  /** The settlement deposit account, and its opening deposit (posted by the settlementOpening step). */
  settlement?: { id: string; body: Record<string, unknown>; opening?: OpeningPlan };
  schedule?: { rows: SourceRow[]; installments: Array<Record<string, unknown>> };
  disburse?: { body: Record<string, unknown>; valueDate: string; externalId: string };
  /** Fees, repayments, interest applications and adjustments in value-date order (on the same date: fees, interest, repayments, adjustments, then source order). */
  transactions: TxPlan[];
}

/** A standalone deposit account (savings) of a holder, approved, with its opening balance deposited. */
export interface DepositPlan {
  id: string;
  row: SourceRow;
  holderId: string;
  holderType: "CLIENT" | "GROUP";
  /** DepositAccount body; `accountHolderKey` is filled in at run time. */
  body: Record<string, unknown>;
  /** The opening deposit: exact amount, value date (ISO with offset) and the `mig-` externalId tagging it. */
  opening?: OpeningPlan;
  /** Deposits and withdrawals posted after the opening, in value-date order (then source order). */
  transactions?: DepositTxPlan[];
}

/** An account's opening deposit: exact amount, value date (ISO with offset) and the `mig-` externalId tagging it. */
export interface OpeningPlan {
  amount: string;
  valueDate: string;
  externalId: string;
  notes?: string;
}

/** A deposit or withdrawal of a deposit account of the plan. */
export interface DepositTxPlan {
  type: "DEPOSIT" | "WITHDRAWAL";
  row: SourceRow;
  /** Stable key of the row: `depositTransaction:<deposit>:<externalId>`. */
  key: string;
  externalId: string;
  /** Value date (ISO with offset) and amount (exact text, above zero). */
  valueDate: string;
  amount: string;
  notes?: string;
}

/** A document to attach to a client, group, loan or deposit account of the plan. */
export interface DocumentPlan {
  row: SourceRow;
  /** Stable key of the row: `document:<owner type>:<owner id>:<hash>`. */
  key: string;
  ownerType: "CLIENT" | "GROUP" | "LOAN_ACCOUNT" | "DEPOSIT_ACCOUNT";
  ownerId: string;
  /** The file (absolute path), its name, and its size when validated (bytes). */
  path: string;
  fileName: string;
  size: number;
  /** Its title in Mambu (`name`), and its notes. */
  title: string;
  notes?: string;
}

/** A client or group and all that hangs on it: the unit of work, of failure and of resumption. */
export interface Unit {
  /** `client:<id>` or `group:<id>`. */
  key: string;
  kind: "client" | "group";
  id: string;
  /** Whether the plan creates the holder (false: it must already exist in the tenant). */
  create: boolean;
  row?: SourceRow;
  /** Client or Group body; references to other units are resolved at run time. */
  body?: Record<string, unknown>;
  /** Group members (client ids), in order. */
  members: string[];
  /** Roles of group members, by client id (`groupRoleNameKey`, `roleName`): sent in the group's creation. */
  memberRoles?: Map<string, Array<{ groupRoleNameKey: string; roleName?: string }>>;
  /** Client ids this unit's body refers to (CLIENT_LINK custom fields), besides members. */
  links: Array<{ clientId: string; set: (encodedKey: string) => void }>;
  loans: LoanPlan[];
  /** Standalone deposit accounts of the holder (created before its loans). */
  deposits?: DepositPlan[];
  /** Documents attached to the holder and its accounts (after its loans). */
  documents?: DocumentPlan[];
  /** Every source row of the unit (for the failures file). */
  rows: SourceRow[];
  /** Position of the unit in the run (clients first, then groups). */
  order: number;
}

/** The validated content of a plan: units to migrate, rows left out, and the files' layouts. */
export interface Book {
  units: Unit[];
  /** Problems found; with `skipInvalid`, the rows (and units) they concern are left out. */
  problems: Problem[];
  /** Units left out because of invalid rows, with their reasons. */
  skipped: Array<{ unit?: string; rows: SourceRow[]; reasons: string[] }>;
  layouts: Map<string, SourceLayout>;
  /** Number of source rows read, by source. */
  rowCounts: Partial<Record<SourceName, number>>;
  /** Total number of steps the units will run. */
  totalSteps: number;
  /** Clients and groups outside the plan that it refers to, found in the tenant: id → kind and encodedKey. */
  external: Map<string, { kind: "client" | "group"; encodedKey: string }>;
  /** Columns holding personal data, by source (see personal.ts). */
  personal: ReadonlyMap<string, ReadonlySet<string>>;
}
