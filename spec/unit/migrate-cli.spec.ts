/** The mambu-migrate command line: options, fault specs, usage errors and exit codes; the progress display. */
import { main, parseArgs, parseFaults, USAGE } from "../../lib/cli/migrate-command";
import { reconciliationTable, summaryTable } from "../../lib/cli/migrate-output";
import { Decimal } from "../../lib/core/money";
import { formatReconciliation, formatSummary, METRICS, runMigration } from "../../lib/migrate";
import type { Figures, Reconciliation, Summary } from "../../lib/migrate";
import { formatDuration, Progress, statusLine } from "../../lib/migrate/progress";

describe("mambu-migrate arguments", () => {
  it("reads every option", () => {
    expect(
      parseArgs([
        "plan.yaml", "--check", "--skip-invalid", "--resume", "--allow-changed-plan", "--reconcile", "--target", "sandbox", "--sandbox-faults", "429=0.05,5xx=0.04,drop=0.01,latency=5,jitter=2,retry-after=1,seed=7",
        "--sandbox-state=s.json", "--concurrency", "16", "--rate", "20/s", "--retries", "3", "--workdir", "w", "--report", "r.json", "--tenant-offset", "-06:00", "--progress", "lines", "--progress-interval", "2",
      ]),
    ).toEqual({
      plan: "plan.yaml",
      check: true,
      skipInvalid: true,
      resume: true,
      allowChangedPlan: true,
      reconcile: true,
      target: "sandbox",
      sandbox: { faults: { rate429: 0.05, rate5xx: 0.04, dropRate: 0.01, latencyMs: 5, jitterMs: 2, retryAfterSeconds: 1, seed: 7 }, persist: "s.json" },
      concurrency: 16,
      rate: "20/s",
      retries: 3,
      workdir: "w",
      report: "r.json",
      tenantOffset: "-06:00",
      progress: "lines",
      progressInterval: 2,
    });
  });

  it("rejects bad input with a message", () => {
    expect(() => parseArgs(["p", "--target", "moon"])).toThrow(/--target: expected tenant or sandbox/);
    expect(() => parseArgs(["p", "--concurrency", "0"])).toThrow(/--concurrency: expected a positive whole number/);
    expect(() => parseArgs(["p", "--rate", "fast"])).toThrow(/rate: expected e.g. 20\/s/);
    expect(() => parseArgs(["p", "--sandbox-faults", "429=0.1"])).toThrow(/need --target sandbox/);
    expect(() => parseArgs(["p", "q"])).toThrow(/one plan at a time/);
    expect(() => parseArgs(["p", "--bogus"])).toThrow(/unknown option --bogus/);
    expect(() => parseArgs(["p", "--report"])).toThrow(/--report needs a value/);
    expect(() => parseArgs(["p", "--allow-changed-plan"])).toThrow(/--allow-changed-plan goes with --resume/);
    expect(() => parseArgs(["p", "--report", "--check"])).toThrow(/--report needs a value/);
    expect(() => parseArgs(["p", "--check=yes"])).toThrow(/--check takes no value/);
    expect(() => parseArgs(["p", "-x"])).toThrow(/unknown option -x/);
    expect(() => parseArgs(["p", "--tenant-offset", "06:00"])).toThrow(/--tenant-offset: expected ±HH:MM/);
    expect(parseArgs(["--tenant-offset", "+05:30", "p", "-h"])).toEqual({ plan: "p", tenantOffset: "+05:30", help: true });
    expect(() => parseArgs(["p", "--shard", "4/3"])).toThrow(/--shard: expected i\/n with 1 ≤ i ≤ n ≤ 1000 \(e\.g\. 2\/3\), got "4\/3"/);
    expect(() => parseArgs(["p", "--shard", "1/3", "--target", "sandbox"])).toThrow(/--shard needs a tenant that every shard writes to/);
    expect(parseArgs(["p", "--shard", "2/3", "--redact"])).toEqual({ plan: "p", shard: "2/3", redact: true });
    expect(() => parseFaults("429=2")).toThrow(/share between 0 and 1/);
    expect(() => parseFaults("lightning=1")).toThrow(/unknown fault "lightning"/);
  });

  it("exits 2 on usage errors and 0 on --help", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const o = jest.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    const e = jest.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
    try {
      expect(await main(["--help"])).toBe(0);
      expect(out.join("")).toBe(USAGE);
      expect(await main([])).toBe(2);
      expect(err.join("")).toMatch(/a plan file is required/);
      expect(await main(["--concurrency", "x", "p.yaml"])).toBe(2);
      expect(await main(["/nonexistent/plan.yaml"])).toBe(2);
      expect(out.join("")).toMatch(/the plan file does not exist/);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  });
});

describe("the end of a run on stdout", () => {
  const summary: Summary = {
    plan: "book",
    rows: { clients: 2, loans: 2 },
    units: { total: 2, done: 2, failed: 0, skipped: 0, resumed: 0 },
    steps: { total: 5, done: 5, created: 4, adopted: 1, journal: 0, failed: 0 },
    byStep: { client: { created: 2, adopted: 0, journal: 0 }, loan: { created: 2, adopted: 1, journal: 0 } },
    elapsedSeconds: 2,
    clients: 2,
    writes: 6,
    requests: 9,
    requestsPerClient: 4.5,
    writesPerClient: 3,
    requestsPerSecond: 4.5,
    throttled: 0,
    retries: 0,
  };
  const figures = (n: number): Figures => Object.fromEntries(METRICS.map((m) => [m, new Decimal(n)])) as Figures;
  const rec: Reconciliation = {
    equal: false,
    totals: { source: figures(2), tenant: { ...figures(2), loans: new Decimal(1) } },
    units: [
      { unit: "client:A", source: figures(1), tenant: figures(1), differences: [] },
      { unit: "client:B", source: figures(1), tenant: { ...figures(1), loans: new Decimal(0) }, differences: ["loans"] },
    ],
  };
  const tail = [
    "clients and groups: 2 done, 0 failed, 0 skipped (invalid) — of 2",
    "steps: 5 of 5 (4 created, 1 adopted, 0 from the journal)",
    "elapsed 0:02 (2.0 s), 9 requests, 4.5 req/s",
    "calls: 9 requests for 6 writes — 4.50 per client (the floor, one request per write: 3.00)",
  ];

  it("the command renders tables; the toolkit alone writes plain lines", () => {
    expect(summaryTable(summary).split("\n")).toEqual([
      "plan book: rows read — clients 2, loans 2",
      "step    created  adopted  journal",
      "------  -------  -------  -------",
      "client        2        0        0",
      "loan          2        1        0",
      ...tail,
    ]);
    expect(formatSummary(summary).split("\n")).toEqual(["plan book: rows read — clients 2, loans 2", "steps by kind (created+adopted+journal): client 2+0+0, loan 2+1+0", ...tail]);
    const table = reconciliationTable(rec).split("\n");
    expect(table[0]).toMatch(/^metric +source +tenant +difference$/);
    expect(table).toContain("loans                2       1          -1");
    expect(table.slice(-4)).toEqual(["1 of 2 clients and groups differ:", "unit      metric  source  tenant", "--------  ------  ------  ------", "client:B  loans        1       0"]);
    expect(formatReconciliation(rec).split("\n").slice(1)).toEqual(["1 of 2 clients and groups differ:", "  client:B: loans 1 / 0"]);
    expect(formatReconciliation(rec).split("\n")[0]).toMatch(/^reconciliation \(source \/ tenant\): holders 2 =, loans 2 \/ 1, loanAmount 2\.00 =, /);
  });

  it("a rehearsal from a script needs what starts its tenant", async () => {
    await expect(runMigration("/nonexistent/plan.yaml", { target: "sandbox", stdout: null })).resolves.toMatchObject({ exitCode: 2 });
    const plan = { id: "p", spec: {}, file: "p.yaml", dir: ".", hash: "", files: [], steps: new Set(), amountDecimals: 2 } as never;
    await expect(runMigration(plan, { target: "sandbox", stdout: null })).rejects.toThrow(/needs sandbox\.start.*startRehearsalSandbox from "mambu-ts\/sandbox"/);
  });
});

describe("progress", () => {
  const stats = () => ({
    startedAt: 1_000_000,
    units: { total: 300, done: 100, failed: 2, resumed: 0 },
    steps: { total: 2400, done: 800, created: 700, adopted: 50, journal: 50 },
    byStep: {},
    clients: 300,
    writes: 1100,
    requests: 1200,
    throttled: 3,
    retries: 5,
    failures: [],
  });

  it("shows steps, clients, rate and ETA", () => {
    expect(formatDuration(59)).toBe("0:59");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(Infinity)).toBe("--:--");
    // 750 live steps in 10 s: 1600 left → 21 s
    expect(statusLine(stats(), 1_010_000, 20)).toBe("33%  steps 800/2400  clients 102/300  failed 2  120.0 req/s  limit 20.0/s  429s 3  elapsed 0:10  ETA 0:21");
  });

  it("writes plain lines when not on a terminal, a bar on one", () => {
    const lines: string[] = [];
    const plain = new Progress(stats(), { stream: { write: (s: string) => (lines.push(s), true), isTTY: false } as unknown as NodeJS.WritableStream, mode: "auto" });
    plain.tick();
    plain.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^33%  steps 800\/2400 .*\n$/);
    const tty: string[] = [];
    const bar = new Progress(stats(), { stream: { write: (s: string) => (tty.push(s), true), isTTY: true, columns: 200 } as unknown as NodeJS.WritableStream, mode: "auto" });
    bar.stop();
    expect(tty.join("")).toMatch(/^\r\x1b\[K\[#{10}\.{20}\] 33%  steps 800\/2400 .*\n$/);
  });
});
