/**
 * Custom field definitions (`/api/customfields/{id}`; listed through their sets). Loading them
 * types custom field values (NUMBER → Decimal, CHECKBOX → boolean, DATE → date) and makes link
 * fields resolvable (`client.getGuarantorClient()`): `await loadCustomFieldDefinitions()`.
 */
import { checkOptionKeys, EntityClass, EntitySpec, GetAllOptions, MambuEntity } from "../core/entity";
import "../core/entity-methods";
import { MambuConnector } from "../transport";
import type { CustomFieldType } from "../core/custom-fields";
import { registerCustomFieldDefinitions } from "../core/link-fields";
import { MambuList } from "../core/list";
import type { CustomFieldMeta, CustomFieldMetaStruct } from "../generated/types/customfields";
import type { Listable, Listing, LooseGetAllOptions } from "../core/query-types";
import type { DetailsLevel } from "../core/query";
import { MambuCustomFieldSet } from "./customfieldset";

/** Options of `MambuCustomField.getAll()`. */
export interface CustomFieldsOptions {
  /** Only the fields of sets available for this entity type (CLIENT, GROUP, LOAN_ACCOUNT, ...). */
  availableFor?: NonNullable<CustomFieldMeta["availableFor"]>;
  detailsLevel?: DetailsLevel;
  connector?: MambuConnector;
}

/** A custom field definition (`id`, `type` FREE_TEXT/SELECTION/NUMBER/CHECKBOX/DATE/CLIENT_LINK/GROUP_LINK/USER_LINK, `availableFor`, ...). Read-only. */
export class MambuCustomField extends MambuEntity {
  static override resource = "customfields";
  static override definition = "CustomFieldMeta";
  static override spec = {
    prefix: "customfields",
  } as const satisfies EntitySpec;

  /**
   * Every custom field definition: the API v2 lists them per set, so this walks
   * `GET /customfieldsets` (optionally `availableFor` one entity type) and, for each set,
   * `GET /customfieldsets/{id}/customfields` — all pages, streamed in order.
   * Options: `availableFor`, `detailsLevel`, `connector`.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const opts = (options ?? {}) as LooseGetAllOptions;
    checkOptionKeys("MambuCustomField.getAll", opts, ["availableFor", "detailsLevel", "connector"]);
    const { availableFor, detailsLevel, connector } = opts as CustomFieldsOptions;
    const sets = MambuCustomFieldSet.getAll({ ...(availableFor !== undefined ? { availableFor } : {}), connector });
    return new MambuList<T>(async function* () {
      for await (const set of sets) {
        const fields = set.getCustomFields({ detailsLevel: detailsLevel as "BASIC" | "FULL" | undefined });
        for await (const page of fields.byPage()) yield page as unknown as T[];
      }
    }, "MambuCustomField list");
  }
}
export interface MambuCustomField extends CustomFieldMetaStruct, Listable<Listing<object, typeof MambuCustomField.spec> & { getAllOptions: CustomFieldsOptions }> {
  id: string;
  type: CustomFieldType & NonNullable<CustomFieldMeta["type"]>;
}

/**
 * Fetches every custom field definition (optionally those `availableFor` one entity type) and
 * registers them: values of those fields are typed from then on, and link fields get their
 * `get<FieldId>()` on entities. Returns the definitions.
 */
export async function loadCustomFieldDefinitions(opts: Omit<CustomFieldsOptions, "detailsLevel"> = {}): Promise<MambuCustomField[]> {
  checkOptionKeys("loadCustomFieldDefinitions", opts, ["availableFor", "connector"]);
  const defs = await MambuCustomField.getAll(opts);
  registerCustomFieldDefinitions(defs);
  return defs;
}
