/**
 * The sandbox's one error table (lib/sandbox/errors.ts): its documentation rows and its definitions agree,
 * no two reasons share a code, and every reason the loan engine answers (restructure, terminate, lock,
 * redraw) is a row of it — a client that maps codes to reasons sees one code per reason.
 */
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { ERRORS } from "../../lib/sandbox/errors";

const ERRORS_TS = join(__dirname, "../../lib/sandbox/errors.ts");
const SANDBOX = join(__dirname, "../../lib/sandbox");

/** The rows of the table in the header of errors.ts: reason, code (undefined for "—"), status. */
function docRows(): Array<{ reason: string; code: number | undefined; status: number }> {
  const rows: Array<{ reason: string; code: number | undefined; status: number }> = [];
  for (const line of readFileSync(ERRORS_TS, "utf8").split("\n")) {
    const m = /^ \* \| ([A-Z_]+)(?: \([^)]*\))?\s*\|\s*(\d+|—)\s*\|\s*(\d+)\s*\|/.exec(line);
    if (m) rows.push({ reason: m[1], code: m[2] === "—" ? undefined : Number(m[2]), status: Number(m[3]) });
  }
  return rows;
}

test("the documentation table and the definitions list the same reasons with the same codes and statuses", () => {
  const rows = docRows().filter((r) => r.code !== undefined);
  const documented = new Map(rows.map((r) => [r.reason, r]));
  expect(rows.length).toBe(documented.size); // no reason documented twice
  for (const [name, d] of Object.entries(ERRORS)) {
    expect({ name, reason: d.reason, row: documented.get(name) }).toEqual({
      name,
      reason: name,
      row: { reason: name, code: d.code, status: d.status },
    });
  }
  expect([...documented.keys()].sort()).toEqual(Object.keys(ERRORS).sort());
});

test("no two reasons share a code", () => {
  const byCode = new Map<number, string[]>();
  for (const [name, d] of Object.entries(ERRORS)) byCode.set(d.code, [...(byCode.get(d.code) ?? []), name]);
  expect([...byCode.entries()].filter(([, names]) => names.length > 1)).toEqual([]);
});

test("the restructure, terminate, lock and redraw reasons are rows of the table, with their codes and certainty", () => {
  const expected: Array<[string, number]> = [
    ["ACCOUNT_ALREADY_UNLOCKED", 144],
    ["RESCHEDULED_LOAN", 146],
    ["REFINANCED_LOAN", 147],
    ["REDRAW_DISABLED", 244],
    ["INSUFFICIENT_REDRAW_BALANCE", 245],
    ["PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS", 247],
    ["EXCESS_PAYMENT_MADE_AMOUNT", 248],
    ["PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS", 249],
  ];
  const table = new Map(Object.entries(ERRORS));
  for (const [reason, code] of expected) expect({ reason, def: table.get(reason) }).toEqual({ reason, def: { code, reason, status: 400 } });
  const guessed = [
    "ACCOUNT_ALREADY_LOCKED", "NEGATIVE_WRITE_OFF_AMOUNT", "TOP_UP_AMOUNT_IS_MANDATORY", "NEGATIVE_TOP_UP_AMOUNT",
    "WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT", "CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN", "INVALID_TERMINATION_DATE",
    "LOAN_ACCOUNT_ALREADY_FULLY_PAID", "INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE",
    "LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE", "RESTRUCTURE_DETAILS_ARE_MANDATORY", "ACCOUNT_IS_LOCKED",
  ];
  const certainty = new Map<string, string>();
  for (const line of readFileSync(ERRORS_TS, "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length >= 7) certainty.set(cells[1], cells[5]);
  }
  for (const reason of guessed) {
    expect({ reason, status: table.get(reason)?.status, certainty: certainty.get(reason) }).toEqual({ reason, status: 400, certainty: "guess" });
  }
  for (const [reason] of expected) expect({ reason, certainty: certainty.get(reason) }).toEqual({ reason, certainty: "derived" });
});

test("no module of the sandbox keeps an error code table of its own (SandboxErrors with codes come from errors.ts)", () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && p !== ERRORS_TS) {
        // a SandboxError built from a code that is not a literal (a lookup in a local table)
        for (const m of readFileSync(p, "utf8").matchAll(/new SandboxError\(\s*\d+\s*,\s*([^,\s)]+)/g)) {
          if (!/^\d+$/.test(m[1]) && m[1] !== "errorCode") offenders.push(`${p.slice(SANDBOX.length + 1)}: ${m[0]}`);
        }
      }
    }
  };
  walk(SANDBOX);
  expect(offenders).toEqual([]);
});

test("no module of the sandbox (configuration/, reference/, engine/ …) declares reason → code rows or a code that differs from the table", () => {
  const offenders: string[] = [];
  const table = new Map(Object.entries(ERRORS));
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && p !== ERRORS_TS) {
        const text = readFileSync(p, "utf8");
        const rel = p.slice(SANDBOX.length + 1);
        // rows of a local table: `SOME_REASON: 1234,` (a reason of Mambu's enum mapped to a number)
        const rows = [...text.matchAll(/^\s+([A-Z][A-Z0-9_]{3,}):\s*\d+,?\s*$/gm)].map((m) => m[1]);
        if (rows.length > 0) offenders.push(`${rel}: local code rows ${rows.slice(0, 3).join(", ")}`);
        // a literal code with a literal reason must be the table's
        for (const m of text.matchAll(/new SandboxError\(\s*\d+\s*,\s*(\d+)\s*,\s*"([A-Z_]+)"/g)) {
          const d = table.get(m[2]);
          if (!d || d.code !== Number(m[1])) offenders.push(`${rel}: ${m[0]} (table: ${d ? d.code : "no row"})`);
        }
      }
    }
  };
  walk(SANDBOX);
  expect(offenders).toEqual([]);
  // the configuration-as-code reasons are rows of the table (two of them shared with /organization/holidays)
  for (const [reason, code] of [["INVALID_YAML_SYNTAX", 10000], ["INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD", 9957], ["BRANCHES_CONFIGURATION_EMPTY", 3400], ["CF_SET_INVALID_ID", 3420], ["DUPLICATE_HOLIDAY_ID", 3333]] as const) {
    expect({ reason, def: table.get(reason) }).toEqual({ reason, def: { code, reason, status: 400 } });
  }
});
