// Must not compile: each line marked `// error TS<code>: <text>` fails with that error (and no other line fails).
import { MambuClient, MambuLoan } from "mambu-ts";

export async function fields(): Promise<void> {
  const loan = await MambuLoan.get("54321");
  loan.loanAmont; // error TS2551: Property 'loanAmont' does not exist on type 'MambuLoan'. Did you mean 'loanAmount'?
  loan.loanAmount = true; // error TS2322: Type 'boolean' is not assignable to type 'string | number | Decimal'
  const n: number = loan.loanAmount; // error TS2322: Type 'Decimal' is not assignable to type 'number'
  loan.approvedDate = 20260115; // error TS2322: Type '20260115' is not assignable to type
  loan.accountState = "OPEN"; // error TS2322: Type '"OPEN"' is not assignable to type
  const client = await MambuClient.get("0512N0025");
  client["lastNme"]; // error TS2551: Property 'lastNme' does not exist on type 'MambuClient'. Did you mean 'lastName'?
  client.Age; // error TS2339: Property 'Age' does not exist on type 'MambuClient'
  void n;
}
