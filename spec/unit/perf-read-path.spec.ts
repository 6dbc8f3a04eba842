/**
 * The read path without a per-entity store for immutable values (issue 19): amounts, dates and
 * strings convert on each read from the wire value (recent Decimals and DateTimes shared by text),
 * while what a user assigns, and nested objects and lists a user may change in place, are kept —
 * and every value is the one the general code gives:
 * - Decimals of doubles made by scaling (no text made) against `new Decimal(number)`;
 * - DateTimes shared by wire text follow luxon's default locale when it changes;
 * - entities of several custom field layouts read in turn get each its own accessors.
 */
import fc from "fast-check";
import { DateTime, Settings } from "luxon";
import { Decimal, MambuLoan, parseJsonExact, registerCustomFieldTypes, clearCustomFieldTypes, stringifyExact } from "../../lib";
import { decimalFromNumber } from "../../lib/core/fast-decimal";
import { parseWireDate, parseWireDateTime } from "../../lib/core/coerce";
import { RecentByText } from "../../lib/core/recent";

/** decimal.js's own fields: what two Decimals must share to be the same Decimal. */
function fields(d: unknown): unknown {
  const x = d as { s: number; e: number; d: number[] | null; constructor: unknown };
  return { s: x.s, e: x.e, d: x.d, ctor: x.constructor === Decimal };
}

type Bag = Record<string, unknown>;
const loanOf = (json: string): MambuLoan & Bag => MambuLoan.fromWire(parseJsonExact(json) as Bag) as MambuLoan & Bag;

describe("Decimals of the numbers JSON.parse gave, made by scaling", () => {
  test("amounts and rates of up to 15 digits and 9 decimals: the same Decimal as new Decimal(number)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: 0, max: 12 }), (m, p) => {
        const n = m / 10 ** p;
        expect(fields(decimalFromNumber(n))).toEqual(fields(new Decimal(n)));
      }),
      { numRuns: 10000 },
    );
    for (const n of [0.1 + 0.2, 1e-7, 5e-10, 999999999999999, 1e15, 2 ** 53 + 2, 12345678.9, -0.5, 0.000123, 1 / 3]) {
      expect(fields(decimalFromNumber(n))).toEqual(fields(new Decimal(n)));
    }
  });
});

describe("fields read from the wire on each read, and what is kept", () => {
  const wire =
    '{"id":"L1","loanAmount":1500.00,"interestSettings":{"interestRate":24.5},"creationDate":"2024-03-01T10:15:30+02:00",' +
    '"disbursementDetails":{"expectedDisbursementDate":"2024-03-04T00:00:00+02:00","fees":[]},"accountState":"ACTIVE"}';

  test("amounts and dates read twice are equal; an assigned value reads back and is written; the rest goes back as read", () => {
    const loan = loanOf(wire);
    expect((loan.loanAmount as Decimal).toFixed()).toBe("1500");
    expect((loan.loanAmount as Decimal).eq(loan.loanAmount as Decimal)).toBe(true);
    expect((loan.creationDate as DateTime).toISO()).toBe("2024-03-01T10:15:30.000+02:00");
    expect((loan.creationDate as DateTime).equals(loan.creationDate as DateTime)).toBe(true);
    loan.loanAmount = new Decimal("2000.50");
    loan.accountState = "CLOSED";
    expect((loan.loanAmount as Decimal).toFixed(2)).toBe("2000.50");
    expect(loan.accountState).toBe("CLOSED");
    expect(stringifyExact(loan)).toBe(wire.replace("1500.00", "2000.5").replace('"ACTIVE"', '"CLOSED"'));
  });

  test("a nested object or list is the same one on every read: changes made in it are kept and written", () => {
    const loan = loanOf(wire);
    const dd = loan.disbursementDetails as Bag;
    expect(loan.disbursementDetails).toBe(dd);
    expect(loan.disbursementDetails && (loan.disbursementDetails as Bag).fees).toBe(dd.fees);
    (dd.fees as unknown[]).push({ amount: new Decimal("5.00") });
    (loan.interestSettings as Bag).interestRate = new Decimal("25.125");
    const out = JSON.parse(stringifyExact(loan)) as Bag;
    expect((out.disbursementDetails as Bag).fees).toEqual([{ amount: 5 }]);
    expect((out.interestSettings as Bag).interestRate).toBe(25.125);
  });
});

describe("DateTimes shared by wire text", () => {
  const locale = Settings.defaultLocale;
  afterEach(() => {
    Settings.defaultLocale = locale;
  });

  test("a wire text read again after luxon's default locale changed has the new locale, as a fresh parse", () => {
    const text = "2024-05-06T07:08:09+02:00";
    const date = "2024-05-06";
    Settings.defaultLocale = "en-US";
    expect((parseWireDateTime(text) as DateTime).locale).toBe("en-US");
    expect((parseWireDate(date) as DateTime).locale).toBe("en-US");
    Settings.defaultLocale = "fr-FR";
    expect((parseWireDateTime(text) as DateTime).locale).toBe("fr-FR");
    expect((parseWireDate(date) as DateTime).locale).toBe("fr-FR");
    expect((parseWireDateTime(text) as DateTime).toISO()).toBe(DateTime.fromISO(text, { setZone: true }).toISO());
  });
});

describe("custom field layouts read in turn", () => {
  afterEach(() => clearCustomFieldTypes());

  const rows = (n: number): string => Array.from({ length: n }, (_, i) => `{"name":"G${i}","income":"${i + 1}0.00"}`).join(",");
  const wire = (n: number, std = '"purpose":"Shop"'): string => `{"id":"L${n}","_Std":{${std}},"_Rows":[${rows(n)}]}`;

  test("each entity gets the accessors of its own layout, whatever was read before it", () => {
    registerCustomFieldTypes({ income: "NUMBER" });
    const texts = [wire(1), wire(3), wire(2), wire(1), wire(3), wire(0), wire(2, '"purpose":"Shop","name_0":"std"')];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const e = loanOf(text);
        const raw = JSON.parse(text) as { _Std: Bag; _Rows: Bag[] };
        expect((e.Rows as unknown[]).length).toBe(raw._Rows.length);
        for (let i = 0; i < 4; i++) {
          if (i < raw._Rows.length) {
            expect((e[`income_${i}`] as Decimal).toFixed(2)).toBe(`${i + 1}0.00`);
            // a standard field named like a flattened row field is flattened first (the row's stays in its set)
            expect(e[`name_${i}`]).toBe(i === 0 && "name_0" in raw._Std ? "std" : `G${i}`);
          } else {
            expect(`income_${i}` in e).toBe(false);
          }
        }
        expect(e.purpose).toBe("Shop");
        expect(stringifyExact(e)).toBe(text);
      }
    }
  });

  test("a field id moved from one set to another is a different layout", () => {
    const a = loanOf('{"id":"A","_S1":{"x":"1"},"_S2":{"y":"2"}}');
    const b = loanOf('{"id":"B","_S1":{"x":"1","_S2":"v"},"_S2":{"y":"2"}}');
    const c = loanOf('{"id":"C","_S1":{"x":"1"},"_S2":{"y":"2"}}');
    expect(a.y).toBe("2");
    expect(b.y).toBe("2");
    expect(c.x).toBe("1");
    expect((b._S1 as Bag)._S2).toBe("v");
    expect(Object.getOwnPropertyDescriptor(a, "x")?.get).toBe(Object.getOwnPropertyDescriptor(c, "x")?.get);
  });
});

describe("the caches of values by wire text", () => {
  test("hold at most two generations: recently used texts stay, one-off texts go", () => {
    const cache = new RecentByText<number>(3);
    cache.set("a", 1);
    for (const t of ["b", "c", "d", "e"]) {
      expect(cache.get("a")).toBe(1); // used again: moved to the newer generation
      cache.set(t, 0);
    }
    expect(cache.get("a")).toBe(1);
    for (const t of ["f", "g", "h", "i", "j", "k", "l"]) cache.set(t, 0);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("l")).toBe(0);
  });
});
