/** Clients (`/api/clients`): individual persons. */
import { Assigned, withAssignments } from "./assignments";
import { Chain, chain } from "../core/chain";
import { connectorOf, EntitySpec, MambuEntity } from "../core/entity";
import type { MambuList } from "../core/list";
import "../core/entity-methods";
import { CreditArrangementListOptions, holderCreditArrangements, MambuCreditArrangement } from "./credit-arrangement";
import { registerLinkTarget } from "../core/link-fields";
import { setTransient } from "../core/relations";
import type { ClientFilterCriteria, ClientSortingCriteria, ClientStruct, QueryParameters } from "../generated/types/clients";
import type { MambuClientCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";
import { MambuGroup } from "./group";

/** A Mambu client. Custom field sets are flattened onto it (see README "Custom fields"). */
export class MambuClient extends MambuEntity {
  static override resource = "clients";
  static override definition = "Client";
  static override spec = {
    prefix: "clients",
    filters: ["branchId", "centreId", "creditOfficerUsername", "firstName", "lastName", "idNumber", "state", "birthDate"],
    sortBy: ["creationDate", "lastModifiedDate", "firstName", "lastName"],
    search: { filterDefinition: "ClientFilterCriteria" },
    ownerType: "CLIENT",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * The credit arrangements the client holds (`GET /clients/{clientId}/creditarrangements`), paginated like
   * getAll (`offset`, `limit`, `paginationDetails`, `detailsLevel`).
   */
  getCreditArrangements(opts?: CreditArrangementListOptions): MambuList<MambuCreditArrangement> {
    return holderCreditArrangements(this, opts);
  }

  /**
   * The groups the client belongs to (from `groupKeys`, in that order; an empty list when none),
   * fetched through the client's connector a few at a time (config `concurrency`); also set as
   * `client.groups`.
   */
  getGroups(): Chain<MambuGroup[]> {
    return chain(async () => {
      const keys = (this.groupKeys ?? []) as string[];
      const conn = connectorOf(this);
      const groups: MambuGroup[] = new Array(keys.length);
      const width = Math.max(1, conn.config.concurrency);
      for (let i = 0; i < keys.length; i += width) {
        const batch = keys.slice(i, i + width).map((k) => MambuGroup.get(k, { connector: conn }));
        (await Promise.all(batch)).forEach((g, j) => (groups[i + j] = g));
      }
      setTransient(this, "groups", groups);
      return groups;
    }, `${this.constructor.name}.groups`);
  }
}
withAssignments(MambuClient);
export interface MambuClient
  extends ClientStruct, Assigned, MambuClientCustomFields,
    Listable<Listing<QueryParameters["GET /clients"], typeof MambuClient.spec, ClientFilterCriteria, ClientSortingCriteria>> {
  /** Set by getGroups(). */
  groups?: MambuGroup[];
}

registerLinkTarget("CLIENT_LINK", () => MambuClient);
