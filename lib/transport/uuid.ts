/** Idempotency keys: random and deterministic v4-format UUIDs. */
import { createHash, randomUUID } from "crypto";
import { MambuTsError } from "../errors";

const V4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Whether `s` is a UUID in v4 format (version nibble 4, variant bits 10xx), case-insensitive. */
export function isV4Uuid(s: unknown): s is string {
  return typeof s === "string" && V4_RE.test(s);
}

/** A fresh random v4 UUID (the default `Idempotency-Key` of a POST/PUT/PATCH). */
export function randomUuidV4(): string {
  return randomUUID();
}

/**
 * A v4-format UUID derived from `parts` (SHA-256, then the v4 version and variant bits set), so the
 * same parts always give the same key: the migration toolkit derives an `Idempotency-Key` from a
 * source row and a step, and a rerun is then replayed by Mambu instead of duplicated.
 *
 * Parts are length-prefixed before hashing, so `("ab", "c")` and `("a", "bc")` differ.
 * @throws MambuTsError when no part is given.
 */
export function deterministicUuidV4(...parts: string[]): string {
  if (parts.length === 0) throw new MambuTsError("deterministicUuidV4 needs at least one part");
  // one update of the parts as they are hashed (`<bytes>:<part>` each): one call into the hash, the same digest
  let text = "";
  for (const part of parts) {
    const s = String(part);
    text += `${Buffer.byteLength(s, "utf8")}:${s}`;
  }
  const b = createHash("sha256").update(text, "utf8").digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
