/**
 * Comments on an entity (`GET /comments?ownerType=&ownerKey=`, `POST /comments`): clients, groups,
 * loans, deposits, branches, centres, users and products. Listing is paginated like `getAll` (all
 * of them without a `limit`); what was read is kept on the entity it was read for (`entity.comments`),
 * never in state shared between instances.
 */
import type { Comment } from "../generated/types/comments";
import { checkOptionKeys, connectorOf, EntityClass, listOf, ListOptions, MambuEntity, requestJson } from "./entity";
import { MambuError, MambuTsError } from "../errors";
import { stringifyExact } from "./json";
import { MambuList } from "./list";
import { setTransient } from "./relations";
import { MambuStruct, MambuValueObject, StructClass, structFromWire } from "./struct";
import { installMethods } from "./install";
import { RAW } from "./symbols";

type Bag = Record<string, unknown>;

/** One comment: `text`, `ownerType`, `ownerKey`, `userKey` (its author), `creationDate`, ... */
export class MambuComment extends MambuValueObject {
  static override resource = "comments";
  static override definition = "Comment";
}
export interface MambuComment extends Comment {}

/** Owner types that take comments (the API's list). */
export const COMMENT_OWNER_TYPES: readonly string[] = [
  "CLIENT", "GROUP", "LOAN_ACCOUNT", "DEPOSIT_ACCOUNT", "BRANCH", "CENTRE", "USER", "LOAN_PRODUCT", "SAVINGS_PRODUCT",
];

/** Paging options of per-entity listings (comments, documents). */
export interface OwnedListOptions {
  offset?: number;
  limit?: number;
  paginationDetails?: "ON" | "OFF";
}

/** Options of `comment()`. */
export interface CommentOptions {
  /** Idempotency-Key (v4 UUID) of the POST; a random one otherwise. */
  idempotencyKey?: string;
}

/**
 * The owner type and key of an entity for documents or comments; a clear error when the entity's
 * resource does not take them or the entity has no key yet. @internal
 */
export function ownerOf(entity: MambuEntity, what: string, allowed: readonly string[]): { ownerType: string; ownerKey: string } {
  const cls = entity.constructor as EntityClass;
  const ownerType = cls.spec.ownerType;
  if (!ownerType || !allowed.includes(ownerType)) throw new MambuTsError(`${cls.name} cannot have ${what} in Mambu`);
  const raw = entity[RAW];
  const key = raw.encodedKey ?? raw.id;
  if (key === undefined || key === null || key === "") throw new MambuTsError(`${cls.name} has no id or encodedKey yet (create() it first)`);
  return { ownerType, ownerKey: String(key) };
}

/**
 * A paginated listing of value objects (documents, comments) from a GET under /api: the same
 * pagination as `getAll` (`offset`, `limit`, `paginationDetails`; all of them without a limit).
 * @internal
 */
export function listStructs<T extends MambuStruct>(
  cls: StructClass,
  req: { path: string; query: Bag },
  opts: OwnedListOptions & { connector: ListOptions["connector"] },
): MambuList<T> {
  // listOf only reads the class's name and spec (no alwaysFull: no detailsLevel is sent).
  const listing = { name: cls.name, spec: { prefix: "" } } as unknown as EntityClass;
  const build = (raw: Bag): MambuEntity => structFromWire<T>(cls, raw) as unknown as MambuEntity;
  return listOf(listing, { method: "GET", ...req }, opts, build) as unknown as MambuList<T>;
}

/** Makes awaiting a list also store its records on the entity as a transient property. @internal */
export function keepOnAwait<T>(list: MambuList<T>, owner: object, property: string): MambuList<T> {
  const original = list.toArray.bind(list);
  list.toArray = () => original().then((items) => (setTransient(owner, property, items), items));
  return list;
}

/**
 * The comments of an entity, oldest first, paginated like `getAll`; awaited, they are also set as
 * `entity.comments` (never sent back to Mambu).
 */
export function getComments(entity: MambuEntity, opts: OwnedListOptions = {}): MambuList<MambuComment> {
  const cls = entity.constructor as EntityClass;
  checkOptionKeys(`${cls.name}.getComments`, opts, ["offset", "limit", "paginationDetails"]);
  const { ownerType, ownerKey } = ownerOf(entity, "comments", COMMENT_OWNER_TYPES);
  const list = listStructs<MambuComment>(MambuComment as unknown as StructClass, { path: "/comments", query: { ownerType, ownerKey } }, {
    ...opts, connector: connectorOf(entity),
  });
  return keepOnAwait(list, entity, "comments");
}

/**
 * Posts a comment on an entity (`POST /comments` with `{ text, ownerType, ownerKey }`) and returns
 * it as Mambu stored it; when comments were read, `entity.comments` becomes a new list ending with
 * it (the list returned earlier is not changed).
 */
export async function comment(entity: MambuEntity, text: string, opts: CommentOptions = {}): Promise<MambuComment> {
  const cls = entity.constructor as EntityClass;
  checkOptionKeys(`${cls.name}.comment`, opts, ["idempotencyKey"]);
  if (typeof text !== "string" || text.trim() === "") throw new MambuTsError(`${cls.name}.comment: text must be a non-empty string`);
  const { ownerType, ownerKey } = ownerOf(entity, "comments", COMMENT_OWNER_TYPES);
  const { body } = await requestJson(connectorOf(entity), {
    method: "POST",
    path: "/comments",
    bodyText: stringifyExact({ text, ownerType, ownerKey }),
    idempotencyKey: opts.idempotencyKey,
  });
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new MambuError(`malformed response from Mambu: expected the created comment as a JSON object`);
  }
  const created = structFromWire<MambuComment>(MambuComment as unknown as StructClass, body as Bag);
  const kept = (entity as unknown as { comments?: unknown }).comments;
  if (Array.isArray(kept) && Object.getOwnPropertyDescriptor(entity, "comments")) setTransient(entity, "comments", [...kept, created]);
  return created;
}

declare module "./entity" {
  interface MambuEntity {
    /** This entity's comments (paginated); awaited, also `entity.comments`. */
    getComments(opts?: OwnedListOptions): MambuList<MambuComment>;
    /** Posts a comment on this entity. */
    comment(text: string, opts?: CommentOptions): Promise<MambuComment>;
    /** Set when getComments() is awaited (never sent back to Mambu). */
    comments?: MambuComment[];
  }
}

installMethods(MambuEntity.prototype, {
  getComments(this: MambuEntity, opts?: OwnedListOptions): MambuList<MambuComment> {
    return getComments(this, opts);
  },
  comment(this: MambuEntity, text: string, opts?: CommentOptions): Promise<MambuComment> {
    return comment(this, text, opts);
  },
});
