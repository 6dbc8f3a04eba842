/**
 * `configuration/branches.yaml`: the tenant's branches as one document (`BranchesConfiguration`), ordered by id.
 *
 * A PUT makes the branches what the document says: a branch with a new id is created, one with a known id is
 * updated (name, state, contact details, notes, address, holidays, custom field values: what the document
 * leaves out is gone), and a branch the document does not list is deleted — or, when clients, groups, centres,
 * users or accounts are assigned to it, deactivated with a warning ("Branch [id = X] could not be deleted and
 * was deactivated", as Mambu answers for centres). A branch left INACTIVE while an ACTIVE centre is assigned to
 * it is refused (CANNOT_DEACTIVATE_BRANCH). Nothing is changed unless the whole document is accepted.
 */
import { validateCustomFields } from "../customfields";
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { valueSetsOf, valueSetsToRecord, withoutValueSets, type ValueSetConfig } from "./cf-values";
import { mambuError } from "../errors";
import { addressOf, addressesFrom, sortById, type AddressConfig } from "./shapes";

interface HolidayConfig {
  id: number;
  name: string;
  dayOfMonth: number;
  monthOfYear: number;
  year: number;
  isAnnuallyRecurring: boolean;
}

interface BranchConfig {
  id: string;
  name: string;
  state: "ACTIVE" | "INACTIVE";
  phoneNumber?: string;
  emailAddress?: string;
  notes?: string;
  address?: AddressConfig;
  holidays?: HolidayConfig[];
  customFieldValueSets?: ValueSetConfig[];
}

/** Collections whose records are assigned to a branch by `assignedBranchKey`. */
const ASSIGNED: Array<"clients" | "groups" | "centres" | "users" | "loans" | "deposits"> = ["clients", "groups", "centres", "users", "loans", "deposits"];

/** Whether anything is assigned to the branch (then it cannot be deleted). */
export function branchInUse(ctx: SandboxContext, key: string): boolean {
  return ASSIGNED.some((c) => ctx.store.all(c).some((r) => r.assignedBranchKey === key));
}

function holidayOf(h: Record<string, unknown>): HolidayConfig {
  const [y, m, d] = String(h.date ?? "").split("-").map(Number);
  return { id: Number(h.id), name: String(h.name ?? ""), dayOfMonth: d, monthOfYear: m, year: y, isAnnuallyRecurring: h.isAnnuallyRecurring === true };
}

/** The `BranchesConfiguration` document of the tenant. */
export function branchesDocument(ctx: SandboxContext): { branches: BranchConfig[] } {
  const branches = sortById(ctx.store.all("branches")).map((b) => {
    const out: BranchConfig = { id: String(b.id), name: String(b.name ?? ""), state: b.state === "INACTIVE" ? "INACTIVE" : "ACTIVE" };
    for (const k of ["phoneNumber", "emailAddress", "notes"] as const) if (typeof b[k] === "string" && b[k] !== "") out[k] = b[k] as string;
    const address = addressOf(b);
    if (address) out.address = address;
    const holidays = ((b.branchHolidays as Array<Record<string, unknown>> | undefined) ?? []).map(holidayOf);
    if (holidays.length) out.holidays = holidays;
    const sets = valueSetsOf(b);
    if (sets) out.customFieldValueSets = sets;
    return out;
  });
  return { branches };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function holidaysToWire(ctx: SandboxContext, list: HolidayConfig[] | undefined, where: string, old: WireRecord | undefined): Array<Record<string, unknown>> {
  const before = new Map(((old?.branchHolidays as Array<Record<string, unknown>> | undefined) ?? []).map((h) => [Number(h.id), h]));
  const seen = new Set<number>();
  return (list ?? []).map((h, i) => {
    const at = `${where}.holidays[${i}]`;
    if (seen.has(h.id)) throw mambuError("DUPLICATE_HOLIDAY_ID", `${at}.id: ${h.id}`);
    seen.add(h.id);
    const date = `${pad(h.year, 4)}-${pad(h.monthOfYear)}-${pad(h.dayOfMonth)}`;
    const t = new Date(`${date}T00:00:00Z`);
    if (h.year < 1 || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date) throw mambuError("HOLIDAY_VALID_DATE_ERROR", `${at}: ${date} is not a date`);
    const prev = before.get(h.id);
    return {
      encodedKey: prev?.encodedKey ?? ctx.store.newEncodedKey(),
      id: h.id,
      name: h.name,
      date,
      isAnnuallyRecurring: h.isAnnuallyRecurring,
      creationDate: prev?.creationDate ?? ctx.clock.nowIso(),
    };
  });
}

/** Applies a validated `BranchesConfiguration`; returns the warnings. */
export function applyBranches(ctx: SandboxContext, doc: { branches: BranchConfig[] }): string[] {
  if (!doc.branches.length) throw mambuError("BRANCHES_CONFIGURATION_EMPTY", "branches: at least one branch");
  const ids = new Set<string>();
  doc.branches.forEach((b, i) => {
    if (b.id.trim() === "") throw mambuError("BLANK_BRANCH_ID", `branches[${i}].id`);
    if (b.name.trim() === "") throw mambuError("BLANK_BRANCH_NAME", `branches[${i}].name`);
    if (ids.has(b.id)) throw mambuError("DUPLICATE_BRANCH_ID", `branches[${i}].id: ${b.id}`);
    ids.add(b.id);
  });
  const now = ctx.clock.nowIso();
  // Build every record first (all checks), then write.
  const writes: Array<{ old?: WireRecord; rec: WireRecord }> = doc.branches.map((b, i) => {
    const where = `branches[${i}]`;
    const old = ctx.store.find("branches", b.id);
    const rec: WireRecord = {
      ...(old ? withoutValueSets(old) : { encodedKey: ctx.store.newEncodedKey(), creationDate: now }),
      id: b.id,
      name: b.name,
      state: b.state,
      lastModifiedDate: now,
    };
    for (const k of ["phoneNumber", "emailAddress", "notes"] as const) {
      if (b[k] !== undefined) rec[k] = b[k];
      else delete rec[k];
    }
    rec.addresses = addressesFrom(ctx, b.address, rec.encodedKey, old);
    rec.branchHolidays = holidaysToWire(ctx, b.holidays, where, old);
    Object.assign(rec, valueSetsToRecord(b.customFieldValueSets, where));
    validateCustomFields(ctx, "BRANCH", rec); // values fit the tenant's sets and fields
    return { old, rec };
  });
  const warnings: string[] = [];
  const leaving: Array<{ rec: WireRecord; remove: boolean }> = ctx.store
    .all("branches")
    .filter((b) => !ids.has(String(b.id)))
    .map((b) => ({ rec: b, remove: !branchInUse(ctx, b.encodedKey) }));
  const inactive = new Set([
    ...writes.filter((w) => w.rec.state === "INACTIVE").map((w) => w.rec.encodedKey),
    ...leaving.filter((l) => !l.remove).map((l) => l.rec.encodedKey),
  ]);
  const blocking = ctx.store.all("centres").find((c) => c.state !== "INACTIVE" && inactive.has(String(c.assignedBranchKey)));
  if (blocking) {
    const branch = ctx.store.find("branches", String(blocking.assignedBranchKey));
    throw mambuError("CANNOT_DEACTIVATE_BRANCH", `branch ${branch?.id}: the active centre ${blocking.id} is assigned to it`);
  }
  for (const w of writes) {
    if (w.old) ctx.store.replace("branches", w.rec);
    else ctx.store.insert("branches", w.rec);
  }
  for (const l of leaving) {
    if (l.remove) {
      ctx.store.remove("branches", l.rec.encodedKey);
    } else {
      ctx.store.replace("branches", { ...l.rec, state: "INACTIVE", lastModifiedDate: now });
      warnings.push(`Branch [id = ${l.rec.id}] could not be deleted and was deactivated`);
    }
  }
  return warnings;
}
