/**
 * The guided tour (`npm run demo`): starts the embedded sandbox in this process, points mambu-ts at
 * it, and walks through the everyday recipes — a client with its custom fields, listing and
 * searching loans, approving, disbursing and repaying a loan, and its schedule. Exits 0 on success.
 */
import { inspect } from "node:util";
import { Decimal, MambuClient, MambuConnector, MambuError, MambuLoan, MambuTsError } from "../index";
import type { MambuInstallment } from "../entities/installment";
import { startSandbox } from "../sandbox";
import { renderTable } from "./table";

const say = (s = ""): void => void process.stdout.write(s + "\n");
const title = (s: string): void => say(`\n== ${s} ${"=".repeat(Math.max(0, 70 - s.length))}`);

/** Runs the tour against a fresh sandbox; resolves when done. */
export async function runDemo(): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  const connector = new MambuConnector({ apiurl: sandbox.url, apiuser: "demo", apipwd: "demo" });
  try {
    say(`Mambu sandbox listening on ${sandbox.url} (user demo / password demo)`);
    say(`In your own code: MAMBU_API_URL=${sandbox.url} MAMBU_API_USER=demo MAMBU_API_PWD=demo`);

    title("1. A client, with its custom fields flattened");
    say(`> const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL" })`);
    const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector });
    say(`${client.firstName} ${client.lastName} (${client.id}), ${client.state}, born ${client.birthDate?.toISODate()}`);
    // client.Age etc. are typed in a project with the tenant's types (mambu types); here, by name
    say(`client._OtherDetails = ${inspect(client.customField("_OtherDetails"))}`);
    say(`client.Age = ${inspect(client.customField("Age"))}   (reads through to the set)`);
    say(`client.Assets = ${inspect(client.customField("Assets"), { breakLength: 200 })}`);
    say(`client.ASSETAGE_0 = ${inspect(client.customField("ASSETAGE_0"))}`);
    client.setCustomField("Age", String(Number(client.customField("Age")) + 1));
    say(`> client.Age = "${String(client.customField("Age"))}"; client.pendingPatch()`);
    say(inspect(client.pendingPatch()));
    await client.patch();
    say(`patched; the branch, through the same connector: ${(await client.getAssignedBranch()).name}`);

    title("2. Listing and searching loans");
    say(`> await MambuLoan.getAll({ sortBy: "id:ASC" })`);
    const loans = await MambuLoan.getAll({ sortBy: "id:ASC", connector });
    say(renderTable(loans, [
      { header: "id", value: (l) => l.id },
      { header: "state", value: (l) => l.accountState },
      { header: "amount", value: (l) => l.loanAmount, align: "right" },
      { header: "holder", value: (l) => l.accountHolderType },
    ]));
    say(`\n> await MambuLoan.search({ filterCriteria: [{ field: "accountState", operator: "IN", values: ["ACTIVE", "ACTIVE_IN_ARREARS"] }] })`);
    const active = await MambuLoan.search({
      filterCriteria: [{ field: "accountState", operator: "IN", values: ["ACTIVE", "ACTIVE_IN_ARREARS"] }],
      connector,
    });
    say(`${active.length} active loans: ${active.map((l) => `${l.id} (${l.accountState})`).join(", ")}`);

    title("3. Approve, disburse and repay a loan");
    const pending = loans.find((l) => l.accountState === "PENDING_APPROVAL");
    if (!pending) throw new MambuTsError("the demo tenant has no loan pending approval");
    say(`loan ${pending.id}: ${pending.accountState}, ${pending.loanAmount.toFixed(2)}`);
    await pending.approve("approved in the demo");
    say(`> await loan.approve("approved in the demo")          → ${pending.accountState}`);
    const disbursement = await pending.disburse({ notes: "demo disbursement" });
    say(`> await loan.disburse({ notes: "demo disbursement" }) → ${pending.accountState}, transaction ${disbursement.id} ${disbursement.type} ${disbursement.amount?.toFixed(2)}`);
    const repayment = await pending.repay(new Decimal("250.00"), { notes: "first payment" });
    say(`> await loan.repay(new Decimal("250.00"))            → transaction ${repayment.id} ${repayment.type} ${repayment.amount?.toFixed(2)}`);
    say(`balances: principal ${pending.balances?.principalBalance?.toFixed(2)}, interest due ${pending.balances?.interestDue?.toFixed(2)}`);

    title(`4. The schedule of loan ${pending.id}`);
    say(`> await MambuLoan.get("${pending.id}").getSchedule()`);
    const schedule: MambuInstallment[] = await MambuLoan.get(pending.id as string, { connector }).getSchedule();
    say(renderTable(schedule, [
      { header: "#", value: (i) => i.number, align: "right" },
      { header: "due", value: (i) => i.dueDate },
      { header: "state", value: (i) => i.state },
      { header: "principal", value: (i) => i.principal?.amount?.expected, align: "right" },
      { header: "interest", value: (i) => i.interest?.amount?.expected, align: "right" },
      { header: "paid", value: (i) => sum(i.principal?.amount?.paid, i.interest?.amount?.paid, i.fee?.amount?.paid, i.penalty?.amount?.paid), align: "right" },
    ]));
    const total = schedule.reduce((acc, i) => acc.plus(i.principal?.amount?.expected ?? 0), new Decimal(0));
    say(`principal of all installments: ${total.toFixed(2)} = loan amount ${pending.loanAmount.toFixed(2)}`);

    title("5. Errors are typed");
    try {
      await MambuClient.get("I DONT EXIST", { connector });
    } catch (e) {
      if (!(e instanceof MambuError)) throw e;
      say(`MambuClient.get("I DONT EXIST") → ${e.name}: ${e.message}`);
    }
    say("\nDone. Next: README.md (configuration, custom fields, pagination, cookbook).");
  } finally {
    connector.close();
    await sandbox.stop();
  }
}

function sum(...xs: Array<Decimal | undefined>): Decimal {
  return xs.reduce<Decimal>((a, x) => (x ? a.plus(x) : a), new Decimal(0));
}

if (require.main === module) {
  runDemo().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
