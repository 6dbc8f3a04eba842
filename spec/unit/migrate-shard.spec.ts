/**
 * Shards of a plan: `i/n` is checked; a unit's shard is the documented hash of its key; the n slices
 * of the example book cut it without overlap nor gap, every group with its members and every client
 * with its loans and transactions; a client's shard does not depend on the other clients.
 */
import { createHash } from "crypto";
import { join } from "path";
import { buildBook, Book, loadPlan, parseShard, Plan, shardOfKey, sliceBook } from "../../lib/migrate";

const EXAMPLE = join(__dirname, "..", "..", "config", "migration", "plan.yaml");

describe("--shard i/n", () => {
  it("takes 1 ≤ i ≤ n ≤ 1000", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "3", "1/0", "a/b", "1/1001", "-1/3"]) expect(() => parseShard(bad)).toThrow(`--shard: expected i/n with 1 ≤ i ≤ n ≤ 1000 (e.g. 2/3), got "${bad}"`);
  });

  it("puts a key in shard 1 + (first 4 bytes of its SHA-256, big-endian) mod n", () => {
    for (const key of ["client:MIG-C0001", "client:MIG-C0002", "group:MIG-G01"]) {
      const h = createHash("sha256").update(key).digest().readUInt32BE(0);
      for (const n of [1, 2, 3, 7]) expect(shardOfKey(key, n)).toBe(1 + (h % n));
    }
  });
});

describe("the slices of the example book", () => {
  let plan: Plan;
  let book: Book;
  beforeAll(async () => {
    plan = loadPlan(EXAMPLE);
    book = await buildBook(plan, { offset: "+02:00", now: "2026-12-01T00:00:00+02:00" });
    expect(book.problems).toEqual([]);
  });

  it("cut it without overlap nor gap, each group with its members", () => {
    const all = book.units.map((u) => u.key);
    const slices = [1, 2, 3].map((index) => sliceBook({ ...book, units: [...book.units] }, plan, { index, count: 3 }));
    const keys = slices.flatMap((s) => s.units.map((u) => u.key));
    expect(keys.sort()).toEqual([...all].sort());
    expect(slices.reduce((n, s) => n + s.totalSteps, 0)).toBe(book.totalSteps);
    expect(slices.every((s) => s.units.length > 50)).toBe(true); // a spread, not one shard for all
    const groups = book.units.filter((u) => u.kind === "group");
    expect(groups.length).toBe(4);
    for (const g of groups) {
      const slice = slices.find((s) => s.units.includes(g))!;
      for (const m of g.members) expect({ group: g.id, member: m, together: slice.units.some((u) => u.id === m) }).toEqual({ group: g.id, member: m, together: true });
    }
    // a loan, its schedule and transactions live in the unit of its holder: they go with it
    for (const s of slices) for (const u of s.units) for (const l of u.loans) expect(l.holderId).toBe(u.id);
  });

  it("keeps a client in its shard whatever the other clients are", () => {
    const alone = book.units.filter((u) => u.kind === "client" && !book.units.some((g) => g.members.includes(u.id)));
    const few = alone.slice(0, 40);
    for (const n of [2, 3, 5]) {
      for (const u of few) {
        const inWhole = [1, 2, 3, 4, 5].slice(0, n).find((i) => sliceBook({ ...book, units: [...book.units] }, plan, { index: i, count: n }).units.includes(u));
        const inFew = [1, 2, 3, 4, 5].slice(0, n).find((i) => sliceBook({ ...book, units: [...few] }, plan, { index: i, count: n }).units.includes(u));
        expect(inFew).toBe(inWhole);
        expect(inWhole).toBe(shardOfKey(u.key, n));
      }
    }
  });
});
