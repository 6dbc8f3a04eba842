/** The fluent chain: lazy, memoised, two levels deep, relations on the same connector. */
import nock from "nock";
import { MambuBranch, MambuClient, MambuError, MambuGroup, MambuLoan, MambuTsError } from "../../lib";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

afterEach(() => nock.cleanAll());

const schedule = {
  currency: { code: "MXN" },
  installments: [
    { encodedKey: "i1", number: "1", dueDate: "2021-04-15T00:00:00+05:30", state: "PAID", principal: { amount: { expected: 500, paid: 500, due: 0 } }, interest: { amount: { expected: 10.5, paid: 10.5, due: 0 } } },
    { encodedKey: "i2", number: "2", dueDate: "2021-05-15T00:00:00+05:30", state: "PENDING", principal: { amount: { expected: 500, paid: 0, due: 0 } } },
  ],
};

test("await MambuLoan.get(id).getSchedule() in one expression", async () => {
  mambu().get("/api/loans/54321").query({ detailsLevel: "BASIC" }).reply(200, fixture("loan-full.json"));
  mambu().get("/api/loans/8a0000000000000000000000000l5432/schedule").reply(200, schedule);
  const installments = await MambuLoan.get("54321", { connector: testConnector() }).getSchedule();
  expect(installments).toHaveLength(2);
  expect(installments[0].constructor.name).toBe("MambuInstallment");
  expect(installments[0].number).toBe("1");
  expect(installments[0].state).toBe("PAID");
  // cookbook: installment.principal['amount']['paid']
  expect(String((installments[0].principal as any)["amount"]["paid"])).toBe("500");
  expect(installments[1].dueDate?.toISO()).toBe("2021-05-15T00:00:00.000+05:30");
});

test("the chain is lazy (nothing sent before await) and memoised (sent once)", async () => {
  const scope = mambu().get("/api/loans/54321").query(true).once().reply(200, fixture("loan-full.json"));
  const p = MambuLoan.get("54321", { connector: testConnector() });
  await new Promise((r) => setTimeout(r, 20));
  expect(scope.isDone()).toBe(false);
  const a = await p;
  const b = await p;
  expect(a).toBe(b);
  expect(scope.isDone()).toBe(true);
});

test("chains two levels deep: loan → account holder → assigned branch, on the loan's connector", async () => {
  const conn = testConnector();
  mambu().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
  mambu().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query(true).reply(200, fixture("client-full.json"));
  mambu().get("/api/branches/8a00000000000000000000000000b001").query(true).reply(200, { encodedKey: "8a00000000000000000000000000b001", id: "CCAZ", name: "Centro" });
  const branch = await MambuLoan.get("54321", { connector: conn }).getAccountHolder().getAssignedBranch();
  expect(branch).toBeInstanceOf(MambuBranch);
  expect(branch.name).toBe("Centro");
});

test("relation getters set the related entity as a property that is never sent back", async () => {
  const conn = testConnector();
  mambu().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
  const loan = await MambuLoan.get("54321", { connector: conn });
  const groupLoan = fixtureJson("loan-full.json");
  mambu().get("/api/clients/8a099a673f1f25a0013f1fd0a1c318a5").query(true).reply(200, fixture("client-full.json"));
  const holder = await loan.getAccountHolder();
  expect(holder).toBeInstanceOf(MambuClient);
  expect(loan.accountHolder).toBe(holder);
  expect(Object.keys(loan.toJSON())).not.toContain("accountHolder");
  expect(loan.pendingPatch()).toEqual([]);

  groupLoan.accountHolderType = "GROUP";
  groupLoan.accountHolderKey = "g1";
  mambu().get("/api/loans/55555").query(true).reply(200, groupLoan);
  mambu().get("/api/groups/g1").query(true).reply(200, { encodedKey: "g1", id: "24G23446", groupName: "Las Flores" });
  const group = await MambuLoan.get("55555", { connector: conn }).getAccountHolder();
  expect(group).toBeInstanceOf(MambuGroup);
  expect((group as MambuGroup).groupName).toBe("Las Flores");
});

test("a relation without its key rejects with a clear error instead of resolving to null", async () => {
  const raw = fixtureJson("client-full.json");
  delete raw.assignedCentreKey;
  mambu().get("/api/clients/0512N0025").query(true).reply(200, raw);
  await expect(MambuClient.get("0512N0025", { connector: testConnector() }).getAssignedCentre()).rejects.toThrow(
    /MambuClient has no assignedCentreKey/,
  );
});

test("a not-found in the middle of a chain rejects with that MambuError", async () => {
  mambu().get("/api/loans/nope").query(true).reply(404, { errors: [{ errorCode: 101, errorReason: "INVALID_LOAN_ACCOUNT_ID" }] });
  const err = await MambuLoan.get("nope", { connector: testConnector() }).getSchedule().then(() => null, (e) => e);
  expect(err).toBeInstanceOf(MambuError);
  expect(err.message).toBe("101 (404) - INVALID_LOAN_ACCOUNT_ID");
});

test("calling something that is not a method is a MambuTsError", async () => {
  mambu().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
  await expect((MambuLoan.get("54321", { connector: testConnector() }) as any).loanName()).rejects.toThrow(MambuTsError);
});

test("fields can be awaited through the chain", async () => {
  mambu().get("/api/loans/54321").query(true).reply(200, fixture("loan-full.json"));
  expect(await MambuLoan.get("54321", { connector: testConnector() }).loanName).toBe("Crédito Productivo");
});
