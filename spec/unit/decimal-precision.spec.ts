/**
 * Exact money means exact arithmetic: the exported Decimal computes with enough digits that sums of
 * Mambu amounts are exact, every Decimal read from Mambu is of that class, and a Decimal from plain
 * decimal.js is still taken when writing.
 */
import DecimalJs from "decimal.js";
import {
  clearCustomFieldTypes, Decimal, MambuClient, MambuLoan, parseJsonExact, registerCustomFieldTypes, stringifyExact,
} from "../../lib";
import { fixture } from "../helpers/mambu";

function loanFromText(over: string): MambuLoan {
  const text = fixture("loan-full.json").replace(/\}\s*$/, `, ${over} }`);
  return MambuLoan.fromWire(parseJsonExact(text) as Record<string, unknown>);
}

afterEach(() => clearCustomFieldTypes());

describe("the exported Decimal", () => {
  test("adds amounts of more than 20 significant digits exactly", () => {
    expect(new Decimal("12345678901234567890123.45").plus("0.01").toFixed()).toBe("12345678901234567890123.46");
    expect(new Decimal("99999999999999999999999999.99").minus("-0.01").toFixed()).toBe("100000000000000000000000000");
    // plain decimal.js (20 digits) would give 12345678901234567890000
    expect(new DecimalJs("12345678901234567890123.45").plus("0.01").toFixed()).not.toBe("12345678901234567890123.46");
  });

  test("is exact up to the documented bound: results of up to 100 significant digits", () => {
    expect(Decimal.precision).toBe(100);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP);
    const a = "1" + "2345678901".repeat(4) + ".123456789"; // 50 significant digits
    const b = "9" + "8765432109".repeat(4) + ".987654321";
    expect(new Decimal(a).times(b).toFixed()).toBe((BigInt(a.replace(".", "")) * BigInt(b.replace(".", ""))).toString().replace(/(\d{18})$/, ".$1"));
    const max = "9".repeat(90) + "." + "9".repeat(10); // 100 digits
    expect(new Decimal(max).minus(max).plus(max).toFixed()).toBe(max);
    let sum = new Decimal(0);
    for (let i = 0; i < 1000; i++) sum = sum.plus("0.01").plus("123456789012345678901234567890");
    expect(sum.toFixed()).toBe("123456789012345678901234567890010");
  });

  test("never prints in exponent form", () => {
    expect(new Decimal("0.0000001").toString()).toBe("0.0000001");
    expect(new Decimal("1e30").toString()).toBe("1000000000000000000000000000000");
    expect(String(new Decimal("-1.5e-12"))).toBe("-0.0000000000015");
    expect(JSON.stringify({ a: new Decimal("1e25") })).toBe('{"a":"10000000000000000000000000"}');
  });
});

describe("every Decimal read from Mambu is of the exported class", () => {
  test("amounts (exact text, plain numbers, numeric strings, nested) compute exactly", () => {
    const loan = loanFromText('"loanAmount": 12345678901234567890123.45');
    expect(loan.loanAmount).toBeInstanceOf(Decimal);
    expect((loan.loanAmount as unknown as { constructor: unknown }).constructor).toBe(Decimal);
    expect(loan.loanAmount!.plus("0.01").toFixed()).toBe("12345678901234567890123.46");
    const nested = loan.balances!.interestBalance!; // 12345678901234567.89 (a RawNumber on the wire)
    expect((nested as unknown as { constructor: unknown }).constructor).toBe(Decimal);
    expect(nested.plus("1234567.11").toFixed()).toBe("12345678902469135");
    const plain = MambuLoan.fromWire({ id: "1", loanAmount: 1500, interestSettings: { interestRate: "12345678901234567890.5" } });
    expect((plain.loanAmount as unknown as { constructor: unknown }).constructor).toBe(Decimal);
    expect(plain.interestSettings!.interestRate!.plus("0.25").toFixed()).toBe("12345678901234567890.75");
  });

  test("integers too long for a double, and NUMBER custom fields", () => {
    const loan = loanFromText('"daysInArrears": 123456789012345678901234');
    expect((loan.daysInArrears as unknown as DecimalJs).plus(1).toFixed()).toBe("123456789012345678901235");
    registerCustomFieldTypes({ Income: "NUMBER" });
    const c = MambuClient.fromWire({ id: "1", _Details: { Income: "98765432109876543210987.65" } });
    const income = (c as unknown as Record<string, DecimalJs>).Income;
    expect((income as unknown as { constructor: unknown }).constructor).toBe(Decimal);
    expect(income.plus("0.35").toFixed()).toBe("98765432109876543210988");
  });

  test("the exact sum goes back to Mambu with every digit", () => {
    const loan = loanFromText('"loanAmount": 12345678901234567890123.45');
    loan.loanAmount = loan.loanAmount!.plus("0.01");
    expect(stringifyExact(loan.toJSON().loanAmount)).toBe("12345678901234567890123.46");
  });
});

describe("a Decimal from plain decimal.js is still taken when writing", () => {
  test("for amounts and custom fields", () => {
    const loan = loanFromText('"loanAmount": 1.00');
    loan.loanAmount = new DecimalJs("2000.10") as unknown as Decimal;
    expect(stringifyExact(loan.toJSON().loanAmount)).toBe("2000.1");
    const c = MambuClient.fromWire({ id: "1", _Details: { Income: "1" } });
    (c as unknown as Record<string, unknown>).Income = new DecimalJs("12345678901234567890123.45");
    expect((c.toJSON()._Details as Record<string, unknown>).Income).toBe("12345678901234567890123.45");
    expect(DecimalJs.isDecimal(new Decimal(1)) && Decimal.isDecimal(new DecimalJs(1))).toBe(true);
  });
});
