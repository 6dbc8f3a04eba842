/**
 * One user session, every output path: `mambu repl` (the REPL the CLI starts, on a terminal, keeping a history file)
 * against the sandbox creates an API consumer, an API key and a secret key, lists the keys, rotates the pair, prints
 * the results every way a user would (the REPL's own display, console.log, JSON.stringify, a template string,
 * util.inspect with hidden fields, Object.entries), makes a rotation fail, and works through a connector with a
 * logger and onRetry. Then every credential the session handled — every value the REPL process ever wrapped in a
 * `Secret`, read from `knownSecrets()` there — is searched for in everything that was written: the REPL's output,
 * its history file, the logger's lines (printed in the session), and the sandbox's state. None may be there.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { MambuConnector } from "../../lib";
import { buildDist, cleanEnv, runNode, tempHome } from "./cli-helpers";

jest.setTimeout(90_000);

let sandbox: Sandbox;
let home: string;

beforeAll(async () => {
  buildDist();
  sandbox = await startSandbox({ port: 0 });
  home = tempHome();
});

afterAll(async () => {
  await sandbox.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

/** The child: a terminal REPL over streams (so that Node keeps a history file), fed one line at a time. */
const DRIVER = `
  const { once } = require("events");
  const fs = require("fs");
  const { PassThrough } = require("stream");
  const { startRepl } = require("./dist/repl");
  const { knownSecrets } = require("./dist");
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  (async () => {
    const lines = JSON.parse(process.env.SESSION_LINES);
    const input = new PassThrough(), output = new PassThrough();
    let out = "";
    output.on("data", (d) => { out += d; process.stdout.write(d); });
    const repl = startRepl({ input, output, terminal: true, historyPath: process.env.SESSION_HISTORY, prompt: "> " });
    await once(repl, "flushHistory");
    for (const [i, line] of lines.entries()) {
      input.write(line + "\\n");
      input.write('"done-' + i + '"\\n');
      for (let t = 0; t < 1000 && !out.includes("'done-" + i + "'"); t++) await sleep(20);
      if (!out.includes("'done-" + i + "'")) throw new Error("line " + i + " never finished");
    }
    await sleep(100); // the history file's last debounced write
    fs.writeFileSync(process.env.SESSION_SECRETS, JSON.stringify(knownSecrets()), { mode: 0o600 });
    const exited = once(repl, "exit");
    repl.close();
    await exited;
  })().catch((e) => { console.error(e); process.exit(1); });
`;

const LOGGER =
  "{ debug: (m, meta) => logLines.push(m + ' ' + JSON.stringify(meta)), info: (m, meta) => logLines.push(m + ' ' + JSON.stringify(meta)), " +
  "warn: (m, meta) => logLines.push(m + ' ' + JSON.stringify(meta)), error: (m, meta) => logLines.push(m + ' ' + JSON.stringify(meta)) }";

const SESSION = [
  "const logLines = []",
  `const conn = new MambuConnector({ apiurl: mambuconfig.apiurl, apiuser: "demo", apipwd: "demo", logger: ${LOGGER}, onRetry: (e) => logLines.push(JSON.stringify(e)) })`,
  `const gw = await MambuApiConsumer.create({ name: "gateway", type: "MAMBU_API" }, { connector: conn })`,
  "const k = await gw.createApiKey({ expirationTime: 3600 })",
  "k",
  "const s = await gw.createSecretKey()",
  "s",
  "await gw.apiKeys()",
  "const r = await rotateApiKey({ apiKey: k.apiKey, secretKey: s, expirationTime: 600, connector: conn })",
  "r",
  "console.log(r.apiKey, r.secretKey)",
  "JSON.stringify(r)",
  "`key=${r.apiKey} secret=${r.secretKey}`",
  "util.inspect(r, { showHidden: true, depth: 5 })",
  "Object.entries(r)",
  "await rotateApiKey({ apiKey: k.apiKey, secretKey: s, connector: conn })",
  "await gw.delete()",
  "logLines",
];

test("no credential of a key's life (create, list, rotate, a failed rotation) reaches any output", async () => {
  const history = join(home, "history");
  const secretsFile = join(home, "secrets.json");
  const r = await runNode(["-e", DRIVER], cleanEnv(home, {
    MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "demo", MAMBU_API_PWD: "demo",
    SESSION_LINES: JSON.stringify(SESSION), SESSION_HISTORY: history, SESSION_SECRETS: secretsFile,
  }), { timeoutMs: 80_000 });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  // The session did what it says: keys shown masked, the dead pair refused.
  expect(r.stdout).toContain("Secret(API key: ****)");
  expect(r.stdout).toContain("Secret(secret key: ****)");
  expect(r.stdout).toMatch(/INVALID_CREDENTIALS/);
  expect(r.stdout).not.toMatch(/ReferenceError|TypeError/);

  const secrets = (JSON.parse(fs.readFileSync(secretsFile, "utf8")) as string[]).filter((v) => v.length >= 8);
  expect(secrets.length).toBeGreaterThanOrEqual(4); // the key, the secret, the rotated key, the rotated secret
  const historyText = fs.readFileSync(history, "utf8");
  expect(historyText).toContain("rotateApiKey"); // the history was kept (lines without a secret stay)
  const persisted = JSON.stringify(sandbox.store.snapshot());
  const leaks: string[] = [];
  for (const [i, value] of secrets.entries()) {
    const shown = `secret #${i + 1} of ${secrets.length}`; // never the value, even in a failure
    if (r.stdout.includes(value)) leaks.push(`REPL output holds ${shown}`);
    if (historyText.includes(value)) leaks.push(`history holds ${shown}`);
    if (persisted.includes(value)) leaks.push(`the sandbox's state holds ${shown}`);
  }
  expect(leaks).toEqual([]);
  // And they were real credentials: the rotated key authenticated until its consumer was deleted.
  for (const value of secrets) {
    const c = new MambuConnector({ apiurl: sandbox.url, apikey: value, retries: 0 });
    try {
      await expect(c.request({ method: "GET", path: "/branches" })).rejects.toThrow(/INVALID_CREDENTIALS/);
    } finally {
      c.close();
    }
  }
});
