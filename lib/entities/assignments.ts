/**
 * Relations shared by the records Mambu assigns (clients, groups, loans, deposits): their branch,
 * centre and credit officer, and for accounts their holder. Declared once here and installed on
 * each class with {@link withAssignments}; each getter fetches through the record's connector and
 * sets a transient property that is never sent back to Mambu.
 */
import { Chain, chain } from "../core/chain";
import type { MambuEntity } from "../core/entity";
import { MambuTsError } from "../errors";
import { relate } from "../core/relations";
import { MambuBranch } from "./branch";
import { MambuCentre } from "./centre";
import { MambuClient } from "./client";
import { MambuGroup } from "./group";
import { MambuUser } from "./user";

/** The assignment relations of a client, group, loan or deposit. */
export interface Assigned {
  /** The assigned branch (also set as `.assignedBranch`). */
  getAssignedBranch(): Chain<MambuBranch>;
  /** The assigned centre (also set as `.assignedCentre`). */
  getAssignedCentre(): Chain<MambuCentre>;
  /** The assigned credit officer (also set as `.assignedUser`). */
  getAssignedUser(): Chain<MambuUser>;
  /** Set by getAssignedBranch(). */
  assignedBranch?: MambuBranch;
  /** Set by getAssignedCentre(). */
  assignedCentre?: MambuCentre;
  /** Set by getAssignedUser(). */
  assignedUser?: MambuUser;
}

/** The holder relation of a loan or deposit account. */
export interface Held {
  /** The account holder: a MambuClient or a MambuGroup by `accountHolderType` (also `.accountHolder`). */
  getAccountHolder(): Chain<MambuClient | MambuGroup>;
  /** Set by getAccountHolder(). */
  accountHolder?: MambuClient | MambuGroup;
}

// Function declarations (hoisted), not consts: withAssignments() runs while the entity modules
// that import this one are still loading (they import each other).
function getAssignedBranch(this: MambuEntity): Chain<MambuBranch> {
  return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
}
function getAssignedCentre(this: MambuEntity): Chain<MambuCentre> {
  return relate(this, "assignedCentre", "assignedCentreKey", () => MambuCentre);
}
function getAssignedUser(this: MambuEntity): Chain<MambuUser> {
  return relate(this, "assignedUser", "assignedUserKey", () => MambuUser);
}

function getAccountHolder(this: MambuEntity): Chain<MambuClient | MambuGroup> {
  const type = (this as unknown as { accountHolderType?: unknown }).accountHolderType;
  if (type !== "CLIENT" && type !== "GROUP") {
    return chain<MambuClient | MambuGroup>(() => {
      throw new MambuTsError(`${this.constructor.name} has accountHolderType ${JSON.stringify(type)}: expected CLIENT or GROUP`);
    });
  }
  return relate<MambuClient | MambuGroup>(this, "accountHolder", "accountHolderKey", () => (type === "CLIENT" ? MambuClient : MambuGroup));
}

function install(proto: object, name: string, fn: unknown): void {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

/** Installs the {@link Assigned} getters (and {@link Held} with `holder`) on an entity class. */
export function withAssignments(cls: { prototype: MambuEntity }, opts: { holder?: boolean } = {}): void {
  install(cls.prototype, "getAssignedBranch", getAssignedBranch);
  install(cls.prototype, "getAssignedCentre", getAssignedCentre);
  install(cls.prototype, "getAssignedUser", getAssignedUser);
  if (opts.holder) install(cls.prototype, "getAccountHolder", getAccountHolder);
}
