/**
 * End to end: the platform calls through the ORM against the sandbox — the application status, and the
 * end-of-day run putting the demo tenant's late loan into arrears on the sandbox clock.
 */
import { getApplicationStatus, MambuConnector, MambuError, MambuLoan, runEndOfDay } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

test("getApplicationStatus: the sandbox reads and writes", async () => {
  expect(await getApplicationStatus({ connector: conn })).toEqual({ dataAccessState: "WRITE_READ_STATE" });
});

test("runEndOfDay: runs the end of day on the sandbox clock (a late loan goes into arrears)", async () => {
  expect((await MambuLoan.get("54321", { connector: conn })).accountState).toBe("ACTIVE");
  sandbox.clock.advance({ days: 90 });
  expect(sandbox.store.find("loans", "54321")?.accountState).toBe("ACTIVE");
  expect(await runEndOfDay({ connector: conn })).toEqual({ state: "COMPLETE" });
  expect(sandbox.store.find("loans", "54321")?.accountState).toBe("ACTIVE_IN_ARREARS");
  expect((await MambuLoan.get("54321", { connector: conn })).accountState).toBe("ACTIVE_IN_ARREARS");
});

test("a wrong password is refused with Mambu's error", async () => {
  const bad = demoConnector(sandbox, { apipwd: "wrong", retries: 0 });
  try {
    await expect(runEndOfDay({ connector: bad })).rejects.toBeInstanceOf(MambuError);
  } finally {
    bad.close();
  }
});
