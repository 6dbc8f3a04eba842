/**
 * The shape of a sandbox collection's declaration: path and id parameter (as in Swagger), the schema definition
 * of its records, the not-found error, `GET` list filters, `sortBy` fields and default order, search fields,
 * owner type (documents, comments, tasks), the custom field entity type, what `detailsLevel=BASIC` leaves out,
 * fields never served, and the hooks of creation and deletion. The declarations are in resources.ts.
 */
import type { ErrorName } from "./errors";
import type { SandboxContext } from "./router";
import type { SearchSpec } from "./search";
import type { CollectionName, WireRecord } from "./types";

/** A `GET` list filter: query parameter → predicate. */
export type Filter = (rec: WireRecord, value: string, ctx: SandboxContext, query: Record<string, string>) => boolean;

/** What the sandbox knows about one collection. */
export interface ResourceDecl {
  /** Collection of the store. */
  coll: CollectionName;
  /** Collection path as in Swagger, e.g. "/clients", "/loans/transactions". */
  path: string;
  /** Name of the id parameter of `path/{id}` in Swagger. */
  idParam: string;
  /** Schema resource (Swagger file name) and definition of the records. */
  swagger: string;
  definition: string;
  /** Definition of POST bodies when it differs (users: "User Request"). */
  createDefinition?: string;
  notFound: ErrorName;
  /** Owner type of documents/comments/tasks (CLIENT, LOAN_ACCOUNT, ...). */
  ownerType?: string;
  /** Custom field set `availableFor` value of its records. */
  customFieldsFor?: string;
  filters?: Record<string, Filter>;
  sortFields?: string[];
  defaultSort?: string;
  search?: SearchSpec;
  /** Nested fields served only with detailsLevel=FULL (custom field sets always are FULL only). */
  fullOnly?: string[];
  /** Fields never served (e.g. passwords). */
  hidden?: string[];
  /** Fields a PATCH/PUT may not change besides the contract's readOnly ones. */
  immutable?: string[];
  /** Ids are JSON numbers (tasks, documents) rather than strings. */
  numericId?: boolean;
  /** Error when a created record's id is taken. */
  idInUse?: ErrorName;
  /** Extra lookup when neither id nor encodedKey matches (users by username). */
  lookup?: (ctx: SandboxContext, idOrKey: string) => WireRecord | undefined;
  /** Fills defaults and checks references of a new or replaced record (mutates it). */
  prepare?: (ctx: SandboxContext, rec: WireRecord, old: WireRecord | undefined) => void;
  /** After a record was written (e.g. keeps group membership in clients' groupKeys). */
  afterWrite?: (ctx: SandboxContext, rec: WireRecord, old: WireRecord | undefined) => void;
  /** Throws when the record may not be deleted. */
  beforeDelete?: (ctx: SandboxContext, rec: WireRecord) => void;
  afterDelete?: (ctx: SandboxContext, rec: WireRecord) => void;
}
