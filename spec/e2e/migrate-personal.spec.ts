/**
 * Personal data (GDPR) in a migration: a run with distinctive names, birth dates, addresses, phone
 * numbers, e-mails, documents and notes — one client migrated, one skipped for an invalid personal
 * cell, one refused by a Mambu whose error body echoes the submitted name — leaves none of them in
 * stdout, stderr (progress), the journal, the report or the failures plan; the failures files carry
 * the rows (they must), readable by their owner only, with a note saying so; `--redact` masks the
 * personal columns there too, and a masked cell fed back is refused.
 */
import { createServer, request, Server } from "http";
import { AddressInfo } from "net";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { MigrationResult, runMigration } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { TABLES } from "../../lib/cli/migrate-output";

jest.setTimeout(60_000);

/** Distinctive personal values: none may appear in an output but the (unmasked) failures files. */
const PERSONAL = [
  "Zebulonia", "Quixtanar", "1961-07-23", "zebulonia.q@example.invalid", "5550001111", "Calle Xylofono 77", "INEZQX7781", "prefers Tuesday visits Wxyzzy",
  "Ottoline", "Vrbnik", "1977-02-30", "ottoline@example.invalid", "5550002222", "cuarenta-Zq", "Esperanza Qwolt",
  "Hieronyma", "Kwazulu", "hieronyma@example.invalid", "Avenida Pterodactilo 9",
  "loan note about Quixtanar family debts", "paid in cash by Mrs Vrbnik",
];

const CLIENTS = [
  "client_id,first_name,last_name,birth_date,email,mobile,street,id_document,age,spouse,notes",
  "MIG-P1,Zebulonia,Quixtanar,1961-07-23,zebulonia.q@example.invalid,5550001111,Calle Xylofono 77,INEZQX7781,64,,prefers Tuesday visits Wxyzzy",
  // an impossible birth date, and an age that is no number (a custom field the plan marks personal)
  "MIG-P2,Ottoline,Vrbnik,1977-02-30,ottoline@example.invalid,5550002222,Calle 1,INE2,cuarenta-Zq,Esperanza Qwolt,",
  // refused by the tenant (the proxy below), which echoes the name in errorSource
  "MIG-P3,Hieronyma,Kwazulu,1980-01-01,hieronyma@example.invalid,5550003333,Avenida Pterodactilo 9,INE3,44,,",
];
const LOANS = [
  "loan_id,holder_id,product,amount,rate,installments,disbursed,notes",
  "MIG-PL1,MIG-P1,FLAT-MICRO,1000.00,30,3,2025-11-17,loan note about Quixtanar family debts",
  "MIG-PL2,MIG-P2,FLAT-MICRO,1000.00,30,3,2025-11-17,",
];
const REPAYMENTS = ["repayment_id,loan_id,value_date,amount,notes", "MIG-PR1,MIG-PL1,2025-12-15,100.00,paid in cash by Mrs Vrbnik"];

const PLAN = `id: personal-data-test
sources:
  clients: { file: clients.csv }
  loans: { file: loans.csv }
  repayments: { file: repayments.csv }
personal:
  clients: [spouse]                 # not mapped, still personal (failures files)
mapping:
  clients:
    id: client_id
    firstName: first_name
    lastName: last_name
    birthDate: birth_date
    emailAddress: email
    mobilePhone: mobile
    addresses[0].line1: street
    idDocuments[0].documentId: id_document
    idDocuments[0].documentType: { value: INE }
    _OtherDetails.Age: { column: age, personal: true }
    notes: notes
    assignedBranchKey: { value: CCAZ }
  loans:
    account:
      id: loan_id
      accountHolderId: holder_id
      accountHolderType: { value: CLIENT }
      productTypeKey: product
      loanAmount: amount
      interestSettings.interestRate: rate
      scheduleSettings.repaymentInstallments: installments
      notes: notes
    disburse: { valueDate: disbursed }
  repayments:
    loanId: loan_id
    externalId: repayment_id
    valueDate: value_date
    amount: amount
    notes: notes
defaults:
  clients: { state: ACTIVE }
  loans: { account: { scheduleSettings.gracePeriod: 0, scheduleSettings.repaymentPeriodCount: 1, scheduleSettings.repaymentPeriodUnit: MONTHS } }
`;

let sb: Sandbox;
let proxy: Server;
let proxyUrl: string;

/** A tenant that refuses MIG-P3 as some Mambu versions do: the submitted name in errorSource. */
beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
  const target = new URL(sb.url);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.method === "POST" && /\/clients$/.test(req.url ?? "") && body.includes("Hieronyma")) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: "firstName: 'Hieronyma Kwazulu' (hieronyma@example.invalid) is not accepted" }] }));
        return;
      }
      const fwd = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => proxy.close(() => r()));
  await sb.stop();
});

function example(): string {
  const dir = mkdtempSync(join(tmpdir(), "mig-personal-"));
  writeFileSync(join(dir, "clients.csv"), CLIENTS.join("\n") + "\n");
  writeFileSync(join(dir, "loans.csv"), LOANS.join("\n") + "\n");
  writeFileSync(join(dir, "repayments.csv"), REPAYMENTS.join("\n") + "\n");
  writeFileSync(join(dir, "plan.yaml"), PLAN);
  return dir;
}

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    out.set(path, readFileSync(path, "utf8"));
  }
  return out;
}

/** The personal values found in a text (case-insensitive). */
const leaks = (text: string): string[] => PERSONAL.filter((v) => text.toLowerCase().includes(v.toLowerCase()));

async function run(dir: string, workdir: string, extra: { redact?: boolean } = {}): Promise<{ r: MigrationResult; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = { write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream;
  const stderr = { write: (s: string) => (err.push(s), true), isTTY: false } as unknown as NodeJS.WritableStream;
  const r = await runMigration(join(dir, "plan.yaml"), {
    stdout,
    stderr,
    progress: "lines",
    progressInterval: 1,
    render: TABLES,
    connection: { apiurl: proxyUrl, apiuser: "demo", apipwd: "demo" },
    tenantOffset: sb.clock.offset,
    workdir,
    skipInvalid: true,
    retries: 0,
    reconcile: true,
    report: join(workdir, "report.json"),
    ...extra,
  });
  return { r, stdout: out.join(""), stderr: err.join("") };
}

describe("personal data never reaches the outputs (ids and counts only)", () => {
  const dir = example();
  const workdir = join(dir, "work");
  let first: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    first = await run(dir, workdir);
  });

  it("migrates the valid client, skips the invalid one and records the refused one", () => {
    expect(first.r.exitCode).toBe(1);
    expect(first.r.failed.map((f) => f.unit).sort()).toEqual(["client:MIG-P2", "client:MIG-P3"]);
    expect(sb.store.find("clients", "MIG-P1")).toBeDefined();
    expect(sb.store.find("clients", "MIG-P3")).toBeUndefined();
    // the reasons still say what went wrong, where
    const p3 = first.r.failed.find((f) => f.unit === "client:MIG-P3")!.reason;
    expect(p3).toMatch(/^client client MIG-P3 \([^()]*clients\.csv:4\): 4 \(400\) - INVALID_PARAMETERS \(error source withheld: it repeats submitted data\)$/);
    const p2 = first.r.failed.find((f) => f.unit === "client:MIG-P2")!.reason;
    expect(p2).toMatch(/clients\.csv:3 \(birth_date\): birthDate: expected a date \(YYYY-MM-DD\), got a value withheld \(personal data\)/);
    expect(p2).toMatch(/clients\.csv:3 \(age\): _OtherDetails\.Age: custom field Age is a NUMBER, got a value withheld \(personal data\)/);
  });

  it("stdout, stderr (progress), the journal, the report and the failures plan hold none of the personal values", () => {
    expect(first.stdout).toMatch(/failed rows: .*plan\.yaml/);
    expect(first.stderr).toMatch(/steps \d+\/\d+/); // progress was written
    expect(leaks(first.stdout)).toEqual([]);
    expect(leaks(first.stderr)).toEqual([]);
    const files = filesUnder(workdir);
    const data = [...files.keys()].filter((p) => /failures\/(clients|loans|repayments)\.csv$/.test(p));
    expect(data.map((p) => p.slice(workdir.length + 1)).sort()).toEqual(["failures/clients.csv", "failures/loans.csv", "failures/repayments.csv"]);
    expect([...files.keys()].some((p) => p.endsWith("journal.jsonl"))).toBe(true);
    expect([...files.keys()].some((p) => p.endsWith("report.json"))).toBe(true);
    for (const [path, text] of files) if (!data.includes(path)) expect({ path, leaks: leaks(text) }).toEqual({ path, leaks: [] });
  });

  it("the failures files carry the rows to correct, readable by their owner only, and say so", () => {
    const failures = join(workdir, "failures");
    const clients = readFileSync(join(failures, "clients.csv"), "utf8");
    expect(clients).toContain("Ottoline,Vrbnik,1977-02-30");
    expect(clients).toContain("Hieronyma,Kwazulu");
    for (const f of ["clients.csv", "loans.csv", "repayments.csv", "plan.yaml", "PERSONAL-DATA.txt"]) expect({ f, mode: statSync(join(failures, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    expect(statSync(failures).mode & 0o777).toBe(0o700);
    const note = readFileSync(join(failures, "PERSONAL-DATA.txt"), "utf8");
    expect(note).toMatch(/PERSONAL DATA/);
    expect(note).toMatch(/mode 600/);
    expect(note).toMatch(/clients: .*first_name.*spouse/);
    expect(note).toMatch(/Not masked: run with --redact/);
    expect(readFileSync(join(failures, "plan.yaml"), "utf8")).toMatch(/^# The files here hold personal data/m);
  });

  it("--redact masks the personal columns in the failures files (an existing file of mode 644 is replaced by one of mode 600), and says which", async () => {
    const failures = join(workdir, "failures");
    chmodSync(join(failures, "clients.csv"), 0o644);
    const second = await run(dir, workdir, { redact: true });
    expect(second.r.exitCode).toBe(1);
    expect(leaks(second.stdout)).toEqual([]);
    expect(leaks(second.stderr)).toEqual([]);
    for (const [path, text] of filesUnder(workdir)) {
      if (/\.old$/.test(path)) continue; // the first run's journal, moved aside (checked above)
      expect({ path, leaks: leaks(text) }).toEqual({ path, leaks: [] });
    }
    expect(statSync(join(failures, "clients.csv")).mode & 0o777).toBe(0o600);
    const clients = readFileSync(join(failures, "clients.csv"), "utf8").split("\n");
    expect(clients[0]).toBe("client_id,first_name,last_name,birth_date,email,mobile,street,id_document,age,spouse,notes,migrate_error");
    expect(clients[1]).toMatch(/^MIG-P2,\[redacted\],\[redacted\],\[redacted\],\[redacted\],\[redacted\],\[redacted\],\[redacted\],\[redacted\],\[redacted\],,"invalid: /);
    const note = readFileSync(join(failures, "PERSONAL-DATA.txt"), "utf8");
    expect(note).toMatch(/Masked by --redact \(written \[redacted\]\)/);
    expect(note).toMatch(/ {2}clients\.csv: first_name, last_name, birth_date, email, mobile, street, id_document, age, spouse/);
    expect(second.stdout).toMatch(/personal columns masked \(--redact\)/);

    // fed back as it is, a masked cell is refused: nothing is sent
    const back = await runMigration(join(failures, "plan.yaml"), { stdout: null, progress: "none", connection: { apiurl: proxyUrl, apiuser: "demo", apipwd: "demo" }, tenantOffset: sb.clock.offset, workdir: join(dir, "work-back"), check: true });
    expect(back.exitCode).toBe(2);
    expect(back.problems.map((p) => p.message)).toContain("firstName: the cell was masked by --redact ([redacted]): put back the value of the original source");
  });
});
