/**
 * Every operation of the Swagger files, and of the hand-written supplement of newer operations
 * (scripts/contract-supplement.json), has a public way to be called: `api.<resource>.<operationId>`
 * (generated from the contract) reaches it with its method and path. How many also have an ORM entity
 * method is reported (informational: entity-level coverage grows operation by operation).
 */
import * as fs from "fs";
import * as path from "path";
import * as lib from "../../lib";
import { api, MambuEntity } from "../../lib";
import { resourceNames, resource } from "../../lib/contract/schema";

/** The `api` key of a resource: its name made an identifier (as scripts/gen-schema.js names modules). */
const apiKey = (name: string): string => name.replace(/[^A-Za-z0-9_$]/g, "_");

interface Row {
  resource: string;
  operationId: string;
  method: string;
  path: string;
}

const ALL: Row[] = resourceNames().flatMap((r) =>
  resource(r).operations.map((op) => ({ resource: r, operationId: op.operationId ?? "", method: op.method, path: op.path })),
);

/** The operations of the supplement file, as rows. */
interface SupplementOperation {
  operationId?: string;
  "x-source"?: string;
}
const SUPPLEMENT_FILE = path.resolve(__dirname, "..", "..", "scripts", "contract-supplement.json");
const SUPPLEMENT: Row[] = Object.entries(
  (JSON.parse(fs.readFileSync(SUPPLEMENT_FILE, "utf8")) as { resources: Record<string, { paths?: Record<string, Record<string, SupplementOperation>> }> }).resources,
).flatMap(([r, res]) =>
  Object.entries(res.paths ?? {}).flatMap(([p, item]) =>
    Object.entries(item).map(([m, o]) => ({ resource: r, operationId: o.operationId ?? "", method: m.toUpperCase(), path: p })),
  ),
);

test("the contract has the 217 operations of the 46 Swagger files plus the supplement's, each with an operationId", () => {
  // 46 Swagger files + 4 resources newer than all of them (the accounting rules and authorization holds YAML, accounting reports, API consumers).
  expect(resourceNames()).toHaveLength(46 + 4);
  expect(SUPPLEMENT.map((r) => `${r.resource}.${r.operationId}`).sort()).toEqual([
    "accounting_reports.create", "accounting_reports.get", "cards.getAccountBalances", "configuration__accountingrules.yaml.get", "configuration__accountingrules.yaml.update",
    "configuration__authorizationholds.yaml.get", "configuration__authorizationholds.yaml.update",
    "consumers.create", "consumers.createApiKeyForConsumer", "consumers.createSecretKeyForConsumer", "consumers.delete", "consumers.deleteApiKeyForConsumer",
    "consumers.getAll", "consumers.getApiKeysByConsumerId", "consumers.getById", "consumers.patch", "consumers.update",
    "creditarrangements.addAccount", "creditarrangements.removeAccount", "currencies.getAll", "loans.editSchedule",
  ]);
  expect(ALL).toHaveLength(217 + 21);
  expect(ALL.filter((r) => !r.operationId)).toEqual([]);
  // Each supplement operation is in the compiled contract, as written in the supplement (none shadowed by a Swagger file).
  for (const s of SUPPLEMENT) expect(ALL).toContainEqual(s);
});

test("each supplement operation says where it comes from", () => {
  const raw = JSON.parse(fs.readFileSync(SUPPLEMENT_FILE, "utf8")) as { resources: Record<string, { paths?: Record<string, Record<string, SupplementOperation>> }> };
  const unsourced = Object.values(raw.resources).flatMap((res) =>
    Object.values(res.paths ?? {}).flatMap((item) => Object.values(item).filter((o) => !(o["x-source"] ?? "").trim()).map((o) => o.operationId)),
  );
  expect(unsourced).toEqual([]);
});

test("every operation can be called through api.<resource>.<operationId>", () => {
  const table = api as unknown as Record<string, Record<string, { descriptor?: Row } | undefined>>;
  const missing = ALL.filter((r) => typeof table[apiKey(r.resource)]?.[r.operationId] !== "function").map((r) => `${r.resource}.${r.operationId}`);
  expect(missing).toEqual([]);
  for (const r of ALL) {
    const d = table[apiKey(r.resource)][r.operationId]!.descriptor;
    expect(d).toEqual({ resource: r.resource, operationId: r.operationId, method: r.method, path: r.path });
  }
  // Nothing else: the api has exactly the contract's operations.
  const exposed = Object.entries(table).flatMap(([k, ops]) => Object.keys(ops).map((id) => `${k}.${id}`)).sort();
  expect(exposed).toEqual(ALL.map((r) => `${apiKey(r.resource)}.${r.operationId}`).sort());
});

/** Entity methods that stand for an operation under another name. */
const ENTITY_NAMES: Record<string, string[]> = {
  getById: ["get"],
  getAll: ["getAll"],
  search: ["search"],
  create: ["create"],
  update: ["update"],
  patch: ["patch"],
  delete: ["delete"],
  changeState: ["setState"],
  makeRepayment: ["repay"],
  makeDisbursement: ["disburse"],
  applyFee: ["applyFee"],
  makeDeposit: ["deposit"],
  makeWithdrawal: ["withdrawal"],
  makeTransfer: ["transfer"],
  getScheduleForLoanAccount: ["getSchedule"],
};

test("entity-level coverage (informational)", () => {
  const classes = Object.values(lib).filter(
    (v): v is typeof MambuEntity => typeof v === "function" && v.prototype instanceof MambuEntity,
  );
  const byResource = new Map<string, Array<typeof MambuEntity>>();
  for (const c of classes) {
    const r = (c as unknown as { resource?: string }).resource;
    if (r) byResource.set(r, [...(byResource.get(r) ?? []), c]);
  }
  const covered = ALL.filter((r) =>
    (byResource.get(r.resource) ?? []).some((c) =>
      [r.operationId, ...(ENTITY_NAMES[r.operationId] ?? [])].some(
        (m) => typeof (c as unknown as Record<string, unknown>)[m] === "function" || typeof (c.prototype as unknown as Record<string, unknown>)[m] === "function",
      ),
    ),
  );
  process.stdout.write(
    `operations: ${ALL.length} callable through api; ${covered.length} also through an entity method ` +
      `(${byResource.size} resources have an entity class)\n`,
  );
  expect(covered.length).toBeGreaterThan(0);
});
