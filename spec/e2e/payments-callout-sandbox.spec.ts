/**
 * The callout receiver against the sandbox's payment gateway: a credit transfer initiated through the Payments API
 * makes the gateway POST its pacs.008 to the listener (Basic credentials as configured), which hands over the typed
 * message — the same debtor, creditor, amount (exact) and remittance as the initiation; wrong credentials are refused
 * and nothing handed over. The same through the terminal: `mambu call payments.…` initiates, `mambu payments listen`
 * prints the message, `mambu get payments.payment` shows its status.
 */
import { ChildProcess, spawn } from "node:child_process";
import { DateTime } from "luxon";
import { Decimal, Payments } from "../../lib";
import type { CalloutMessage, Pacs002Message, Pacs008Message } from "../../lib/entities/payments";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";
import { buildDist, cleanEnv, MAMBU, ROOT, runMambu, tempHome } from "./cli-helpers";
import { DEMO_API_KEY, openEurAccount, v2Balance } from "./sandbox-payments-helpers";

jest.setTimeout(60_000);

const IBAN_A = "DE89370400440532013000";
const IBAN_FAR = "FR1420041010050500013M02606";
const USER = "gateway";
const PASSWORD = "Callout-Sandbox-pw-42";

let sb: Sandbox;
let listener: Payments.CalloutListener;
const received: CalloutMessage[] = [];

beforeAll(async () => {
  buildDist();
  listener = await Payments.listenForCallouts({ username: USER, password: PASSWORD, path: "/callouts", onMessage: (m) => void received.push(m) });
  sb = await startSandbox({ port: 0, paymentsCallout: { url: listener.url, username: USER, password: PASSWORD, retryDelayMs: 5 } });
  await openEurAccount(sb, "CALLOUT-A", "500");
  await Payments.AccountIdentification.map("CALLOUT-A", { iban: IBAN_A }, { connector: demoConnector(sb, { apikey: DEMO_API_KEY }) });
}, 240_000);

afterAll(async () => {
  await sb?.stop();
  await listener?.close();
});

it("a credit transfer initiated in the sandbox reaches the listener as a typed pacs.008: its parties, exact amount and remittance", async () => {
  const connector = demoConnector(sb, { apikey: DEMO_API_KEY });
  const payment = await Payments.CreditTransfer.initiate(
    {
      debtorAccount: { identification: { iban: IBAN_A } },
      debtorName: "Josefa Alas",
      creditorAccount: { identification: { iban: IBAN_FAR } },
      creditorName: "Boulangerie Paul",
      instructedAmount: { amount: new Decimal("120.40"), currency: "EUR" },
      remittanceInformationUnstructured: "Order 77",
    },
    { connector },
  );
  expect(await v2Balance(sb, "CALLOUT-A")).toBe(379.6);
  await sb.paymentsCallout.idle();
  const out = sb.paymentsCallout.messages().find((m) => m.paymentId === payment.id)!;
  expect(out.status).toBe("DELIVERED");
  const m = received.find((x) => x.messageId === out.messageId) as Pacs008Message;
  expect(m).toBeDefined();
  expect(m.kind).toBe("pacs.008");
  expect(m.messageType).toBe("urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02");
  expect(m.xml).toBe(out.xml);
  expect(m.numberOfTransactions).toBe(1);
  expect(m.transfers).toHaveLength(1);
  const t = m.transfers[0];
  expect(t.amount.value.eq(new Decimal("120.40"))).toBe(true);
  expect(t.amount.currency).toBe("EUR");
  expect(t.debtor).toMatchObject({ name: "Josefa Alas", iban: IBAN_A });
  expect(t.creditor).toMatchObject({ name: "Boulangerie Paul", iban: IBAN_FAR });
  expect(t.remittanceInformation).toBe("Order 77");
});

it("a collection rejected by a blocking rule reaches the listener as a typed pacs.002: RJCT with reason MS02", async () => {
  const connector = demoConnector(sb, { apikey: DEMO_API_KEY });
  const iban = "DE75512108001245126199";
  await openEurAccount(sb, "CALLOUT-B", "100");
  await Payments.AccountIdentification.map("CALLOUT-B", { iban, currency: "EUR" }, { connector });
  await Payments.BlockingRule.create("CALLOUT-B", { creditorIdentifier: "DE98ZZZ09999999999", mandateIdentification: "MANDATE-CALLOUT-1" }, { connector });
  const blocked = await Payments.Collection.initiate(
    {
      debtorAccount: { identification: { iban }, currency: "EUR" },
      debtorName: "Jane Debtor",
      creditorAccount: { identification: { iban: "GB29NWBK60161331926819" }, currency: "EUR" },
      creditorName: "Utility Company",
      instructedAmount: { amount: new Decimal("49.90"), currency: "EUR" },
      requestedExecutionDate: DateTime.fromISO(sb.clock.today(), { zone: "utc" }).plus({ days: 1 }).toISODate()!,
      mandateRelatedInformation: { mandateIdentification: "MANDATE-CALLOUT-1", dateOfSignature: "2025-06-01" },
      paymentTypeInformation: { sequenceType: "FRST" },
      creditorSchemeIdentification: { identification: { privateIdentification: "DE98ZZZ09999999999" } },
    },
    { connector },
  );
  expect(blocked.status).toBe("RJCT");
  await sb.paymentsCallout.idle();
  const out = sb.paymentsCallout.messages().find((m) => m.paymentId === blocked.id && /pacs\.002/.test(m.messageType))!;
  expect(out.status).toBe("DELIVERED");
  const m = received.find((x) => x.messageId === out.messageId) as Pacs002Message;
  expect(m.kind).toBe("pacs.002");
  expect(m.originalMessageName).toBe("pacs.003.001.02");
  expect(m.transactions).toHaveLength(1);
  expect(m.transactions[0]).toMatchObject({ status: "RJCT", reason: { code: "MS02" } });
});

it("a gateway configured with the wrong password is refused (401) and nothing is handed over", async () => {
  const before = received.length;
  sb.paymentsCallout.set({ url: listener.url, username: USER, password: "not-the-password", maxAttempts: 1 });
  try {
    const payment = await Payments.CreditTransfer.initiate(
      {
        debtorAccount: { identification: { iban: IBAN_A } },
        debtorName: "Josefa Alas",
        creditorAccount: { identification: { iban: IBAN_FAR } },
        creditorName: "Boulangerie Paul",
        instructedAmount: { amount: new Decimal("1.00"), currency: "EUR" },
      },
      { connector: demoConnector(sb, { apikey: DEMO_API_KEY }) },
    );
    await sb.paymentsCallout.idle();
    const out = sb.paymentsCallout.messages().find((m) => m.paymentId === payment.id)!;
    expect(out.status).toBe("FAILED");
    expect(out.lastError).toContain("401");
    expect(received.length).toBe(before);
  } finally {
    sb.paymentsCallout.set({ url: listener.url, username: USER, password: PASSWORD, retryDelayMs: 5 });
  }
});

it("from the terminal: mambu call payments.… initiates, mambu payments listen prints the pacs.008, mambu get payments.payment shows the status", async () => {
  const home = tempHome();
  const env = cleanEnv(home, { MAMBU_API_URL: sb.url, MAMBU_API_KEY: DEMO_API_KEY, MAMBU_CALLOUT_PASSWORD: PASSWORD });
  const child: ChildProcess = spawn(process.execPath, [MAMBU, "payments", "listen", "--user", USER, "--count", "1", "--jsonl"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  try {
    let url: string | undefined;
    for (let i = 0; i < 400 && !url; i++) {
      url = /listening for Payments API callouts on (\S+)/.exec(err)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    expect(url).toBeDefined();
    sb.paymentsCallout.set({ url: url!, username: USER, password: PASSWORD, retryDelayMs: 5 });
    const body = JSON.stringify({
      debtorAccount: { identification: { iban: IBAN_A } },
      debtorName: "Josefa Alas",
      creditorAccount: { identification: { iban: IBAN_FAR } },
      creditorName: "Boulangerie Paul",
      instructedAmount: { amount: "33.30", currency: "EUR" },
      remittanceInformationUnstructured: "Invoice 9",
    });
    const refused = await runMambu(["call", "payments.sepaCreditTransfers.initiatePayment", "--data", body], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("payments.sepaCreditTransfers.initiatePayment writes (POST /api/v1/payments): add --yes to confirm");
    const sent = await runMambu(["call", "payments.sepaCreditTransfers.initiatePayment", "--data", body, "--yes"], env);
    expect(sent.code).toBe(0);
    const paymentId = (JSON.parse(sent.stdout) as { paymentId: string }).paymentId;
    expect(await exited).toBe(0);
    const m = JSON.parse(out.trimEnd()) as { kind: string; transfers: Array<{ amount: { value: number; currency: string }; remittanceInformation: string }> };
    expect(m.kind).toBe("pacs.008");
    expect(out).toContain('"amount":{"value":33.30,"currency":"EUR"}');
    expect(m.transfers[0].remittanceInformation).toBe("Invoice 9");
    const got = await runMambu(["get", "payments.payment", paymentId, "--json"], env);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ paymentId, transactionStatus: "ACSP" });
    const ids = await runMambu(["list", "payments.identifications", "CALLOUT-A", "--jsonl"], env);
    expect(ids.code).toBe(0);
    expect(ids.stdout.trimEnd().split("\n").map((l) => (JSON.parse(l) as { iban?: string }).iban)).toEqual([IBAN_A]);
    for (const r of [refused, sent, got, ids]) expect(r.stdout + r.stderr).not.toContain(DEMO_API_KEY);
    expect(out + err).not.toContain(PASSWORD);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    sb.paymentsCallout.set({ url: listener.url, username: USER, password: PASSWORD, retryDelayMs: 5 });
  }
});
