/**
 * scripts/gen-schema.js reads the Payments API's OpenAPI 3 contract (lib/contract/openapi/payments-v1.json) the way it
 * reads the Services API's: written to <out>/payments with "api": "payments" and the base path of servers[0].url
 * (/api/v1); a tag in words is a camelCase resource ("SEPA credit transfers" -> sepaCreditTransfers); `nullable: true`
 * is kept ("nullable": true, typed `T | null`); an application/xml body (an incoming ISO 20022 message) is a raw string
 * body. The committed lib/generated/payments is what the generator writes from the committed contract.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateAgainst } from "../../lib/contract/schema";

const ROOT = path.resolve(__dirname, "..", "..");
const GEN = path.join(ROOT, "scripts", "gen-schema.js");
/** The API v2 Swagger files the generator always reads (a user's clone has no ../shared: those tests skip, saying so). */
const SWAGGER_DIR = process.env.MAMBU_OPENAPI_DIR ? path.resolve(process.env.MAMBU_OPENAPI_DIR) : path.resolve(ROOT, "..", "shared", "mambu-openapi");
const withSwagger = fs.existsSync(SWAGGER_DIR)
  ? test
  : (title: string, _fn: () => void) => test.skip(`${title} (skipped: ${SWAGGER_DIR} not found; a user's clone has no ../shared)`, () => undefined);

const TPP = { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/TppMessagesResponse" } } } };

const OPENAPI = {
  openapi: "3.0.3",
  info: { title: "payments", version: "1" },
  servers: [{ url: "https://{tenant}.mambu.com/api/v1" }],
  paths: {
    "/payments/incoming": {
      post: {
        operationId: "receiveIncomingMessage",
        tags: ["Incoming messages"],
        requestBody: { required: true, content: { "application/xml": { schema: { type: "string" } } } },
        responses: { "202": { description: "ok" }, "400": TPP },
      },
    },
    "/payments/standing-orders:suspend": {
      post: {
        operationId: "suspendStandingOrder",
        tags: ["Standing orders"],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Suspend" } } } },
        responses: { "200": { description: "ok" }, "400": TPP },
      },
    },
  },
  components: {
    schemas: {
      Suspend: {
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "string" },
          suspendDateFrom: { type: "string", format: "date", nullable: true },
          amount: { type: "string", "x-decimal": true, nullable: true },
        },
      },
      TppMessagesResponse: {
        type: "object",
        required: ["tppMessages"],
        properties: { tppMessages: { type: "array", items: { $ref: "#/components/schemas/TPPMessage" } } },
      },
      TPPMessage: {
        type: "object",
        required: ["category", "code"],
        properties: { category: { type: "string", enum: ["ERROR", "WARN"] }, code: { type: "string" }, path: { type: "string" }, text: { type: "string" } },
      },
    },
  },
};

const SWAGGER = { swagger: "2.0", paths: {}, definitions: {} };

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gen-payments-"));
  fs.mkdirSync(path.join(tmp, "in"));
  fs.writeFileSync(path.join(tmp, "in", "cards_v2_swagger.json"), JSON.stringify(SWAGGER));
  fs.writeFileSync(path.join(tmp, "supplement.json"), JSON.stringify({ resources: {} }));
  fs.writeFileSync(path.join(tmp, "payments.json"), JSON.stringify(OPENAPI));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function gen(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [GEN, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

describe("gen-schema with the Payments API's OpenAPI 3 document", () => {
  type Schema = {
    api: string;
    basePath: string;
    resources: Record<string, { definitions: Record<string, { fields: Record<string, Record<string, unknown>> }>; operations: Array<Record<string, unknown>> }>;
  };
  let schema: Schema;
  const out = () => path.join(tmp, "out", "payments");
  beforeAll(() => {
    const r = gen(["--in", path.join(tmp, "in"), "--out", path.join(tmp, "out"), "--supplement", path.join(tmp, "supplement.json"), "--services", "none", "--payments", path.join(tmp, "payments.json")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Payments API: 2 resources, 2 operations, base path \/api\/v1/);
    schema = JSON.parse(fs.readFileSync(path.join(out(), "schema.json"), "utf8"));
  });

  test("its own namespace under payments/, api payments, base path /api/v1; a tag in words is a camelCase resource", () => {
    expect({ api: schema.api, basePath: schema.basePath }).toEqual({ api: "payments", basePath: "/api/v1" });
    expect(Object.keys(schema.resources).sort()).toEqual(["incomingMessages", "standingOrders"]);
    expect(files(out())).toContain("operations/incomingMessages.ts");
    expect(fs.existsSync(path.join(tmp, "out", "services"))).toBe(false);
  });

  test("an application/xml body is a raw string body", () => {
    expect(schema.resources.incomingMessages.operations[0]).toMatchObject({ consumes: ["application/xml"], body: { type: "string" }, bodyRequired: true });
    const ops = fs.readFileSync(path.join(out(), "operations", "incomingMessages.ts"), "utf8");
    expect(ops).toContain('receiveIncomingMessage: op<{}, {}, string, void>("incomingMessages", "receiveIncomingMessage", "POST", "/payments/incoming")');
    expect(ops).toContain("call them through `payments.incomingMessages`");
  });

  test("nullable: kept in schema.json and typed T | null (also the Struct form's accessors)", () => {
    const f = schema.resources.standingOrders.definitions.Suspend.fields;
    expect(f.suspendDateFrom).toEqual({ type: "date", nullable: true });
    expect(f.amount).toEqual({ type: "decimal", asString: true, nullable: true });
    expect(f.id).toEqual({ type: "string" });
    const types = fs.readFileSync(path.join(out(), "types", "standingOrders.ts"), "utf8");
    expect(types).toContain("  suspendDateFrom?: DateTime | null;\n");
    expect(types).toContain("  amount?: Decimal | null;\n");
    expect(types).toContain("  id: string;\n");
    expect(types).toContain("  get suspendDateFrom(): DateTime | null | undefined;\n");
  });

  withSwagger("named properties beside additionalProperties make an open definition: the named ones checked, other fields allowed (D02)", () => {
    const real = gen(["--out", path.join(tmp, "open"), "--services", "none"]);
    expect(real.status).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(tmp, "open", "payments", "schema.json"), "utf8")) as Schema;
    const details = doc.resources.sepaDirectDebit.definitions.CollectionDetailsResponse as unknown as { open?: boolean; required: string[] };
    expect(details.open).toBe(true);
    expect(details.required).toEqual(["collectionId", "transactionStatus"]);
    const spec = { type: "object" as const, ref: "CollectionDetailsResponse" };
    expect(validateAgainst("sepaDirectDebit", spec, { collectionId: "c1", transactionStatus: "ACSC", mandateId: "M-1" }, { api: "payments" })).toEqual([]);
    expect(validateAgainst("sepaDirectDebit", spec, { collectionId: "c1", transactionStatus: "DONE" }, { api: "payments" })).toEqual([
      expect.stringContaining("body.transactionStatus"),
    ]);
    // a definition without additionalProperties stays closed
    expect(validateAgainst("sepaDirectDebit", { type: "object", ref: "TPPMessage" }, { category: "ERROR", code: "FORMAT_ERROR", colour: "red" }, { api: "payments" })).toEqual([
      expect.stringContaining("body.colour: unknown field"),
    ]);
  });

  withSwagger("the committed lib/generated/payments is what the generator writes from the committed contract", () => {
    const r = gen(["--out", path.join(tmp, "real"), "--services", "none"]);
    expect(r.status).toBe(0);
    const committed = path.join(ROOT, "lib", "generated", "payments");
    const fresh = path.join(tmp, "real", "payments");
    expect(files(fresh)).toEqual(files(committed));
    for (const f of files(fresh)) expect({ f, text: fs.readFileSync(path.join(fresh, f), "utf8") }).toEqual({ f, text: fs.readFileSync(path.join(committed, f), "utf8") });
    const real = JSON.parse(fs.readFileSync(path.join(fresh, "schema.json"), "utf8")) as Schema;
    expect(Object.values(real.resources).reduce((n, r) => n + r.operations.length, 0)).toBe(20);
  });
});
