/** Custom field sets (`/api/customfieldsets`): the definitions of the `_Set` keys of entities. */
import { connectorOf, EntityClass, EntitySpec, GetAllOptions, GetOptions, listOf, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { MambuTsError } from "../errors";
import { MambuList } from "../core/list";
import { Chain } from "../core/chain";
import { RAW } from "../core/symbols";
import { definition } from "../contract/schema";
import type { CustomFieldSetMetaStruct, QueryParameters } from "../generated/types/customfieldsets";
import type { Listable, Listing, LooseGetAllOptions } from "../core/query-types";
import { encodeSegment } from "../transport";
import { MambuCustomField } from "./customfield";

/** The entity types a custom field set can be available for (the API's enum). */
export function customFieldSetTargets(): readonly string[] {
  return definition("customfieldsets", "CustomFieldSetMeta").fields.availableFor?.enum ?? [];
}

/** A custom field set (`id` like `_OtherDetails`, `availableFor`, `fieldSetType` STANDARD or GROUPED, `customFields`). Read-only. */
export class MambuCustomFieldSet extends MambuEntity {
  static override resource = "customfieldsets";
  static override definition = "CustomFieldSetMeta";
  static override spec = {
    prefix: "customfieldsets",
  } as const satisfies EntitySpec;

  /**
   * Custom field sets, as `getAll` (no filters, no sortBy); `availableFor` (CLIENT, GROUP,
   * LOAN_ACCOUNT, ...) is checked against the API's list before any request.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const opts = (options ?? {}) as LooseGetAllOptions;
    const af = opts.availableFor;
    if (af !== undefined) {
      const allowed = customFieldSetTargets();
      if (typeof af !== "string" || !allowed.includes(af)) {
        throw new MambuTsError(`key ${JSON.stringify(af)} not in allowed availableFor: ${allowed.join(", ")}`);
      }
    }
    return super.getAll<T>(options as never);
  }

  /** Not in the API v2 (there is no `GET /customfieldsets/{id}`): list with `getAll({ availableFor })`. */
  static override get<T extends MambuEntity>(this: EntityClass<T>, _id: string | number, _opts?: GetOptions): Chain<T> {
    throw new MambuTsError(`Mambu API v2 has no GET /customfieldsets/{id}: use MambuCustomFieldSet.getAll({ availableFor }) and pick the set`);
  }

  /** The set's custom field definitions (`GET /customfieldsets/{id}/customfields`, paginated). */
  getCustomFields(opts: { detailsLevel?: "BASIC" | "FULL"; offset?: number; limit?: number } = {}): MambuList<MambuCustomField> {
    const key = this[RAW].encodedKey ?? this[RAW].id;
    if (typeof key !== "string" || key === "") throw new MambuTsError(`MambuCustomFieldSet has no id or encodedKey`);
    return listOf(MambuCustomField, { method: "GET", path: `/customfieldsets/${encodeSegment(key)}/customfields`, query: {} }, {
      ...opts, connector: connectorOf(this),
    });
  }
}
export interface MambuCustomFieldSet
  extends CustomFieldSetMetaStruct, Listable<Listing<QueryParameters["GET /customfieldsets"], typeof MambuCustomFieldSet.spec>> {}
