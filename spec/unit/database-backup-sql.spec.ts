/**
 * The sandbox's MySQL dump writer (lib/sandbox/platform/database-backup-sql.ts) and its backup webhook
 * (database-backup-callback.ts): escaping, exact decimals, dates in the tenant's zone, batched INSERTs, and a
 * callback retried until answered.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FixedOffsetZone } from "luxon";
import { backupColumn, backupTable } from "../../lib/contract/backup-schema";
import { datetimeText, decimalText, DumpValueError, dumpTable, MAX_INSERT_CHARS, sqlString, sqlValue } from "../../lib/sandbox/platform/database-backup-sql";
import { callbackUrlProblem, deliverCallback } from "../../lib/sandbox/platform/database-backup-callback";
import { readDumpInserts } from "../helpers/mysql-dump";

const plus2 = FixedOffsetZone.instance(120);

describe("dump values", () => {
  it("escapes as mysqldump: NUL, newline, carriage return, Ctrl-Z, backslash, both quotes", () => {
    expect(sqlString("a'b\"c\\d\ne\rf\u0000g\x1ah")).toBe("'a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh'");
  });

  it("writes decimals exactly from the JSON number's decimal spelling, with the column's scale", () => {
    expect(decimalText(0.1, 50, 10, "t")).toBe("0.1000000000");
    expect(decimalText(1234567.89, 50, 10, "t")).toBe("1234567.8900000000");
    expect(decimalText(1e-7, 50, 10, "t")).toBe("0.0000001000");
    expect(decimalText(-5, 50, 10, "t")).toBe("-5.0000000000");
    expect(decimalText("123.456", 50, 10, "t")).toBe("123.4560000000");
    expect(decimalText("abc", 50, 10, "t")).toBeUndefined();
    expect(() => decimalText(1e45, 50, 10, "loan.amount")).toThrow(DumpValueError);
    expect(() => decimalText(Number.NaN, 50, 10, "t")).toThrow(/not a decimal/);
  });

  it("writes dates and date-times as DATETIME in the tenant's zone", () => {
    expect(datetimeText("2026-01-15", plus2)).toBe("2026-01-15 00:00:00");
    expect(datetimeText("2026-01-15T23:30:00Z", plus2)).toBe("2026-01-16 01:30:00");
    expect(datetimeText("2026-01-15T10:00:00.123+02:00", plus2)).toBe("2026-01-15 10:00:00");
    expect(datetimeText("not a date", plus2)).toBeUndefined();
    expect(datetimeText(42, plus2)).toBeUndefined();
  });
});

describe("sqlValue", () => {
  it("quotes strings and DATETIMEs, writes DECIMALs and INTs bare, and NULL for a missing or unreadable value", () => {
    const col = (t: string, c: string) => backupColumn(t, c)!;
    expect(sqlValue(col("client", "birthDate"), "1978-04-12", plus2, "t")).toBe("'1978-04-12 00:00:00'");
    expect(sqlValue(col("client", "creationDate"), "not a date", plus2, "t")).toBe("NULL");
    expect(sqlValue(col("loanaccount", "loanAmount"), 1500.5, plus2, "t")).toBe("1500.5000000000");
    expect(sqlValue(col("client", "loanCycle"), 3, plus2, "t")).toBe("3");
    expect(sqlValue(col("loantransaction", "transactionId"), "12", plus2, "t")).toBe("12");
    expect(sqlValue(col("loantransaction", "transactionId"), "TX-12", plus2, "t")).toBe("NULL");
    expect(sqlValue(col("client", "firstName"), "Ana", plus2, "t")).toBe("'Ana'");
    expect(sqlValue(col("client", "middleName"), undefined, plus2, "t")).toBe("NULL");
    expect(sqlValue(col("client", "middleName"), null, plus2, "t")).toBe("NULL");
  });
});

describe("dumpTable", () => {
  it("batches rows into INSERT statements of at most MAX_INSERT_CHARS characters, every row read back", () => {
    const table = backupTable("branch")!;
    const rows = Array.from({ length: 3000 }, (_, i) => new Map<string, unknown>([["encodedKey", `k${i}`], ["id", `B${i}`], ["notes", "x".repeat(1000)]]));
    const out: string[] = [];
    expect(dumpTable(out, table, rows, plus2)).toBe(3000);
    const text = out.join("");
    const statements = text.split("\n").filter((l) => l.startsWith("INSERT INTO `branch`"));
    expect(statements.length).toBeGreaterThan(1);
    for (const s of statements) expect(s.length).toBeLessThanOrEqual(MAX_INSERT_CHARS);
    const back = readDumpInserts(text).get("branch")!;
    expect(back.rows).toHaveLength(3000);
    expect(back.rows[2999]![1]).toBe("B2999");
  });

  it("refuses a value longer than its VARCHAR rather than cut it", () => {
    const rows = [new Map<string, unknown>([["encodedKey", "k"], ["name", "n".repeat(257)]])];
    expect(() => dumpTable([], backupTable("branch")!, rows, plus2)).toThrow(/branch\[k\]\.name: 257 characters do not fit VARCHAR\(256\)/);
  });

  it("writes no INSERT for an empty table", () => {
    const out: string[] = [];
    expect(dumpTable(out, backupTable("activity")!, [], plus2)).toBe(0);
    expect(out.join("")).not.toContain("INSERT");
  });
});

describe("backup callback", () => {
  it("calls only http(s) URLs", () => {
    expect(callbackUrlProblem("https://example.invalid/hook")).toBeUndefined();
    expect(callbackUrlProblem("ftp://example.invalid/")).toMatch(/only http and https/);
    expect(callbackUrlProblem("file:///etc/passwd")).toMatch(/only http and https/);
    expect(callbackUrlProblem("http://a b/")).toMatch(/spaces/);
  });

  it("retries until the callback is answered 2xx, at most 3 attempts", async () => {
    const statuses = [500, 503, 200];
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let t = "";
      req.on("data", (c) => (t += c));
      req.on("end", () => {
        bodies.push(t);
        res.writeHead(statuses.shift() ?? 500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
      const payload = { tenantId: "sandbox", result: "COMPLETE" as const, domain: "localhost", fileName: "f" };
      expect(await deliverCallback(url, payload, [0, 0])).toEqual({ delivered: true, attempts: 3, status: 200 });
      expect(bodies.map((b) => JSON.parse(b))).toEqual([payload, payload, payload]);
      statuses.push(500, 500, 500, 500);
      expect(await deliverCallback(url, payload, [0, 0])).toEqual({ delivered: false, attempts: 3, status: 500 });
      expect(await deliverCallback("gopher://x", payload, [0, 0])).toEqual({ delivered: false, attempts: 0 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
