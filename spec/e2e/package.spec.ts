/**
 * The published package, as a user gets it: `npm pack` of the package's files with the build its
 * `prepare` script makes (`tsc -p tsconfig.json`: the dist/ of the CLI tests, cli-helpers.ts
 * `buildDist`, compiled once per run or left current by `npm ci`), the tarball installed into an empty project, a strict TypeScript consumer (no skipLibCheck, node16 resolution
 * so the `exports` subpaths are used) compiled against its `.d.ts` and run against the sandbox.
 *
 * Installs come from npm's cache first (`--prefer-offline`): the dependencies are the ones `npm ci`
 * already fetched for this repository.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildDist, distFiles } from "./cli-helpers";

const repo = resolve(__dirname, "../..");
const tsc = join(repo, "node_modules/typescript/bin/tsc");
let work: string;
let tarball: string;
let consumer: string;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" } });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${err.stdout ?? ""}\n${err.stderr ?? ""}\n${err.message}`);
  }
}

const CONSUMER_TS = `
import { DateTime, Decimal, MambuClient, MambuConnector, MambuError, MambuLoan } from "mambu-ts";
import { startSandbox } from "mambu-ts/sandbox";

// A tenant's custom fields, declared by module augmentation as \`mambu types\` writes them.
declare module "mambu-ts" {
  interface MambuClientCustomFields {
    get Age(): Decimal | undefined;
    set Age(value: Decimal | number | string | undefined);
  }
}

/** Never called: what the published types refuse (each expect-error fails to compile if they loosen). */
export function refused(client: MambuClient, loan: MambuLoan): void {
  // @ts-expect-error a misspelt custom field
  void client.Agee;
  // @ts-expect-error a misspelt field
  void loan.loanAmont;
  // @ts-expect-error a misspelt option
  void MambuLoan.getAll({ limt: 5 });
  // @ts-expect-error a misspelt filter
  void MambuLoan.getAll({ filters: { acountState: "ACTIVE" } });
  // @ts-expect-error an operator the API does not have
  void MambuLoan.search({ filterCriteria: [{ field: "loanAmount", operator: "GREATER", value: 1 }] });
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const connector = new MambuConnector({ apiurl: sandbox.url, apiuser: "demo", apipwd: "demo" });
    const client = await MambuClient.get("0512N0025", { connector });
    const created: DateTime | undefined = client.creationDate;
    // @ts-expect-error a DateTime is not a number: fails to compile if the published types decay to any
    const wrong: number = client.creationDate;
    void wrong;
    const loan = await MambuLoan.get("54321", { connector });
    const amount: Decimal | undefined = loan.loanAmount;
    const age: Decimal | undefined = client.Age; // typed by the augmentation (undefined: read BASIC)
    void age;
    loan.loanAmount = 5000; // amounts take numbers, as the runtime does
    void MambuLoan.getAll({ filters: { accountState: "ACTIVE" }, sortBy: "creationDate:DESC", limit: 1, connector });
    let missing = "";
    try {
      await MambuClient.get("NO-SUCH-CLIENT", { connector });
    } catch (e) {
      if (e instanceof MambuError) missing = e.errorReason ?? "";
    }
    console.log(JSON.stringify({ firstName: client.firstName, created: created instanceof DateTime, amount: amount?.toFixed(2), missing }));
  } finally {
    await sandbox.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "node16", moduleResolution: "node16", strict: true, noEmit: false, outDir: "out", types: ["node"] },
  files: ["index.ts"],
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mambu-ts-pack-"));
  // A private copy of what the package is made of: its files, and dist/ as `prepare` builds it
  // (the same command as buildDist), without what an older build left behind in the repository's dist/.
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts.prepare).toBe("tsc -p tsconfig.json");
  buildDist();
  const src = join(work, "src");
  mkdirSync(src);
  for (const f of ["package.json", "tsconfig.json", "README.md", "CHANGELOG.md", "LICENSE", "lib", "bin", "config"]) {
    cpSync(join(repo, f), join(src, f), { recursive: true });
  }
  for (const f of distFiles()) {
    mkdirSync(dirname(join(src, "dist", f)), { recursive: true });
    cpSync(join(repo, "dist", f), join(src, "dist", f));
  }
  symlinkSync(join(repo, "node_modules"), join(src, "node_modules"), "dir");
  run("npm", ["pack", "--pack-destination", work, "--ignore-scripts"], src);
  const tgz = readdirSync(work).filter((f) => f.endsWith(".tgz"));
  expect(tgz).toHaveLength(1);
  tarball = join(work, tgz[0]!);

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const typesNode = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@types/node"]!;
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `@types/node@${typesNode}`], consumer);
  writeFileSync(join(consumer, "index.ts"), CONSUMER_TS);
  writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed library in an empty project", () => {
  it("ships what it needs and nothing internal", () => {
    const files = run("tar", ["-tzf", tarball], work).split("\n").filter(Boolean);
    expect(files).toContain("package/LICENSE");
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/sandbox/index.d.ts");
    expect(files.some((f) => f.startsWith("package/spec/") || f.startsWith("package/lib/"))).toBe(false);
    const installed = JSON.parse(readFileSync(join(consumer, "node_modules/mambu-ts/package.json"), "utf8")) as Record<string, Record<string, string>>;
    for (const [name, range] of Object.entries(installed.dependencies!)) expect([name, /^[\^~]/.test(range)]).toEqual([name, true]);
    // node-forge serves only the sandbox's TLS: an optional peer, not installed for every user.
    expect(existsSync(join(consumer, "node_modules/node-forge"))).toBe(false);
  });

  it("compiles a strict TypeScript consumer (no skipLibCheck) and runs it against the sandbox", () => {
    run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
    const out = run(process.execPath, [join(consumer, "out/index.js")], consumer);
    expect(JSON.parse(out.trim())).toEqual({ firstName: "JOSEFA", created: true, amount: expect.stringMatching(/^\d+\.\d\d$/), missing: "INVALID_CLIENT_ID" });
  });

  it("says what to install when the sandbox's TLS is asked for without node-forge", () => {
    const script = `require("mambu-ts/sandbox").startSandbox({ port: 0, tls: true }).then(() => process.exit(0), (e) => { console.log(e.message); process.exit(0); });`;
    const out = run(process.execPath, ["-e", script], consumer);
    expect(out).toMatch(/node-forge/);
    expect(out).toMatch(/npm install node-forge/);
  });
});
