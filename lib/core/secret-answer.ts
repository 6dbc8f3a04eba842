/**
 * Credentials the contract marks `"secret": true` (`ApiKey.apiKey`, `SecretKey.secretKey`,
 * `ApiKeyRotationResult.apiKey`/`secretKey`, `ApiKeyRotation.apiKey`; scripts/contract-supplement.json). In
 * answers they come out of `callOperation` as {@link Secret}s, so that `api.consumers.createApiKeyForConsumer(...)`
 * in a REPL or `mambu call` shows `****`, never the key; an answer that does not have the shape that leads to them
 * is refused with a `MambuError` that shows nothing of it (it may hold credentials), rather than handed back with
 * a key in plain text. In a request body, their values are found ({@link secretValuesIn}) so that the request's
 * errors and log lines redact them even when given as plain strings.
 *
 * @module
 */
import { resource as resourceSpec } from "../contract/schema";
import type { FieldSpec, OperationSpec, ResourceSpec } from "../contract/schema";
import { MambuError } from "../errors";
import { isSecret, Secret } from "../transport";
import { hasOwn } from "./clone";

/** Whether a spec reaches a credential field, by resource and definition (definitions may refer to each other). */
const reaches = new Map<string, boolean>();

function holdsSecret(resourceName: string, res: ResourceSpec, spec: FieldSpec | null | undefined, seen: Set<string> = new Set()): boolean {
  if (!spec) return false;
  if (spec.secret) return true;
  if (spec.items && holdsSecret(resourceName, res, spec.items, seen)) return true;
  if (spec.fields && Object.values(spec.fields).some((f) => holdsSecret(resourceName, res, f, seen))) return true;
  if (!spec.ref) return false;
  const key = `${resourceName}#${spec.ref}`;
  const known = reaches.get(key);
  if (known !== undefined) return known;
  if (seen.has(key) || !hasOwn(res.definitions, spec.ref)) return false;
  seen.add(key);
  const def = res.definitions[spec.ref];
  const found = holdsSecret(resourceName, res, def.items, seen) || Object.values(def.fields).some((f) => holdsSecret(resourceName, res, f, seen));
  if (found || seen.size === 1) reaches.set(key, found); // a "no" found inside a cycle may be incomplete: cached only at the top
  seen.delete(key);
  return found;
}

/** The answer specs of an operation's successes (2xx with a body). */
function successSpecs(op: OperationSpec): Array<[status: string, spec: FieldSpec]> {
  return Object.keys(op.responses)
    .filter((st) => /^2\d\d$/.test(st) && op.responses[st])
    .sort()
    .map((st) => [st, op.responses[st]!]);
}

/**
 * Whether a successful answer of the operation may hold credentials (a field the contract marks secret): such a
 * call is sent with `secretAnswer` (an unreadable answer is reported without an excerpt) and its answer goes
 * through {@link wrapSecretAnswer}.
 */
export function answersSecrets(resourceName: string, op: OperationSpec): boolean {
  let byResource = answering.get(op);
  const known = byResource?.get(resourceName);
  if (known !== undefined) return known;
  const res = resourceSpec(resourceName);
  const found = successSpecs(op).some(([, spec]) => holdsSecret(resourceName, res, spec));
  if (!byResource) answering.set(op, (byResource = new Map()));
  byResource.set(resourceName, found);
  return found;
}

/**
 * {@link answersSecrets} by operation and resource name: the contract's descriptions never change, so neither does
 * the answer (bounded by the contract's operations, each under the resource names it is asked under).
 */
const answering = new WeakMap<OperationSpec, Map<string, boolean>>();

/** `apiKey` → `"API key"`, `secretKey` → `"secret key"`: what a credential is, from its field's name. */
export function secretLabel(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().replace(/\bapi\b/g, "API");
}

function malformed(label: string, what: string): MambuError {
  return new MambuError(`${label}: malformed answer from Mambu: ${what} (the answer is not shown: it may hold credentials)`);
}

const isBag = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

class Wrapper {
  constructor(
    private readonly label: string,
    private readonly resourceName: string,
    private readonly res: ResourceSpec,
  ) {}

  /** `v` with every credential under `spec` a Secret (containers changed in place); `field`: the key `v` is under. */
  value(spec: FieldSpec, v: unknown, path: string, field: string): unknown {
    if (v === null || v === undefined) return v;
    if (spec.secret) {
      if (isSecret(v)) return v;
      if (typeof v !== "string") throw malformed(this.label, `${path} (a credential) is not a string`);
      return v === "" ? v : new Secret(v, secretLabel(field));
    }
    if (!holdsSecret(this.resourceName, this.res, spec)) return v;
    if (spec.type === "array") {
      if (!Array.isArray(v)) throw malformed(this.label, `${path}: expected a list`);
      for (let i = 0; i < v.length; i++) v[i] = this.value(spec.items!, v[i], `${path}[${i}]`, field);
      return v;
    }
    if (spec.ref) {
      const def = this.res.definitions[spec.ref];
      if (def.items) return this.value({ type: "array", items: def.items }, v, path, field);
      if (!isBag(v)) throw malformed(this.label, `${path}: expected an object (${spec.ref})`);
      return this.fields(def.fields, v, path);
    }
    if (!isBag(v)) throw malformed(this.label, `${path}: expected an object`);
    return this.fields(spec.fields ?? {}, v, path);
  }

  private fields(fields: Record<string, FieldSpec>, v: Record<string, unknown>, path: string): Record<string, unknown> {
    for (const k of Object.keys(fields)) {
      if (hasOwn(v, k)) v[k] = this.value(fields[k], v[k], `${path}.${k}`, k);
    }
    return v;
  }
}

/**
 * The non-empty strings at the credential fields of a JSON value (a request body as sent) that follows `spec`;
 * parts that do not follow it are skipped (the contract check reports them).
 */
export function secretValuesIn(resourceName: string, spec: FieldSpec, value: unknown): string[] {
  const res = resourceSpec(resourceName);
  const found: string[] = [];
  const visit = (s: FieldSpec, v: unknown, depth: number): void => {
    if (v === null || v === undefined || depth > 64) return;
    if (s.secret) {
      if (typeof v === "string" && v !== "") found.push(v);
      return;
    }
    if (!holdsSecret(resourceName, res, s)) return;
    if (Array.isArray(v)) {
      const items = s.items ?? (s.ref ? res.definitions[s.ref].items : undefined);
      if (items) for (const x of v) visit(items, x, depth + 1);
      return;
    }
    if (!isBag(v)) return;
    const fields = s.ref ? res.definitions[s.ref].fields : (s.fields ?? {});
    for (const k of Object.keys(fields)) if (hasOwn(v, k)) visit(fields[k], v[k], depth + 1);
  };
  visit(spec, value, 0);
  return found;
}

/**
 * Mambu's parsed answer to the operation (HTTP `status`) with each credential field a {@link Secret} labelled
 * from its field (`"API key"`, `"secret key"`), changed in place; an empty or null credential is left as it is.
 * Answers of operations that hold no credential come back untouched.
 * @throws MambuError, showing nothing of the answer, when a credential is not a string or the answer does not
 *   have the shape that leads to one (a list where an object is expected...).
 */
export function wrapSecretAnswer(label: string, resourceName: string, op: OperationSpec, status: number, answer: unknown): unknown {
  const specs = successSpecs(op);
  const spec = (op.responses[String(status)] ?? specs[0]?.[1]) || undefined;
  if (!spec) return answer;
  const res = resourceSpec(resourceName);
  if (!holdsSecret(resourceName, res, spec)) return answer;
  return new Wrapper(label, resourceName, res).value(spec, answer, "answer", "");
}
