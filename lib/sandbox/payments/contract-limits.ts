/**
 * The Payments contract's limits the generated schema does not carry (lib/generated keeps names, types and enums):
 * `minLength`, `maxLength`, `pattern`, `minimum`, `minProperties` and `format: date` of
 * lib/contract/openapi/payments-v1.json, checked on a request body by walking the OpenAPI schema itself (following
 * `$ref`s). Each problem is a FORMAT_ERROR TPPMessage whose path is the field (`debtorName`,
 * `creditorAccount.identification.iban`), as the seed's own examples ("iban size must be between 15 and 34").
 */
import openapi from "../../contract/openapi/payments-v1.json";
import type { TppMessage } from "./tpp";

interface OaSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, OaSchema>;
  items?: OaSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  minProperties?: number;
  format?: string;
}

const SCHEMAS = (openapi as unknown as { components: { schemas: Record<string, OaSchema> } }).components.schemas;
const PATHS = (openapi as unknown as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: OaSchema }> } }>> }).paths;
const patterns = new Map<string, RegExp>();

function deref(s: OaSchema): OaSchema {
  let cur = s;
  for (let i = 0; i < 10 && cur.$ref; i++) cur = SCHEMAS[cur.$ref.replace("#/components/schemas/", "")] ?? {};
  return cur;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function walk(schema: OaSchema, value: unknown, path: string, out: TppMessage[], depth: number): void {
  if (depth > 32 || value === undefined || value === null) return;
  const s = deref(schema);
  const where = path || "body";
  const problem = (text: string): void => void out.push({ category: "ERROR", code: "FORMAT_ERROR", ...(path ? { path } : {}), text: `${where} ${text}` });
  if (typeof value === "string") {
    if (s.minLength !== undefined && s.maxLength !== undefined && (value.length < s.minLength || value.length > s.maxLength)) {
      problem(s.minLength === s.maxLength ? `size must be ${s.minLength}` : `size must be between ${s.minLength} and ${s.maxLength}`);
    } else if (s.minLength !== undefined && value.length < s.minLength) problem(`size must be at least ${s.minLength}`);
    else if (s.maxLength !== undefined && value.length > s.maxLength) problem(`size must be at most ${s.maxLength}`);
    if (s.pattern !== undefined) {
      let re = patterns.get(s.pattern);
      if (!re) patterns.set(s.pattern, (re = new RegExp(s.pattern, "u")));
      if (!re.test(value)) problem(`must match ${s.pattern}`);
    }
    if (s.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) problem("must be a date YYYY-MM-DD");
    return;
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) problem(`must be at least ${s.minimum}`);
    return;
  }
  if (Array.isArray(value)) {
    if (s.items) value.slice(0, 1000).forEach((v, i) => walk(s.items!, v, `${path}[${i}]`, out, depth + 1));
    return;
  }
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (s.minProperties !== undefined && Object.keys(o).length < s.minProperties) problem(`needs at least ${s.minProperties} field${s.minProperties > 1 ? "s" : ""}`);
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (own(o, k)) walk(sub, o[k], path ? `${path}.${k}` : k, out, depth + 1);
    }
  }
}

/** The limit problems of a JSON request body of `method template` (the OpenAPI path template), empty when none. */
export function limitProblems(method: string, template: string, body: unknown): TppMessage[] {
  const op = own(PATHS, template) ? PATHS[template][method.toLowerCase()] : undefined;
  const schema = op?.requestBody?.content?.["application/json"]?.schema;
  if (!schema) return [];
  const out: TppMessage[] = [];
  walk(schema, body, "", out, 0);
  return out;
}
