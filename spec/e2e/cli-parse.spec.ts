/**
 * The pieces behind `mambu` that need no process: `--where` expressions, the argument parser, the
 * entity names (built from what mambu-ts exports), exact pretty JSON, cells and error messages.
 */
import { parseArgs, splitCommand } from "../../lib/cli/args";
import { cellText, headerOf, project, splitPath, valueAt, wireAt } from "../../lib/cli/columns";
import { buildRegistry, displayName, findEntity, plural, singular } from "../../lib/cli/entities";
import { describeError, EXIT, exitCodeOf, UsageError } from "../../lib/cli/exit";
import { GLOBAL_OPTIONS } from "../../lib/cli/main";
import { Progress, prettyJson } from "../../lib/cli/output";
import { forDisplay } from "../../lib/cli/repl-display";
import { renderTable } from "../../lib/cli/table";
import { fitHelp, terminalWidth, truncate, wrapText } from "../../lib/cli/terminal";
import { inspect } from "node:util";
import { parseWhere } from "../../lib/cli/where";
import { MambuEntity } from "../../lib/core/entity";
import { MambuCommError, MambuError, MambuTsError } from "../../lib/errors";
import { parseJsonExact, stringifyExact } from "../../lib/core/json";
import { DateTime, Decimal, MambuClient, MambuLoan } from "../../lib";

describe("--where", () => {
  it.each([
    ["accountState EQUALS ACTIVE", { field: "accountState", operator: "EQUALS", value: "ACTIVE" }],
    ["accountState equals ACTIVE", { field: "accountState", operator: "EQUALS", value: "ACTIVE" }],
    ["loanAmount MORE_THAN 750000", { field: "loanAmount", operator: "MORE_THAN", value: "750000" }],
    ["loanAmount > 750000", { field: "loanAmount", operator: "MORE_THAN", value: "750000" }],
    ["loanAmount<10", { field: "loanAmount", operator: "LESS_THAN", value: "10" }],
    ["firstName=JOSEFA", { field: "firstName", operator: "EQUALS", value: "JOSEFA" }],
    ["state != CLOSED", { field: "state", operator: "DIFFERENT_THAN", value: "CLOSED" }],
    ["firstName = Mary Ann", { field: "firstName", operator: "EQUALS", value: "Mary Ann" }],
    ["firstName = 'Mary Ann'", { field: "firstName", operator: "EQUALS", value: "Mary Ann" }],
    ['lastName STARTS_WITH "O\'Br"', { field: "lastName", operator: "STARTS_WITH", value: "O'Br" }],
    ['notes EQUALS "say \\"hi\\""', { field: "notes", operator: "EQUALS", value: 'say "hi"' }],
    ["loanAmount BETWEEN 1000 AND 5000", { field: "loanAmount", operator: "BETWEEN", value: "1000", secondValue: "5000" }],
    ["loanName between 'A AND B' and 'C'", { field: "loanName", operator: "BETWEEN", value: "A AND B", secondValue: "C" }],
    ["accountState IN ACTIVE,CLOSED", { field: "accountState", operator: "IN", values: ["ACTIVE", "CLOSED"] }],
    ["accountState IN ACTIVE, 'A, B' , CLOSED", { field: "accountState", operator: "IN", values: ["ACTIVE", "A, B", "CLOSED"] }],
    ["creationDate TODAY", { field: "creationDate", operator: "TODAY" }],
    ["closedDate EMPTY", { field: "closedDate", operator: "EMPTY" }],
    ["approvedDate LAST_DAYS 30", { field: "approvedDate", operator: "LAST_DAYS", value: "30" }],
    ["_OtherDetails.Age MORE_THAN 40", { field: "_OtherDetails.Age", operator: "MORE_THAN", value: "40" }],
    ["  id   EQUALS   12  ", { field: "id", operator: "EQUALS", value: "12" }],
  ])("%s", (text, expected) => {
    expect(parseWhere(text)).toEqual(expected);
  });

  it.each([
    ["", /no field/],
    ["loanAmount", /no operator/],
    ["loanAmount BIGGER 5", /unknown operator BIGGER/],
    ["loanAmount MORE_THAN", /MORE_THAN needs a value/],
    ["creationDate TODAY 3", /TODAY takes no value/],
    ["loanAmount BETWEEN 5", /BETWEEN needs two values/],
    ["state IN a,,b", /IN needs a comma-separated list/],
    ["x EQUALS 'open", /unterminated quote/],
    ["x EQUALS 'a' b", /unexpected text after the quoted value/],
    ["x LAST_DAYS many", /LAST_DAYS needs a number of days/],
  ])("%j is a usage error", (text, message) => {
    expect(() => parseWhere(text)).toThrow(UsageError);
    expect(() => parseWhere(text)).toThrow(message);
  });

  it("checks the operator against the entity's list", () => {
    expect(() => parseWhere("a STARTS_WITH b", ["EQUALS", "IN"])).toThrow(/operator STARTS_WITH is not accepted here; operators: EQUALS, IN/);
  });
});

describe("arguments", () => {
  const specs = [...GLOBAL_OPTIONS, { name: "filter", kind: "list" as const, help: "" }, { name: "limit", kind: "value" as const, help: "" }];

  it("long options with separate or inline values, repeatable lists, flags, negation, --", () => {
    expect(parseArgs(["clients", "--filter", "a=1", "--filter=b=2", "--limit", "5", "--json", "--no-progress", "--", "--x"], specs)).toEqual({
      positionals: ["clients", "--x"],
      options: { filter: ["a=1", "b=2"], limit: "5", json: true, progress: false },
    });
    expect(parseArgs(["-h"], specs).options.help).toBe(true);
  });

  it("refuses unknown options, missing values and values on flags", () => {
    expect(() => parseArgs(["--limt", "5"], specs, "list")).toThrow(/unknown option --limt \(did you mean --limit\?\)/);
    expect(() => parseArgs(["--limit"], specs)).toThrow(/--limit needs a value/);
    expect(() => parseArgs(["--json=yes"], specs)).toThrow(/--json takes no value/);
    expect(() => parseArgs(["-z"], specs)).toThrow(/unknown option -z/);
  });

  it("grouped short flags, the last of --x / --no-x wins, options after -- are positionals", () => {
    expect(parseArgs(["-hV"], specs).options).toEqual({ help: true, version: true });
    expect(parseArgs(["--no-progress", "--progress"], specs).options.progress).toBe(true);
    expect(parseArgs(["--progress", "--no-progress"], specs).options.progress).toBe(false);
    expect(parseArgs(["--", "--json", "-h"], specs)).toEqual({ positionals: ["--json", "-h"], options: {} });
    expect(parseArgs(["--limit", "--json"], specs).options).toEqual({ limit: "--json" }); // a value may look like an option
    expect(() => parseArgs(["--no-progress=1"], specs)).toThrow(/--progress takes no value/);
    expect(() => parseArgs(["--no-limit"], specs)).toThrow(/unknown option --no-limit/); // only flags negate
    expect(() => parseArgs(["--jsn=1"], specs, "list")).toThrow(/unknown option --jsn \(did you mean --json\?\)/);
  });

  it("finds the command word after global options and their values", () => {
    expect(splitCommand(["--columns", "id", "--json", "list", "loans"], GLOBAL_OPTIONS)).toEqual({ before: ["--columns", "id", "--json"], command: "list", after: ["loans"] });
    expect(splitCommand(["--json"], GLOBAL_OPTIONS)).toEqual({ before: ["--json"], after: [] });
  });
});

describe("entity names", () => {
  it("come from the exported classes: singular, plural, prefix and aliases", () => {
    expect(findEntity("client").cls).toBe(MambuClient);
    expect(findEntity("Clients").cls).toBe(MambuClient);
    expect(findEntity("MambuLoan").cls).toBe(MambuLoan);
    expect(findEntity("loans").cls).toBe(MambuLoan);
    expect(findEntity("branches").name).toBe("branch");
    expect(findEntity("center").name).toBe("centre");
    expect(findEntity("loanproducts").name).toBe("product");
    expect(displayName(findEntity("branch"))).toBe("branch(es)");
    expect(displayName(findEntity("centre"))).toBe("centre(s)/center(s)");
  });

  it("an unknown name is a usage error listing the known ones", () => {
    expect(() => findEntity("planet", "get")).toThrow(/unknown entity "planet"\. Known: apiconsumer\(s\), branch\(es\), centre\(s\)\/center\(s\), client\(s\)/);
  });

  it("a class newly exported appears without an edit; a class name wins over a prefix", () => {
    class MambuActivity extends MambuEntity {
      static override spec = { prefix: "activities" };
    }
    class MambuLoanTx extends MambuEntity {
      static override spec = { prefix: "loans" }; // "loans" is taken by MambuLoan's class name
    }
    const reg = buildRegistry({ MambuLoan, MambuActivity, MambuLoanTx, Decimal, notAClass: 3 });
    expect(reg.map((e) => e.name)).toEqual(["activity", "loan", "loantx"]);
    expect(findEntity("activities", undefined, reg).cls).toBe(MambuActivity);
    expect(findEntity("loans", undefined, reg).cls).toBe(MambuLoan);
  });

  it("plural and singular", () => {
    expect(["branch", "centre", "activity", "box", "key"].map(plural)).toEqual(["branches", "centres", "activities", "boxes", "keys"]);
    expect(["branches", "centres", "activities", "loanproducts", "userroles"].map(singular)).toEqual(["branch", "centre", "activity", "loanproduct", "userrole"]);
  });
});

describe("output", () => {
  it("pretty JSON keeps every digit and every string as it was", () => {
    const text = '{"a":1500.00,"b":[],"c":{},"d":["x,y:{z}","\\"q\\""],"e":[{"f":12345678901234567.89}]}';
    const pretty = prettyJson(text);
    expect(pretty).toBe(
      '{\n  "a": 1500.00,\n  "b": [],\n  "c": {},\n  "d": [\n    "x,y:{z}",\n    "\\"q\\""\n  ],\n  "e": [\n    {\n      "f": 12345678901234567.89\n    }\n  ]\n}',
    );
    expect(stringifyExact(parseJsonExact(pretty))).toBe(text);
  });

  it("paths, headers, cells and projections", () => {
    const loan = MambuLoan.fromWire(parseJsonExact(
      '{"id":"1","loanAmount":1500.00,"currency":{"code":"JPY"},"interestSettings":{"interestRate":1.50},"balances":{"principalBalance":7},"creationDate":"2021-03-09T13:37:50+05:30","_Perf":{"score":"10"},"_Rows":[{"v":"a"},{"v":"b"}]}',
    ) as Record<string, unknown>);
    expect(splitPath("addresses[0].city")).toEqual(["addresses", 0, "city"]);
    expect(headerOf("balances.principalBalance")).toBe("principalBalance");
    expect(headerOf("interest.amount.paid")).toBe("interestPaid");
    expect(headerOf("principal.amount.expected")).toBe("principal");
    expect(cellText(valueAt(loan, "loanAmount"), "loanAmount", "JPY")).toBe("1500"); // the currency's decimals
    expect(cellText(new Decimal("1500.5"), "loanAmount", "JPY")).toBe("1500.5"); // never a significant digit lost
    expect(cellText(new Decimal("1500"), "loanAmount", "MXN")).toBe("1500.00");
    expect(cellText(new Decimal("1.5"), "amount", "KWD")).toBe("1.500");
    expect(cellText(valueAt(loan, "interestSettings.interestRate"), "interestSettings.interestRate", undefined, wireAt(loan, "interestSettings.interestRate"))).toBe("1.50");
    expect(cellText(valueAt(loan, "creationDate"), "creationDate")).toBe("2021-03-09T13:37:50+05:30");
    expect(cellText("two\nlines", "notes")).toBe("two lines");
    expect(stringifyExact(project(loan, ["id", "loanAmount", "score", "v_1", "balances.principalBalance", "missing"]))).toBe(
      '{"id":"1","loanAmount":1500.00,"score":"10","v_1":"b","balances.principalBalance":7,"missing":null}',
    );
  });
});

describe("the terminal", () => {
  const rows = [
    { id: "54321", name: "Micro loan (flat)", state: "ACTIVE_IN_ARREARS", amount: new Decimal("12000"), date: "2026-07-15T04:53:07+02:00" },
    { id: "7", name: "x", state: "ACTIVE", amount: new Decimal("1.5"), date: "2026-07-15" },
  ];
  const cols = [
    { header: "id", value: (r: (typeof rows)[0]) => r.id },
    { header: "name", value: (r: (typeof rows)[0]) => r.name },
    { header: "state", value: (r: (typeof rows)[0]) => r.state },
    { header: "loanAmount", value: (r: (typeof rows)[0]) => r.amount, align: "right" as const },
    { header: "creationDate", value: (r: (typeof rows)[0]) => r.date },
  ];

  it("a width comes from the terminal, else from COLUMNS; none when piped", () => {
    expect(terminalWidth({ isTTY: true, columns: 91 }, { COLUMNS: "70" })).toBe(91);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: "70" })).toBe(70);
    expect(terminalWidth({ isTTY: false }, {})).toBeUndefined();
    expect(terminalWidth(undefined, { COLUMNS: "wide" })).toBeUndefined();
    expect(terminalWidth({ isTTY: true, columns: 5 }, {})).toBeUndefined(); // too narrow to fit anything
  });

  it("a table without a width is whole; with one it fits, cutting text with … and never a number", () => {
    const whole = renderTable(rows, cols);
    expect(whole.split("\n")[2]).toBe("54321  Micro loan (flat)  ACTIVE_IN_ARREARS    12000.00  2026-07-15T04:53:07+02:00");
    for (const width of [40, 50, 60, 70]) {
      const lines = renderTable(rows, cols, { width }).split("\n");
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(lines).toHaveLength(4);
      expect(lines[2]).toMatch(/^54321 .* 12000\.00 /);
      expect(lines[3]).toMatch(/ 1\.50 /);
    }
    expect(renderTable(rows, cols, { width: 200 })).toBe(whole);
    expect(renderTable(rows, cols, { width: 60 }).split("\n")[2]).toBe("54321  Micro loan …  ACTIVE_IN_A…    12000.00  2026-07-15T0…");
  });

  it("wrapped columns keep every character, on more lines", () => {
    const t = renderTable([{ k: "interestSettings.interestCalculationMethod", v: "8a099a673f1f25a0013f1fd0a1c318a5" }], [
      { header: "field", value: (r) => r.k, overflow: "wrap" },
      { header: "value", value: (r) => r.v, overflow: "wrap" },
    ], { width: 40 });
    const lines = t.split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(lines.slice(2).map((l) => l.slice(0, 19).trim()).join("")).toBe("interestSettings.interestCalculationMethod");
    expect(lines.slice(2).map((l) => l.slice(21).trim()).join("")).toBe("8a099a673f1f25a0013f1fd0a1c318a5");
  });

  it("help wraps under its description; text pieces", () => {
    expect(fitHelp("  --limit N  at most N records (default: all of them, page by page)", 40)).toBe(
      "  --limit N  at most N records (default:\n             all of them, page by page)",
    );
    expect(fitHelp("short\n", 40)).toBe("short\n");
    expect(fitHelp("x".repeat(50), undefined)).toBe("x".repeat(50));
    expect(truncate("ACTIVE_IN_ARREARS", 8)).toBe("ACTIVE_…");
    expect(wrapText("a.b.c", 2)).toEqual(["a.", "b.", "c"]);
  });

  it("the progress line shows Mambu's total when it knows it", () => {
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream;
    const p = new Progress(stream, "loans", true);
    p.update(50);
    p.update(100, 120);
    p.update(130, 120); // a total below what came is not shown
    expect(out).toEqual(["loans: 50 fetched…\n", "loans: 100 of 120 fetched…\n", "loans: 130 fetched…\n"]);
  });

  it("the REPL shows a bare Decimal as money and a DateTime as ISO, without changing them", () => {
    const amount = new Decimal("1500");
    const at = DateTime.fromISO("2026-01-02T03:04:05+05:30", { setZone: true });
    const value: Record<string, unknown> = { amount, list: [amount, at], interestRate: new Decimal("1.5"), other: new Map([["a", 1]]) };
    value.self = value;
    expect(inspect(forDisplay(amount))).toBe("1500.00");
    expect(inspect(forDisplay(at))).toBe("2026-01-02T03:04:05+05:30");
    expect(inspect(forDisplay(value))).toBe(
      "<ref *1> {\n  amount: 1500.00,\n  list: [ 1500.00, 2026-01-02T03:04:05+05:30 ],\n  interestRate: 1.5,\n  other: Map(1) { 'a' => 1 },\n  self: [Circular *1]\n}",
    );
    expect(value.amount).toBe(amount);
    expect((value.list as unknown[])[1]).toBe(at);
    expect(forDisplay("text")).toBe("text");
  });
});

describe("errors", () => {
  const notFound = new MambuError("301 (404) - INVALID_CLIENT_ID", {
    status: 404, errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }], method: "GET", url: "/api/clients/X",
  });

  it("exit codes: usage 2, Mambu 3, communication 4, anything else 1", () => {
    expect(exitCodeOf(new UsageError("x"))).toBe(EXIT.USAGE);
    expect(exitCodeOf(new MambuTsError("offset must be integer"))).toBe(EXIT.USAGE);
    expect(exitCodeOf(notFound)).toBe(EXIT.MAMBU);
    expect(exitCodeOf(new MambuCommError("down"))).toBe(EXIT.COMM);
    expect(exitCodeOf(new TypeError("bug"))).toBe(EXIT.FAILURE);
    expect(EXIT).toEqual({ OK: 0, FAILURE: 1, USAGE: 2, MAMBU: 3, COMM: 4 });
  });

  it("messages: code, status, reason; stack only with debug; secrets masked", () => {
    expect(describeError(notFound)).toBe("mambu: Mambu error 301 (HTTP 404): INVALID_CLIENT_ID\n  request: GET /api/clients/X");
    expect(describeError(notFound, { debug: true })).toMatch(/\n {4}at /);
    expect(describeError(new UsageError("bad", "list"))).toBe('mambu: bad\nRun "mambu list --help" for usage.');
    expect(describeError(new Error("oops hunter22 here"), { secrets: ["hunter22"] })).toBe(
      "mambu: oops **** here\n  (run again with --debug for the stack trace)",
    );
  });
});
