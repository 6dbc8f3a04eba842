/**
 * Shards: `--shard i/n` runs one stable slice of a plan's clients, so that n processes or machines
 * run one plan without overlap. A client goes with everything that hangs on it (its loans, their
 * approval, settlement account, schedule, disbursement, fees and repayments); clients tied together —
 * members of one group, a client-link custom field — are one slice with their groups. The slice is
 *
 *     shard = 1 + (first 4 bytes of SHA-256(key), big-endian unsigned) mod n
 *
 * where `key` is the unit key (`client:<id>`, `group:<id>` for a group outside the plan) — for clients
 * tied together, the smallest of their keys. It depends only on the ids and n: the same on every
 * machine and every run, and a client does not move when other clients are added. Rows of no client
 * (left out as invalid with `--skip-invalid`) are shard 1's.
 */
import { createHash } from "crypto";
import { unitSteps } from "./book/unit-steps";
import type { Book, Plan, Unit } from "./types";

/** One shard of n (`index` 1..n). */
export interface Shard {
  index: number;
  count: number;
}

/** Most shards of one plan. */
export const MAX_SHARDS = 1000;

/** A shard refused as written (`--shard`). */
export class ShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShardError";
  }
}

/**
 * Parses `i/n` (1 ≤ i ≤ n ≤ {@link MAX_SHARDS}).
 * @throws ShardError saying what to write.
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new ShardError(`--shard: expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS} (e.g. 2/3), got "${text}"`);
  }
  return { index, count };
}

/** `2/3`. */
export const shardText = (s: Shard): string => `${s.index}/${s.count}`;

/** `shard-2-of-3`: the part of the shard's file names. */
export const shardTag = (s: Shard): string => `shard-${s.index}-of-${s.count}`;

/** The shard (1..n) of a key: 1 + (first 4 bytes of its SHA-256, big-endian) mod n. */
export function shardOfKey(key: string, count: number): number {
  return 1 + (createHash("sha256").update(key, "utf8").digest().readUInt32BE(0) % count);
}

/** The key each unit is sharded by: its own, or the smallest of the units tied to it (group members, linked clients). */
export function shardKeys(units: readonly Unit[]): Map<Unit, string> {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let x = k; parent.get(x) !== r; ) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // the smaller key is the root: a component's key is its smallest unit key
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  for (const u of units) parent.set(u.key, u.key);
  const clients = new Set(units.filter((u) => u.kind === "client" && u.create).map((u) => u.id));
  for (const u of units) {
    for (const m of u.members) if (clients.has(m)) union(u.key, `client:${m}`);
    for (const l of u.links) if (clients.has(l.clientId)) union(u.key, `client:${l.clientId}`);
  }
  return new Map(units.map((u) => [u, find(u.key)]));
}

/**
 * The slice of a book that one shard runs: its units (in the book's order), its skipped units and
 * rows (for its failures files), and its number of steps.
 */
export function sliceBook(book: Book, plan: Plan, shard: Shard): Book {
  const keys = shardKeys(book.units);
  const units = book.units.filter((u) => shardOfKey(keys.get(u)!, shard.count) === shard.index);
  units.forEach((u, i) => (u.order = i));
  const skipped = book.skipped.filter((s) => (s.unit ? shardOfKey(s.unit, shard.count) : 1) === shard.index);
  return { ...book, units, skipped, totalSteps: units.reduce((n, u) => n + unitSteps(u, plan), 0) };
}
