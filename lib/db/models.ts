/**
 * The models of a restored backup: one {@link Model} per table (`clients`, `loans`, `branches`, ...), each a
 * {@link Query} of every row plus `get(id)`, and what the records' relations need (look-ups by encoded key,
 * group members, custom field values with their fields).
 */
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { MambuTsError } from "../errors";
import { Query, QueryContext, QuerySource } from "./query";
import {
  DbAddress,
  DbBranch,
  DbCentre,
  DbClient,
  DbCustomField,
  DbCustomFieldEntry,
  DbCustomFieldSet,
  DbCustomFieldValue,
  DbGroup,
  DbLoanAccount,
  DbLoanProduct,
  DbLoanTransaction,
  DbRepayment,
  DbUser,
} from "./records";
import { Columns, TABLES, TableName } from "./tables";
import { decimalOf } from "./cast";

/** A table's model: every row as a {@link Query}, and `get` by id or encoded key. */
export class Model<C extends Columns, R> extends Query<C, R> {
  readonly #ctx: QueryContext;
  readonly #source: QuerySource<C, R>;
  readonly #database: string;

  /** @internal made by {@link Models}. */
  constructor(ctx: QueryContext, source: QuerySource<C, R>, database: string) {
    super(ctx, source);
    this.#ctx = ctx;
    this.#source = source;
    this.#database = database;
  }

  /**
   * The row whose `id` (for tables that have one) or `encodedKey` is `idOrKey`.
   * @throws MambuTsError when there is none, naming the table and the database.
   */
  async get(idOrKey: string): Promise<R> {
    if (typeof idOrKey !== "string" || idOrKey === "") throw new MambuTsError(`${this.#source.what}.get takes a non-empty id or encoded key`);
    const t = this.#source.table;
    const hasId = Object.prototype.hasOwnProperty.call(this.#source.columns, "id");
    let qb = this.#source.from(this.#ctx.kysely);
    qb = hasId
      ? qb.where((eb) => eb.or([eb(sql.ref(`${t}.id`), "=", idOrKey), eb(sql.ref(`${t}.encodedKey`), "=", idOrKey)]))
      : qb.where(sql.ref(`${t}.encodedKey`), "=", idOrKey);
    // An id match comes before an encoded key match (an id may equal another row's key only by accident).
    if (hasId) qb = qb.orderBy(sql`${sql.ref(`${t}.id`)} = ${idOrKey}`, "desc");
    const row = (await qb.selectAll(t).limit(1).executeTakeFirst()) as Record<string, unknown> | undefined;
    if (!row) {
      throw new MambuTsError(`no ${this.#source.what} with ${hasId ? "id or encoded key" : "encoded key"} ${JSON.stringify(idOrKey.slice(0, 100))} in database ${this.#database}`);
    }
    return this.#source.make(row);
  }
}

type Maker<R> = new (models: Models, columns: any, row: Record<string, unknown>) => R;

/** Every model of one database, and what relations need. @internal (reached through `MambuDatabase`). */
export class Models {
  readonly #ctx: QueryContext;
  readonly #database: string;
  readonly #makers = new Map<TableName, (row: Record<string, unknown>) => unknown>();

  /** Clients (`client`). */
  readonly clients: Model<typeof TABLES.client, DbClient>;
  /** Groups (`group`). */
  readonly groups: Model<typeof TABLES.group, DbGroup>;
  /** Branches (`branch`). */
  readonly branches: Model<typeof TABLES.branch, DbBranch>;
  /** Centres (`centre`). */
  readonly centres: Model<typeof TABLES.centre, DbCentre>;
  /** Users (`user`). */
  readonly users: Model<typeof TABLES.user, DbUser>;
  /** Loan products (`loanproduct`). */
  readonly loanProducts: Model<typeof TABLES.loanproduct, DbLoanProduct>;
  /** Loan accounts (`loanaccount`). */
  readonly loans: Model<typeof TABLES.loanaccount, DbLoanAccount>;
  /** Installments of every loan (`repayment`). */
  readonly repayments: Model<typeof TABLES.repayment, DbRepayment>;
  /** Loan transactions (`loantransaction`). */
  readonly loanTransactions: Model<typeof TABLES.loantransaction, DbLoanTransaction>;
  /** Custom field sets (`customfieldset`). */
  readonly customFieldSets: Model<typeof TABLES.customfieldset, DbCustomFieldSet>;
  /** Custom field definitions (`customfield`). */
  readonly customFields: Model<typeof TABLES.customfield, DbCustomField>;
  /** Custom field values (`customfieldvalue`). */
  readonly customFieldValues: Model<typeof TABLES.customfieldvalue, DbCustomFieldValue>;
  /** Addresses (`address`). */
  readonly addresses: Model<typeof TABLES.address, DbAddress>;

  constructor(ctx: QueryContext, database: string) {
    this.#ctx = ctx;
    this.#database = database;
    this.clients = this.#model("client", "client", DbClient);
    this.groups = this.#model("group", "group", DbGroup);
    this.branches = this.#model("branch", "branch", DbBranch);
    this.centres = this.#model("centre", "centre", DbCentre);
    this.users = this.#model("user", "user", DbUser);
    this.loanProducts = this.#model("loanproduct", "loan product", DbLoanProduct);
    this.loans = this.#model("loanaccount", "loan account", DbLoanAccount);
    this.repayments = this.#model("repayment", "repayment", DbRepayment);
    this.loanTransactions = this.#model("loantransaction", "loan transaction", DbLoanTransaction);
    this.customFieldSets = this.#model("customfieldset", "custom field set", DbCustomFieldSet);
    this.customFields = this.#model("customfield", "custom field", DbCustomField);
    this.customFieldValues = this.#model("customfieldvalue", "custom field value", DbCustomFieldValue);
    this.addresses = this.#model("address", "address", DbAddress);
  }

  #source<T extends TableName, R>(table: T, what: string, make: (row: Record<string, unknown>) => R): QuerySource<(typeof TABLES)[T], R> {
    return { table, columns: TABLES[table], what, from: (k: Kysely<any>) => k.selectFrom(table), make };
  }

  #model<T extends TableName, R>(table: T, what: string, cls: Maker<R>): Model<(typeof TABLES)[T], R> {
    const make = (row: Record<string, unknown>): R => new cls(this, TABLES[table], row);
    this.#makers.set(table, make);
    return new Model(this.#ctx, this.#source(table, what, make), this.#database);
  }

  /** The row of `table` whose encoded key is `key` (undefined for a null key or none). */
  async byKey<R>(table: TableName, key: string | null): Promise<R | undefined> {
    if (key === null || key === undefined) return undefined;
    const row = (await this.#ctx.kysely.selectFrom(table).selectAll().where(sql.ref(`${table}.encodedKey`), "=", key).limit(1).executeTakeFirst()) as
      | Record<string, unknown>
      | undefined;
    return row ? (this.#makers.get(table)!(row) as R) : undefined;
  }

  /** The members (clients) of a group, through `groupmember`. */
  membersOf(groupKey: string | null): Query<typeof TABLES.client, DbClient> {
    const make = this.#makers.get("client") as (row: Record<string, unknown>) => DbClient;
    return new Query(this.#ctx, {
      table: "client",
      columns: TABLES.client,
      what: "client",
      from: (k) => k.selectFrom("client").innerJoin("groupmember", sql.ref("groupmember.clientkey") as any, sql.ref("client.encodedKey") as any).where(sql.ref("groupmember.groupkey"), "=", groupKey),
      make,
    });
  }

  /** The groups a client is a member of, through `groupmember`. */
  groupsOf(clientKey: string | null): Query<typeof TABLES.group, DbGroup> {
    const make = this.#makers.get("group") as (row: Record<string, unknown>) => DbGroup;
    return new Query(this.#ctx, {
      table: "group",
      columns: TABLES.group,
      what: "group",
      from: (k) => k.selectFrom("group").innerJoin("groupmember", sql.ref("groupmember.groupkey") as any, sql.ref("group.encodedKey") as any).where(sql.ref("groupmember.clientkey"), "=", clientKey),
      make,
    });
  }

  /** The custom field values of the record `parentKey`, with their field's id, name, type and set; by set, field and group row. */
  async customFieldEntries(parentKey: string | null): Promise<DbCustomFieldEntry[]> {
    if (parentKey === null) return [];
    const rows = (await this.#ctx.kysely
      .selectFrom("customfieldvalue as v")
      .leftJoin("customfield as f", "f.encodedKey", "v.customFieldKey")
      .leftJoin("customfieldset as s", "s.encodedKey", "f.customFieldSet_encodedKey_oid")
      .where("v.parentKey", "=", parentKey)
      .select([
        "f.id as fieldId",
        "f.name as fieldName",
        "f.dataType as dataType",
        "s.id as setId",
        "v.value as value",
        "v.amount as amount",
        "v.linkedEntityKeyValue as linkedEntityKey",
        "v.customFieldSetGroupIndex as groupIndex",
      ])
      .orderBy("s.indexInList")
      .orderBy("f.indexInList")
      .orderBy("v.customFieldSetGroupIndex")
      .orderBy("v.encodedKey")
      .execute()) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      fieldId: (r.fieldId as string | null) ?? null,
      fieldName: (r.fieldName as string | null) ?? null,
      dataType: (r.dataType as string | null) ?? null,
      setId: (r.setId as string | null) ?? null,
      value: (r.value as string | null) ?? null,
      amount: r.amount === null || r.amount === undefined ? null : typeof r.amount === "string" ? decimalOf(r.amount) : (r.amount as DbCustomFieldEntry["amount"]),
      linkedEntityKey: (r.linkedEntityKey as string | null) ?? null,
      groupIndex: r.groupIndex === null || r.groupIndex === undefined ? null : Number(r.groupIndex),
    }));
  }
}
