/**
 * End to end: the organization and its reference data through the ORM against the sandbox — the organization's
 * setup (time zone consistent with the tenant's offset, update), the general setup, transaction channels
 * (create, get, list, update, delete and Mambu's refusals as typed errors), holidays and non-working days, and the
 * identification document templates. The sandbox checks every answer against the contract.
 */
import { DateTime } from "luxon";
import {
  addGeneralHolidays, getGeneralSetup, getHolidays, getNonWorkingDays, MambuConnector, MambuDeposit, MambuHoliday,
  MambuIdentificationDocumentTemplate, MambuOrganization, MambuTransactionChannel, MambuTsError, setHolidays, setNonWorkingDays,
} from "../../lib";
import { main } from "../../lib/cli/main";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, reasonOf } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-03-02T10:00:00+02:00" } });
  conn = demoConnector(sandbox);
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
});

describe("MambuOrganization", () => {
  test("get(): the name, base currency and time zone an ETL client needs; now() in the tenant's zone", async () => {
    const org = await MambuOrganization.get({ connector: conn });
    expect([org.institutionName, org.currency, org.timeZone, org.decimalSeparator]).toEqual(["Financiera Demo AZ", "MXN", "Africa/Johannesburg", "POINT"]);
    expect(org.now().offset).toBe(120);
    expect(org.creationDate?.offset).toBe(120);
  });

  test("update(): the settings change; currency, time zone and a blank name are refused before any request", async () => {
    const org = await MambuOrganization.get({ connector: conn });
    org.institutionName = "Financiera Demo AZ, S.A.";
    org.phoneNumber = "+52 55 0000 1111";
    expect(await org.update()).toBe(org);
    expect(org.institutionName).toBe("Financiera Demo AZ, S.A.");
    expect(org.lastModifiedDate?.toISO()).toBe("2026-03-02T10:00:00.000+02:00");
    const again = await MambuOrganization.get({ connector: conn });
    expect([again.institutionName, again.phoneNumber, again.address?.city]).toEqual(["Financiera Demo AZ, S.A.", "+52 55 0000 1111", "Ciudad de Mexico"]);

    const before = sandbox.requests;
    again.currency = "USD";
    await expect(again.update()).rejects.toThrow(new MambuTsError('MambuOrganization.update: currency cannot be changed through the API (it is "MXN")'));
    again.currency = "MXN";
    again.timeZoneID = "Europe/Berlin";
    await expect(again.update()).rejects.toThrow(/timeZoneID cannot be changed/);
    again.timeZoneID = "Africa/Johannesburg";
    again.institutionName = " ";
    await expect(again.update()).rejects.toThrow("MambuOrganization.update: institutionName is required");
    expect(sandbox.requests).toBe(before);
    again.institutionName = "Financiera Demo AZ";
    again.dateTimeFormat = "dd-MM-yyyy";
    expect(await reasonOf(again.update())).toBe("MISSING_REQUIRED_DATE_TIME_CHARACTER");
  });

  test("getGeneralSetup(): the tenant's rules, the default transaction channel among them", async () => {
    const general = await getGeneralSetup({ connector: conn });
    const cash = await MambuTransactionChannel.get("cash", { connector: conn });
    expect([general.defaultTransactionChannelKey, general.defaultClientState, general.exposureType]).toEqual([cash.encodedKey, "INACTIVE", "UNLIMITED"]);
  });
});

describe("MambuTransactionChannel", () => {
  test("getAll(): the demo's channels, by state", async () => {
    const all = await MambuTransactionChannel.getAll({ connector: conn });
    expect(all.map((c) => [c.id, c.name, c.isDefault])).toEqual([["cash", "Cash", true], ["bank", "Bank transfer", false]]);
    expect(await MambuTransactionChannel.getAll({ connector: conn, transactionChannelState: "INACTIVE" })).toEqual([]);
    expect(() => MambuTransactionChannel.getAll({ connector: conn, transactionChannelState: "GONE" } as never)).toThrow(MambuTsError);
  });

  test("create, get, update (renamed, deactivated), delete; Mambu's refusals as MambuError", async () => {
    const agent = new MambuTransactionChannel({ id: "agent", name: "Banking agent", glAccount: "1300" });
    await agent.create({ connector: conn });
    expect(agent.encodedKey).toMatch(/^[0-9a-f]{32}$/);
    expect([agent.state, agent.isDefault, agent.loanConstraints.usage, agent.depositConstraints.usage]).toEqual(["ACTIVE", false, "UNCONSTRAINED", "UNCONSTRAINED"]);
    expect((await MambuTransactionChannel.get("agent", { connector: conn })).toJSON()).toEqual(agent.toJSON());

    agent.id = "oxxo";
    agent.name = "OXXO";
    agent.state = "INACTIVE";
    await agent.update();
    const renamed = await MambuTransactionChannel.get("oxxo", { connector: conn });
    expect([renamed.encodedKey, renamed.name, renamed.state]).toEqual([agent.encodedKey, "OXXO", "INACTIVE"]);
    expect(await MambuTransactionChannel.find("agent", { connector: conn })).toBeUndefined();
    expect((await MambuTransactionChannel.getAll({ connector: conn, transactionChannelState: "INACTIVE" })).map((c) => c.id)).toEqual(["oxxo"]);

    expect(await reasonOf(new MambuTransactionChannel({ id: "cash", name: "Cash again", glAccount: "1100" }).create({ connector: conn }))).toBe("DUPLICATE_TRANSACTION_CHANNEL_ID");
    expect(await reasonOf(new MambuTransactionChannel({ id: "cash2", name: "CASH", glAccount: "1100" }).create({ connector: conn }))).toBe("DUPLICATE_TRANSACTION_CHANNEL_NAME");
    const cash = await MambuTransactionChannel.get("cash", { connector: conn });
    expect(await reasonOf(cash.delete())).toBe("CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL");
    cash.state = "INACTIVE";
    expect(await reasonOf(cash.update())).toBe("TRANSACTION_CHANNEL_CANNOT_BE_DEACTIVATED");

    const dep = await MambuDeposit.get("DEP001", { connector: conn });
    await dep.deposit("250.00", { transactionDetails: { transactionChannelId: "bank" } });
    const bank = await MambuTransactionChannel.get("bank", { connector: conn });
    expect(await reasonOf(bank.delete())).toBe("TRANSACTION_CHANNEL_IN_USE");

    await renamed.delete();
    expect(await MambuTransactionChannel.find("oxxo", { connector: conn })).toBeUndefined();
  });

  test("bad channels are refused before any request", async () => {
    const before = sandbox.requests;
    await expect(new MambuTransactionChannel({ id: "with space", name: "X", glAccount: "1" }).create({ connector: conn })).rejects.toThrow(/has spaces/);
    await expect(new MambuTransactionChannel({ id: "x", name: " ", glAccount: "1" }).create({ connector: conn })).rejects.toThrow("MambuTransactionChannel.create: name is required");
    await expect(new MambuTransactionChannel({ id: "x", name: "X" }).create({ connector: conn })).rejects.toThrow(/glAccount .* is required/);
    await expect(
      new MambuTransactionChannel({ id: "x", name: "X", glAccount: "1", loanConstraints: { usage: "LIMITED", constraints: [] } }).create({ connector: conn }),
    ).rejects.toThrow(/LIMITED usage need constraints/);
    await expect(new MambuTransactionChannel({ id: "x", name: "X", glAccount: "1" }).patch()).rejects.toThrow(/cannot be patched/);
    expect(sandbox.requests).toBe(before);
  });
});

describe("holidays and non-working days", () => {
  test("getHolidays(), addGeneralHolidays(), setHolidays() replacing the list, non-working days", async () => {
    const { holidays, nonWorkingDays } = await getHolidays({ connector: conn });
    expect(holidays.map((h) => [h.id, h.name, h.date?.toISODate(), h.isAnnuallyRecurring])).toEqual([
      [1, "Año Nuevo", "2020-01-01", true], [2, "Día del Trabajo", "2020-05-01", true], [3, "Día de la Independencia", "2020-09-16", true], [4, "Navidad", "2020-12-25", true],
    ]);
    expect(holidays[0]).toBeInstanceOf(MambuHoliday);
    expect(nonWorkingDays).toEqual(["SATURDAY", "SUNDAY"]);

    const added = await addGeneralHolidays([{ name: "Jueves Santo", date: "2026-04-02" }, { name: "Viernes Santo", date: DateTime.fromISO("2026-04-03") }], { connector: conn });
    expect(added.map((h) => [h.id, h.name, h.date?.toISODate()])).toEqual([[5, "Jueves Santo", "2026-04-02"], [6, "Viernes Santo", "2026-04-03"]]);

    // keep the recurring ones read earlier, drop the rest, add one; Fridays become non-working too
    const after = await setHolidays([...holidays, { name: "Día de Muertos", date: "2026-11-02" }], { connector: conn, nonWorkingDays: ["FRIDAY", "SATURDAY", "SUNDAY"] });
    expect(after.holidays.map((h) => [h.id, h.name])).toEqual([[1, "Año Nuevo"], [2, "Día del Trabajo"], [3, "Día de la Independencia"], [4, "Navidad"], [7, "Día de Muertos"]]);
    expect(after.holidays[0].encodedKey).toBe(holidays[0].encodedKey);
    expect(after.nonWorkingDays).toEqual(["FRIDAY", "SATURDAY", "SUNDAY"]);

    expect(await setNonWorkingDays(["SUNDAY"], { connector: conn })).toEqual(["SUNDAY"]);
    expect(await getNonWorkingDays({ connector: conn })).toEqual(["SUNDAY"]);
    expect(await reasonOf(addGeneralHolidays([{ id: 1, name: "Año Nuevo bis", date: "2026-06-01" }], { connector: conn }))).toBe("DUPLICATE_HOLIDAY_ID");
  });

  test("bad holidays and days are refused before any request", async () => {
    const before = sandbox.requests;
    await expect(addGeneralHolidays([], { connector: conn })).rejects.toThrow("addGeneralHolidays: name at least one holiday");
    await expect(addGeneralHolidays([{ name: "", date: "2026-06-01" }], { connector: conn })).rejects.toThrow(/name is required/);
    await expect(addGeneralHolidays([{ name: "Bad", date: "2026-02-30" }], { connector: conn })).rejects.toThrow(MambuTsError);
    await expect(setHolidays([{ name: "A", date: "2026-06-01" }, { name: "B", date: "2026-06-01" }], { connector: conn })).rejects.toThrow(/two holidays on 2026-06-01/);
    await expect(setNonWorkingDays(["SUNDAY", "SUNDAY"], { connector: conn })).rejects.toThrow(/SUNDAY is named twice/);
    await expect(setNonWorkingDays(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], { connector: conn })).rejects.toThrow(/at least one day/);
    await expect(setNonWorkingDays(["FUNDAY" as never], { connector: conn })).rejects.toThrow(/is not a day/);
    expect(sandbox.requests).toBe(before);
  });
});

test("MambuIdentificationDocumentTemplate.getAll(): the templates, and which document ids follow them", async () => {
  const templates = await MambuIdentificationDocumentTemplate.getAll({ connector: conn, detailsLevel: "FULL" });
  expect(templates.map((t) => [t.documentType, t.mandatory, t.allowAttachments])).toEqual([
    ["INE (credencial para votar)", true, true], ["CURP", false, false], ["Passport", false, true],
  ]);
  const curp = templates[1];
  expect(curp.matches("GOML850101MDFRRSA9")).toBe(true);
  expect(curp.matches("GOML850101MDFRRSAX")).toBe(false);
  expect(templates[2].matches("G12345678")).toBe(true);
  expect(templates[2].matches("1G2345678")).toBe(false);
});

test("the command line lists them: mambu list transactionchannels", async () => {
  let stdout = "";
  const io = { stdout: { write: (t: string) => ((stdout += t), true) }, stderr: { write: () => true } } as unknown as Parameters<typeof main>[1];
  expect(await main(["--sandbox", "list", "transactionchannels", "--limit", "5"], io)).toBe(0);
  expect(stdout).toMatch(/cash/);
  expect(stdout).toMatch(/bank/);
  stdout = "";
  expect(await main(["--sandbox", "get", "transactionchannel", "bank"], io)).toBe(0);
  expect(stdout).toMatch(/Bank transfer/);
});
