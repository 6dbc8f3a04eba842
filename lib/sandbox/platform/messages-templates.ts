/**
 * Notification templates of the sandbox tenant: which events of the engine send a communication message, of
 * which type, with which subject and body. A template names Mambu's event (`CommunicationMessage.event`), the
 * message type (SMS to the account holder's `mobilePhone`, EMAIL to its `emailAddress`) and a body (and, for
 * EMAIL, a subject) with placeholders filled from the transaction:
 *
 * | placeholder          | value                                                            |
 * |----------------------|------------------------------------------------------------------|
 * | `{FIRST_NAME}`       | the client's first name (a group's name)                         |
 * | `{LAST_NAME}`        | the client's last name (empty for a group)                       |
 * | `{RECIPIENT_NAME}`   | first and last name of the client, or the group's name           |
 * | `{AMOUNT}`           | the transaction's amount, unsigned, with the currency's decimals |
 * | `{CURRENCY}`         | the account's currency code                                      |
 * | `{ACCOUNT_ID}`       | the loan or deposit account's id                                 |
 * | `{ACCOUNT_NAME}`     | the account's name (loanName / name)                             |
 * | `{TRANSACTION_ID}`   | the transaction's id                                             |
 * | `{VALUE_DATE}`       | the transaction's value date (YYYY-MM-DD, tenant time)           |
 * | `{INSTITUTION_NAME}` | the organization's institutionName                               |
 *
 * The events the engine triggers are those of {@link TRANSACTION_EVENTS}. Without templates of its own
 * (`startSandbox({ communications: { templates } })`), a tenant uses {@link DEFAULT_NOTIFICATION_TEMPLATES}:
 * SMS on loan disbursement and repayment, EMAIL on deposit and withdrawal.
 */
import { createHash } from "node:crypto";
import type { CommunicationMessage } from "../../generated/types/communications_messages";

/** Mambu's event of a communication message. */
export type MessageEvent = NonNullable<CommunicationMessage["event"]>;

/** The message types a template (and `POST /communications/messages`) can send. */
export type TemplateMessageType = "SMS" | "EMAIL";

/** One notification template. */
export interface NotificationTemplate {
  /** The event that sends it: one of {@link TRANSACTION_EVENTS}' values, e.g. `LOAN_DISBURSEMENT`. */
  event: MessageEvent;
  /** SMS (to the holder's mobilePhone) or EMAIL (to its emailAddress). */
  type: TemplateMessageType;
  /** EMAIL only (required there): the subject, with placeholders; at most 255 characters. */
  subject?: string;
  /** The text, with placeholders (see the file comment); at most 10000 characters. */
  body: string;
  /** The template's key (`templateKey` of its messages); default: derived from event and type. */
  key?: string;
}

/** Transaction type → event, per account kind: the transactions that trigger notifications. */
export const TRANSACTION_EVENTS: { readonly LOAN: ReadonlyMap<string, MessageEvent>; readonly DEPOSIT: ReadonlyMap<string, MessageEvent> } = {
  LOAN: new Map<string, MessageEvent>([
    ["DISBURSEMENT", "LOAN_DISBURSEMENT"],
    ["REPAYMENT", "LOAN_REPAYMENT"],
    ["DISBURSEMENT_ADJUSTMENT", "LOAN_DISBURSEMENT_REVERSAL"],
    ["REPAYMENT_ADJUSTMENT", "LOAN_REPAYMENT_REVERSAL"],
  ]),
  DEPOSIT: new Map<string, MessageEvent>([
    ["DEPOSIT", "SAVINGS_DEPOSIT"],
    ["WITHDRAWAL", "SAVINGS_WITHDRAWAL"],
    ["ADJUSTMENT", "SAVINGS_DEPOSIT_REVERSAL"],
    ["WITHDRAWAL_ADJUSTMENT", "SAVINGS_WITHDRAWAL_REVERSAL"],
  ]),
};

/** The built-in templates: SMS on loan disbursement and repayment, EMAIL on deposit and withdrawal. */
export const DEFAULT_NOTIFICATION_TEMPLATES: readonly NotificationTemplate[] = Object.freeze([
  {
    event: "LOAN_DISBURSEMENT",
    type: "SMS",
    body: "{INSTITUTION_NAME}: your loan {ACCOUNT_ID} was disbursed: {AMOUNT} {CURRENCY}.",
  },
  {
    event: "LOAN_REPAYMENT",
    type: "SMS",
    body: "{INSTITUTION_NAME}: we received your repayment of {AMOUNT} {CURRENCY} on loan {ACCOUNT_ID}. Thank you.",
  },
  {
    event: "SAVINGS_DEPOSIT",
    type: "EMAIL",
    subject: "Deposit to your account {ACCOUNT_ID}",
    body: "Dear {RECIPIENT_NAME}, {AMOUNT} {CURRENCY} were deposited to your account {ACCOUNT_ID} on {VALUE_DATE}. {INSTITUTION_NAME}",
  },
  {
    event: "SAVINGS_WITHDRAWAL",
    type: "EMAIL",
    subject: "Withdrawal from your account {ACCOUNT_ID}",
    body: "Dear {RECIPIENT_NAME}, {AMOUNT} {CURRENCY} were withdrawn from your account {ACCOUNT_ID} on {VALUE_DATE}. {INSTITUTION_NAME}",
  },
] as NotificationTemplate[]);

/** The placeholders a template may use. */
export const PLACEHOLDERS: readonly string[] = [
  "FIRST_NAME", "LAST_NAME", "RECIPIENT_NAME", "AMOUNT", "CURRENCY", "ACCOUNT_ID", "ACCOUNT_NAME", "TRANSACTION_ID",
  "VALUE_DATE", "INSTITUTION_NAME",
];

/** Longest subject of an EMAIL message. */
export const MAX_SUBJECT_LENGTH = 255;
/** Longest body of a message (a template's or one sent through the API). */
export const MAX_BODY_LENGTH = 10000;
/** At most this many templates per tenant. */
export const MAX_TEMPLATES = 100;

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g;
const TRIGGERED = new Set<string>([...TRANSACTION_EVENTS.LOAN.values(), ...TRANSACTION_EVENTS.DEPOSIT.values()]);

/** The key of a template: its own, or one derived from its event and type (32 hex digits, as Mambu's keys). */
export function templateKey(t: NotificationTemplate): string {
  if (t.key !== undefined) return t.key;
  const name = `notification-template:${t.event}:${t.type}`;
  let key = DERIVED_KEYS.get(name);
  if (key === undefined) {
    key = createHash("sha256").update(name).digest("hex").slice(0, 32);
    if (DERIVED_KEYS.size < 64) DERIVED_KEYS.set(name, key);
  }
  return key;
}

/** Derived template keys by event and type (events × message types: a few dozen at most), hashed once per process. */
const DERIVED_KEYS = new Map<string, string>();

/**
 * Checks templates given as an option; returns a frozen copy.
 * @throws Error naming the template and what to fix (an event the engine does not trigger, a type other than
 *   SMS/EMAIL, an EMAIL without subject, an unknown placeholder, a text over its size).
 */
export function checkTemplates(templates: unknown): readonly NotificationTemplate[] {
  if (!Array.isArray(templates)) throw new Error("communications.templates: expected an array of templates");
  if (templates.length > MAX_TEMPLATES) throw new Error(`communications.templates: at most ${MAX_TEMPLATES} templates, got ${templates.length}`);
  return Object.freeze(templates.map((t: unknown, i) => {
    const where = `communications.templates[${i}]`;
    if (!t || typeof t !== "object") throw new Error(`${where}: expected an object`);
    const x = t as Record<string, unknown>;
    if (typeof x.event !== "string" || !TRIGGERED.has(x.event)) {
      throw new Error(`${where}.event: expected one of ${[...TRIGGERED].join(", ")}, got ${JSON.stringify(x.event)}`);
    }
    if (x.type !== "SMS" && x.type !== "EMAIL") throw new Error(`${where}.type: expected SMS or EMAIL, got ${JSON.stringify(x.type)}`);
    const texts: Array<[string, unknown, number]> = [["body", x.body, MAX_BODY_LENGTH]];
    if (x.type === "EMAIL") texts.push(["subject", x.subject, MAX_SUBJECT_LENGTH]);
    else if (x.subject !== undefined) throw new Error(`${where}.subject: only EMAIL templates have a subject`);
    for (const [name, v, max] of texts) {
      if (typeof v !== "string" || v.trim() === "") throw new Error(`${where}.${name}: expected a non-blank string`);
      if (v.length > max) throw new Error(`${where}.${name}: at most ${max} characters, got ${v.length}`);
      for (const m of v.matchAll(PLACEHOLDER)) {
        if (!PLACEHOLDERS.includes(m[1])) throw new Error(`${where}.${name}: unknown placeholder {${m[1]}} (known: ${PLACEHOLDERS.join(", ")})`);
      }
    }
    if (x.key !== undefined && (typeof x.key !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(x.key))) {
      throw new Error(`${where}.key: expected 1 to 64 letters, digits, "-" or "_"`);
    }
    const out: NotificationTemplate = { event: x.event as MessageEvent, type: x.type, body: x.body as string };
    if (x.type === "EMAIL") out.subject = x.subject as string;
    if (typeof x.key === "string") out.key = x.key;
    return Object.freeze(out);
  }));
}

/** Fills a template text's placeholders from `values` (a placeholder without a value becomes ""). */
export function render(text: string, values: { get(name: string): string | undefined }): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (PLACEHOLDERS.includes(name) ? values.get(name) ?? "" : whole));
}
