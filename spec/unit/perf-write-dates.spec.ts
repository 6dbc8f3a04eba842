/**
 * The write path's date-time fast path (issue 19) gives exactly what the luxon path gives: a date-time a user
 * or the migration toolkit writes as text — a plain `YYYY-MM-DD` in the tenant's offset, or
 * `YYYY-MM-DDTHH:mm:ss` with `Z` or `±HH:MM` — is written as luxon `fromISO` + `setZone` + `toFormat` write
 * it, over many dates (leap days, month and year ends) and offsets (`+05:45`, `-03:30`, `+00:00`, `-00:00`,
 * `+0200`), and anything else is left to luxon (errors included); a date text is written as luxon writes it.
 */
import fc from "fast-check";
import { DateTime, FixedOffsetZone, Settings } from "luxon";
import { MambuTsError } from "../../lib";
import { fastWireDateTimeText, toWireDate, toWireDateTime } from "../../lib/core/coerce";

/** The luxon path of toWireDateTime for a text, as it was written before the fast path. */
function luxonPath(value: string, offset: string | undefined): string {
  const m = offset ? /^([+-])(\d{2}):?(\d{2})$/.exec(offset) : null;
  if (offset && !m) throw new Error("bad offset");
  const target = m ? FixedOffsetZone.instance((Number(m[2]) * 60 + Number(m[3])) * (m[1] === "-" ? -1 : 1)) : undefined;
  const s = value.trim();
  let dt: DateTime;
  if (/(?:[+-]\d{2}:?\d{2}|Z)$/.test(s) && !/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const parsed = DateTime.fromISO(s, { setZone: true });
    if (!parsed.isValid) throw new Error("invalid");
    dt = target ? parsed.setZone(target) : parsed;
  } else {
    if (!target) throw new Error("naive");
    dt = DateTime.fromISO(s, { zone: target });
    if (!dt.isValid) throw new Error("invalid");
  }
  return dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

const OFFSETS = ["+00:00", "-00:00", "+02:00", "-05:00", "+05:45", "-03:30", "+14:00", "-12:00", "+09:30", "+0200", "-0330", "+23:59", "-23:59"];
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
const offsetText = (min: number): string => `${min < 0 ? "-" : "+"}${pad(Math.trunc(Math.abs(min) / 60))}:${pad(Math.abs(min) % 60)}`;

/** Dates around leap days, month ends and year ends, and any date of the years 1000–9999. */
const dates: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(1000, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999), fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, 28, 29, 30, 31)),
  fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })),
).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);
const offsets: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...OFFSETS), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }).map(offsetText));
const times: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("00:00:00", "23:59:59", "12:00:00", "00:30:00"),
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`),
);

/** What the luxon path gives, or "throws". */
function expected(s: string, offset: string | undefined): string {
  try {
    return luxonPath(s, offset);
  } catch {
    return "throws";
  }
}

describe("a date-time text written without luxon", () => {
  test("a plain date takes the tenant's offset at midnight, as luxon writes it (valid and invalid calendar dates)", () => {
    fc.assert(
      fc.property(dates, offsets, (date, offset) => {
        const want = expected(date, offset);
        const fast = fastWireDateTimeText(date, offset);
        if (want === "throws") expect(fast).toBeUndefined();
        else expect(fast).toBe(want);
        expect(fast === undefined ? "luxon" : "fast").toBe(want === "throws" ? "luxon" : "fast");
      }),
      { numRuns: 5000 },
    );
  });

  test("a zoned date-time keeps its instant, written in the tenant's offset or, unknown, in its own", () => {
    fc.assert(
      fc.property(dates, times, fc.oneof(offsets, fc.constant("Z")), fc.option(offsets, { nil: undefined }), (date, time, own, tenant) => {
        const s = `${date}T${time}${own}`;
        const want = expected(s, tenant);
        const fast = fastWireDateTimeText(s, tenant);
        if (fast !== undefined) expect(fast).toBe(want);
        // the wire form (`Z` or `±HH:MM`) of a real calendar date whose result stays within the years 1000–9999 always takes the fast path
        const year = /^(\d{4})-/.exec(want);
        if (year && Number(year[1]) >= 1000 && (own === "Z" || own.length === 6)) expect(fast).toBeDefined();
      }),
      { numRuns: 10000 },
    );
  });

  test("leap days, month and year ends across offsets, as luxon writes them", () => {
    const cases = [
      "2024-02-29", "2023-02-28", "2000-02-29", "2024-12-31", "2025-01-01", "2024-03-31", "2024-04-30",
      "2024-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "2024-12-31T23:30:00+00:00", "2025-01-01T00:10:00+05:45",
      "2024-03-01T02:00:00+02:00", "2023-12-31T20:00:00-03:30", "2024-02-29T12:00:00-00:00", "9999-12-31T23:59:59+14:00",
    ];
    for (const s of cases) {
      for (const offset of [...OFFSETS, undefined]) {
        const want = expected(s, offset);
        const fast = fastWireDateTimeText(s, offset);
        if (fast !== undefined) expect(fast).toBe(want);
        if (want === "throws") expect(() => toWireDateTime(s, "valueDate", () => offset)).toThrow(MambuTsError);
        else expect(toWireDateTime(s, "valueDate", () => offset)).toBe(want);
      }
    }
    expect(fastWireDateTimeText("2024-02-29", "+05:45")).toBe("2024-02-29T00:00:00+05:45");
    expect(fastWireDateTimeText("2024-02-29T23:00:00-03:30", "+05:45")).toBe("2024-03-01T08:15:00+05:45");
    expect(fastWireDateTimeText("2025-01-01T00:00:00+02:00", "-00:00")).toBe("2024-12-31T22:00:00+00:00");
  });

  test("anything else is left to luxon: other forms, impossible dates and times, odd offsets, extreme years", () => {
    for (const [s, offset] of [
      ["2024-02-30", "+02:00"], ["2023-02-29", "+02:00"], ["2024-13-01", "+02:00"], ["2024-01-15", undefined], ["2024-01-15", ""],
      ["2024-01-15T10:00:00", "+02:00"], ["2024-01-15T10:00:00.123+02:00", "+02:00"], ["2024-01-15T24:00:00+02:00", "+02:00"],
      ["2024-01-15T10:60:00+02:00", "+02:00"], ["2024-01-15T10:00:00+24:00", undefined], ["2024-01-15T10:00:00+0200", undefined],
      ["2024-01-15 10:00:00+02:00", undefined], ["0999-12-31", "+02:00"],
      ["1000-01-01T00:30:00+02:00", "+01:00"], ["9999-12-31T23:00:00+00:00", "+02:00"], ["2024-01-15", "+02:75"], ["2024-01-15", "Z"],
      ["2024-01-15", "+2:00"], ["20240115", "+02:00"], ["2024-01-15T10:00:00z", undefined],
    ] as Array<[string, string | undefined]>) {
      expect([s, offset, fastWireDateTimeText(s, offset)]).toEqual([s, offset, undefined]);
    }
    // and toWireDateTime still writes or refuses them as luxon does
    expect(toWireDateTime("1000-01-01T00:30:00+02:00", "valueDate", () => "+01:00")).toBe(luxonPath("1000-01-01T00:30:00+02:00", "+01:00"));
    expect(toWireDateTime(" 2024-01-15 ", "valueDate", () => "+02:00")).toBe("2024-01-15T00:00:00+02:00");
    expect(() => toWireDateTime("2024-02-30", "valueDate", () => "+02:00")).toThrow(MambuTsError);
    expect(() => toWireDateTime("2024-02-30", "valueDate", () => "+02:00")).toThrow('valueDate: "2024-02-30" is not a valid ISO 8601 date');
    expect(() => toWireDateTime("2024-01-15", "valueDate", () => undefined)).toThrow(/has no UTC offset and the tenant's offset is unknown/);
    expect(() => toWireDateTime("2024-01-15", "valueDate", () => "+02:75x")).toThrow('invalid UTC offset "+02:75x"');
  });

  test("under luxon defaults that change how it writes digits, the luxon path decides", () => {
    const before = Settings.defaultNumberingSystem;
    try {
      Settings.defaultNumberingSystem = "arab";
      const want = luxonPath("2024-02-29", "+02:00");
      expect(fastWireDateTimeText("2024-02-29", "+02:00")).toBeUndefined();
      expect(toWireDateTime("2024-02-29", "valueDate", () => "+02:00")).toBe(want);
    } finally {
      Settings.defaultNumberingSystem = before;
    }
    expect(fastWireDateTimeText("2024-02-29", "+02:00")).toBe("2024-02-29T00:00:00+02:00");
  });
});

/** The luxon path of toWireDate for a text, as it was written before the fast path. */
function luxonDate(value: string): string {
  const s = value.trim();
  const d = DateTime.fromISO(s.slice(0, 10), { zone: "UTC" });
  if (!d.isValid || !/^\d{4}-\d{2}-\d{2}/.test(s)) throw new Error("invalid");
  return d.toISODate() as string;
}

describe("a date text written without luxon", () => {
  test("the same date as luxon writes, or the same refusal, for any date, with or without a time after it", () => {
    const suffixes = ["", "T10:00:00+02:00", "T00:00:00Z", " ", "x", "T25:00"];
    fc.assert(
      fc.property(dates, fc.constantFrom(...suffixes), fc.constantFrom("", " "), (date, suffix, space) => {
        const s = `${space}${date}${suffix}`;
        let want: string;
        try {
          want = luxonDate(s);
        } catch {
          expect(() => toWireDate(s, "birthDate", () => "+02:00")).toThrow('birthDate: "' + s + '" is not a valid ISO 8601 date');
          return;
        }
        expect(toWireDate(s, "birthDate", () => "+02:00")).toBe(want);
      }),
      { numRuns: 5000 },
    );
    for (const s of ["0999-12-31", "2024-02-29", "2023-02-29", "2024-1-01", "20240101", "2024-01-01T", "9999-12-31"]) {
      let want: string;
      try {
        want = luxonDate(s);
      } catch {
        expect(() => toWireDate(s, "birthDate", () => undefined)).toThrow(MambuTsError);
        continue;
      }
      expect(toWireDate(s, "birthDate", () => undefined)).toBe(want);
    }
  });
});
