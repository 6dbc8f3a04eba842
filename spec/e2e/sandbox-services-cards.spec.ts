/**
 * The sandbox's Services API (`/v1`): a card's balances and its authorization holds through the ORM's
 * `services.cards.*`, on a card linked to a deposit account through API v2 (holds are the v2 card engine's: one
 * hold, seen from both APIs, reserving the account's money).
 */
import { Decimal, MambuError, services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: ReturnType<typeof demoConnector>;
const AUTH = { Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`, Accept: "application/vnd.mambu.v2+json", "Content-Type": "application/json" };
let accountId = "";

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
  const list = (await (await fetch(`${sb.url}/api/deposits?limit=100&detailsLevel=FULL`, { headers: AUTH })).json()) as Array<Record<string, unknown>>;
  const active = list.find((d) => d.accountState === "ACTIVE" && Number((d.balances as Record<string, unknown>)?.totalBalance) > 100);
  if (!active) throw new Error("the default sandbox has no active deposit account with money");
  accountId = String(active.id);
  const linked = await fetch(`${sb.url}/api/deposits/${accountId}/cards`, { method: "POST", headers: AUTH, body: JSON.stringify({ referenceToken: "SVC-CARD-1" }) });
  expect(linked.status).toBe(201);
});

afterAll(async () => {
  await sb.stop();
});

test("a hold reserves money: the balance's available sum falls by it, exactly, and comes back when the hold is revoked", async () => {
  const before = await services.cards.getCardBalance({ card_id: "SVC-CARD-1" }, { connector });
  expect(before.account_id).toBe(accountId);
  expect(before.card_type).toBe("Debit");
  const currency = before.available.currency;
  const hold = await services.cards.createAuthorizationHold(
    { card_id: "SVC-CARD-1" },
    { hold_id: "H-1", amount: { value: "12.34", currency }, card_acceptor: { name: "Shop", m_c_c: 5411 } },
    { connector },
  );
  expect(hold).toMatchObject({ hold_id: "H-1", card_id: "SVC-CARD-1", account_id: accountId, status: "HoldPending", amount: { value: "12.34", currency } });
  const during = await services.cards.getCardBalance({ card_id: "SVC-CARD-1" }, { connector });
  expect(new Decimal(String(before.available.value)).minus(String(during.available.value)).toFixed(2)).toBe("12.34");
  await expect(services.cards.getAuthorizationHold({ card_id: "SVC-CARD-1", hold_id: "H-1" }, { connector })).resolves.toMatchObject({ status: "HoldPending" });
  const twice = services.cards.createAuthorizationHold({ card_id: "SVC-CARD-1" }, { hold_id: "H-1", amount: { value: "1.00", currency } }, { connector });
  await expect(twice).rejects.toMatchObject({ status: 409 });
  await services.cards.revokeAuthorizationHold({ card_id: "SVC-CARD-1", hold_id: "H-1" }, { connector });
  await expect(services.cards.getAuthorizationHold({ card_id: "SVC-CARD-1", hold_id: "H-1" }, { connector })).resolves.toMatchObject({ status: "HoldReversed" });
  const after = await services.cards.getCardBalance({ card_id: "SVC-CARD-1" }, { connector });
  expect(after.available.value).toBe(before.available.value);
});

test("an amount in another currency than the account's is 400; an unknown card or hold is 404", async () => {
  const b = await services.cards.getCardBalance({ card_id: "SVC-CARD-1" }, { connector });
  const other = b.available.currency === "EUR" ? "USD" : "EUR";
  const wrong = services.cards.createAuthorizationHold({ card_id: "SVC-CARD-1" }, { hold_id: "H-2", amount: { value: "1.00", currency: other } }, { connector });
  await expect(wrong).rejects.toMatchObject({ status: 400 });
  const missing = await services.cards.getCardBalance({ card_id: "NO-SUCH-CARD" }, { connector }).catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(MambuError);
  expect((missing as MambuError).status).toBe(404);
  await expect(services.cards.getAuthorizationHold({ card_id: "SVC-CARD-1", hold_id: "NOPE" }, { connector })).rejects.toMatchObject({ status: 404 });
});
