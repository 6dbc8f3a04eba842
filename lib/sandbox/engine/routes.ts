/**
 * The engine's routes: the money endpoints of the Mambu API v2, templates exactly as in the Swagger files.
 * Each handler throws `SandboxError` for Mambu error answers; the server handles auth, idempotency, faults,
 * contract validation and calls {@link refreshArrears} first.
 */
import { EngineRoute } from "./context";
import { changeLoanState } from "./loan-state";
import { disburseLoan } from "./loan-disburse";
import { payOffLoan, repayLoan } from "./loan-payments";
import { applyLoanFee } from "./loan-fees";
import { undoWriteOff, writeOffLoan } from "./loan-writeoff";
import { adjustLoanTransaction } from "./loan-adjust";
import { applyLoanInterest, editLoanSchedule, getLoanSchedule, listInstallments, previewScheduleRequest } from "./loan-schedule-api";
import { changeDepositState } from "./deposit-state";
import { adjustDepositTransaction, applyDepositFee, makeDeposit, makeTransfer, makeWithdrawal } from "./deposit-transactions";
import { applyDepositInterest } from "./deposit-interest";
import { requestCancellationOnAdjust } from "../payments/cancellation";
import { refreshArrears } from "./arrears";
import { routes as loanRestructureRoutes } from "./routes-loan-restructure";
import { routes as loanSettingsRoutes } from "./routes-loan-settings";
import { routes as depositServicingRoutes } from "./routes-deposit-servicing";
import { routes as cardRoutes } from "./routes-cards";
import { routes as creditFundingRoutes } from "./routes-credit-funding";
import { routes as accountingRoutes } from "./routes-accounting";

/** All routes handled by the engine. */
export const engineRoutes: EngineRoute[] = [
  // loans
  { method: "POST", template: "/loans/{loanAccountId}:changeState", handle: (ctx, r) => ({ status: 200, body: changeLoanState(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/disbursement-transactions", handle: (ctx, r) => ({ status: 201, body: disburseLoan(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/repayment-transactions", handle: (ctx, r) => ({ status: 201, body: repayLoan(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}/fee-transactions", handle: (ctx, r) => ({ status: 201, body: applyLoanFee(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans/{loanAccountId}:writeOff", handle: (ctx, r) => (writeOffLoan(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:undoWriteOff", handle: (ctx, r) => (undoWriteOff(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:payOff", handle: (ctx, r) => (payOffLoan(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:applyInterest", handle: (ctx, r) => (applyLoanInterest(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/transactions/{loanTransactionId}:adjust", handle: (ctx, r) => ({ status: 200, body: adjustLoanTransaction(ctx, r.params.loanTransactionId, r.body) }) },
  { method: "GET", template: "/loans/{loanAccountId}/schedule", handle: (ctx, r) => ({ status: 200, body: getLoanSchedule(ctx, r.params.loanAccountId) }) },
  { method: "PUT", template: "/loans/{loanAccountId}/schedule", handle: (ctx, r) => ({ status: 200, body: editLoanSchedule(ctx, r.params.loanAccountId, r.body) }) },
  { method: "POST", template: "/loans:previewSchedule", handle: (ctx, r) => ({ status: 200, body: previewScheduleRequest(ctx, r.body) }) },
  {
    method: "GET",
    template: "/installments",
    handle: (ctx, r) => {
      refreshArrears(ctx);
      const { items, total } = listInstallments(ctx, r.query);
      return { status: 200, body: items, headers: r.query.paginationDetails === "ON" ? { "items-offset": r.query.offset ?? "0", "items-limit": r.query.limit ?? "50", "items-total": String(total) } : undefined };
    },
  },
  // deposits
  { method: "POST", template: "/deposits/{depositAccountId}:changeState", handle: (ctx, r) => ({ status: 200, body: changeDepositState(ctx, r.params.depositAccountId, r.body) }) },
  { method: "POST", template: "/deposits/{depositAccountId}/deposit-transactions", handle: (ctx, r) => ({ status: 201, body: makeDeposit(ctx, r.params.depositAccountId, r.body) }) },
  { method: "POST", template: "/deposits/{depositAccountId}/withdrawal-transactions", handle: (ctx, r) => ({ status: 201, body: makeWithdrawal(ctx, r.params.depositAccountId, r.body) }) },
  { method: "POST", template: "/deposits/{depositAccountId}/transfer-transactions", handle: (ctx, r) => ({ status: 201, body: makeTransfer(ctx, r.params.depositAccountId, r.body) }) },
  { method: "POST", template: "/deposits/{depositAccountId}/fee-transactions", handle: (ctx, r) => ({ status: 201, body: applyDepositFee(ctx, r.params.depositAccountId, r.body) }) },
  { method: "POST", template: "/deposits/transactions/{depositTransactionId}:adjust", handle: (ctx, r) => ({ status: 200, body: requestCancellationOnAdjust(ctx, adjustDepositTransaction(ctx, r.params.depositTransactionId, r.body), r.body) }) },
  { method: "POST", template: "/deposits/{depositAccountId}:applyInterest", handle: (ctx, r) => (applyDepositInterest(ctx, r.params.depositAccountId, r.body), { status: 204 }) },
  // servicing areas, one file each
  ...loanRestructureRoutes,
  ...loanSettingsRoutes,
  ...depositServicingRoutes,
  ...cardRoutes,
  ...creditFundingRoutes,
  ...accountingRoutes,
];
