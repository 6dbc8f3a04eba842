/**
 * A loan's replay continues from the checkpoint of its last replay (loan-ledger-checkpoint.ts) only when its
 * transactions start with the same ones: whatever came before — a longer history, a backdated repayment sorting
 * earlier, an adjusted (removed) transaction, a changed amount, fee or plan — the ledger is the one a replay from
 * the disbursement gives.
 */
import { LedgerOptions, balancesAt, replayLoan } from "../../lib/sandbox/engine/loan-ledger";
import { StoredSchedule } from "../../lib/sandbox/engine/loan-schedule";
import { WireRecord } from "../../lib/sandbox/types";
import { prng } from "../../lib/sandbox/prng";

const OPTS: LedgerOptions = { order: ["FEE", "PENALTY", "INTEREST", "PRINCIPAL"], method: "HORIZONTAL", interestApplicationMethod: "REPAYMENT_DUE_DATE", offset: "+02:00" };

function plan(): StoredSchedule {
  return {
    currency: "EUR",
    custom: false,
    installments: Array.from({ length: 6 }, (_, n) => ({ encodedKey: `i${n}`, number: String(n + 1), dueDate: `2026-0${n + 2}-15`, principal: 500, interest: 60 - 10 * n, fee: 0, penalty: 0 })),
  };
}

/** A loan's live transactions: the disbursement, then repayments, fees, penalties, waivers in value-date order. */
function history(rand: () => number, count: number): WireRecord[] {
  const txs: WireRecord[] = [{ encodedKey: "d", id: "1", type: "DISBURSEMENT", amount: 3000, valueDate: "2026-01-15T10:00:00+02:00", fees: [{ amount: 20, trigger: "DISBURSEMENT" }] }];
  const types = ["REPAYMENT", "REPAYMENT", "REPAYMENT", "FEE_APPLIED", "PENALTY_APPLIED", "INTEREST_DUE_REDUCED", "PAYMENT_MADE", "REDRAW_REPAYMENT"];
  for (let n = 0; n < count; n++) {
    const day = 16 + n;
    const type = types[Math.floor(rand() * types.length)];
    txs.push({ encodedKey: `t${n}`, id: String(n + 2), type, amount: Math.round(rand() * 40000) / 100 + 1, valueDate: `2026-0${1 + Math.floor(day / 28)}-${String((day % 28) + 1).padStart(2, "0")}T10:00:00+02:00` });
  }
  return txs.sort((a, b) => (String(a.valueDate) < String(b.valueDate) ? -1 : String(a.valueDate) > String(b.valueDate) ? 1 : Number(a.id) - Number(b.id)));
}

/** Everything a replay answers, as text. */
function view(p: StoredSchedule, txs: WireRecord[]): string {
  const l = replayLoan(p, txs, OPTS);
  return JSON.stringify({
    installments: l.installments,
    effects: [...l.effects],
    paid: l.paid,
    redraw: l.redraw,
    disbursed: l.disbursed,
    balances: balancesAt(l, "2026-04-20", OPTS.interestApplicationMethod),
  });
}

describe("replays from a checkpoint", () => {
  it("give the ledger of a replay from the disbursement, after any earlier replay of the same loan", () => {
    const rand = prng(20261207);
    const mismatches: string[] = [];
    for (let run = 0; run < 40; run++) {
      const txs = history(rand, 4 + Math.floor(rand() * 12));
      const p = plan(); // replayed again and again, as a stored plan is
      const cut = 1 + Math.floor(rand() * (txs.length - 1));
      const earlier: WireRecord[][] = [
        txs.slice(0, cut), // a shorter history: continues from it
        txs, // the same: answers it again
        [...txs.slice(0, cut), { ...txs[cut], amount: Number(txs[cut].amount) + 1 }], // another amount at `cut`
        txs.filter((_, n) => n !== cut), // `cut` adjusted away (then back: the reversal of an adjustment)
        [...txs.slice(0, cut), { encodedKey: "late", id: "99", type: "REPAYMENT", amount: 10, valueDate: "2026-03-30T10:00:00+02:00" }],
      ];
      for (const before of earlier) {
        replayLoan(p, before, OPTS);
        const got = view(p, txs);
        if (got !== view(plan(), txs)) mismatches.push(`run ${run}, cut ${cut}, ${before.length} before`);
      }
      // a plan amount changed in place: the checkpoint is not used
      replayLoan(p, txs, OPTS);
      p.installments[0].interest = 61;
      const changed = plan();
      changed.installments[0].interest = 61;
      if (view(p, txs) !== view(changed, txs)) mismatches.push(`run ${run}, changed plan`);
    }
    expect(mismatches).toEqual([]);
  });

  it("leave the checkpoint alone when a caller changes the ledger it got", () => {
    const p = plan();
    const txs = history(prng(7), 6);
    for (let n = 0; n < 2; n++) {
      const got = replayLoan(p, txs, OPTS); // the first from scratch, the second from the checkpoint
      got.installments[0].expected.fee = got.installments[0].expected.fee.plus(100); // as a schedule preview adds pending fees
      got.installments[1].paid.principal = got.installments[1].paid.principal.plus(1);
      got.effects.clear();
      got.paid.interest = got.paid.interest.plus(1);
    }
    expect(view(p, txs)).toBe(view(plan(), txs));
  });
});
