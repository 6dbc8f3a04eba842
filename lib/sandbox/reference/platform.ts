/**
 * The platform's own routes: application status (`GET /application/status`, always `WRITE_READ_STATE`: the
 * sandbox has no read-only maintenance mode) and the end-of-day cron (`POST /crons/eod:run`), which runs at once,
 * on the sandbox clock, the work the sandbox otherwise does lazily before each request: loans' arrears and
 * penalties, deposits' maturities, card authorization hold expiry, and the Payments gateway's due direct-debit
 * collections and standing-order executions and retries (payments/schedule.ts, run by app.ts before every
 * `/crons` request). It answers 202 `{ state: "COMPLETE" }` (Mambu
 * queues the processing; the sandbox has finished it when it answers). Running it again the same day changes nothing.
 */
import { loadEngine } from "../engine-bridge";
import type { Router } from "../router";

/** Registers `GET /application/status` and `POST /crons/eod:run`. */
export function registerPlatformRoutes(router: Router): void {
  router.add("GET", "/application/status", () => ({ status: 200, body: { dataAccessState: "WRITE_READ_STATE" } }));
  router.add("POST", "/crons/eod:run", (ctx) => {
    const engine = loadEngine();
    if (engine) {
      engine.refreshArrears(ctx);
      engine.matureDueDeposits(ctx);
      engine.expireAuthorizationHolds(ctx);
    }
    return { status: 202, body: { state: "COMPLETE" } };
  });
}
