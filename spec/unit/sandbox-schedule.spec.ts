/**
 * The sandbox engine's pure parts: schedule calculator, allocation, date rules and the tenant clock.
 */
import { SandboxClock } from "../../lib/sandbox/clock";
import { allocate, zeroElements } from "../../lib/sandbox/engine/allocation";
import { addPeriods, daysBetween, localDate, parseDateInput, parseDateTimeInput } from "../../lib/sandbox/engine/dates";
import { D, dec, num } from "../../lib/sandbox/engine/money";
import { ScheduleTerms, annualRate, computeSchedule, periodRate } from "../../lib/sandbox/engine/schedule";
import { SandboxError } from "../../lib/sandbox/types";

function terms(over: Partial<ScheduleTerms> = {}): ScheduleTerms {
  return {
    loanAmount: new D(1000),
    decimals: 2,
    interestMethod: "FLAT",
    interestRate: new D(12),
    interestChargeFrequency: "ANNUALIZED",
    daysInYear: 365,
    daysCountMethod: "REPAYMENT_PERIODICITY",
    installments: 3,
    periodUnit: "MONTHS",
    periodCount: 1,
    gracePeriod: 0,
    gracePeriodType: "NONE",
    startDate: "2026-01-15",
    ...over,
  };
}

const rows = (t: ScheduleTerms) => computeSchedule(t).map((i) => [i.dueDate, num(i.principal), num(i.interest)]);
const cents = (t: ScheduleTerms) => computeSchedule(t).reduce((a, i) => a + Math.round(num(i.principal) * 100), 0);

describe("schedule calculator", () => {
  test.each(["FLAT", "DECLINING_BALANCE", "DECLINING_BALANCE_DISCOUNTED"] as const)(
    "%s: principal of 1000.00 sums exactly over 3 and 7 installments, every amount has 2 decimals",
    (interestMethod) => {
      for (const installments of [3, 7]) {
        const plan = computeSchedule(terms({ interestMethod, installments }));
        expect(plan).toHaveLength(installments);
        expect(cents(terms({ interestMethod, installments }))).toBe(100000);
        for (const i of plan) {
          expect(i.principal.decimalPlaces()).toBeLessThanOrEqual(2);
          expect(i.interest.decimalPlaces()).toBeLessThanOrEqual(2);
        }
      }
    },
  );

  test("FLAT: equal principal with the remainder last, interest on the original amount", () => {
    expect(rows(terms({ installments: 7 }))).toEqual([
      ["2026-02-15", 142.86, 10],
      ["2026-03-15", 142.86, 10],
      ["2026-04-15", 142.86, 10],
      ["2026-05-15", 142.86, 10],
      ["2026-06-15", 142.86, 10],
      ["2026-07-15", 142.86, 10],
      ["2026-08-15", 142.84, 10],
    ]);
    // 10 % a year monthly: 8.333.. a month; total 25.00 rounded once, remainder on the last installment
    expect(rows(terms({ interestRate: new D(10) })).map((r) => r[2])).toEqual([8.33, 8.33, 8.34]);
  });

  test("DECLINING_BALANCE: equal principal, interest on the outstanding principal", () => {
    expect(rows(terms({ interestMethod: "DECLINING_BALANCE" }))).toEqual([
      ["2026-02-15", 333.33, 10],
      ["2026-03-15", 333.33, 6.67],
      ["2026-04-15", 333.34, 3.33],
    ]);
  });

  test("DECLINING_BALANCE_DISCOUNTED: annuity (Mambu's example: 1000, 4 monthly installments, 10 % a month)", () => {
    const plan = computeSchedule(terms({ interestMethod: "DECLINING_BALANCE_DISCOUNTED", installments: 4, interestRate: new D(10), interestChargeFrequency: "EVERY_MONTH" }));
    expect(plan.map((i) => [num(i.principal), num(i.interest), num(i.principal.plus(i.interest))])).toEqual([
      [215.47, 100, 315.47],
      [237.02, 78.45, 315.47],
      [260.72, 54.75, 315.47],
      [286.79, 28.68, 315.47],
    ]);
    const flat = computeSchedule(terms({ installments: 4, interestRate: new D(10), interestChargeFrequency: "EVERY_MONTH" }));
    expect(flat.map((i) => [num(i.principal), num(i.interest)])).toEqual([[250, 100], [250, 100], [250, 100], [250, 100]]);
  });

  test("zero interest, interest-only grace, interest forgiveness", () => {
    expect(rows(terms({ interestMethod: "DECLINING_BALANCE_DISCOUNTED", interestRate: new D(0) })).map((r) => [r[1], r[2]])).toEqual([[333.33, 0], [333.33, 0], [333.34, 0]]);
    expect(rows(terms({ interestMethod: "DECLINING_BALANCE", installments: 4, gracePeriod: 1, gracePeriodType: "PAY_INTEREST_ONLY" })).map((r) => [r[1], r[2]])).toEqual([
      [0, 10],
      [333.33, 10],
      [333.33, 6.67],
      [333.34, 3.33],
    ]);
    expect(rows(terms({ installments: 3, gracePeriod: 1, gracePeriodType: "INTEREST_FORGIVENESS" })).map((r) => [r[1], r[2]])).toEqual([[0, 0], [500, 10], [500, 10]]);
  });

  test("due dates: months keep month ends, weeks, days, explicit first date, offset days", () => {
    expect(computeSchedule(terms({ startDate: "2026-01-31" })).map((i) => i.dueDate)).toEqual(["2026-02-28", "2026-03-31", "2026-04-30"]);
    expect(computeSchedule(terms({ periodUnit: "WEEKS", periodCount: 2 })).map((i) => i.dueDate)).toEqual(["2026-01-29", "2026-02-12", "2026-02-26"]);
    expect(computeSchedule(terms({ periodUnit: "DAYS", periodCount: 10 })).map((i) => i.dueDate)).toEqual(["2026-01-25", "2026-02-04", "2026-02-14"]);
    expect(computeSchedule(terms({ firstDueDate: "2026-03-01" })).map((i) => i.dueDate)).toEqual(["2026-03-01", "2026-04-01", "2026-05-01"]);
    expect(computeSchedule(terms({ firstDueDateOffsetDays: 5 })).map((i) => i.dueDate)).toEqual(["2026-02-20", "2026-03-20", "2026-04-20"]);
  });

  test("period rates follow the interest charge frequency and daysInYear; actual days count", () => {
    expect(periodRate(terms()).toString()).toBe("0.01");
    expect(periodRate(terms({ interestRate: new D(2), interestChargeFrequency: "EVERY_MONTH", periodCount: 3 })).toString()).toBe("0.06");
    expect(annualRate({ interestRate: new D(1), interestChargeFrequency: "EVERY_WEEK", daysInYear: 364 }).toString()).toBe("0.52");
    expect(num(periodRate(terms({ periodUnit: "DAYS", periodCount: 73 })).times(1000))).toBe(24);
    // actual days: Jan 15 → Feb 15 = 31 days, → Mar 15 = 28 days, → Apr 15 = 31 days at 36.5 %/year on 1000 (FLAT)
    expect(rows(terms({ interestRate: new D(36.5), daysCountMethod: "ACTUAL_DAYS_COUNT" })).map((r) => r[2])).toEqual([31, 28, 31]);
  });

  test("disbursement fees are due with the first installment", () => {
    expect(computeSchedule(terms({ firstInstallmentFees: new D("20.004") })).map((i) => num(i.fee))).toEqual([20, 0, 0]);
  });

  test("invalid terms are refused with Mambu's reasons", () => {
    const reason = (t: ScheduleTerms) => {
      try {
        computeSchedule(t);
      } catch (e) {
        return (e as SandboxError).errorReason;
      }
      return "none";
    };
    expect(reason(terms({ installments: 0 }))).toBe("INVALID_INSTALLMENTS");
    expect(reason(terms({ loanAmount: new D(0) }))).toBe("INVALID_AMOUNT");
    expect(reason(terms({ interestRate: new D(-1) }))).toBe("INVALID_INTEREST_RATE");
    expect(reason(terms({ firstDueDate: "2026-01-15" }))).toBe("INVALID_FIRST_REPAYMENT_DUE_DATE");
    expect(reason(terms({ gracePeriod: 3, gracePeriodType: "PAY_INTEREST_ONLY" }))).toBe("INVALID_INSTALLMENTS");
  });
});

describe("allocation", () => {
  const inst = (key: string, principal: number, interest: number, fee: number, penalty: number) => ({
    encodedKey: key,
    expected: { principal: dec(principal), interest: dec(interest), fee: dec(fee), penalty: dec(penalty) },
    paid: zeroElements(),
  });

  test("horizontal: fee → penalty → interest → principal, installment by installment, oldest first", () => {
    const list = [inst("a", 100, 10, 5, 3), inst("b", 100, 8, 2, 0)];
    const r = allocate(list, dec(130), ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"], "HORIZONTAL");
    expect([num(r.affected.fee), num(r.affected.penalty), num(r.affected.interest), num(r.affected.principal), num(r.left)]).toEqual([7, 3, 18, 102, 0]);
    expect(num(list[0].paid.principal)).toBe(100);
    expect([num(list[1].paid.fee), num(list[1].paid.interest), num(list[1].paid.principal)]).toEqual([2, 8, 2]);
    const small = [inst("a", 100, 10, 5, 3)];
    const s = allocate(small, dec(12), ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"], "HORIZONTAL");
    expect([num(s.affected.fee), num(s.affected.penalty), num(s.affected.interest), num(s.affected.principal)]).toEqual([5, 3, 4, 0]);
  });

  test("vertical: one element across all installments first; excess is reported", () => {
    const list = [inst("a", 100, 10, 5, 0), inst("b", 100, 8, 2, 0)];
    const r = allocate(list, dec(30), ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"], "VERTICAL");
    expect([num(r.affected.fee), num(r.affected.interest), num(r.affected.principal)]).toEqual([7, 18, 5]);
    const all = allocate([inst("c", 10, 0, 0, 0)], dec(12.5), ["PRINCIPAL", "INTEREST", "FEE", "PENALTY"], "HORIZONTAL");
    expect(num(all.left)).toBe(2.5);
  });
});

describe("date rules", () => {
  test("date-time inputs need the tenant offset", () => {
    expect(parseDateTimeInput("2026-01-15T10:00:00+02:00", "+02:00", "valueDate")).toBe("2026-01-15T10:00:00+02:00");
    expect(parseDateTimeInput("2026-01-15T10:00:00.123+0200", "+02:00", "valueDate")).toBe("2026-01-15T10:00:00+02:00");
    expect(parseDateTimeInput(undefined, "+02:00", "valueDate")).toBeUndefined();
    expect(parseDateTimeInput("2026-01-15T10:00:00Z", "+00:00", "valueDate")).toBe("2026-01-15T10:00:00+00:00");
    for (const bad of ["2021-03-09T13:37:50", "2021-03-09T13:37:50+03:00"]) {
      try {
        parseDateTimeInput(bad, "+02:00", "valueDate");
        throw new Error("accepted");
      } catch (e) {
        expect((e as SandboxError).toBody()).toEqual({ errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "Invalid date offset for value 2021-03-09T13:37:50 org offset is +02:00" }] });
      }
    }
    expect(() => parseDateTimeInput("yesterday", "+02:00", "valueDate")).toThrow(SandboxError);
    expect(parseDateInput("2026-02-28", "dueFrom")).toBe("2026-02-28");
    expect(() => parseDateInput("2026-02-30", "dueFrom")).toThrow(SandboxError);
  });

  test("calendar helpers work in the tenant zone", () => {
    expect(localDate("2026-01-15T23:30:00Z", "+02:00")).toBe("2026-01-16");
    expect(localDate("2026-01-16T01:00:00+02:00", "-05:00")).toBe("2026-01-15");
    expect(addPeriods("2024-01-31", "MONTHS", 1, 1)).toBe("2024-02-29");
    expect(addPeriods("2026-01-15", "YEARS", 1, 2)).toBe("2028-01-15");
    expect(daysBetween("2026-02-15", "2026-03-15")).toBe(28);
  });
});

describe("SandboxClock", () => {
  test("frozen at a start, in the tenant's fixed offset; advance and set", () => {
    const c = new SandboxClock({ offset: "+02:00", start: "2026-01-15T23:30:00+02:00" });
    expect(c.offset).toBe("+02:00");
    expect(c.nowIso()).toBe("2026-01-15T23:30:00+02:00");
    expect(c.today()).toBe("2026-01-15");
    c.advance({ minutes: 45 });
    expect(c.nowIso()).toBe("2026-01-16T00:15:00+02:00");
    expect(c.today()).toBe("2026-01-16");
    c.advance({ days: 30, hours: 1 });
    expect(c.nowIso()).toBe("2026-02-15T01:15:00+02:00");
    c.set("2026-03-01");
    expect(c.nowIso()).toBe("2026-03-01T00:00:00+02:00");
    c.set("2026-03-01T12:00:00Z");
    expect(c.nowIso()).toBe("2026-03-01T14:00:00+02:00");
    c.set("2026-03-02T08:00:00");
    expect(c.nowIso()).toBe("2026-03-02T08:00:00+02:00");
  });

  test("other offsets (UTC shows +00:00), and a ticking clock by default", () => {
    expect(new SandboxClock({ offset: "-05:00", start: "2026-01-15T03:00:00Z" }).nowIso()).toBe("2026-01-14T22:00:00-05:00");
    expect(new SandboxClock({ offset: "+00:00", start: "2026-01-15" }).nowIso()).toBe("2026-01-15T00:00:00+00:00");
    const live = new SandboxClock();
    expect(live.offset).toBe("+02:00");
    expect(Math.abs(Date.parse(live.nowIso()) - Date.now())).toBeLessThan(2000);
    expect(() => new SandboxClock({ offset: "CET" })).toThrow();
  });
});
