/** The mambu-sandbox command line: options → sandbox options, and --help. */
import { parseSandboxArgs, sandboxMain } from "../../lib/cli/sandbox-command";

describe("mambu-sandbox arguments", () => {
  it("defaults to port 7070 and the demo tenant", () => {
    expect(parseSandboxArgs([])).toEqual({ port: 7070 });
  });

  it("reads every option", () => {
    const o = parseSandboxArgs(["--port", "0", "--seed", "s.json", "--tls", "--latency", "50±20", "--fault-rate=0.2", "--persist", "state.json", "--generate", "clients=20000,loans=100"]);
    expect(o.port).toBe(0);
    expect(o.data).toBe("s.json");
    expect(o.tls).toBe(true);
    expect(o.persist).toBe("state.json");
    expect(o.generate).toEqual({ clients: 20000, loans: 100 });
    expect(o.faults).toMatchObject({ latencyMs: 50, jitterMs: 20, rate429: 0.1, rate5xx: 0.1 });
    expect(parseSandboxArgs(["--empty"]).data).toBe("empty");
    expect(parseSandboxArgs(["--latency", "30"]).faults).toEqual({ latencyMs: 30 });
  });

  it("rejects bad input", () => {
    expect(() => parseSandboxArgs(["--port", "x"])).toThrow(/--port/);
    expect(() => parseSandboxArgs(["--latency", "fast"])).toThrow(/--latency/);
    expect(() => parseSandboxArgs(["--fault-rate", "2"])).toThrow(/--fault-rate/);
    expect(() => parseSandboxArgs(["--generate", "planets=3"])).toThrow(/--generate/);
    expect(() => parseSandboxArgs(["--bogus"])).toThrow(/unknown option/);
  });

  it("prints help", async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    try {
      await sandboxMain(["--help"]);
    } finally {
      spy.mockRestore();
    }
    expect(out.join("")).toMatch(/^Usage: mambu-sandbox/);
    expect(out.join("")).toContain("X-Sandbox-Fault");
  });
});
