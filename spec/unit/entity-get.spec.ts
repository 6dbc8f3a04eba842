/** Cookbook sections 1 and 3: get a client or a loan by id or encodedKey, typed fields, errors. */
import nock from "nock";
import { DateTime, Decimal, MambuClient, MambuError, MambuLoan, MambuTsError } from "../../lib";
import { capture, Captured, fixture, mambu, PASSWORD, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

describe("MambuClient.get", () => {
  test("gets a client by id with detailsLevel BASIC by default, with Mambu's headers", async () => {
    const seen: Captured = {};
    mambu().get("/api/clients/0512N0025").query({ detailsLevel: "BASIC" }).reply(capture(seen, 200, fixture("client-full.json")));
    const client = await MambuClient.get("0512N0025", { connector: testConnector() });
    expect(client.firstName).toBe("JOSEFA");
    expect(client["lastName"]).toBe("ALAS");
    expect(client.id).toBe("0512N0025");
    expect(client.state).toBe("ACTIVE");
    expect(seen.headers?.accept).toBe("application/vnd.mambu.v2+json");
    expect(seen.headers?.authorization).toBe("Basic " + Buffer.from(`api.user:${PASSWORD}`).toString("base64"));
    expect(String(seen.headers?.["user-agent"])).toMatch(/^mambu-ts\/\d+\.\d+\.\d+ node\/v\d+/);
    expect(seen.path).not.toContain(PASSWORD);
  });

  test("gets the same client by encodedKey, and FULL details on request", async () => {
    mambu().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query({ detailsLevel: "FULL" }).reply(200, fixture("client-full.json"));
    const client = await MambuClient.get("8a099a673f1f25a0013f1fd0a1c318a5", { detailsLevel: "FULL", connector: testConnector() });
    expect(client.id).toBe("0512N0025");
    expect(client.addresses?.[0].city).toBe("Oaxaca");
    expect(client.idDocuments?.[0].documentId).toBe("00123");
  });

  test("URL-encodes ids in the path", async () => {
    const scope = mambu().get("/api/clients/A%2FB%20C%3F").query(true).reply(200, { id: "A/B C?" });
    const c = await MambuClient.get("A/B C?", { connector: testConnector() });
    expect(c.id).toBe("A/B C?");
    expect(scope.isDone()).toBe(true);
  });

  test("a missing client rejects with MambuError 301 (404) - INVALID_CLIENT_ID", async () => {
    mambu().get("/api/clients/I%20DONT%20EXIST").query(true).reply(404, { errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }] });
    const err = await MambuClient.get("I DONT EXIST", { connector: testConnector() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MambuError);
    expect(err).toBeInstanceOf(MambuTsError);
    expect((err as MambuError).message).toBe("301 (404) - INVALID_CLIENT_ID");
    expect((err as MambuError).errorCode).toBe(301);
    expect((err as MambuError).status).toBe(404);
    expect((err as MambuError).errorReason).toBe("INVALID_CLIENT_ID");
  });

  test("bad arguments fail before any request", () => {
    expect(() => MambuClient.get("", { connector: testConnector() })).toThrow(MambuTsError);
    expect(() => MambuClient.get("1", { detailsLevel: "ALL" as never, connector: testConnector() })).toThrow(/detailsLevel must be one of BASIC, FULL/);
    expect(() => MambuClient.get("1", { details: "FULL" } as never)).toThrow(/unknown option "details"/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test("a 200 with a body that is not an object is a clear MambuError", async () => {
    mambu().get("/api/clients/1").query(true).reply(200, "[]");
    await expect(MambuClient.get("1", { connector: testConnector() })).rejects.toThrow(/expected a MambuClient as a JSON object/);
  });
});

describe("typed fields of a loan (cookbook section 3)", () => {
  test("amounts are Decimal, dates DateTime with Mambu's offset, integers numbers", async () => {
    mambu().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, fixture("loan-full.json"));
    const loan = await MambuLoan.get("54321", { connector: testConnector() });
    expect(Decimal.isDecimal(loan.loanAmount)).toBe(true);
    expect(loan.loanAmount.toFixed(2)).toBe("1500.00");
    expect(loan.balances?.interestBalance?.toFixed(2)).toBe("12345678901234567.89");
    const d = loan.disbursementDetails?.disbursementDate as DateTime;
    expect(DateTime.isDateTime(d)).toBe(true);
    expect(d.toISO()).toBe("2021-03-15T00:00:00.000+05:30");
    expect(loan.daysInArrears).toBe(0);
    expect(loan.accountState).toBe("ACTIVE");
  });
});
