/**
 * `mambu call` and credentials in answers (run in this process as in a child: cli-helpers.ts runMain): the fields the contract marks
 * secret — a new API key, a secret key, a listed key, a rotated pair — print as `****` (JSON and --jsonl), with
 * one line on stderr saying so and how to show them (no value in it); `--show-secret` prints them as Mambu sent
 * them. Against a tenant that answers known keys (so that every output can be searched for them) and against the
 * sandbox (a key printed with --show-secret authenticates).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { MambuConfig, MambuConnector } from "../../lib";
import { MambuApiConsumer } from "../../lib/entities/api-consumer";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { buildDist, cleanEnv, runMain, runMambu, RunResult, tempHome } from "./cli-helpers";
import { call } from "./sandbox-helpers";

jest.setTimeout(60_000);

const ADMIN_PWD = "Admin-pw-call-s3cret";
const API_KEY = "cliCallApiKey-6d5c4b3a29180f7e";
const SECRET_KEY = "cliCallSecret+1a2b/3c4d=5e6f7a";
const LISTED = "cliListedKey-0a9b8c7d6e5f4a3b";
const KNOWN = [ADMIN_PWD, API_KEY, SECRET_KEY, LISTED];

/** What the fake tenant answers, by "METHOD path". */
const ANSWERS: Record<string, [number, unknown]> = {
  "POST /api/consumers/C1/apikeys": [201, { id: "K1", expirationTime: 3600, apiKey: API_KEY }],
  "POST /api/consumers/C1/secretkeys": [201, { secretKey: SECRET_KEY }],
  "GET /api/consumers/C1/apikeys": [200, [{ id: "K1", apiKey: LISTED }, { id: "K2", apiKey: API_KEY }]],
  "GET /api/consumers/C1": [200, { id: "C1", name: "gateway", type: "MAMBU_API" }],
};

let sandbox: Sandbox;
let fake: Server;
let fakeEnv: NodeJS.ProcessEnv;
let sandboxEnv: NodeJS.ProcessEnv;
let consumerId: string;
let admin: MambuConnector;

beforeAll(async () => {
  buildDist();
  fake = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      const found = ANSWERS[`${req.method} ${req.url}`];
      res.writeHead(found ? found[0] : 404, { "Content-Type": "application/vnd.mambu.v2+json" });
      res.end(JSON.stringify(found ? found[1] : { errors: [{ errorCode: 3, errorReason: "INVALID_API_OPERATION" }] }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeEnv = cleanEnv(tempHome(), { MAMBU_API_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, MAMBU_API_USER: "admin", MAMBU_API_PWD: ADMIN_PWD });

  sandbox = await startSandbox({ port: 0, users: [{ username: "admin", password: ADMIN_PWD }] });
  const config = new MambuConfig({ env: {}, rcFiles: [] });
  config.apiurl = sandbox.url;
  config.apiuser = "admin";
  config.apipwd = ADMIN_PWD;
  admin = new MambuConnector({ config, sleep: async () => {} });
  consumerId = String((await MambuApiConsumer.create({ name: "cli-call-gateway", type: "MAMBU_API" }, { connector: admin })).id);
  sandboxEnv = cleanEnv(tempHome(), { MAMBU_API_URL: sandbox.url, MAMBU_API_USER: "admin", MAMBU_API_PWD: ADMIN_PWD });
}, 240_000);

afterAll(async () => {
  admin?.close();
  await sandbox?.stop();
  await new Promise((resolve) => fake?.close(resolve));
});

/** `mambu ...` against the fake tenant; no known credential in any output except those of `shown`. */
async function mambu(args: string[], shown: string[] = [], env = fakeEnv): Promise<RunResult> {
  const r = await runMain(args, env);
  for (const k of KNOWN) {
    for (const form of [k, JSON.stringify(k).slice(1, -1)]) {
      if (!shown.includes(k)) expect(r.stdout + r.stderr).not.toContain(form);
    }
  }
  return r;
}

const NOTE_ONE = "mambu: 1 credential in the answer (API key) printed as ****; add --show-secret to print it (Mambu shows a new key only once)\n";

describe("mambu call hides credentials", () => {
  it("a new API key prints as **** in JSON, with one line on stderr saying how to show it", async () => {
    const r = await mambu(["call", "consumers.createApiKeyForConsumer", "C1", "--data", '{"expirationTime":3600}', "--yes"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: "K1", expirationTime: 3600, apiKey: "****" });
    expect(r.stderr).toBe(NOTE_ONE);
  });

  it("--jsonl too; a secret key and a list of keys are hidden the same way", async () => {
    const k = await mambu(["call", "consumers.createApiKeyForConsumer", "C1", "--yes", "--jsonl"]);
    expect(k.stdout).toBe('{"id":"K1","expirationTime":3600,"apiKey":"****"}\n');
    expect(k.stderr).toBe(NOTE_ONE);
    const s = await mambu(["call", "consumers.createSecretKeyForConsumer", "C1", "--yes", "--jsonl"]);
    expect([s.code, s.stdout]).toEqual([0, '{"secretKey":"****"}\n']);
    expect(s.stderr).toBe("mambu: 1 credential in the answer (secret key) printed as ****; add --show-secret to print it (Mambu shows a new key only once)\n");
    const l = await mambu(["call", "consumers.getApiKeysByConsumerId", "C1", "--jsonl"]);
    expect([l.code, l.stdout]).toEqual([0, '[{"id":"K1","apiKey":"****"},{"id":"K2","apiKey":"****"}]\n']);
    expect(l.stderr).toBe("mambu: 2 credentials in the answer (API key) printed as ****; add --show-secret to print them (Mambu shows a new key only once)\n");
  });

  it("--show-secret prints them as Mambu sent them, and says nothing on stderr", async () => {
    const k = await mambu(["call", "consumers.createApiKeyForConsumer", "C1", "--yes", "--show-secret"], [API_KEY]);
    expect([k.code, k.stderr]).toEqual([0, ""]);
    expect(JSON.parse(k.stdout)).toEqual({ id: "K1", expirationTime: 3600, apiKey: API_KEY });
    const l = await mambu(["call", "consumers.getApiKeysByConsumerId", "C1", "--show-secret", "--jsonl"], [API_KEY, LISTED]);
    expect(l.stdout).toBe(`[{"id":"K1","apiKey":"${LISTED}"},{"id":"K2","apiKey":"${API_KEY}"}]\n`);
    expect(l.stderr).toBe("");
  });

  it("an answer without credentials prints as before, with or without --show-secret, and no note", async () => {
    for (const extra of [[], ["--show-secret"]]) {
      const r = await mambu(["call", "consumers.getById", "C1", "--jsonl", ...extra]);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '{"id":"C1","name":"gateway","type":"MAMBU_API"}\n', ""]);
    }
  });

  it("mambu call --help names --show-secret", async () => {
    const r = await mambu(["call", "--help"]);
    expect(r.stdout).toMatch(/--show-secret\s+print the credentials of the answer/);
  });
});

describe("mambu call against the sandbox", () => {
  /** Whether `apiKey` authenticates a read. */
  async function works(apiKey: string): Promise<boolean> {
    const a = await call(sandbox, "GET", "/branches", { headers: { Authorization: "", apikey: apiKey } });
    if (a.status !== 200 && a.status !== 401) throw new Error(`unexpected ${a.status}: ${a.text}`);
    return a.status === 200;
  }

  it("a key created hidden is ****; one created with --show-secret is the real key (it authenticates)", async () => {
    const hidden = await runMambu(["call", "consumers.createApiKeyForConsumer", consumerId, "--yes"], sandboxEnv);
    expect(hidden.code).toBe(0);
    expect(JSON.parse(hidden.stdout)).toMatchObject({ id: expect.any(String), apiKey: "****" });
    expect(hidden.stderr).toBe(NOTE_ONE);
    const shown = await runMambu(["call", "consumers.createApiKeyForConsumer", consumerId, "--yes", "--show-secret"], sandboxEnv);
    expect([shown.code, shown.stderr]).toEqual([0, ""]);
    const key = (JSON.parse(shown.stdout) as { apiKey: string }).apiKey;
    expect(key).not.toBe("****");
    expect(await works(key)).toBe(true);
    const listed = await runMambu(["call", "consumers.getApiKeysByConsumerId", consumerId], sandboxEnv);
    expect(listed.stdout).not.toContain(key);
    expect((JSON.parse(listed.stdout) as Array<{ apiKey: string }>).map((k) => k.apiKey)).toEqual(["****", "****"]);
  });
});
