/**
 * The card invariants of the Services sandbox under random sequences (fast-check) of holds made, adjusted,
 * replaced and revoked, card transactions (settling a hold or not, advice or not), reversals and clock advances
 * (holds expiring), all through the `Services.Card` entities against one sandbox: after every step
 *
 * - the available balance is the same in both APIs (Services `balance()`, API v2's deposit `availableBalance`);
 * - available = total − the pending holds (as the Services API reads them), and API v2's holdBalance is their sum;
 * - a hold that left HoldPending never changes again (never settles twice, never comes back);
 * - a transaction's reversals never exceed it (the amount answered after a reversal is never below zero);
 * - every refusal is a 400/409 MambuError with one of the expected reasons (never a 500: answers are checked
 *   against the contract).
 */
import fc from "fast-check";
import { Duration } from "luxon";
import { Decimal, MambuConnector, MambuDeposit, MambuDepositProduct, MambuError, Services } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sb: Sandbox;
let connector: MambuConnector;
let holderKey = "";
let productKey = "";

beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
  connector = demoConnector(sb, { retries: 0 });
  holderKey = String((await MambuDeposit.get("DEP001", { connector })).accountHolderKey);
  productKey = String((await MambuDepositProduct.get("SAVINGS", { connector })).encodedKey);
  await Services.HoldConfig.create({ merchantCode: "5812", duration: Duration.fromObject({ days: 2 }) }, { connector });
});

afterAll(async () => {
  connector.close();
  await sb.stop();
});

type Cmd =
  | { k: "hold"; cents: number; advice: boolean; mcc: boolean }
  | { k: "adjust"; i: number; cents: number; advice: boolean }
  | { k: "update"; i: number; cents: number }
  | { k: "revoke"; i: number }
  | { k: "tx"; cents: number; i: number | null; advice: boolean }
  | { k: "reverse"; i: number; cents: number }
  | { k: "advance"; days: number };

const cents = fc.integer({ min: 1, max: 30000 });
const idx = fc.nat({ max: 5 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ k: fc.constant("hold" as const), cents, advice: fc.boolean(), mcc: fc.boolean() }),
  fc.record({ k: fc.constant("adjust" as const), i: idx, cents: fc.integer({ min: -30000, max: 30000 }).filter((c) => c !== 0), advice: fc.boolean() }),
  fc.record({ k: fc.constant("update" as const), i: idx, cents }),
  fc.record({ k: fc.constant("revoke" as const), i: idx }),
  fc.record({ k: fc.constant("tx" as const), cents, i: fc.option(idx, { nil: null }), advice: fc.boolean() }),
  fc.record({ k: fc.constant("reverse" as const), i: idx, cents }),
  fc.record({ k: fc.constant("advance" as const), days: fc.integer({ min: 0, max: 3 }) }),
);

const EXPECTED = new Set([
  "AVAILABLE_BALANCE_BELOW_ZERO", "INVALID_AUTHORIZATION_HOLD_STATE", "INVALID_AMOUNT", "CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED",
]);

let run = 0;

test("available = total − pending holds in both APIs; a hold leaves HoldPending once; reversals never exceed their transaction", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 12 }), async (cmds) => {
      run += 1;
      const id = `INV${String(run).padStart(4, "0")}`;
      const dep = new MambuDeposit({ id, name: `Invariants ${id}`, accountHolderKey: holderKey, accountHolderType: "CLIENT", productTypeKey: productKey, currencyCode: "MXN" });
      await dep.create({ connector });
      await dep.approve();
      await dep.deposit("200.00");
      await dep.addCard(`tok-${id}`);
      const card = Services.Card.get(`tok-${id}`, { connector });
      const holds: string[] = [];
      const txs: Services.CardTransaction[] = [];
      const left = new Map<string, string>(); // hold id → the status it left HoldPending for
      const money = (c: number): { value: string; currency: string } => ({ value: new Decimal(c).div(100).toFixed(2), currency: "MXN" });
      const attempt = async (p: Promise<unknown>): Promise<void> => {
        try {
          await p;
        } catch (e) {
          if (!(e instanceof MambuError)) throw e;
          const reason = e.errors?.[0]?.errorReason ?? "";
          if (!([400, 409].includes(e.status ?? 0) && EXPECTED.has(reason))) throw new Error(`unexpected refusal ${e.status} ${reason}: ${e.message}`);
        }
      };
      for (const c of cmds) {
        const hold = (i: number): Promise<Services.Hold> => card.holds.get(holds[i % holds.length]);
        if (c.k === "hold") {
          const h = `${id}-H${holds.length}`;
          await attempt(card.holds.create({ holdId: h, amount: money(c.cents), advice: c.advice, ...(c.mcc ? { cardAcceptor: { m_c_c: 5812 } } : {}) }).then(() => holds.push(h)));
        } else if (c.k === "adjust" && holds.length) {
          await attempt((await hold(c.i)).adjust(money(c.cents), { advice: c.advice }));
        } else if (c.k === "update" && holds.length) {
          await attempt((await hold(c.i)).update({ amount: money(c.cents) }));
        } else if (c.k === "revoke" && holds.length) {
          await attempt((await hold(c.i)).revoke());
        } else if (c.k === "tx") {
          const authorizationId = c.i !== null && holds.length ? holds[c.i % holds.length] : undefined;
          await attempt(card.transactions.create({ amount: money(c.cents), advice: c.advice, ...(authorizationId ? { authorizationId } : {}) }).then((t) => txs.push(t)));
        } else if (c.k === "reverse" && txs.length) {
          const t = txs[c.i % txs.length];
          await attempt(t.reverse(money(c.cents)).then((now) => expect(now.amount.value.isNegative()).toBe(false)));
        } else if (c.k === "advance") {
          sb.clock.advance({ days: c.days });
        }
        // the invariants, after every step
        const b = await card.balance();
        await dep.refresh();
        expect(b.available.value.toFixed(2)).toBe(dep.balances?.availableBalance?.toFixed(2));
        let pending = new Decimal(0);
        for (const h of holds) {
          const now = await card.holds.get(h);
          if (now.status === "HoldPending") {
            expect(left.has(h)).toBe(false);
            pending = pending.plus(now.amount.value);
          } else {
            if (left.has(h)) expect(now.status).toBe(left.get(h));
            left.set(h, now.status);
          }
        }
        expect(dep.balances?.holdBalance?.toFixed(2)).toBe(pending.toFixed(2));
        expect(b.available.value.toFixed(2)).toBe(b.total.value.minus(pending).toFixed(2));
      }
    }),
    { numRuns: 30 },
  );
}, 120_000);
