/**
 * The sandbox's use of the API contract (lib/generated/schema): request bodies are checked against the Swagger
 * definitions (required fields, enums, types), date-times against the tenant's offset, and query parameters
 * against the operation's declared enums and integer types. Failures become Mambu's 400 INVALID_PARAMETERS.
 */
import { DefinitionSpec, FieldSpec, definition, findOperation, operation, validateAgainst } from "../contract/schema";
import { invalidParameters } from "./errors";
import { ownValue } from "./safe-keys";

/** Whether the schema has a definition (no throw). */
export function hasDefinition(resource: string, name: string): boolean {
  try {
    definition(resource, name);
    return true;
  } catch {
    return false;
  }
}

/** A definition or undefined. */
export function findDefinition(resource: string, name: string): DefinitionSpec | undefined {
  try {
    return definition(resource, name);
  } catch {
    return undefined;
  }
}

/** Turns a validator problem into Mambu's errorSource wording. */
function toSource(problem: string): string {
  // "body.scheduleSettings.gracePeriod: required field is missing" → "Property scheduleSettings.gracePeriod may not be null"
  const m = /^body\.(.+?): required field is (missing|null)$/.exec(problem);
  if (m) return `Property ${m[1]} may not be null`;
  return problem.replace(/^body\.?/, "") || problem;
}

/**
 * Validates a JSON body against `definitionName` of the schema resource: throws 400 INVALID_PARAMETERS whose
 * errorSource names the first problem. Unknown (non-contract) fields are tolerated, as are `_` custom field sets.
 * Date-times must carry the tenant's offset (see {@link checkOffsets}).
 */
export function validateBody(
  resource: string,
  definitionName: string,
  body: unknown,
  offset: string,
  options: { baseline?: unknown } = {},
): void {
  const spec: FieldSpec = { type: "object", ref: definitionName };
  const problemsOf = (v: unknown): string[] => validateAgainst(resource, spec, v).filter((p) => !/: unknown field/.test(p));
  let problems = problemsOf(body);
  // With a baseline (the stored record), only problems the request introduced count: what the sandbox itself
  // served (e.g. states of newer Mambu versions than the contract) can always be sent back.
  if (options.baseline !== undefined && problems.length) {
    const known = new Set(problemsOf(options.baseline));
    problems = problems.filter((p) => !known.has(p));
  }
  // Offsets first when a date-time is otherwise well formed: Mambu's own message for it.
  const offsetProblem = checkOffsets(resource, spec, body, offset);
  const dateTimeProblem = problems.find((p) => /expected date-time with offset/.test(p));
  if (offsetProblem && (!dateTimeProblem || problems[0] === dateTimeProblem)) throw invalidParameters(offsetProblem);
  if (problems.length) throw invalidParameters(toSource(problems[0]));
  if (offsetProblem) throw invalidParameters(offsetProblem);
}

const DT_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** Mambu's message for a date-time whose offset is not the tenant's. */
export function offsetMessage(value: string, offset: string): string {
  const m = DT_RE.exec(value);
  return `Invalid date offset for value ${m ? m[1] : value} org offset is ${offset}`;
}

/** Whether a date-time string carries exactly the tenant offset ("Z" counts as +00:00). */
export function hasTenantOffset(value: string, offset: string): boolean {
  const m = DT_RE.exec(value);
  if (!m || !m[2]) return false;
  const norm = (o: string): string => (o === "Z" ? "+00:00" : o.length === 5 ? `${o.slice(0, 3)}:${o.slice(3)}` : o);
  return norm(m[2]) === norm(offset);
}

/**
 * Walks a value along its spec and returns Mambu's message for the first date-time (that looks like a
 * date-time) without the tenant's offset, or undefined when all are fine.
 */
export function checkOffsets(resource: string, spec: FieldSpec, value: unknown, offset: string): string | undefined {
  const seen = new Set<string>();
  const walk = (s: FieldSpec | undefined, v: unknown): string | undefined => {
    if (!s || v === null || v === undefined || s.readOnly) return undefined;
    if (s.type === "datetime") {
      if (typeof v === "string" && DT_RE.test(v) && !hasTenantOffset(v, offset)) return offsetMessage(v, offset);
      return undefined;
    }
    if (s.type === "array" && Array.isArray(v)) {
      for (const x of v) {
        const r = walk(s.items, x);
        if (r) return r;
      }
      return undefined;
    }
    if (s.type === "object" && typeof v === "object" && !Array.isArray(v)) {
      let fields = s.fields;
      if (s.ref) {
        const d = findDefinition(resource, s.ref);
        if (!d) return undefined;
        if (d.items) return walk({ type: "array", items: d.items }, v);
        fields = d.fields;
        if (seen.has(s.ref) && seen.size > 50) return undefined;
        seen.add(s.ref);
      }
      if (!fields) return undefined;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const r = walk(ownValue(fields, k) as FieldSpec | undefined, x); // a body key "constructor" is no spec
        if (r) return r;
      }
    }
    return undefined;
  };
  return walk(spec, value);
}

/** The fields of a definition marked readOnly in the contract (top level only). */
export function readOnlyFields(resource: string, definitionName: string): Set<string> {
  const d = findDefinition(resource, definitionName);
  const out = new Set<string>();
  if (d) for (const [k, f] of Object.entries(d.fields)) if (f.readOnly) out.add(k);
  return out;
}

/**
 * Checks query parameters of an operation against their declared enums and integer types (parameters the
 * operation does not declare are ignored). Throws 400 INVALID_PARAMETERS.
 */
export function validateQuery(resource: string, method: string, template: string, query: Record<string, string>): void {
  const op = operation(resource, method, template);
  if (!op) return;
  for (const q of op.query) {
    const v = query[q.name];
    if (v === undefined) {
      if (q.required) throw invalidParameters(`${q.name}: required parameter is missing`);
      continue;
    }
    if (q.name === "offset" || q.name === "limit") continue; // list.ts answers these with Mambu's own codes
    const values = q.type === "array" ? v.split(",") : [v];
    const en = q.enum ?? q.items?.enum;
    for (const x of values) {
      if (en && !en.includes(x)) throw invalidParameters(`${q.name}: expected one of ${en.join(", ")}, got "${x}"`);
      if (q.type === "integer" && !/^-?\d+$/.test(x)) throw invalidParameters(`${q.name}: expected integer, got "${x}"`);
      if (q.type === "boolean" && !/^(true|false)$/i.test(x)) throw invalidParameters(`${q.name}: expected boolean, got "${x}"`);
      if (q.type === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(x)) throw invalidParameters(`${q.name}: expected date (YYYY-MM-DD), got "${x}"`);
    }
  }
}

/** The enum of a field of a definition (e.g. the search fields of ClientFilterCriteria), or undefined. */
export function fieldEnum(resource: string, definitionName: string, field: string): string[] | undefined {
  return findDefinition(resource, definitionName)?.fields[field]?.enum;
}

/**
 * Validates the body of a request against the operation the contract has for method + concrete path (used for
 * the engine's routes): required body, required fields, enums, types, tenant offsets. Throws 400.
 */
export function validateOperationBody(method: string, path: string, body: unknown, offset: string): void {
  const m = findOperation(method, path);
  if (!m || !m.op.body) return;
  if (body === undefined || body === null) {
    if (m.op.bodyRequired && m.op.body.ref && (findDefinition(m.resource, m.op.body.ref)?.required.length ?? 0) > 0) {
      throw invalidParameters("a JSON body is required");
    }
    return;
  }
  const problems = validateAgainst(m.resource, m.op.body, body).filter((p) => !/: unknown field/.test(p));
  const offsetProblem = checkOffsets(m.resource, m.op.body, body, offset);
  const dateTimeProblem = problems.find((p) => /expected date-time with offset/.test(p));
  if (offsetProblem && (!dateTimeProblem || problems[0] === dateTimeProblem)) throw invalidParameters(offsetProblem);
  if (problems.length) throw invalidParameters(toSource(problems[0]));
  if (offsetProblem) throw invalidParameters(offsetProblem);
}
