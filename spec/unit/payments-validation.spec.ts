/**
 * The checks made before a SEPA payment is sent (lib/entities/payments/validate.ts): IBAN (mod-97, country length,
 * electronic format), BIC (8 or 11), the EPC basic Latin character set, the contract's length limits, euros only
 * with two decimals, the required parties — each a MambuTsError naming the field, never echoing a name, an IBAN
 * only masked.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Decimal, MambuTsError } from "../../lib";
import {
  checkBic,
  checkEurAmount,
  checkIban,
  checkSepaPayment,
  checkSepaText,
  maskIban,
  SEPA_MAX_LENGTH,
} from "../../lib/entities/payments/validate";
import { checkCreditorIdentifier } from "../../lib/entities/payments/validate-collection";

const IBAN_DE = "DE89370400440532013000";
const IBAN_NL = "NL91ABNA0417164300";

function refusal(fn: () => unknown): MambuTsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MambuTsError);
    return e as MambuTsError;
  }
  throw new Error("expected a MambuTsError");
}

const valid = () => ({
  debtorAccount: { identification: { iban: IBAN_DE } },
  debtorName: "Erika Mustermann",
  creditorAccount: { identification: { iban: IBAN_NL } },
  creditorName: "Jan de Vries",
  instructedAmount: { amount: new Decimal("12.50"), currency: "EUR" },
  remittanceInformationUnstructured: "Invoice 2026/117",
});

describe("IBAN", () => {
  test("a valid IBAN passes", () => {
    expect(checkIban("debtorAccount.identification.iban", IBAN_DE)).toBe(IBAN_DE);
    expect(checkIban("x", "GB82WEST12345698765432")).toBe("GB82WEST12345698765432");
  });

  test("a wrong check digit (mod-97) is refused, the IBAN shown masked only", () => {
    const e = refusal(() => checkIban("creditorAccount.identification.iban", "DE89370400440532013001"));
    expect(e.message).toMatch(/^creditorAccount\.identification\.iban: /);
    expect(e.message).toMatch(/check digits/);
    expect(e.message).toContain("DE89…3001");
    expect(e.message).not.toContain("0532013001");
  });

  test("a wrong length for its country is refused", () => {
    expect(refusal(() => checkIban("a.iban", "DE8937040044053201300")).message).toMatch(/wrong length for its country \(DE\)/);
  });

  test("an unknown country, spaces, lower case, an empty or non-string value are refused", () => {
    expect(refusal(() => checkIban("i", "XX89370400440532013000")).message).toMatch(/not a country/);
    expect(refusal(() => checkIban("i", "DE89 3704 0044 0532 0130 00")).message).toMatch(/electronic format/);
    expect(refusal(() => checkIban("i", "de89370400440532013000")).message).toMatch(/electronic format/);
    expect(refusal(() => checkIban("i", "")).message).toMatch(/an IBAN is required/);
    expect(refusal(() => checkIban("i", 12345)).message).toMatch(/an IBAN is required/);
    expect(refusal(() => checkIban("i", "DE".padEnd(35, "0"))).message).toMatch(/at most 34/);
  });

  test("maskIban keeps the country, check digits and last four characters", () => {
    expect(maskIban(IBAN_DE)).toBe("DE89…3000");
    expect(maskIban("DE89")).toBe("…");
  });
});

describe("BIC", () => {
  test("8 and 11 characters pass", () => {
    expect(checkBic("b", "COBADEFF")).toBe("COBADEFF");
    expect(checkBic("b", "COBADEFFXXX")).toBe("COBADEFFXXX");
  });

  test("another length, a digit in the bank or country code, lower case or an unknown country are refused", () => {
    expect(refusal(() => checkBic("debtorAgent.institutionIdentification.bicfi", "COBADEFFX")).message).toMatch(
      /^debtorAgent\.institutionIdentification\.bicfi: a BIC has 8 or 11 characters \(this one has 9\)/,
    );
    expect(refusal(() => checkBic("b", "C0BADEFF")).message).toMatch(/not a valid BIC/);
    expect(refusal(() => checkBic("b", "COBA1EFF")).message).toMatch(/not a valid BIC/);
    expect(refusal(() => checkBic("b", "cobadeff")).message).toMatch(/capital letters and digits/);
    expect(refusal(() => checkBic("b", "COBAQQFF")).message).toMatch(/not a valid BIC/);
    expect(refusal(() => checkBic("b", undefined)).message).toMatch(/a BIC is required/);
  });
});

describe("SEPA text", () => {
  test("the EPC basic Latin set passes: letters, digits, / - ? : ( ) . , ' + and space", () => {
    const all = "abcxyzABCXYZ0189/-?:().,'+ ";
    expect(checkSepaText("remittanceInformationUnstructured", all)).toBe(all);
  });

  test.each(["Zoë Müller", "Smith & Sons", "a_b", "line\nbreak", "50%", "x@y", "€ 12", "tab\there", 'q"uote'])(
    "%j is refused, the value never echoed",
    (text) => {
      const e = refusal(() => checkSepaText("creditorName", text));
      expect(e.message).toMatch(/^creditorName: use only the SEPA character set/);
      expect(e.message).not.toContain(text);
    },
  );

  test("the contract's lengths: names 70, remittance 140, end-to-end id 35", () => {
    expect(checkSepaText("debtorName", "a".repeat(70))).toHaveLength(70);
    expect(refusal(() => checkSepaText("debtorName", "a".repeat(71))).message).toBe("debtorName: at most 70 characters (it has 71): shorten it");
    expect(checkSepaText("remittanceInformationUnstructured", "a".repeat(140))).toHaveLength(140);
    expect(refusal(() => checkSepaText("remittanceInformationUnstructured", "a".repeat(141))).message).toMatch(/at most 140/);
    expect(checkSepaText("paymentIdentification.endToEndIdentification", "E".repeat(35))).toHaveLength(35);
    expect(refusal(() => checkSepaText("paymentIdentification.endToEndIdentification", "E".repeat(36))).message).toMatch(
      /^paymentIdentification\.endToEndIdentification: at most 35/,
    );
  });

  test("every limit is the contract's maxLength for that field name, wherever the name appears", () => {
    const contract = JSON.parse(readFileSync(resolve(__dirname, "../../lib/contract/openapi/payments-v1.json"), "utf8"));
    const seen = new Map<string, Set<number>>();
    for (const schema of Object.values(contract.components.schemas) as Array<{ properties?: Record<string, { maxLength?: number }> }>) {
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        if (prop.maxLength === undefined) continue;
        if (!seen.has(name)) seen.set(name, new Set());
        seen.get(name)!.add(prop.maxLength);
      }
    }
    for (const [name, max] of Object.entries(SEPA_MAX_LENGTH)) {
      expect([name, [...(seen.get(name) ?? [])]]).toEqual([name, [max]]);
    }
  });
});

describe("amount", () => {
  test("a Decimal or a digit string in EUR passes, its digits kept", () => {
    const a = checkEurAmount("instructedAmount", { amount: new Decimal("999999999.99"), currency: "EUR" });
    expect(a.amount.toFixed()).toBe("999999999.99");
    expect(checkEurAmount("instructedAmount", { amount: "0.01", currency: "EUR" }).amount.toFixed()).toBe("0.01");
  });

  test("another currency, a number, zero, three decimals or above the SEPA maximum are refused", () => {
    expect(refusal(() => checkEurAmount("instructedAmount", { amount: "1", currency: "USD" })).message).toBe(
      'instructedAmount.currency: SEPA payments are in euros: give "EUR" (not "USD")',
    );
    expect(refusal(() => checkEurAmount("instructedAmount", { amount: 12.5, currency: "EUR" })).message).toMatch(/^instructedAmount\.amount: .*never a number/);
    expect(refusal(() => checkEurAmount("instructedAmount", { amount: "0", currency: "EUR" })).message).toMatch(/greater than zero/);
    expect(refusal(() => checkEurAmount("instructedAmount", { amount: "-1", currency: "EUR" })).message).toMatch(/string of digits/);
    expect(refusal(() => checkEurAmount("instructedAmount", { amount: "1.005", currency: "EUR" })).message).toMatch(/two decimals/);
    expect(refusal(() => checkEurAmount("instructedAmount", { amount: "1000000000", currency: "EUR" })).message).toMatch(/at most 999999999\.99/);
    expect(refusal(() => checkEurAmount("instructedAmount", undefined)).message).toMatch(/^instructedAmount: give the amount with its currency/);
  });
});

describe("a whole payment", () => {
  test("a valid payment passes; the copy to send writes the amount with the euro's two decimals, unchanged otherwise", () => {
    const fields = valid();
    const body = checkSepaPayment("", fields);
    expect(body).toEqual({ ...fields, instructedAmount: { amount: "12.50", currency: "EUR" } });
    expect(fields.instructedAmount.amount).toBeInstanceOf(Decimal); // the caller's object is not changed
    expect(checkSepaPayment("", { ...valid(), instructedAmount: { amount: new Decimal("7"), currency: "EUR" } }).instructedAmount).toEqual({ amount: "7.00", currency: "EUR" });
  });

  test("missing names or accounts name their field", () => {
    const { debtorName: _n, ...noName } = valid();
    expect(refusal(() => checkSepaPayment("", noName)).message).toMatch(/^debtorName: is required/);
    const { creditorAccount: _a, ...noAccount } = valid();
    expect(refusal(() => checkSepaPayment("", noAccount)).message).toMatch(/^creditorAccount: give the account/);
    expect(refusal(() => checkSepaPayment("payment.", { ...valid(), debtorAccount: { identification: {} } })).message).toMatch(
      /^payment\.debtorAccount\.identification\.iban: an IBAN is required/,
    );
  });

  test("nested fields are checked with their path: agents' BICs, end-to-end id, structured reference, account currency", () => {
    expect(refusal(() => checkSepaPayment("", { ...valid(), creditorAgent: { institutionIdentification: { bicfi: "BAD" } } })).message).toMatch(
      /^creditorAgent\.institutionIdentification\.bicfi: /,
    );
    expect(refusal(() => checkSepaPayment("", { ...valid(), paymentIdentification: { endToEndIdentification: "E2E#1" } })).message).toMatch(
      /^paymentIdentification\.endToEndIdentification: use only the SEPA character set/,
    );
    expect(refusal(() => checkSepaPayment("", { ...valid(), remittanceInformationStructured: { reference: "R".repeat(36) } })).message).toMatch(
      /^remittanceInformationStructured\.reference: at most 35/,
    );
    expect(refusal(() => checkSepaPayment("", { ...valid(), debtorAccount: { identification: { iban: IBAN_DE }, currency: "CHF" } })).message).toMatch(
      /^debtorAccount\.currency: a SEPA account is in euros/,
    );
    expect(refusal(() => checkSepaPayment("", { ...valid(), ultimateDebtor: "Ünal" })).message).toMatch(/^ultimateDebtor: use only/);
  });
});

describe("SEPA creditor identifier", () => {
  test("valid identifiers pass (the Bundesbank's and Banque de France's examples)", () => {
    expect(checkCreditorIdentifier("ci", "DE98ZZZ09999999999")).toBe("DE98ZZZ09999999999");
    expect(checkCreditorIdentifier("ci", "FR72ZZZ123456")).toBe("FR72ZZZ123456");
  });

  test("wrong check digits, lower case or a bad shape are refused without showing the value", () => {
    const e = refusal(() => checkCreditorIdentifier("creditorSchemeIdentification.identification.privateIdentification", "DE99ZZZ09999999999"));
    expect(e.message).toMatch(/check digits are wrong/);
    expect(e.message).not.toContain("09999999999");
    expect(refusal(() => checkCreditorIdentifier("ci", "de98zzz09999999999")).message).toMatch(/in capitals/);
    expect(refusal(() => checkCreditorIdentifier("ci", "DE98")).message).toMatch(/a country code, 2 check digits/);
    expect(refusal(() => checkCreditorIdentifier("ci", "")).message).toMatch(/is required/);
  });
});
