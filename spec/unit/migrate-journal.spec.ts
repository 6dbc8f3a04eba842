/** Exactly-once plumbing: deterministic keys and ids, and the crash-safe journal. */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { derivedExternalId, disbursementExternalId, idempotencyKey, Journal, JournalCorruptError, WorkdirError } from "../../lib/migrate";
import { isV4Uuid } from "../../lib/transport";

describe("keys", () => {
  it("derives the same v4 Idempotency-Key from plan, row and step, and different ones otherwise", () => {
    const k = idempotencyKey("book", "loan:L1", "approve");
    expect(isV4Uuid(k)).toBe(true);
    expect(idempotencyKey("book", "loan:L1", "approve")).toBe(k);
    const others = [
      idempotencyKey("book2", "loan:L1", "approve"),
      idempotencyKey("book", "loan:L2", "approve"),
      idempotencyKey("book", "loan:L1", "disburse"),
      idempotencyKey("book", "loan:L1", "approve", "request"),
    ];
    expect(new Set([k, ...others]).size).toBe(5);
  });

  it("derives externalIds of transactions from their content and occurrence", () => {
    const a = derivedExternalId("book", "L1", "fee", "2025-03-01T00:00:00+02:00", "50", 1);
    expect(a).toMatch(/^mig-[0-9a-f]{20}$/);
    expect(derivedExternalId("book", "L1", "fee", "2025-03-01T00:00:00+02:00", "50", 1)).toBe(a);
    expect(derivedExternalId("book", "L1", "fee", "2025-03-01T00:00:00+02:00", "50", 2)).not.toBe(a);
    expect(disbursementExternalId("book", "L1")).not.toBe(disbursementExternalId("book", "L2"));
  });
});

describe("journal", () => {
  const open = (path: string, resume: boolean, planId = "book") => Journal.open(path, { planId, planHash: "h", resume });

  it("records steps and units, and a resumed journal knows them", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mig-j-")), "journal.jsonl");
    const j = open(path, false);
    await Promise.all([
      j.recordStep({ unit: "client:C1", row: "client:C1", step: "client", status: "created", key: "k1" }),
      j.recordStep({ unit: "client:C1", row: "loan:L1", step: "loan", status: "adopted", key: "k2" }),
    ]);
    await j.recordUnit("client:C1", "done");
    await j.close();
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.t)).toEqual(["run", "step", "step", "unit"]);
    const r = open(path, true);
    expect(r.resumed).toBe(true);
    expect(r.step("loan:L1", "loan")).toMatchObject({ status: "adopted", key: "k2" });
    expect(r.step("loan:L1", "approve")).toBeUndefined();
    expect(r.unit("client:C1")?.status).toBe("done");
    await r.close();
  });

  it("ignores and cuts a torn last line (a crash mid-write)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mig-j-")), "journal.jsonl");
    const j = open(path, false);
    await j.recordStep({ unit: "client:C1", row: "client:C1", step: "client", status: "created", key: "k1" });
    await j.close();
    appendFileSync(path, '{"t":"step","unit":"client:C1","row":"loan:L1","st');
    const r = open(path, true);
    expect(r.tornLines).toBe(1);
    expect(r.step("client:C1", "client")).toBeDefined();
    expect(r.step("loan:L1", "loan")).toBeUndefined();
    await r.recordStep({ unit: "client:C1", row: "loan:L1", step: "loan", status: "created" });
    await r.close();
    // every line is whole JSON again
    for (const line of readFileSync(path, "utf8").trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("refuses to resume another plan's journal, and a corrupt line in the middle", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mig-j-"));
    const path = join(dir, "journal.jsonl");
    await open(path, false, "book").close();
    expect(() => open(path, true, "other")).toThrow(/journal of plan "book", not "other"/);
    writeFileSync(path, '{"t":"run","plan":"book"}\nnot json\n{"t":"unit","unit":"u","status":"done"}\n');
    expect(() => open(path, true)).toThrow(/journal.jsonl:2: corrupt journal line/);
  });

  it("without resume, moves an existing journal aside", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mig-j-"));
    const path = join(dir, "journal.jsonl");
    await open(path, false).close();
    const j = open(path, false);
    await j.close();
    expect(j.movedAside && existsSync(j.movedAside)).toBe(true);
    expect(readdirSync(dir).length).toBe(2);
  });

  const withSteps = async (n: number): Promise<string> => {
    const path = join(mkdtempSync(join(tmpdir(), "mig-j-")), "journal.jsonl");
    const j = open(path, false);
    for (let i = 1; i <= n; i++) await j.recordStep({ unit: `client:C${i}`, row: `client:C${i}`, step: "client", status: "created", key: `k${i}` });
    await j.close();
    return path;
  };
  const wholeLines = (path: string) => {
    for (const line of readFileSync(path, "utf8").trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  };

  it("drops and cuts a garbage last line that ends in a newline", async () => {
    const path = await withSteps(2);
    appendFileSync(path, "#%&garbage after a crash\n");
    const r = open(path, true);
    expect(r.tornLines).toBe(1);
    expect([r.step("client:C1", "client"), r.step("client:C2", "client")].every(Boolean)).toBe(true);
    await r.recordStep({ unit: "client:C3", row: "client:C3", step: "client", status: "created" });
    await r.close();
    wholeLines(path);
  });

  it("drops a tail of NUL bytes (blocks allocated but never written before power was lost)", async () => {
    const path = await withSteps(2);
    appendFileSync(path, Buffer.concat([Buffer.from('{"t":"step","unit":"client:C3","ro'), Buffer.alloc(4096 - 35, 0), Buffer.from("\n"), Buffer.alloc(100, 0), Buffer.from("\n")]));
    const r = open(path, true);
    expect(r.tornLines).toBe(2);
    expect(r.step("client:C2", "client")).toBeDefined();
    expect(r.step("client:C3", "client")).toBeUndefined();
    await r.close();
    wholeLines(path);
    expect(readFileSync(path).includes(0)).toBe(false);
  });

  it("skips NUL debris followed by whole records (a crash in the middle of a batch), and keeps those records", async () => {
    const path = await withSteps(1);
    appendFileSync(path, Buffer.concat([Buffer.alloc(64, 0), Buffer.from('ep","unit":"client:C2"}\n'), Buffer.from('{"t":"step","unit":"client:C3","row":"client:C3","step":"client","status":"created","key":"k3","at":"x"}\n')]));
    const r = open(path, true);
    expect(r.debrisLines).toBe(1);
    expect(r.tornLines).toBe(0);
    expect(r.step("client:C3", "client")).toMatchObject({ key: "k3" });
    await r.close();
  });

  it("a bad line before good ones is not a crash: refused, saying what to do", async () => {
    const path = await withSteps(1);
    appendFileSync(path, 'edited by hand\n{"t":"unit","unit":"client:C1","status":"done","at":"x"}\n');
    expect(() => open(path, true)).toThrow(JournalCorruptError);
    expect(() => open(path, true)).toThrow(/journal\.jsonl:3: corrupt journal line .*run without --resume/);
  });

  it("a full disk fails the journal for good, with a message naming it", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mig-j-")), "journal.jsonl");
    const j = open(path, false);
    await j.recordStep({ unit: "client:C1", row: "client:C1", step: "client", status: "created" });
    // the fs module itself (journal.ts calls its `writeSync` at each batch), not a TypeScript namespace copy
    const fs = jest.requireActual<typeof import("fs")>("fs");
    const realWrite = fs.writeSync;
    // what Node gives when the device is full
    const spy = jest.spyOn(fs, "writeSync").mockImplementation((() => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    }) as unknown as typeof fs.writeSync);
    try {
      const message = new RegExp(`^cannot write the journal ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no space left on the device \\(ENOSPC\\) — free some space$`);
      await expect(j.recordStep({ unit: "client:C2", row: "client:C2", step: "client", status: "created" })).rejects.toThrow(message);
      expect(j.failed).toBeInstanceOf(WorkdirError);
      spy.mockRestore();
      expect(fs.writeSync).toBe(realWrite);
      // once failed, always failed: nothing is written after a gap
      await expect(j.recordUnit("client:C1", "done")).rejects.toThrow(message);
    } finally {
      spy.mockRestore();
      await j.close();
    }
    expect(readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l).t)).toEqual(["run", "step"]);
  });

  it("names the journal when it cannot be created", () => {
    const dir = mkdtempSync(join(tmpdir(), "mig-j-"));
    writeFileSync(join(dir, "file"), "");
    expect(() => open(join(dir, "file", "journal.jsonl"), false)).toThrow(/^cannot create the directory of the journal .*file\/journal\.jsonl: /);
  });
});

describe("journal: what it can tell was never sent (creations without look-ups)", () => {
  const open = (path: string, resume: boolean, extra: { lookups?: "auto" | "always"; emptyTenant?: boolean } = {}) => Journal.open(path, { planId: "book", planHash: "h", resume, ...extra });
  const newPath = () => join(mkdtempSync(join(tmpdir(), "mig-jd-")), "journal.jsonl");

  it("a first journal knows every unit it begins; a resume looks up only those begun and not done", async () => {
    const path = newPath();
    const j = open(path, false);
    expect(j.createsDirectly).toBe(true);
    expect(j.untouched("client:C1")).toBe(true);
    const scope = j.keyScope!;
    expect(isV4Uuid(scope)).toBe(true);
    await j.recordBegin("client:C1");
    expect(j.untouched("client:C1")).toBe(false);
    await j.recordBegin("client:C2");
    await j.recordStep({ unit: "client:C2", row: "client:C2", step: "client", status: "created", key: "k2" });
    await j.close();
    // the begin line is on disk before the unit's first request
    expect(readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l).t)).toEqual(["run", "begin", "begin", "step"]);
    const r = open(path, true);
    expect([r.untouched("client:C1"), r.untouched("client:C2"), r.untouched("client:C3")]).toEqual([false, false, true]);
    // its runs share their idempotency keys' scope: a resumed request is replayed, not refused
    expect(r.keyScope).toBe(scope);
    expect(idempotencyKey("book", "client:C1", "client", "", scope)).not.toBe(idempotencyKey("book", "client:C1", "client"));
    await r.close();
  });

  it("looks everything up when it cannot tell: a journal replacing another, one of an earlier version, lookups: always", async () => {
    const path = newPath();
    await open(path, false).close();
    const again = open(path, false); // the first one moved aside: the tenant may hold what its runs wrote
    expect(again.createsDirectly).toBe(false);
    expect(again.untouched("client:C1")).toBe(false);
    expect(again.keyScope).toBeUndefined();
    await again.close();
    const empty = open(path, false, { emptyTenant: true }); // a rehearsal sandbox started empty
    expect(empty.untouched("client:C1")).toBe(true);
    await empty.close();

    const old = newPath();
    writeFileSync(old, `${JSON.stringify({ t: "run", plan: "book", hash: "h", resume: false, at: "2026-01-01T00:00:00.000Z", pid: 1 })}\n`);
    const resumed = open(old, true);
    expect(resumed.untouched("client:C1")).toBe(false);
    await resumed.close();

    const always = open(newPath(), false, { lookups: "always" });
    expect(always.untouched("client:C1")).toBe(false);
    await always.close();
  });

  it("a direct journal resumed with lookups: always keeps its keys, and stays looked up after", async () => {
    const path = newPath();
    const j = open(path, false);
    const scope = j.keyScope;
    await j.close();
    const a = open(path, true, { lookups: "always" });
    expect([a.untouched("client:C9"), a.keyScope]).toEqual([false, scope]);
    await a.close();
    const b = open(path, true);
    expect([b.untouched("client:C9"), b.keyScope]).toEqual([false, scope]);
    await b.close();
  });
});
