/**
 * Reassignment: moving a client, group, loan or deposit account (or a user, by branch) to another
 * branch, centre or credit officer — the cookbook's "Account and Group Reassignment" recipe.
 *
 * `entity.reassign({ branch?, centre?, creditOfficer? })` takes ids, encodedKeys or entities,
 * resolves them to encodedKeys (an entity you pass is used as is; an id or key is fetched once,
 * through the entity's connector), checks that the assignment is coherent, and PATCHes only
 * `assignedBranchKey`, `assignedCentreKey` and `assignedUserKey`:
 *
 * - a centre without a branch moves the entity to the centre's branch;
 * - a centre and a branch must agree (the centre belongs to that branch);
 * - a new branch with no centre given keeps the entity's centre only if it belongs to the new
 *   branch; otherwise it is an error asking for `centre` (a centre of the new branch, or `null`);
 * - `centre: null` / `creditOfficer: null` remove the assignment;
 * - a user whose access says it is not a credit officer is refused.
 *
 * Other pending changes of the entity are neither sent nor lost. The resolved entities are set as
 * `entity.assignedBranch`, `assignedCentre`, `assignedUser` (never sent back to Mambu).
 */
import { connectorOf, EntityClass, MambuEntity } from "./entity";
import { MambuTsError } from "../errors";
import type { PatchOperation } from "./patch";
import { entityClass } from "./registry";
import { setTransient } from "./relations";
import { fieldSpecsOf } from "./struct";
import { installMethods } from "./install";
import { RAW } from "./symbols";

/** A branch, centre or user: its id, its encodedKey, or the entity itself. */
export type AssignmentRef = string | MambuEntity;

/** Options of `reassign()`. */
export interface ReassignOptions {
  /** The new branch. */
  branch?: AssignmentRef;
  /** The new centre; `null` removes the entity from its centre. */
  centre?: AssignmentRef | null;
  /** The new credit officer (a user); `null` removes it. */
  creditOfficer?: AssignmentRef | null;
  /** Idempotency-Key (v4 UUID) of the PATCH. */
  idempotencyKey?: string;
}

type Bag = Record<string, unknown>;

// Entity classes are looked up when needed (entity files register them): lib/core does not import lib/entities.
const targets = {
  branch: (): EntityClass => entityClass("branch"),
  centre: (): EntityClass => entityClass("centre"),
  creditOfficer: (): EntityClass => entityClass("user"),
};

const FIELDS = { branch: "assignedBranchKey", centre: "assignedCentreKey", creditOfficer: "assignedUserKey" } as const;
const PROPS = { branch: "assignedBranch", centre: "assignedCentre", creditOfficer: "assignedUser" } as const;
type Slot = keyof typeof FIELDS;

async function resolve(owner: MambuEntity, slot: Slot, ref: AssignmentRef, where: string): Promise<MambuEntity> {
  const cls = targets[slot]();
  if (ref instanceof MambuEntity) {
    if (!(ref instanceof cls)) throw new MambuTsError(`${where}: ${slot} must be a ${cls.name} (or its id or encodedKey), got a ${(ref as MambuEntity).constructor.name}`);
    const key = ref[RAW].encodedKey;
    if (typeof key !== "string" || key === "") throw new MambuTsError(`${where}: the ${cls.name} given as ${slot} has no encodedKey (read it from Mambu first)`);
    return ref;
  }
  if (typeof ref !== "string" || ref.trim() === "") throw new MambuTsError(`${where}: ${slot} must be an id, an encodedKey or a ${cls.name}`);
  return (await cls.get(ref, { connector: connectorOf(owner) })) as MambuEntity;
}

const keyOf = (e: MambuEntity): string => e[RAW].encodedKey as string;

/** Moves an entity to another branch, centre and/or credit officer (see the module notes); returns the PATCH operations sent. */
export async function reassign(entity: MambuEntity, opts: ReassignOptions): Promise<PatchOperation[]> {
  const cls = entity.constructor as EntityClass;
  const where = `${cls.name}.reassign`;
  if (typeof opts !== "object" || opts === null) throw new MambuTsError(`${where}: give { branch?, centre?, creditOfficer? }`);
  for (const k of Object.keys(opts)) {
    if (!["branch", "centre", "creditOfficer", "idempotencyKey"].includes(k)) {
      throw new MambuTsError(`${where}: unknown option "${k}" (known: branch, centre, creditOfficer, idempotencyKey)`);
    }
  }
  if (!cls.spec.writable) throw new MambuTsError(`${cls.name} cannot be reassigned through the API v2 (read-only resource)`);
  const specs = fieldSpecsOf(cls);
  const slots = (Object.keys(FIELDS) as Slot[]).filter((s) => opts[s] !== undefined);
  if (!slots.length) throw new MambuTsError(`${where}: give a branch, a centre or a creditOfficer`);
  for (const s of slots) {
    if (!specs[FIELDS[s]]) throw new MambuTsError(`${where}: a ${cls.name} has no ${FIELDS[s]} (it cannot be assigned a ${s})`);
  }
  if (opts.branch === null) throw new MambuTsError(`${where}: an entity cannot be left without a branch`);
  entity.entityPath(); // has a key

  const self = entity as unknown as Bag;
  const resolved: Partial<Record<Slot, MambuEntity | null>> = {};
  for (const s of slots) {
    const ref = opts[s];
    resolved[s] = ref === null ? null : await resolve(entity, s, ref as AssignmentRef, where);
  }

  const centre = resolved.centre;
  let branchKey = resolved.branch ? keyOf(resolved.branch) : undefined;
  if (centre) {
    const centreBranch = (centre as unknown as Bag).assignedBranchKey as string | undefined;
    if (branchKey !== undefined && centreBranch && centreBranch !== branchKey) {
      throw new MambuTsError(`${where}: centre ${String(centre[RAW].id ?? keyOf(centre))} belongs to another branch (${centreBranch}), not to ${String(resolved.branch![RAW].id ?? branchKey)}`);
    }
    if (branchKey === undefined && centreBranch && specs.assignedBranchKey) branchKey = centreBranch;
  }
  const currentBranch = self.assignedBranchKey as string | undefined;
  const currentCentre = self.assignedCentreKey as string | undefined;
  if (branchKey !== undefined && branchKey !== currentBranch && opts.centre === undefined && currentCentre && specs.assignedCentreKey) {
    const Centre = targets.centre();
    const old = (await Centre.get(currentCentre, { connector: connectorOf(entity) })) as MambuEntity;
    if ((old as unknown as Bag).assignedBranchKey !== branchKey) {
      throw new MambuTsError(`${where}: the current centre ${String(old[RAW].id ?? currentCentre)} is not in the new branch; pass centre: a centre of that branch, or centre: null`);
    }
  }
  const officer = resolved.creditOfficer;
  if (officer) {
    const access = (officer[RAW].access ?? undefined) as Bag | undefined;
    if (access && access.creditOfficerAccess === false) {
      throw new MambuTsError(`${where}: user ${String(officer[RAW].username ?? officer[RAW].id)} is not a credit officer`);
    }
  }

  const fields: string[] = [];
  const set = (field: string, value: string | undefined): void => {
    self[field] = value;
    fields.push(field);
  };
  if (branchKey !== undefined) set(FIELDS.branch, branchKey);
  if (opts.centre !== undefined) set(FIELDS.centre, centre ? keyOf(centre) : undefined);
  if (opts.creditOfficer !== undefined) set(FIELDS.creditOfficer, officer ? keyOf(officer) : undefined);
  const ops = await entity.patch(fields, { idempotencyKey: opts.idempotencyKey });
  for (const s of slots) {
    const e = resolved[s];
    if (e) setTransient(entity, PROPS[s], e);
    else delete self[PROPS[s]];
  }
  if (resolved.branch === undefined && branchKey !== undefined && branchKey !== currentBranch) delete self[PROPS.branch];
  return ops;
}

declare module "./entity" {
  interface MambuEntity {
    /** Moves this entity to another branch, centre and/or credit officer (PATCH of the assignment keys). */
    reassign(opts: ReassignOptions): Promise<PatchOperation[]>;
  }
}

installMethods(MambuEntity.prototype, {
  reassign(this: MambuEntity, opts: ReassignOptions): Promise<PatchOperation[]> {
    return reassign(this, opts);
  },
});
