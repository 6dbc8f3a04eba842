/**
 * The engine's calendar arithmetic (addDays, addPeriods) and date-time input check (parseDateTimeInput) count the
 * common cases without luxon: they must give exactly what luxon gives (month-end clamping, leap years, the
 * range edges where luxon takes over again) and refuse exactly what they refused before.
 */
import { DateTime } from "luxon";
import { PeriodUnit, addDays, addPeriods, parseDateTimeInput } from "../../lib/sandbox/engine/dates";
import { SandboxError } from "../../lib/sandbox/types";

const viaLuxon = {
  addDays: (date: string, days: number) => DateTime.fromISO(date, { zone: "utc" }).plus({ days }).toISODate(),
  addPeriods: (date: string, unit: PeriodUnit, k: number) => {
    const dt = DateTime.fromISO(date, { zone: "utc" });
    const plus = unit === "DAYS" ? { days: k } : unit === "WEEKS" ? { weeks: k } : unit === "YEARS" ? { years: k } : { months: k };
    return dt.plus(plus).toISODate();
  },
};

const dates: string[] = [];
for (const y of [999, 1000, 1900, 2000, 2023, 2024, 2026, 2100, 9999]) {
  for (let m = 1; m <= 12; m++) for (const d of [1, 28, 29, 30, 31]) dates.push(`${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
}
dates.push("2026-02-30", "2026-13-01", "not a date");
const counts = [-400, -13, -12, -1, 0, 1, 2, 11, 12, 13, 25, 59, 366, 1.5];

describe("calendar arithmetic", () => {
  it("adds days, weeks, months and years as luxon does (clamping month ends, leap days, range edges)", () => {
    const differences: string[] = [];
    for (const date of dates) {
      for (const k of counts) {
        if (addDays(date, k) !== viaLuxon.addDays(date, k)) differences.push(`addDays ${date} ${k}`);
        for (const unit of ["DAYS", "WEEKS", "MONTHS", "YEARS"] as const) {
          if (addPeriods(date, unit, k, 3) !== viaLuxon.addPeriods(date, unit, 3 * k)) differences.push(`addPeriods ${date} ${unit} ${k}×3`);
        }
      }
    }
    expect(differences).toEqual([]);
    expect(addPeriods("2025-01-31", "MONTHS", 1, 1)).toBe("2025-02-28");
    expect(addPeriods("2024-02-29", "YEARS", 1, 1)).toBe("2025-02-28");
    expect(addDays("9999-12-31", 1)).toBe(viaLuxon.addDays("9999-12-31", 1)); // past year 9999: luxon's form
  });
});

describe("date-time inputs", () => {
  const reason = (f: () => unknown): string => {
    try {
      return `ok ${String(f())}`;
    } catch (e) {
      return e instanceof SandboxError ? `${e.status} ${e.errorSource ?? ""} ${e.message}` : String(e);
    }
  };

  it("answers a normal value with the tenant's offset as given, and refuses wrong offsets and impossible times", () => {
    expect(parseDateTimeInput("2026-01-15T10:00:00+02:00", "+02:00", "valueDate")).toBe("2026-01-15T10:00:00+02:00");
    expect(parseDateTimeInput("2026-01-15T10:00:00.123+02:00", "+02:00", "valueDate")).toBe("2026-01-15T10:00:00+02:00");
    expect(parseDateTimeInput("2026-01-15T10:00:00Z", "+00:00", "valueDate")).toBe("2026-01-15T10:00:00+00:00");
    expect(reason(() => parseDateTimeInput("2026-01-15T10:00:00+03:00", "+02:00", "valueDate"))).toMatch(/Invalid date offset for value 2026-01-15T10:00:00 org offset is \+02:00/);
    expect(parseDateTimeInput("2026-01-15T24:00:00+02:00", "+02:00", "valueDate")).toBe("2026-01-16T00:00:00+02:00"); // ISO's end of day
    for (const bad of ["2026-02-30T10:00:00+02:00", "2026-01-15T10:60:00+02:00", "2026-01-15T10:00:60+02:00", "2026-01-15T1a:00:00+02:00"]) {
      expect(reason(() => parseDateTimeInput(bad, "+02:00", "valueDate"))).toMatch(/^400 /);
    }
  });
});
