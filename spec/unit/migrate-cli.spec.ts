/** The mambu-migrate command line: options, fault specs, usage errors and exit codes. */
import { main, parseArgs, parseFaults, USAGE } from "../../lib/migrate/cli";

describe("mambu-migrate arguments", () => {
  it("reads every option", () => {
    expect(
      parseArgs([
        "plan.yaml", "--check", "--skip-invalid", "--resume", "--reconcile", "--target", "sandbox", "--sandbox-faults", "429=0.05,5xx=0.04,drop=0.01,latency=5,jitter=2,retry-after=1,seed=7",
        "--sandbox-state=s.json", "--concurrency", "16", "--rate", "20/s", "--retries", "3", "--workdir", "w", "--report", "r.json", "--tenant-offset", "-06:00", "--progress", "lines", "--progress-interval", "2",
      ]),
    ).toEqual({
      plan: "plan.yaml",
      check: true,
      skipInvalid: true,
      resume: true,
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
