/** The mambu-migrate command line: options, fault specs, usage errors and exit codes; the progress display. */
import { main, parseArgs, parseFaults, USAGE } from "../../lib/migrate/cli";
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

describe("progress", () => {
  const stats = () => ({
    startedAt: 1_000_000,
    units: { total: 300, done: 100, failed: 2, resumed: 0 },
    steps: { total: 2400, done: 800, created: 700, adopted: 50, journal: 50 },
    byStep: {},
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
