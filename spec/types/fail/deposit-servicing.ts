// Must not compile: each line marked `// error TS<code>: <text>` fails with that error (and no other line fails).
import { MambuCard, MambuCreditArrangement, MambuDeposit } from "mambu-ts";

export async function misuse(): Promise<void> {
  const dep = await MambuDeposit.get("DEP1");
  await dep.seize("BLK-1", 1, {}); // error TS2345: Property 'transactionChannelId' is missing
  await dep.changeInterestRate(3, {}); // error TS2345: Property 'valueDate' is missing
  await dep.getAuthorizationHolds({ status: "OPEN" }); // error TS2322: Type '"OPEN"' is not assignable
  const card = MambuCard.of("tok-1");
  await card.authorizationHolds.create({ amount: 1 }); // error TS2345: Property 'externalReferenceId' is missing
  const ca = await MambuCreditArrangement.get("CA1");
  await ca.setState("LOCK"); // error TS2345: Argument of type '"LOCK"' is not assignable
}
