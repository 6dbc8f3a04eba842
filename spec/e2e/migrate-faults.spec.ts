/**
 * Under faults: with 10% of the requests failing (5% answered 429 with Retry-After, 4% a 5xx, 1%
 * dropped connections) and some repayments processed but their answers lost (the connection dropped
 * after the work), the example plan completes with exactly the tenant of a run without faults.
 */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import { startSandbox } from "../../lib/sandbox";
import { examplePlanReference } from "../helpers/example-plan-reference";
import { duplicates, EXAMPLE_PLAN, tenantPicture } from "./migrate-helpers";

// a bound against a hung run only: nothing here depends on time (the faults go by request count)
jest.setTimeout(600_000);

it("completes with the same result as a run without faults", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "mig-faults-"));
  const quiet = { stdout: null, progress: "none" as const, concurrency: 16 };

  // the tenant of a run without faults (made once per jest run, shared with the other migration tests)
  const expected = await examplePlanReference();

  const sb = await startSandbox({ port: 0 });
  try {
    // The schedule of faults goes by request count, never by time: the first 20 requests (the
    // tenant's reference data) meet none, every later one may; the first POSTs of clients and
    // repayments are processed but their answers lost.
    const connection = { apiurl: sb.url, apiuser: "demo", apipwd: "demo" };
    // Retry-After 0.1 s (fractional seconds, which the connector reads): the 429s are still honoured
    // (the wait and the rate limiter's pause on overload), without a second's sleep each.
    sb.faults.set({ rate429: 0.05, retryAfterSeconds: 0.1, rate5xx: 0.04, dropRate: 0.01, seed: 11, afterRequests: 20 });
    sb.faults.injectNext("drop-after", 15, { method: "POST", path: /\/repayment-transactions$/ });
    sb.faults.injectNext("drop-after", 5, { method: "POST", path: /^\/clients$/ });
    let r;
    try {
      r = await runMigration(EXAMPLE_PLAN, { ...quiet, connection, tenantOffset: sb.clock.offset, workdir: join(tmp, "faulty"), reconcile: true });
    } finally {
      sb.faults.clear();
    }
    expect(r.failed.map((f) => f.reason)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summary!.throttled).toBeGreaterThan(50);
    expect(r.summary!.retries).toBeGreaterThan(200);
    expect(r.reconciliation?.equal).toBe(true);
    expect(duplicates(sb)).toEqual([]);
    expect(tenantPicture(sb)).toEqual(expected);
    process.stdout.write(`faults: ${r.summary!.elapsedSeconds.toFixed(1)} s, ${r.summary!.requests} requests, ${r.summary!.throttled} answered 429, ${r.summary!.retries} retried\n`);
  } finally {
    await sb.stop();
  }
});
