/**
 * Sandbox e2e: communication messages. The engine records one message per notification template when it stores
 * a loan disbursement or repayment, or a deposit or withdrawal (the demo tenant's built-in templates: SMS to the
 * client's mobile phone, EMAIL to its email address); a recipient without the address gets a FAILED message
 * saying so; a configurable share of sends fails, reproducibly from a seed; `POST /communications/messages` sends
 * one, `:search` finds them, `:resend` sends FAILED ones again. Every answer is checked against the contract.
 */
import { parseSandboxArgs } from "../../lib/cli/sandbox-command";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, contractCall, expectContractAnswer } from "./sandbox-helpers";

const START = "2026-03-02T09:30:00+02:00";
const RESOURCE = "communications_messages";
const SEARCH = "/communications/messages:search";
const RESEND = "/communications/messages:resend";
const SEND = "/communications/messages";

/** A client of the demo tenant with the contact details given. */
async function newClient(sb: Sandbox, contact: { mobilePhone?: string; emailAddress?: string }, lastName = "NOTIFIED"): Promise<string> {
  const r = await call(sb, "POST", "/clients", { body: { firstName: "ANA", lastName, assignedBranchKey: "CCAZ", ...contact } });
  expect(r.status).toBe(201);
  return r.body.encodedKey as string;
}

/** A loan of the demo product FLAT-MICRO for a client, approved and disbursed; returns its id and the disbursement. */
async function disbursedLoan(sb: Sandbox, clientKey: string): Promise<{ id: string; encodedKey: string; disbursement: Answer }> {
  const created = await call(sb, "POST", "/loans", {
    body: {
      accountHolderKey: clientKey, accountHolderType: "CLIENT", productTypeKey: "FLAT-MICRO", loanAmount: 1200,
      interestSettings: { interestRate: 24 }, scheduleSettings: { gracePeriod: 0, repaymentInstallments: 3, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call(sb, "POST", `/loans/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
  const disbursement = await call(sb, "POST", `/loans/${id}/disbursement-transactions`, { body: {} });
  expect(disbursement.status).toBe(201);
  return { id, encodedKey: created.body.encodedKey, disbursement };
}

/** Searches messages (Mambu's body: an array of filter criteria), checking the answer against the contract. */
async function search(sb: Sandbox, criteria: unknown[], query = ""): Promise<Answer> {
  const r = await call(sb, "POST", `${SEARCH}${query}`, { body: criteria });
  expectContractAnswer("POST", SEARCH, r, { status: 200, resource: RESOURCE, strict: true });
  return r;
}

const eq = (field: string, value: string): Record<string, string> => ({ field, operator: "EQUALS", value });

/** The first error reason of an answer. */
const reasonOf = (r: Answer): string | undefined => r.body?.errors?.[0]?.errorReason;

describe("the demo tenant's notifications", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, clock: { start: START, frozen: true } });
  });
  afterAll(() => sb.stop());

  it("records an SMS to the client's mobile phone on a loan disbursement and on a repayment", async () => {
    const clientKey = await newClient(sb, { mobilePhone: "5512340001", emailAddress: "ana.notified@demo.invalid" });
    const loan = await disbursedLoan(sb, clientKey);
    const repayment = await call(sb, "POST", `/loans/${loan.id}/repayment-transactions`, { body: { amount: 150 } });
    expect(repayment.status).toBe(201);

    const found = (await search(sb, [eq("clientKey", clientKey)])).body as Array<Record<string, unknown>>;
    expect(found.map((m) => [m.event, m.type, m.state])).toEqual([
      ["LOAN_DISBURSEMENT", "SMS", "SENT"],
      ["LOAN_REPAYMENT", "SMS", "SENT"],
    ]);
    const [disbursed, repaid] = found;
    expect(disbursed).toMatchObject({
      destination: "5512340001", clientKey, loanAccountKey: loan.encodedKey, numRetries: 0,
      creationDate: START, sendDate: START, body: `Financiera Demo AZ: your loan ${loan.id} was disbursed: 1200.00 MXN.`,
    });
    expect(typeof disbursed.templateKey).toBe("string");
    expect(disbursed).not.toHaveProperty("failureReason");
    expect(disbursed).not.toHaveProperty("repaymentKey");
    expect(repaid).toMatchObject({ destination: "5512340001", repaymentKey: repayment.body.encodedKey, loanAccountKey: loan.encodedKey });
    expect(repaid.body).toBe(`Financiera Demo AZ: we received your repayment of 150.00 MXN on loan ${loan.id}. Thank you.`);

    // by event and state, paged with the pagination headers
    const page = await search(sb, [eq("clientKey", clientKey), eq("event", "LOAN_REPAYMENT"), eq("state", "SENT")], "?paginationDetails=ON&limit=1");
    expect(page.body.map((m: { encodedKey: string }) => m.encodedKey)).toEqual([repaid.encodedKey]);
    expect(page.headers.get("items-total")).toBe("1");
  });

  it("records an EMAIL to the client's email address on a deposit and a withdrawal", async () => {
    const clientKey = await newClient(sb, { emailAddress: "ana.saver@demo.invalid" }, "SAVER");
    const opened = await call(sb, "POST", "/deposits", {
      body: { name: "Savings", accountHolderKey: clientKey, accountHolderType: "CLIENT", productTypeKey: "SAVINGS", currencyCode: "MXN" },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    expect((await call(sb, "POST", `/deposits/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
    expect((await call(sb, "POST", `/deposits/${id}/deposit-transactions`, { body: { amount: 250.5 } })).status).toBe(201);
    expect((await call(sb, "POST", `/deposits/${id}/withdrawal-transactions`, { body: { amount: 50 } })).status).toBe(201);

    const found = (await search(sb, [eq("clientKey", clientKey), eq("type", "EMAIL")])).body as Array<Record<string, unknown>>;
    expect(found.map((m) => [m.event, m.state, m.destination, m.depositAccountKey, m.subject])).toEqual([
      ["SAVINGS_DEPOSIT", "SENT", "ana.saver@demo.invalid", opened.body.encodedKey, `Deposit to your account ${id}`],
      ["SAVINGS_WITHDRAWAL", "SENT", "ana.saver@demo.invalid", opened.body.encodedKey, `Withdrawal from your account ${id}`],
    ]);
    expect(found[0].body).toBe(`Dear ANA SAVER, 250.50 MXN were deposited to your account ${id} on 2026-03-02. Financiera Demo AZ`);
  });

  it("records a FAILED message when the client has no mobile phone; a resend after it has one is SENT", async () => {
    const clientKey = await newClient(sb, {}, "UNREACHABLE");
    await disbursedLoan(sb, clientKey);
    const [failed] = (await search(sb, [eq("clientKey", clientKey)])).body;
    expect(failed).toMatchObject({ event: "LOAN_DISBURSEMENT", type: "SMS", state: "FAILED", failureReason: "MISSING_SMS_RECIPIENT", numRetries: 0 });
    expect(failed.failureCause).toMatch(/has no mobile phone number/);
    expect(failed).not.toHaveProperty("destination");
    expect(failed).not.toHaveProperty("sendDate");

    const patched = await call(sb, "PATCH", `/clients/${clientKey}`, { body: [{ op: "ADD", path: "/mobilePhone", value: "5512340002" }] });
    expect(patched.status).toBe(204);
    const resent = await call(sb, "POST", RESEND, { body: { messages: [failed.encodedKey] } });
    expectContractAnswer("POST", RESEND, resent, { status: 202, resource: RESOURCE, strict: true });
    const again = await contractCall(sb, "GET", `/communications/messages/${failed.encodedKey}`, undefined, { status: 200, resource: RESOURCE, strict: true });
    expect(again.body).toMatchObject({ state: "SENT", destination: "5512340002", numRetries: 1, sendDate: START });
    expect(again.body).not.toHaveProperty("failureReason");
    expect(again.body).not.toHaveProperty("failureCause");
  });

  it("reads one message by its key (BASIC and FULL alike); an unknown key is 404", async () => {
    const [first] = (await search(sb, [], "?limit=1")).body;
    const basic = await contractCall(sb, "GET", `/communications/messages/${first.encodedKey}?detailsLevel=BASIC`, undefined, { status: 200, resource: RESOURCE, strict: true });
    const full = await contractCall(sb, "GET", `/communications/messages/${first.encodedKey}?detailsLevel=FULL`, undefined, { status: 200, resource: RESOURCE, strict: true });
    expect(basic.body).toEqual(first);
    expect(full.body).toEqual(first);
    expect(Object.keys(first)).not.toContain("sandboxSequence");
    const missing = await contractCall(sb, "GET", "/communications/messages/0123456789abcdef0123456789abcdef", undefined, { status: 404, resource: RESOURCE });
    expect(reasonOf(missing)).toBe("INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY");
    const badLevel = await call(sb, "GET", `/communications/messages/${first.encodedKey}?detailsLevel=ALL`);
    expect([badLevel.status, reasonOf(badLevel)]).toEqual([400, "INVALID_PARAMETERS"]);
  });

  it("searches with the contract's fields and operators only, and Mambu's array body", async () => {
    const sentToday = (await search(sb, [{ field: "creationDate", operator: "TODAY" }, eq("state", "SENT")])).body;
    expect(sentToday.length).toBeGreaterThanOrEqual(4);
    const before = (await search(sb, [{ field: "creationDate", operator: "BEFORE", value: "2026-03-01" }])).body;
    expect(before.length).toBeGreaterThan(0); // the demo tenant's own history (its seed's disbursements and repayments)
    expect(before.every((m: { creationDate: string }) => m.creationDate < "2026-03-01")).toBe(true);
    const inList = (await search(sb, [{ field: "event", operator: "IN", values: ["SAVINGS_DEPOSIT", "SAVINGS_WITHDRAWAL"] }])).body;
    expect(new Set(inList.map((m: { event: string }) => m.event))).toEqual(new Set(["SAVINGS_DEPOSIT", "SAVINGS_WITHDRAWAL"]));

    const objectBody = await call(sb, "POST", SEARCH, { body: { filterCriteria: [eq("state", "SENT")] } });
    expect([objectBody.status, reasonOf(objectBody)]).toEqual([400, "INVALID_PARAMETERS"]);
    const body = await call(sb, "POST", SEARCH, { body: [eq("body", "x")] });
    expect([body.status, reasonOf(body)]).toEqual([400, "INVALID_PARAMETERS"]);
    const tooMany = await call(sb, "POST", SEARCH, { body: Array.from({ length: 101 }, () => eq("state", "SENT")) });
    expect([tooMany.status, reasonOf(tooMany)]).toEqual([400, "INVALID_PARAMETERS"]);
    const limit = await call(sb, "POST", `${SEARCH}?limit=1001`, { body: [] });
    expect([limit.status, reasonOf(limit)]).toEqual([400, "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE"]);
  });
});

describe("POST /communications/messages", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, clock: { start: START, frozen: true } });
  });
  afterAll(() => sb.stop());

  const send = async (body: unknown, status: number): Promise<Answer> => contractCall(sb, "POST", SEND, body, { status, resource: RESOURCE, strict: true });

  it("sends an EMAIL to a client's address, from the calling user, as a MANUAL message", async () => {
    const client = (await call(sb, "GET", "/clients/0512N0025")).body;
    const demoUser = (await call(sb, "GET", "/users/demo")).body;
    const r = await send({ type: "EMAIL", clientKey: client.encodedKey, subject: "Your statement", body: "Dear Josefa, your statement is ready." }, 201);
    expect(r.body).toMatchObject({
      type: "EMAIL", event: "MANUAL", state: "SENT", destination: "josefa.garcia@demo.invalid", clientKey: client.encodedKey,
      senderKey: demoUser.encodedKey, subject: "Your statement", numRetries: 0, creationDate: START, sendDate: START,
    });
    expect((await contractCall(sb, "GET", `/communications/messages/${r.body.encodedKey}`, undefined, { status: 200 })).body).toEqual(r.body);
  });

  it("sends an SMS to an explicit number; ignores the fields the sandbox sets; a too long SMS FAILS with SMS_TOO_LONG", async () => {
    const r = await send({ type: "SMS", destination: "+52 55 1234 5678", body: "Hola", state: "FAILED", numRetries: 7, encodedKey: "mine" }, 201);
    expect(r.body).toMatchObject({ type: "SMS", destination: "+52 55 1234 5678", state: "SENT", numRetries: 0 });
    expect(r.body.encodedKey).toMatch(/^[0-9a-f]{32}$/);
    const long = await send({ type: "SMS", destination: "5512345678", body: "x".repeat(481) }, 201);
    expect(long.body).toMatchObject({ state: "FAILED", failureReason: "SMS_TOO_LONG" });
  });

  it("sends a notification template by its templateKey, filled from the recipient and the account", async () => {
    const [notice] = (await search(sb, [eq("event", "LOAN_DISBURSEMENT")], "?limit=1")).body; // the demo tenant's history
    const client = (await call(sb, "GET", "/clients/0512N0025")).body;
    const loan = (await call(sb, "GET", "/loans/54321")).body;
    const r = await send({ type: "SMS", templateKey: notice.templateKey, clientKey: client.encodedKey, loanAccountKey: loan.encodedKey }, 201);
    expect(r.body).toMatchObject({ state: "SENT", templateKey: notice.templateKey, destination: "5512345678", loanAccountKey: loan.encodedKey });
    expect(r.body.body).toBe("Financiera Demo AZ: your loan 54321 was disbursed:  MXN."); // no transaction: no amount
    const unknown = await send({ type: "SMS", templateKey: "nope", clientKey: client.encodedKey }, 400);
    expect(reasonOf(unknown)).toBe("INVALID_PARAMETERS");
    const otherType = await send({ type: "EMAIL", templateKey: notice.templateKey, clientKey: client.encodedKey }, 400);
    expect(unknown.body.errors[0].errorSource).toMatch(/templateKey/);
    expect(otherType.body.errors[0].errorSource).toMatch(/SMS template/);
  });

  it("never quotes a destination in an error", async () => {
    const r = await send({ type: "EMAIL", destination: "josefa at home", subject: "s", body: "x" }, 400);
    expect(r.text).not.toContain("josefa");
  });

  it("a recipient without the address gets a FAILED message (MISSING_EMAIL_RECIPIENT_ADDRESS)", async () => {
    const juan = (await call(sb, "GET", "/clients/24N12345")).body.encodedKey;
    const r = await send({ type: "EMAIL", clientKey: juan, subject: "Hello", body: "Hello Juan" }, 201);
    expect(r.body).toMatchObject({ state: "FAILED", failureReason: "MISSING_EMAIL_RECIPIENT_ADDRESS", clientKey: juan });
  });

  it.each([
    ["no type", "INVALID_PARAMETERS", { destination: "5512345678", body: "x" }],
    ["a WEB_HOOK", "INVALID_PARAMETERS", { type: "WEB_HOOK", destination: "https://example.invalid/hook", body: "x" }],
    ["a type outside the contract's enum", "INVALID_PARAMETERS", { type: "FAX", destination: "5512345678", body: "x" }],
    ["a blank body", "INVALID_PARAMETERS", { type: "SMS", destination: "5512345678", body: "  " }],
    ["a body over 10000 characters", "INVALID_PARAMETERS", { type: "EMAIL", destination: "a@b.invalid", subject: "s", body: "x".repeat(10001) }],
    ["an EMAIL without subject", "INVALID_EMAIL_SUBJECT", { type: "EMAIL", destination: "a@b.invalid", body: "x" }],
    ["a subject over 255 characters", "INVALID_EMAIL_SUBJECT", { type: "EMAIL", destination: "a@b.invalid", subject: "s".repeat(256), body: "x" }],
    ["a subject on an SMS", "INVALID_PARAMETERS", { type: "SMS", destination: "5512345678", subject: "s", body: "x" }],
    ["neither destination nor recipient", "MISSING_RECIPIENT", { type: "SMS", body: "x" }],
    ["a destination that is no email address", "INVALID_PARAMETERS", { type: "EMAIL", destination: "not-an-address", subject: "s", body: "x" }],
    ["a destination that is no phone number", "INVALID_PARAMETERS", { type: "SMS", destination: "call me", body: "x" }],
    ["an unknown client", "INVALID_CLIENT_ID", { type: "SMS", clientKey: "nobody", body: "x" }],
    ["a client's id for its key", "INVALID_CLIENT_ID", { type: "SMS", clientKey: "0512N0025", body: "x" }],
    ["an unknown loan account", "INVALID_LOAN_ACCOUNT_ID", { type: "SMS", destination: "5512345678", loanAccountKey: "nope", body: "x" }],
    ["two recipients", "INVALID_PARAMETERS", { type: "SMS", clientKey: "0512N0025", userKey: "demo", body: "x" }],
    ["an event outside the contract's enum", "INVALID_PARAMETERS", { type: "SMS", destination: "5512345678", event: "BIRTHDAY", body: "x" }],
  ])("refuses %s with 400 %s", async (_name, reason, body) => {
    const before = sb.store.count("messages");
    const r = await send(body, 400);
    expect(reasonOf(r)).toBe(reason);
    expect(sb.store.count("messages")).toBe(before);
  });
});

describe("the failure share", () => {
  it("1 fails every send (SMS_NOT_SENT, MESSAGING_EXCEPTION); with 0 set at run time, a resend is SENT", async () => {
    const sb = await startSandbox({ port: 0, clock: { start: START, frozen: true }, communications: { failureRate: 1 } });
    try {
      expect(sb.communications.get().failureRate).toBe(1);
      const clientKey = await newClient(sb, { mobilePhone: "5512340003" });
      await disbursedLoan(sb, clientKey);
      const email = (await contractCall(sb, "POST", SEND, { type: "EMAIL", destination: "a@b.invalid", subject: "s", body: "x" }, { status: 201 })).body;
      expect(email).toMatchObject({ state: "FAILED", failureReason: "MESSAGING_EXCEPTION" });
      const [sms] = (await search(sb, [eq("clientKey", clientKey)])).body;
      expect(sms).toMatchObject({ state: "FAILED", failureReason: "SMS_NOT_SENT", destination: "5512340003" });
      expect(sms.failureCause).toMatch(/simulated/);
      // every message of the run failed, the seed's history included
      expect((await search(sb, [eq("state", "SENT")])).body).toEqual([]);

      // still failing: the resend is attempted, counted, and fails again
      expect((await call(sb, "POST", RESEND, { body: { messages: [sms.encodedKey] } })).status).toBe(202);
      expect(sb.store.find("messages", sms.encodedKey)).toMatchObject({ state: "FAILED", numRetries: 1 });

      sb.communications.set({ failureRate: 0 });
      expect(sb.communications.get()).toMatchObject({ failureRate: 0, seed: 1 });
      const r = await call(sb, "POST", RESEND, { body: { messages: [sms.encodedKey, email.encodedKey] } });
      expectContractAnswer("POST", RESEND, r, { status: 202, resource: RESOURCE, strict: true });
      expect(r.text).toBe("");
      const after = await Promise.all([sms, email].map(async (m) => (await call(sb, "GET", `/communications/messages/${m.encodedKey}`)).body));
      expect(after.map((m) => [m.state, m.numRetries, m.sendDate, m.failureReason])).toEqual([
        ["SENT", 2, START, undefined],
        ["SENT", 1, START, undefined],
      ]);

      // a SENT message cannot be resent; nothing of the request is resent then
      const failedAgain = (await contractCall(sb, "POST", SEND, { type: "SMS", destination: "5512345678", body: "x".repeat(500) }, { status: 201 })).body;
      const refused = await contractCall(sb, "POST", RESEND, { messages: [failedAgain.encodedKey, sms.encodedKey] }, { status: 400, resource: RESOURCE });
      expect(reasonOf(refused)).toBe("MESSAGE_STATE_MUST_BE_FAILED");
      expect(refused.body.errors[0].errorSource).toContain(sms.encodedKey);
      expect(sb.store.find("messages", failedAgain.encodedKey)?.numRetries).toBe(0);
    } finally {
      await sb.stop();
    }
  });

  it("refuses bad resend lists: unknown keys 404, duplicates, none, more than 1000", async () => {
    const sb = await startSandbox({ port: 0, data: "empty", communications: { failureRate: 1 } });
    try {
      const failed = (await contractCall(sb, "POST", SEND, { type: "SMS", destination: "5512345678", body: "x" }, { status: 201 })).body;
      expect(failed.state).toBe("FAILED");
      const unknown = await contractCall(sb, "POST", RESEND, { messages: [failed.encodedKey, "0123456789abcdef0123456789abcdef"] }, { status: 404, resource: RESOURCE });
      expect(reasonOf(unknown)).toBe("INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY");
      const twice = await contractCall(sb, "POST", RESEND, { messages: [failed.encodedKey, failed.encodedKey] }, { status: 400 });
      expect(reasonOf(twice)).toBe("DUPLICATED_NOTIFICATION_ENCODED_KEY");
      const none = await contractCall(sb, "POST", RESEND, { messages: [] }, { status: 400 });
      expect(reasonOf(none)).toBe("INVALID_PARAMETERS");
      const missing = await contractCall(sb, "POST", RESEND, {}, { status: 400 });
      expect(reasonOf(missing)).toBe("INVALID_PARAMETERS");
      const many = await contractCall(sb, "POST", RESEND, { messages: Array.from({ length: 1001 }, (_, i) => `k${i}`) }, { status: 400 });
      expect(reasonOf(many)).toBe("MAXIMUM_NUMBER_OF_COMMUNICATION_MESSAGES_TO_RESEND_EXCEEDED");
      expect(sb.store.find("messages", failed.encodedKey)?.numRetries).toBe(0);
    } finally {
      await sb.stop();
    }
  });

  /** The states of `n` SMS sent through the API by a fresh empty sandbox with these options. */
  async function states(options: { failureRate: number; seed?: number }, n = 40): Promise<string[]> {
    const sb = await startSandbox({ port: 0, data: "empty", communications: options });
    try {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = await call(sb, "POST", SEND, { body: { type: "SMS", destination: "5512345678", body: `message ${i}` } });
        expect(r.status).toBe(201);
        out.push(r.body.state);
      }
      return out;
    } finally {
      await sb.stop();
    }
  }

  it("is deterministic: the same seed fails the same sends, another seed others; 0 fails none", async () => {
    const a = await states({ failureRate: 0.5, seed: 42 });
    const b = await states({ failureRate: 0.5, seed: 42 });
    const c = await states({ failureRate: 0.5, seed: 43 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const failed = a.filter((s) => s === "FAILED").length;
    expect(failed).toBeGreaterThan(10); // about half of 40
    expect(failed).toBeLessThan(30);
    expect(new Set(await states({ failureRate: 0 }))).toEqual(new Set(["SENT"]));
  });

  it("refuses invalid options, at start and at run time", async () => {
    await expect(startSandbox({ port: 0, data: "empty", communications: { failureRate: 1.5 } })).rejects.toThrow(/failureRate/);
    await expect(startSandbox({ port: 0, data: "empty", communications: { seed: 0.5 } })).rejects.toThrow(/seed/);
    const sb = await startSandbox({ port: 0, data: "empty" });
    try {
      expect(() => sb.communications.set({ failureRate: -0.1 })).toThrow(/failureRate/);
      expect(sb.communications.get().failureRate).toBe(0);
    } finally {
      await sb.stop();
    }
  });

  it("is a mambu-sandbox option: --message-failure-rate", () => {
    expect(parseSandboxArgs(["--message-failure-rate", "0.25"]).communications).toEqual({ failureRate: 0.25 });
    expect(parseSandboxArgs([]).communications).toBeUndefined();
    expect(() => parseSandboxArgs(["--message-failure-rate", "2"])).toThrow(/--message-failure-rate/);
  });
});

describe("notification templates", () => {
  it("the tenant's own templates decide what is sent; [] sends nothing", async () => {
    const sb = await startSandbox({
      port: 0,
      clock: { start: START, frozen: true },
      communications: {
        templates: [{ event: "LOAN_DISBURSEMENT", type: "EMAIL", subject: "Loan {ACCOUNT_ID}", body: "{FIRST_NAME}, {AMOUNT} {CURRENCY} (transaction {TRANSACTION_ID})" }],
      },
    });
    try {
      const clientKey = await newClient(sb, { mobilePhone: "5512340004", emailAddress: "ana.t@demo.invalid" });
      const loan = await disbursedLoan(sb, clientKey);
      await call(sb, "POST", `/loans/${loan.id}/repayment-transactions`, { body: { amount: 100 } });
      const found = (await search(sb, [eq("clientKey", clientKey)])).body;
      expect(found.map((m: Record<string, unknown>) => [m.type, m.event, m.subject, m.body])).toEqual([
        ["EMAIL", "LOAN_DISBURSEMENT", `Loan ${loan.id}`, `ANA, 1200.00 MXN (transaction ${loan.disbursement.body.id})`],
      ]);

      sb.communications.set({ templates: [] });
      const other = await newClient(sb, { mobilePhone: "5512340005" });
      await disbursedLoan(sb, other);
      expect((await search(sb, [eq("clientKey", other)])).body).toEqual([]);
    } finally {
      await sb.stop();
    }
  });

  it.each([
    [{ event: "CLIENT_CREATED", type: "SMS", body: "x" }, /event/],
    [{ event: "LOAN_REPAYMENT", type: "WEB_HOOK", body: "x" }, /type/],
    [{ event: "SAVINGS_DEPOSIT", type: "EMAIL", body: "x" }, /subject/],
    [{ event: "LOAN_REPAYMENT", type: "SMS", body: "{PASSWORD}" }, /unknown placeholder \{PASSWORD\}/],
  ])("refuses template %j", async (template, message) => {
    await expect(startSandbox({ port: 0, data: "empty", communications: { templates: [template as never] } })).rejects.toThrow(message);
  });
});
