/** The migration's global rate limit: token bucket, overload slow-down, recovery, and rate parsing. */
import { parseRate, RateLimiter } from "../../lib/migrate";

/** A fake clock whose sleep advances it. */
function clock() {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => void (t += ms),
    slept,
  };
}

describe("parseRate", () => {
  it("reads per second, minute and hour", () => {
    expect(parseRate("20/s")).toBe(20);
    expect(parseRate("20")).toBe(20);
    expect(parseRate("1200/min")).toBe(20);
    expect(parseRate("72000/h")).toBe(20);
    expect(() => parseRate("fast")).toThrow(/expected e.g. 20\/s/);
    expect(() => parseRate("0/s")).toThrow();
  });
});

describe("RateLimiter", () => {
  it("spaces requests at the configured rate after the burst", async () => {
    const c = clock();
    const l = new RateLimiter({ rate: 10, now: c.now, sleep: c.sleep });
    const start = c.now();
    for (let i = 0; i < 12; i++) await l.take();
    // a burst of 2 (rate / 5), then one every 100 ms
    expect(c.now() - start).toBeGreaterThanOrEqual(1000);
    expect(c.now() - start).toBeLessThanOrEqual(1100);
  });

  it("does not wait without a limit", async () => {
    const c = clock();
    const l = new RateLimiter({ now: c.now, sleep: c.sleep });
    for (let i = 0; i < 100; i++) await l.take();
    expect(c.slept).toEqual([]);
    expect(l.currentRate).toBe(Infinity);
  });

  it("ignores a lone 429 among successes", () => {
    const c = clock();
    const l = new RateLimiter({ rate: 20, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 20; i++) l.observe(200);
    l.observe(429, 1000);
    expect(l.currentRate).toBe(20);
    expect(l.throttled).toBe(1);
    expect(l.slowDowns).toBe(0);
  });

  it("halves the rate and pauses everyone on a storm of 429s, then recovers", async () => {
    const c = clock();
    const l = new RateLimiter({ rate: 20, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 5; i++) l.observe(200);
    for (let i = 0; i < 4; i++) l.observe(429, 2000);
    expect(l.currentRate).toBe(10);
    expect(l.slowDowns).toBe(1);
    // at most one halving a second
    for (let i = 0; i < 4; i++) l.observe(429, 0);
    expect(l.currentRate).toBe(10);
    const before = c.now();
    await l.take();
    expect(c.now() - before).toBeGreaterThanOrEqual(2000); // everyone waited for the Retry-After
    for (let i = 0; i < 4; i++) l.observe(429, 0);
    expect(l.currentRate).toBe(5);
    // three quiet seconds, then +10% a second up to the limit
    c.advance(3000 + 5000);
    await l.take();
    expect(l.currentRate).toBeCloseTo(5 * Math.pow(1.1, 5), 5);
    c.advance(60_000);
    await l.take();
    expect(l.currentRate).toBe(20);
  });

  it("without a configured limit, slows down from the observed rate", async () => {
    const c = clock();
    const l = new RateLimiter({ now: c.now, sleep: c.sleep });
    for (let i = 0; i < 100; i++) {
      await l.take();
      c.advance(10); // 100 requests per second
    }
    for (let i = 0; i < 5; i++) l.observe(429);
    expect(l.currentRate).toBe(50);
  });
});
