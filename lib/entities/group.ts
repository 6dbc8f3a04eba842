/** Groups (`/api/groups`) and their members. */
import { Assigned, withAssignments } from "./assignments";
import { Chain, chain } from "../core/chain";
import { connectorOf, EntitySpec, MambuEntity } from "../core/entity";
import type { MambuList } from "../core/list";
import "../core/entity-methods";
import { CreditArrangementListOptions, holderCreditArrangements, MambuCreditArrangement } from "./credit-arrangement";
import { MambuTsError } from "../errors";
import { registerLinkTarget } from "../core/link-fields";
import { setTransient } from "../core/relations";
import { MambuValueObject, rootOf, StructClass } from "../core/struct";
import { registerValueObjectClass } from "../core/value-objects";
import type { GroupFilterCriteria, GroupMember, GroupSortingCriteria, GroupStruct, QueryParameters } from "../generated/types/groups";
import type { MambuGroupCustomFields } from "./custom-fields";
import type { Listable, Listing } from "../core/query-types";
import { MambuClient } from "./client";

/** A Mambu group of clients. `groupMembers` (read with detailsLevel FULL) are {@link MambuGroupMember}s. */
export class MambuGroup extends MambuEntity {
  static override resource = "groups";
  static override definition = "Group";
  static override spec = {
    prefix: "groups",
    filters: ["branchId", "centreId", "creditOfficerUsername"],
    sortBy: ["creationDate", "lastModifiedDate", "groupName"],
    search: { filterDefinition: "GroupFilterCriteria" },
    ownerType: "GROUP",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * The credit arrangements the group holds (`GET /groups/{groupId}/creditarrangements`), paginated like
   * getAll (`offset`, `limit`, `paginationDetails`, `detailsLevel`).
   */
  getCreditArrangements(opts?: CreditArrangementListOptions): MambuList<MambuCreditArrangement> {
    return holderCreditArrangements(this, opts);
  }

  /**
   * Every member client (from `groupMembers`, so read the group with detailsLevel FULL), in order,
   * a few at a time (config `concurrency`); each is also set as `member.client`.
   */
  getMembers(): Chain<MambuClient[]> {
    return chain(async () => {
      const members = (this.groupMembers ?? []) as MambuGroupMember[];
      const width = Math.max(1, connectorOf(this).config.concurrency);
      const out: MambuClient[] = [];
      for (let i = 0; i < members.length; i += width) out.push(...(await Promise.all(members.slice(i, i + width).map((m) => m.getClient()))));
      return out;
    }, `${this.constructor.name}.members`);
  }
}
withAssignments(MambuGroup);
export interface MambuGroup
  extends GroupStruct, Assigned, MambuGroupCustomFields,
    Listable<Listing<QueryParameters["GET /groups"], typeof MambuGroup.spec, GroupFilterCriteria, GroupSortingCriteria>> {
  groupMembers?: MambuGroupMember[];
}

/** A member of a group: `clientKey` and its `roles`; `getClient()` fetches the client. */
export class MambuGroupMember extends MambuValueObject {
  static override resource = "groups";
  static override definition = "GroupMember";

  /** The member's client, through the group's connector (also set as `member.client`). */
  getClient(): Chain<MambuClient> {
    return chain(async () => {
      const key = this.clientKey;
      if (typeof key !== "string" || key === "") throw new MambuTsError(`group member has no clientKey`);
      const root = rootOf(this);
      const client = await MambuClient.get(key, { connector: connectorOf(root instanceof MambuEntity ? root : undefined) });
      setTransient(this, "client", client);
      return client;
    }, "MambuGroupMember.client");
  }
}
export interface MambuGroupMember extends GroupMember {
  /** Set by getClient(). */
  client?: MambuClient;
}

registerValueObjectClass("groups", "GroupMember", MambuGroupMember as unknown as StructClass);
registerLinkTarget("GROUP_LINK", () => MambuGroup);
