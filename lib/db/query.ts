/**
 * A query over one table of a restored backup: `where`, `orderBy`, `limit`, `offset`, then `all()`,
 * `first()`, `count()` or `sum(column)`. Immutable (each call returns a new query), built on kysely, so
 * every value travels as a parameter and every name is quoted; the columns a query may name are the
 * table's known ones (lib/db/tables.ts), checked before anything is sent.
 */
import { DateTime } from "luxon";
import type { Kysely, SelectQueryBuilder } from "kysely";
import { sql } from "kysely";
import { Decimal } from "../core/money";
import { MambuTsError } from "../errors";
import type { ColumnKind, Columns, KindType } from "./tables";

/** The comparisons `where` accepts. */
export type Comparison = "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" | "like" | "not like" | "in" | "not in" | "is" | "is not";

const COMPARISONS: ReadonlySet<string> = new Set(["=", "!=", "<>", "<", "<=", ">", ">=", "like", "not like", "in", "not in", "is", "is not"]);

/** The columns of `C` of one kind. */
export type ColumnsOfKind<C extends Columns, K extends ColumnKind> = { [P in keyof C]: C[P] extends K ? P : never }[keyof C] & string;

/** What a `where` compares a column with: its own type, a string or number for it, or a list for `in`. */
export type WhereValue<T> = T | string | number | ReadonlyArray<T | string | number>;

/** What a query needs from its database. @internal */
export interface QueryContext {
  kysely: Kysely<any>;
  /** The zone naive dates are read and written in. */
  zone: string;
}

type Builder = SelectQueryBuilder<any, any, any>;
type Step = (qb: Builder) => Builder;

/** Most rows one `limit` may ask for. */
export const MAX_LIMIT = 1_000_000_000;

/** A query's source: the table and how its rows are selected (a join for many-to-many relations). @internal */
export interface QuerySource<C extends Columns, R> {
  table: string;
  columns: C;
  /** What the rows are called in messages, e.g. "client". */
  what: string;
  /** The select from the table (joins included), before the query's own steps. */
  from(kysely: Kysely<any>): Builder;
  /** Turns a row into a record. */
  make(row: Record<string, unknown>): R;
}

/** A query of records `R` of a table with columns `C`: see the module comment. */
export class Query<C extends Columns, R> {
  readonly #ctx: QueryContext;
  readonly #source: QuerySource<C, R>;
  readonly #steps: readonly Step[];

  /** @internal made by the models (`db.clients`, `client.loans()`, ...). */
  constructor(ctx: QueryContext, source: QuerySource<C, R>, steps: readonly Step[] = []) {
    this.#ctx = ctx;
    this.#source = source;
    this.#steps = steps;
  }

  #with(step: Step): Query<C, R> {
    return new Query(this.#ctx, this.#source, [...this.#steps, step]);
  }

  #column(name: string, verb: string): string {
    if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(this.#source.columns, name)) {
      const known = Object.keys(this.#source.columns).join(", ");
      throw new MambuTsError(`${verb}: ${JSON.stringify(String(name).slice(0, 100))} is not a column of ${this.#source.table} the read models know (${known}); use db.kysely for others`);
    }
    return `${this.#source.table}.${name}`;
  }

  #param(value: unknown): unknown {
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
    if (DateTime.isDateTime(value)) {
      if (!value.isValid) throw new MambuTsError(`where: an invalid DateTime (${value.invalidReason})`);
      return value.setZone(this.#ctx.zone).toFormat("yyyy-MM-dd HH:mm:ss.SSS");
    }
    if (value instanceof Date) return this.#param(DateTime.fromJSDate(value));
    throw new MambuTsError(`where: a value must be a string, number, boolean, null, Decimal, DateTime or Date, got ${typeof value}`);
  }

  /**
   * Keeps the rows whose `column` compares to `value` (`in`/`not in` take a list; `is`/`is not` take null).
   * Decimals are compared exactly; DateTimes in the database's zone.
   * @throws MambuTsError when the column is not known, the comparison is not one of {@link Comparison}, or a
   *   value is of another type.
   */
  where<K extends keyof C & string>(column: K, op: Comparison, value: WhereValue<KindType<C[K]>>): Query<C, R> {
    const ref = this.#column(column, "where");
    if (typeof op !== "string" || !COMPARISONS.has(op.toLowerCase())) {
      throw new MambuTsError(`where: ${JSON.stringify(String(op).slice(0, 20))} is not a comparison (${[...COMPARISONS].join(", ")})`);
    }
    const o = op.toLowerCase();
    let param: unknown;
    if (o === "in" || o === "not in") {
      if (!Array.isArray(value) || value.length === 0) throw new MambuTsError(`where: "${o}" takes a non-empty list of values`);
      param = value.map((v) => this.#param(v));
    } else {
      if (Array.isArray(value)) throw new MambuTsError(`where: a list of values needs "in" or "not in", not "${o}"`);
      param = this.#param(value);
      if ((o === "is" || o === "is not") && param !== null) throw new MambuTsError(`where: "${o}" compares with null only`);
    }
    return this.#with((qb) => qb.where(sql.ref(ref), o as any, param as any));
  }

  /** Sorts by `column` (ascending by default); calls add further sort keys. */
  orderBy(column: keyof C & string, direction: "asc" | "desc" = "asc"): Query<C, R> {
    const ref = this.#column(column, "orderBy");
    if (direction !== "asc" && direction !== "desc") throw new MambuTsError(`orderBy: direction is "asc" or "desc", got ${JSON.stringify(String(direction))}`);
    return this.#with((qb) => qb.orderBy(sql.ref(ref), direction));
  }

  /** At most `n` rows. */
  limit(n: number): Query<C, R> {
    const v = count(n, "limit");
    return this.#with((qb) => qb.limit(v));
  }

  /** Skips the first `n` rows (needs a `limit`, as in MySQL). */
  offset(n: number): Query<C, R> {
    const v = count(n, "offset");
    return this.#with((qb) => qb.offset(v));
  }

  #build(): Builder {
    let qb = this.#source.from(this.#ctx.kysely);
    for (const step of this.#steps) qb = step(qb);
    return qb;
  }

  /** Every matching row, as records. */
  async all(): Promise<R[]> {
    const rows = (await this.#build().selectAll(this.#source.table).execute()) as Record<string, unknown>[];
    return rows.map((row) => this.#source.make(row));
  }

  /** The first matching row, or undefined. */
  async first(): Promise<R | undefined> {
    const rows = (await this.#build().selectAll(this.#source.table).limit(1).execute()) as Record<string, unknown>[];
    return rows.length ? this.#source.make(rows[0]!) : undefined;
  }

  /** How many rows match (limit and offset aside). */
  async count(): Promise<number> {
    const qb = this.#withoutPaging();
    const row = (await qb.select(sql<string | number>`count(*)`.as("n")).executeTakeFirst()) as { n: string | number } | undefined;
    return Number(row?.n ?? 0);
  }

  /** The exact sum of a DECIMAL column over the matching rows (0 when none). */
  async sum(column: ColumnsOfKind<C, "decimal">): Promise<Decimal> {
    const ref = this.#column(column, "sum");
    if (this.#source.columns[column] !== "decimal") throw new MambuTsError(`sum: ${column} is not a money column`);
    const qb = this.#withoutPaging();
    const row = (await qb.select(sql`coalesce(sum(${sql.ref(ref)}), 0)`.as("s")).executeTakeFirst()) as { s: unknown } | undefined;
    const s = row?.s;
    return Decimal.isDecimal(s) ? (s as Decimal) : new Decimal(String(s ?? 0));
  }

  #withoutPaging(): Builder {
    return this.#build().clearLimit().clearOffset().clearOrderBy();
  }
}

function count(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_LIMIT) throw new MambuTsError(`${what} must be a whole number from 0 to ${MAX_LIMIT}, got ${String(n)}`);
  return n;
}
