/**
 * Clients and groups: a unit per id (a repeated id leaves the unit out with both rows), bodies
 * checked against the contract, group members and linked clients that are not in the plan noted to
 * be looked up in the tenant.
 */
import { rowKey } from "../keys";
import type { Unit } from "../types";
import { BookContext, checkShape, colOf, contractProblems, mapInto, needExternal, rowProblem } from "./context";

/** The units of the clients' and groups' rows. */
export function holderUnits(c: BookContext): void {
  const { blocks, problems, clientUnits, groupUnits } = c;
  let order = 0;
  for (const row of c.rows.clients ?? []) {
    checkShape(c, row);
    const r = mapInto(c, blocks.clients!, row);
    const id = r.body.id as string | undefined;
    if (!id) continue;
    if (clientUnits.has(id)) {
      // both rows are suspect: the unit is left out with both
      clientUnits.get(id)!.rows.push(row);
      problems.push(rowProblem(row, `client id "${id}" appears twice (first at line ${clientUnits.get(id)!.row!.line})`, colOf(blocks.clients!, "id")));
      continue;
    }
    problems.push(...contractProblems(blocks.clients!, r.body, row, [], r.problems));
    const u: Unit = { key: rowKey.client(id), kind: "client", id, create: true, row, body: r.body, members: [], links: r.links, loans: [], rows: [row], order: order++ };
    clientUnits.set(id, u);
  }
  for (const row of c.rows.groups ?? []) {
    checkShape(c, row);
    const r = mapInto(c, blocks.groups!, row);
    const id = r.body.id as string | undefined;
    if (!id) continue;
    if (groupUnits.has(id) || clientUnits.has(id)) {
      (groupUnits.get(id) ?? clientUnits.get(id))!.rows.push(row);
      problems.push(rowProblem(row, `group id "${id}" appears twice (or is also a client id)`, colOf(blocks.groups!, "id")));
      continue;
    }
    problems.push(...contractProblems(blocks.groups!, r.body, row, [], r.problems));
    const members = (r.specials.members as string[] | undefined) ?? [];
    const u: Unit = { key: rowKey.group(id), kind: "group", id, create: true, row, body: r.body, members, links: r.links, loans: [], rows: [row], order: 0 };
    groupUnits.set(id, u);
  }

  // references to clients outside the plan: they must exist in the tenant
  for (const u of groupUnits.values()) {
    for (const mid of u.members) if (!clientUnits.has(mid)) needExternal(c, mid, u.row!, colOf(blocks.groups!, "members"), `group member "${mid}"`, ["client"]);
  }
  for (const u of [...clientUnits.values(), ...groupUnits.values()]) {
    for (const l of u.links) if (!clientUnits.has(l.clientId)) needExternal(c, l.clientId, u.row!, undefined, `linked client "${l.clientId}"`, ["client"]);
  }
}
