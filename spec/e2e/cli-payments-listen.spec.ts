/**
 * `mambu payments listen`: the compiled binary receives Payment Gateway callouts on a local port and prints each
 * message (one JSON line per message with --jsonl, a summary otherwise); refused deliveries are reported on
 * stderr; the callout password never appears anywhere, and is never taken from the command line.
 */
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseJsonExact, RawNumber } from "../../lib/core/json";
import { buildDist, cleanEnv, MAMBU, ROOT, runMambu, tempHome } from "./cli-helpers";

jest.setTimeout(60_000);

const PASSWORD = "Callout-s3cret-pw";
const FIXTURES = join(ROOT, "spec", "fixtures", "callouts");
const PACS008 = readFileSync(join(FIXTURES, "pacs008.xml"), "utf8");
const CAMT056 = readFileSync(join(FIXTURES, "camt056.xml"), "utf8");
const T008 = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02";
const T056 = "urn:iso:std:iso:20022:tech:xsd:camt.056.001.01";

let home: string;

beforeAll(() => {
  buildDist();
  home = tempHome();
}, 240_000);

/** A running `mambu payments listen`, its URL read from its first stderr line. */
class Listening {
  readonly child: ChildProcess;
  out = "";
  err = "";
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [MAMBU, "payments", "listen", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.setEncoding("utf8").on("data", (d: string) => (this.out += d));
    this.child.stderr!.setEncoding("utf8").on("data", (d: string) => (this.err += d));
    this.exited = new Promise((resolve) => this.child.on("close", resolve));
  }

  async url(): Promise<string> {
    for (let i = 0; i < 400; i++) {
      const m = /listening for Payments API callouts on (\S+)/.exec(this.err);
      if (m) return m[1];
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`never listened:\n${this.err}`);
  }
}

const headers = (type: string, id: string, password = PASSWORD): Record<string, string> => ({
  "Content-Type": "application/xml",
  Authorization: `BASIC ${Buffer.from(`gateway:${password}`).toString("base64")}`,
  "Message-Type": type,
  "Message-Id": id,
});

it("--jsonl prints one JSON line per message (amounts exact, with their currency's decimals), refusals on stderr, and stops after --count", async () => {
  const l = new Listening(["--user", "gateway", "--count", "2", "--jsonl"], cleanEnv(home, { MAMBU_CALLOUT_PASSWORD: PASSWORD }));
  const url = await l.url();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const bad = await fetch(url, { method: "POST", body: PACS008, headers: headers(T008, "SCTORD156820211213000000012649", "guess") });
  expect(bad.status).toBe(401);
  const a = await fetch(url, { method: "POST", body: PACS008, headers: headers(T008, "SCTORD156820211213000000012649") });
  expect(a.status).toBe(200);
  const b = await fetch(url, { method: "POST", body: CAMT056, headers: headers(T056, "SCTREC156820211214000000000007") });
  expect(b.status).toBe(200);
  expect(await l.exited).toBe(0);
  const lines = l.out.trimEnd().split("\n");
  expect(lines).toHaveLength(2);
  const pacs = parseJsonExact(lines[0]) as { kind: string; messageId: string; transfers: Array<{ amount: { value: RawNumber; currency: string }; debtor: { name: string; iban: string } }>; xml?: string };
  expect(pacs.kind).toBe("pacs.008");
  expect(pacs.messageId).toBe("SCTORD156820211213000000012649");
  expect(pacs.transfers[0].amount.value.text).toBe("1500.00");
  expect(pacs.transfers[0].debtor).toEqual({ name: "Müller & Söhne GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" });
  expect(pacs.xml).toBeUndefined();
  expect(lines[0]).toContain('"creationDateTime":"2021-12-13T10:15:42.000Z"');
  expect(JSON.parse(lines[1])).toMatchObject({ kind: "camt.056", cancellations: [{ originalMessageId: "SCTORD156820211213000000012649", reason: { code: "DUPL" } }] });
  expect(l.err).toContain("mambu: refused a callout (Message-Id SCTORD156820211213000000012649): 401 the Basic credentials are missing or wrong");
  expect(l.out + l.err).not.toContain(PASSWORD);
});

it("prints a readable summary by default (IBANs masked); the password comes from --password-file", async () => {
  const file = join(home, "callout-password");
  writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
  const l = new Listening(["--user", "gateway", "--password-file", file, "--count", "1", "--path", "/callouts"], cleanEnv(home));
  const url = await l.url();
  expect(url).toMatch(/\/callouts$/);
  const r = await fetch(url, { method: "POST", body: PACS008, headers: headers(T008, "SCTORD156820211213000000012649") });
  expect(r.status).toBe(200);
  expect(await l.exited).toBe(0);
  expect(l.out).toBe(
    [
      "pacs.008 SCTORD156820211213000000012649 2021-12-13T10:15:42Z: 2 credit transfers, 1512.35 EUR",
      '  E2E-INV-2021-0042  1500.00 EUR  Müller & Söhne GmbH DE89…3000 (COBADEFFXXX) → Dupont SARL FR14…2606 (BNPAFRPPXXX)  "Invoice 2021-0042 — December"',
      "  NOTPROVIDED  12.35 EUR  Anna Schmidt DE89…3000 (COBADEFFXXX) → J. de Vries NL91…4300 (INGBNL2A)  ref RF18539007547034",
      "",
    ].join("\n"),
  );
  expect(l.out + l.err).not.toContain(PASSWORD);
});

it("stops on SIGTERM with exit 0", async () => {
  const l = new Listening(["--no-auth"], cleanEnv(home));
  await l.url();
  l.child.kill("SIGTERM");
  expect(await l.exited).toBe(0);
});

it("refuses a password on the command line, a missing user, and a missing password without a terminal (exit 2, nothing echoed)", async () => {
  const argv = await runMambu(["payments", "listen", "--user", "gateway", "--password", PASSWORD], cleanEnv(home));
  expect(argv.code).toBe(2);
  expect(argv.stderr).toContain("--password is refused");
  expect(argv.stdout + argv.stderr).not.toContain(PASSWORD);
  const noUser = await runMambu(["payments", "listen"], cleanEnv(home, { MAMBU_CALLOUT_PASSWORD: PASSWORD }));
  expect(noUser.code).toBe(2);
  expect(noUser.stderr).toContain("give the callout's Basic user: --user USER");
  const noPw = await runMambu(["payments", "listen", "--user", "gateway"], cleanEnv(home));
  expect(noPw.code).toBe(2);
  expect(noPw.stderr).toContain("needs the callout's password: --password-file FILE or env MAMBU_CALLOUT_PASSWORD (no terminal to ask on)");
  const help = await runMambu(["payments", "--help"], cleanEnv(home));
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("Usage: mambu payments listen [--port N]");
});
