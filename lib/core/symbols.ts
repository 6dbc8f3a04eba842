/**
 * Internal slots of entities and value objects, keyed by symbols so that they never show up as
 * fields (`Object.keys`, JSON, REPL completion) and never collide with Mambu field names. Not part of
 * the public API (they appear in declarations only because the classes that hold them are public).
 */
/** The wire object as last read from Mambu (never mutated: the baseline for exact writes and PATCH). */
export const RAW: unique symbol = Symbol("mambu-ts.raw");
/** Converted or user-set values, by field name (created lazily). */
export const VALS: unique symbol = Symbol("mambu-ts.vals");
/** Names of fields the user assigned. */
export const DIRTY: unique symbol = Symbol("mambu-ts.dirty");
/** The entity a value object belongs to (for offsets and custom field types). */
export const ROOT: unique symbol = Symbol("mambu-ts.root");
/** The connector an entity was fetched through (related entities use it too). */
export const CONN: unique symbol = Symbol("mambu-ts.connector");
/** Cached UTC offset of an entity, e.g. "+02:00" (null when none was seen). */
export const OFFSET: unique symbol = Symbol("mambu-ts.offset");
/** Query options the entity was read with (detailsLevel), reused by refresh(). */
export const READ_OPTS: unique symbol = Symbol("mambu-ts.readOptions");
/** Names of custom field accessors defined on an instance. */
export const CF_NAMES: unique symbol = Symbol("mambu-ts.customFieldNames");

/**
 * The slots of every struct (entity or value object), as the modules below struct.ts see it
 * (custom-fields.ts): `MambuStruct` has them; they need not import it.
 */
export interface StructSlots {
  [RAW]: Record<string, unknown>;
  [VALS]: Record<string, unknown> | undefined;
  [DIRTY]: Set<string> | undefined;
  [ROOT]: StructSlots | undefined;
}
