/**
 * Mambu's idempotency: a request carrying `Idempotency-Key` (a v4 UUID) is processed once; a repeat of the same
 * request with the same key gets the first response (status and body) again, without acting twice.
 *
 * - A key belongs to the credentials that sent it: another API user's request with the same key is its own
 *   request (processed, or replayed from that user's own earlier request).
 * - "The same request" is the same method, path, query and body ({@link requestFingerprint}). The same key with
 *   another request is answered 422 (errorCode 4 INVALID_PARAMETERS, "Idempotency-Key ... was already used for
 *   another request"): never a replay of the other answer, never a second execution.
 * - Failures (any status ≥ 400, e.g. a validation error) are not remembered, so a corrected request with the
 *   same key is processed as new.
 * - A repeat that arrives while the first is still being processed waits for it.
 * - At most `maxEntries` keys are remembered (the oldest is forgotten first).
 */
import * as nodeCrypto from "node:crypto";
import { invalidParameters, mambuError } from "./errors";
import { MAX_IDEMPOTENCY_KEYS } from "./limits";
import type { MultipartBody, RouteResponse } from "./router";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Whether a string is a v4 UUID (8-4-4-4-12 hex digits, version 4, RFC 4122 variant). */
export function isV4Uuid(s: string): boolean {
  return V4.test(s);
}

/** Throws 400 INVALID_PARAMETERS unless the key is a v4 UUID. */
export function checkIdempotencyKey(key: string): void {
  if (!isV4Uuid(key)) throw invalidParameters(`Idempotency-Key must be a v4 UUID, got "${key.slice(0, 64)}"`);
}

/** JSON with object keys sorted, so that two serialisations of the same value compare equal. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(",")}}`;
}

/** Node's one-shot `crypto.hash` (Node ≥ 20.12), hex SHA-256 of a UTF-8 string; undefined before (createHash then). */
const oneShotSha256: ((data: string) => string) | undefined = (() => {
  const hash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
  return typeof hash === "function" ? (data: string) => hash("sha256", data, "hex") : undefined;
})();

/** What identifies a request for idempotency. */
export interface FingerprintInput {
  method: string;
  /** Path without `/api` and without the query string. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body. */
  body?: unknown;
  /** The text of a YAML body (`configuration/*.yaml`). */
  text?: string;
  multipart?: MultipartBody;
}

/**
 * A digest of method, path, query and body. JSON bodies count by value (key order and spacing do not matter);
 * multipart bodies by their fields and files (not the boundary, which clients pick anew on each attempt).
 */
export function requestFingerprint(r: FingerprintInput): string {
  const head = `${r.method.toUpperCase()} ${r.path}\n${canonical({ ...r.query })}\n`;
  if (!r.multipart && r.text === undefined && oneShotSha256) return oneShotSha256(`${head}json ${canonical(r.body)}`); // the same digest, without a Hash object
  const h = nodeCrypto.createHash("sha256");
  h.update(head);
  if (r.multipart) {
    const files: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(r.multipart.files)) {
      files[name] = { filename: f.filename, contentType: f.contentType, sha256: nodeCrypto.createHash("sha256").update(f.data).digest("hex") };
    }
    h.update(`multipart ${canonical({ fields: { ...r.multipart.fields }, files })}`);
  } else if (r.text !== undefined) {
    h.update(`text ${r.text}`);
  } else {
    h.update(`json ${canonical(r.body)}`);
  }
  return h.digest("hex");
}

interface Entry {
  fingerprint: string;
  /** What the request was, for the error message. */
  describe: string;
  response?: RouteResponse;
  pending?: Promise<RouteResponse>;
}

/** Responses by user and key, each with the fingerprint of the request that made it. */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = MAX_IDEMPOTENCY_KEYS) {}

  private static id(user: string, key: string): string {
    return `${user}\n${key.toLowerCase()}`;
  }

  /**
   * Runs `work` once per user + key: replays the remembered success of the same request, joins the same request
   * in flight, rejects (422) another request under a key already taken, or runs `work` and remembers its result
   * when it succeeded (status < 400). The `Idempotency-Replayed: true` header marks replays.
   */
  async run(
    user: string,
    key: string,
    request: { fingerprint: string; describe: string },
    work: () => Promise<RouteResponse>,
  ): Promise<RouteResponse> {
    const id = IdempotencyCache.id(user, key);
    const e = this.entries.get(id);
    if (e) {
      if (e.fingerprint !== request.fingerprint) {
        throw mambuError(
          "INVALID_PARAMETERS",
          `Idempotency-Key ${key} was already used for another request (first used for ${e.describe}); use a new key for a new request`,
          422,
        );
      }
      if (e.response) return replay(e.response);
      const r = await (e.pending as Promise<RouteResponse>).catch(() => undefined);
      if (r && r.status < 400) return replay(r);
      return this.run(user, key, request, work);
    }
    const pending = work();
    const entry: Entry = { ...request, pending };
    this.entries.set(id, entry);
    let r: RouteResponse | undefined;
    try {
      r = await pending;
      return r;
    } finally {
      if (r && r.status < 400) {
        entry.response = r;
        entry.pending = undefined;
        this.evict();
      } else if (this.entries.get(id) === entry) {
        this.entries.delete(id);
      }
    }
  }

  private evict(): void {
    if (this.entries.size <= this.maxEntries) return;
    for (const [id, e] of this.entries) {
      if (!e.response) continue; // requests in flight stay
      this.entries.delete(id);
      if (this.entries.size <= this.maxEntries) return;
    }
  }

  /** Number of remembered responses. */
  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.response) n++;
    return n;
  }

  /** Forgets every remembered response. */
  clear(): void {
    for (const [id, e] of this.entries) if (e.response) this.entries.delete(id);
  }
}

function replay(r: RouteResponse): RouteResponse {
  return { ...r, headers: { ...(r.headers ?? {}), "Idempotency-Replayed": "true" } };
}
