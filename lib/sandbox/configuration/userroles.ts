/**
 * `configuration/userroles.yaml`: the tenant's user roles as one document (`RolesConfiguration`), ordered by id,
 * and `configuration/userroles/template.yaml` (an example document).
 *
 * The document's flags map to the roles' `access` of the JSON API: administrator ↔ administratorAccess,
 * teller ↔ tellerAccess, creditOfficer ↔ creditOfficerAccess, delivery ↔ deliveryAccess, support ↔
 * supportAccess, accessRights MAMBU ↔ mambuAccess, APIS ↔ apiAccess, MOBILE ↔ mobileAccess. A PUT creates,
 * updates and deletes roles to match the document; deleting a role that users have is refused (ROLE_IN_USE).
 */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { mambuError } from "../errors";
import { sortById } from "./shapes";

interface RoleConfig {
  id: string;
  name: string;
  notes?: string;
  administrator?: boolean;
  teller?: boolean;
  creditOfficer?: boolean;
  delivery?: boolean;
  support?: boolean;
  accessRights?: string[];
  permissions?: string[];
}

const FLAGS: Array<[keyof RoleConfig, string]> = [
  ["administrator", "administratorAccess"],
  ["creditOfficer", "creditOfficerAccess"],
  ["delivery", "deliveryAccess"],
  ["support", "supportAccess"],
  ["teller", "tellerAccess"],
];
const RIGHTS: Array<[string, string]> = [
  ["MAMBU", "mambuAccess"],
  ["MOBILE", "mobileAccess"],
  ["APIS", "apiAccess"],
];

/** The `RolesConfiguration` document of the tenant. */
export function rolesDocument(ctx: SandboxContext): { roles: RoleConfig[] } {
  const roles = sortById(ctx.store.all("userroles")).map((r) => {
    const access = (r.access ?? {}) as Record<string, unknown>;
    const out: RoleConfig = { id: String(r.id), name: String(r.name ?? "") };
    if (typeof r.notes === "string" && r.notes !== "") out.notes = r.notes;
    for (const [k, w] of FLAGS) (out as unknown as Record<string, unknown>)[k] = access[w] === true;
    out.accessRights = RIGHTS.filter(([, w]) => access[w] === true).map(([k]) => k);
    out.permissions = Array.isArray(access.permissions) ? access.permissions.map(String) : [];
    return out;
  });
  return { roles };
}

/** The example document of `userroles/template.yaml`. */
export function rolesTemplate(): { roles: RoleConfig[] } {
  return {
    roles: [
      {
        id: "roleId",
        name: "Role name",
        notes: "Notes about the role",
        administrator: false,
        teller: false,
        creditOfficer: false,
        delivery: false,
        support: false,
        accessRights: ["MAMBU", "APIS"],
        permissions: ["VIEW_CLIENT_DETAILS"],
      },
    ],
  };
}

/** Applies a validated `RolesConfiguration`; returns the warnings. */
export function applyRoles(ctx: SandboxContext, doc: { roles: RoleConfig[] }): string[] {
  if (!doc.roles.length) throw mambuError("ROLES_CONFIGURATION_EMPTY", "roles: at least one role");
  const ids = new Set<string>();
  const names = new Set<string>();
  doc.roles.forEach((r, i) => {
    if (r.id.trim() === "") throw mambuError("NULL_OR_EMPTY_ID", `roles[${i}].id`);
    if (r.name.trim() === "") throw mambuError("MISSING_ROLE_NAME", `roles[${i}].name`);
    if (ids.has(r.id)) throw mambuError("INVALID_ROLE_NAME", `roles[${i}].id: ${r.id} is listed twice`);
    if (names.has(r.name)) throw mambuError("INVALID_ROLE_NAME", `roles[${i}].name: ${r.name} is listed twice`);
    ids.add(r.id);
    names.add(r.name);
  });
  const leaving = ctx.store.all("userroles").filter((r) => !ids.has(String(r.id)));
  for (const r of leaving) {
    const user = ctx.store.all("users").find((u) => (u.role as { encodedKey?: string } | undefined)?.encodedKey === r.encodedKey);
    if (user) throw mambuError("ROLE_IN_USE", `role ${r.id} is missing from the document but user ${user.username ?? user.id} has it`);
  }
  const now = ctx.clock.nowIso();
  for (const r of doc.roles) {
    const old = ctx.store.find("userroles", r.id);
    const access: Record<string, unknown> = { ...((old?.access as Record<string, unknown> | undefined) ?? {}) };
    for (const [k, w] of FLAGS) access[w] = r[k] === true;
    for (const [k, w] of RIGHTS) access[w] = (r.accessRights ?? []).includes(k);
    access.permissions = [...(r.permissions ?? [])];
    const rec: WireRecord = {
      ...(old ?? { encodedKey: ctx.store.newEncodedKey(), creationDate: now }),
      id: r.id,
      name: r.name,
      access,
      lastModifiedDate: now,
    };
    if (r.notes !== undefined) rec.notes = r.notes;
    else delete rec.notes;
    if (old) ctx.store.replace("userroles", rec);
    else ctx.store.insert("userroles", rec);
  }
  for (const r of leaving) ctx.store.remove("userroles", r.encodedKey);
  return [];
}
