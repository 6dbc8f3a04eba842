/**
 * `mambu` as a user runs it against the embedded sandbox (table and JSON output, exit codes, help,
 * errors on stderr, no credential ever printed). Most commands run in this process with the
 * environment a child would have (cli-helpers.ts `runMain`); what is about the process itself — the
 * compiled binary starting, its stack traces, rc files under a real home, signals, pipes, the
 * programs it delegates to — runs bin/mambu as a child.
 */
import { createServer, Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AddressInfo } from "node:net";
import fetch from "node-fetch";
import { parseJsonExact, stringifyExact } from "../../lib/core/json";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { COMMANDS } from "../../lib/cli/commands";
import { buildDist, cleanEnv, MAMBU, ROOT, runMain, runMambu, runNode, RunResult, tempHome } from "./cli-helpers";

jest.setTimeout(60_000);

/** A password that must never appear in any output. */
const SECRET = "s3cret-Pa55-word";

let sandbox: Sandbox;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, users: [{ username: "cli", password: SECRET }, { username: "demo", password: "demo" }] });
  home = tempHome();
  env = cleanEnv(home, { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET });
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
});

/** `mambu ...args` run in this process (see cli-helpers.ts `runMain`); nothing printed holds the password. */
async function mambu(...args: string[]): Promise<RunResult> {
  const r = await runMain(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

/** `node bin/mambu ...args` in a child process; nothing printed holds the password. */
async function binary(...args: string[]): Promise<RunResult> {
  const r = await runMambu(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

/** Splits a table into its header names and rows of cells (2+ spaces separate cells). */
function table(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split("\n");
  expect(lines[1]).toMatch(/^-+(  -+)*$/);
  const split = (l: string): string[] => l.trim().split(/ {2,}/);
  return { header: split(lines[0]), rows: lines.slice(2).map(split) };
}

describe("help", () => {
  it("mambu --help lists the commands, the entities, the options and the exit codes", async () => {
    const r = await binary("--help");
    expect(r.code).toBe(0);
    for (const c of ["get", "list", "search", "schedule", "transactions", "config", "sandbox", "demo", "migrate", "repl"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    }
    expect(r.stdout).toMatch(/Entities: .*branch\(es\).*client\(s\).*loan\(s\)/);
    expect(r.stdout).toContain("--jsonl");
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 2 usage error, 3 Mambu error/);
  });

  it.each(COMMANDS.map((c) => c.name))("mambu %s --help shows usage and examples", async (name) => {
    const r = await mambu(name, "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: mambu ${name}`));
    expect(r.stdout).toMatch(/\nExamples:\n  mambu /);
    expect(r.stderr).toBe("");
  });

  it("mambu help <command> is the same as --help; --version prints the version", async () => {
    expect((await mambu("help", "search")).stdout).toBe((await mambu("search", "--help")).stdout);
    const v = await mambu("--version");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(v.stdout.trim()).toBe(`mambu-ts ${pkg.version}`);
  });
});

describe("get", () => {
  it("prints a record as a field/value table", async () => {
    const r = await mambu("get", "client", "0512N0025");
    expect(r.code).toBe(0);
    const t = table(r.stdout);
    expect(t.header).toEqual(["field", "value"]);
    const fields = Object.fromEntries(t.rows.map(([k, v]) => [k, v]));
    expect(fields).toMatchObject({ id: "0512N0025", firstName: "JOSEFA", lastName: "GARCIA", state: "ACTIVE", birthDate: "1978-04-12" });
    expect(fields.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+02:00$/); // with the tenant's offset
    expect(Object.keys(fields).some((k) => k.startsWith("_"))).toBe(false); // BASIC: no custom fields
  });

  it("--full adds custom fields; --columns picks fields, nested paths and custom fields", async () => {
    const full = await mambu("get", "clients", "0512N0025", "--full");
    expect(full.stdout).toMatch(/^_OtherDetails\.Age +47$/m);
    expect(full.stdout).toMatch(/^addresses\[0\]\.city +Ciudad de Mexico$/m);
    expect(full.stdout).toMatch(/^_Assets\[0\]\.ASSETVALUE +965000$/m);
    const r = await mambu("get", "client", "0512N0025", "--full", "--columns", "id,Age,_OtherDetails.EmployerName,ASSETVALUE_0");
    expect(table(r.stdout).rows).toEqual([["id", "0512N0025"], ["Age", "47"], ["_OtherDetails.EmployerName", "Tienda La Esperanza"], ["ASSETVALUE_0", "965000"]]);
  });

  it("--json prints the record exactly as Mambu sent it", async () => {
    const r = await mambu("get", "loan", "54321", "--json");
    expect(r.code).toBe(0);
    const raw = await fetchRaw("/loans/54321?detailsLevel=BASIC");
    expect(stringifyExact(parseJsonExact(r.stdout))).toBe(stringifyExact(parseJsonExact(raw)));
    expect(r.stdout).toMatch(/^\{\n {2}"id": "54321",\n/);
  });

  it("--json keeps 1500.00 as 1500.00 (a tenant that sends trailing zeros)", async () => {
    const fixture = readFileSync(join(ROOT, "spec", "fixtures", "loan-full.json"), "utf8");
    const server = await fakeMambu(fixture);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const e = { ...env, MAMBU_API_URL: url };
      const r = await runMain(["get", "loan", "54321", "--json"], e);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('"loanAmount": 1500.00');
      expect(r.stdout).toContain('"interestRate": 1.50');
      expect(stringifyExact(parseJsonExact(r.stdout))).toBe(stringifyExact(parseJsonExact(fixture)));
      const line = await runMain(["get", "loan", "54321", "--jsonl", "--columns", "id,loanAmount,balances.principalBalance"], e);
      expect(line.stdout).toBe('{"id":"54321","loanAmount":1500.00,"balances.principalBalance":1000.10}\n');
      const t = await runMain(["get", "loan", "54321", "--columns", "loanAmount,interestSettings.interestRate,creationDate"], e);
      expect(table(t.stdout).rows).toEqual([["loanAmount", "1500.00"], ["interestSettings.interestRate", "1.50"], ["creationDate", "2021-03-09T13:37:50+05:30"]]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("list", () => {
  it("prints an aligned table with the entity's default columns, amounts right-aligned", async () => {
    const r = await mambu("list", "loans", "--sort", "id:ASC");
    expect(r.code).toBe(0);
    const t = table(r.stdout);
    expect(t.header).toEqual(["id", "loanName", "accountState", "accountHolderType", "loanAmount", "principalBalance", "daysInArrears", "creationDate"]);
    expect(t.rows.map((x) => x[0])).toEqual(["54321", "54322", "54323", "54324", "54325", "54326"]);
    const lines = r.stdout.split("\n");
    const amountEnd = lines[0].indexOf("loanAmount") + "loanAmount".length;
    expect(lines[2].slice(0, amountEnd)).toMatch(/ 1500\.00$/); // right-aligned under its header
    expect(lines[3].slice(0, amountEnd)).toMatch(/12000\.00$/);
  });

  it("--filter, --sort and --limit go to the API; --json prints one document", async () => {
    const r = await mambu("list", "clients", "--filter", "state=ACTIVE", "--sort", "lastName:asc", "--limit", "3", "--json");
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.stdout) as Array<{ lastName: string; state: string }>;
    expect(docs.map((d) => d.lastName)).toEqual(["GARCIA", "GONZALEZ", "HERNANDEZ"]);
    expect(docs.every((d) => d.state === "ACTIVE")).toBe(true);
  });

  it("--jsonl streams one record per line, page by page, with --progress (and Mambu's total) on stderr", async () => {
    const r = await runMain(["list", "clients", "--jsonl", "--progress"], { ...env, MAMBU_API_PAGINATION: "4", MAMBU_API_CONCURRENCY: "1" });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(lines.length);
    expect(lines).toHaveLength(10);
    expect(r.stderr).toBe("clients: 4 of 10 fetched…\nclients: 8 of 10 fetched…\nclients: 10 of 10 fetched…\n");
    const quiet = await mambu("list", "clients", "--jsonl");
    expect(quiet.stderr).toBe(""); // stderr is not a terminal: no progress unless asked
  });

  it("--columns with JSON projects each record on the columns, exactly", async () => {
    const r = await mambu("list", "loans", "--sort", "id:ASC", "--limit", "2", "--columns", "id,loanAmount,balances.principalBalance", "--json");
    expect(JSON.parse(r.stdout)).toEqual([
      { id: "54321", loanAmount: 1500, "balances.principalBalance": 500 },
      { id: "54322", loanAmount: 12000, "balances.principalBalance": 11105.28 },
    ]);
    const t = await mambu("list", "loans", "--sort", "id:ASC", "--limit", "1", "--columns", "id,balances.principalBalance");
    expect(table(t.stdout)).toEqual({ header: ["id", "balances.principalBalance"], rows: [["54321", "500.00"]] });
  });

  it("entity names: singular, plural, aliases, any case", async () => {
    for (const name of ["branch", "branches", "BRANCHES", "centre", "centers", "product", "loanproducts"]) {
      const r = await mambu("list", name, "--jsonl");
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split("\n").length).toBe(2);
    }
  });

  it("lists a loan's transactions through a documented query parameter", async () => {
    const r = await mambu("list", "transactions", "--filter", "loanAccountId=54321", "--jsonl");
    expect(r.code).toBe(0);
    const types = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toContain("DISBURSEMENT");
    expect(types.filter((t) => t === "REPAYMENT")).toHaveLength(4);
  });

  it("an empty list says so", async () => {
    const r = await mambu("list", "clients", "--filter", "firstName=NOBODY");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("(no clients)\n");
    expect((await mambu("list", "clients", "--filter", "firstName=NOBODY", "--json")).stdout).toBe("[]\n");
  });
});

describe("fitted to the terminal's width (COLUMNS here; a terminal's own width when stdout is one)", () => {
  const widest = (text: string): number => Math.max(...text.trimEnd().split("\n").map((l) => l.length));

  it("a list's table fits: text cut with …, amounts and ids whole, one line per record", async () => {
    const whole = await mambu("list", "loans", "--sort", "id:ASC");
    expect(widest(whole.stdout)).toBeGreaterThan(100); // piped without a width: every character
    const r = await runMain(["list", "loans", "--sort", "id:ASC"], { ...env, COLUMNS: "80" });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    const t = table(r.stdout);
    expect(t.header).toHaveLength(8);
    expect(t.rows.map((x) => x[0])).toEqual(["54321", "54322", "54323", "54324", "54325", "54326"]);
    expect(t.rows.map((x) => x[4])).toEqual(["1500.00", "12000.00", "3000.00", "20000.00", "1000.00", "8000.00"]); // never cut
    expect(t.rows[0][1]).toMatch(/^Micro l.*…$/);
  });

  it("--json and --jsonl are never fitted", async () => {
    for (const format of ["--json", "--jsonl"]) {
      const narrow = await runMain(["list", "loans", format], { ...env, COLUMNS: "40" });
      expect(narrow.stdout).toBe((await mambu("list", "loans", format)).stdout);
    }
  });

  it("get wraps a long value under itself, keeping every character", async () => {
    const r = await runMain(["get", "loan", "54321"], { ...env, COLUMNS: "50" });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(50);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("accountHolderKey "));
    const first = lines[at].slice(lines[0].indexOf("value"));
    const next = lines[at + 1].trim();
    expect(lines[at + 1].startsWith(" ")).toBe(true);
    expect(first + next).toBe("8a099a673f1f25a0013f1fd0a1c318a5");
  });

  it.each([[["--help"]], [["search", "--help"]], [["sandbox", "--help"]]])("%j wraps at the width, changing nothing but white space", async (args) => {
    const whole = await mambu(...args);
    const r = await runMain(args, { ...env, COLUMNS: "60" });
    expect(widest(whole.stdout)).toBeGreaterThan(60);
    expect(widest(r.stdout)).toBeLessThanOrEqual(60);
    expect(r.stdout.replace(/\s+/g, "")).toBe(whole.stdout.replace(/\s+/g, ""));
  });
});

describe("--columns the records do not have", () => {
  it("a custom field without --full is a usage error that says so", async () => {
    for (const args of [["get", "client", "0512N0025", "--columns", "id,Age"], ["list", "clients", "--columns", "id,_OtherDetails.Age"]]) {
      const r = await mambu(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^mambu: unknown column (Age|_OtherDetails\.Age): not a field of MambuClient \(custom fields are only read with --full\)\n/);
    }
    const full = await mambu("get", "client", "0512N0025", "--full", "--columns", "id,Age");
    expect(full.code).toBe(0);
  });

  it("an unknown column is a usage error (with a suggestion), also with --full and in a schedule", async () => {
    const typo = await mambu("list", "loans", "--columns", "id,loanAmont");
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe("");
    expect(typo.stderr).toMatch(/^mambu: unknown column loanAmont \(did you mean loanAmount\?\): not a field of MambuLoan/);
    const nested = await mambu("list", "loans", "--columns", "id,balances.principalBalanc");
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/^mambu: unknown column balances\.principalBalanc: not a field of MambuLoan\n/);
    const full = await mambu("get", "client", "0512N0025", "--full", "--columns", "id,Agee");
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/unknown column Agee: not a field of MambuClient nor a custom field of these records/);
    const schedule = await mambu("schedule", "54321", "--columns", "number,dueDat");
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toMatch(/unknown column dueDat \(did you mean dueDate\?\): not a field of MambuInstallment\n/);
  });

  it("JSON lines stream first, then the unknown column is an error", async () => {
    const r = await mambu("list", "loans", "--columns", "id,loanAmont", "--jsonl");
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown)[0]).toEqual({ id: expect.any(String), loanAmont: null });
    expect(r.stderr).toMatch(/unknown column loanAmont/);
  });

  it("a field no record has a value for is shown empty, said on stderr, exit 0", async () => {
    const r = await mambu("list", "loans", "--filter", "accountState=ACTIVE", "--columns", "id,closedDate", "--sort", "id:ASC");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("id     closedDate\n-----  ----------\n54321\n54326\n");
    expect(r.stderr).toBe("mambu: no record has a value for column closedDate\n");
  });
});

describe("search", () => {
  it("--where criteria with IN and MORE_THAN", async () => {
    const r = await mambu("search", "loans", "--where", "accountState IN ACTIVE, ACTIVE_IN_ARREARS", "--where", "loanAmount MORE_THAN 1000", "--sort", "loanAmount:DESC", "--json");
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as Array<{ id: string }>).map((l) => l.id);
    expect(ids).toEqual(["54322", "54326", "54321"]);
  });

  it("custom fields, BETWEEN, quoted values and symbols", async () => {
    const age = await mambu("search", "clients", "--where", "_OtherDetails.Age BETWEEN 40 AND 50", "--columns", "id", "--jsonl");
    expect(age.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(["0512N0025", "24N12345"]);
    const quoted = await mambu("search", "clients", "--where", "lastName = 'GARCIA'", "--columns", "id,firstName");
    expect(table(quoted.stdout).rows).toEqual([["0512N0025", "JOSEFA"]]);
    const starts = await mambu("search", "clients", "--where", 'firstName STARTS_WITH "jos"', "--columns", "id", "--sort", "id:ASC");
    expect(table(starts.stdout).rows).toEqual([["0512N0025"], ["0512N0026"]]);
  });

  it("a bad criterion is a usage error that shows the expected form", async () => {
    const r = await mambu("search", "loans", "--where", "loanAmount BIGGER 5");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown operator BIGGER; operators: EQUALS, .*MORE_THAN/);
    expect(r.stderr).toMatch(/Run "mambu search --help"/);
    const between = await mambu("search", "loans", "--where", "loanAmount BETWEEN 5");
    expect(between.code).toBe(2);
    expect(between.stderr).toContain("BETWEEN needs two values");
  });
});

describe("schedule and transactions", () => {
  it("schedule <loanId> prints the installments", async () => {
    const r = await mambu("schedule", "54321");
    expect(r.code).toBe(0);
    const t = table(r.stdout);
    expect(t.header.slice(0, 5)).toEqual(["number", "dueDate", "state", "principal", "interest"]);
    expect(t.rows).toHaveLength(6);
    expect(t.rows.filter((x) => x[2] === "PAID")).toHaveLength(4);
    expect(t.rows[0][3]).toBe("250.00");
    const json = JSON.parse((await mambu("schedule", "54321", "--json")).stdout) as Array<{ number: string }>;
    expect(json.map((i) => i.number)).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("transactions <loanId> prints disbursement and repayments", async () => {
    const r = await mambu("transactions", "54321");
    expect(r.code).toBe(0);
    const t = table(r.stdout);
    expect(t.header).toEqual(["id", "type", "valueDate", "amount", "principalAmount", "interestAmount", "totalBalance", "notes"]);
    expect(t.rows.map((x) => x[1]).sort()).toEqual(["DISBURSEMENT", "REPAYMENT", "REPAYMENT", "REPAYMENT", "REPAYMENT"]);
    expect(r.stdout).toMatch(/REPAYMENT .* 295\.00 /);
    const limited = await mambu("transactions", "54321", "--limit", "2", "--jsonl");
    expect(limited.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("an unknown loan is a Mambu error", async () => {
    const r = await mambu("schedule", "NOPE");
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Mambu error \d+ \(HTTP 404\): INVALID_LOAN_ACCOUNT_ID/);
  });
});

describe("config", () => {
  it("shows each value and its source, the password masked", async () => {
    const r = await mambu("config");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^apiurl +http:\/\/127\.0\.0\.1:\d+ +env MAMBU_API_URL$/m);
    expect(r.stdout).toMatch(/^apiuser +cli +env MAMBU_API_USER$/m);
    expect(r.stdout).toMatch(/^apipwd +\*\*\*\* +env MAMBU_API_PWD$/m);
    expect(r.stdout).toMatch(/^apipagination +50 +default$/m);
    const json = JSON.parse((await mambu("config", "--json")).stdout) as Array<{ key: string; value?: string; source: string }>;
    expect(json.find((e) => e.key === "apipwd")).toEqual({ key: "apipwd", value: "****", source: "env MAMBU_API_PWD" });
  });

  it("reads ~/.mambupy.rc and masks a URL's userinfo", async () => {
    const h = tempHome();
    const { writeFileSync, chmodSync } = await import("node:fs");
    writeFileSync(join(h, ".mambupy.rc"), `[API]\napiurl=https://someone:${SECRET}@tenant.example.com\napipwd=${SECRET}\n`);
    chmodSync(join(h, ".mambupy.rc"), 0o600);
    const r = await runMambu(["config"], cleanEnv(h));
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout).toMatch(new RegExp(`^apiurl +https://\\*\\*\\*\\*@tenant\\.example\\.com +file ${h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/\\.mambupy\\.rc$`, "m"));
  });

  it("masks the whole userinfo when the password holds @ (up to the last @), in the table and in --json", async () => {
    const r = await runMain(["config"], { ...env, MAMBU_API_URL: `https://someone:${SECRET}@x@tenant.example.com` });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout).not.toContain("@x@");
    expect(r.stdout).toMatch(/^apiurl +https:\/\/\*\*\*\*@tenant\.example\.com +env MAMBU_API_URL$/m);
    const json = await runMain(["config", "--json"], { ...env, MAMBU_API_URL: `https://someone:${SECRET}@x@tenant.example.com` });
    expect(json.stdout).not.toContain(SECRET);
    expect((JSON.parse(json.stdout) as Array<{ key: string; value?: string }>).find((e) => e.key === "apiurl")?.value).toBe("https://****@tenant.example.com");
  });
});

describe("errors and exit codes", () => {
  it("a Mambu error: code, status and reason on stderr, exit 3, no stack trace", async () => {
    const r = await mambu("get", "client", "NOPE");
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("mambu: Mambu error 301 (HTTP 404): INVALID_CLIENT_ID\n  request: GET /api/clients/NOPE?detailsLevel=BASIC\n");
  });

  it("--debug adds the stack trace and one line per request, still without credentials", async () => {
    const r = await binary("get", "client", "NOPE", "--debug"); // the compiled frames of bin/mambu
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^debug: GET \/api\/clients\/NOPE/m);
    expect(r.stderr).toMatch(/^\s+at .+\(.+\.js:\d+:\d+\)$/m);
  });

  it("wrong credentials: Mambu's 401, exit 3, the password never shown", async () => {
    const r = await runMain(["get", "client", "0512N0025", "--debug"], { ...env, MAMBU_API_PWD: `${SECRET}-wrong` });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Mambu error 2 \(HTTP 401\): INVALID_CREDENTIALS/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("Mambu unreachable: one stderr line per retry (not silence), then exit 4", async () => {
    const closed = await freePort();
    const r = await runMain(["list", "clients"], { ...env, MAMBU_API_URL: `http://127.0.0.1:${closed}`, MAMBU_API_RETRIES: "2" });
    expect(r.code).toBe(4);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^mambu: GET \/api\/clients\?\S* failed \(.*ECONNREFUSED.*\); retrying in \d+(\.\d)? s \(attempt 2 of 3\)$/);
    expect(lines[1]).toMatch(/^mambu: GET \/api\/clients\?\S* failed \(.*ECONNREFUSED.*\); retrying in \d+(\.\d)? s \(attempt 3 of 3\)$/);
    expect(lines[2]).toMatch(/^mambu: communication error: .*failed after 3 attempts: .*ECONNREFUSED/);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain(SECRET);
  });

  it("Mambu unreachable: exit 4", async () => {
    const closed = await freePort();
    const r = await runMain(["list", "clients"], { ...env, MAMBU_API_URL: `http://127.0.0.1:${closed}`, MAMBU_API_RETRIES: "0" });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mambu: communication error: .*ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain(SECRET);
  });

  it.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["lst", "clients"], /unknown command "lst" \(did you mean list\?\)/],
    [[], /no command given/],
    [["list", "planets"], /unknown entity "planets"\. Known: apiconsumer\(s\), branch\(es\), centre\(s\)\/center\(s\), client\(s\), .*loan\(s\)/],
    [["list", "clients", "--limit", "0"], /--limit must be an integer ≥ 1, got "0"/],
    [["list", "clients", "--limt", "3"], /unknown option --limt \(did you mean --limit\?\)/],
    [["list", "clients", "--filter", "planet=Mars"], /unknown filter planet for client; filters: branchId, centreId/],
    [["list", "clients", "--sort", "planet:ASC"], /client cannot be sorted by planet; sort fields: creationDate/],
    [["get", "client"], /which client\?/],
    [["get", "client", "1", "2"], /too many arguments: 2/],
    [["list", "clients", "--json", "--jsonl"], /give --json or --jsonl, not both/],
    [["search", "branches", "--where", "id = 1"], /branch is not searchable/],
  ])("usage error %j: exit 2", async (args, message) => {
    const r = await mambu(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Run "mambu (\w+ )?--help" for usage\.\n$/);
  });

  it("no configuration: a usage error that says what to set", async () => {
    const r = await runMambu(["list", "clients"], cleanEnv(tempHome()));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mambu: apiurl is not configured: set MAMBU_API_URL, apiurl in ~/.mambupy.rc or mambuconfig.apiurl\n");
  });
});

describe("--sandbox and the other commands", () => {
  it("--sandbox starts an embedded sandbox for the command, whatever the environment says", async () => {
    const r = await runMain(["--sandbox", "get", "loan", "54321", "--columns", "id,accountState"], cleanEnv(tempHome()));
    expect(r.code).toBe(0);
    expect(table(r.stdout).rows).toEqual([["id", "54321"], ["accountState", "ACTIVE"]]);
    expect(r.stderr).toMatch(/^mambu: using the embedded sandbox at http:\/\/127\.0\.0\.1:\d+ \(demo tenant\)\n$/);
    const c = await runMain(["config", "--sandbox"], cleanEnv(tempHome(), { MAMBU_API_URL: "tenant.example.com" }));
    expect(c.stdout).toMatch(/^apiurl +http:\/\/127\.0\.0\.1:\d+ +code$/m);
    expect(c.stdout).toMatch(/^apipwd +\*\*\*\* +code$/m);
  });

  it("entities lists the names, classes, filters and sort fields", async () => {
    const r = await mambu("entities");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^client\(s\) +MambuClient +yes +branchId,centreId,/m);
    expect(r.stdout).toMatch(/^loan\(s\) +MambuLoan +yes/m);
  });

  it("sandbox runs mambu-sandbox until SIGINT", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [MAMBU, "sandbox", "--port", "0"], { env: cleanEnv(tempHome()), cwd: ROOT });
    let out = "";
    child.stdout.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: string) => {
        out += d;
        if (out.includes("\n")) resolve();
      });
      child.on("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).toMatch(/^Mambu sandbox listening on http:\/\/127\.0\.0\.1:\d+\n/);
    const url = /listening on (\S+)/.exec(out)![1];
    const r = await runMain(["list", "branches", "--jsonl"], cleanEnv(tempHome(), { MAMBU_API_URL: url, MAMBU_API_USER: "demo", MAMBU_API_PWD: "demo" }));
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners("exit");
      child.on("exit", (c) => resolve(c));
      child.kill("SIGINT");
    });
    expect(code).toBe(0);
  });

  it("bin/mambu-sandbox: SIGTERM stops it (exit 0, saying so); a bad option exits 2 with the help on stderr", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [join(ROOT, "bin", "mambu-sandbox"), "--port", "0", "--empty"], { env: cleanEnv(tempHome()), cwd: ROOT });
    let out = "";
    child.stdout.setEncoding("utf8");
    const exited = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c))); // after its output
    await new Promise<void>((resolve) => child.stdout.on("data", (d: string) => {
      out += d;
      if (out.includes("Ctrl-C stops.\n")) resolve();
    }));
    expect(out).toMatch(/^Mambu sandbox listening on http:\/\/127\.0\.0\.1:\d+\n/);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/Mambu sandbox stopped \(SIGTERM\)\n$/);
    const bad = await runNode([join(ROOT, "bin", "mambu-sandbox"), "--latency", "fast"], cleanEnv(tempHome()));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^mambu-sandbox: --latency: expected <ms> or <ms>±<jitter>, got fast\n\nUsage: mambu-sandbox/);
  });

  it("sandbox passes bad options to mambu-sandbox, which refuses them (exit 2)", async () => {
    const r = await mambu("sandbox", "--port", "x");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port: expected 0\.\.65535/);
  });

  it("migrate delegates to mambu-migrate: same output, same exit code", async () => {
    const bin = join(ROOT, "bin", "mambu-migrate");
    expect(existsSync(bin)).toBe(true); // part of the package (buildDist checked that what it loads was built)
    const args = [join(home, "no-such-plan.yaml"), "--check"];
    const direct = await runNode([bin, ...args], env);
    const via = await binary("migrate", ...args);
    expect(via.code).toBe(direct.code);
    expect(via.code).not.toBe(0);
    expect(via.stdout).toBe(direct.stdout);
    expect(via.stderr).toBe(direct.stderr);
    const help = await binary("migrate", "--help");
    expect(help.stdout).toContain("mambu-migrate --help:");
  });

  it("demo runs the guided tour and exits 0", async () => {
    const r = await runMambu(["demo"], cleanEnv(tempHome()), { timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Mambu sandbox listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  it("piping into a closed reader is not an error", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn("/bin/sh", ["-c", `"${process.execPath}" "${MAMBU}" list clients --jsonl | head -n 1`], { env, cwd: ROOT });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toHaveLength(1);
  });
});

async function fetchRaw(path: string): Promise<string> {
  const res = await fetch(`${sandbox.url}/api${path}`, {
    headers: { Authorization: `Basic ${Buffer.from(`cli:${SECRET}`).toString("base64")}`, Accept: "application/vnd.mambu.v2+json" },
  });
  return res.text();
}

/** A loopback server answering every request with one fixed JSON body (a tenant that sends `1500.00`). */
async function fakeMambu(body: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/vnd.mambu.v2+json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
