/**
 * The engine's notifications: called where the engine stores a new loan or deposit transaction (loan-common.ts
 * `commitTransaction`, deposit-common.ts `postMovement`), {@link notifyTransaction} records one communication
 * message per notification template of the transaction's event (messages-templates.ts) — e.g. an SMS to the
 * client's mobile phone on a loan disbursement — addressed to the account holder (client or group), with the
 * account's key, the template's key and, for a repayment, the repayment transaction's key (`repaymentKey`).
 */
import { currencyDecimals } from "../engine/money";
import { localDate } from "../search";
import { ownValue } from "../safe-keys";
import type { WireRecord } from "../types";
import { MessageContext, MessageDraft, recordMessage } from "./messages-dispatch";
import { communicationSettings } from "./messages-settings";
import { render, templateKey, TRANSACTION_EVENTS } from "./messages-templates";

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** What a message is about: its recipient, its account, its transaction (each optional). */
export interface MessageSubjectMatter {
  holder?: WireRecord;
  /** Whether `holder` is a group (else a client, or a user). */
  group?: boolean;
  account?: WireRecord;
  kind?: "LOAN" | "DEPOSIT";
  tx?: WireRecord;
}

/** The placeholder values of a message (those without a source are empty). */
export function placeholderValues(ctx: MessageContext, m: MessageSubjectMatter): Map<string, string> {
  const { tx, account, holder, kind } = m;
  const currency = !account ? "" : kind === "LOAN" ? str(ownValue(account.currency, "code")) : str(account.currencyCode);
  const amount = Math.abs(Number(tx?.amount ?? 0));
  const first = m.group ? str(holder?.groupName) : str(holder?.firstName);
  const last = m.group ? "" : str(holder?.lastName);
  return new Map([
    ["FIRST_NAME", first],
    ["LAST_NAME", last],
    ["RECIPIENT_NAME", [first, last].filter((s) => s !== "").join(" ")],
    ["AMOUNT", !tx ? "" : Number.isFinite(amount) ? amount.toFixed(currencyDecimals(currency || undefined)) : str(tx.amount)],
    ["CURRENCY", currency],
    ["ACCOUNT_ID", str(account?.id)],
    ["ACCOUNT_NAME", str(kind === "LOAN" ? account?.loanName : account?.name)],
    ["TRANSACTION_ID", str(tx?.id)],
    ["VALUE_DATE", (tx && localDate(tx.valueDate, ctx.clock.offset)) ?? ""],
    ["INSTITUTION_NAME", str(ownValue(ctx.store.extra.organization, "institutionName")) || "Mambu sandbox"],
  ]);
}

/**
 * Records the notifications of a newly stored transaction of a loan (`kind` LOAN) or deposit (DEPOSIT) account:
 * one message per template of the transaction's event; nothing for other transaction types or without templates.
 */
export function notifyTransaction(ctx: MessageContext, tx: WireRecord, kind: "LOAN" | "DEPOSIT"): void {
  const event = TRANSACTION_EVENTS[kind].get(String(tx.type));
  if (!event) return;
  const templates = communicationSettings(ctx.store).templates.filter((t) => t.event === event);
  if (!templates.length) return;
  const account = ctx.store.find(kind === "LOAN" ? "loans" : "deposits", String(tx.parentAccountKey));
  if (!account) return;
  const group = account.accountHolderType === "GROUP";
  const holder = typeof account.accountHolderKey === "string" ? ctx.store.find(group ? "groups" : "clients", account.accountHolderKey) : undefined;
  const values = placeholderValues(ctx, { tx, account, holder, group, kind });
  for (const t of templates) {
    const draft: MessageDraft = { type: t.type, event, body: render(t.body, values), templateKey: templateKey(t) };
    if (t.subject !== undefined) draft.subject = render(t.subject, values);
    const holderKey = holder?.encodedKey ?? (typeof account.accountHolderKey === "string" ? account.accountHolderKey : undefined);
    if (holderKey !== undefined) draft[group ? "groupKey" : "clientKey"] = holderKey;
    draft[kind === "LOAN" ? "loanAccountKey" : "depositAccountKey"] = account.encodedKey;
    if (event === "LOAN_REPAYMENT") draft.repaymentKey = tx.encodedKey;
    recordMessage(ctx, draft);
  }
}
