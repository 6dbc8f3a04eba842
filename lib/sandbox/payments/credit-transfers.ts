/**
 * SEPA credit transfers sent by the gateway: `POST /payments` (initiatePayment, InitiationPaymentDTO),
 * `POST /payments/credit-transfers` (the ISO 20022 form, Iso20022PaymentDTO, with settlement information),
 * `POST /payments/financial-institution-credit-transfers` (FinancialInstitutionPaymentDTO: debtor and creditor
 * are institutions with accounts), and `GET /payments/{paymentId}` (the details; the id may also be the messageId
 * of an incoming message about the payment).
 *
 * An initiation finds the v2 deposit account mapped to the debtor's IBAN (or other identification) in the
 * amount's currency (./identifications.ts), debits it through the deposit engine (./money.ts), stores the payment
 * (ACSP: ./payment-records.ts), queues its pacs.008.001.02 for the callout (./callout.ts) and answers 201
 * `{ paymentId, transactionStatus: "RCVD", transactionFeeIndicator: false }` with a Location header. It fails with
 * 400 PAYMENT_FAILED — nothing debited, nothing stored or sent — when no deposit account is mapped to the debtor
 * IBAN in that currency, the funds are short, or the account cannot be debited; with FORMAT_ERROR for a currency
 * other than EUR (SEPA), an amount with more decimals than the currency has, or a requested execution date other
 * than today (the seed: "can only be created for the current date"). Blocking rules do not apply (only direct
 * debits can be blocked).
 */
import { randomUUID } from "node:crypto";
import type { Router, RouteRequest, SandboxContext } from "../router";
import type { WireRecord } from "../types";
import { outboxOf } from "./callout";
import { PAYMENTS_BASE } from "./contract";
import { normaliseIban } from "./iban";
import { depositForIdentification } from "./identifications";
import { buildPacs008, PACS_008, TransferMessage, TransferParty } from "./iso20022-build";
import { checkAmountFor, debitDeposit } from "./money";
import { findPayment, IncomingRecord, insertPayment, PaymentRecord, paymentDetails } from "./payment-records";
import { tppError } from "./tpp";

/** The fields of an account (AccountDTO) in a request. */
interface AccountIn {
  identification: { iban?: string; other?: { identification: string; scheme: string } };
  currency?: string;
}
interface AgentIn {
  institutionIdentification: { bicfi: string };
  account?: AccountIn;
}
interface AddressIn {
  street?: string;
  buildingNumber?: string;
  postalCode?: string;
  city?: string;
  countryCode: string;
}

/** What the three initiation bodies have in common, as the gateway reads them. */
interface TransferRequest {
  kind: PaymentRecord["kind"];
  debtorAccount?: AccountIn;
  creditorAccount?: AccountIn;
  debtor: TransferParty;
  creditor: TransferParty;
  instructedAmount: { amount: string; currency: string };
  endToEndId?: string;
  txId?: string;
  settlementMethod?: "INDA" | "INGA" | "CLRG";
  clearingSystem?: string;
  localInstrument?: string;
  categoryPurpose?: string;
  purpose?: string;
  ultimateDebtor?: string;
  ultimateCreditor?: string;
  remittanceUnstructured?: string;
  remittanceStructured?: { reference: string; referenceIssuer?: string; referenceType?: string };
  requestedExecutionDate?: string;
}

type Body = Record<string, unknown>;

function partyOf(name: unknown, account: AccountIn | undefined, agent: AgentIn | undefined, address: unknown, ident: unknown): TransferParty {
  const id = account?.identification;
  return {
    ...(typeof name === "string" ? { name } : {}),
    ...(id?.iban !== undefined ? { iban: normaliseIban(id.iban) } : {}),
    ...(id?.iban === undefined && id?.other !== undefined ? { other: id.other } : {}),
    ...(agent ? { bic: agent.institutionIdentification.bicfi } : {}),
    ...(address ? { address: address as AddressIn } : {}),
    ...(ident && typeof (ident as { privateIdentification?: unknown }).privateIdentification === "string" ? { privateId: (ident as { privateIdentification: string }).privateIdentification } : {}),
  };
}

function common(b: Body): Omit<TransferRequest, "kind" | "debtor" | "creditor" | "debtorAccount" | "creditorAccount"> {
  const pid = (b.paymentIdentification ?? {}) as { endToEndIdentification?: string; transactionIdentification?: string };
  const settle = b.settlementInformation as { settlementMethod?: "INDA" | "INGA" | "CLRG"; clearingSystem?: string } | undefined;
  return {
    instructedAmount: b.instructedAmount as { amount: string; currency: string },
    endToEndId: pid.endToEndIdentification,
    txId: pid.transactionIdentification,
    settlementMethod: settle?.settlementMethod,
    clearingSystem: settle?.clearingSystem,
    localInstrument: b.localInstrument as string | undefined,
    categoryPurpose: b.categoryPurposeCode as string | undefined,
    purpose: b.purposeCode as string | undefined,
    ultimateDebtor: b.ultimateDebtor as string | undefined,
    ultimateCreditor: b.ultimateCreditor as string | undefined,
    remittanceUnstructured: b.remittanceInformationUnstructured as string | undefined,
    remittanceStructured: b.remittanceInformationStructured as TransferRequest["remittanceStructured"],
    requestedExecutionDate: b.requestedExecutionDate as string | undefined,
  };
}

/** An InitiationPaymentDTO or Iso20022PaymentDTO as a transfer. */
function customerTransfer(kind: "SCT" | "ISO", b: Body): TransferRequest {
  const debtorAccount = b.debtorAccount as AccountIn;
  const creditorAccount = b.creditorAccount as AccountIn;
  return {
    kind,
    debtorAccount,
    creditorAccount,
    debtor: partyOf(b.debtorName, debtorAccount, b.debtorAgent as AgentIn | undefined, b.debtorAddress, b.debtorIdentification),
    creditor: partyOf(b.creditorName, creditorAccount, b.creditorAgent as AgentIn | undefined, b.creditorAddress, b.creditorIdentification),
    ...common(b),
  };
}

/** A FinancialInstitutionPaymentDTO as a transfer: the accounts are `debtorAccount`/`creditorAccount`, else the institutions'. */
function institutionTransfer(b: Body): TransferRequest {
  const debtor = b.debtor as AgentIn;
  const creditor = b.creditor as AgentIn;
  const debtorAccount = (b.debtorAccount as AccountIn | undefined) ?? debtor.account;
  const creditorAccount = (b.creditorAccount as AccountIn | undefined) ?? creditor.account;
  return {
    kind: "FI",
    debtorAccount,
    creditorAccount,
    debtor: partyOf(undefined, debtorAccount, (b.debtorAgent as AgentIn | undefined) ?? debtor, undefined, undefined),
    creditor: partyOf(undefined, creditorAccount, (b.creditorAgent as AgentIn | undefined) ?? creditor, undefined, undefined),
    ...common(b),
  };
}

/** A message id of the gateway: `SCTORD` + the date + a 12-digit sequence (at most 35 characters, as GrpHdr/MsgId). */
export function newMessageId(ctx: SandboxContext, prefix = "SCTORD"): string {
  const n = ctx.store.nextId("paypayments", 0);
  return `${prefix}${ctx.clock.today().replace(/-/g, "")}${n.padStart(12, "0")}`;
}

/** Finds the debtor's deposit account, or PAYMENT_FAILED. */
function debtorDeposit(ctx: SandboxContext, t: TransferRequest): WireRecord {
  const path = t.kind === "FI" ? "debtor.account.identification" : "debtorAccount.identification";
  if (!t.debtorAccount) throw tppError("FORMAT_ERROR", `${path} may not be null`, path);
  const ident = t.debtorAccount.identification;
  if (ident.iban === undefined && ident.other === undefined) throw tppError("FORMAT_ERROR", `${path} needs an iban or an other identification`, path);
  const dep = depositForIdentification(ctx, ident, t.instructedAmount.currency);
  if (!dep) throw tppError("PAYMENT_FAILED", `no Mambu deposit account in ${t.instructedAmount.currency} is mapped to the debtor's ${ident.iban !== undefined ? "IBAN" : "identification"}`, path);
  return dep;
}

/** Initiates a transfer: checks, debits, stores, queues the pacs.008; answers 201 PaymentResponse. */
function initiate(ctx: SandboxContext, t: TransferRequest) {
  if (t.instructedAmount.currency !== "EUR") throw tppError("FORMAT_ERROR", "instructedAmount.currency: SEPA credit transfers are in EUR", "instructedAmount.currency");
  if (t.requestedExecutionDate !== undefined && t.requestedExecutionDate !== ctx.clock.today()) {
    throw tppError("FORMAT_ERROR", `requestedExecutionDate: SEPA credit transfers can only be created for the current date (${ctx.clock.today()})`, "requestedExecutionDate");
  }
  if (!t.creditorAccount) throw tppError("FORMAT_ERROR", "creditorAccount may not be null", "creditorAccount");
  const dep = debtorDeposit(ctx, t);
  checkAmountFor(dep, t.instructedAmount);
  const paymentId = randomUUID();
  const messageId = newMessageId(ctx);
  const to = t.creditor.iban ?? t.creditor.other?.identification ?? "?";
  const tx = debitDeposit(ctx, dep.encodedKey, t.instructedAmount.amount, `SEPA credit transfer ${paymentId} to ${to}${t.creditor.name ? ` (${t.creditor.name})` : ""}`);
  const rec = insertPayment(ctx, {
    id: paymentId,
    direction: "OUTGOING",
    kind: t.kind,
    status: "ACSP",
    amount: t.instructedAmount.amount,
    currency: t.instructedAmount.currency,
    accountKey: dep.encodedKey,
    accountId: String(dep.id ?? dep.encodedKey),
    transactionKey: tx.encodedKey,
    ...(t.debtor.iban !== undefined ? { debtorIban: t.debtor.iban } : {}),
    ...(t.creditor.iban !== undefined ? { creditorIban: t.creditor.iban } : {}),
    ...(t.creditor.bic !== undefined ? { creditorBic: t.creditor.bic } : {}),
    endToEndId: t.endToEndId ?? "NOTPROVIDED",
    txId: t.txId ?? `${messageId}-1`,
    messageId,
    createdAt: ctx.clock.nowIso(),
  });
  const message: TransferMessage = {
    messageId,
    createdAt: rec.createdAt,
    settlementDate: ctx.clock.today(),
    amount: t.instructedAmount.amount,
    currency: t.instructedAmount.currency,
    endToEndId: rec.endToEndId,
    txId: rec.txId,
    settlementMethod: t.settlementMethod ?? "CLRG",
    ...(t.clearingSystem ? { clearingSystem: t.clearingSystem } : {}),
    ...(t.localInstrument ? { localInstrument: t.localInstrument } : {}),
    ...(t.categoryPurpose ? { categoryPurpose: t.categoryPurpose } : {}),
    ...(t.purpose ? { purpose: t.purpose } : {}),
    debtor: t.debtor,
    creditor: t.creditor,
    ...(t.ultimateDebtor ? { ultimateDebtor: t.ultimateDebtor } : {}),
    ...(t.ultimateCreditor ? { ultimateCreditor: t.ultimateCreditor } : {}),
    ...(t.remittanceUnstructured ? { remittanceUnstructured: t.remittanceUnstructured } : {}),
    ...(t.remittanceStructured
      ? { remittanceStructured: { reference: t.remittanceStructured.reference, issuer: t.remittanceStructured.referenceIssuer, type: t.remittanceStructured.referenceType } }
      : {}),
  };
  outboxOf(ctx.store).send({ messageId, messageType: PACS_008, paymentId, xml: buildPacs008(message) });
  return {
    status: 201,
    body: { paymentId, transactionStatus: "RCVD", transactionFeeIndicator: false },
    headers: { Location: `${PAYMENTS_BASE}/payments/${paymentId}` },
  };
}

function getPaymentDetails(ctx: SandboxContext, req: RouteRequest) {
  const id = req.params.paymentId;
  let p = findPayment(ctx, id);
  if (!p) {
    const key = ctx.store.coll("payincoming").idIndex.get(id);
    const msg = key === undefined ? undefined : (ctx.store.coll("payincoming").byKey.get(key) as IncomingRecord | undefined);
    if (msg && msg.paymentIds.length) p = findPayment(ctx, msg.paymentIds[0]);
  }
  if (!p) throw tppError("RESOURCE_UNKNOWN", `no payment ${JSON.stringify(id.slice(0, 64))}`, "paymentId", 404);
  return { status: 200, body: paymentDetails(p) };
}

/** Registers the credit transfer routes (paths relative to `/api/v1`). */
export function registerCreditTransferRoutes(router: Router): void {
  router.add("POST", "/payments", (ctx, req) => initiate(ctx, customerTransfer("SCT", req.body as Body)));
  router.add("POST", "/payments/credit-transfers", (ctx, req) => initiate(ctx, customerTransfer("ISO", req.body as Body)));
  router.add("POST", "/payments/financial-institution-credit-transfers", (ctx, req) => initiate(ctx, institutionTransfer(req.body as Body)));
  router.add("GET", "/payments/{paymentId}", getPaymentDetails);
}
