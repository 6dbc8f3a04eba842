// Must compile: custom fields typed through the tenant's augmentation (tenant.d.ts), and by name.
import { Decimal, MambuClient } from "mambu-ts";

export async function customFields(): Promise<void> {
  const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL" });
  const score: Decimal | undefined = client.Score;
  client.Score = 48;
  client.Score = "48";
  client.Score = new Decimal(48);
  const rating: "A" | "B" | undefined = client.Rating;
  client.Rating = "B";
  const set: { Score?: Decimal; Rating?: "A" | "B" } | undefined = client._Scoring;
  client._Scoring = { Score: 7, Rating: "A" };
  const row: Decimal | undefined = client.VALUE_0;
  client.VALUE_1 = new Decimal(3);
  const referrer: MambuClient = await client.getReferrer();
  const untyped: unknown = client.customField("NotDeclared");
  client.setCustomField("NotDeclared", "x").setCustomField("_NewSet", { f: "v" });
  void [score, rating, set, row, referrer, untyped];
}
