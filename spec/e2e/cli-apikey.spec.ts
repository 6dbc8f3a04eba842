/**
 * `mambu apikey` against the sandbox: a rotation takes the configured key (or --api-key-file) and a secret key
 * that never comes from the command line, writes the new pair where asked — a JSON file of mode 600, stdout with
 * --show-secret, the rc file's apikey replaced in place — and the old pair stops working. Every refusal comes
 * before anything is sent. On a terminal the secret key is asked without echo. When storing fails after the
 * rotation, the new pair is printed once on stderr. A consumer's keys are listed masked, created and deleted.
 * Every output (stdout, stderr, the screen, the rc file's other lines) is searched for every secret value.
 */
import * as fs from "node:fs";
// The plain CommonJS module object, whose functions jest can spy on (the lib reads them through it).
import fsModule = require("fs");
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { MambuApiConsumer } from "../../lib/entities/api-consumer";
import { main } from "../../lib/cli/main";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { MambuConnector } from "../../lib";
import { demoConnector } from "../helpers/sandbox-connector";
import { buildDist, cleanEnv, HAS_SCRIPT, runMain, runMambu, runOnTerminal, RunResult, tempHome, TerminalResult } from "./cli-helpers";
import { call } from "./sandbox-helpers";

jest.setTimeout(60_000);

const ADMIN_PWD = "Admin-pw-7s3cret";

let sandbox: Sandbox;
let admin: MambuConnector;
let consumerId: string;
let home: string;
let adminEnv: NodeJS.ProcessEnv;
/** Every secret value seen in this file: no output may hold one (except the output that was asked for). */
const secrets = new Set<string>([ADMIN_PWD]);

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0, users: [{ username: "admin", password: ADMIN_PWD }] });
  admin = demoConnector(sandbox, { apiuser: "admin", apipwd: ADMIN_PWD });
  const c = await MambuApiConsumer.create({ name: "payments-gateway", type: "MAMBU_API" }, { connector: admin });
  consumerId = String(c.id);
  home = tempHome();
  adminEnv = cleanEnv(home, { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "admin", MAMBU_API_PWD: ADMIN_PWD, SHELL: "/bin/sh" });
}, 240_000);

afterAll(async () => {
  admin?.close();
  await sandbox?.stop();
});

/** A fresh API key and secret key of the consumer (through the ORM, as an administrator). */
async function freshPair(): Promise<{ apiKey: string; secretKey: string }> {
  const c = await MambuApiConsumer.get(consumerId, { connector: admin });
  const apiKey = (await c.createApiKey()).apiKey.reveal();
  const secretKey = (await c.createSecretKey()).reveal();
  secrets.add(apiKey);
  secrets.add(secretKey);
  return { apiKey, secretKey };
}

/** Whether `apiKey` authenticates a read. */
async function works(apiKey: string): Promise<boolean> {
  const a = await call(sandbox, "GET", "/branches", { headers: { Authorization: "", apikey: apiKey } });
  if (a.status !== 200 && a.status !== 401) throw new Error(`unexpected ${a.status}: ${a.text}`);
  return a.status === 200;
}

function expectNoSecret(text: string, except: readonly string[] = []): void {
  for (const s of secrets) if (!except.includes(s)) expect(text).not.toContain(s);
}

async function mambu(args: string[], env: NodeJS.ProcessEnv = adminEnv): Promise<RunResult> {
  const r = await runMain(args, env);
  expectNoSecret(r.stdout + r.stderr);
  return r;
}

function dir(name: string): string {
  const d = join(home, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function privateFile(path: string, text: string): string {
  fs.writeFileSync(path, text, { mode: 0o600 });
  return path;
}

function json(path: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path, "utf8")) as Record<string, unknown>;
}

function modeOf(path: string): number {
  return fs.statSync(path).mode & 0o777;
}

describe("mambu apikey create, secret, list, delete", () => {
  it("creates keys into files of mode 600, lists them masked, deletes one — no key on the screen", async () => {
    const d = dir("consumer-keys");
    const s = await mambu(["apikey", "secret", consumerId, "--out", join(d, "secret.json"), "--yes"]);
    expect(s).toMatchObject({ code: 0, stderr: "" });
    expect(s.stdout).toBe(`Created a secret key for API consumer ${consumerId}.\nWrote the new secret key to ${join(d, "secret.json")} (JSON, mode 600).\n`);
    const secretFile = json(join(d, "secret.json"));
    expect(modeOf(join(d, "secret.json"))).toBe(0o600);
    expect(secretFile).toMatchObject({ by: "mambu apikey secret", consumerId, secretKey: expect.any(String) });
    secrets.add(secretFile.secretKey as string);

    const k = await mambu(["apikey", "create", consumerId, "--ttl", "3600", "--out", join(d, "key.json"), "--yes"]);
    expect(k.code).toBe(0);
    const keyFile = json(join(d, "key.json"));
    expect(modeOf(join(d, "key.json"))).toBe(0o600);
    expect(keyFile).toMatchObject({ by: "mambu apikey create", consumerId, apiKeyId: expect.any(String), expirationTime: 3600, apiKey: expect.any(String) });
    const apiKey = keyFile.apiKey as string;
    secrets.add(apiKey);
    expect(k.stdout).toContain(`Created API key ${keyFile.apiKeyId} for API consumer ${consumerId}.`);
    expect(await works(apiKey)).toBe(true);

    const l = await mambu(["apikey", "list", consumerId]);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(new RegExp(`^${keyFile.apiKeyId} +3600 +\\S*\\*\\*\\*\\*\\s*$`, "m"));
    const lj = await mambu(["apikey", "list", consumerId, "--json"]);
    const rows = JSON.parse(lj.stdout) as Array<{ id: string; apiKey: string }>;
    expect(rows.find((r) => r.id === keyFile.apiKeyId)?.apiKey).toMatch(/\*\*\*\*/);

    const del = await mambu(["apikey", "delete", consumerId, keyFile.apiKeyId as string, "--yes"]);
    expect(del).toMatchObject({ code: 0, stdout: `Deleted API key ${keyFile.apiKeyId} of API consumer ${consumerId}.\n` });
    expect(await works(apiKey)).toBe(false);
  });

  it("mambu list apiconsumers and get apiconsumer show the consumer (their reads take no detailsLevel)", async () => {
    const l = await mambu(["list", "apiconsumers", "--json"]);
    expect(l.stderr).toBe("");
    expect(l.code).toBe(0);
    expect((JSON.parse(l.stdout) as Array<{ id: string }>).map((c) => c.id)).toContain(consumerId);
    const g = await mambu(["get", "apiconsumer", consumerId, "--json"]);
    expect(g.code).toBe(0);
    expect((JSON.parse(g.stdout) as { id: string }).id).toBe(consumerId);
  });

  it("create with --show-secret prints the key on stdout only; an existing --out is refused before anything is made", async () => {
    const c = await mambu(["apikey", "create", consumerId, "--show-secret", "--yes", "--json"]);
    expect(c.code).toBe(0);
    const doc = JSON.parse(c.stdout) as { apiKeyId: string; apiKey: string };
    expect(await works(doc.apiKey)).toBe(true);
    const taken = privateFile(join(dir("taken"), "k.json"), "mine");
    const before = (await MambuApiConsumer.get(consumerId, { connector: admin }).apiKeys()).length;
    const r = await mambu(["apikey", "create", consumerId, "--out", taken, "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`mambu: --out ${taken} already exists; it is left as it is (give a new file, or --force to replace it)`);
    expect(fs.readFileSync(taken, "utf8")).toBe("mine");
    expect((await MambuApiConsumer.get(consumerId, { connector: admin }).apiKeys()).length).toBe(before);
  });
});

describe("mambu apikey rotate", () => {
  it("--update-rc replaces the rc file's apikey in place, --out keeps the new pair; the old pair is dead, the new key works", async () => {
    const pair = await freshPair();
    const h = tempHome();
    const rc = join(h, ".mambupy.rc");
    const original = [
      "# tenant of the payments gateway",
      "[API]",
      `apiurl = ${sandbox.url}`,
      `apikey = ${pair.apiKey}`,
      "; rotated by mambu apikey rotate",
      "apipagination = 25",
      "",
      "[reporting]",
      "owner = ops",
      "",
    ].join("\n");
    privateFile(rc, original);
    const secretFile = privateFile(join(h, "secret.txt"), `${pair.secretKey}\n`);
    const out = join(h, "new-keys.json");
    const env = cleanEnv(h);
    const r = await mambu(["apikey", "rotate", "--secret-key-file", secretFile, "--out", out, "--update-rc", "--yes"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Rotated the configured apikey (file ${rc}): the old API key and secret key no longer work.\n` +
        `Wrote the new API key and secret key to ${out} (JSON, mode 600).\n` +
        `Updated apikey in [API] of ${rc} (line 4).\n`,
    );
    const keys = json(out);
    expect(modeOf(out)).toBe(0o600);
    expect(keys).toMatchObject({ by: "mambu apikey rotate", apiKey: expect.any(String), secretKey: expect.any(String) });
    const fresh = { apiKey: keys.apiKey as string, secretKey: keys.secretKey as string };
    secrets.add(fresh.apiKey);
    secrets.add(fresh.secretKey);
    expect(fresh.apiKey).not.toBe(pair.apiKey);

    const after = fs.readFileSync(rc, "utf8");
    expect(after).toBe(original.replace(`apikey = ${pair.apiKey}`, `apikey = ${fresh.apiKey}`));
    expect(modeOf(rc)).toBe(0o600);
    expectNoSecret(after.split("\n").filter((l) => !l.startsWith("apikey = ")).join("\n"));
    expect(fs.readdirSync(h).sort()).toEqual([".mambupy.rc", "new-keys.json", "secret.txt"]);

    expect(await works(pair.apiKey)).toBe(false);
    expect(await works(fresh.apiKey)).toBe(true);
    // The CLI reads the updated rc file: the new key is the one in use now.
    const list = await mambu(["list", "branches", "--limit", "1", "--json"], env);
    expect(list.code).toBe(0);
    // The old secret key no longer rotates anything; the new pair (read back from the --out file) does.
    const again = await mambu(["apikey", "rotate", "--secret-key-file", secretFile, "--show-secret", "--yes"], env);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("INVALID_CREDENTIALS");
    const third = await runMambu(["apikey", "rotate", "--api-key-file", out, "--secret-key-file", out, "--show-secret", "--yes"], env);
    expect(third.code).toBe(0);
    expectNoSecret(third.stderr);
    const shown = /^apikey = (\S+)\nsecretkey = (\S+)$/m.exec(third.stdout);
    expect(shown).not.toBeNull();
    secrets.add(shown![1]);
    secrets.add(shown![2]);
    expect(await works(shown![1])).toBe(true);
    expect(await works(fresh.apiKey)).toBe(false);
    // The rc file was not asked to change this time, and says so.
    expect(third.stderr).toBe(`mambu: note: file ${rc} still holds the old API key, which no longer works: put the new one there\n`);
  });

  it("MAMBU_SECRET_KEY and --api-key-file with --show-secret --ttl: the pair on stdout, nothing on stderr", async () => {
    const pair = await freshPair();
    const d = dir("show");
    const keyFile = privateFile(join(d, "key.txt"), pair.apiKey);
    const r = await runMambu(["apikey", "rotate", "--api-key-file", keyFile, "--ttl", "600", "--show-secret", "--yes"], { ...adminEnv, MAMBU_SECRET_KEY: pair.secretKey });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const m = /^Rotated --api-key-file .*: the old API key and secret key no longer work\.\napikey = (\S+)\nsecretkey = (\S+)\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    secrets.add(m![1]);
    secrets.add(m![2]);
    expectNoSecret(r.stdout, [m![1], m![2]]);
    expect(await works(m![1])).toBe(true);
    expect(await works(pair.apiKey)).toBe(false);
  });

  it("refuses before anything is sent: a key on the command line, no output, an existing --out, no --yes without a terminal, a symlinked rc, no secret key", async () => {
    const pair = await freshPair();
    const d = dir("refusals");
    const keyFile = privateFile(join(d, "key.txt"), pair.apiKey);
    const secretFile = privateFile(join(d, "secret.txt"), pair.secretKey);
    const taken = privateFile(join(d, "taken.json"), "{}");
    const realRc = privateFile(join(d, "real.rc"), `[API]\napikey = ${pair.apiKey}\n`);
    const linkRc = join(d, "link.rc");
    fs.symlinkSync(realRc, linkRc);
    const base = ["apikey", "rotate", "--api-key-file", keyFile];
    const cases: Array<[string[], string]> = [
      [[...base, "--secret-key", pair.secretKey, "--show-secret", "--yes"], "mambu: --secret-key is refused: a key given on the command line is visible to every user of this machine (ps, /proc)"],
      [["apikey", "rotate", "--api-key", pair.apiKey, "--secret-key-file", secretFile, "--show-secret", "--yes"], "mambu: --api-key is refused"],
      [[...base, "--secret-key-file", secretFile, "--yes"], "mambu: apikey rotate needs somewhere to keep the new API key and secret key: Mambu shows them only once, and the old keys stop working at the rotation. Give --out FILE (JSON, mode 600) or --show-secret (--update-rc keeps only the new API key)"],
      [[...base, "--secret-key-file", secretFile, "--update-rc", realRc, "--yes"], "needs somewhere to keep the new API key and secret key"],
      [[...base, "--secret-key-file", secretFile, "--out", taken, "--yes"], `mambu: --out ${taken} already exists`],
      [[...base, "--secret-key-file", secretFile, "--show-secret"], "mambu: apikey rotate writes (POST /apikey/rotation): add --yes to confirm (no terminal to ask on)"],
      [[...base, "--secret-key-file", secretFile, "--show-secret", "--update-rc", linkRc, "--yes"], `mambu: rc file ${linkRc} is a symbolic link: refusing to write a credential through it`],
      [[...base, "--show-secret", "--yes"], "mambu: apikey rotate needs the secret key: give --secret-key-file FILE or set MAMBU_SECRET_KEY (no terminal to ask on)"],
      [[...base, "--secret-key-file", secretFile, "--show-secret", "--ttl", "100000001", "--yes"], "mambu: --ttl must be a whole number of seconds from 0 to 100000000"],
    ];
    for (const [args, message] of cases) {
      const r = await mambu(args);
      expect({ args: args.join(" "), code: r.code }).toEqual({ args: args.join(" "), code: 2 });
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    }
    expect(fs.readFileSync(taken, "utf8")).toBe("{}");
    expect(fs.readFileSync(realRc, "utf8")).toBe(`[API]\napikey = ${pair.apiKey}\n`);
    expect(await works(pair.apiKey)).toBe(true); // never rotated
  });

  it("Mambu out of reach: exit code 4, and what to check (the answer of a rotation may be what was lost)", async () => {
    const pair = await freshPair();
    const d = dir("unreachable");
    const keyFile = privateFile(join(d, "key.txt"), pair.apiKey);
    const env = { ...adminEnv, MAMBU_API_URL: "http://127.0.0.1:1", MAMBU_API_RETRIES: "0", MAMBU_SECRET_KEY: pair.secretKey };
    const r = await mambu(["apikey", "rotate", "--api-key-file", keyFile, "--out", join(d, "keys.json"), "--yes"], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("mambu: communication error:");
    expect(r.stderr).toContain("mambu: the rotation may have happened without its answer arriving: check whether the old API key still works");
    expect(fs.existsSync(join(d, "keys.json"))).toBe(false);
  });

  it("when storing fails after the rotation, the new pair is printed once on stderr with a warning, exit code 1", async () => {
    const pair = await freshPair();
    const d = dir("disk-full");
    const out = join(d, "keys.json");
    const keyFile = privateFile(join(d, "key.txt"), pair.apiKey);
    const realOpen = fs.openSync;
    jest.spyOn(fsModule, "openSync").mockImplementation(((path: fs.PathLike, ...rest: unknown[]) => {
      if (String(path) === out) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${out}'`), { code: "ENOSPC" });
      return (realOpen as (...a: unknown[]) => number)(path, ...rest);
    }) as typeof fs.openSync);
    const saved = { ...process.env };
    Object.assign(process.env, { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "admin", MAMBU_API_PWD: ADMIN_PWD, MAMBU_SECRET_KEY: pair.secretKey, HOME: home });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let o = "";
    let e = "";
    stdout.on("data", (x: Buffer) => (o += String(x)));
    stderr.on("data", (x: Buffer) => (e += String(x)));
    let code: number;
    try {
      code = await main(["apikey", "rotate", "--api-key-file", keyFile, "--out", out, "--yes"], { stdout, stderr });
    } finally {
      jest.restoreAllMocks();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(code).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
    expect(o).toBe(`Rotated --api-key-file ${keyFile}: the old API key and secret key no longer work.\n`);
    const m = /^apikey = (\S+)\nsecretkey = (\S+)$/m.exec(e);
    expect(m).not.toBeNull();
    const [, apiKey, secretKey] = m!;
    secrets.add(apiKey);
    secrets.add(secretKey);
    expect(e).toContain("mambu: !!! WARNING !!!");
    expect(e).toContain(`but writing ${out} failed (cannot create ${out}: ENOSPC).`);
    expect(e).toContain("They are printed here ONCE");
    expect(e.split(apiKey).length - 1).toBe(1);
    expect(e.split(secretKey).length - 1).toBe(1);
    expectNoSecret(e, [apiKey, secretKey]);
    expectNoSecret(o);
    // What was printed is the live pair: the key works, the old one does not.
    expect(await works(apiKey)).toBe(true);
    expect(await works(pair.apiKey)).toBe(false);
  });

  const onTerminal = HAS_SCRIPT ? it : it.skip;

  /** Runs `node bin/mambu ...args` on a pseudo-terminal; each [prompt, answer] is typed once `prompt` shows. */
  function terminal(args: string[], env: NodeJS.ProcessEnv, dialogue: Array<[RegExp, string]>): Promise<TerminalResult> {
    return runOnTerminal(args, env, { answers: dialogue.map(([when, type]) => ({ when, type })) });
  }

  onTerminal("on a terminal the secret key is asked without echo, the plan shown without secrets; n sends nothing, y rotates", async () => {
    const pair = await freshPair();
    const d = dir("tty");
    const keyFile = privateFile(join(d, "key.txt"), pair.apiKey);
    const out = join(d, "keys.json");
    const args = ["apikey", "rotate", "--api-key-file", keyFile, "--out", out];
    const no = await terminal(args, adminEnv, [[/Secret key \(not shown\): $/, pair.secretKey], [/Proceed\? \[y\/N\] $/, "n"]]);
    expectNoSecret(no.screen);
    expect(no.code).toBe(1);
    expect(no.screen).toContain(
      `mambu will:\n  rotate --api-key-file ${keyFile} at ${sandbox.url}: POST /apikey/rotation\n  the old API key and secret key stop working at once\n` +
        `  the new API key and secret key → ${out} (JSON, mode 600, a new file)\nProceed? [y/N] n\n`,
    );
    expect(no.screen).toContain("mambu: cancelled, nothing sent");
    expect(await works(pair.apiKey)).toBe(true);
    expect(fs.existsSync(out)).toBe(false);

    const yes = await terminal(args, adminEnv, [[/Secret key \(not shown\): $/, pair.secretKey], [/Proceed\? \[y\/N\] $/, "y"]]);
    expectNoSecret(yes.screen);
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain(`Wrote the new API key and secret key to ${out} (JSON, mode 600).`);
    const keys = json(out);
    secrets.add(keys.apiKey as string);
    secrets.add(keys.secretKey as string);
    expect(await works(keys.apiKey as string)).toBe(true);
    expect(await works(pair.apiKey)).toBe(false);
  });
});
