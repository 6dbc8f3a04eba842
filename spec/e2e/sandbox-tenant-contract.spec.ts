/**
 * Sandbox: the tenants it serves are valid against the contract it enforces on requests. Every record of the demo
 * tenant, of a demo tenant with a generated one on top, and of a generated tenant on an empty base, as served
 * (detailsLevel=FULL), validates against its Swagger definition — required fields, enums, types, date-times with
 * an offset, and no fields the definition lacks — and no seed placeholder (`@datetime:-400d`, `@users:demo`) is
 * left unresolved anywhere.
 */
import { validateAgainst } from "../../lib/contract/schema";
import { SandboxOptions, startSandbox } from "../../lib/sandbox";
import { shape } from "../../lib/sandbox/records";
import { RESOURCES } from "../../lib/sandbox/resources";
import type { CollectionName, WireRecord } from "../../lib/sandbox/types";

/** Collections served without a resource declaration: schema resource and definition. */
const OTHERS: Array<[CollectionName, string, string]> = [
  ["documents", "documents", "Document"],
  ["comments", "comments", "Comment"],
];

const PLACEHOLDER = /^@[A-Za-z]+:./;

/** Paths of string values that are still seed placeholders. */
function placeholders(v: unknown, where: string, out: string[]): void {
  if (typeof v === "string") {
    if (PLACEHOLDER.test(v)) out.push(`${where}: unresolved ${v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => placeholders(x, `${where}[${i}]`, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) placeholders(x, `${where}.${k}`, out);
}

/** Every problem of every record of a running sandbox's store, as "collection id: problem". */
async function problemsOf(options: SandboxOptions): Promise<{ problems: string[]; records: number }> {
  const sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" }, ...options });
  try {
    const problems: string[] = [];
    let records = 0;
    const check = (coll: CollectionName, resource: string, definition: string, served: (r: WireRecord) => unknown): void => {
      for (const r of sb.store.all(coll)) {
        records++;
        const body = served(r);
        for (const p of validateAgainst(resource, { type: "object", ref: definition }, body)) problems.push(`${coll} ${String(r.id ?? r.encodedKey)}: ${p}`);
        placeholders(body, `${coll} ${String(r.id ?? r.encodedKey)}`, problems);
      }
    };
    for (const decl of Object.values(RESOURCES)) if (decl) check(decl.coll, decl.swagger, decl.definition, (r) => shape(decl, r, true));
    for (const [coll, resource, definition] of OTHERS) check(coll, resource, definition, (r) => r);
    return { problems, records };
  } finally {
    await sb.stop();
  }
}

it("every record of the demo tenant is valid against its definition", async () => {
  const { problems, records } = await problemsOf({});
  expect(records).toBeGreaterThan(50);
  expect(problems).toEqual([]);
});

it("every record of a generated tenant on top of the demo tenant is valid", async () => {
  const { problems, records } = await problemsOf({ generate: { clients: 25, loans: 25, deposits: 10 } });
  expect(records).toBeGreaterThan(100);
  expect(problems).toEqual([]);
});

it("every record of a generated tenant on an empty base is valid (it gets its own products)", async () => {
  const { problems, records } = await problemsOf({ data: "empty", generate: { clients: 10, loans: 10, deposits: 5 } });
  expect(records).toBe(1 /* branch */ + 10 + 10 + 5 + 2 /* products */);
  expect(problems).toEqual([]);
});
