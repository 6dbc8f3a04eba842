/**
 * Bulk deposits and the migration: Mambu's bulk endpoint (`POST /deposits/deposit-transactions:bulk`) takes rows
 * without a value date (`DepositTransactionBulkableInputDTO`: accountId, amount, externalId, notes, payment and
 * transaction details), so Mambu books each on the day it processes the bulk. A deposit history keeps its value
 * dates only one POST per deposit: the run posts them so, and the onboarding pack says the bulk endpoint is not
 * used, for how many deposits, and why. The ORM refuses a bulk row with a value date before anything is sent.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { MambuDeposit, MambuTsError } from "../../lib";
import { runMigration } from "../../lib/migrate";
import { demoConnector } from "../helpers/sandbox-connector";
import { demoTarget, DEPOSIT_MAPPING, DEPOSIT_TRANSACTION_MAPPING, depositTransactionsOf, editPlan, quiet, sandboxPerSuite } from "./migrate-book-helpers";
import { subsetExample } from "./migrate-helpers";

jest.setTimeout(180_000);

const DEPOSITS = [
  "deposit_id,holder_id,product,currency,opening_balance,opening_date",
  "MIG-D0001,MIG-C0001,SAVINGS,MXN,1500.00,2025-01-15",
  "MIG-D0002,MIG-C0002,SAVINGS,MXN,0,",
].join("\n");

const HISTORY = [
  "deposit_id,kind,amount,value_date",
  "MIG-D0001,DEPOSIT,200.00,2025-02-01",
  "MIG-D0001,DEPOSIT,300.00,2025-02-02",
  "MIG-D0001,WITHDRAWAL,100.00,2025-02-03",
  "MIG-D0001,DEPOSIT,50.00,2025-02-04",
  "MIG-D0002,DEPOSIT,75.25,2025-03-05",
].join("\n");

function planWithHistory(): string {
  const dir = subsetExample(3);
  writeFileSync(join(dir, "deposits.csv"), `${DEPOSITS}\n`);
  writeFileSync(join(dir, "deposit-history.csv"), `${HISTORY}\n`);
  return editPlan(dir, { sources: { deposits: "deposits.csv", depositTransactions: "deposit-history.csv" }, mapping: [...DEPOSIT_MAPPING, ...DEPOSIT_TRANSACTION_MAPPING] });
}

const sb = sandboxPerSuite();
const conn = () => demoTarget(sb);

it("the pack reports the bulk deposit endpoint unused, for how many deposits and why; the run posts each deposit on its value date", async () => {
  const plan = planWithHistory();
  const tmp = mkdtempSync(join(tmpdir(), "mig-dep-bulk-"));
  const r = await runMigration(plan, { ...quiet, ...conn(), pack: join(tmp, "pack") });
  expect(r.exitCode).toBe(0);
  const pack = r.pack!.content;
  // one opening and four deposits: one POST each, in both flows
  expect(pack.calls.bulk).toEqual({ endpoint: "POST /api/deposits/deposit-transactions:bulk", used: false, rows: 5, saved: 0, reason: expect.stringMatching(/no valueDate/) });
  expect(pack.calls.default.byEndpoint["POST /api/deposits/{id}/deposit-transactions"]).toBe(pack.calls.bulk.rows);
  expect(pack.calls.earlier.byEndpoint["POST /api/deposits/{id}/deposit-transactions"]).toBe(pack.calls.bulk.rows);
  const md = readFileSync(join(tmp, "pack", "pack.md"), "utf8");
  expect(md).toContain("Bulk deposits (`POST /api/deposits/deposit-transactions:bulk`): not used, 0 requests saved for the 5 deposits.");
  expect(JSON.parse(readFileSync(join(tmp, "pack", "pack.json"), "utf8")).calls.bulk.rows).toBe(5);

  const run = await runMigration(plan, { ...quiet, ...conn(), workdir: join(tmp, "work"), reconcile: true });
  expect(run.failed).toEqual([]);
  expect(run.summary?.requests).toBe(pack.calls.default.total);
  expect(sb.store.all("bulks")).toHaveLength(0);
  const txs = depositTransactionsOf(sb, "MIG-D0001");
  expect(txs.map((t) => [t.type, String(t.valueDate).slice(0, 10)])).toEqual([
    ["DEPOSIT", "2025-01-15"],
    ["DEPOSIT", "2025-02-01"],
    ["DEPOSIT", "2025-02-02"],
    ["WITHDRAWAL", "2025-02-03"],
    ["DEPOSIT", "2025-02-04"],
  ]);
  expect(run.reconciliation?.equal).toBe(true);
});

it("a plan without deposits says nothing of bulk deposits", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "mig-dep-bulk-none-"));
  const r = await runMigration(join(subsetExample(2), "plan.yaml"), { ...quiet, ...conn(), pack: join(tmp, "pack") });
  expect(r.exitCode).toBe(0);
  expect(r.pack!.content.calls.bulk.rows).toBe(0);
  expect(readFileSync(join(tmp, "pack", "pack.md"), "utf8")).not.toContain("Bulk deposits");
});

it("the ORM refuses a bulk deposit row with a value date (Mambu's bulk rows have none), sending nothing", async () => {
  const c = demoConnector(sb);
  try {
    const before = sb.store.all("bulks").length;
    const sent = MambuDeposit.bulkDeposit([{ accountId: "MIG-D0001", amount: "10.00", valueDate: "2025-02-01T00:00:00-06:00" } as never], { connector: c });
    await expect(sent).rejects.toThrow(MambuTsError);
    await expect(sent).rejects.toThrow(/valueDate/);
    expect(sb.store.all("bulks")).toHaveLength(before);
  } finally {
    c.close();
  }
});
