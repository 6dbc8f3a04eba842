/**
 * Sandbox e2e: the organization and its reference data over HTTP — organization setup (the time zone ETL clients
 * read first, consistent with the clock's offset), general setup, holidays and non-working days, transaction
 * channels (CRUD and Mambu's refusals) and identification document templates. Every answer is checked against
 * the operation's response schema; a tenant started empty and with another offset answers too.
 */
import { DateTime } from "luxon";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, contractCall } from "./sandbox-helpers";

let sb: Sandbox;
const START = "2026-03-02T10:00:00+02:00";

/** Calls the sandbox and asserts that a JSON answer matches the contract's response schema for its status. */
async function api(method: string, path: string, body?: unknown, s: Sandbox = sb): Promise<Answer> {
  return contractCall(s, method, path, body);
}

function reason(r: Answer): string {
  return `${r.status} ${r.body?.errors?.[0]?.errorReason}`;
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: START } });
});
afterAll(() => sb.stop());

describe("organization setup", () => {
  const setup = {
    institutionName: "Financiera Demo AZ", decimalSeparator: "POINT", dateFormat: "dd-MM-yyyy", dateTimeFormat: "dd-MM-yyyy HH:mm:ss",
  };

  test("GET /setup/organization: name, base currency and a time zone whose offset is the clock's", async () => {
    const r = await api("GET", "/setup/organization");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ institutionName: "Financiera Demo AZ", currency: "MXN", timeZoneID: "Africa/Johannesburg", decimalSeparator: "POINT" });
    expect(r.body.address).toMatchObject({ city: "Ciudad de Mexico", country: "Mexico" });
    // what an ETL client does with it: the tenant's "now" in that zone has the offset of every sandbox date
    const now = DateTime.fromISO(sb.clock.nowIso(), { setZone: true });
    expect(now.setZone(r.body.timeZoneID).offset).toBe(120);
    expect(DateTime.fromISO("2026-07-15T12:00:00Z").setZone(r.body.timeZoneID).offset).toBe(120);
    expect(r.body.creationDate).toMatch(/\+02:00$/);
  });

  test("PUT /setup/organization replaces the editable settings; currency and time zone stay", async () => {
    sb.clock.set("2026-03-02T11:30:00+02:00");
    const r = await api("PUT", "/setup/organization", { ...setup, institutionName: "Financiera Demo AZ, S.A.", emailAddress: "hola@demo.invalid", currency: "MXN", timeZoneID: "Africa/Johannesburg" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ institutionName: "Financiera Demo AZ, S.A.", emailAddress: "hola@demo.invalid", currency: "MXN", timeZoneID: "Africa/Johannesburg", lastModifiedDate: "2026-03-02T11:30:00+02:00" });
    // PUT replaces: the phone number and address not sent are gone
    expect(r.body.phoneNumber).toBeUndefined();
    expect(r.body.address).toBeUndefined();
    const again = await api("GET", "/setup/organization");
    expect(again.body).toEqual(r.body);
  });

  test.each([
    [{ institutionName: "  " }, "400 BLANK_INSTITUTION_NAME"],
    [{ institutionName: "x".repeat(256) }, "400 INSTITUTION_NAME_LENGTH"],
    [{ decimalSeparator: undefined }, "400 BLANK_DECIMAL_SEPARATOR"],
    [{ decimalSeparator: "SPACE" }, "400 INVALID_DECIMAL_SEPARATOR"],
    [{ dateFormat: "dd-MM" }, "400 INVALID_DATE_FORMAT"],
    [{ dateFormat: "dd-MM-yyyy HH" }, "400 INVALID_DATE_FORMAT"],
    [{ dateTimeFormat: "" }, "400 BLANK_DATE_TIME"],
    [{ dateTimeFormat: "dd-MM-yyyy HH:mm:ss Z" }, "400 HAS_INVALID_DATE_TIME_CHARACTER"],
    [{ dateTimeFormat: "dd-MM-yyyy" }, "400 MISSING_REQUIRED_DATE_TIME_CHARACTER"],
    [{ currency: "USD" }, "400 INVALID_PARAMETERS"],
    [{ timeZoneID: "Europe/Berlin" }, "400 INVALID_PARAMETERS"],
  ])("PUT /setup/organization with %j → %s", async (change, expected) => {
    const before = (await api("GET", "/setup/organization")).body;
    const r = await api("PUT", "/setup/organization", { ...setup, ...change });
    expect(reason(r)).toBe(expected);
    expect((await api("GET", "/setup/organization")).body).toEqual(before);
  });

  test("GET /setup/general: the tenant's rules, the default transaction channel among them", async () => {
    const r = await api("GET", "/setup/general");
    expect(r.status).toBe(200);
    const cash = (await api("GET", "/organization/transactionChannels/cash")).body;
    expect(r.body).toMatchObject({ decimalSeparator: "POINT", defaultTransactionChannelKey: cash.encodedKey, defaultClientState: "INACTIVE" });
    expect(r.body.enabledComponents).toEqual(expect.arrayContaining(["LOANS", "DEPOSITS", "ACCOUNTING"]));
  });
});

describe("holidays and non-working days", () => {
  test("GET /organization/holidays: the general holidays by date and the non-working days", async () => {
    const r = await api("GET", "/organization/holidays");
    expect(r.status).toBe(200);
    expect(r.body.holidays.map((h: { name: string; date: string; id: number }) => [h.id, h.name, h.date])).toEqual([
      [1, "Año Nuevo", "2020-01-01"], [2, "Día del Trabajo", "2020-05-01"], [3, "Día de la Independencia", "2020-09-16"], [4, "Navidad", "2020-12-25"],
    ]);
    expect(r.body.holidays.every((h: { isAnnuallyRecurring: boolean }) => h.isAnnuallyRecurring)).toBe(true);
    expect(r.body.nonWorkingDays).toEqual(["SATURDAY", "SUNDAY"]);
  });

  test("POST /organization/holidays/general adds holidays with new ids; refusals leave the list as it was", async () => {
    const r = await api("POST", "/organization/holidays/general", [{ name: "Día de la Constitución", date: "2026-02-02" }, { name: "Natalicio de Benito Juárez", date: "2026-03-16", isAnnuallyRecurring: false }]);
    expect(r.status).toBe(201);
    expect(r.body.map((h: { id: number; name: string; isAnnuallyRecurring: boolean; creationDate: string }) => [h.id, h.name, h.isAnnuallyRecurring, h.creationDate])).toEqual([
      [5, "Día de la Constitución", false, sb.clock.nowIso()], [6, "Natalicio de Benito Juárez", false, sb.clock.nowIso()],
    ]);
    const refusals: Array<[unknown, string]> = [
      [[{ name: "Twice", date: "2026-02-02" }], "400 INVALID_HOLIDAY_SETUP"],
      [[{ id: 1, name: "Old id", date: "2026-06-01" }], "400 DUPLICATE_HOLIDAY_ID"],
      [[{ name: "", date: "2026-06-01" }], "400 BLANK_HOLIDAY_NAME"],
      [[{ name: "x".repeat(256), date: "2026-06-01" }], "400 HOLIDAY_NAME_LENGTH"],
      [[{ name: "No date" }], "400 HOLIDAY_VALID_DATE_ERROR"],
      [[{ name: "Bad date", date: "2026-02-30" }], "400 HOLIDAY_VALID_DATE_ERROR"],
      [{ name: "not a list", date: "2026-06-01" }, "400 INVALID_PARAMETERS"],
      [[], "400 INVALID_PARAMETERS"],
    ];
    for (const [body, expected] of refusals) expect([body, reason(await api("POST", "/organization/holidays/general", body))]).toEqual([body, expected]);
    expect((await api("GET", "/organization/holidays")).body.holidays).toHaveLength(6);
  });

  test("PUT /organization/holidays replaces the list: a holiday named by id keeps its key and creation date", async () => {
    const before = (await api("GET", "/organization/holidays")).body.holidays;
    const newYear = before.find((h: { id: number }) => h.id === 1);
    sb.clock.advance({ hours: 1 });
    const r = await api("PUT", "/organization/holidays", { holidays: [{ id: 1, name: "Año Nuevo", date: "2020-01-01", isAnnuallyRecurring: true }, { name: "Día de Muertos", date: "2026-11-02" }] });
    expect(r.status).toBe(200);
    expect(r.body.holidays).toEqual([
      newYear,
      { encodedKey: expect.stringMatching(/^[0-9a-f]{32}$/), id: 7, name: "Día de Muertos", date: "2026-11-02", isAnnuallyRecurring: false, creationDate: sb.clock.nowIso() },
    ]);
    expect(r.body.nonWorkingDays).toEqual(["SATURDAY", "SUNDAY"]);
    expect((await api("GET", "/organization/holidays")).body).toEqual(r.body);
    expect(reason(await api("PUT", "/organization/holidays", { holidays: [{ id: 9, name: "A", date: "2026-01-06" }, { id: 9, name: "B", date: "2026-01-07" }] }))).toBe("400 DUPLICATE_HOLIDAY_ID");
    expect(reason(await api("PUT", "/organization/holidays", { holidays: Array.from({ length: 1001 }, (_, i) => ({ name: `H${i}`, date: DateTime.fromISO("2030-01-01").plus({ days: i }).toISODate() })) }))).toBe("400 INVALID_HOLIDAY_SETUP");
    expect((await api("GET", "/organization/holidays")).body).toEqual(r.body);
  });

  test("GET/PUT /organization/holidays/nonworkingdays: days of the week, in week order", async () => {
    expect((await api("GET", "/organization/holidays/nonworkingdays")).body).toEqual({ nonWorkingDays: ["SATURDAY", "SUNDAY"] });
    const r = await api("PUT", "/organization/holidays/nonworkingdays", { nonWorkingDays: ["SUNDAY", "FRIDAY"] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ nonWorkingDays: ["FRIDAY", "SUNDAY"] });
    expect((await api("GET", "/organization/holidays")).body.nonWorkingDays).toEqual(["FRIDAY", "SUNDAY"]);
    const week = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
    expect(reason(await api("PUT", "/organization/holidays/nonworkingdays", { nonWorkingDays: ["SUNDAY", "SUNDAY"] }))).toBe("400 DUPLICATE_NON_WORKING_DAYS");
    expect(reason(await api("PUT", "/organization/holidays/nonworkingdays", { nonWorkingDays: week }))).toBe("400 DUPLICATE_NON_WORKING_DAYS");
    expect(reason(await api("PUT", "/organization/holidays/nonworkingdays", { nonWorkingDays: ["FUNDAY"] }))).toBe("400 INVALID_PARAMETERS");
    expect(reason(await api("PUT", "/organization/holidays/nonworkingdays", {}))).toBe("400 INVALID_PARAMETERS");
    expect((await api("PUT", "/organization/holidays/nonworkingdays", { nonWorkingDays: [] })).body).toEqual({ nonWorkingDays: [] });
    expect((await api("PUT", "/organization/holidays", { holidays: [], nonWorkingDays: ["SATURDAY", "SUNDAY"] })).body).toEqual({ holidays: [], nonWorkingDays: ["SATURDAY", "SUNDAY"] });
  });
});

describe("transaction channels", () => {
  const unconstrained = { usage: "UNCONSTRAINED", constraints: [] };
  const agent = { id: "agent", name: "Banking agent", glAccount: "1300", loanConstraints: unconstrained, depositConstraints: unconstrained };

  test("GET /organization/transactionChannels: the demo's cash (default) and bank channels; state filter", async () => {
    const r = await api("GET", "/organization/transactionChannels");
    expect(r.status).toBe(200);
    expect(r.body.map((c: { id: string; name: string; isDefault: boolean; state: string }) => [c.id, c.name, c.isDefault, c.state])).toEqual([
      ["cash", "Cash", true, "ACTIVE"], ["bank", "Bank transfer", false, "ACTIVE"],
    ]);
    expect((await api("GET", "/organization/transactionChannels?transactionChannelState=INACTIVE")).body).toEqual([]);
    expect(reason(await api("GET", "/organization/transactionChannels?transactionChannelState=GONE"))).toBe("400 INVALID_PARAMETERS");
  });

  test("POST creates a channel (never the default); GET by id or encodedKey", async () => {
    const r = await api("POST", "/organization/transactionChannels", agent);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ...agent, encodedKey: expect.stringMatching(/^[0-9a-f]{32}$/), state: "ACTIVE", isDefault: false, availableForAll: true, usageRights: [] });
    expect((await api("GET", "/organization/transactionChannels/agent")).body).toEqual(r.body);
    expect((await api("GET", `/organization/transactionChannels/${r.body.encodedKey}`)).body).toEqual(r.body);
    expect(reason(await api("GET", "/organization/transactionChannels/nowhere"))).toBe("404 INVALID_TRANSACTION_CHANNEL_ID");
  });

  test.each([
    [{ id: "cash" }, "400 DUPLICATE_TRANSACTION_CHANNEL_ID"],
    [{ id: "other", name: "bank TRANSFER " }, "400 DUPLICATE_TRANSACTION_CHANNEL_NAME"],
    [{ id: "my channel" }, "400 TRANSACTION_CHANNEL_ID_CONTAINS_SPACES"],
    [{ id: " " }, "400 EMPTY_TRANSACTION_CHANNEL_ID"],
    [{ id: "x1", name: "" }, "400 EMPTY_TRANSACTION_CHANNEL_NAME"],
    [{ id: "x2", name: "X2", loanConstraints: { usage: "LIMITED", constraints: [] } }, "400 INVALID_TRANSACTION_CHANNEL_LOAN_CONSTRAINTS"],
    [{ id: "x3", name: "X3", depositConstraints: { usage: "UNCONSTRAINED", constraints: [{ criteria: "AMOUNT", operator: "MORE_THAN", value: "100" }] } }, "400 INVALID_TRANSACTION_CHANNEL_SAVINGS_CONSTRAINTS"],
    [{ id: "x4", name: "X4", glAccount: undefined }, "400 INVALID_PARAMETERS"],
    [{ id: "x5", name: "X5", state: "CLOSED" }, "400 INVALID_PARAMETERS"],
    [{ id: "x6", name: "X6", glAccount: "9999" }, "400 INVALID_GL_ACCOUNT_ID"],
  ])("POST refuses %j → %s", async (change, expected) => {
    const r = await api("POST", "/organization/transactionChannels", { ...agent, name: "Another", ...change });
    expect(reason(r)).toBe(expected);
  });

  test("PUT replaces a channel (200 without a body); the default channel cannot be deactivated", async () => {
    const r = await api("PUT", "/organization/transactionChannels/agent", { ...agent, name: "Banking agent (OXXO)", state: "INACTIVE" });
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
    const got = (await api("GET", "/organization/transactionChannels/agent")).body;
    expect(got).toMatchObject({ id: "agent", name: "Banking agent (OXXO)", state: "INACTIVE", isDefault: false });
    expect((await api("GET", "/organization/transactionChannels?transactionChannelState=INACTIVE")).body.map((c: { id: string }) => c.id)).toEqual(["agent"]);
    const cash = (await api("GET", "/organization/transactionChannels/cash")).body;
    const { encodedKey: _k, isDefault: _d, ...cashBody } = cash;
    expect(reason(await api("PUT", "/organization/transactionChannels/cash", { ...cashBody, state: "INACTIVE" }))).toBe("400 TRANSACTION_CHANNEL_CANNOT_BE_DEACTIVATED");
    expect(reason(await api("PUT", "/organization/transactionChannels/agent", { ...agent, id: "bank" }))).toBe("400 DUPLICATE_TRANSACTION_CHANNEL_ID");
    expect(reason(await api("PUT", "/organization/transactionChannels/nowhere", agent))).toBe("404 INVALID_TRANSACTION_CHANNEL_ID");
    expect((await api("GET", "/organization/transactionChannels/cash")).body).toEqual(cash);
  });

  test("DELETE: not the default channel, not one transactions were made through; else 204", async () => {
    expect(reason(await api("DELETE", "/organization/transactionChannels/cash"))).toBe("400 CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL");
    const dep = await call(sb, "POST", "/deposits/DEP001/deposit-transactions", { body: { amount: 100, transactionDetails: { transactionChannelId: "bank" } } });
    expect(dep.status).toBe(201);
    expect(reason(await api("DELETE", "/organization/transactionChannels/bank"))).toBe("400 TRANSACTION_CHANNEL_IN_USE");
    const del = await api("DELETE", "/organization/transactionChannels/agent");
    expect(del.status).toBe(204);
    expect(reason(await api("GET", "/organization/transactionChannels/agent"))).toBe("404 INVALID_TRANSACTION_CHANNEL_ID");
    expect(reason(await api("DELETE", "/organization/transactionChannels/agent"))).toBe("404 INVALID_TRANSACTION_CHANNEL_ID");
  });
});

describe("identification document templates", () => {
  test("GET /organization/identificationDocumentTemplates: the demo's templates", async () => {
    const r = await api("GET", "/organization/identificationDocumentTemplates?detailsLevel=FULL");
    expect(r.status).toBe(200);
    expect(r.body.map((t: { documentType: string; documentIdTemplate: string; mandatory: boolean }) => [t.documentType, t.documentIdTemplate, t.mandatory])).toEqual([
      ["INE (credencial para votar)", "##########", true], ["CURP", "@@@@######@@@@@@@#", false], ["Passport", "@########", false],
    ]);
    expect(reason(await api("GET", "/organization/identificationDocumentTemplates?detailsLevel=ALL"))).toBe("400 INVALID_PARAMETERS");
  });
});

describe("a tenant started empty, at another offset", () => {
  let empty: Sandbox;
  beforeAll(async () => {
    empty = await startSandbox({ port: 0, data: "empty", clock: { start: "2026-03-02T10:00:00", offset: "-05:00" } });
  });
  afterAll(() => empty.stop());

  test("has an organization whose zone has its offset, no channels, holidays or templates", async () => {
    const org = await api("GET", "/setup/organization", undefined, empty);
    expect(org.body).toMatchObject({ currency: "MXN", timeZoneID: "Etc/GMT+5", creationDate: "2026-03-02T10:00:00-05:00" });
    expect(DateTime.fromISO(empty.clock.nowIso(), { setZone: true }).setZone(org.body.timeZoneID).offset).toBe(-300);
    expect((await api("GET", "/organization/transactionChannels", undefined, empty)).body).toEqual([]);
    expect((await api("GET", "/organization/holidays", undefined, empty)).body).toEqual({ holidays: [], nonWorkingDays: ["SATURDAY", "SUNDAY"] });
    expect((await api("GET", "/organization/identificationDocumentTemplates", undefined, empty)).body).toEqual([]);
    const general = await api("GET", "/setup/general", undefined, empty);
    expect(general.body.defaultTransactionChannelKey).toBeUndefined();
  });
});

describe("due dates on non-working days (the product's repaymentReschedulingMethod)", () => {
  /** A loan product like FLAT-MICRO whose new schedules move due dates on non-working days by `method`. */
  async function product(id: string, method: string): Promise<string> {
    const base = (await call(sb, "GET", "/loanproducts/FLAT-MICRO")).body;
    for (const f of ["encodedKey", "creationDate", "lastModifiedDate"]) delete base[f];
    const r = await call(sb, "POST", "/loanproducts", { body: { ...base, id, scheduleSettings: { ...base.scheduleSettings, repaymentReschedulingMethod: method } } });
    expect(r.status).toBe(201);
    return r.body.encodedKey;
  }
  const terms = { loanAmount: 1200, interestSettings: { interestRate: 24 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 4, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" } };

  beforeAll(async () => {
    // Labour Day (a Friday in 2026) is a holiday; weekends are not working days
    const r = await call(sb, "PUT", "/organization/holidays", { body: { holidays: [{ name: "Día del Trabajo", date: "2020-05-01", isAnnuallyRecurring: true }], nonWorkingDays: ["SATURDAY", "SUNDAY"] } });
    expect(r.status).toBe(200);
  });

  test.each([
    // disbursed Wed 1 Apr 2026: nominal due dates Fri 1 May (holiday), Mon 1 Jun, Wed 1 Jul, Sat 1 Aug
    ["NONE", ["2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01"]],
    ["NEXT_WORKING_DAY", ["2026-05-04", "2026-06-01", "2026-07-01", "2026-08-03"]],
    ["PREVIOUS_WORKING_DAY", ["2026-04-30", "2026-06-01", "2026-07-01", "2026-07-31"]],
    ["EXTEND_SCHEDULE", ["2026-05-04", "2026-06-04", "2026-07-06", "2026-08-06"]],
  ])("%s: the preview's due dates", async (method, dates) => {
    const key = await product(`NWD-${method}`, method);
    const r = await call(sb, "POST", "/loans:previewSchedule", {
      body: { ...terms, productTypeKey: key, disbursementDetails: { expectedDisbursementDate: "2026-04-01T00:00:00+02:00" } },
    });
    expect(r.status).toBe(200);
    expect(r.body.installments.map((i: { dueDate: string }) => i.dueDate.slice(0, 10))).toEqual(dates);
    // the amounts do not depend on the dates (flat interest, 24 % a year on 1200: 24 an installment)
    expect(r.body.installments.map((i: { interest: { amount: { expected: number } } }) => i.interest.amount.expected)).toEqual([24, 24, 24, 24]);
  });

  test("NEXT_WORKING_DAY: a disbursed loan's schedule has the moved dates; changing holidays later moves nothing", async () => {
    const key = (await call(sb, "GET", "/loanproducts/NWD-NEXT_WORKING_DAY")).body.encodedKey;
    const created = await call(sb, "POST", "/loans", { body: { ...terms, accountHolderKey: "0512N0026", accountHolderType: "CLIENT", productTypeKey: key } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call(sb, "POST", `/loans/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
    // disbursed Mon 2 Mar 2026: Thu 2 Apr, Sat 2 May → Mon 4 May, Tue 2 Jun, Thu 2 Jul
    expect((await call(sb, "POST", `/loans/${id}/disbursement-transactions`, { body: { transactionDetails: { transactionChannelId: "cash" } } })).status).toBe(201);
    const dates = async (): Promise<string[]> => (await call(sb, "GET", `/loans/${id}/schedule`)).body.installments.map((i: { dueDate: string }) => i.dueDate.slice(0, 10));
    expect(await dates()).toEqual(["2026-04-02", "2026-05-04", "2026-06-02", "2026-07-02"]);
    expect((await call(sb, "PUT", "/organization/holidays/nonworkingdays", { body: { nonWorkingDays: ["THURSDAY"] } })).status).toBe(200);
    expect(await dates()).toEqual(["2026-04-02", "2026-05-04", "2026-06-02", "2026-07-02"]);
  });
});
