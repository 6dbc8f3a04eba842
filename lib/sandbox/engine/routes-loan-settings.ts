/**
 * Engine routes of the loan settings area (registered by ./routes.ts): the settings changes of a running loan
 * (./loan-settings.ts, all answered 204) and the documents rendered from the products' templates (./templates.ts).
 */
import { EngineRoute } from "./context";
import { changeArrearsSettings, changeDueDatesSettings, changeInterestRate, changePeriodicPayment, changeRepaymentValue } from "./loan-settings";
import { depositDocument, depositTransactionDocument, loanDocument } from "./templates";

/** The routes of this area. */
export const routes: EngineRoute[] = [
  { method: "POST", template: "/loans/{loanAccountId}:changeInterestRate", handle: (ctx, r) => (changeInterestRate(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:changeRepaymentValue", handle: (ctx, r) => (changeRepaymentValue(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:changePeriodicPayment", handle: (ctx, r) => (changePeriodicPayment(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:changeArrearsSettings", handle: (ctx, r) => (changeArrearsSettings(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "POST", template: "/loans/{loanAccountId}:changeDueDatesSettings", handle: (ctx, r) => (changeDueDatesSettings(ctx, r.params.loanAccountId, r.body), { status: 204 }) },
  { method: "GET", template: "/loans/{loanAccountId}/templates/{templateId}", handle: (ctx, r) => ({ status: 200, body: loanDocument(ctx, r.params.loanAccountId, r.params.templateId, r.query) }) },
  { method: "GET", template: "/deposits/{depositAccountId}/templates/{templateId}", handle: (ctx, r) => ({ status: 200, body: depositDocument(ctx, r.params.depositAccountId, r.params.templateId, r.query) }) },
  {
    method: "GET",
    template: "/deposits/transactions/{depositTransactionId}/templates/{templateId}",
    handle: (ctx, r) => ({ status: 200, body: depositTransactionDocument(ctx, r.params.depositTransactionId, r.params.templateId) }),
  },
];
