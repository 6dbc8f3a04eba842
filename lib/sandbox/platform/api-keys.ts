/**
 * API consumers' API keys and secret keys, as the sandbox keeps them: the plain value of a key exists only in
 * the one answer that creates it (and in the caller's hands); the store — persisted to disk as JSON with
 * `--persist` — holds its SHA-256 digest and, for API keys, the first {@link DISPLAY_PREFIX_LENGTH} characters
 * shown in lists as `abcd****`.
 *
 * Each key is one record of the `apikeys` collection whose encodedKey IS the hex SHA-256 digest of the key, so
 * that the store's own Map (kept right through inserts, deletes, snapshots and reloads) is the lookup index:
 * a presented key is hashed, looked up, and the digests compared with `timingSafeEqual`. Keys are 192 random
 * bits, so a fast hash is enough (no password stretching needed) and the display prefix gives nothing away.
 *
 * Record fields: `encodedKey` (digest), `id` (the API key id of the contract; secret keys have none), `kind`
 * (`API_KEY` | `SECRET_KEY`), `consumerKey` (the owner's encodedKey), `prefix` (API keys), `expirationTime`
 * (seconds, 0 = never expires), `creationDate` and `expiresAt` (ISO, sandbox clock; `expiresAt` only with a
 * TTL). A key with expirationTime T stops working T seconds after its creation by the sandbox clock.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { invalidParameters, mambuError } from "../errors";
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";

/** The collection of keys. */
const KEYS = "apikeys" as const;

/** What a key is for: API keys authenticate requests, secret keys only authorize a rotation. */
export type KeyKind = "API_KEY" | "SECRET_KEY";

/** Most live keys of one kind that one consumer may hold; one more is a 400. */
export const MAX_KEYS_PER_CONSUMER = 100;

/** Largest expirationTime (seconds) of a key, as the contract's ApiKeyRotation has it. */
export const MAX_EXPIRATION_SECONDS = 100_000_000;

/** Characters of an API key kept for display (lists show them followed by `****`). */
export const DISPLAY_PREFIX_LENGTH = 4;

/** Longest header value looked up as a key (longer ones are refused without hashing). */
const MAX_PRESENTED_LENGTH = 512;

/** A stored key record (see the module comment). */
export interface KeyRecord extends WireRecord {
  kind: KeyKind;
  consumerKey: string;
  prefix?: string;
  expirationTime: number;
  creationDate: string;
  expiresAt?: string;
}

/** Hex SHA-256 digest of a presented key. */
export function keyDigest(plain: string): string {
  return createHash("sha256").update(plain, "utf8").digest("hex");
}

/** A fresh key: 24 random bytes as 32 URL-safe characters. */
function newPlainKey(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * A key's expirationTime from a request value: absent/null → 0 (no expiry), else an integer 0..{@link
 * MAX_EXPIRATION_SECONDS}; anything else is a 400 naming `field`.
 */
export function parseExpiration(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_EXPIRATION_SECONDS) {
    throw invalidParameters(`${field}: expected an integer number of seconds from 0 (no expiry) to ${MAX_EXPIRATION_SECONDS}`);
  }
  return value;
}

function isKeyRecord(rec: WireRecord | undefined): rec is KeyRecord {
  return !!rec && (rec.kind === "API_KEY" || rec.kind === "SECRET_KEY") && typeof rec.consumerKey === "string";
}

/** Whether a key has expired by the sandbox clock. */
export function isExpired(ctx: SandboxContext, rec: KeyRecord): boolean {
  if (!rec.expiresAt) return false;
  return Date.parse(ctx.clock.nowIso()) >= Date.parse(rec.expiresAt);
}

/** The keys of one kind of a consumer (by its encodedKey), live or expired, in creation order. */
export function keysOf(ctx: SandboxContext, consumerKey: string, kind: KeyKind): KeyRecord[] {
  return ctx.store.all(KEYS).filter((r): r is KeyRecord => isKeyRecord(r) && r.consumerKey === consumerKey && r.kind === kind);
}

/** Removes a consumer's expired keys (of both kinds). */
export function purgeExpired(ctx: SandboxContext, consumerKey: string): void {
  for (const kind of ["API_KEY", "SECRET_KEY"] as const) {
    for (const r of keysOf(ctx, consumerKey, kind)) if (isExpired(ctx, r)) ctx.store.remove(KEYS, r.encodedKey);
  }
}

/** Removes every key of a consumer (the consumer is being deleted). */
export function removeKeysOf(ctx: SandboxContext, consumerKey: string): void {
  for (const kind of ["API_KEY", "SECRET_KEY"] as const) {
    for (const r of keysOf(ctx, consumerKey, kind)) ctx.store.remove(KEYS, r.encodedKey);
  }
}

/** Removes one key record (by its digest). */
export function removeKey(ctx: SandboxContext, rec: KeyRecord): void {
  ctx.store.remove(KEYS, rec.encodedKey);
}

/**
 * Creates a key of a consumer and returns its plain value with the stored record: expired keys of the consumer
 * are dropped first; one more than {@link MAX_KEYS_PER_CONSUMER} live keys of the kind is a 400.
 */
export function issueKey(ctx: SandboxContext, consumerKey: string, kind: KeyKind, expirationTime: number): { plain: string; record: KeyRecord } {
  purgeExpired(ctx, consumerKey);
  if (keysOf(ctx, consumerKey, kind).length >= MAX_KEYS_PER_CONSUMER) {
    const what = kind === "API_KEY" ? "API keys" : "secret keys";
    throw invalidParameters(`an API consumer may hold at most ${MAX_KEYS_PER_CONSUMER} ${what}; delete one (or let one expire) first`);
  }
  const plain = newPlainKey();
  const now = ctx.clock.nowIso();
  const record: KeyRecord = { encodedKey: keyDigest(plain), kind, consumerKey, expirationTime, creationDate: now };
  if (kind === "API_KEY") {
    record.id = newKeyId(ctx);
    record.prefix = plain.slice(0, DISPLAY_PREFIX_LENGTH);
  }
  if (expirationTime > 0) record.expiresAt = new Date(Date.parse(now) + expirationTime * 1000).toISOString();
  ctx.store.insert(KEYS, record);
  return { plain, record };
}

function newKeyId(ctx: SandboxContext): string {
  let id: string;
  do id = randomBytes(16).toString("hex");
  while (ctx.store.coll(KEYS).idIndex.has(id));
  return id;
}

/**
 * The live key of a kind whose plain value was presented, or undefined: looked up by digest, digests compared in
 * constant time, expired keys and keys of a consumer that no longer exists never match.
 */
export function findLiveKey(ctx: SandboxContext, presented: string, kind: KeyKind): KeyRecord | undefined {
  if (presented.length === 0 || presented.length > MAX_PRESENTED_LENGTH) return undefined;
  const digest = createHash("sha256").update(presented, "utf8").digest();
  const rec = ctx.store.coll(KEYS).byKey.get(digest.toString("hex"));
  if (!isKeyRecord(rec)) return undefined;
  const stored = Buffer.from(rec.encodedKey, "hex");
  if (stored.length !== digest.length || !timingSafeEqual(stored, digest)) return undefined;
  if (rec.kind !== kind || isExpired(ctx, rec)) return undefined;
  if (!ctx.store.find("apiconsumers", rec.consumerKey)) return undefined;
  return rec;
}

/** An API key of a consumer by its id, else 404 OBJECT_NOT_FOUND. */
export function requireApiKey(ctx: SandboxContext, consumerKey: string, apiKeyId: string): KeyRecord {
  const digest = ctx.store.coll(KEYS).idIndex.get(apiKeyId);
  const rec = digest === undefined ? undefined : ctx.store.coll(KEYS).byKey.get(digest);
  if (!isKeyRecord(rec) || rec.kind !== "API_KEY" || rec.consumerKey !== consumerKey) {
    // The id is not echoed: a caller who put a key where its id belongs would see it in the error.
    throw mambuError("OBJECT_NOT_FOUND", "apiKeyId: no API key with this id belongs to this API consumer");
  }
  return rec;
}

/** How a list shows an API key: its id, its expirationTime and a masked form (`abcd****`), never the key. */
export function maskedApiKey(rec: KeyRecord): { id?: string; expirationTime: number; apiKey: string } {
  return { id: rec.id, expirationTime: rec.expirationTime, apiKey: `${rec.prefix ?? ""}****` };
}
