/**
 * The organization and its reference data through the ORM, against a mocked tenant: organization setup and
 * general setup, transaction channels, holidays and non-working days, identification document templates.
 * Requests are the contract's operations with bodies that follow it; bad input is refused before any request.
 * Also: the time zone the sandbox derives from its clock's offset.
 */
import { DateTime } from "luxon";
import nock from "nock";
import {
  addGeneralHolidays, getGeneralSetup, getHolidays, getNonWorkingDays, MambuHoliday, MambuIdentificationDocumentTemplate, MambuOrganization,
  MambuTransactionChannel, MambuTsError, setHolidays, setNonWorkingDays,
} from "../../lib";
import { findEntity } from "../../lib/cli/entities";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { dueDates, ScheduleTerms } from "../../lib/sandbox/engine/schedule";
import { D } from "../../lib/sandbox/engine/money";
import { timeZoneForOffset } from "../../lib/sandbox/reference/time-zone";
import { capture, Captured, contractTenant, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;

const { tenant, requests } = contractTenant();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

/** The request matched its operation (by template) and its body follows the contract; returns the body. */
function expectOperation(seen: Captured, method: string, template: string): unknown {
  const match = findOperation(method, (seen.path as string).split("?")[0].replace(/^\/api/, ""));
  expect(match?.op.path).toBe(template);
  if (!match?.op.body) return undefined;
  const body = JSON.parse(seen.body as string) as unknown;
  expect(validateAgainst(match.resource, match.op.body, body)).toEqual([]);
  return body;
}

/** Answers `body` after checking it follows the operation's 200/201 response schema. */
function answer(method: string, path: string, status: number, body: unknown): string {
  const match = findOperation(method, path)!;
  expect(validateAgainst(match.resource, match.op.responses[String(status)]!, body)).toEqual([]);
  return JSON.stringify(body);
}

const ORG: Bag = {
  institutionName: "Financiera Demo AZ", currency: "MXN", timeZoneID: "America/Mexico_City", decimalSeparator: "POINT",
  dateFormat: "dd-MM-yyyy", dateTimeFormat: "dd-MM-yyyy HH:mm:ss", emailAddress: "contacto@demo.invalid",
  address: { line1: "Av. Reforma 100", city: "Ciudad de Mexico", country: "Mexico" },
  creationDate: "2019-01-10T09:00:00-06:00", lastModifiedDate: "2021-02-01T12:00:00-06:00",
};

describe("MambuOrganization", () => {
  async function readOrg(): Promise<MambuOrganization> {
    tenant().get("/api/setup/organization").reply(200, answer("GET", "/setup/organization", 200, ORG));
    return MambuOrganization.get({ connector: testConnector() });
  }

  test("get(): GET /setup/organization; the time zone, dates as DateTime, now() in the tenant's zone", async () => {
    const org = await readOrg();
    expect([org.institutionName, org.currency, org.timeZone, org.timeZoneID]).toEqual(["Financiera Demo AZ", "MXN", "America/Mexico_City", "America/Mexico_City"]);
    expect(org.creationDate?.toISO()).toBe("2019-01-10T09:00:00.000-06:00");
    expect(org.now().zoneName).toBe("America/Mexico_City");
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/setup/organization"]);
  });

  test("update(): PUT /setup/organization with the settings (not the dates Mambu keeps); Mambu's answer adopted", async () => {
    const org = await readOrg();
    org.institutionName = "Financiera Demo AZ, S.A.";
    org.decimalSeparator = "COMMA";
    const seen: Captured = {};
    const changed = { ...ORG, institutionName: "Financiera Demo AZ, S.A.", decimalSeparator: "COMMA", lastModifiedDate: "2021-03-01T08:00:00-06:00" };
    tenant().put("/api/setup/organization").reply(capture(seen, 200, answer("PUT", "/setup/organization", 200, changed)));
    await org.update();
    const body = expectOperation(seen, "PUT", "/setup/organization") as Bag;
    expect(body).toEqual({ ...ORG, institutionName: "Financiera Demo AZ, S.A.", decimalSeparator: "COMMA", creationDate: undefined, lastModifiedDate: undefined });
    expect(Object.keys(body)).not.toContain("creationDate");
    expect([org.decimalSeparator, org.lastModifiedDate?.toISO()]).toEqual(["COMMA", "2021-03-01T08:00:00.000-06:00"]);
  });

  test("update() refuses before any request: a blank or too long name, a bad separator, a changed currency or zone", async () => {
    const cases: Array<[(o: MambuOrganization) => void, RegExp]> = [
      [(o) => (o.institutionName = " "), /institutionName is required/],
      [(o) => (o.institutionName = "x".repeat(256)), /more than 255 characters/],
      [(o) => (o.dateFormat = ""), /dateFormat is required/],
      [(o) => (o.decimalSeparator = "SPACE" as never), /decimalSeparator: "SPACE" is not one of COMMA, POINT/],
      [(o) => (o.currency = "USD"), /currency cannot be changed/],
      [(o) => (o.timeZoneID = "Europe/Berlin"), /timeZoneID cannot be changed/],
    ];
    for (const [change, error] of cases) {
      const org = await readOrg();
      change(org);
      requests.length = 0;
      await expect(org.update()).rejects.toThrow(error);
      expect(requests).toEqual([]);
    }
  });

  test("getGeneralSetup(): GET /setup/general; amounts exact", async () => {
    const general = { encodedKey: "8a19a0e25d1f4c1c015d1f5c2a6b0001", exposureType: "SUM_OF_LOANS", exposureAmount: 1234567.891, defaultClientState: "INACTIVE", defaultTransactionChannelKey: "8a0000000000000000000000000c0001", enabledComponents: ["LOANS", "DEPOSITS"] };
    tenant().get("/api/setup/general").reply(200, answer("GET", "/setup/general", 200, general));
    const g = await getGeneralSetup({ connector: testConnector() });
    expect(g.exposureAmount?.toFixed()).toBe("1234567.891");
    expect([g.exposureType, g.defaultClientState, g.defaultTransactionChannelKey]).toEqual(["SUM_OF_LOANS", "INACTIVE", "8a0000000000000000000000000c0001"]);
    await expect(getGeneralSetup({ connector: testConnector(), detailsLevel: "FULL" } as never)).rejects.toThrow(/unknown option "detailsLevel"/);
  });
});

describe("MambuTransactionChannel", () => {
  const unconstrained = { usage: "UNCONSTRAINED", constraints: [] };
  const CASH: Bag = { encodedKey: "8a0000000000000000000000000c0001", id: "cash", name: "Cash", state: "ACTIVE", isDefault: true, glAccount: "1100", availableForAll: true, usageRights: [], loanConstraints: unconstrained, depositConstraints: unconstrained };

  test("getAll(): one GET of the list (no pagination parameters), by state", async () => {
    const seen: Captured = {};
    tenant().get("/api/organization/transactionChannels").query({ transactionChannelState: "ACTIVE" }).reply(capture(seen, 200, answer("GET", "/organization/transactionChannels", 200, [CASH])));
    const list = await MambuTransactionChannel.getAll({ connector: testConnector(), transactionChannelState: "ACTIVE" });
    expect(list.map((c) => [c.id, c.isDefault])).toEqual([["cash", true]]);
    expect(list[0]).toBeInstanceOf(MambuTransactionChannel);
    expect(seen.path).toBe("/api/organization/transactionChannels?transactionChannelState=ACTIVE");
    expect(() => MambuTransactionChannel.getAll({ connector: testConnector(), sortBy: "id:ASC" } as never)).toThrow(/unknown option "sortBy"/);
    expect(() => MambuTransactionChannel.getAll({ connector: testConnector(), limit: 0 })).toThrow(/limit must be an integer ≥ 1/);
  });

  test("getAll({ offset, limit }): cuts the one list Mambu answers (what `mambu list transactionchannels` sends)", async () => {
    const bank = { ...CASH, encodedKey: "8a0000000000000000000000000c0002", id: "bank", name: "Bank", isDefault: false };
    const agent = { ...CASH, encodedKey: "8a0000000000000000000000000c0003", id: "agent", name: "Agent", isDefault: false };
    const seen: Captured = {};
    tenant().get("/api/organization/transactionChannels").reply(capture(seen, 200, answer("GET", "/organization/transactionChannels", 200, [CASH, bank, agent])));
    const list = await MambuTransactionChannel.getAll({ connector: testConnector(), offset: 1, limit: 1, paginationDetails: "ON" });
    expect(list.map((c) => c.id)).toEqual(["bank"]);
    expect(seen.path).toBe("/api/organization/transactionChannels");
  });

  test("create(): POST with a body that follows the contract (absent constraints UNCONSTRAINED, isDefault never sent)", async () => {
    const seen: Captured = {};
    const created = { ...CASH, encodedKey: "8a0000000000000000000000000c0003", id: "agent", name: "Banking agent", isDefault: false, glAccount: "1300" };
    tenant().post("/api/organization/transactionChannels").reply(capture(seen, 201, answer("POST", "/organization/transactionChannels", 201, created)));
    const agent = new MambuTransactionChannel({ id: "agent", name: "Banking agent", glAccount: "1300", isDefault: true });
    await agent.create({ connector: testConnector() });
    expect(expectOperation(seen, "POST", "/organization/transactionChannels")).toEqual({ id: "agent", name: "Banking agent", glAccount: "1300", loanConstraints: unconstrained, depositConstraints: unconstrained });
    expect([agent.encodedKey, agent.isDefault]).toEqual(["8a0000000000000000000000000c0003", false]);
  });

  test("get(), update() by the id it was read with (a new id renames it; Mambu answers without a body), delete()", async () => {
    tenant().get("/api/organization/transactionChannels/cash").reply(200, answer("GET", "/organization/transactionChannels/cash", 200, CASH));
    const cash = await MambuTransactionChannel.get("cash", { connector: testConnector() });
    cash.id = "efectivo";
    cash.name = "Efectivo";
    const seen: Captured = {};
    tenant().put("/api/organization/transactionChannels/cash").reply(capture(seen, 200));
    await cash.update();
    expect(expectOperation(seen, "PUT", "/organization/transactionChannels/{transactionChannelId}")).toEqual({ ...CASH, id: "efectivo", name: "Efectivo", encodedKey: CASH.encodedKey, isDefault: undefined });
    expect([cash.id, cash.name, cash.isDefault, cash.encodedKey]).toEqual(["efectivo", "Efectivo", true, CASH.encodedKey]);
    tenant().delete("/api/organization/transactionChannels/efectivo").reply(204);
    await cash.delete();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/organization/transactionChannels/cash", "PUT /api/organization/transactionChannels/cash", "DELETE /api/organization/transactionChannels/efectivo",
    ]);
  });

  test("bad channels are refused before any request", async () => {
    const conn = testConnector();
    await expect(new MambuTransactionChannel({ id: "", name: "X", glAccount: "1" }).create({ connector: conn })).rejects.toThrow("MambuTransactionChannel.create: id is required");
    await expect(new MambuTransactionChannel({ id: "a b", name: "X", glAccount: "1" }).create({ connector: conn })).rejects.toThrow(/has spaces/);
    await expect(new MambuTransactionChannel({ id: "x", name: "X", glAccount: "1", depositConstraints: { usage: "UNCONSTRAINED", constraints: [{ criteria: "AMOUNT", operator: "MORE_THAN", value: "5" }] } }).create({ connector: conn })).rejects.toThrow(/UNCONSTRAINED usage take no constraints/);
    await expect(new MambuTransactionChannel({ id: "x", name: "X", glAccount: "1", state: "CLOSED" as never }).create({ connector: conn })).rejects.toThrow(MambuTsError);
    await expect(new MambuTransactionChannel({ id: "x", name: "X", glAccount: "1" }).update()).rejects.toThrow(/has no id yet/);
    expect(() => MambuTransactionChannel.get(" ")).toThrow(MambuTsError);
    expect(requests).toEqual([]);
  });

  test("the command line knows it as transactionchannel(s)", () => {
    expect(findEntity("transactionchannels").cls).toBe(MambuTransactionChannel);
    expect(findEntity("TransactionChannel").cls).toBe(MambuTransactionChannel);
  });
});

describe("holidays and non-working days", () => {
  const H1 = { encodedKey: "8a00000000000000000000000000h001", id: 1, name: "Año Nuevo", date: "2020-01-01", isAnnuallyRecurring: true, creationDate: "2019-12-01T10:00:00-06:00" };

  test("getHolidays(): MambuHoliday entries (dates as DateTime) and the non-working days", async () => {
    tenant().get("/api/organization/holidays").reply(200, answer("GET", "/organization/holidays", 200, { holidays: [H1], nonWorkingDays: ["SATURDAY", "SUNDAY"] }));
    const { holidays, nonWorkingDays } = await getHolidays({ connector: testConnector() });
    expect(holidays[0]).toBeInstanceOf(MambuHoliday);
    expect([holidays[0].id, holidays[0].name, holidays[0].date?.toISODate(), holidays[0].isAnnuallyRecurring]).toEqual([1, "Año Nuevo", "2020-01-01", true]);
    expect(nonWorkingDays).toEqual(["SATURDAY", "SUNDAY"]);
  });

  test("setHolidays(): PUT the whole list (a holiday read earlier keeps its id; dates as YYYY-MM-DD) with the non-working days", async () => {
    const seen: Captured = {};
    const h1 = new MambuHoliday({ ...H1 });
    const after = { holidays: [H1, { ...H1, encodedKey: "8a00000000000000000000000000h002", id: 2, name: "Día de Muertos", date: "2026-11-02", isAnnuallyRecurring: false }], nonWorkingDays: ["FRIDAY", "SUNDAY"] };
    tenant().put("/api/organization/holidays").reply(capture(seen, 200, answer("PUT", "/organization/holidays", 200, after)));
    const out = await setHolidays([h1, { name: "Día de Muertos", date: DateTime.fromISO("2026-11-02T00:00:00-06:00", { setZone: true }) }], { connector: testConnector(), nonWorkingDays: ["FRIDAY", "SUNDAY"] });
    expect(expectOperation(seen, "PUT", "/organization/holidays")).toEqual({
      holidays: [{ id: 1, name: "Año Nuevo", date: "2020-01-01", isAnnuallyRecurring: true }, { name: "Día de Muertos", date: "2026-11-02" }],
      nonWorkingDays: ["FRIDAY", "SUNDAY"],
    });
    expect(out.holidays.map((h) => h.id)).toEqual([1, 2]);
  });

  test("addGeneralHolidays(): POST a list of holidays; the created ones come back", async () => {
    const seen: Captured = {};
    const created = [{ encodedKey: "8a00000000000000000000000000h003", id: 3, name: "Jueves Santo", date: "2026-04-02", isAnnuallyRecurring: false, creationDate: "2026-03-01T10:00:00-06:00" }];
    tenant().post("/api/organization/holidays/general").reply(capture(seen, 201, answer("POST", "/organization/holidays/general", 201, created)));
    const out = await addGeneralHolidays([{ name: "Jueves Santo", date: "2026-04-02" }], { connector: testConnector() });
    expect(expectOperation(seen, "POST", "/organization/holidays/general")).toEqual([{ name: "Jueves Santo", date: "2026-04-02" }]);
    expect([out[0].id, out[0].creationDate?.toISO()]).toEqual([3, "2026-03-01T10:00:00.000-06:00"]);
  });

  test("getNonWorkingDays() / setNonWorkingDays()", async () => {
    tenant().get("/api/organization/holidays/nonworkingdays").reply(200, answer("GET", "/organization/holidays/nonworkingdays", 200, { nonWorkingDays: ["SUNDAY"] }));
    expect(await getNonWorkingDays({ connector: testConnector() })).toEqual(["SUNDAY"]);
    const seen: Captured = {};
    tenant().put("/api/organization/holidays/nonworkingdays").reply(capture(seen, 200, answer("PUT", "/organization/holidays/nonworkingdays", 200, { nonWorkingDays: ["SATURDAY", "SUNDAY"] })));
    expect(await setNonWorkingDays(["SUNDAY", "SATURDAY"], { connector: testConnector() })).toEqual(["SATURDAY", "SUNDAY"]);
    expect(expectOperation(seen, "PUT", "/organization/holidays/nonworkingdays")).toEqual({ nonWorkingDays: ["SUNDAY", "SATURDAY"] });
  });

  test("bad holidays and days are refused before any request", async () => {
    const conn = testConnector();
    await expect(addGeneralHolidays([], { connector: conn })).rejects.toThrow(/name at least one holiday/);
    await expect(addGeneralHolidays([{ name: "X", date: "01/06/2026" }], { connector: conn })).rejects.toThrow(MambuTsError);
    await expect(addGeneralHolidays([{ name: "X" } as never], { connector: conn })).rejects.toThrow(/date is required/);
    await expect(addGeneralHolidays([{ name: "X", date: "2026-06-01", when: "now" } as never], { connector: conn })).rejects.toThrow(/unknown option "when"/);
    await expect(setHolidays([{ id: 1, name: "A", date: "2026-06-01" }, { id: 1, name: "B", date: "2026-06-02" }], { connector: conn })).rejects.toThrow(/id 1 is named twice/);
    await expect(setHolidays(Array.from({ length: 1001 }, (_, i) => ({ name: `H${i}`, date: DateTime.fromISO("2030-01-01").plus({ days: i }).toISODate()! })), { connector: conn })).rejects.toThrow(/at most 1000 holidays/);
    await expect(setHolidays([], { connector: conn, nonWorkingDays: ["SUNDAY", "SUNDAY"] })).rejects.toThrow(/named twice/);
    await expect(setNonWorkingDays("SUNDAY" as never, { connector: conn })).rejects.toThrow(/must be a list of days/);
    expect(requests).toEqual([]);
  });
});

describe("MambuIdentificationDocumentTemplate", () => {
  test("getAll(): GET the list with detailsLevel; matches() checks a document id against the template", async () => {
    const list = [{ encodedKey: "1d7e0000000000000000000000000003", documentType: "Passport", issuingAuthority: "SRE", documentIdTemplate: "@########", mandatory: false, allowAttachments: true }];
    tenant().get("/api/organization/identificationDocumentTemplates").query({ detailsLevel: "FULL" }).reply(200, answer("GET", "/organization/identificationDocumentTemplates", 200, list));
    const [passport] = await MambuIdentificationDocumentTemplate.getAll({ connector: testConnector(), detailsLevel: "FULL" });
    expect([passport.documentType, passport.mandatory]).toEqual(["Passport", false]);
    expect([passport.matches("G12345678"), passport.matches("G1234567"), passport.matches("GG2345678")]).toEqual([true, false, false]);
    await expect(MambuIdentificationDocumentTemplate.getAll({ connector: testConnector(), detailsLevel: "ALL" as never })).rejects.toThrow(/BASIC or FULL/);
  });
});

describe("the sandbox's time zone for its clock's offset", () => {
  test.each([
    [120, "Africa/Johannesburg", "Africa/Johannesburg"],
    [-300, "Africa/Johannesburg", "Etc/GMT+5"],
    [120, "Europe/Berlin", "Etc/GMT-2"], // daylight saving: not +02:00 all year
    [0, undefined, "Etc/UTC"],
    [330, undefined, "Asia/Kolkata"],
    [-570, undefined, "Pacific/Marquesas"],
    [14 * 60, undefined, "Etc/GMT-14"],
    [15 * 60, undefined, "UTC+15:00"],
  ])("offset %i min, preferred %s → %s, which has that offset in January and July", (minutes, preferred, zone) => {
    expect(timeZoneForOffset(minutes, 2026, preferred)).toBe(zone);
    for (const month of [1, 7]) expect(DateTime.fromObject({ year: 2026, month, day: 15 }, { zone }).offset).toBe(minutes);
  });
});

describe("the sandbox's due dates on non-working days", () => {
  const terms: ScheduleTerms = {
    loanAmount: D(1000), decimals: 2, interestMethod: "FLAT", interestRate: D(12), interestChargeFrequency: "ANNUALIZED", daysInYear: 365,
    daysCountMethod: "REPAYMENT_PERIODICITY", installments: 4, periodUnit: "MONTHS", periodCount: 1, gracePeriod: 0, gracePeriodType: "NONE",
    startDate: "2026-01-31",
  };
  const weekdays = (d: string): boolean => DateTime.fromISO(d).weekday <= 5;

  test.each([
    // month ends from 31 Jan 2026: Sat 28 Feb, Tue 31 Mar, Thu 30 Apr, Sun 31 May
    [undefined, ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]],
    ["NEXT_WORKING_DAY", ["2026-03-02", "2026-03-31", "2026-04-30", "2026-06-01"]],
    ["PREVIOUS_WORKING_DAY", ["2026-02-27", "2026-03-31", "2026-04-30", "2026-05-29"]],
    ["EXTEND_SCHEDULE", ["2026-03-02", "2026-04-02", "2026-05-04", "2026-06-04"]],
  ] as const)("%s → %j", (method, expected) => {
    expect(dueDates({ ...terms, rescheduling: method && { method, isWorkingDay: weekdays } })).toEqual(expected);
  });

  test("a tenant without any working day near a due date leaves it where it falls (the search is bounded)", () => {
    expect(dueDates({ ...terms, installments: 1, rescheduling: { method: "NEXT_WORKING_DAY", isWorkingDay: () => false } })).toEqual(["2026-02-28"]);
  });
});
