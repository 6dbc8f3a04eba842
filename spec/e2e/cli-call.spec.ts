/**
 * `mambu call <resource>.<operationId>`: any operation of the contract from the terminal, against the
 * sandbox (run in this process as in a child: cli-helpers.ts runMain): exact JSON out, the contract's help, writes only
 * with --yes when there is no terminal to ask on, usage errors before anything is sent.
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fetch from "node-fetch";
import { parseJsonExact, stringifyExact } from "../../lib/core/json";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, ROOT, runMain, runMambu, RunResult, tempHome } from "./cli-helpers";

jest.setTimeout(60_000);

const SECRET = "s3cret-Call-word";

let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, users: [{ username: "cli", password: SECRET }] });
  env = cleanEnv(tempHome(), { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "cli", MAMBU_API_PWD: SECRET });
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
});

async function mambu(...args: string[]): Promise<RunResult> {
  const r = await runMain(args, env);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  return r;
}

async function fetchRaw(path: string): Promise<string> {
  const res = await fetch(`${sandbox.url}/api${path}`, {
    headers: { Authorization: `Basic ${Buffer.from(`cli:${SECRET}`).toString("base64")}`, Accept: "application/vnd.mambu.v2+json" },
  });
  return res.text();
}

describe("mambu call", () => {
  it("prints the answer of a GET as JSON, exactly as Mambu sent it", async () => {
    const r = await mambu("call", "loans.getById", "54321", "--query", "detailsLevel=FULL");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{\n {2}"id": "54321",\n/);
    const raw = await fetchRaw("/loans/54321?detailsLevel=FULL");
    expect(stringifyExact(parseJsonExact(r.stdout))).toBe(stringifyExact(parseJsonExact(raw)));
  });

  it("--sandbox works as with every command; --jsonl prints one line", async () => {
    const r = await runMambu(["--sandbox", "call", "loans.getById", "54321", "--jsonl"], cleanEnv(tempHome()));
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect((JSON.parse(r.stdout) as { id: string }).id).toBe("54321");
  });

  it("keeps 1500.00 as 1500.00 (a tenant that sends trailing zeros)", async () => {
    const fixture = readFileSync(join(ROOT, "spec", "fixtures", "loan-full.json"), "utf8");
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/vnd.mambu.v2+json" });
      res.end(fixture);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await runMambu(["call", "loans.getById", "54321"], { ...env, MAMBU_API_URL: url });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('"loanAmount": 1500.00');
      expect(stringifyExact(parseJsonExact(r.stdout))).toBe(stringifyExact(parseJsonExact(fixture)));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a write without --yes and without a terminal is a usage error (exit 2) and sends nothing", async () => {
    const before = await fetchRaw("/clients?limit=1000");
    const r = await mambu("call", "clients.create", "--data", '{"firstName":"Ada","lastName":"Lovelace"}');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("clients.create writes (POST /clients): add --yes to confirm");
    expect(await fetchRaw("/clients?limit=1000")).toBe(before);
  });

  it("a write with --yes is sent and its answer printed", async () => {
    const r = await mambu("call", "clients.create", "--data", '{"firstName":"Ada","lastName":"Lovelace"}', "--yes");
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout) as { id: string; firstName: string };
    expect(created.firstName).toBe("Ada");
    const back = await mambu("call", "clients.getById", created.id);
    expect((JSON.parse(back.stdout) as { lastName: string }).lastName).toBe("Lovelace");
  });

  it("--data @file reads the body from a file", async () => {
    const file = join(tempHome(), "client.json");
    writeFileSync(file, '{"firstName":"Grace","lastName":"Hopper"}');
    const r = await mambu("call", "clients.create", "--data", `@${file}`, "--yes");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { lastName: string }).lastName).toBe("Hopper");
  });

  it("checks the request against the contract before sending: query keys, enums, body fields, path parameters", async () => {
    const q = await mambu("call", "loans.getById", "54321", "--query", "detailLevel=FULL");
    expect(q.code).toBe(2);
    expect(q.stderr).toContain('unknown query parameter "detailLevel"; parameters: detailsLevel');
    const e = await mambu("call", "loans.getById", "54321", "--query", "detailsLevel=ALL");
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('expected one of BASIC, FULL, got "ALL"');
    const b = await mambu("call", "loans.writeOff", "54321", "--data", '{"note":"x"}', "--yes");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("body.note: unknown field (not in LoanActionDetails)");
    const p = await mambu("call", "loans.getById");
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("loans.getById needs <loanAccountId>");
    const u = await mambu("call", "loans.getByID", "1");
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/loans has no operation "getByID"; operations: .*getById/);
  });

  it("Mambu's errors exit 3 with code and reason", async () => {
    const r = await mambu("call", "loans.getById", "no-such-loan");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("INVALID_LOAN_ACCOUNT_ID");
  });

  it("--help lists every operation; <operation> --help lists its parameters from the contract", async () => {
    const all = await mambu("call", "--help");
    expect(all.code).toBe(0);
    // 238 of API v2 (217 of the Swagger files + 21 of scripts/contract-supplement.json), 34 of the Services API, 20 of the Payments API
    expect(all.stdout).toContain("Operations (292;");
    expect(all.stdout).toMatch(/\n {2}cards\.getAccountBalances +GET \/cards\/\{cardReferenceToken\}\/balanceInquiry\n/);
    expect(all.stdout).toMatch(/\n {2}creditarrangements\.addAccount +POST \/creditarrangements\/\{creditArrangementId\}:addAccount\n/);
    expect(all.stdout).toMatch(/\n {2}creditarrangements\.removeAccount +POST \/creditarrangements\/\{creditArrangementId\}:removeAccount\n/);
    expect(all.stdout).toMatch(/\n {2}loans\.writeOff +POST \/loans\/\{loanAccountId\}:writeOff\n/);
    const one = await mambu("call", "loans.getAll", "--help");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("loans.getAll: GET /loans");
    expect(one.stdout).toContain("  accountState: PARTIAL_APPLICATION|PENDING_APPROVAL|APPROVED|ACTIVE|ACTIVE_IN_ARREARS|CLOSED");
    const w = await mambu("help", "call", "loans.writeOff");
    expect(w.stdout).toContain("Path parameters (in order): loanAccountId");
    expect(w.stdout).toContain("Body (--data): LoanActionDetails\n  notes: string");
  });
});
