/**
 * The sandbox's Services API (`/v1`): hold configurations (`/holds`), through the ORM's `services.holdConfigs.*`
 * against one sandbox, answers checked against the Services contract. They are the tenant's authorization holds
 * setting that API v2 serves as configuration/authorizationholds.yaml: one setting, seen from both APIs.
 */
import { getConfiguration, services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector, statusOf } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
});

afterAll(async () => {
  await sb.stop();
});


test("the default configuration always exists: read and replaced, never created (409) or deleted (400)", async () => {
  await expect(services.holdConfigs.getHoldConfig({ merchant_code: "default" }, { connector })).resolves.toEqual({ merchant_code: "default", duration: "604800s" });
  const put = await services.holdConfigs.updateHoldConfig({ merchant_code: "default" }, { merchant_code: "default", duration: "864000s" }, { connector });
  expect(put).toEqual({ merchant_code: "default", duration: "864000s" });
  expect(await statusOf(services.holdConfigs.createHoldConfig({}, { merchant_code: "default", duration: "86400s" }, { connector }))).toBe(409);
  expect(await statusOf(services.holdConfigs.deleteHoldConfig({ merchant_code: "default" }, { connector }))).toBe(400);
});

test("per merchant code: create (409 when taken), list, replace, delete (404 after); the body's code must be the query's", async () => {
  const made = await services.holdConfigs.createHoldConfig({}, { merchant_code: "5411", duration: "172800s", description: "groceries" }, { connector });
  expect(made).toEqual({ merchant_code: "5411", duration: "172800s", description: "groceries" });
  expect(await statusOf(services.holdConfigs.createHoldConfig({}, { merchant_code: "5411", duration: "86400s" }, { connector }))).toBe(409);
  await services.holdConfigs.createHoldConfig({}, { merchant_code: "0742", duration: "259200s" }, { connector });
  const page = await services.holdConfigs.listHoldConfigs({ order_by: "merchant_code", page_size: 1 }, { connector });
  expect(page).toMatchObject({ total: 2, remaining: 2, configs: [{ merchant_code: "0742", duration: "259200s" }] });
  const rest = await services.holdConfigs.listHoldConfigs({ order_by: "merchant_code", page_size: 1, page_token: page.next_page_token }, { connector });
  expect(rest.configs.map((c) => c.merchant_code)).toEqual(["5411"]);
  expect(rest.next_page_token).toBeUndefined();
  expect(await statusOf(services.holdConfigs.updateHoldConfig({ merchant_code: "5411" }, { merchant_code: "0742", duration: "86400s" }, { connector }))).toBe(400);
  await expect(services.holdConfigs.updateHoldConfig({ merchant_code: "5411" }, { merchant_code: "5411", duration: "86400s" }, { connector })).resolves.toEqual({ merchant_code: "5411", duration: "86400s" });
  await services.holdConfigs.deleteHoldConfig({ merchant_code: "0742" }, { connector });
  expect(await statusOf(services.holdConfigs.getHoldConfig({ merchant_code: "0742" }, { connector }))).toBe(404);
  expect(await statusOf(services.holdConfigs.updateHoldConfig({ merchant_code: "0742" }, { merchant_code: "0742", duration: "86400s" }, { connector }))).toBe(404);
});

test("a duration that is not whole days is refused (the setting is kept in days), and API v2 sees the same setting", async () => {
  expect(await statusOf(services.holdConfigs.createHoldConfig({}, { merchant_code: "5812", duration: "1.5s" }, { connector }))).toBe(400);
  const doc = await getConfiguration("authorizationholds", { connector });
  expect(doc).toMatchObject({ defaultAuthorizationHold: { daysToExpiration: 10 }, authorizationHolds: [{ mcc: 5411, daysToExpiration: 1 }] });
});
