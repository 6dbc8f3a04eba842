/** Exactly-once plumbing: deterministic keys and ids, and the crash-safe journal. */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { derivedExternalId, disbursementExternalId, idempotencyKey, Journal } from "../../lib/migrate";
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
});
