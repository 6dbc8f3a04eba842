/**
 * The records of the read models: one class per table, its known columns as typed properties (money as
 * `Decimal`, dates as `DateTime`, NULL as null), every column of the row in `raw`, and the relations of
 * MambuPy's ORM as methods — a relation to many is a {@link Query} (chain `where`, then `all()`), a
 * relation to one a promise of the record or undefined.
 */
import { inspect } from "util";
import type { Decimal } from "../core/money";
import type { Models } from "./models";
import type { Query } from "./query";
import type {
  ADDRESS,
  BRANCH,
  CENTRE,
  CLIENT,
  Columns,
  CUSTOM_FIELD,
  CUSTOM_FIELD_SET,
  CUSTOM_FIELD_VALUE,
  GROUP,
  LOAN_ACCOUNT,
  LOAN_PRODUCT,
  LOAN_TRANSACTION,
  REPAYMENT,
  RowOf,
  USER,
} from "./tables";

/** A custom field value with its field and set: what {@link DbClient.customFieldValues} and the like give. */
export interface DbCustomFieldEntry {
  /** The custom field's id, e.g. `nationalId`. */
  fieldId: string | null;
  /** The custom field's name. */
  fieldName: string | null;
  /** The field's data type (`STRING`, `NUMBER`, `CLIENT_LINK`, ...). */
  dataType: string | null;
  /** The custom field set's id (e.g. `_personal`), when the field belongs to one. */
  setId: string | null;
  /** The value as text (what Mambu stores). */
  value: string | null;
  /** The value of a number field, as stored in the `amount` column, if any. */
  amount: Decimal | null;
  /** The encoded key of the linked client, group or user (link fields). */
  linkedEntityKey: string | null;
  /** The row of a grouped custom field set (0-based), or null. */
  groupIndex: number | null;
}

/** What every record has: the raw row, `toJSON` of the known columns, and the models it came from. */
export abstract class DbRecord<C extends Columns> {
  readonly #models: Models;
  readonly #columns: C;
  /** Every column of the row as the server returned it (a real backup has more than the known ones). */
  declare readonly raw: Readonly<Record<string, unknown>>;

  /** @internal made by the models. */
  constructor(models: Models, columns: C, row: Record<string, unknown>) {
    this.#models = models;
    this.#columns = columns;
    const raw = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(row)) raw[k] = row[k];
    Object.defineProperty(this, "raw", { value: Object.freeze(raw), enumerable: false });
    const self = this as unknown as Record<string, unknown>;
    for (const k of Object.keys(columns)) self[k] = Object.prototype.hasOwnProperty.call(row, k) ? (row[k] ?? null) : null;
  }

  /** @internal */
  protected get models(): Models {
    return this.#models;
  }

  /** The known columns (money as digit strings, dates as ISO strings once stringified). */
  toJSON(): RowOf<C> {
    const out = {} as Record<string, unknown>;
    for (const k of Object.keys(this.#columns)) out[k] = (this as unknown as Record<string, unknown>)[k];
    return out as RowOf<C>;
  }

  /** `DbClient { id: ..., ... }` with the known columns. */
  [inspect.custom](depth: number, options: object): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), { ...options, depth })}`;
  }
}

/** A client (`client`). */
export interface DbClient extends RowOf<typeof CLIENT> {}
/** A client (`client`): see {@link DbRecord}. */
export class DbClient extends DbRecord<typeof CLIENT> {
  /** First, middle and last name, as MambuPy's `Client.name`. */
  get name(): string {
    return [this.firstName, this.middleName, this.lastName].map((s) => (s ?? "").trim()).filter(Boolean).join(" ");
  }
  /** The client's branch. */
  branch(): Promise<DbBranch | undefined> {
    return this.models.byKey("branch", this.assignedBranchKey);
  }
  /** The client's loan accounts (`loanaccount.accountHolderKey`). */
  loans(): Query<typeof LOAN_ACCOUNT, DbLoanAccount> {
    return this.models.loans.where("accountHolderKey", "=", this.encodedKey);
  }
  /** The groups the client is a member of (`groupmember`). */
  groups(): Query<typeof GROUP, DbGroup> {
    return this.models.groupsOf(this.encodedKey);
  }
  /** The client's addresses. */
  addresses(): Query<typeof ADDRESS, DbAddress> {
    return this.models.addresses.where("parentKey", "=", this.encodedKey);
  }
  /** The client's custom field value rows (MambuPy's `customInformation`). */
  customInformation(): Query<typeof CUSTOM_FIELD_VALUE, DbCustomFieldValue> {
    return this.models.customFieldValues.where("parentKey", "=", this.encodedKey);
  }
  /** The client's custom field values with their field's id and set. */
  customFieldValues(): Promise<DbCustomFieldEntry[]> {
    return this.models.customFieldEntries(this.encodedKey);
  }
}

/** A group (`group`). */
export interface DbGroup extends RowOf<typeof GROUP> {}
/** A group (`group`): see {@link DbRecord}. */
export class DbGroup extends DbRecord<typeof GROUP> {
  /** The group's members (clients, through `groupmember`). */
  members(): Query<typeof CLIENT, DbClient> {
    return this.models.membersOf(this.encodedKey);
  }
  /** The group's members, as MambuPy's `Group.clients`. */
  clients(): Query<typeof CLIENT, DbClient> {
    return this.members();
  }
  /** The group's loan accounts. */
  loans(): Query<typeof LOAN_ACCOUNT, DbLoanAccount> {
    return this.models.loans.where("accountHolderKey", "=", this.encodedKey);
  }
  /** The group's branch. */
  branch(): Promise<DbBranch | undefined> {
    return this.models.byKey("branch", this.assignedBranchKey);
  }
  /** The group's centre. */
  centre(): Promise<DbCentre | undefined> {
    return this.models.byKey("centre", this.assignedCentreKey);
  }
  /** The group's credit officer. */
  user(): Promise<DbUser | undefined> {
    return this.models.byKey("user", this.assignedUserKey);
  }
  /** The group's addresses. */
  addresses(): Query<typeof ADDRESS, DbAddress> {
    return this.models.addresses.where("parentKey", "=", this.encodedKey);
  }
  /** The group's custom field value rows. */
  customInformation(): Query<typeof CUSTOM_FIELD_VALUE, DbCustomFieldValue> {
    return this.models.customFieldValues.where("parentKey", "=", this.encodedKey);
  }
  /** The group's custom field values with their field's id and set. */
  customFieldValues(): Promise<DbCustomFieldEntry[]> {
    return this.models.customFieldEntries(this.encodedKey);
  }
}

/** A branch (`branch`). */
export interface DbBranch extends RowOf<typeof BRANCH> {}
/** A branch (`branch`): see {@link DbRecord}. */
export class DbBranch extends DbRecord<typeof BRANCH> {
  /** The branch's clients. */
  clients(): Query<typeof CLIENT, DbClient> {
    return this.models.clients.where("assignedBranchKey", "=", this.encodedKey);
  }
  /** The branch's groups. */
  groups(): Query<typeof GROUP, DbGroup> {
    return this.models.groups.where("assignedBranchKey", "=", this.encodedKey);
  }
  /** The branch's loan accounts. */
  loans(): Query<typeof LOAN_ACCOUNT, DbLoanAccount> {
    return this.models.loans.where("assignedBranchKey", "=", this.encodedKey);
  }
  /** The branch's centres. */
  centres(): Query<typeof CENTRE, DbCentre> {
    return this.models.centres.where("assignedBranchKey", "=", this.encodedKey);
  }
  /** The branch's users. */
  users(): Query<typeof USER, DbUser> {
    return this.models.users.where("assignedBranchKey", "=", this.encodedKey);
  }
  /** The branch's addresses. */
  addresses(): Query<typeof ADDRESS, DbAddress> {
    return this.models.addresses.where("parentKey", "=", this.encodedKey);
  }
  /** The branch's custom field value rows. */
  customInformation(): Query<typeof CUSTOM_FIELD_VALUE, DbCustomFieldValue> {
    return this.models.customFieldValues.where("parentKey", "=", this.encodedKey);
  }
}

/** A centre (`centre`). */
export interface DbCentre extends RowOf<typeof CENTRE> {}
/** A centre (`centre`): see {@link DbRecord}. */
export class DbCentre extends DbRecord<typeof CENTRE> {
  /** The centre's branch. */
  branch(): Promise<DbBranch | undefined> {
    return this.models.byKey("branch", this.assignedBranchKey);
  }
  /** The centre's groups. */
  groups(): Query<typeof GROUP, DbGroup> {
    return this.models.groups.where("assignedCentreKey", "=", this.encodedKey);
  }
  /** The centre's loan accounts. */
  loans(): Query<typeof LOAN_ACCOUNT, DbLoanAccount> {
    return this.models.loans.where("assignedCentreKey", "=", this.encodedKey);
  }
}

/** A user (`user`). */
export interface DbUser extends RowOf<typeof USER> {}
/** A user (`user`): see {@link DbRecord}. */
export class DbUser extends DbRecord<typeof USER> {
  /** The user's branch. */
  branch(): Promise<DbBranch | undefined> {
    return this.models.byKey("branch", this.assignedBranchKey);
  }
  /** The loan accounts assigned to the user. */
  loans(): Query<typeof LOAN_ACCOUNT, DbLoanAccount> {
    return this.models.loans.where("assignedUserKey", "=", this.encodedKey);
  }
  /** The groups assigned to the user. */
  groups(): Query<typeof GROUP, DbGroup> {
    return this.models.groups.where("assignedUserKey", "=", this.encodedKey);
  }
  /** The user's custom field value rows. */
  customInformation(): Query<typeof CUSTOM_FIELD_VALUE, DbCustomFieldValue> {
    return this.models.customFieldValues.where("parentKey", "=", this.encodedKey);
  }
}

/** A loan product (`loanproduct`). */
export interface DbLoanProduct extends RowOf<typeof LOAN_PRODUCT> {}
/** A loan product (`loanproduct`): see {@link DbRecord}. */
export class DbLoanProduct extends DbRecord<typeof LOAN_PRODUCT> {
  /** The product's loan accounts. */
  loans(): Query<typeof LOAN_ACCOUNT, DbLoanAccount> {
    return this.models.loans.where("productTypeKey", "=", this.encodedKey);
  }
}

/** A loan account (`loanaccount`). */
export interface DbLoanAccount extends RowOf<typeof LOAN_ACCOUNT> {}
/** A loan account (`loanaccount`): see {@link DbRecord}. */
export class DbLoanAccount extends DbRecord<typeof LOAN_ACCOUNT> {
  /** The holder: a client or a group (by `accountHolderType`, else whichever has the key). */
  async holder(): Promise<DbClient | DbGroup | undefined> {
    const type = (this.accountHolderType ?? "").toUpperCase();
    if (type !== "GROUP") {
      const c = await this.holderClient();
      if (c || type === "CLIENT") return c;
    }
    return this.holderGroup();
  }
  /** The holder when it is a client (MambuPy's `holder_client`). */
  holderClient(): Promise<DbClient | undefined> {
    return this.models.byKey("client", this.accountHolderKey);
  }
  /** The holder when it is a group (MambuPy's `holder_group`). */
  holderGroup(): Promise<DbGroup | undefined> {
    return this.models.byKey("group", this.accountHolderKey);
  }
  /** The loan's product. */
  product(): Promise<DbLoanProduct | undefined> {
    return this.models.byKey("loanproduct", this.productTypeKey);
  }
  /** The loan's branch. */
  branch(): Promise<DbBranch | undefined> {
    return this.models.byKey("branch", this.assignedBranchKey);
  }
  /** The loan's centre. */
  centre(): Promise<DbCentre | undefined> {
    return this.models.byKey("centre", this.assignedCentreKey);
  }
  /** The loan's credit officer. */
  user(): Promise<DbUser | undefined> {
    return this.models.byKey("user", this.assignedUserKey);
  }
  /** The loan's installments, by due date (as MambuPy orders them). */
  repayments(): Query<typeof REPAYMENT, DbRepayment> {
    return this.models.repayments.where("parentAccountKey", "=", this.encodedKey).orderBy("dueDate");
  }
  /** The loan's transactions, by transaction id (as MambuPy orders them). */
  transactions(): Query<typeof LOAN_TRANSACTION, DbLoanTransaction> {
    return this.models.loanTransactions.where("parentAccountKey", "=", this.encodedKey).orderBy("transactionId");
  }
  /** The loan's custom field value rows. */
  customInformation(): Query<typeof CUSTOM_FIELD_VALUE, DbCustomFieldValue> {
    return this.models.customFieldValues.where("parentKey", "=", this.encodedKey);
  }
  /** The loan's custom field values with their field's id and set. */
  customFieldValues(): Promise<DbCustomFieldEntry[]> {
    return this.models.customFieldEntries(this.encodedKey);
  }
}

/** An installment of a loan (`repayment`). */
export interface DbRepayment extends RowOf<typeof REPAYMENT> {}
/** An installment of a loan (`repayment`): see {@link DbRecord}. */
export class DbRepayment extends DbRecord<typeof REPAYMENT> {
  /** The loan account. */
  account(): Promise<DbLoanAccount | undefined> {
    return this.models.byKey("loanaccount", this.parentAccountKey);
  }
}

/** A loan transaction (`loantransaction`). */
export interface DbLoanTransaction extends RowOf<typeof LOAN_TRANSACTION> {}
/** A loan transaction (`loantransaction`): see {@link DbRecord}. */
export class DbLoanTransaction extends DbRecord<typeof LOAN_TRANSACTION> {
  /** The loan account. */
  account(): Promise<DbLoanAccount | undefined> {
    return this.models.byKey("loanaccount", this.parentAccountKey);
  }
}

/** A custom field set (`customfieldset`). */
export interface DbCustomFieldSet extends RowOf<typeof CUSTOM_FIELD_SET> {}
/** A custom field set (`customfieldset`): see {@link DbRecord}. */
export class DbCustomFieldSet extends DbRecord<typeof CUSTOM_FIELD_SET> {
  /** The set's fields. */
  customFields(): Query<typeof CUSTOM_FIELD, DbCustomField> {
    return this.models.customFields.where("customFieldSet_encodedKey_oid", "=", this.encodedKey);
  }
}

/** A custom field definition (`customfield`). */
export interface DbCustomField extends RowOf<typeof CUSTOM_FIELD> {}
/** A custom field definition (`customfield`): see {@link DbRecord}. */
export class DbCustomField extends DbRecord<typeof CUSTOM_FIELD> {
  /** The field's set. */
  customFieldSet(): Promise<DbCustomFieldSet | undefined> {
    return this.models.byKey("customfieldset", this.customFieldSet_encodedKey_oid);
  }
  /** Every value of the field. */
  customFieldValues(): Query<typeof CUSTOM_FIELD_VALUE, DbCustomFieldValue> {
    return this.models.customFieldValues.where("customFieldKey", "=", this.encodedKey);
  }
}

/** A custom field value (`customfieldvalue`). */
export interface DbCustomFieldValue extends RowOf<typeof CUSTOM_FIELD_VALUE> {}
/** A custom field value (`customfieldvalue`): see {@link DbRecord}. */
export class DbCustomFieldValue extends DbRecord<typeof CUSTOM_FIELD_VALUE> {
  /** The field's definition. */
  customField(): Promise<DbCustomField | undefined> {
    return this.models.byKey("customfield", this.customFieldKey);
  }
}

/** An address (`address`). */
export interface DbAddress extends RowOf<typeof ADDRESS> {}
/** An address (`address`): see {@link DbRecord}. */
export class DbAddress extends DbRecord<typeof ADDRESS> {}
