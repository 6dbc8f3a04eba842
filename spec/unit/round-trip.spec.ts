/** Conversion and exact round trip: what was read and not changed goes back byte for byte. */
import { DateTime, Decimal, MambuClient, MambuLoan, MambuTsError, parseJsonExact, RawNumber, stringifyExact } from "../../lib";
import { fixture, startRecorder, testConnector } from "../helpers/mambu";

function loanFrom(over: Record<string, unknown>): MambuLoan {
  const raw = parseJsonExact(fixture("loan-full.json")) as Record<string, unknown>;
  return MambuLoan.fromWire({ ...raw, ...over }, testConnector());
}

describe("exact JSON", () => {
  test.each([
    ['{"a":1.50}', "1.50"],
    ['{"a":123456789012345678}', "123456789012345678"],
    ['{"a":12345678901234567.89}', "12345678901234567.89"],
    ['{"a":1e3}', "1e3"],
  ])("%s keeps the number's text", (text, num) => {
    const v = parseJsonExact(text) as { a: RawNumber };
    expect(v.a).toBeInstanceOf(RawNumber);
    expect(v.a.text).toBe(num);
    expect(stringifyExact(v)).toBe(text);
  });

  test("safe numbers stay plain numbers; strings that look like numbers are untouched", () => {
    const v = parseJsonExact('{"a":1.5,"b":"1.50","c":"00123","d":[1,2],"e":"x: 1.50,"}') as Record<string, unknown>;
    expect(v).toEqual({ a: 1.5, b: "1.50", c: "00123", d: [1, 2], e: "x: 1.50," });
  });
});

describe("hydration types come from the schema, not from the values", () => {
  const cases: Array<[string, unknown, (v: unknown) => void]> = [
    ["loanAmount", 1500, (v) => expect((v as Decimal).equals(1500)).toBe(true)],
    ["loanAmount", new RawNumber("1.50"), (v) => expect((v as Decimal).toFixed()).toBe("1.5")],
    ["loanName", "00123", (v) => expect(v).toBe("00123")],
    ["loanName", "123456789012345678", (v) => expect(v).toBe("123456789012345678")],
    ["loanName", "Nan", (v) => expect(v).toBe("Nan")],
    ["notes", "true", (v) => expect(v).toBe("true")],
    ["daysInArrears", 7, (v) => expect(v).toBe(7)],
    ["creationDate", "2021-03-09T13:37:50+05:30", (v) => expect((v as DateTime).toISO()).toBe("2021-03-09T13:37:50.000+05:30")],
    ["creationDate", "2021-03-09T13:37:50-04:30", (v) => expect((v as DateTime).offset).toBe(-270)],
    ["lastModifiedDate", "not a date", (v) => expect(v).toBe("not a date")],
  ];
  test.each(cases)("%s ← %p", (field, wire, check) => {
    check((loanFrom({ [field]: wire }) as unknown as Record<string, unknown>)[field]);
  });

  test("date-only fields become DateTime dates and go back as YYYY-MM-DD", () => {
    const c = MambuClient.fromWire({ id: "1", birthDate: "1980-05-17" });
    expect(DateTime.isDateTime(c.birthDate)).toBe(true);
    expect(c.birthDate?.toISODate()).toBe("1980-05-17");
    c.birthDate = DateTime.fromISO("1981-01-02", { zone: "UTC" });
    expect(c.toJSON().birthDate).toBe("1981-01-02");
    c.birthDate = "1982-03-04" as never;
    expect(c.toJSON().birthDate).toBe("1982-03-04");
  });
});

describe("writing back", () => {
  test("an untouched entity serialises byte for byte as read (numbers, offsets, unknown fields, custom fields)", () => {
    const text = fixture("loan-full.json");
    const loan = MambuLoan.fromWire(parseJsonExact(text) as Record<string, unknown>);
    // touch everything: reading converts, but must not change what is written
    void loan.loanAmount, loan.balances?.interestBalance, loan.disbursementDetails?.disbursementDate, loan.interestSettings?.interestRate;
    expect(stringifyExact(loan)).toBe(JSON.stringify(JSON.parse(text)).replace('"loanAmount":1500', '"loanAmount":1500.00')
      .replace('"interestRate":1.5', '"interestRate":1.50').replace('"principalBalance":1000.1', '"principalBalance":1000.10')
      .replace('"principalPaid":499.9', '"principalPaid":499.90').replace('"interestBalance":12345678901234568', '"interestBalance":12345678901234567.89'));
  });

  test("a PUT sends exactly the read bytes for untouched fields and the change for the one touched", async () => {
    const text = fixture("loan-full.json");
    const rec = await startRecorder((r) => (r.method === "GET" ? [200, text] : [200, r.body]));
    try {
      const conn = rec.connector();
      const loan = await MambuLoan.get("54321", { connector: conn });
      loan.loanName = "Renamed";
      await loan.update();
      const put = rec.requests[1];
      expect(put.method).toBe("PUT");
      expect(put.url).toBe("/api/loans/8a0000000000000000000000000l5432");
      expect(put.headers["content-type"]).toBe("application/json");
      expect(String(put.headers["idempotency-key"])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(put.body).toContain('"loanAmount":1500.00');
      expect(put.body).toContain('"interestBalance":12345678901234567.89');
      expect(put.body).toContain('"creationDate":"2021-03-09T13:37:50+05:30"');
      expect(put.body).toContain('"loanName":"Renamed"');
      expect(put.body).toContain('"_LoanPurpose":{"Purpose":"Tienda","Score":"007"}');
      expect(loan.loanName).toBe("Renamed");
    } finally {
      await rec.close();
    }
  });

  test("a naive date set by the user takes the entity's offset, never the machine's zone", () => {
    const loan = loanFrom({});
    loan.disbursementDetails!.expectedDisbursementDate = "2021-06-01T09:00:00" as never;
    expect((loan.toJSON().disbursementDetails as Record<string, unknown>).expectedDisbursementDate).toBe("2021-06-01T09:00:00+05:30");
    loan.disbursementDetails!.expectedDisbursementDate = DateTime.fromISO("2021-06-01T09:00:00"); // system zone = naive
    expect((loan.toJSON().disbursementDetails as Record<string, unknown>).expectedDisbursementDate).toBe("2021-06-01T09:00:00+05:30");
    loan.disbursementDetails!.expectedDisbursementDate = DateTime.fromISO("2021-06-01T09:00:00-04:30", { setZone: true });
    // an explicit instant is kept, shown in the tenant's offset
    expect((loan.toJSON().disbursementDetails as Record<string, unknown>).expectedDisbursementDate).toBe("2021-06-01T19:00:00+05:30");
  });

  test("a naive date without any known offset is a clear error", () => {
    const c = new MambuClient({ firstName: "A" });
    (c as unknown as Record<string, unknown>).approvedDate = "2021-06-01T09:00:00";
    expect(() => c.toJSON()).toThrow(/has no UTC offset and the tenant's offset is unknown/);
  });

  test("amounts set as Decimal, number or numeric string are written exactly; bad ones are errors", () => {
    const loan = loanFrom({});
    loan.loanAmount = new Decimal("2000.10");
    expect(stringifyExact(loan.toJSON().loanAmount)).toBe("2000.1");
    loan.loanAmount = "0.30" as never;
    expect(stringifyExact(loan.toJSON().loanAmount)).toBe("0.3");
    loan.loanAmount = new Decimal("12345678901234567.89");
    expect(stringifyExact(loan.toJSON().loanAmount)).toBe("12345678901234567.89");
    loan.loanAmount = "abc" as never;
    expect(() => loan.toJSON()).toThrow(MambuTsError);
    loan.loanAmount = Number.NaN as never;
    expect(() => loan.toJSON()).toThrow(/not a finite amount/);
  });

  test("enums are checked when set", () => {
    const loan = loanFrom({});
    loan.accountState = "SLEEPING" as never;
    expect(() => loan.toJSON()).toThrow(/"SLEEPING" is not one of PARTIAL_APPLICATION/);
  });
});
