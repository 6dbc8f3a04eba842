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
import { MessageEvent, NotificationTemplate, render, templateKey, TRANSACTION_EVENTS } from "./messages-templates";

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

/** The placeholder values of a message, by placeholder name (those without a source are empty). */
export interface PlaceholderValues {
  /** The value of one placeholder (computed when first read: a template reads only its own few). */
  get(name: string): string | undefined;
}

/** The placeholder values of a message (those without a source are empty), each computed when a template reads it. */
export function placeholderValues(ctx: MessageContext, m: MessageSubjectMatter): PlaceholderValues {
  const { tx, account, holder, kind } = m;
  const currency = (): string => (!account ? "" : kind === "LOAN" ? str(ownValue(account.currency, "code")) : str(account.currencyCode));
  const first = (): string => (m.group ? str(holder?.groupName) : str(holder?.firstName));
  const last = (): string => (m.group ? "" : str(holder?.lastName));
  const value = (name: string): string | undefined => {
    switch (name) {
      case "FIRST_NAME": return first();
      case "LAST_NAME": return last();
      case "RECIPIENT_NAME": return [first(), last()].filter((s) => s !== "").join(" ");
      case "AMOUNT": {
        if (!tx) return "";
        const amount = Math.abs(Number(tx.amount ?? 0));
        return Number.isFinite(amount) ? amount.toFixed(currencyDecimals(currency() || undefined)) : str(tx.amount);
      }
      case "CURRENCY": return currency();
      case "ACCOUNT_ID": return str(account?.id);
      case "ACCOUNT_NAME": return str(kind === "LOAN" ? account?.loanName : account?.name);
      case "TRANSACTION_ID": return str(tx?.id);
      case "VALUE_DATE": return (tx && localDate(tx.valueDate, ctx.clock.offset)) ?? "";
      case "INSTITUTION_NAME": return str(ownValue(ctx.store.extra.organization, "institutionName")) || "Mambu sandbox";
      default: return undefined;
    }
  };
  const known = new Map<string, string | undefined>(); // the values read so far (ten placeholders at most)
  return {
    get(name: string): string | undefined {
      if (!known.has(name)) known.set(name, value(name));
      return known.get(name);
    },
  };
}

/** The templates of each event, per template list (lists are frozen: settings.ts); weakly held, a few events each. */
const byEvent = new WeakMap<readonly NotificationTemplate[], Map<MessageEvent, readonly NotificationTemplate[]>>();

/** The templates of a list that an event sends, in list order. */
function templatesOf(all: readonly NotificationTemplate[], event: MessageEvent): readonly NotificationTemplate[] {
  let m = byEvent.get(all);
  if (m === undefined) byEvent.set(all, (m = new Map()));
  let ts = m.get(event);
  if (ts === undefined) m.set(event, (ts = all.filter((t) => t.event === event)));
  return ts;
}

/**
 * Records the notifications of a newly stored transaction of a loan (`kind` LOAN) or deposit (DEPOSIT) account:
 * one message per template of the transaction's event; nothing for other transaction types or without templates.
 */
export function notifyTransaction(ctx: MessageContext, tx: WireRecord, kind: "LOAN" | "DEPOSIT"): void {
  const event = TRANSACTION_EVENTS[kind].get(String(tx.type));
  if (!event) return;
  const templates = templatesOf(communicationSettings(ctx.store).templates, event);
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
