// The custom fields of a Mambu tenant, for mambu-ts: written by `mambu types` from the tenant's custom field
// sets and definitions. Do not edit: run `mambu types --out <this file>` again when they change.
// Keep it in your project (tsconfig "include"): then `client.Age` is typed, and a misspelt field does not compile.
// Values are typed as mambu-ts types them once the definitions are registered (`await loadCustomFieldDefinitions()`):
// NUMBER → Decimal, DATE → DateTime, CHECKBOX → boolean, SELECTION → its values, others → string; before that they
// are the strings Mambu sent. Names not declared here: entity.customField("name").

import type { Chain, Decimal, MambuClient } from "mambu-ts";

declare module "mambu-ts" {
  interface MambuClientCustomFields {
    /** Set _Assets "Assets": Assets offered as guarantees (GROUPED: one row per entry). */
    get _Assets(): Array<{ ASSETAGE?: Decimal; ASSETVALUE?: Decimal; ASSETYPE?: string }> | undefined;
    set _Assets(value: Array<{ ASSETAGE?: Decimal | number | string; ASSETVALUE?: Decimal | number | string; ASSETYPE?: string }> | undefined);
    /** The rows of _Assets. */
    get Assets(): Array<{ ASSETAGE?: Decimal; ASSETVALUE?: Decimal; ASSETYPE?: string }> | undefined;
    set Assets(value: Array<{ ASSETAGE?: Decimal | number | string; ASSETVALUE?: Decimal | number | string; ASSETYPE?: string }> | undefined);
    /** ASSETAGE "Asset age": Years (NUMBER, in _Assets), of row N: ASSETAGE_0, ASSETAGE_1, ... (written as a Decimal). */
    [row: `ASSETAGE_${number}`]: Decimal | undefined;
    /** ASSETVALUE "Asset value": Estimated value (NUMBER, in _Assets), of row N: ASSETVALUE_0, ASSETVALUE_1, ... (written as a Decimal). */
    [row: `ASSETVALUE_${number}`]: Decimal | undefined;
    /** ASSETYPE "Asset type": Land, car, house... (FREE_TEXT, in _Assets), of row N: ASSETYPE_0, ASSETYPE_1, ... (written as a string). */
    [row: `ASSETYPE_${number}`]: string | undefined;
    /** Set _Guarantor "Guarantor": Guarantor of the client (STANDARD). */
    get _Guarantor(): { GuarantorClient?: string } | undefined;
    set _Guarantor(value: { GuarantorClient?: string } | undefined);
    /** GuarantorClient "Guarantor": A client who guarantees this one (CLIENT_LINK, in _Guarantor). */
    get GuarantorClient(): string | undefined;
    set GuarantorClient(value: string | undefined);
    /** The MambuClient that GuarantorClient links to. */
    getGuarantorClient(row?: number): Chain<MambuClient>;
    /** Set _OtherDetails "Other Details": Scoring data (STANDARD). */
    get _OtherDetails(): { Age?: Decimal; EmployerName?: string } | undefined;
    set _OtherDetails(value: { Age?: Decimal | number | string; EmployerName?: string } | undefined);
    /** Age: Age of the client in years (NUMBER, in _OtherDetails). */
    get Age(): Decimal | undefined;
    set Age(value: Decimal | number | string | undefined);
    /** EmployerName "Employer name": Where the client works (FREE_TEXT, in _OtherDetails). */
    get EmployerName(): string | undefined;
    set EmployerName(value: string | undefined);
  }

  interface MambuGroupCustomFields {
    /** Set _group_details "Group details" (STANDARD). */
    get _group_details(): { industry?: "agriculture" | "arboriculture" | "commerce" } | undefined;
    set _group_details(value: { industry?: "agriculture" | "arboriculture" | "commerce" } | undefined);
    /** industry "Industry": Main activity of the group (SELECTION, in _group_details). */
    get industry(): "agriculture" | "arboriculture" | "commerce" | undefined;
    set industry(value: "agriculture" | "arboriculture" | "commerce" | undefined);
  }

  interface MambuLoanCustomFields {
    /** Set _loanPerformanceScore "Loan performance score" (STANDARD). */
    get _loanPerformanceScore(): { amountScore?: Decimal; timeScore?: Decimal } | undefined;
    set _loanPerformanceScore(value: { amountScore?: Decimal | number | string; timeScore?: Decimal | number | string } | undefined);
    /** amountScore "Amount score" (NUMBER, in _loanPerformanceScore). */
    get amountScore(): Decimal | undefined;
    set amountScore(value: Decimal | number | string | undefined);
    /** timeScore "Time score" (NUMBER, in _loanPerformanceScore). */
    get timeScore(): Decimal | undefined;
    set timeScore(value: Decimal | number | string | undefined);
  }
}
