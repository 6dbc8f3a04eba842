/**
 * Engine routes of loan restructuring and the remaining loan transactions (registered by ./routes.ts): reschedule,
 * refinance and their undo, terminate, pay-off preview, lock/unlock, payment made, redraw repayment and redraw
 * withdrawal. Templates exactly as in the Swagger files (loans, loans_transactions).
 */
import { EngineRoute } from "./context";
import { restructureLoan, undoRestructure } from "./loan-restructure";
import { terminateLoan } from "./loan-terminate";
import { previewPayOff } from "./loan-payoff-preview";
import { lockLoan, unlockLoan } from "./loan-lock";
import { makePaymentMade, makeRedrawRepayment, makeRedrawWithdrawal } from "./loan-redraw";

/** The routes of this area. */
export const routes: EngineRoute[] = [
  { method: "POST", template: "/loans/{loanAccountId}:reschedule", handle: (ctx, r) => ({ status: 200, body: restructureLoan(ctx, "RESCHEDULE", r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}:undoReschedule", handle: (ctx, r) => (undoRestructure(ctx, "RESCHEDULE", r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:refinance", handle: (ctx, r) => ({ status: 200, body: restructureLoan(ctx, "REFINANCE", r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}:undoRefinance", handle: (ctx, r) => (undoRestructure(ctx, "REFINANCE", r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:terminate", handle: (ctx, r) => (terminateLoan(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:previewPayOffAmounts", handle: (ctx, r) => ({ status: 200, body: previewPayOff(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/lock-transactions", handle: (ctx, r) => ({ status: 201, body: lockLoan(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/unlock-transactions", handle: (ctx, r) => ({ status: 201, body: unlockLoan(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/payment-made-transactions", handle: (ctx, r) => ({ status: 201, body: makePaymentMade(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/redraw-repayment-transactions", handle: (ctx, r) => ({ status: 201, body: makeRedrawRepayment(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/withdrawal-transactions", handle: (ctx, r) => ({ status: 201, body: makeRedrawWithdrawal(ctx, r.params.loanAccountId, r.body) }) },
];
