/**
 * Clients and groups outside the plan that rows refer to (group members, linked clients, loan
 * holders) are looked up in the tenant by id (`find`, eight at a time); a reference to one that is
 * not there, or is of the wrong kind, is a problem at the row that makes it. Without a connector
 * nothing is looked up nor reported.
 */
import { MambuClient, MambuGroup } from "../../index";
import { BookContext, rowProblem } from "./context";

/** Runs `f` over items with at most `n` at once. */
async function eachLimit<T>(items: readonly T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await f(items[next++]);
    }),
  );
}

/** Looks the external references up; fills `externalKeys` and reports the missing ones. */
export async function lookUpExternal(c: BookContext): Promise<void> {
  const conn = c.opts.conn;
  if (!conn) return;
  await eachLimit([...c.external.keys()], 8, async (id) => {
    const accepts = new Set(c.external.get(id)!.where.flatMap((w) => w.accept));
    let found: { kind: "client" | "group"; encodedKey: string } | undefined;
    if (accepts.has("client")) {
      const client = await MambuClient.find(id, { connector: conn });
      if (client) found = { kind: "client", encodedKey: String(client.encodedKey) };
    }
    if (!found && accepts.has("group")) {
      const group = await MambuGroup.find(id, { connector: conn });
      if (group) found = { kind: "group", encodedKey: String(group.encodedKey) };
    }
    if (found) c.externalKeys.set(id, found);
  });
  for (const [id, e] of c.external) {
    const found = c.externalKeys.get(id);
    for (const w of e.where) {
      if (!found || !w.accept.includes(found.kind)) c.problems.push(rowProblem(w.row, `${w.what} is neither in the plan nor in the tenant`, w.column));
    }
  }
}
