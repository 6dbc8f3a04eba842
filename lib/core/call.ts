/**
 * The one generic caller of the contract's operations: `callOperation("loans", "writeOff", {...})` for API v2,
 * `callOperation("cards", "getCardBalance", { api: "services", ... })` for the Services API (sent under its base
 * path, `/v1`, with `Accept: application/json`, through the same connector), `{ api: "payments" }` for the Payments
 * API (under `/api/v1`, API key only)
 * checks a request against the operation's Swagger description (path parameters present, query keys
 * known and their values typed, enums, the body against its definition) before anything is sent,
 * builds the path with encoded segments, and sends it through `connector.request` with exact JSON
 * (amounts keep every digit both ways). Every generated `api.<resource>.<operationId>` function
 * (lib/core/api.ts) and `mambu call` go through it.
 */
import { apiTitle, resource as resourceSpec, schemaOf, validateAgainst } from "../contract/schema";
import type { ApiName, FieldSpec, OperationSpec, QueryParamSpec } from "../contract/schema";
import { MambuTsError } from "../errors";
import { encodeSegment, isSecret, MambuConnector, redact } from "../transport";
import type { HttpMethod, Secret } from "../transport";
import { headerValue, revealSecrets } from "../transport/reveal";
import { hasOwn } from "./clone";
import { parseJsonExact, stringifyExact } from "./json";
import { wireDecimals } from "./wire-decimals";
import { answersSecrets, secretValuesIn, wrapSecretAnswer } from "./secret-answer";
import { withPaymentsRequestId } from "./payments-request-id";

/** Options of one call, besides its parameters and body. */
export interface CallOptions {
  /** The connection to use (default: `MambuConnector.default()`, over `mambuconfig`). */
  connector?: MambuConnector;
  /** `Idempotency-Key` (v4 UUID) of a POST/PUT/PATCH; a random one is sent when absent (the same on every retry). */
  idempotencyKey?: string;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
  /**
   * Values this call must never show (see `RequestOptions.secrets`): redacted from its errors, log lines and
   * retry events. `Secret`s given in `headers` or `body` are added on their own.
   */
  secrets?: string[];
  /**
   * The answer carries credentials: an unreadable answer is reported without an excerpt of its body. Set on its
   * own for the operations whose answers the contract marks as holding credentials (see ./secret-answer.ts).
   */
  secretAnswer?: boolean;
  /** Retries of this call only (default: the connector's); 0 for a request that must not be repeated. */
  retries?: number;
  /**
   * Header parameters the operation declares, by name (`{ secretkey: new Secret(key, "secret key") }` for
   * `apikey_rotation.rotateKey`), each a string or a `Secret` (revealed only in the request sent, redacted from
   * everything it shows). `Idempotency-Key` goes in `idempotencyKey`.
   */
  headers?: Record<string, string | Secret>;
}

/** A body sent as given (multipart uploads), with its content type. */
export interface RawCallBody {
  data: Uint8Array | string;
  contentType: string;
}

/** What {@link callOperation} sends. */
export interface CallRequest extends CallOptions {
  /**
   * The API whose contract names the operation: `"v2"` (default; under `/api`) or `"services"` (the Services API,
   * under `/v1`; lib/generated/services) or `"payments"` (the Payments API, under `/api/v1`, API key only;
   * lib/generated/payments). Resource names are per API: `cards` of one is not `cards` of the other.
   */
  api?: ApiName;
  /** Path parameters by name (`{ loanAccountId: "54321" }`), each a non-empty string or a number. */
  path?: Record<string, string | number>;
  /** Query parameters by name, as the operation declares them (`undefined` entries are left out). */
  query?: Record<string, unknown>;
  /**
   * The body: a JSON value (entities, Decimals, DateTimes and RawNumbers written exactly), YAML text for
   * operations that take YAML, or a {@link RawCallBody} for multipart uploads.
   */
  body?: unknown;
}

const SENDABLE: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

const byId = new Map<ApiName, Map<string, OperationSpec>>();

/**
 * The contract's description of an operation by resource and operationId (of API v2 unless `api` says otherwise).
 * @throws MambuTsError naming the resource's operations when there is no such operation.
 */
export function operationSpec(resourceName: string, operationId: string, api: ApiName = "v2"): OperationSpec {
  const schema = schemaOf(api);
  let ops = byId.get(api);
  if (!ops) {
    ops = new Map();
    for (const r of Object.keys(schema.resources)) {
      for (const op of schema.resources[r].operations) if (op.operationId) ops.set(`${r}.${op.operationId}`, op);
    }
    byId.set(api, ops);
  }
  const op = ops.get(`${resourceName}.${operationId}`);
  if (op) return op;
  let known: string[];
  try {
    known = resourceSpec(resourceName, api).operations.map((o) => o.operationId ?? "").filter(Boolean);
  } catch {
    throw new MambuTsError(`unknown ${apiTitle(api)} resource "${resourceName}"`);
  }
  throw new MambuTsError(`${api === "v2" ? "" : `${api}.`}${resourceName} has no operation "${operationId}"; operations: ${known.join(", ")}`);
}

/** Whether media types (an operation's `consumes` or `produces`) are JSON (or something else: YAML, files, multipart); none declared is JSON. */
export function isJsonMedia(types: string[] | undefined): boolean {
  return !types || types.some((t) => /json/.test(t));
}

const INTEGER = /^-?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One query value as text, checked against its declared type and enum. */
function queryScalar(label: string, spec: { type: string; enum?: string[] }, v: unknown): string {
  const bad = (what: string): never => {
    throw new MambuTsError(`${label}: expected ${what}, got ${JSON.stringify(v)}`);
  };
  if (spec.enum && spec.enum.length) {
    if (typeof v !== "string" || !spec.enum.includes(v)) bad(`one of ${spec.enum.join(", ")}`);
    return v as string;
  }
  switch (spec.type) {
    case "integer":
      if (typeof v === "number" ? !Number.isInteger(v) : typeof v !== "string" || !INTEGER.test(v)) bad("an integer");
      return String(v);
    case "decimal":
      if (typeof v === "number" ? !Number.isFinite(v) : typeof v !== "string" || !/^-?\d+(\.\d+)?$/.test(v)) bad("a number");
      return String(v);
    case "boolean":
      if (v !== true && v !== false && v !== "true" && v !== "false") bad("true or false");
      return String(v);
    case "date":
      if (typeof v !== "string" || !DATE.test(v)) bad("a date (YYYY-MM-DD)");
      return v as string;
    default:
      if (typeof v !== "string" && typeof v !== "number") bad("a string");
      return String(v);
  }
}

/** `a=1&b=x` for the operation's query parameters; unknown keys, bad values and missing required ones refused. */
function queryString(label: string, op: OperationSpec, query: Record<string, unknown>): string {
  const specs = new Map<string, QueryParamSpec>(op.query.map((q) => [q.name, q]));
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    const spec = specs.get(k);
    if (!spec) {
      throw new MambuTsError(
        `${label}: unknown query parameter "${k}"; ${op.query.length ? `parameters: ${op.query.map((q) => q.name).join(", ")}` : "it takes none"}`,
      );
    }
    if (v === undefined || v === null) continue;
    const key = encodeURIComponent(k);
    if (spec.type === "array") {
      const values = (Array.isArray(v) ? v : [v]).map((x) => queryScalar(`${label} ${k}`, spec.items ?? { type: "string" }, x));
      if (spec.collectionFormat === "multi") for (const x of values) pairs.push(`${key}=${encodeURIComponent(x)}`);
      else pairs.push(`${key}=${encodeURIComponent(values.join(","))}`);
    } else {
      pairs.push(`${key}=${encodeURIComponent(queryScalar(`${label} ${k}`, spec, v))}`);
    }
  }
  for (const q of op.query) {
    if (q.required && (query[q.name] === undefined || query[q.name] === null)) throw new MambuTsError(`${label}: query parameter "${q.name}" is required`);
  }
  return pairs.join("&");
}

/** The concrete path: every `{name}` filled with its encoded value; missing and unknown names refused. */
function concretePath(label: string, op: OperationSpec, params: Record<string, string | number>): string {
  for (const k of Object.keys(params)) {
    if (!op.pathParams.includes(k)) {
      throw new MambuTsError(`${label}: unknown path parameter "${k}"; ${op.pathParams.length ? `path parameters: ${op.pathParams.join(", ")}` : "it takes none"}`);
    }
  }
  const parts = templateParts(op.path);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    const v = hasOwn(params, name) ? params[name] : undefined;
    if (v === undefined || v === null || v === "") throw new MambuTsError(`${label}: path parameter "${name}" is required (${op.method} ${op.path})`);
    out += encodeSegment(v) + parts[i + 1];
  }
  return out;
}

/** Path templates split once: text, name, text, name, ..., text (bounded by the contracts' paths). */
const templates = new Map<string, string[]>();

/** `/loans/{id}:x` → `["/loans/", "id", ":x"]`: the template's literal parts around each `{name}`. */
function templateParts(path: string): string[] {
  let parts = templates.get(path);
  if (parts === undefined) {
    parts = path.split(/\{([^}]+)\}/g);
    templates.set(path, parts);
  }
  return parts;
}

/**
 * Calls one operation of the contract (e.g. `callOperation("loans", "writeOff", { path: { loanAccountId:
 * "54321" }, body: { notes: "..." } })`) and resolves to Mambu's answer: parsed JSON with every number exact
 * (numbers a double cannot hold as written come back as `RawNumber`), `undefined` for an empty answer, the
 * text of a YAML answer, the bytes (Buffer) of a file. Credentials the contract marks in an answer (a new API
 * key, a secret key) come back as `Secret`s, and such an answer is never shown in an error.
 * @throws MambuTsError before sending, for an unknown operation, a missing or unknown path parameter, an unknown
 *   query parameter or a value of the wrong type or outside its enum, a missing required body or a body that
 *   does not follow its definition (every problem listed); MambuError when Mambu answers with an error;
 *   MambuCommError when Mambu cannot be reached or keeps failing.
 */
export function callOperation(resourceName: string, operationId: string, req: CallRequest = {}): Promise<unknown> {
  return sendOperation(resourceName, operationId, req, undefined);
}

/**
 * A JSON body its caller has already written with `stringifyExact`, parsed back and found to follow the
 * operation's body spec (`spec`, the very object of the operation's description), holding no `Secret`:
 * {@link sendOperation} sends `text` as it is instead of writing and checking `body` a second time. @internal
 */
export interface CheckedBody {
  /** The body object the text was written from (the call's `body`: the text is used only for this one). */
  readonly body: unknown;
  /** The operation's body spec it was checked against. */
  readonly spec: FieldSpec;
  /** `stringifyExact(body)`. */
  readonly text: string;
  /** `JSON.parse(text)`. */
  readonly json: unknown;
}

/**
 * {@link callOperation}, with the body already written and checked by the caller (`checked`, used only when it
 * is for this call's body and this operation's body spec of API v2; else the body is written and checked here). @internal
 */
export async function sendOperation(resourceName: string, operationId: string, req: CallRequest, checked: CheckedBody | undefined): Promise<unknown> {
  const api: ApiName = req.api ?? "v2";
  if (api !== "v2" && api !== "services" && api !== "payments") {
    throw new MambuTsError(`api must be "v2", "services" or "payments", got ${JSON.stringify(api)}`);
  }
  const v2 = api === "v2";
  const schema = schemaOf(api);
  const op = operationSpec(resourceName, operationId, api);
  const label = `${v2 ? "" : `${api}.`}${resourceName}.${operationId}`;
  if (!SENDABLE.has(op.method)) throw new MambuTsError(`${label}: ${op.method} requests are not supported`);
  let path = concretePath(label, op, req.path ?? {});
  const qs = queryString(label, op, req.query ?? {});
  if (qs) path += `?${qs}`;

  const secrets = checkSecrets(label, req.secrets);
  const headers = withPaymentsRequestId(api, headerParams(label, op, req.headers, secrets));

  const takesBody = op.body !== undefined || op.formData !== undefined;
  let sent: { bodyText?: string; rawBody?: { data: Buffer | string; contentType: string } } = {};
  if (req.body === undefined) {
    if (op.bodyRequired || op.formData?.some((f) => f.required)) throw new MambuTsError(`${label}: a request body is required`);
  } else if (!takesBody) {
    throw new MambuTsError(`${label} takes no request body (${op.method} ${op.path})`);
  } else if (op.formData || !isJsonMedia(op.consumes)) {
    sent = { rawBody: rawBody(label, op, req.body) };
  } else if (checked !== undefined && v2 && checked.body === req.body && checked.spec === op.body) {
    // Credentials given as plain strings (the v2 contract marks them).
    secrets.push(...secretValuesIn(resourceName, op.body, checked.json));
    sent = { bodyText: checked.text };
  } else {
    const text = stringifyExact(revealSecrets(v2 ? req.body : wireDecimals(api, resourceName, op.body, req.body), secrets));
    if (text === undefined) throw new MambuTsError(`${label}: the body cannot be written as JSON`);
    const sentJson: unknown = JSON.parse(text);
    // Credentials given as plain strings (the v2 contract marks them; the Services and Payments contracts have none).
    if (v2) secrets.push(...secretValuesIn(resourceName, op.body!, sentJson));
    const problems = validateAgainst(resourceName, op.body!, sentJson, v2 ? {} : { api, request: true });
    if (problems.length) throw new MambuTsError(redact(`${label}: the body does not follow the contract:\n  ${problems.join("\n  ")}`, secrets));
    sent = { bodyText: text };
  }

  const conn = req.connector ?? MambuConnector.default();
  const jsonAnswer = isJsonMedia(op.produces);
  const secretAnswer = v2 && jsonAnswer && answersSecrets(resourceName, op);
  const res = await conn.request({
    method: op.method as HttpMethod,
    path,
    ...(v2 ? {} : { basePath: schema.basePath }),
    // The Payments API authenticates by API key only: refused before sending when the connector has none.
    ...(api === "payments" ? { apikeyOnly: "the Payments API" } : {}),
    ...sent,
    ...(jsonAnswer ? { parse: parseJsonExact, ...(schema.mediaType ? { accept: schema.mediaType } : {}) } : { accept: op.produces!.join(", ") }),
    idempotencyKey: req.idempotencyKey,
    signal: req.signal,
    ...(headers ? { headers } : {}),
    ...(secrets.length ? { secrets } : {}),
    ...(req.secretAnswer || secretAnswer ? { secretAnswer: true } : {}),
    ...(req.retries !== undefined ? { retries: req.retries } : {}),
  });
  if (jsonAnswer) {
    if (res.text.trim() === "") return undefined;
    return secretAnswer ? wrapSecretAnswer(label, resourceName, op, res.status, res.body) : res.body;
  }
  return op.produces!.some((p) => /yaml/.test(p)) ? res.text : res.raw;
}

/** The caller's extra secrets, checked (a copy: the Secrets of headers and body are added to it). */
function checkSecrets(label: string, secrets: unknown): string[] {
  if (secrets === undefined) return [];
  if (!Array.isArray(secrets) || !secrets.every((x) => typeof x === "string")) throw new MambuTsError(`${label}: secrets must be a list of strings`);
  return secrets.filter((x) => x !== "");
}

/**
 * The header parameters of a call, by the names the operation declares (matched without regard to case),
 * their values as sent; Secrets revealed and their values pushed onto `secrets`. Undefined when none.
 */
function headerParams(label: string, op: OperationSpec, given: CallRequest["headers"], secrets: string[]): Record<string, string> | undefined {
  if (given === undefined || given === null) return undefined;
  if (typeof given !== "object" || Array.isArray(given)) throw new MambuTsError(`${label}: headers must be an object of header parameters`);
  const declared = new Map(op.headers.filter((h) => h.toLowerCase() !== "idempotency-key").map((h) => [h.toLowerCase(), h]));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) {
    if (k.toLowerCase() === "idempotency-key") throw new MambuTsError(`${label}: give the Idempotency-Key as idempotencyKey, not in headers`);
    const name = declared.get(k.toLowerCase());
    if (!name) {
      throw new MambuTsError(`${label}: unknown header parameter "${k}"; ${declared.size ? `header parameters: ${[...declared.values()].join(", ")}` : "it takes none"}`);
    }
    if (v === undefined || v === null) continue;
    if (!isSecret(v) && typeof v !== "string") throw new MambuTsError(`${label}: header parameter "${name}" must be a string or a Secret`);
    if (v === "") throw new MambuTsError(`${label}: header parameter "${name}" is empty`);
    out[name] = headerValue(name, v, secrets);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The raw body of a YAML or multipart operation: YAML text, or `{ data, contentType }`. */
function rawBody(label: string, op: OperationSpec, body: unknown): { data: Buffer | string; contentType: string } {
  if (op.formData) {
    const b = body as Partial<RawCallBody> | null;
    if (typeof b !== "object" || b === null || (typeof b.data !== "string" && !(b.data instanceof Uint8Array)) || typeof b.contentType !== "string") {
      throw new MambuTsError(`${label} takes a multipart body: { data: Buffer, contentType: "multipart/form-data; boundary=..." }`);
    }
    return { data: typeof b.data === "string" ? b.data : Buffer.from(b.data), contentType: b.contentType };
  }
  if (typeof body !== "string") throw new MambuTsError(`${label} takes ${op.consumes!.join(" or ")} text as its body`);
  return { data: body, contentType: op.consumes![0] };
}
