/**
 * Link custom fields: a custom field of type CLIENT_LINK, GROUP_LINK or USER_LINK holds the
 * encodedKey of another entity. It resolves like a relation:
 *
 * ```ts
 * await loadCustomFieldDefinitions();            // or registerCustomFieldDefinitions(defs)
 * const guarantor = await client.getGuarantorClient();        // a MambuClient
 * const same = await client.getLinkedEntity("GuarantorClient"); // without definitions loaded too
 * ```
 *
 * - `entity.getLinkedEntity(fieldId)` works on any entity: the field's type comes from the
 *   definitions registered for the entity's tenant, or else from that tenant's Mambu
 *   (`GET /customfields/{id}`, once per field id and tenant). A field in a grouped set is named by
 *   row: `getLinkedEntity("GuarantorClient_1")`.
 * - Definitions are per tenant (the connector's API base URL): one learned through a connector to
 *   tenant A never decides what a field of tenant B is.
 * - `registerCustomFieldDefinitions(defs)` registers value types (as `registerCustomFieldTypes`)
 *   and, for each link field, a method `get<FieldId>(row?)` on every entity (a method or field
 *   of the same name always wins).
 * - The resolved entity is returned, fetched through the owner's connector, and kept in
 *   `entity.linkedEntities[fieldName]` (never sent back to Mambu). An empty field, a field that
 *   is not a link, or a field the entity does not have is a `MambuTsError`.
 * - Entity files declare which class a link type resolves to (`registerLinkTarget`).
 */
import { Chain, chain } from "./chain";
import { hasOwn, isPlainObject } from "./clone";
import { addCustomFieldTypes, CustomFieldType, isCustomFieldKey, liveSet } from "./custom-fields";
import { connectorOf, EntityClass, MambuEntity, requestJson } from "./entity";
import { MambuTsError } from "../errors";
import { encodeSegment } from "../transport";
import { installMethods } from "./install";
import { RAW, VALS } from "./symbols";
import { TenantOptions, tenantOf, tenantsOfDefinitions } from "./tenant";

const linkTargets = new Map<string, () => EntityClass>();
/** Tenant (see tenant.ts) → field id → type, of the definitions registered for that tenant. */
const fieldTypes = new Map<string, Map<string, string>>();
/** Getter name → field id, of the getters defined on MambuEntity.prototype (for link fields of any tenant). */
const getters = new Map<string, string>();

/** Declares the entity class a link custom field type resolves to (`"CLIENT_LINK"` → MambuClient). */
export function registerLinkTarget(linkType: string, target: () => EntityClass): void {
  linkTargets.set(linkType.toUpperCase(), target);
}

/** Whether a custom field type is a link to an entity (`*_LINK` with a registered target). */
export function isLinkType(type: string | undefined): boolean {
  return type !== undefined && linkTargets.has(type.toUpperCase());
}

/** The method name of a link field's getter: `GuarantorClient` → `getGuarantorClient`. */
export function linkGetterName(fieldId: string): string {
  return `get${fieldId}`;
}

/**
 * Registers custom field definitions (`{ id, type }`, e.g. `MambuCustomField` records): value types
 * as `registerCustomFieldTypes` does, and a `get<FieldId>()` method on entities for each link field.
 * Definitions are per tenant, as for `registerCustomFieldTypes`: those of `opts.connector`'s tenant;
 * without it, each definition's own tenant when it was read from Mambu, else the default
 * connector's. A link getter exists on every entity, and resolves with the definitions of the
 * entity's own tenant.
 */
export function registerCustomFieldDefinitions(defs: Iterable<{ id?: string; type?: CustomFieldType }>, opts?: TenantOptions): void {
  const tenantFor = tenantsOfDefinitions("registerCustomFieldDefinitions", opts);
  const list: Array<[tenant: string, id: string, type: CustomFieldType]> = [];
  for (const d of defs) {
    if (!d || typeof d.id !== "string" || d.id === "" || typeof d.type !== "string") {
      throw new MambuTsError(`registerCustomFieldDefinitions: each definition needs a string id and type`);
    }
    list.push([tenantFor(d), d.id, d.type]);
  }
  addCustomFieldTypes(list);
  for (const [tenant, id, type] of list) {
    let types = fieldTypes.get(tenant);
    if (!types) fieldTypes.set(tenant, (types = new Map()));
    types.set(id, type.toUpperCase());
    if (isLinkType(type)) defineGetter(id);
  }
}

/**
 * Forgets the definitions registered with {@link registerCustomFieldDefinitions}: of every tenant,
 * or with `{ connector }` of that connector's tenant only; the getters of link fields that no
 * tenant still defines go too.
 */
export function clearCustomFieldDefinitions(opts?: TenantOptions): void {
  const tenantFor = tenantsOfDefinitions("clearCustomFieldDefinitions", opts);
  if (opts?.connector === undefined) fieldTypes.clear();
  else fieldTypes.delete(tenantFor(undefined));
  for (const [name, fieldId] of getters) {
    if ([...fieldTypes.values()].some((types) => isLinkType(types.get(fieldId)))) continue;
    const d = Object.getOwnPropertyDescriptor(MambuEntity.prototype, name);
    if (d && (d.value as { linkFieldId?: string } | undefined)?.linkFieldId === fieldId) delete (MambuEntity.prototype as unknown as Record<string, unknown>)[name];
    getters.delete(name);
  }
}

function defineGetter(fieldId: string): void {
  const name = linkGetterName(fieldId);
  if (getters.has(name) || !/^[A-Za-z_$][\w$]*$/.test(fieldId) || name in MambuEntity.prototype) return;
  const fn = function (this: MambuEntity, row?: number): Chain<MambuEntity> {
    return getLinkedEntity(this, row === undefined ? fieldId : `${fieldId}_${row}`);
  };
  Object.defineProperty(fn, "linkFieldId", { value: fieldId });
  Object.defineProperty(fn, "name", { value: name });
  Object.defineProperty(MambuEntity.prototype, name, { value: fn, configurable: true, enumerable: false, writable: true });
  getters.set(name, fieldId);
}

/** Where a custom field of an entity is and what it holds. */
function findField(entity: MambuEntity, name: string): { fieldId: string; value: unknown } {
  const cls = entity.constructor as EntityClass;
  const keys = new Set<string>([...Object.keys(entity[RAW]), ...Object.keys(entity[VALS] ?? {})].filter(isCustomFieldKey));
  const rowMatch = /^(.*)_(\d+)$/.exec(name);
  for (const key of keys) {
    const live = liveSet(entity, key);
    if (Array.isArray(live)) {
      if (rowMatch && live.some((r) => isPlainObject(r) && hasOwn(r, rowMatch[1]))) {
        const row = live[Number(rowMatch[2])];
        if (!row) throw new MambuTsError(`${cls.name}: ${key} has no row ${rowMatch[2]}`);
        return { fieldId: rowMatch[1], value: row[rowMatch[1]] };
      }
      if (live.some((r) => isPlainObject(r) && hasOwn(r, name))) {
        throw new MambuTsError(`${cls.name}: ${name} is in the grouped set ${key}: name its row (${name}_0, ${name}_1, ...)`);
      }
    } else if (isPlainObject(live) && hasOwn(live, name)) {
      return { fieldId: name, value: live[name] };
    }
  }
  throw new MambuTsError(`${cls.name} has no custom field ${name} (read it with detailsLevel FULL?)`);
}

/**
 * The type of a custom field on the entity's tenant: registered for that tenant, else asked to that
 * tenant's Mambu once (`GET /customfields/{id}`, through the entity's connector).
 */
async function typeOf(entity: MambuEntity, fieldId: string): Promise<string> {
  const conn = connectorOf(entity);
  const known = fieldTypes.get(tenantOf(conn))?.get(fieldId);
  if (known) return known;
  const { body } = await requestJson(conn, {
    method: "GET", path: `/customfields/${encodeSegment(fieldId)}`, query: { detailsLevel: "BASIC" },
  });
  const type = (body as { type?: unknown } | undefined)?.type;
  if (typeof type !== "string") throw new MambuTsError(`the definition of custom field ${fieldId} has no type`);
  registerCustomFieldDefinitions([{ id: fieldId, type }], { connector: conn });
  return type.toUpperCase();
}

/**
 * Resolves a link custom field of an entity (`"GuarantorClient"`, or `"GuarantorClient_1"` in a
 * grouped set) to the entity it points at, through the owner's connector.
 */
export function getLinkedEntity(entity: MambuEntity, name: string): Chain<MambuEntity> {
  const cls = entity.constructor as EntityClass;
  if (typeof name !== "string" || name === "") throw new MambuTsError(`${cls.name}.getLinkedEntity: give a custom field id`);
  return chain(async () => {
    const { fieldId, value } = findField(entity, name);
    const type = await typeOf(entity, fieldId);
    const target = linkTargets.get(type);
    if (!target) throw new MambuTsError(`${cls.name}: custom field ${fieldId} is of type ${type}, not a link to an entity`);
    if (typeof value !== "string" || value === "") throw new MambuTsError(`${cls.name}: custom field ${name} is empty: it links to no ${target().name}`);
    const linked = await target().get(value, { connector: connectorOf(entity) });
    let kept = (entity as unknown as { linkedEntities?: Record<string, MambuEntity> }).linkedEntities;
    if (!kept || !Object.getOwnPropertyDescriptor(entity, "linkedEntities")) {
      kept = {};
      Object.defineProperty(entity, "linkedEntities", { value: kept, configurable: true, enumerable: false, writable: true });
    }
    kept[name] = linked;
    return linked;
  }, `${cls.name}.${name}`);
}

declare module "./entity" {
  interface MambuEntity {
    /** The entity a link custom field (CLIENT_LINK, GROUP_LINK, USER_LINK) of this entity points at. */
    getLinkedEntity(fieldName: string): Chain<MambuEntity>;
    /** The entities getLinkedEntity() resolved, by field name (never sent back to Mambu). */
    linkedEntities?: Record<string, MambuEntity>;
  }
}

installMethods(MambuEntity.prototype, {
  getLinkedEntity(this: MambuEntity, fieldName: string): Chain<MambuEntity> {
    return getLinkedEntity(this, fieldName);
  },
});
