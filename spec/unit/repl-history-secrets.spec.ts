/**
 * The REPL's history file keeps no secret: a line holding a Secret's value (a rotated key), the configured apikey
 * or apipwd, or a credential literal is dropped before Node's debounced write saves it, while every other line is
 * kept. The REPL runs over streams in terminal mode (readline keeps history only then) with a temporary history
 * file, as `mambu repl` does on a terminal.
 */
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import type { REPLServer } from "node:repl";
import { mambuconfig } from "../../lib/config";
import { startRepl } from "../../lib/cli/repl";
import { isSecretLine } from "../../lib/cli/history-secrets";
import { Secret } from "../../lib/transport/secret";

const ROTATED = "RotatedKey-7Hq2mZx9Lw";
const CONFIGURED_KEY = "ConfiguredKey-Pp31vX";
const CONFIGURED_PWD = "ConfiguredPwd-Zz88k";
const LITERALS = ["lit-Secret-A1", "lit-Secret-B2", "lit-Secret-C3", "lit-Secret-D4", "lit-Secret-E5", "lit-Secret-F6"];

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mambu-ts-history-"));
  file = path.join(dir, "history");
  mambuconfig.apikey = CONFIGURED_KEY;
  mambuconfig.apipwd = CONFIGURED_PWD;
});

afterEach(() => {
  mambuconfig.unset("apikey");
  mambuconfig.unset("apipwd");
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Typing {
  server: REPLServer;
  output: string[];
  type(line: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the REPL on a terminal-like pair of streams; resolves once the history file is loaded. */
async function repl(): Promise<Typing> {
  const input = new PassThrough();
  const out = new PassThrough();
  const output: string[] = [];
  out.on("data", (d: Buffer) => output.push(String(d)));
  const server = startRepl({ input, output: out, terminal: true, historyPath: file, prompt: "> " });
  await once(server, "flushHistory"); // history.js: the file was read and written back
  return {
    server,
    output,
    // Each line schedules one debounced write, which ends with 'flushHistory'.
    async type(line: string) {
      const flushed = once(server, "flushHistory");
      input.write(`${line}\n`);
      await flushed;
    },
    async close() {
      const exited = once(server, "exit");
      server.close();
      await exited;
      await new Promise((r) => setImmediate(r));
    },
  };
}

function historyLines(): string[] {
  return fs.readFileSync(file, "utf8").split(os.EOL);
}

describe("the REPL history file", () => {
  it("drops lines holding a known secret or a credential literal, keeps the others, and holds no secret value", async () => {
    new Secret(ROTATED, "API key"); // what rotateApiKey hands back: known to the process from now on
    const r = await repl();
    const kept = ["1 + 1", "const apiKeyName = 'apikey'", "let secretKey = process.env.MAMBU_SECRET_KEY", "mambuconfig.apiurl = 'tenant.sandbox.mambu.com'"];
    const dropped = [
      `globalThis.k = "${ROTATED}".length`,
      `globalThis.c = ["${CONFIGURED_KEY}"]`,
      `globalThis.p = '${CONFIGURED_PWD}' + ''`,
      `globalThis.o = { secretKey: "${LITERALS[0]}" }`,
      `globalThis.a = {}; a.apiKey = '${LITERALS[1]}'`,
      `mambuconfig.set("apipwd", "${LITERALS[2]}")`,
      `globalThis.s = new Secret(\`${LITERALS[3]}\`)`,
      `globalThis.j = JSON.parse('{"apikey": "${LITERALS[4]}"}')`,
      `process.env.MAMBU_API_PWD = "${LITERALS[5]}"`,
    ];
    for (const line of [...dropped, ...kept]) {
      await r.type(line);
      // After each line's write the file already holds no secret (not only at the end).
      const text = fs.readFileSync(file, "utf8");
      for (const s of [ROTATED, CONFIGURED_KEY, CONFIGURED_PWD, ...LITERALS]) expect(text).not.toContain(s);
    }
    await r.close();
    expect(historyLines()).toEqual([...kept].reverse()); // newest first, as Node writes it
    // The lines did run (the REPL evaluated them; only the history left them out).
    expect(r.output.join("")).toContain(String(ROTATED.length));
  });

  it("a full history made shorter leaves no stale tail in the file", async () => {
    // 30 entries (Node's default historySize); the new line pushes the oldest out, then it is dropped itself.
    const old = Array.from({ length: 30 }, (_, i) => `old line ${30 - i} ${"x".repeat(20)}`);
    fs.writeFileSync(file, old.join(os.EOL), { mode: 0o600 });
    const r = await repl();
    await r.type(`globalThis.o = { apiKey: "${LITERALS[0]}" }`);
    await r.close();
    expect(fs.readFileSync(file, "utf8")).toBe(old.slice(0, 29).join(os.EOL));
  });

  it("lines read back from an older history file that hold a secret go at the next line", async () => {
    fs.writeFileSync(file, ["earlier ok", `x = { secretKey: "${LITERALS[1]}" }`].join(os.EOL), { mode: 0o600 });
    const r = await repl();
    await r.type("2 + 2");
    await r.close();
    expect(historyLines()).toEqual(["2 + 2", "earlier ok"]);
  });
});

describe("isSecretLine", () => {
  it.each([
    ['secretKey: "abc"', true],
    ["{ 'apiKey' : 'abc' }", true],
    ['cfg["apikey"] = "abc"', true],
    ["apipwd='abc'", true],
    ['password: "hunter2"', true],
    ['if (apiKey === "abc") 1', true],
    ['mambuconfig.set( "apiKey" , "abc")', true],
    ["MAMBU_SECRET_KEY=`abc`", true],
    ["apiKey = process.env.KEY", false],
    ["await rotateApiKey({ apiKey, secretKey })", false],
    ["const apiKeys = await consumer.apiKeys()", false],
    ["MambuLoan.get('54321')", false],
  ])("%s → %s", (line, expected) => {
    expect(isSecretLine(line, [])).toBe(expected);
  });

  it("matches known secret values of 4 characters or more", () => {
    expect(isSecretLine("x = 'Abcd-1234'.length", ["Abcd-1234"])).toBe(true);
    expect(isSecretLine("x = 'abc'", ["abc"])).toBe(false);
  });
});
