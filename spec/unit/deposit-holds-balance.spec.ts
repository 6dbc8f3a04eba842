/**
 * The one arithmetic of a deposit's reserved money (lib/sandbox/engine/deposit-holds-balance.ts), shared by card
 * authorization holds and fund blocks: availableBalance = totalBalance − holdBalance − blockedBalance.
 */
import { SandboxClock } from "../../lib/sandbox/clock";
import { SandboxStore } from "../../lib/sandbox/store";
import { adjustBlockedBalance, adjustHoldBalance } from "../../lib/sandbox/engine/deposit-holds-balance";
import { D } from "../../lib/sandbox/engine/money";

function setup(balances: Record<string, number>) {
  const store = new SandboxStore();
  const clock = new SandboxClock({ offset: "+02:00", start: "2026-01-15T10:00:00+02:00", frozen: true });
  const dep = store.insert("deposits", { encodedKey: "k1", id: "D1", currencyCode: "EUR", accountState: "ACTIVE", balances });
  return { ctx: { store, clock }, dep };
}

test("holds and blocks both lower the available balance; the account is stored", () => {
  const { ctx, dep } = setup({ totalBalance: 100, overdraftAmount: 0, holdBalance: 0, blockedBalance: 0, availableBalance: 100 });
  adjustHoldBalance(ctx, dep, new D("30.10"));
  const after = adjustBlockedBalance(ctx, dep, new D("50.05"));
  expect(after.balances).toMatchObject({ totalBalance: 100, holdBalance: 30.1, blockedBalance: 50.05, availableBalance: 19.85 });
  expect(ctx.store.find("deposits", "D1")!.balances).toEqual(after.balances);
  expect(after.lastModifiedDate).toBe("2026-01-15T10:00:00+02:00");
  const released = adjustHoldBalance(ctx, dep, new D("-30.10"));
  expect(released.balances).toMatchObject({ holdBalance: 0, blockedBalance: 50.05, availableBalance: 49.95 });
});

test("a reserve may exceed the balance (available below zero) and never goes below zero itself", () => {
  const { ctx, dep } = setup({ totalBalance: 10, overdraftAmount: 0, holdBalance: 0, blockedBalance: 0, availableBalance: 10 });
  expect(adjustBlockedBalance(ctx, dep, new D(25)).balances).toMatchObject({ blockedBalance: 25, availableBalance: -15 });
  expect(adjustBlockedBalance(ctx, dep, new D(-40)).balances).toMatchObject({ blockedBalance: 0, availableBalance: 10 });
  expect(adjustHoldBalance(ctx, dep, new D(-1)).balances).toMatchObject({ holdBalance: 0, availableBalance: 10 });
});

test("an overdrawn account: total stays 0, the overdraft is kept, available is minus the reserves", () => {
  const { ctx, dep } = setup({ totalBalance: 0, overdraftAmount: 40, holdBalance: 0, blockedBalance: 0, availableBalance: 0 });
  expect(adjustHoldBalance(ctx, dep, new D(5)).balances).toMatchObject({ totalBalance: 0, overdraftAmount: 40, holdBalance: 5, availableBalance: -5 });
});
