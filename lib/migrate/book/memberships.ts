/**
 * Group memberships with roles (the `groupMembers` source): each row names a group of the plan
 * (`groupId`), a member (`clientId`: a client of the plan, or one the tenant has — looked up like the
 * groups' `members`), and optionally a role: `groupRoleNameKey` (the encodedKey of one of the
 * tenant's group role names, as Mambu's administration shows them) and `roleName`. A member not yet
 * in the group's `members` joins it; a role is sent with the member in the group's creation
 * (`groupMembers[].roles`), so memberships cost no request of their own. API v2 has no endpoint that
 * lists the tenant's group role names: a key that is not one is refused by Mambu when the group is
 * created (INVALID_GROUP_ROLE_NAME_KEY), failing that group. The rows join the group's unit.
 */
import { BookContext, checkShape, colOf, mapInto, needExternal, rowProblem } from "./context";

const KEY_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** The members and roles of the rows, on their groups' units (after {@link holderUnits}). */
export function memberships(c: BookContext): void {
  const { problems } = c;
  const block = c.blocks.groupMembers;
  if (!block) return;
  const seen = new Map<string, number>();
  for (const row of c.rows.groupMembers ?? []) {
    checkShape(c, row);
    const r = mapInto(c, block, row);
    const s = r.specials;
    const groupId = s.groupId as string | undefined;
    const clientId = s.clientId as string | undefined;
    const groupCol = colOf(block, "groupId");
    const clientCol = colOf(block, "clientId");
    const roleCol = colOf(block, "groupRoleNameKey");
    if (!groupId || !clientId) {
      problems.push(rowProblem(row, `${groupId ? "clientId" : "groupId"}: is required but empty`, groupId ? clientCol : groupCol));
      continue;
    }
    const unit = c.groupUnits.get(groupId);
    if (!unit) {
      problems.push(rowProblem(row, `groupId: no group "${groupId}" in the plan's groups`, groupCol));
      continue;
    }
    unit.rows.push(row);
    if (c.groupUnits.has(clientId)) {
      problems.push(rowProblem(row, `clientId: "${clientId}" is a group; a group's members are clients`, clientCol));
      continue;
    }
    const roleKey = s.groupRoleNameKey as string | undefined;
    const roleName = s.roleName as string | undefined;
    if (roleKey !== undefined && !KEY_RE.test(roleKey)) {
      problems.push(rowProblem(row, `groupRoleNameKey: expected the encodedKey of a group role name (letters, digits, _ and -), got "${roleKey}"`, roleCol));
      continue;
    }
    if (roleKey === undefined && roleName !== undefined) {
      problems.push(rowProblem(row, "groupRoleNameKey: is required with a roleName (API v2 takes roles by the key of their name)", roleCol));
      continue;
    }
    const dup = `${groupId}\u0000${clientId}\u0000${roleKey ?? ""}`;
    if (seen.has(dup)) {
      problems.push(rowProblem(row, `client "${clientId}" has this ${roleKey ? "role" : "membership"} in group "${groupId}" twice (first at line ${seen.get(dup)})`, roleKey ? roleCol : clientCol));
      continue;
    }
    seen.set(dup, row.line);
    if (!unit.members.includes(clientId)) {
      unit.members.push(clientId);
      if (!c.clientUnits.has(clientId)) needExternal(c, clientId, row, clientCol, `group member "${clientId}"`, ["client"]);
    }
    if (roleKey) {
      unit.memberRoles ??= new Map();
      if (!unit.memberRoles.has(clientId)) unit.memberRoles.set(clientId, []);
      unit.memberRoles.get(clientId)!.push({ groupRoleNameKey: roleKey, ...(roleName ? { roleName } : {}) });
    }
  }
}
