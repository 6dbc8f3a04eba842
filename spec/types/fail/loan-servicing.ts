// Must not compile: each line marked `// error TS<code>: <text>` fails with that error (and no other line fails).
import { MambuLoan, MambuTransaction } from "mambu-ts";

export async function misuse(): Promise<void> {
  const loan = await MambuLoan.get("L1");
  await loan.reschedule({}); // error TS2345: Property 'loanAccount' is missing
  await loan.refinance({ loanAccount: {} }); // error TS2345: Property 'topUpAmount' is missing
  await loan.terminate({ notes: "x" }); // error TS2345: Property 'valueDate' is missing
  await loan.changePeriodicPayment(100, {}); // error TS2345: Property 'valueDate' is missing
  await loan.lock({ lockedOperations: ["APPLY_TAXES"] }); // error TS2322: Type '"APPLY_TAXES"' is not assignable
  const tx: MambuTransaction = await loan.reschedule({ loanAccount: {} }); // error TS2740: Type 'MambuLoan' is missing the following properties
  void tx;
}
