/**
 * The MambuPy cookbook's client and loan recipes (sections 1, 3, 5, 6), in TypeScript, against
 * mocked Mambu answers. Each block mirrors the cookbook's code; README "Cookbook" shows the same.
 */
import nock from "nock";
import {
  DateTime, Decimal, MambuClient, MambuCommError, MambuConnector, MambuError, MambuLoan, MambuPyError, MambuTsError,
} from "../../lib";
import { MambuConfig } from "../../lib/config";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

test("1. Working with clients", async () => {
  const connector = testConnector();
  mambu().get("/api/clients/0512N0025").query({ detailsLevel: "BASIC" }).reply(200, fixture("client-full.json"));
  const client = await MambuClient.get("0512N0025", { connector });
  expect(`Name: ${client.firstName} ${client.lastName}`).toBe("Name: JOSEFA ALAS");
  expect(`Name: ${client["firstName"]} ${client["lastName"]}`).toBe("Name: JOSEFA ALAS");
  expect(client.state).toBe("ACTIVE");

  mambu().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query(true).reply(200, fixture("client-full.json"));
  expect((await MambuClient.get("8a099a673f1f25a0013f1fd0a1c318a5", { connector })).id).toBe("0512N0025");

  mambu().get("/api/clients/24N12345").query({ detailsLevel: "FULL" }).reply(200, fixture("client-full.json"));
  const full = await MambuClient.get("24N12345", { detailsLevel: "FULL", connector });
  expect(full.addresses?.[0].line1).toBe("Calle 5");
  expect(full.idDocuments?.[0].documentType).toBe("INE");
  expect(full._OtherDetails).toEqual({ Age: "48", EmployerName: 'Café "El Rincón"', Id: "shadow" }); // as they come from Mambu
  expect(full.EmployerName).toBe('Café "El Rincón"'); // each field as an entity property

  const list = [fixtureJson("client-full.json")];
  mambu().get("/api/clients").query({ firstName: "JOSEFA", state: "ACTIVE", offset: "0", limit: "50", detailsLevel: "BASIC" }).reply(200, list);
  const clients = await MambuClient.getAll({ limit: 50, offset: 0, filters: { firstName: "JOSEFA", state: "ACTIVE" }, detailsLevel: "BASIC", connector });
  expect(clients.map((c) => `Client ${c.id}: ${c.firstName} ${c.lastName}`)).toEqual(["Client 0512N0025: JOSEFA ALAS"]);

  mambu().post("/api/clients:search", { filterCriteria: [{ field: "firstName", operator: "EQUALS", value: "JOSEFA" }] }).query(true).reply(200, list);
  const found = await MambuClient.search({ filterCriteria: [{ field: "firstName", operator: "EQUALS", value: "JOSEFA" }], connector });
  expect(found[0].id).toBe("0512N0025");
});

test("3. Working with loans", async () => {
  const connector = testConnector();
  mambu().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
  const loan = await MambuLoan.get("54321", { connector });
  expect(loan.id).toBe("54321");
  expect(loan.accountState).toBe("ACTIVE");
  expect(DateTime.isDateTime(loan.disbursementDetails?.disbursementDate)).toBe(true); // a DateTime, not a string
  expect(Decimal.isDecimal(loan.loanAmount)).toBe(true); // a Decimal, not a float
  expect(loan.loanAmount.toFixed(2)).toBe("1500.00");

  mambu().get("/api/loans").query({ accountState: "ACTIVE_IN_ARREARS", creditOfficerUsername: "a.alas", offset: "0", limit: "50" }).reply(200, []);
  const loans = await MambuLoan.getAll({ limit: 100, offset: 0, filters: { accountState: "ACTIVE_IN_ARREARS", creditOfficerUsername: "a.alas" }, connector });
  expect(loans).toEqual([]);

  mambu().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query(true).reply(200, fixture("client-full.json"));
  const holder = await loan.getAccountHolder();
  expect(loan.accountHolderType === "GROUP" ? "group" : `Holder (Client) ${holder.id}: ${(holder as MambuClient).firstName}`).toBe("Holder (Client) 0512N0025: JOSEFA");

  mambu().get(`/api/loans/${loan.encodedKey}/schedule`).reply(200, {
    installments: [{ number: "1", state: "PAID", dueDate: "2021-04-15T00:00:00+05:30", principal: { amount: { expected: 500, paid: 500, due: 0 } } }],
  });
  expect(loan.schedule).toBeUndefined(); // doesn't exist before getSchedule()
  await loan.getSchedule();
  const installment = loan.schedule![0];
  expect([installment.number, installment.state, installment.dueDate?.toISODate()]).toEqual(["1", "PAID", "2021-04-15"]);
  expect(String((installment.principal as any)["amount"]["paid"])).toBe("500");

  mambu().get(`/api/loans/${loan.encodedKey}/transactions`).query(true).reply(200, [
    { encodedKey: "t1", id: "99", type: "DISBURSEMENT", valueDate: "2021-03-15T00:00:00+05:30", amount: 1500 },
  ]);
  expect(loan.transactions).toBeUndefined();
  await loan.getTransactions();
  const tx = loan.transactions![0];
  expect([tx.id, tx.type, tx.valueDate?.toISODate(), tx.amount?.toFixed(2)]).toEqual(["99", "DISBURSEMENT", "2021-03-15", "1500.00"]);
});

test("5. Advanced searches", async () => {
  let body: unknown;
  mambu().post("/api/loans:search", (b) => ((body = b), true)).query({ offset: "0", limit: "20" }).reply(200, []);
  await MambuLoan.search({
    filterCriteria: [
      { field: "accountState", operator: "EQUALS", value: "ACTIVE_IN_ARREARS" },
      // @ts-expect-error "amount" is the cookbook's, not a field of the contract's LoanAccountFilterCriteria: the runtime leaves field names to Mambu
      { field: "amount", operator: "MORE_THAN", value: 750000 },
    ],
    limit: 20,
    connector: testConnector(),
  });
  expect(body).toEqual({
    filterCriteria: [
      { field: "accountState", operator: "EQUALS", value: "ACTIVE_IN_ARREARS" },
      { field: "amount", operator: "MORE_THAN", value: 750000 },
    ],
  });
});

describe("6. Exception handling", () => {
  test("MambuPyError: offset must be integer", () => {
    expect(() => MambuClient.getAll({ limit: 10, offset: "0" as never })).toThrow(MambuPyError);
    expect(() => MambuClient.getAll({ limit: 10, offset: "0" as never })).toThrow("offset must be integer");
  });

  test("MambuError: 301 (404) - INVALID_CLIENT_ID", async () => {
    mambu().get("/api/clients/I%20DONT%20EXIST").query({ detailsLevel: "BASIC" }).reply(404, { errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }] });
    await expect(MambuClient.get("I DONT EXIST", { connector: testConnector() })).rejects.toThrow(new MambuError("301 (404) - INVALID_CLIENT_ID"));
  });

  test("MambuError: 2 (401) - INVALID_CREDENTIALS (credentials)", async () => {
    mambu().get("/api/clients/0512N0025").query(true).reply(401, { errors: [{ errorCode: 2, errorSource: "credentials", errorReason: "INVALID_CREDENTIALS" }] });
    const err = await MambuClient.get("0512N0025", { connector: testConnector({ apipwd: "BLAHBLAHBLAH" }) }).then(() => null, (e: MambuError) => e);
    expect(err?.message).toBe("2 (401) - INVALID_CREDENTIALS (credentials)");
    expect(err?.errorSource).toBe("credentials");
    expect(JSON.stringify(err) + String(err?.stack)).not.toContain("BLAHBLAHBLAH");
  });

  test("MambuCommError for a host that cannot be reached; all are MambuTsError", async () => {
    const config = new MambuConfig({ env: {}, rcFiles: [] });
    config.apiurl = "http://127.0.0.1:9"; // nothing listens on the discard port
    config.apiuser = "u";
    config.apipwd = "p-secret";
    config.retries = 0;
    const err = await MambuClient.get("0512N0025", { connector: new MambuConnector({ config }) }).then(() => null, (e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err).toBeInstanceOf(MambuError);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err.message).toMatch(/^Unknown comm error with Mambu/);
  });
});
