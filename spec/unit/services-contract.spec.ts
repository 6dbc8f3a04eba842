/**
 * lib/contract/openapi/services-v1.json is our own OpenAPI 3 contract of the bank Services API (seed 003): the
 * generator, the ORM and the sandbox are built from it, so it must be a valid OpenAPI 3 document, complete (34
 * operations, every list parameter, every decision it takes written down) and faithful to the seed's names,
 * types and enums. The checks against the seed itself run when ../shared/seeds exists (a user's clone has no
 * ../shared); the rest run everywhere.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const CONTRACT = path.join(ROOT, "lib", "contract", "openapi", "services-v1.json");
const SEED = path.resolve(ROOT, "..", "shared", "seeds", "003_ef3613376e8b3c59.txt");
const HAVE_SEED = fs.existsSync(SEED);

/** A JSON object of the document, read loosely. */
type Obj = { [key: string]: unknown };
const doc = JSON.parse(fs.readFileSync(CONTRACT, "utf8")) as Obj;

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

function isObj(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
function obj(x: unknown, where: string): Obj {
  if (!isObj(x)) throw new Error(`${where} is not an object`);
  return x;
}
/** Follows a local "#/a/b" reference inside the document (undefined when it names nothing). */
function pointer(ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObj(at) || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = at[key];
  }
  return at;
}
/** The object itself, or what its $ref names. */
function deref(x: unknown): Obj {
  const o = obj(x, "node");
  return typeof o.$ref === "string" ? obj(pointer(o.$ref), o.$ref) : o;
}

interface Operation {
  method: string;
  path: string;
  op: Obj;
  operationId: string;
  params: Obj[];
}
const paths = obj(doc.paths, "paths");
const OPERATIONS: Operation[] = Object.entries(paths).flatMap(([p, item]) =>
  Object.entries(obj(item, p))
    .filter(([m]) => METHODS.includes(m))
    .map(([method, o]) => {
      const op = obj(o, `${method} ${p}`);
      const params = (Array.isArray(op.parameters) ? op.parameters : []).map(deref);
      return { method, path: p, op, operationId: String(op.operationId), params };
    }),
);
const schemas = obj(obj(doc.components, "components").schemas, "schemas");
const byId = (id: string): Operation => {
  const found = OPERATIONS.find((o) => o.operationId === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
};
/** The name of the schema a $ref (possibly wrapped in a one-member allOf) points to. */
function refName(s: Obj): string | undefined {
  const target = Array.isArray(s.allOf) && s.allOf.length === 1 ? obj(s.allOf[0], "allOf") : s;
  return typeof target.$ref === "string" ? target.$ref.replace("#/components/schemas/", "") : undefined;
}
/** A schema with its one-member allOf and $ref followed to the end. */
function resolved(s: Obj): Obj {
  const name = refName(s);
  return name ? resolved(obj(schemas[name], name)) : s;
}
function properties(schemaName: string): Obj {
  return obj(obj(schemas[schemaName], schemaName).properties, `${schemaName}.properties`);
}
function successSchema(op: Obj): string | undefined {
  const responses = obj(op.responses, "responses");
  for (const status of ["200", "201"]) {
    if (responses[status]) {
      const content = obj(obj(responses[status], status).content, "content");
      return refName(obj(obj(content["application/json"], "json").schema, "schema"));
    }
  }
  return undefined;
}

describe("the Services API contract (lib/contract/openapi/services-v1.json)", () => {
  test("is a valid OpenAPI 3.0 document", async () => {
    expect(doc.openapi).toBe("3.0.3");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  test("names its source, serves /v1 of a tenant (and of the sandbox), with v2's Basic or apiKey auth", () => {
    const info = obj(doc.info, "info");
    expect(info["x-source"]).toMatch(/003_ef3613376e8b3c59\.txt/);
    const servers = doc.servers as Obj[];
    expect(servers[0].url).toBe("https://{tenant}.mambu.com/v1");
    expect(obj(obj(servers[0].variables, "variables").tenant, "tenant").default).toEqual(expect.any(String));
    expect(servers.every((s) => String(s.url).endsWith("/v1"))).toBe(true);
    expect(doc.security).toEqual([{ basic: [] }, { apiKey: [] }]);
    const schemes = obj(obj(doc.components, "components").securitySchemes, "securitySchemes");
    expect(schemes.basic).toMatchObject({ type: "http", scheme: "basic" });
    expect(schemes.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "apiKey" });
  });

  test("has exactly 34 operations, each with a unique camelCase operationId", () => {
    expect(OPERATIONS).toHaveLength(34);
    const ids = OPERATIONS.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(34);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  test.each([
    ["get", "/cards/{card_id}/balance", "getCardBalance", "CardBalances"],
    ["post", "/cards/{card_id}/holds", "createAuthorizationHold", "Hold"],
    ["post", "/cards/{card_id}/holds/{hold_id}:adjust", "adjustAuthorizationHold", "Hold"],
    ["delete", "/cards/{card_id}/holds/{hold_id}", "revokeAuthorizationHold", "no body"],
    ["post", "/cards/{card_id}/transactions/{ref_id}/reverse", "reverseCardTransaction", "Transaction"],
    ["put", "/holds", "updateHoldConfig", "HoldConfig"],
    ["get", "/currencies/{code}/exchange_rate", "listExchangeRates", "ListExchangeRatesResponse"],
    ["post", "/sources", "createIndexRateSource", "Source"],
    ["put", "/sources/{source_id}/indexrates/{rate_id}", "updateIndexRate", "IndexRate"],
  ])("%s %s is %s, answering %s", (method, p, operationId, answer) => {
    const op = obj(obj(paths[p], p)[method], `${method} ${p}`);
    expect(op.operationId).toBe(operationId);
    expect(successSchema(op) ?? "no body").toBe(answer);
  });

  test("every $ref resolves inside the document", () => {
    const refs: string[] = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (isObj(x)) for (const [k, v] of Object.entries(x)) k === "$ref" ? refs.push(String(v)) : walk(v);
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => pointer(r) === undefined)).toEqual([]);
  });

  test("every path placeholder is a declared, required path parameter, and every path parameter is in its path", () => {
    for (const o of OPERATIONS) {
      const placeholders = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = o.params.filter((p) => p.in === "path");
      expect({ op: o.operationId, names: declared.map((p) => p.name).sort() }).toEqual({ op: o.operationId, names: placeholders });
      for (const p of declared) expect(p.required).toBe(true);
    }
  });

  test("updateHoldConfig names the merchant in a required query parameter, as the seed does", () => {
    const q = byId("updateHoldConfig").params.find((p) => p.name === "merchant_code");
    expect(q).toMatchObject({ in: "query", required: true });
    expect(obj(byId("updateHoldConfig").op, "op")["x-decision"]).toContain("hold-config-update-query");
  });

  test("every list operation takes page_token, page_size, order_by and filter and answers a next_page_token", () => {
    const lists = OPERATIONS.filter((o) => o.operationId.startsWith("list"));
    expect(lists.map((o) => o.operationId).sort()).toEqual(
      ["listAccountingRates", "listCurrencies", "listExchangeRates", "listHoldConfigs", "listIndexRateSources", "listIndexRates"],
    );
    for (const o of lists) {
      expect(o.method).toBe("get");
      const query = o.params.filter((p) => p.in === "query").map((p) => p.name).sort();
      expect({ op: o.operationId, query }).toEqual({ op: o.operationId, query: ["filter", "order_by", "page_size", "page_token"] });
      const answer = successSchema(o.op)!;
      expect(properties(answer)).toHaveProperty("next_page_token");
      expect(properties(answer)).toHaveProperty("total");
      expect(properties(answer)).toHaveProperty("remaining");
    }
    const pageSize = obj(o0(lists).params.find((p) => p.name === "page_size")!.schema, "schema");
    expect(pageSize).toMatchObject({ type: "integer", minimum: 0, maximum: 1000 });
  });

  test("the enums are the seed's, value for value", () => {
    expect(obj(schemas.HoldSource, "HoldSource").enum).toEqual(["CardSource", "AccountSource"]);
    expect(obj(schemas.HoldStatus, "HoldStatus").enum).toEqual(["HoldPending", "HoldReversed", "HoldSettled", "HoldExpired"]);
    expect(obj(schemas.CardType, "CardType").enum).toEqual(["Debit", "Credit"]);
    expect(obj(schemas.SourceType, "SourceType").enum).toEqual(["InterestRate", "TaxRate", "WithholdingTaxRate", "PrincipalTaxRate"]);
  });

  test("every number on the wire (money and rates) is marked x-decimal, and so are Amount.value and AccountingRate.rate", () => {
    const numbers: string[] = [];
    for (const [name, s] of Object.entries(schemas)) {
      for (const [field, p] of Object.entries(obj(obj(s, name).properties ?? {}, name))) {
        const ps = obj(p, field);
        if (ps.type === "number") {
          numbers.push(`${name}.${field}`);
          expect({ field: `${name}.${field}`, decimal: ps["x-decimal"], format: ps.format }).toEqual({ field: `${name}.${field}`, decimal: true, format: "double" });
        }
      }
    }
    expect(numbers.sort()).toEqual(["ExchangeRate.buy_rate", "ExchangeRate.sell_rate", "Hold.exchange_rate", "IndexRate.rate"]);
    expect(properties("Amount").value).toMatchObject({ type: "string", "x-decimal": true });
    expect(properties("AccountingRate").rate).toMatchObject({ type: "string", "x-decimal": true });
  });

  test("Amount values, Durations and merchant codes take the forms the decisions name", () => {
    const re = (s: unknown) => new RegExp(String(obj(s, "schema").pattern));
    const amount = re(properties("Amount").value);
    for (const ok of ["12.50", "-3.00", "0", "1000000"]) expect(amount.test(ok)).toBe(true);
    for (const bad of ["1e3", "12,50", " 1", "1.", ".5", "NaN"]) expect(amount.test(bad)).toBe(false);
    const duration = re(schemas.Duration);
    for (const ok of ["3600s", "604800s", "1.5s"]) expect(duration.test(ok)).toBe(true);
    for (const bad of ["1h", "3600", "-1s", "P1D"]) expect(duration.test(bad)).toBe(false);
    const merchant = re(schemas.MerchantCode);
    for (const ok of ["default", "5411", "0742"]) expect(merchant.test(ok)).toBe(true);
    for (const bad of ["Default", "541", "54110", ""]) expect(merchant.test(bad)).toBe(false);
  });

  test("every Timestamp field is a date-time string", () => {
    const stamps = ["Hold.user_transaction_time", "Transaction.transaction_time", "NewTransaction.first_repay_time",
      "AccountingRate.start_time", "AccountingRate.end_time", "ExchangeRate.start_time", "ExchangeRate.end_time", "IndexRate.start_time"];
    for (const f of stamps) {
      const [s, field] = f.split(".");
      expect({ f, ...obj(properties(s)[field], f) }).toMatchObject({ f, type: "string", format: "date-time" });
    }
  });

  test("every POST and PUT takes an optional Idempotency-Key, and errors use the v2 error body", () => {
    for (const o of OPERATIONS) {
      const key = o.params.find((p) => p.name === "Idempotency-Key");
      if (o.method === "post" || o.method === "put") expect(key).toMatchObject({ in: "header", required: false });
      else expect(key).toBeUndefined();
      const responses = obj(o.op.responses, "responses");
      for (const status of ["400", "401", "403", "404"]) {
        const r = deref(responses[status]);
        expect(refName(obj(obj(obj(r.content, "content")["application/json"], "json").schema, "schema"))).toBe("ErrorResponse");
      }
    }
    expect(properties("RestError")).toEqual(expect.objectContaining({ errorCode: expect.anything(), errorReason: expect.anything() }));
  });

  test("every decision is written down once, used, and every x-decision names one", () => {
    const decisions = doc["x-decisions"] as Obj[];
    const ids = decisions.map((d) => String(d.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of decisions) {
      for (const k of ["seed", "decision", "why"]) expect({ id: d.id, [k]: typeof d[k] }).toEqual({ id: d.id, [k]: "string" });
    }
    const used = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (isObj(x)) {
        for (const [k, v] of Object.entries(x)) {
          if (k === "x-decision") (v as string[]).forEach((id) => used.add(id));
          else if (k !== "x-decisions") walk(v);
        }
      }
    };
    walk(doc);
    expect([...used].filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.filter((id) => !used.has(id))).toEqual([]);
    for (const id of ["amount-shape", "path-parameters", "hold-config-update-query", "duration-format", "base-path"]) expect(ids).toContain(id);
  });
});

/** The first of a non-empty list. */
function o0<T>(xs: T[]): T {
  if (xs.length === 0) throw new Error("empty list");
  return xs[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Against the seed itself.

interface SeedOperation {
  name: string;
  method: string;
  path: string;
  params: string[];
  body?: string;
  answer: Array<[string, string]>;
}

/** The seed's operations: name, endpoint line, "Query Parameters", request body type and answer table. */
function seedOperations(lines: string[]): SeedOperation[] {
  const ops: SeedOperation[] = [];
  let current: SeedOperation | undefined;
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const endpoint = /^(GET|POST|PUT|DELETE|PATCH) (\/v1\/\S*)$/.exec(line);
    if (endpoint) {
      current = { name: lines[i - 2], method: endpoint[1].toLowerCase(), path: endpoint[2], params: [], answer: [] };
      ops.push(current);
      section = "";
      continue;
    }
    if (!current) continue;
    if (line === "" && section === "answer") {
      current = undefined;
      continue;
    }
    if (line === "Query Parameters") section = "params";
    else if (line.startsWith("Request Body (")) {
      current.body = /^Request Body \((\w+)\)/.exec(line)![1];
      section = "body";
    } else if (/^\s+• Name Description Type/.test(line)) section = "answer";
    else if (line === "") section = section === "params" || section === "body" ? "" : section;
    else if (section === "params") current.params.push(line.split(" ")[0]);
    else if (section === "answer") {
      const words = line.trim().split(/\s+/);
      current.answer.push([words[0], words[words.length - 1]]);
    }
  }
  return ops;
}

/** The seed's object types: name → rows of [field, type] (enums: [value, ""]). */
function seedTypes(lines: string[]): Map<string, Array<[string, string]>> {
  const types = new Map<string, Array<[string, string]>>();
  for (let i = 4; i < lines.length; i++) {
    if (lines[i] !== "Name Description Type" && lines[i] !== "Name Description") continue;
    if (lines[i - 1] !== "" || lines[i - 3] !== "" || !/^[A-Z]\w+$/.test(lines[i - 4])) continue;
    const enumeration = lines[i] === "Name Description";
    const rows: Array<[string, string]> = [];
    for (let j = i + 1; j < lines.length && lines[j].trim() !== ""; j++) {
      const words = lines[j].trim().split(/\s+/);
      rows.push(enumeration ? [words[0], ""] : [words[0], words[words.length - 1]]);
    }
    types.set(lines[i - 4], rows);
  }
  return types;
}

/** The seed's "Type" enum is CardType here (decision schema-names); every other name is the seed's. */
const schemaName = (seedName: string): string => (seedName === "Type" ? "CardType" : seedName);

/** Whether a contract property has the seed's type. */
function sameType(seedType: string, prop: Obj): boolean {
  const array = /^Array\[(\w+)\]$/.exec(seedType);
  if (array) return prop.type === "array" && refName(obj(prop.items, "items")) === schemaName(array[1]);
  const end = resolved(prop);
  switch (seedType) {
    case "String":
      return end.type === "string" && end.format !== "date-time";
    case "Boolean":
      return end.type === "boolean";
    case "Integer":
      return end.type === "integer";
    case "Float(64)":
      return end.type === "number" && end.format === "double" && end["x-decimal"] === true;
    case "Timestamp":
      return end.type === "string" && end.format === "date-time";
    default:
      return refName(prop) === schemaName(seedType);
  }
}

describe("the Services API contract against seed 003", () => {
  if (!HAVE_SEED) {
    test.skip(`every seed endpoint, parameter, field and enum is in the contract (skipped: ${SEED} not found; a user's clone has no ../shared)`, () => undefined);
    return;
  }
  const text = fs.readFileSync(SEED, "utf8");
  const lines = text.split(/\r?\n/);
  const SEED_OPS = seedOperations(lines);
  const TYPES = seedTypes(lines);
  const serverBase = new URL(String(o0(doc.servers as Obj[]).url).replace("{tenant}", "t")).pathname;

  test("the seed lists 34 endpoints and each is an operation of the contract", () => {
    const endpointLines = lines.filter((l) => /^(GET|POST|PUT|DELETE|PATCH) \/v1\//.test(l));
    expect(endpointLines).toHaveLength(34);
    expect(SEED_OPS).toHaveLength(34);
    const placeholderOf = new Map<string, string>();
    for (const p of Object.values(obj(obj(doc.components, "components").parameters, "parameters"))) {
      const param = obj(p, "parameter");
      if (param.in === "path") placeholderOf.set(String(param.name), String(param["x-seed-placeholder"]));
    }
    for (const line of endpointLines) {
      const matches = OPERATIONS.filter((o) => {
        const seedPath = serverBase + o.path.replace(/\{([^}]+)\}/g, (_m, n: string) => `{${placeholderOf.get(n)}}`);
        return `${o.method.toUpperCase()} ${seedPath}` === line;
      });
      expect({ line, operations: matches.length }).toEqual({ line, operations: 1 });
      expect(o0(matches).op["x-seed-endpoint"]).toBe(line);
    }
  });

  test("each seed operation keeps its name, its parameters (by the seed's names), its body type and its answer's fields", () => {
    for (const s of SEED_OPS) {
      const o = OPERATIONS.find((c) => c.op["x-seed-endpoint"] === `${s.method.toUpperCase()} ${s.path}`)!;
      expect({ seed: s.name, name: o.op["x-seed-name"] }).toEqual({ seed: s.name, name: s.name });
      const declared = o.params.filter((p) => p.in === "path" || p.in === "query").map((p) => String(p.name)).sort();
      expect({ op: s.name, params: declared }).toEqual({ op: s.name, params: [...s.params].sort() });
      const body = o.op.requestBody ? refName(obj(obj(obj(o.op.requestBody, "body").content, "c")["application/json"], "j").schema as Obj) : undefined;
      expect({ op: s.name, body }).toEqual({ op: s.name, body: s.body && schemaName(s.body) });
      const answer = successSchema(o.op);
      if (s.answer.length === 0) {
        expect({ op: s.name, answer }).toEqual({ op: s.name, answer: undefined });
        continue;
      }
      const props = properties(answer!);
      expect({ op: s.name, fields: Object.keys(props) }).toEqual({ op: s.name, fields: s.answer.map(([f]) => f) });
      for (const [field, type] of s.answer) {
        expect({ op: s.name, field, type, same: sameType(type, obj(props[field], field)) }).toEqual({ op: s.name, field, type, same: true });
      }
    }
  });

  test("each seed object type is a schema with the seed's field names (in order) and types, or enum values", () => {
    expect([...TYPES.keys()].sort()).toEqual(
      ["Acceptor", "AccountingRate", "Card", "Currency", "ExchangeRate", "Hold", "HoldAdjustment", "HoldConfig", "HoldSource",
        "HoldStatus", "IndexRate", "NewTransaction", "Source", "SourceType", "Transaction", "TransactionReversal", "Type"],
    );
    for (const [seedName, rows] of TYPES) {
      const schema = obj(schemas[schemaName(seedName)], seedName);
      if (rows.every(([, t]) => t === "")) {
        expect({ type: seedName, values: schema.enum }).toEqual({ type: seedName, values: rows.map(([v]) => v) });
        continue;
      }
      const props = obj(schema.properties, seedName);
      expect({ type: seedName, fields: Object.keys(props) }).toEqual({ type: seedName, fields: rows.map(([f]) => f) });
      for (const [field, type] of rows) {
        expect({ type: seedName, field, seedType: type, same: sameType(type, obj(props[field], field)) }).toEqual({ type: seedName, field, seedType: type, same: true });
      }
    }
  });

  test("the types the seed uses but never defines are decided in the contract", () => {
    const used = new Set([...TYPES.values(), ...SEED_OPS.map((s) => s.answer)].flat().map(([, t]) => t.replace(/^Array\[(\w+)\]$/, "$1")));
    const builtin = new Set(["", "String", "Boolean", "Integer", "Float(64)", "Timestamp"]);
    const undefinedInSeed = [...used].filter((t) => !builtin.has(t) && !TYPES.has(t)).sort();
    expect(undefinedInSeed).toEqual(["Address", "Amount", "Duration"]);
    expect(obj(schemas.Amount, "Amount")["x-decision"]).toContain("amount-shape");
    expect(obj(schemas.Duration, "Duration")["x-decision"]).toContain("duration-format");
    expect(obj(schemas.Address, "Address")["x-decision"]).toContain("acceptor-address");
  });
});
