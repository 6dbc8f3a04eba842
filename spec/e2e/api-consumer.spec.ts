/**
 * End to end against the sandbox: an administrator creates an API consumer, lists and edits it, gives it an API
 * key and a secret key (Secrets), the consumer works with its key, rotates it (the old key and secret key stop
 * working, the new pair works), and deleting a key or the consumer takes its access away. No key value ever
 * reaches an error, a logger line or a retry event.
 */
import { inspect } from "util";
import {
  MambuApiConsumer, MambuBranch, MambuConfig, MambuConnector, MambuError, rotateApiKey, Secret,
} from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let admin: MambuConnector;
const lines: string[] = [];
const shown: string[] = [];

/** A connector that authenticates with an API key only; its log lines and retry events are kept. */
function keyConnector(apikey: Secret | string): MambuConnector {
  const config = new MambuConfig({ env: {}, rcFiles: [] });
  config.apiurl = sandbox.url;
  config.retries = 0;
  return new MambuConnector({
    config,
    apikey: typeof apikey === "string" ? apikey : apikey.reveal(),
    sleep: async () => {},
    logger: { debug: (m, meta) => lines.push(`${m} ${JSON.stringify(meta)}`), warn: (m, meta) => lines.push(`${m} ${JSON.stringify(meta)}`) },
    onRetry: (ev) => lines.push(JSON.stringify(ev)),
  });
}

/** What a user could see of an error. */
function show(err: unknown): unknown {
  const e = err as MambuError;
  shown.push(String(e.message), String(e.stack), String(e.bodyExcerpt), JSON.stringify(e.errors ?? null), inspect(e, { depth: 8 }));
  return err;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  admin = demoConnector(sandbox, { retries: 0 });
});
afterAll(async () => {
  admin.close();
  await sandbox.stop();
});

test("a consumer's life: create, list, edit, keys, rotation, deletion — and no key value in any output", async () => {
  const consumer = await MambuApiConsumer.create({ name: "payments-gateway", type: "MAMBU_API", access: { canManageAllBranches: true } }, { connector: admin });
  expect(consumer.id).toEqual(expect.any(String));
  expect(consumer.encodedKey).toEqual(expect.any(String));
  expect(consumer.creationDate?.isValid).toBe(true);

  const listed = await MambuApiConsumer.getAll({ type: "MAMBU_API", connector: admin });
  expect(listed.map((c) => c.encodedKey)).toContain(consumer.encodedKey);
  expect(await MambuApiConsumer.getAll({ type: "AUDIT_TRAIL", connector: admin })).toEqual([]);
  const streamed: string[] = [];
  for await (const c of MambuApiConsumer.getAll({ limit: 1, connector: admin })) streamed.push(String(c.id));
  expect(streamed).toHaveLength(1);

  consumer.name = "payments-gateway-2";
  await consumer.update();
  expect((await MambuApiConsumer.get(String(consumer.id), { connector: admin })).name).toBe("payments-gateway-2");
  consumer.name = "payments-gateway-3";
  expect(await consumer.patch()).toEqual([{ op: "REPLACE", path: "/name", value: "payments-gateway-3" }]);
  expect((await MambuApiConsumer.get(String(consumer.encodedKey), { connector: admin })).name).toBe("payments-gateway-3");

  const key = await consumer.createApiKey({ expirationTime: 3600 });
  const secret = await consumer.createSecretKey();
  expect(key).toEqual({ id: expect.any(String), expirationTime: 3600, apiKey: expect.any(Secret) });
  expect(secret).toBeInstanceOf(Secret);
  const values = [key.apiKey.reveal(), secret.reveal()];
  expect(inspect({ key, secret }, { breakLength: Infinity })).toBe(`{ key: { id: '${key.id}', expirationTime: 3600, apiKey: Secret(API key: ****) }, secret: Secret(secret key: ****) }`);

  const keys = await consumer.apiKeys();
  expect(keys.map((k) => k.id)).toEqual([key.id]);
  expect(keys[0].apiKey).toBeInstanceOf(Secret);
  expect(keys[0].apiKey!.reveal()).not.toBe(key.apiKey.reveal()); // listed masked, not the key itself

  // the consumer works with its key
  const asConsumer = keyConnector(key.apiKey);
  expect((await MambuBranch.getAll({ limit: 1, connector: asConsumer })).length).toBe(1);

  // a rotation refused (a wrong secret key) changes nothing and shows no key
  const refused = show(await rotateApiKey({ apiKey: key.apiKey, secretKey: "not-the-secret-key", connector: asConsumer }).catch((e: unknown) => e));
  expect(refused).toBeInstanceOf(MambuError);
  expect((refused as MambuError).status).toBe(401);

  const rotated = await rotateApiKey({ apiKey: key.apiKey, secretKey: secret, expirationTime: 600, connector: asConsumer });
  expect(rotated.apiKey).toBeInstanceOf(Secret);
  expect(rotated.apiKey.equals(key.apiKey)).toBe(false);
  expect(rotated.secretKey.equals(secret)).toBe(false);
  values.push(rotated.apiKey.reveal(), rotated.secretKey.reveal());
  expect(JSON.stringify(rotated)).toBe('{"apiKey":"****","secretKey":"****"}');

  // the old key and the used secret key no longer work; the new pair does
  const old = show(await MambuBranch.getAll({ limit: 1, connector: asConsumer }).catch((e: unknown) => e));
  expect((old as MambuError).status).toBe(401);
  const again = show(await rotateApiKey({ apiKey: key.apiKey, secretKey: secret, connector: asConsumer }).catch((e: unknown) => e));
  expect((again as MambuError).status).toBe(401);
  const asRotated = keyConnector(rotated.apiKey);
  expect((await MambuBranch.getAll({ limit: 1, connector: asRotated })).length).toBe(1);
  const twice = await rotateApiKey({ apiKey: rotated.apiKey, secretKey: rotated.secretKey, connector: asRotated });
  values.push(twice.apiKey.reveal(), twice.secretKey.reveal());

  // deleting the key takes the access away
  const [live] = await consumer.apiKeys();
  expect(live.expirationTime ?? 0).toBe(0); // the second rotation asked for no expiry
  await consumer.deleteApiKey(live.id);
  expect(await consumer.apiKeys()).toEqual([]);
  const gone = show(await MambuBranch.getAll({ limit: 1, connector: keyConnector(twice.apiKey) }).catch((e: unknown) => e));
  expect((gone as MambuError).status).toBe(401);

  await consumer.delete();
  const deleted = show(await MambuApiConsumer.get(String(consumer.id), { connector: admin }).catch((e: unknown) => e));
  expect((deleted as MambuError).status).toBe(404);

  const outputs = [...shown, ...lines, inspect(consumer), JSON.stringify(consumer)];
  for (const v of values) for (const text of outputs) expect(text).not.toContain(v);
  expect(lines.length).toBeGreaterThan(0);
});

test("input a rotation cannot take is refused before anything is sent", async () => {
  await expect(rotateApiKey({ apiKey: "", secretKey: "x-secret", connector: admin })).rejects.toThrow("rotateApiKey: apiKey is empty");
  await expect(MambuApiConsumer.create({ name: "x", type: "ROBOT" } as never, { connector: admin })).rejects.toThrow('type: "ROBOT" is not one of');
  await expect(new MambuApiConsumer({ name: "x", type: "MAMBU_API" }).createApiKey({ connector: admin } as never)).rejects.toThrow('unknown option "connector"');
});
