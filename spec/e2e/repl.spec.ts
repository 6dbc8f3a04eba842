/**
 * The REPL as a user meets it: `mambu repl` (and `node -i -r mambu-ts/repl`) as child processes
 * driven through stdin/stdout against the embedded sandbox — what is loaded, top-level await,
 * how entities, lists, schedules and errors print, `.help`, `.config` masking, history, completion.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, MAMBU, ReplChild, ROOT, runNode, tempHome } from "./cli-helpers";

jest.setTimeout(60_000);

const SECRET = "repl-Secret-99";

let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, users: [{ username: "ana", password: SECRET }] });
  home = tempHome();
  env = cleanEnv(home, {
    MAMBU_API_URL: sandbox.url,
    MAMBU_API_USER: "ana",
    MAMBU_API_PWD: SECRET,
    MAMBU_REPL_HISTORY: join(home, "history"),
  });
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe("mambu repl", () => {
  let repl: ReplChild;

  beforeAll(async () => {
    repl = new ReplChild([MAMBU, "repl"], env);
    await repl.waitFor(/mambu> $/);
  });

  afterAll(async () => {
    if (repl.child.exitCode === null) {
      repl.send(".exit");
      await repl.exited;
    }
    expect(repl.out + repl.err).not.toContain(SECRET);
  });

  it("greets with where it is connected", () => {
    expect(repl.out).toMatch(new RegExp(`^mambu-ts \\d+\\.\\d+\\.\\d+: Mambu at ${sandbox.url.replace(/[.]/g, "\\.")}\\. Type \\.help for what is loaded\\.\\n`));
  });

  it("says on its second line that the Services and Payments APIs are loaded too", () => {
    expect(repl.out.split("\n")[1]).toBe(
      "Loaded: the API v2 entities (MambuClient, MambuLoan, ...), Services.* and services.* (the Services API, /v1), Payments.* and payments.* (the Payments API, /api/v1).",
    );
  });

  it("preloads the Services and Payments namespaces, their operations, and their classes by name where nothing clashes", async () => {
    expect(await repl.eval("[typeof Services, typeof services.currencies.listCurrencies, typeof Payments, typeof payments.standingOrders.getStandingOrderDetails].join()")).toBe("'object,function,object,function'\n");
    expect(await repl.eval("[Currency === Services.Currency, HoldConfig === Services.HoldConfig, StandingOrder === Payments.StandingOrder, CreditTransfer === Payments.CreditTransfer].join()")).toBe("'true,true,true,true'\n");
    expect(await repl.eval("MambuCurrency === Currency")).toBe("false\n"); // API v2's currency keeps its own name
  });

  it("prints Services records: a list as a table, one record with its dates and rates as the tables show them", async () => {
    expect(await repl.eval('(await Services.Currency.create({ code: "CHF", name: "Swiss franc", decimals: 2 })).code')).toBe("'CHF'\n");
    const rate = await repl.eval('await (await Currency.get("CHF")).createExchangeRate({ buyRate: "1.0512345678901234567", sellRate: "1.07", startTime: "2026-01-01T00:00:00Z" })');
    expect(rate).toMatch(/^ExchangeRate \{/);
    expect(rate).toContain("buyRate: 1.0512345678901234567");
    expect(rate).toContain("startTime: 2026-01-01");
    expect(rate).not.toContain("endTime");
    const list = await repl.eval("await Services.Currency.list()");
    expect(list).toMatch(/^\d+ × Services\.Currency\ncode +name +decimals\n/);
    expect(list).toMatch(/\nCHF +Swiss franc +2\n/);
  });

  it("has every entity class, mambuconfig, Decimal and DateTime in scope", async () => {
    expect(await repl.eval("[typeof MambuClient, typeof MambuLoan, typeof MambuBranch, typeof mambuconfig, typeof Decimal, typeof DateTime].join()")).toBe(
      "'function,function,function,object,function,function'\n",
    );
  });

  it("top-level await, and an entity printed readably (money with its decimals, dates with their offset)", async () => {
    expect(await repl.eval("const loan = await MambuLoan.get('54321')")).toBe("");
    const printed = await repl.eval("loan");
    expect(printed).toMatch(/^MambuLoan\(54321\) \{\n/);
    expect(printed).toContain("loanAmount: 1500.00,");
    expect(printed).toMatch(/creationDate: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+02:00,/);
    expect(printed).not.toMatch(/Symbol\(|\[CONN\]|connector/i);
    expect(await repl.eval("loan.loanAmount.plus('0.50').toFixed(2)")).toBe("'1500.50'\n");
  });

  it("a bare Decimal prints as money and a DateTime as ISO with its offset, alone or inside arrays and objects", async () => {
    expect(await repl.eval("loan.loanAmount")).toBe("1500.00\n");
    expect(await repl.eval("loan.creationDate")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+02:00\n$/);
    expect(await repl.eval("[loan.loanAmount, new Decimal('0.125')]")).toBe("[ 1500.00, 0.125 ]\n");
    expect(await repl.eval("({ total: loan.loanAmount, interestRate: loan.interestSettings.interestRate, at: DateTime.fromISO('2026-01-02T03:04:05+05:30', { setZone: true }) })")).toBe(
      "{ total: 1500.00, interestRate: 36, at: 2026-01-02T03:04:05+05:30 }\n",
    );
    // Only what the REPL prints changes: the values, and template strings, are JavaScript's.
    expect(await repl.eval("`${loan.loanAmount}`")).toBe("'1500'\n");
    expect(await repl.eval("loan.loanAmount.toFixed(2) === '1500.00' && typeof loan.creationDate.toISO()")).toBe("'string'\n");
  });

  it("custom fields flattened on an entity", async () => {
    expect(await repl.eval("(await MambuClient.get('0512N0025', { detailsLevel: 'FULL' })).Age")).toBe("'47'\n");
  });

  it("a list prints as a table, a schedule as a schedule", async () => {
    const list = await repl.eval("await MambuLoan.getAll({ sortBy: 'id:ASC' })");
    expect(list).toMatch(/^6 × MambuLoan\nid +loanName +accountState .*\n-+ /);
    expect(list).toMatch(/^54321 +Micro loan \(flat\) +ACTIVE +CLIENT +1500\.00 +500\.00 /m);
    const schedule = await repl.eval("await MambuLoan.get('54321').getSchedule()");
    expect(schedule).toMatch(/^schedule: 6 installments\nnumber +dueDate +state +principal +interest /);
    expect(schedule.match(/ PAID /g)).toHaveLength(4);
  });

  it("a lazy chain or list says how to run it", async () => {
    expect(await repl.eval("MambuLoan.get('54321')")).toBe('MambuLoan.get("54321") <lazy: put await in front to run it>\n');
    expect(await repl.eval("MambuLoan.getAll()")).toMatch(/<lazy: await it for an array, or for-await it to stream>/);
  });

  it("a Mambu error prints its code, status and reason, without a stack", async () => {
    const out = await repl.eval("await MambuClient.get('NOPE')");
    expect(out).toMatch(/^Uncaught MambuError: 301 \(404\) - INVALID_CLIENT_ID \{/);
    expect(out).toContain("errorReason: 'INVALID_CLIENT_ID'");
    expect(out).not.toMatch(/^\s+at /m);
    expect(await repl.eval("1 + 1")).toBe("2\n"); // and the session goes on
  });

  it(".help lists what is loaded and shows five examples (three of API v2, one of the Services API, one of the Payments API)", async () => {
    const out = await repl.eval(".help");
    expect(out).toMatch(/^Entities: .*MambuClient.*MambuLoan/m);
    expect(out).toMatch(/^Services API \(\/v1; operations as services\.<resource>\.<operationId>\): .*Services\.Currency.* \(also as .*Currency.*HoldConfig/m);
    expect(out).toMatch(/^Payments API \(\/api\/v1, API key only; operations as payments\.<resource>\.<operationId>\): .*Payments\.StandingOrder \(also as .*CreditTransfer.*StandingOrder\)$/m);
    expect(out).toMatch(/^Also: .*DateTime.*Decimal.*mambuconfig/m);
    expect(out.match(/^ {2}> /gm)).toHaveLength(5);
    expect(out).toMatch(/^ {2}\.config +The effective configuration/m);
  });

  it(".config shows values and sources with secrets masked; so does mambuconfig", async () => {
    const out = await repl.eval(".config");
    expect(out).toMatch(/^apiuser +ana +env MAMBU_API_USER$/m);
    expect(out).toMatch(/^apipwd +\*\*\*\* +env MAMBU_API_PWD$/m);
    expect(await repl.eval("mambuconfig")).toMatch(/apipwd: \*\*\*\* {2}\(env MAMBU_API_PWD\)/);
    expect(await repl.eval("mambuconfig.describe().find((e) => e.key === 'apipwd').value")).toBe("'****'\n");
  });

  it("piped lines run one after the other (awaits finish first), and the history file is kept", async () => {
    const from = repl.out.length;
    repl.send("let n = (await MambuClient.getAll()).length");
    repl.send("n * 2");
    await repl.waitFor(/^(?:mambu> )?20\nmambu> $/, from);
    repl.send(".exit");
    // Its input is piped, and a line threw earlier (the Mambu error above): the exit code says so.
    expect(await repl.exited).toBe(3);
    expect(existsSync(join(home, "history"))).toBe(true);
  });
});

describe("mambu repl < script", () => {
  it("exits 0 when every line ran, else with the code of the first error (3 Mambu, 1 other), after running every line", async () => {
    const ok = await runNode([MAMBU, "repl"], env, { input: "const c = await MambuClient.get('0512N0025')\nc.firstName\n" });
    expect(ok.stdout).toContain("'JOSEFA'");
    expect(ok.code).toBe(0);
    const mambuError = await runNode([MAMBU, "repl"], env, { input: "await MambuClient.get('NOPE')\nthrow new TypeError('later')\n'still ran'\n" });
    expect(mambuError.stdout).toMatch(/Uncaught MambuError: 301 \(404\) - INVALID_CLIENT_ID/);
    expect(mambuError.stdout).toContain("'still ran'");
    expect(mambuError.code).toBe(3);
    const typeError = await runNode([MAMBU, "repl"], env, { input: "null.x\n" });
    expect(typeError.stdout).toMatch(/Uncaught TypeError/);
    expect(typeError.code).toBe(1);
  });

  it("fits a list's table to COLUMNS", async () => {
    const r = await runNode([MAMBU, "repl"], { ...env, COLUMNS: "70" }, { input: "await MambuLoan.getAll()\n" });
    expect(r.code).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf("6 × MambuLoan")).split("\n").slice(1, 9);
    expect(table[0]).toMatch(/^id +loanN/);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(70);
  });
});

describe("other ways in", () => {
  it("mambu repl --sandbox points the session at an embedded sandbox", async () => {
    const repl = new ReplChild([MAMBU, "repl", "--sandbox"], cleanEnv(tempHome(), { MAMBU_REPL_HISTORY: "" }));
    await repl.waitFor(/mambu> $/);
    expect(repl.out).toMatch(/^mambu-ts [\d.]+: the embedded sandbox at http:\/\/127\.0\.0\.1:\d+ \(demo tenant, user demo\)/);
    expect(await repl.eval("(await MambuBranch.getAll()).map((b) => b.id).sort().join()")).toBe("'CCAZ,MTY'\n");
    expect(await repl.eval(".config")).toMatch(/^apiurl +http:\/\/127\.0\.0\.1:\d+ +code$/m);
    expect(await repl.close()).toBe(0);
  });

  it("node -i -r mambu-ts/repl loads the same globals, writer and commands into Node's own REPL", async () => {
    const r = await runNode(["-i", "-r", "mambu-ts/repl"], { ...env, NODE_REPL_HISTORY: "" }, {
      input: ["typeof MambuClient", "(await MambuLoan.get('54321')).accountState", "MambuLoan.get('54321')", ".config", ""].join("\n"),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("> 'function'\n");
    expect(r.stdout).toContain("> 'ACTIVE'\n");
    expect(r.stdout).toContain('MambuLoan.get("54321") <lazy: put await in front to run it>');
    expect(r.stdout).toMatch(/^apipwd +\*\*\*\* +env MAMBU_API_PWD$/m);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("tab completion offers an entity's fields, custom fields and a chain's methods", async () => {
    const script = `
      const { PassThrough } = require("stream");
      const { startRepl } = require("./dist/repl");
      (async () => {
        const input = new PassThrough(), output = new PassThrough();
        output.resume();
        const r = startRepl({ input, output, terminal: false, historyPath: "" });
        globalThis.c = await MambuClient.get("0512N0025", { detailsLevel: "FULL" });
        const out = {};
        for (const line of ["c.Ag", "c.firstN", "c.ASSETAGE", "c._Oth", "MambuLoan.get('54321').getSch", "c.refr"]) {
          out[line] = await new Promise((res, rej) => r.complete(line, (e, [list]) => (e ? rej(e) : res(list.filter(Boolean)))));
        }
        process.stdout.write(JSON.stringify(out));
        r.close();
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    const r = await runNode(["-e", script], env);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      "c.Ag": ["c.Age"],
      "c.firstN": ["c.firstName"],
      "c.ASSETAGE": ["c.ASSETAGE_0"],
      "c._Oth": ["c._OtherDetails"],
      "MambuLoan.get('54321').getSch": ["MambuLoan.get('54321').getSchedule"],
      "c.refr": ["c.refresh"],
    });
  });

  it("the package exports ./repl", () => {
    const pkg = require(join(ROOT, "package.json")) as { exports: Record<string, unknown>; bin: Record<string, string> };
    expect(pkg.exports["./repl"]).toEqual({ types: "./dist/repl.d.ts", default: "./dist/repl.js" });
    expect(pkg.bin.mambu).toBe("bin/mambu");
  });
});
