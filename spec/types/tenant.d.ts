// A made-up tenant's custom fields, declared as `mambu types` declares them (see README "Custom
// fields in TypeScript"): what the type tests compile with.
import type { Chain, Decimal, MambuClient } from "mambu-ts";

declare module "mambu-ts" {
  interface MambuClientCustomFields {
    get _Scoring(): { Score?: Decimal; Rating?: "A" | "B" } | undefined;
    set _Scoring(value: { Score?: Decimal | number | string; Rating?: "A" | "B" } | undefined);
    get Score(): Decimal | undefined;
    set Score(value: Decimal | number | string | undefined);
    get Rating(): "A" | "B" | undefined;
    set Rating(value: "A" | "B" | undefined);
    get _Assets(): Array<{ VALUE?: Decimal }> | undefined;
    set _Assets(value: Array<{ VALUE?: Decimal | number | string }> | undefined);
    [row: `VALUE_${number}`]: Decimal | undefined;
    getReferrer(row?: number): Chain<MambuClient>;
  }
}
