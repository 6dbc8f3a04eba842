/**
 * `mambu types` against the sandbox: it writes the demo tenant's custom field declarations (the
 * committed config/sandbox-demo.d.ts, which the README examples compile with), a sample project
 * compiles with them, a typo in a custom field does not, and the declared types are the values the
 * library really gives once the definitions are loaded.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { diagnosticsOf } from "../helpers/ts-diagnostics";
import { clearCustomFieldDefinitions, Decimal, loadCustomFieldDefinitions, MambuClient, MambuConnector, MambuGroup, MambuLoan } from "../../lib";
import { main } from "../../lib/cli/main";
import { startSandbox } from "../../lib/sandbox";

const ROOT = join(__dirname, "..", "..");
const COMMITTED = join(ROOT, "config", "sandbox-demo.d.ts");
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mambu-types-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `mambu` in this process; resolves to its exit code and what it printed. */
async function mambu(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
  } as unknown as Parameters<typeof main>[1];
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Compiles sample files as a user's strict project with the declarations ("mambu-ts" is lib/): the diagnostics of those files (spec/helpers/ts-diagnostics.ts). */
function compile(dts: string, files: Record<string, string>): string[] {
  const names = Object.keys(files).map((f) => join(work, f));
  for (const f of Object.keys(files)) writeFileSync(join(work, f), files[f]);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true,
    noEmit: true, skipLibCheck: true, esModuleInterop: true, resolveJsonModule: true, types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")], baseUrl: ROOT, paths: { "mambu-ts": ["lib/index.ts"] },
  };
  const program = ts.createProgram([dts, ...names], options);
  return diagnosticsOf(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${d.file ? d.file.fileName.slice(work.length + 1) || d.file.fileName : ""}:${line} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

const GOOD = `
import { Decimal, MambuClient, MambuGroup, MambuLoan } from "mambu-ts";

export async function sample(): Promise<void> {
  const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL" });
  const age: Decimal | undefined = client.Age;
  client.Age = 48;
  const employer: string | undefined = client._OtherDetails?.EmployerName;
  const assetValue: Decimal | undefined = client.ASSETVALUE_0;
  const rows = client.Assets ?? [];
  const guarantor: MambuClient = await client.getGuarantorClient();
  const group = await MambuGroup.get("24G23446", { detailsLevel: "FULL" });
  const industry: "agriculture" | "arboriculture" | "commerce" | undefined = group.industry;
  group.industry = "commerce";
  const loan = await MambuLoan.get("54321", { detailsLevel: "FULL" });
  loan.amountScore = "3";
  void [age, employer, assetValue, rows, guarantor, industry];
}
`;

const TYPOS = `
import { MambuClient, MambuGroup, MambuLoan } from "mambu-ts";

export async function sample(): Promise<void> {
  const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL" });
  client.Agee;
  const group = await MambuGroup.get("24G23446", { detailsLevel: "FULL" });
  group.industry = "farming";
  const loan = await MambuLoan.get("54321", { detailsLevel: "FULL" });
  loan.amountScore = true;
  loan.Age;
}
`;

describe("mambu types (sandbox)", () => {
  let dts: string;

  beforeAll(async () => {
    dts = join(work, "mambu-tenant.d.ts");
    const r = await mambu("--sandbox", "types", "--out", dts);
    expect([r.code, r.stdout]).toEqual([0, ""]);
    expect(r.stderr).toMatch(/wrote the types of 5 custom field set\(s\) to .*mambu-tenant\.d\.ts/);
  }, 60_000);

  test("writes the demo tenant's declarations: the committed config/sandbox-demo.d.ts, also on stdout without --out", async () => {
    const written = readFileSync(dts, "utf8");
    expect(written).toBe(readFileSync(COMMITTED, "utf8"));
    expect(written).toContain('declare module "mambu-ts" {');
    expect(written).toContain("get Age(): Decimal | undefined;");
    expect(written).toContain('get industry(): "agriculture" | "arboriculture" | "commerce" | undefined;');
    const r = await mambu("--sandbox", "types");
    expect([r.code, r.stdout]).toEqual([0, written]);
  }, 60_000);

  test("a sample project that uses the custom fields compiles with them", () => {
    expect(compile(dts, { "good.ts": GOOD })).toEqual([]);
  });

  test("a typo in a custom field, a value outside a SELECTION, a wrong type and another entity's field fail to compile", () => {
    expect(compile(dts, { "typos.ts": TYPOS })).toEqual([
      "typos.ts:6 TS2551: Property 'Agee' does not exist on type 'MambuClient'. Did you mean 'Age'?",
      `typos.ts:8 TS2322: Type '"farming"' is not assignable to type '"agriculture" | "arboriculture" | "commerce" | undefined'.`,
      "typos.ts:10 TS2322: Type 'true' is not assignable to type 'string | number | Decimal | undefined'.",
      "typos.ts:11 TS2339: Property 'Age' does not exist on type 'MambuLoan'.",
    ]);
  });

  test("refuses arguments, and an --out without a file", async () => {
    expect((await mambu("types", "extra")).code).toBe(2);
    const r = await mambu("types", "--out");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out needs a value/);
  });
});

describe("the declared types are what the library gives once the definitions are loaded", () => {
  test("NUMBER → Decimal, SELECTION → one of its values, a link → its getter's entity", async () => {
    const sandbox = await startSandbox({ port: 0 });
    const connector = new MambuConnector({ apiurl: sandbox.url, apiuser: "demo", apipwd: "demo" });
    try {
      await loadCustomFieldDefinitions({ connector });
      const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector });
      expect(Decimal.isDecimal(client.Age)).toBe(true);
      expect(Decimal.isDecimal(client.ASSETVALUE_0)).toBe(true);
      expect(Decimal.isDecimal((client._OtherDetails as { Age?: unknown }).Age)).toBe(true);
      expect(typeof client.EmployerName).toBe("string");
      expect(await (client.getGuarantorClient as () => PromiseLike<unknown>).call(client)).toBeInstanceOf(MambuClient);
      const group = await MambuGroup.get("24G23446", { detailsLevel: "FULL", connector });
      expect(["agriculture", "arboriculture", "commerce"]).toContain(group.industry);
      const loan = await MambuLoan.get("54321", { detailsLevel: "FULL", connector });
      expect(loan.amountScore === undefined || Decimal.isDecimal(loan.amountScore)).toBe(true);
    } finally {
      clearCustomFieldDefinitions();
      connector.close();
      await sandbox.stop();
    }
  }, 60_000);
});
