/**
 * The types of `getAll()` and `search()` options, per entity: filter keys, sortBy fields, query
 * parameters, search fields and operators come from each entity's declaration (`spec`) and from the
 * Swagger files (`lib/generated/types`), so that what the runtime refuses does not compile either
 * (`limt: 5`, `filters: { acountState }`, `sortBy: "amount"`, `operator: "GREATER"`).
 *
 * Types only: nothing here exists at run time. An entity type carries its {@link Listing} as a
 * symbol-keyed optional member (never set, never shown by completion); `getAll()`/`search()` read it
 * back with {@link ListingOf}. `MambuEntity` itself has none: generic code over any entity class gets
 * the loose options it always had.
 */
import type Decimal from "decimal.js";
import type { DateTime } from "luxon";
import type { MambuConnector } from "../transport";
import type { DetailsLevel, SortingCriterion } from "./query";

declare const LISTING: unique symbol;

/** What an entity accepts in `getAll()` and `search()`, at the type level. */
export interface ListingTypes {
  /** Query parameters of the resource's list GET (`QueryParameters["GET /loans"]`, generated). */
  params: object;
  /** Keys of `getAll({ filters })`: the entity's `spec.filters`. */
  filters: string;
  /** Fields of `getAll({ sortBy })`: the entity's `spec.sortBy`. */
  sortBy: string;
  /** `search()` filter fields (the Swagger `FilterCriteria.field`); never when not searchable. */
  searchField: string;
  /** `search()` operators (the Swagger `FilterCriteria.operator`). */
  operator: string;
  /** `search()` sort fields (the Swagger `SortingCriteria.field`). */
  sortingField: string;
  /** The whole `getAll()` options, for an entity whose `getAll()` takes its own (transactions, custom fields). */
  getAllOptions?: object;
}

/**
 * Builds an entity's {@link ListingTypes} from its pieces: the generated query parameters of its list
 * GET, its `spec` (declared `as const`), and the generated FilterCriteria/SortingCriteria of its
 * `:search` (omitted when it has none).
 */
export type Listing<
  Params extends object,
  Spec extends { readonly prefix: string; readonly filters?: readonly string[]; readonly sortBy?: readonly string[] },
  Criteria extends { field: string; operator: string } = never,
  Sorting extends { field: string } = never,
> = {
  params: Params;
  filters: Spec["filters"] extends readonly (infer F extends string)[] ? F : never;
  sortBy: Spec["sortBy"] extends readonly (infer F extends string)[] ? F : never;
  searchField: [Criteria] extends [never] ? never : Criteria["field"];
  operator: [Criteria] extends [never] ? never : Criteria["operator"];
  sortingField: [Sorting] extends [never] ? never : Sorting["field"];
};

/** Marks an entity type with its {@link ListingTypes} (a type-only member: nothing at run time). */
export interface Listable<L extends ListingTypes> {
  /** Type-level only: what `getAll()`/`search()` accept for this entity. Never set. */
  readonly [LISTING]?: L;
}

/** The {@link ListingTypes} of an entity type, or `undefined` for one without (e.g. `MambuEntity`). */
export type ListingOf<T> = T extends { readonly [LISTING]?: infer L } ? (L extends ListingTypes ? L : undefined) : undefined;

/** A custom field in a search or sort: `_Set.field` (`"_OtherDetails.Age"`). */
export type CustomFieldPath = `_${string}.${string}`;

/** A value of a search criterion or a filter: sent as text (Decimals exactly, DateTimes as Mambu's ISO). */
export type QueryValue = string | number | boolean | Decimal | DateTime;

/** Options every listing takes (pagination, detail level, connector). */
export interface ListOptionsBase {
  /** Where to start (0 by default). */
  offset?: number;
  /** At most this many records; none: every record, page by page. */
  limit?: number;
  /** `ON` asks Mambu for `items-total`. */
  paginationDetails?: "ON" | "OFF";
  detailsLevel?: DetailsLevel;
  connector?: MambuConnector;
}

/** A sortBy entry: `field`, `field:ASC` or `field:DESC` (either case). */
export type SortKey<F extends string> = F | `${F}:${"ASC" | "DESC" | "asc" | "desc"}`;

/** A filter value as `getAll()` takes it: an enum's values, a date as DateTime or text. */
type FilterValue<V> = [V] extends [DateTime | undefined] ? DateTime | string : [V] extends [Decimal | undefined] ? Decimal | number | string : Exclude<V, undefined>;

/** A top-level query parameter as `getAll()` passes it (a string, number or boolean). */
type ParamValue<V> = [V] extends [DateTime | undefined]
  ? string
  : [V] extends [Decimal | undefined]
    ? number | string
    : [V] extends [readonly (infer E)[] | undefined]
      ? E
      : Exclude<V, undefined>;

/** Options handled by getAll itself (never documented query parameters to pass through). */
type OwnOptions = "filters" | "offset" | "limit" | "paginationDetails" | "detailsLevel" | "sortBy" | "connector";

/** `getAll()` options of an entity with a {@link ListingTypes}. */
export type TypedGetAllOptions<L extends ListingTypes> = ListOptionsBase & {
  /** The entity's filters (`spec.filters`), valued as the API documents them. */
  filters?: [L["filters"]] extends [never] ? never : { [K in L["filters"] & keyof L["params"]]?: FilterValue<L["params"][K]> };
  /** One sort field (`"creationDate:DESC"`) or several, in order (an array). */
  sortBy?: [L["sortBy"]] extends [never] ? never : SortKey<L["sortBy"]> | readonly SortKey<L["sortBy"]>[];
} & { [K in Exclude<keyof L["params"], OwnOptions>]?: ParamValue<L["params"][K]> };

/** `getAll()` options of an entity without a {@link ListingTypes} (checked at run time only). */
export interface LooseGetAllOptions extends ListOptionsBase {
  filters?: Record<string, unknown>;
  sortBy?: string | readonly string[];
  /** Other query parameters the API documents for the resource. */
  [extraParam: string]: unknown;
}

/**
 * Options of `Entity.getAll()`: for an entity class, its filters, sortBy fields and documented
 * query parameters exactly (completion lists them; a typo does not compile).
 */
export type GetAllOptions<T = unknown> = ListingOf<T> extends infer L extends ListingTypes
  ? L["getAllOptions"] extends object
    ? L["getAllOptions"]
    : TypedGetAllOptions<L>
  : LooseGetAllOptions;

/** One criterion of `search()` for an entity: its fields or a custom field path, its operators. */
export interface SearchCriterion<L extends ListingTypes> {
  field: L["searchField"] | CustomFieldPath;
  operator: L["operator"];
  /** The value (every operator but IN and the ones without a value: TODAY, EMPTY, ...). */
  value?: QueryValue;
  /** The upper bound of BETWEEN. */
  secondValue?: QueryValue;
  /** The values of IN. */
  values?: readonly QueryValue[];
}

/** `search()` options of an entity with a {@link ListingTypes}. */
export interface TypedSearchOptions<L extends ListingTypes> extends ListOptionsBase {
  filterCriteria?: readonly SearchCriterion<L>[];
  sortingCriteria?: { field: L["sortingField"] | CustomFieldPath; order?: "ASC" | "DESC" };
}

/** `search()` options of an entity without a {@link ListingTypes} (checked at run time only). */
export interface LooseSearchOptions extends ListOptionsBase {
  filterCriteria?: readonly LooseCriterion[];
  sortingCriteria?: SortingCriterion;
}

/** A search criterion of any entity (a `FilterCriterion` or a typed one). */
export interface LooseCriterion {
  field: string;
  operator: string;
  value?: unknown;
  secondValue?: unknown;
  values?: readonly unknown[];
}

/**
 * Options of `Entity.search()`: for an entity class, its search fields (or `_Set.field` custom
 * field paths), operators and sort fields exactly.
 */
export type SearchOptions<T = unknown> = ListingOf<T> extends infer L extends ListingTypes
  ? [L["operator"]] extends [never]
    ? never // not searchable
    : TypedSearchOptions<L>
  : LooseSearchOptions;
