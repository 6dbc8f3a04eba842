/**
 * Pages of `getAll` parsed once, their exact numbers placed when a record is first read (issue 19):
 * a listing whose values are never read never scans its text, and every value read — or written
 * back — is still exact: the amounts Mambu wrote with trailing zeros, 18-digit numbers, exponents,
 * numbers under a repeated key, numbers in fields the schema does not know, in every entity of the
 * page whichever is read first.
 */
import fc from "fast-check";
import nock from "nock";
import { Decimal, MambuLoan, stringifyExact } from "../../lib";
import { parseJsonExact, parseJsonPage, pendingPageOf, RawNumber, settlePage } from "../../lib/core/json";
import { mambu, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

type Bag = Record<string, unknown>;

/** A page of loans as Mambu writes it: amounts with trailing zeros, a long number, an exponent. */
function loanPage(from: number, n: number): string {
  const loans: string[] = [];
  for (let i = from; i < from + n; i++) {
    loans.push(
      `{"encodedKey":"k${i}","id":"L${i}","accountState":"ACTIVE","loanAmount":${1000 + i}.50,` +
        `"creationDate":"2024-03-01T10:15:30+02:00","interestSettings":{"interestRate":24.10},` +
        `"balances":{"principalBalance":123456789012345678.25,"feesDue":1e2,"interestDue":0.125},"daysLate":3}`,
    );
  }
  return `[${loans.join(",")}]`;
}

function servePages(total: number, text: (from: number, n: number) => string): void {
  mambu()
    .get("/api/loans")
    .query(true)
    .times(20)
    .reply((uri) => {
      const q = new URL(uri, "https://x").searchParams;
      const offset = Number(q.get("offset"));
      const n = Math.max(0, Math.min(Number(q.get("limit")), total - offset));
      return [200, text(offset, n), { "items-total": String(total) }];
    });
}

test("getAll: amounts, long numbers and exponents read exactly, from whichever entity of a page is read first", async () => {
  servePages(7, loanPage);
  const loans = (await MambuLoan.getAll({ connector: testConnector({ apipagination: 3 }) })) as Array<MambuLoan & Bag>;
  expect(loans).toHaveLength(7);
  // the last loan of the first page first: the page settles for all its loans
  expect((loans[2].loanAmount as Decimal).toFixed()).toBe("1002.5");
  expect((loans[2].balances as Bag).principalBalance).toEqual(new Decimal("123456789012345678.25"));
  for (let i = 0; i < 7; i++) {
    expect(stringifyExact(loans[i])).toBe(loanPage(i, 1).slice(1, -1));
    expect((loans[i].interestSettings as Bag).interestRate).toEqual(new Decimal("24.10"));
  }
});

test("getAll: an entity never read field by field writes back every number as Mambu sent it", async () => {
  servePages(4, loanPage);
  const loans = await MambuLoan.getAll({ connector: testConnector({ apipagination: 2 }) });
  expect(loans.map((l) => stringifyExact(l))).toEqual([0, 1, 2, 3].map((i) => loanPage(i, 1).slice(1, -1)));
  expect((loans[3] as unknown as Bag).daysLate).toBe(3);
});

test("getAll: strings and dates read before any number; the numbers read after are exact", async () => {
  servePages(2, loanPage);
  const [a, b] = (await MambuLoan.getAll({ connector: testConnector() })) as Array<MambuLoan & Bag>;
  expect(a.id).toBe("L0");
  expect(b.accountState).toBe("ACTIVE");
  expect(String(b.creationDate)).toBe("2024-03-01T10:15:30.000+02:00");
  // a nested object read first: exact too
  expect(stringifyExact((a.balances as Bag) ?? {})).toBe('{"principalBalance":123456789012345678.25,"feesDue":1e2,"interestDue":0.125}');
  expect((b.loanAmount as Decimal).toFixed(2)).toBe("1001.50");
  expect(stringifyExact(b)).toBe(loanPage(1, 1).slice(1, -1));
});

test("getAll: a field the schema does not know is handed over with its numbers exact", async () => {
  servePages(2, (from, n) =>
    JSON.stringify(Array.from({ length: n }, (_, i) => ({ encodedKey: `k${from + i}`, id: `L${from + i}` }))).replace(/}/g, ',"futureField":{"amount":7.50},"futureAmount":2.50}'),
  );
  const [a, b] = (await MambuLoan.getAll({ connector: testConnector() })) as Array<MambuLoan & Bag>;
  expect(a.futureAmount).toBeInstanceOf(RawNumber);
  expect(String(b.futureAmount)).toBe("2.50");
  expect(String((b.futureField as Bag).amount)).toBe("7.50");
});

test("parseJsonPage: the same records as parseJsonExact once settled (repeated keys, nesting, exponents, -0)", () => {
  const texts = [
    '[{"a":1.50,"b":"x","c":{"d":[1,2.0,3]},"a":2.50},{"e":12345678901234567890,"f":-0,"g":1e5,"h":[0.0000001,1]}]',
    '[{"1":1.10,"x":2.20},{"y":{"y":3.30,"y":4.40}}]',
  ];
  for (const text of texts) {
    const page = parseJsonPage(text) as Bag[];
    const pending = pendingPageOf(page[0]);
    expect(pending).toBeDefined();
    settlePage(pending!);
    expect(pendingPageOf(page[0])).toBeUndefined();
    expect(stringifyExact(page)).toBe(stringifyExact(parseJsonExact(text)));
    expect(page).toEqual(parseJsonExact(text));
  }
});

test("parseJsonPage: anything but a list of records is exact at once", () => {
  for (const text of ["[1.50,2]", '{"a":1.50}', "1.50", "[]", '[{"a":1.0},[2.0]]', '"x"']) {
    expect(stringifyExact(parseJsonPage(text))).toBe(stringifyExact(parseJsonExact(text)));
  }
});

/** JSON number text: signs, long integers, fractions with trailing zeros, exponents, tiny values. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("", "-"),
      fc.oneof(fc.constant("0"), fc.tuple(fc.constantFrom(..."123456789"), fc.stringMatching(/^[0-9]{0,24}$/)).map(([a, b]) => a + b)),
      fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.stringMatching(/^[0-9]{1,3}$/)), { nil: undefined }),
    )
    .map(([sign, int, frac, exp]) => `${sign}${int}${frac === undefined ? "" : `.${frac}`}${exp === undefined ? "" : exp.join("")}`),
  fc.constantFrom("0", "-0", "1.5", "1.50", "0.000001", "0.0000001", "1234567890123456", "123456789012345", "1e3", "-0.0", "42"),
);
/** Strings, some looking like numbers or JSON structure. */
const stringText = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("1.50", ":1.50,", "-0", ":-0}", "1e5", ",1e5]", "6e2", "[1234567890123456,", "a.b"));
const value: fc.Arbitrary<string> = fc.oneof(numberText, numberText, stringText.map((t) => JSON.stringify(t)), fc.constantFrom("true", "null"));
const record: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom("a", "b", "c", "_S", "1"), fc.oneof(value, fc.array(value, { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`))), { maxLength: 6 })
  .chain((entries) => fc.constantFrom("", " ", "\n").map((ws) => `{${entries.map(([k, v]) => `${ws}"${k}":${ws}${v}`).join(",")}}`));

test("parseJsonPage then settled: the same document as parseJsonExact, for any page of records (property)", () => {
  fc.assert(
    fc.property(fc.array(record, { minLength: 1, maxLength: 5 }), (records) => {
      const text = `[${records.join(",")}]`;
      const page = parseJsonPage(text) as Bag[];
      const pending = pendingPageOf(page[0]);
      if (pending !== undefined) settlePage(pending);
      expect(stringifyExact(page)).toBe(stringifyExact(parseJsonExact(text)));
    }),
    { numRuns: 3000 },
  );
});
