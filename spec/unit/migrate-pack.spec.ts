/** The onboarding pack's pieces: its command-line options, durations in words, exact JSON of sample bodies. */
import { parseArgs } from "../../lib/cli/migrate-command";
import { RawNumber } from "../../lib/core/json";
import { durationWords, exactJson } from "../../lib/migrate/pack-render";

describe("mambu-migrate --pack", () => {
  it("reads --pack and --force", () => {
    expect(parseArgs(["plan.yaml", "--pack", "out", "--force", "--rate", "20/s"])).toEqual({ plan: "plan.yaml", pack: "out", force: true, rate: "20/s" });
    expect(parseArgs(["plan.yaml", "--pack=out", "--target", "sandbox"])).toEqual({ plan: "plan.yaml", pack: "out", target: "sandbox" });
  });

  it("refuses --force without --pack, and --pack with --resume or --reconcile", () => {
    expect(() => parseArgs(["p", "--force"])).toThrow(/--force goes with --pack/);
    expect(() => parseArgs(["p", "--pack"])).toThrow(/--pack needs a value/);
    expect(() => parseArgs(["p", "--pack", "d", "--resume"])).toThrow(/--pack writes nothing to the tenant: it goes without --resume and --reconcile/);
    expect(() => parseArgs(["p", "--pack", "d", "--reconcile"])).toThrow(/--pack writes nothing/);
  });
});

describe("pack text", () => {
  it("says durations in words", () => {
    expect(durationWords(0)).toBe("0 s");
    expect(durationWords(59.2)).toBe("1 min");
    expect(durationWords(127)).toBe("2 min 7 s");
    expect(durationWords(3600)).toBe("1 h");
    expect(durationWords(3725)).toBe("1 h 2 min 5 s");
  });

  it("writes a body's exact numbers as sent, and strings as strings", () => {
    const body = { loanAmount: new RawNumber("35700.00"), n: 3, s: "1.50", nested: [{ amount: new RawNumber("0.10") }] };
    const text = exactJson(body);
    expect(text).toContain('"loanAmount": 35700.00,');
    expect(text).toContain('"amount": 0.10');
    expect(text).toContain('"s": "1.50"');
    expect(JSON.parse(text)).toEqual({ loanAmount: 35700, n: 3, s: "1.50", nested: [{ amount: 0.1 }] });
  });
});
