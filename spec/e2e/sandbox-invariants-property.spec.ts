/**
 * The sandbox's money invariants under a few hundred random operations (fast-check): whatever sequence of
 * deposits, withdrawals, fees, adjustments, fund blocks, card holds (created, settled, reversed) and replayed
 * requests a client sends, every account keeps
 * - its net balance equal to the sum of its transactions,
 * - availableBalance = totalBalance − holdBalance − blockedBalance,
 * - blockedBalance equal to its open blocks, holdBalance equal to its pending holds,
 * and a request replayed under its Idempotency-Key creates nothing twice. No sequence gets a 500.
 */
import { randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import fc from "fast-check";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { checkDepositInvariants } from "../helpers/deposit-invariants";
import { checkLoanInvariants } from "../helpers/loan-invariants";
import { Answer, call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-03-02T10:00:00+02:00" } });
});
afterAll(() => sb.stop());

const amount = fc.integer({ min: 1, max: 80_000 }).map((cents) => new Decimal(cents).dividedBy(100).toFixed(2));

type DepositOp =
  | { kind: "deposit" | "withdraw" | "fee" | "block" | "hold"; amount: string }
  | { kind: "unblock" | "reverseHold" | "adjust"; pick: number }
  | { kind: "settle"; pick: number; percent: number }
  | { kind: "replay" };

const depositOp: fc.Arbitrary<DepositOp> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom("deposit" as const, "withdraw" as const, "fee" as const, "block" as const), amount }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("hold" as const), amount }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom("unblock" as const, "reverseHold" as const, "adjust" as const), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("settle" as const), pick: fc.nat(), percent: fc.integer({ min: 1, max: 100 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("replay" as const) }), weight: 1 },
);

let run = 0;

/** A fresh deposit account, active with an opening deposit of 10000.00, with a card linked to it. */
async function freshAccount(): Promise<{ id: string; token: string }> {
  run += 1;
  const id = `PROP${run}`;
  const created = await call(sb, "POST", "/deposits", {
    body: { id, name: "Property account", accountHolderKey: "0512N0025", accountHolderType: "CLIENT", productTypeKey: "SAVINGS", accountType: "REGULAR_SAVINGS", currencyCode: "MXN" },
  });
  expect(created.status).toBe(201);
  expect((await call(sb, "POST", `/deposits/${id}:changeState`, { body: { action: "APPROVE" } })).status).toBe(200);
  expect((await call(sb, "POST", `/deposits/${id}/deposit-transactions`, { body: { amount: "10000.00", notes: "opening" } })).status).toBe(201);
  const token = `tok-prop-${run}`;
  expect((await call(sb, "POST", `/deposits/${id}/cards`, { body: { referenceToken: token } })).status).toBe(201);
  return { id, token };
}

/** What a random operation may be answered: success, or a business refusal — never a 500. */
function expectNoServerError(r: Answer, what: string): void {
  expect({ what, status: r.status, body: r.status >= 500 ? r.body : undefined }).toEqual({ what, status: r.status, body: undefined });
  expect(r.status).toBeLessThan(500);
}

const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);

test("deposit accounts keep their invariants under random operations", async () => {
  // How many operations of each kind succeeded: the property must exercise all of them, not only refusals.
  const succeeded = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(depositOp, { minLength: 5, maxLength: 25 }), async (ops) => {
      const { id, token } = await freshAccount();
      const blocks: string[] = [];
      const holds: string[] = [];
      let last: { method: string; path: string; body: unknown; key: string; answer: Answer } | undefined;
      let n = 0;
      const send = async (method: string, path: string, body?: unknown): Promise<Answer> => {
        n += 1;
        const key = randomUUID();
        const answer = await call(sb, method, path, { body, headers: { "Idempotency-Key": key } });
        expectNoServerError(answer, `${method} ${path}`);
        if (answer.status < 300) {
          last = { method, path, body, key, answer };
          succeeded.set(current, (succeeded.get(current) ?? 0) + 1);
        }
        return answer;
      };
      let current = "";
      for (const op of ops) {
        current = op.kind;
        switch (op.kind) {
          case "deposit":
            await send("POST", `/deposits/${id}/deposit-transactions`, { amount: op.amount });
            break;
          case "withdraw":
            await send("POST", `/deposits/${id}/withdrawal-transactions`, { amount: op.amount });
            break;
          case "fee":
            await send("POST", `/deposits/${id}/fee-transactions`, { amount: op.amount });
            break;
          case "block": {
            const ref = `blk-${run}-${n}`;
            if ((await send("POST", `/deposits/${id}/blocks`, { externalReferenceId: ref, amount: op.amount })).status === 201) blocks.push(ref);
            break;
          }
          case "unblock": {
            const ref = pick(blocks, op.pick);
            if (ref) await send("DELETE", `/deposits/${id}/blocks/${ref}`);
            break;
          }
          case "hold": {
            const ref = `hold-${run}-${n}`;
            const r = await send("POST", `/cards/${token}/authorizationholds`, { externalReferenceId: ref, amount: op.amount, advice: false, currencyCode: "MXN" });
            if (r.status === 201) holds.push(ref);
            break;
          }
          case "reverseHold": {
            const ref = pick(holds, op.pick);
            if (ref) await send("DELETE", `/cards/${token}/authorizationholds/${ref}`);
            break;
          }
          case "settle": {
            const ref = pick(holds, op.pick);
            if (!ref) break;
            const hold = await call(sb, "GET", `/cards/${token}/authorizationholds/${ref}`);
            if (hold.status !== 200 || hold.body.status !== "PENDING") break;
            const part = new Decimal(hold.body.amount).times(op.percent).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_DOWN);
            if (part.lte(0)) break;
            await send("POST", `/cards/${token}/financialtransactions`, {
              externalReferenceId: `ft-${run}-${n}`, externalAuthorizationReferenceId: ref, amount: part.toFixed(2), advice: false, transactionChannelId: "cash", currencyCode: "MXN",
            });
            break;
          }
          case "adjust": {
            const txs = (await call(sb, "GET", `/deposits/${id}/transactions?limit=1000`)).body as Array<{ id: string; type: string; adjustmentTransactionKey?: string }>;
            const tx = pick(txs.filter((t) => ["DEPOSIT", "WITHDRAWAL", "FEE_APPLIED"].includes(t.type) && !t.adjustmentTransactionKey), op.pick);
            if (tx) await send("POST", `/deposits/transactions/${tx.id}:adjust`, { notes: "property adjustment" });
            break;
          }
          case "replay": {
            if (!last) break;
            const before = (await call(sb, "GET", `/deposits/${id}/transactions?limit=1000`)).body.length;
            const again = await call(sb, last.method, last.path, { body: last.body, headers: { "Idempotency-Key": last.key } });
            expect(again.status).toBe(last.answer.status);
            expect(again.body).toEqual(last.answer.body);
            expect((await call(sb, "GET", `/deposits/${id}/transactions?limit=1000`)).body.length).toBe(before);
            succeeded.set("replay", (succeeded.get("replay") ?? 0) + 1);
            break;
          }
        }
        const snap = await checkDepositInvariants(sb, id);
        const pending = ((await call(sb, "GET", `/deposits/${id}/authorizationholds?limit=1000`)).body as Array<{ status: string; amount: number }>)
          .filter((h) => h.status === "PENDING")
          .reduce((s, h) => s.plus(h.amount), new Decimal(0));
        expect({ op, holdBalance: String(snap.account.balances.holdBalance ?? 0) }).toEqual({ op, holdBalance: pending.toString() });
      }
    }),
    { numRuns: 15, seed: 20261207, endOnFailure: true },
  );
  const kinds = ["deposit", "withdraw", "fee", "block", "unblock", "hold", "reverseHold", "settle", "adjust", "replay"];
  expect(kinds.filter((k) => !succeeded.get(k))).toEqual([]);
});

test("every account the sandbox keeps — the demo tenant's and those the property created — keeps its invariants", async () => {
  sb.clock.advance({ days: 45 }); // installments fall due, penalties accrue, deposits may mature
  const loans = (await call(sb, "GET", "/loans?limit=1000")).body as Array<{ id: string }>;
  const deposits = (await call(sb, "GET", "/deposits?limit=1000")).body as Array<{ id: string }>;
  expect(loans.length).toBeGreaterThanOrEqual(6);
  expect(deposits.length).toBeGreaterThan(15);
  for (const l of loans) await checkLoanInvariants(sb, l.id);
  for (const dep of deposits) await checkDepositInvariants(sb, dep.id);
});
