/**
 * The payment an execution of a standing order makes, as the gateway's other credit transfers are kept
 * (./payment-records.ts; ./credit-transfers.ts initiates those from a request): the execution's debit of the
 * debtor's account (already posted) becomes an outgoing SEPA credit transfer — ACSP, readable by
 * `GET /payments/{paymentId}` with the execution's `paymentOrderId`, answered by pacs.002/pacs.004 like any other —
 * and its pacs.008 is queued for the callout. A failed execution makes no payment (no paymentOrderId).
 */
import { outboxOf } from "./callout";
import { newMessageId } from "./credit-transfers";
import { normaliseIban } from "./iban";
import { buildPacs008, PACS_008, TransferParty } from "./iso20022-build";
import { insertPayment } from "./payment-records";
import { at, text } from "./schedule-checks";
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";

/** A party of the order's payment (name and account) as the pacs.008 writes it. */
function party(payment: Record<string, unknown>, side: "debtor" | "creditor"): TransferParty {
  const name = text(payment, `${side}Name`);
  const iban = text(payment, `${side}Account`, "identification", "iban");
  const other = at(payment, `${side}Account`, "identification", "other") as { identification: string; scheme: string } | undefined;
  return {
    ...(name !== undefined ? { name } : {}),
    ...(iban !== undefined ? { iban: normaliseIban(iban) } : other !== undefined ? { other } : {}),
  };
}

/**
 * Records the payment of one paid execution (`paymentId` is the execution's paymentOrderId) and queues its
 * pacs.008. `transactionKey` is the v2 debit of `account`.
 */
export function recordExecutionPayment(
  ctx: SandboxContext,
  order: { id: string; payment: Record<string, unknown> },
  account: WireRecord,
  paymentId: string,
  transactionKey: string,
): void {
  const amount = text(order.payment, "instructedAmount", "amount") ?? "0";
  const currency = text(order.payment, "instructedAmount", "currency") ?? "EUR";
  const debtor = party(order.payment, "debtor");
  const creditor = party(order.payment, "creditor");
  const messageId = newMessageId(ctx, "SOEXEC");
  const rec = insertPayment(ctx, {
    id: paymentId,
    direction: "OUTGOING",
    kind: "SCT",
    status: "ACSP",
    amount,
    currency,
    accountKey: account.encodedKey,
    accountId: String(account.id ?? account.encodedKey),
    transactionKey,
    ...(debtor.iban !== undefined ? { debtorIban: debtor.iban } : {}),
    ...(creditor.iban !== undefined ? { creditorIban: creditor.iban } : {}),
    endToEndId: order.id.replace(/-/g, "").slice(0, 35),
    txId: `${messageId}-1`,
    messageId,
    createdAt: ctx.clock.nowIso(),
  });
  const remittance = text(order.payment, "remittanceInformationUnstructured");
  const xml = buildPacs008({
    messageId,
    createdAt: rec.createdAt,
    settlementDate: ctx.clock.today(),
    amount,
    currency,
    endToEndId: rec.endToEndId,
    txId: rec.txId,
    settlementMethod: "CLRG",
    debtor,
    creditor,
    ...(remittance !== undefined ? { remittanceUnstructured: remittance } : {}),
  });
  outboxOf(ctx.store).send({ messageId, messageType: PACS_008, paymentId, xml });
}
