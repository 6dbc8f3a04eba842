/**
 * scripts/gen-schema.js merges the hand-written supplement of newer operations (scripts/contract-supplement.json)
 * into the Swagger files: added operations and definitions become part of the contract; what a Swagger file
 * already has wins (with a warning), and a supplement resource without a Swagger file is an error. Runs on a tiny
 * Swagger directory of its own (no ../shared needed).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const GEN = path.join(ROOT, "scripts", "gen-schema.js");

const SWAGGER = {
  swagger: "2.0",
  paths: {
    "/things/{thingId}": {
      get: {
        operationId: "getById",
        parameters: [{ name: "thingId", in: "path", required: true, type: "string" }],
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Thing" } } },
      },
    },
  },
  definitions: { Thing: { type: "object", properties: { id: { type: "string" }, amount: { type: "number" } } } },
};

const SUPPLEMENT = {
  comment: "test supplement",
  resources: {
    things: {
      paths: {
        "/things/{thingId}": {
          get: { "x-source": "shadows the file's", operationId: "shadow", parameters: [{ name: "thingId", in: "path", required: true, type: "string" }], responses: { "200": { description: "ok" } } },
          put: {
            "x-source": "newer reference",
            operationId: "update",
            parameters: [
              { name: "thingId", in: "path", required: true, type: "string" },
              { name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Thing" } },
            ],
            responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Thing" } } },
          },
        },
        "/things/{thingId}/count": {
          get: {
            "x-source": "newer reference",
            operationId: "getCount",
            parameters: [{ name: "thingId", in: "path", required: true, type: "string" }],
            responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Count" } } },
          },
        },
      },
      definitions: {
        Count: { "x-source": "example response", type: "object", properties: { total: { type: "integer" } } },
        Thing: { type: "object", properties: { id: { type: "string" } } },
      },
    },
  },
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "supplement-"));
  fs.mkdirSync(path.join(tmp, "in"));
  fs.writeFileSync(path.join(tmp, "in", "things_v2_swagger.json"), JSON.stringify(SWAGGER));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function gen(supplement: unknown): { status: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(tmp, "supplement.json"), JSON.stringify(supplement));
  const r = spawnSync(process.execPath, [GEN, "--in", path.join(tmp, "in"), "--out", path.join(tmp, "out"), "--supplement", path.join(tmp, "supplement.json"), "--verbose"], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("added operations and definitions join the contract; the Swagger file's own stay, with warnings", () => {
  const r = gen(SUPPLEMENT);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("3 operations (2 from");
  expect(r.stderr).toContain("things supplement GET /things/{thingId}: the Swagger file already has this operation; the supplement's is ignored");
  expect(r.stderr).toContain("things supplement #Thing: the Swagger file declares this definition differently; the file's is kept");
  const schema = JSON.parse(fs.readFileSync(path.join(tmp, "out", "schema.json"), "utf8"));
  const things = schema.resources.things;
  expect(things.operations.map((o: { method: string; path: string; operationId: string }) => `${o.method} ${o.path} ${o.operationId}`)).toEqual([
    "GET /things/{thingId} getById",
    "PUT /things/{thingId} update",
    "GET /things/{thingId}/count getCount",
  ]);
  expect(things.definitions.Count).toEqual({ required: [], fields: { total: { type: "integer" } } });
  expect(Object.keys(things.definitions.Thing.fields).sort()).toEqual(["amount", "id"]); // the file's Thing, not the supplement's
  const ops = fs.readFileSync(path.join(tmp, "out", "operations", "things.ts"), "utf8");
  expect(ops).toContain('update: op<{ thingId: string }, {}, Thing, Thing>("things", "update", "PUT", "/things/{thingId}")');
  expect(ops).toContain('getCount: op<{ thingId: string }, {}, never, Count>("things", "getCount", "GET", "/things/{thingId}/count")');
  expect(ops).not.toContain("shadow");
});

test("an identical definition is shared silently; no supplement entries means the Swagger files alone", () => {
  const same = { comment: "", resources: { things: { definitions: { Thing: { ...SWAGGER.definitions.Thing, description: "described", "x-source": "same" } } } } };
  const r = gen(same);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("1 operations (0 from");
  expect(r.stderr).not.toContain("supplement");
});

test("a supplement resource without a Swagger file, or a malformed supplement, is an error", () => {
  const r = gen({ resources: { widgets: { paths: {} } } });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/resource "widgets" has no Swagger file/);
  const bad = gen([1, 2]);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/expected an object with "resources"/);
});

test("responseCorrections replace a response the Swagger file gets wrong (e.g. a search answering a list), and name an operation it has", () => {
  const r = gen({
    resources: {
      things: {
        responseCorrections: {
          "/things/{thingId}": { get: { "x-source": "the reference answers a list", "200": { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Thing" } } } } },
          "/things/none": { post: { "x-source": "no such operation", "200": { description: "ok" } } },
        },
      },
    },
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("1 operations (0 from");
  expect(r.stderr).toContain("things supplement correction POST /things/none: the Swagger file has no such operation; skipped");
  const schema = JSON.parse(fs.readFileSync(path.join(tmp, "out", "schema.json"), "utf8"));
  expect(schema.resources.things.operations[0].responses["200"]).toEqual({ type: "array", items: { type: "object", ref: "Thing" } });
  const ops = fs.readFileSync(path.join(tmp, "out", "operations", "things.ts"), "utf8");
  expect(ops).toContain('getById: op<{ thingId: string }, {}, never, Thing[]>("things", "getById", "GET", "/things/{thingId}")');
});
