/**
 * `configuration/centres.yaml`: the tenant's centres as one document (`CentresConfiguration`), ordered by id.
 *
 * A PUT creates the centres with new ids, updates the known ones (what the document leaves out is gone), and
 * deletes the centres it does not list — or, when clients, groups or accounts are assigned to one, deactivates
 * it with Mambu's warning "Centre [id = X] could not be deleted and was deactivated" (the reference's example
 * answer). `assignedBranchId` must name an existing branch, ACTIVE for an ACTIVE centre.
 */
import { validateCustomFields } from "../customfields";
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { valueSetsOf, valueSetsToRecord, withoutValueSets, type ValueSetConfig } from "./cf-values";
import { mambuError } from "../errors";
import { addressOf, addressesFrom, sortById, type AddressConfig } from "./shapes";

interface CentreConfig {
  id: string;
  name: string;
  state: "ACTIVE" | "INACTIVE";
  notes?: string;
  meetingDay?: string;
  assignedBranchId?: string;
  address?: AddressConfig;
  customFieldValueSets?: ValueSetConfig[];
}

const ASSIGNED: Array<"clients" | "groups" | "loans" | "deposits"> = ["clients", "groups", "loans", "deposits"];

/** The `CentresConfiguration` document of the tenant. */
export function centresDocument(ctx: SandboxContext): { centres: CentreConfig[] } {
  const centres = sortById(ctx.store.all("centres")).map((c) => {
    const out: CentreConfig = { id: String(c.id), name: String(c.name ?? ""), state: c.state === "INACTIVE" ? "INACTIVE" : "ACTIVE" };
    if (typeof c.notes === "string" && c.notes !== "") out.notes = c.notes;
    if (typeof c.meetingDay === "string" && c.meetingDay !== "") out.meetingDay = c.meetingDay;
    const branch = typeof c.assignedBranchKey === "string" ? ctx.store.find("branches", c.assignedBranchKey) : undefined;
    if (branch) out.assignedBranchId = String(branch.id);
    const address = addressOf(c);
    if (address) out.address = address;
    const sets = valueSetsOf(c);
    if (sets) out.customFieldValueSets = sets;
    return out;
  });
  return { centres };
}

/** Applies a validated `CentresConfiguration`; returns the warnings. */
export function applyCentres(ctx: SandboxContext, doc: { centres: CentreConfig[] }): string[] {
  if (!doc.centres.length) throw mambuError("CENTRE_CONFIGURATION_EMPTY", "centres: at least one centre");
  const ids = new Set<string>();
  const now = ctx.clock.nowIso();
  const writes = doc.centres.map((c, i) => {
    const where = `centres[${i}]`;
    if (c.id.trim() === "") throw mambuError("BLANK_CENTRE_ID", `${where}.id`);
    if (c.name.trim() === "") throw mambuError("BLANK_CENTRE_NAME", `${where}.name`);
    if (ids.has(c.id)) throw mambuError("DUPLICATE_CENTRE_ID", `${where}.id: ${c.id}`);
    ids.add(c.id);
    let branchKey: string | undefined;
    if (c.assignedBranchId !== undefined) {
      const branch = ctx.store.find("branches", c.assignedBranchId);
      if (!branch || branch.id !== c.assignedBranchId) throw mambuError("BRANCH_DOES_NOT_EXIST", `${where}.assignedBranchId: ${c.assignedBranchId}`);
      if (c.state === "ACTIVE" && branch.state === "INACTIVE") throw mambuError("BRANCH_IS_INACTIVE", `${where}.assignedBranchId: ${c.assignedBranchId}`);
      branchKey = branch.encodedKey;
    }
    const old = ctx.store.find("centres", c.id);
    const rec: WireRecord = {
      ...(old ? withoutValueSets(old) : { encodedKey: ctx.store.newEncodedKey(), creationDate: now }),
      id: c.id,
      name: c.name,
      state: c.state,
      lastModifiedDate: now,
    };
    for (const k of ["notes", "meetingDay"] as const) {
      if (c[k] !== undefined) rec[k] = c[k];
      else delete rec[k];
    }
    if (branchKey !== undefined) rec.assignedBranchKey = branchKey;
    else delete rec.assignedBranchKey;
    rec.addresses = addressesFrom(ctx, c.address, rec.encodedKey, old);
    Object.assign(rec, valueSetsToRecord(c.customFieldValueSets, where));
    validateCustomFields(ctx, "CENTRE", rec); // values fit the tenant's sets and fields
    return { old, rec };
  });
  for (const w of writes) {
    if (w.old) ctx.store.replace("centres", w.rec);
    else ctx.store.insert("centres", w.rec);
  }
  const warnings: string[] = [];
  for (const c of ctx.store.all("centres").filter((x) => !ids.has(String(x.id)))) {
    if (ASSIGNED.some((coll) => ctx.store.all(coll).some((r) => r.assignedCentreKey === c.encodedKey))) {
      ctx.store.replace("centres", { ...c, state: "INACTIVE", lastModifiedDate: now });
      warnings.push(`Centre [id = ${c.id}] could not be deleted and was deactivated`);
    } else {
      ctx.store.remove("centres", c.encodedKey);
    }
  }
  return warnings;
}
