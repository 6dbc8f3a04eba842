/**
 * scripts/gen-schema.js carries the credential marker: a property `"x-secret": true` (in a supplement definition)
 * or named in a resource's `"secretFields"` (for a definition of the Swagger file, which the supplement cannot
 * redeclare) becomes `"secret": true` in schema.json and is typed `SecretValue` (a type-only import from
 * lib/contract) in types/ — the answers the ORM hands out as Secrets. A secretFields entry naming nothing is an
 * error. Runs on a tiny Swagger directory of its own.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const GEN = path.resolve(__dirname, "..", "..", "scripts", "gen-schema.js");

const SWAGGER = {
  swagger: "2.0",
  paths: {
    "/tokens": {
      post: {
        operationId: "rotate",
        parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/TokenInput" } }],
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/TokenPair" } } },
      },
    },
  },
  definitions: {
    TokenInput: { type: "object", properties: { token: { type: "string" } } },
    TokenPair: { type: "object", properties: { token: { type: "string" }, secret: { type: "string" }, ttl: { type: "integer" } } },
  },
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gen-secret-"));
  fs.mkdirSync(path.join(tmp, "in"));
  fs.writeFileSync(path.join(tmp, "in", "tokens_v2_swagger.json"), JSON.stringify(SWAGGER));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function gen(supplement: unknown): { status: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(tmp, "supplement.json"), JSON.stringify(supplement));
  const r = spawnSync(process.execPath, [GEN, "--in", path.join(tmp, "in"), "--out", path.join(tmp, "out"), "--supplement", path.join(tmp, "supplement.json"), "--verbose"], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (...p: string[]): string => fs.readFileSync(path.join(tmp, "out", ...p), "utf8");

test("secretFields and x-secret mark credentials: secret in schema.json, SecretValue in the types", () => {
  const r = gen({
    resources: {
      tokens: {
        paths: {
          "/tokens/extra": {
            post: { "x-source": "newer", operationId: "extra", responses: { "201": { description: "ok", schema: { $ref: "#/definitions/ExtraKey" } } } },
          },
        },
        definitions: { ExtraKey: { "x-source": "newer", type: "object", properties: { key: { type: "string", "x-secret": true }, id: { type: "string" } } } },
        secretFields: { "x-source": "credentials", TokenPair: ["token", "secret"], TokenInput: ["token"] },
      },
    },
  });
  expect(r.status).toBe(0);
  expect(r.stderr).not.toContain("x-secret");
  const defs = JSON.parse(read("schema.json")).resources.tokens.definitions;
  expect(defs.TokenPair.fields).toEqual({ secret: { type: "string", secret: true }, token: { type: "string", secret: true }, ttl: { type: "integer" } });
  expect(defs.TokenInput.fields).toEqual({ token: { type: "string", secret: true } });
  expect(defs.ExtraKey.fields).toEqual({ id: { type: "string" }, key: { type: "string", secret: true } });
  const types = read("types", "tokens.ts");
  expect(types).toContain('import type { SecretValue } from "../../contract/secret-value";');
  expect(types).toContain("export interface TokenPair {\n  secret?: SecretValue;\n  token?: SecretValue;\n  ttl?: number;\n}");
  expect(types).toContain("export interface ExtraKey {\n  id?: string;\n  key?: SecretValue;\n}");
});

test("without a marker nothing is secret; a marker on a field that is not a plain string is ignored with a warning", () => {
  const plain = gen({ resources: {} });
  expect(plain.status).toBe(0);
  expect(read("schema.json")).not.toContain('"secret":true');
  expect(read("types", "tokens.ts")).not.toContain("SecretValue");
  const odd = gen({ resources: { tokens: { definitions: { Odd: { "x-source": "t", type: "object", properties: { n: { type: "integer", "x-secret": true } } } } } } });
  expect(odd.status).toBe(0);
  expect(odd.stderr).toContain("tokens#Odd.n: x-secret on a field that is not a plain string; ignored");
  expect(JSON.parse(read("schema.json")).resources.tokens.definitions.Odd.fields.n).toEqual({ type: "integer" });
});

test.each([
  [{ Missing: ["token"] }, "supplement tokens secretFields: no definition Missing"],
  [{ TokenPair: ["nope"] }, "supplement tokens secretFields: TokenPair has no property nope"],
  [{ TokenPair: "token" }, "supplement tokens secretFields: TokenPair: expected a list of property names"],
])("secretFields %j is an error", (secretFields, message) => {
  const r = gen({ resources: { tokens: { secretFields } } });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(message);
});
