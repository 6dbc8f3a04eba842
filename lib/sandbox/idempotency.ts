/**
 * Mambu's idempotency: a request carrying `Idempotency-Key` (a v4 UUID) is processed once; a repeat with the
 * same key, method and path gets the first response (status and body) again without acting twice. Failures
 * (any status ≥ 400, e.g. a validation error) are not cached, so a corrected request with the same key is
 * processed as new. A repeat that arrives while the first is still being processed waits for it.
 */
import { invalidParameters } from "./errors";
import type { RouteResponse } from "./router";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Whether a string is a v4 UUID (8-4-4-4-12 hex digits, version 4, RFC 4122 variant). */
export function isV4Uuid(s: string): boolean {
  return V4.test(s);
}

/** Throws 400 INVALID_PARAMETERS unless the key is a v4 UUID. */
export function checkIdempotencyKey(key: string): void {
  if (!isV4Uuid(key)) throw invalidParameters(`Idempotency-Key must be a v4 UUID, got "${key.slice(0, 64)}"`);
}

/** Cache of responses by key + method + path. */
export class IdempotencyCache {
  private readonly done = new Map<string, RouteResponse>();
  private readonly inFlight = new Map<string, Promise<RouteResponse>>();

  constructor(private readonly maxEntries = 100_000) {}

  private static id(key: string, method: string, path: string): string {
    return `${key.toLowerCase()} ${method.toUpperCase()} ${path}`;
  }

  /**
   * Runs `work` once per key+method+path: replays a cached success, joins a request in flight, or runs it and
   * caches the result when it succeeded (status < 400). The `Idempotency-Replayed: true` header marks replays.
   */
  async run(key: string, method: string, path: string, work: () => Promise<RouteResponse>): Promise<RouteResponse> {
    const id = IdempotencyCache.id(key, method, path);
    const hit = this.done.get(id);
    if (hit) return replay(hit);
    const pending = this.inFlight.get(id);
    if (pending) {
      const r = await pending.catch(() => undefined);
      if (r && r.status < 400) return replay(r);
      return this.run(key, method, path, work);
    }
    const p = work();
    this.inFlight.set(id, p);
    try {
      const r = await p;
      if (r.status < 400) {
        if (this.done.size >= this.maxEntries) this.done.delete(this.done.keys().next().value as string);
        this.done.set(id, r);
      }
      return r;
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** Number of cached responses. */
  get size(): number {
    return this.done.size;
  }

  /** Forgets every cached response. */
  clear(): void {
    this.done.clear();
  }
}

function replay(r: RouteResponse): RouteResponse {
  return { ...r, headers: { ...(r.headers ?? {}), "Idempotency-Replayed": "true" } };
}
