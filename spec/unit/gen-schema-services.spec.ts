/**
 * scripts/gen-schema.js reads the Services API's OpenAPI 3 contract as well as the v2 Swagger files: the document is
 * turned into the same compact spec (parameters, requestBody -> body, responses content -> schema,
 * components.schemas -> definitions), written to <out>/services (its own namespace: v2 names never collide), with the
 * API's base path from servers[0].url. `x-decimal` numbers are decimals as v2's numbers are; `x-decimal` strings are
 * decimals kept strings on the wire (`asString`). Runs on a tiny Swagger directory and a tiny OpenAPI 3 document.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const GEN = path.resolve(__dirname, "..", "..", "scripts", "gen-schema.js");

const SWAGGER = {
  swagger: "2.0",
  paths: {
    "/cards/{id}": {
      get: {
        operationId: "getCard",
        parameters: [{ name: "id", in: "path", required: true, type: "string" }],
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Card" } } },
      },
    },
  },
  definitions: { Card: { type: "object", properties: { id: { type: "string" }, limit: { type: "number" } } } },
};

const ERROR = { content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } }, description: "error" };

const OPENAPI = {
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  servers: [{ url: "https://{tenant}.mambu.com/v1" }],
  paths: {
    "/cards/{card_id}/holds": {
      post: {
        operationId: "createHold",
        tags: ["cards"],
        parameters: [{ $ref: "#/components/parameters/card_id" }, { name: "Idempotency-Key", in: "header", schema: { type: "string" } }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Hold" } } } },
        responses: { "201": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Hold" } } } }, "400": { $ref: "#/components/responses/BadRequest" } },
      },
    },
    "/cards/{card_id}/holds/{hold_id}": {
      delete: {
        operationId: "revokeHold",
        tags: ["cards"],
        parameters: [{ $ref: "#/components/parameters/card_id" }, { name: "hold_id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "204": { description: "gone" } },
      },
    },
    "/sources": {
      get: {
        operationId: "listSources",
        parameters: [
          { name: "page_size", in: "query", schema: { type: "integer", format: "int32" } },
          { name: "type", in: "query", schema: { $ref: "#/components/schemas/SourceType" } },
        ],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/ListSources" } } } } },
      },
    },
  },
  components: {
    parameters: { card_id: { name: "card_id", in: "path", required: true, schema: { type: "string" } } },
    responses: { BadRequest: ERROR },
    schemas: {
      Amount: {
        type: "object",
        required: ["value", "currency"],
        properties: { value: { type: "string", format: "decimal", "x-decimal": true }, currency: { type: "string" } },
      },
      HoldStatus: { type: "string", enum: ["HoldPending", "HoldSettled"] },
      SourceType: { type: "string", enum: ["Index", "Tax"] },
      Hold: {
        type: "object",
        required: ["hold_id", "amount", "status"],
        properties: {
          hold_id: { type: "string" },
          amount: { allOf: [{ $ref: "#/components/schemas/Amount" }], description: "the amount" },
          exchange_rate: { type: "number", format: "double", "x-decimal": true },
          status: { allOf: [{ $ref: "#/components/schemas/HoldStatus" }], readOnly: true },
          user_transaction_time: { type: "string", format: "date-time" },
        },
      },
      ListSources: { type: "object", properties: { sources: { type: "array", items: { type: "object", properties: { type: { $ref: "#/components/schemas/SourceType" } } } } } },
      ErrorResponse: { type: "object", properties: { errors: { type: "array", items: { type: "string" } } } },
    },
  },
};

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gen-services-"));
  fs.mkdirSync(path.join(tmp, "in"));
  fs.writeFileSync(path.join(tmp, "in", "cards_v2_swagger.json"), JSON.stringify(SWAGGER));
  fs.writeFileSync(path.join(tmp, "supplement.json"), JSON.stringify({ resources: {} }));
  fs.writeFileSync(path.join(tmp, "services.json"), JSON.stringify(OPENAPI));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function gen(out: string, services: string): { status: number | null; stdout: string; stderr: string } {
  const args = [GEN, "--in", path.join(tmp, "in"), "--out", path.join(tmp, out), "--supplement", path.join(tmp, "supplement.json"), "--services", services];
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

describe("gen-schema with an OpenAPI 3 document", () => {
  let schema: { api: string; basePath: string; mediaType: string; resources: Record<string, { definitions: Record<string, { required: string[]; fields: Record<string, Record<string, unknown>> }>; operations: Array<Record<string, unknown>> }> };
  beforeAll(() => {
    const r = gen("out", path.join(tmp, "services.json"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Services API: 2 resources, 3 operations, base path \/v1/);
    schema = JSON.parse(fs.readFileSync(path.join(tmp, "out", "services", "schema.json"), "utf8"));
  });

  test("writes its own namespace under services/, with the base path and media type of the API; v2's output is unchanged", () => {
    expect(files(path.join(tmp, "out", "services"))).toEqual([
      "operations/_op.ts",
      "operations/cards.ts",
      "operations/index.ts",
      "operations/sources.ts",
      "schema.json",
      "types/cards.ts",
      "types/index.ts",
      "types/sources.ts",
    ]);
    expect({ api: schema.api, basePath: schema.basePath, mediaType: schema.mediaType }).toEqual({ api: "services", basePath: "/v1", mediaType: "application/json" });
    // A v2 resource of the same name ("cards") keeps its own files, byte for byte as without the Services document.
    expect(gen("v2only", "none").status).toBe(0);
    expect(fs.existsSync(path.join(tmp, "v2only", "services"))).toBe(false);
    for (const f of files(path.join(tmp, "v2only"))) {
      expect({ f, text: fs.readFileSync(path.join(tmp, "out", f), "utf8") }).toEqual({ f, text: fs.readFileSync(path.join(tmp, "v2only", f), "utf8") });
    }
  });

  test("a resource per first tag (else the path's first segment), holding the definitions its operations reach", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(["cards", "sources"]);
    expect(Object.keys(schema.resources.cards.definitions).sort()).toEqual(["Amount", "ErrorResponse", "Hold"]);
    expect(Object.keys(schema.resources.sources.definitions).sort()).toEqual(["ListSources"]);
  });

  test("parameters ($refs resolved), requestBody -> body, responses content -> schema (204: no body)", () => {
    const [create, revoke] = schema.resources.cards.operations;
    expect(create).toEqual({
      method: "POST",
      path: "/cards/{card_id}/holds",
      operationId: "createHold",
      pathParams: ["card_id"],
      query: [],
      headers: ["Idempotency-Key"],
      body: { type: "object", ref: "Hold" },
      bodyRequired: true,
      responses: { "201": { type: "object", ref: "Hold" }, "400": { type: "object", ref: "ErrorResponse" } },
    });
    expect(revoke).toMatchObject({ method: "DELETE", pathParams: ["card_id", "hold_id"], responses: { "204": null } });
    expect(schema.resources.sources.operations[0].query).toEqual([
      { name: "page_size", type: "integer", format: "int32" },
      { name: "type", type: "string", enum: ["Index", "Tax"] },
    ]);
  });

  test("x-decimal: a double is a decimal as v2's numbers are; a decimal string is a decimal kept a string (asString)", () => {
    const { Amount, Hold } = schema.resources.cards.definitions;
    expect(Amount.fields.value).toEqual({ type: "decimal", asString: true });
    expect(Hold.fields.exchange_rate).toEqual({ type: "decimal" });
    expect(Hold.fields.amount).toEqual({ type: "object", ref: "Amount" });
    expect(Hold.fields.status).toEqual({ type: "string", enum: ["HoldPending", "HoldSettled"], readOnly: true });
    expect(Hold.required).toEqual(["hold_id", "amount", "status"]);
    const types = fs.readFileSync(path.join(tmp, "out", "services", "types", "cards.ts"), "utf8");
    expect(types).toContain("  value: Decimal;\n");
    expect(types).toContain("  exchange_rate?: Decimal;\n");
  });

  test("a readOnly field the definition requires is optional in the request body's type (required in answers)", () => {
    const ops = fs.readFileSync(path.join(tmp, "out", "services", "operations", "cards.ts"), "utf8");
    expect(ops).toContain('createHold: op<{ card_id: string }, {}, Omit<Hold, "status"> & Partial<Pick<Hold, "status">>, Hold>("cards", "createHold", "POST", "/cards/{card_id}/holds")');
    expect(ops).toContain("call them through `services.cards`");
  });

  test("a document that is not OpenAPI 3.0, or whose server URL has no base path, is refused", () => {
    fs.writeFileSync(path.join(tmp, "bad1.json"), JSON.stringify({ ...OPENAPI, openapi: "2.0" }));
    fs.writeFileSync(path.join(tmp, "bad2.json"), JSON.stringify({ ...OPENAPI, servers: [{ url: "https://host" }] }));
    const r1 = gen("bad1", path.join(tmp, "bad1.json"));
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(/expected an OpenAPI 3\.0 document/);
    const r2 = gen("bad2", path.join(tmp, "bad2.json"));
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/has no base path/);
  });
});
