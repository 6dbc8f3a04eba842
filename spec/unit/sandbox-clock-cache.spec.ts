/**
 * The sandbox clock's answer cache (lib/sandbox/clock.ts): `nowIso()`/`today()`/`now()` answer exactly what the
 * uncached computation answers — on a ticking clock as real time moves (within a second, across seconds and
 * midnight), and at once after `advance()`/`set()` on ticking and frozen clocks — while repeated calls within the
 * same virtual second do not format the instant again.
 */
import { DateTime, FixedOffsetZone } from "luxon";
import { isoWithOffset, parseOffset, SandboxClock } from "../../lib/sandbox/clock";

/** Real time as the clock reads it (Date.now), moved by the test. */
let realMs = Date.UTC(2026, 0, 15, 8, 0, 0, 250);
beforeEach(() => {
  realMs = Date.UTC(2026, 0, 15, 8, 0, 0, 250);
  jest.spyOn(Date, "now").mockImplementation(() => realMs);
});
afterEach(() => jest.restoreAllMocks());

/** What the clock must answer for the virtual instant `ms` (the uncached computation). */
function expected(ms: number, offset: string): { iso: string; today: string } {
  const dt = DateTime.fromMillis(ms, { zone: FixedOffsetZone.instance(parseOffset(offset)) });
  return { iso: isoWithOffset(dt), today: dt.toISODate() as string };
}

function expectAt(clock: SandboxClock, virtualMs: number): void {
  const e = expected(virtualMs, clock.offset);
  expect(clock.nowIso()).toBe(e.iso);
  expect(clock.today()).toBe(e.today);
  expect(clock.now().toMillis()).toBe(virtualMs);
  expect(clock.nowIso()).toBe(e.iso); // again, from the cache
}

describe("SandboxClock answer cache", () => {
  it("a ticking clock follows real time: within a second, across seconds and across the tenant's midnight", () => {
    const clock = new SandboxClock({ offset: "+02:00" }); // ticking, starts at real time
    const start = realMs;
    for (const step of [0, 1, 700, 49, 1, 1000, 999, 1, 60_000]) {
      realMs += step;
      expectAt(clock, realMs);
    }
    // 21:59:59.900 UTC → 23:59:59.900 +02:00, then 200 ms later the tenant's next day
    realMs = Date.UTC(2026, 0, 15, 21, 59, 59, 900);
    expectAt(clock, realMs);
    expect(clock.today()).toBe("2026-01-15");
    realMs += 200;
    expectAt(clock, realMs);
    expect(clock.today()).toBe("2026-01-16");
    expect(clock.nowIso()).toBe("2026-01-16T00:00:00+02:00");
    expect(start).toBeLessThan(realMs);
  });

  it("advance() and set() change the answers at once (same real millisecond), ticking or frozen", () => {
    for (const frozen of [false, true]) {
      const clock = new SandboxClock({ offset: "-05:30", start: "2026-03-01T10:00:00-05:30", frozen });
      const base = DateTime.fromISO("2026-03-01T10:00:00-05:30").toMillis();
      expectAt(clock, base);
      clock.advance({ minutes: 1 });
      expectAt(clock, base + 60_000);
      clock.advance({ days: 1 });
      expectAt(clock, base + 60_000 + 86_400_000);
      clock.advance({ hours: -2 });
      expectAt(clock, base + 60_000 + 86_400_000 - 7_200_000);
      clock.set("2026-04-02");
      expectAt(clock, DateTime.fromISO("2026-04-02T00:00:00-05:30").toMillis());
      clock.set("2026-04-02T12:34:56.789Z");
      expectAt(clock, Date.UTC(2026, 3, 2, 12, 34, 56, 789));
      expect(clock.nowIso()).toBe("2026-04-02T07:04:56-05:30");
      realMs += 1500; // real time moves: only the ticking clock moves with it
      expectAt(clock, Date.UTC(2026, 3, 2, 12, 34, 56, 789) + (frozen ? 0 : 1500));
    }
  });

  it("repeated answers within one virtual second are not formatted again", () => {
    const clock = new SandboxClock({ offset: "+02:00" });
    const toISO = jest.spyOn(DateTime.prototype, "toISO");
    const first = clock.nowIso();
    realMs += 10;
    for (let i = 0; i < 100; i++) expect(clock.nowIso()).toBe(first);
    expect(toISO).toHaveBeenCalledTimes(1);
    realMs += 1000; // the next second: formatted once more
    const next = expected(realMs, "+02:00").iso;
    toISO.mockClear();
    expect(clock.nowIso()).toBe(next);
    expect(clock.nowIso()).toBe(next);
    expect(toISO).toHaveBeenCalledTimes(1);
    toISO.mockClear();
    clock.advance({ minutes: 0 }); // any clock change drops the cache, even one to the same instant
    expect(clock.nowIso()).toBe(next);
    expect(toISO).toHaveBeenCalledTimes(1);
  });
});
