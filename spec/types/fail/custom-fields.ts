// Must not compile: each line marked `// error TS<code>: <text>` fails with that error (and no other line fails).
import { Decimal, MambuClient, MambuLoan } from "mambu-ts";

export async function customFields(): Promise<void> {
  const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL" });
  client.Scor; // error TS2551: Property 'Scor' does not exist on type 'MambuClient'. Did you mean 'Score'?
  client.Rating = "C"; // error TS2322: Type '"C"' is not assignable to type '"A" | "B" | undefined'
  client.Score = true; // error TS2322: Type 'true' is not assignable
  const s: string | undefined = client.Score; // error TS2322: Type 'Decimal | undefined' is not assignable to type 'string | undefined'
  client._Scoring = { Scor: 1 }; // error TS2561: 'Scor' does not exist
  client.VALUE_0 = "3"; // error TS2322: Type 'string' is not assignable to type 'Decimal'
  client.VALUE_x; // error TS2339: Property 'VALUE_x' does not exist on type 'MambuClient'
  const loan = await MambuLoan.get("54321");
  loan.Score; // error TS2339: Property 'Score' does not exist on type 'MambuLoan'
  const n: Decimal = client.customField("Score"); // error TS2322: Type 'unknown' is not assignable to type 'Decimal'
  void s;
  void n;
}
