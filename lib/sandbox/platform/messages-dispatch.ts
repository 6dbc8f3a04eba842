/**
 * Sending a communication message in the sandbox: one function records a message (collection `messages`,
 * CommunicationMessage wire shape) and attempts its delivery, for the engine's notifications, for
 * `POST /communications/messages` and (attempt after attempt) for `:resend`.
 *
 * An attempt ends SENT (with `sendDate`) or FAILED (with `failureReason` and `failureCause`, no `sendDate`):
 * - no destination, and the recipient (client, group or user) has none for the type → MISSING_SMS_RECIPIENT
 *   (SMS: no `mobilePhone`) or MISSING_EMAIL_RECIPIENT_ADDRESS (EMAIL: no `emailAddress`, a user's `email`);
 * - an SMS body over {@link MAX_SMS_LENGTH} characters → SMS_TOO_LONG;
 * - drawn by the failure share (messages-settings.ts) → SMS_NOT_SENT (SMS) or MESSAGING_EXCEPTION (EMAIL).
 * A message without an explicit destination takes its recipient's at each attempt, so a resend after the
 * client's phone number was added reaches it.
 *
 * Stored records keep two fields of the sandbox's own, stripped from answers by {@link messageWire}:
 * `sandboxSequence` (the message's number, which seeds its draws) and `destinationGiven` (the destination was
 * sent with the message, not taken from its recipient).
 */
import type { SandboxContext } from "../router";
import type { SandboxClockLike, WireRecord } from "../types";
import type { SandboxStore } from "../store";
import { drawsFailure, communicationSettings } from "./messages-settings";
import type { MessageEvent, TemplateMessageType } from "./messages-templates";

/** Longest SMS body the sandbox's SMS gateway accepts (three concatenated parts of 160 characters). */
export const MAX_SMS_LENGTH = 480;

/** What the engine and the API need to say to record a message. */
export interface MessageDraft {
  type: TemplateMessageType;
  event: MessageEvent;
  body: string;
  subject?: string;
  /** Phone number or email address; without it, the recipient's. */
  destination?: string;
  clientKey?: string;
  groupKey?: string;
  userKey?: string;
  senderKey?: string;
  loanAccountKey?: string;
  depositAccountKey?: string;
  repaymentKey?: string;
  templateKey?: string;
}

/** State a context needs here: the store and the clock. */
export type MessageContext = Pick<SandboxContext, "store"> & { clock: SandboxClockLike };

const OPTIONAL = ["subject", "destination", "clientKey", "groupKey", "userKey", "senderKey", "loanAccountKey", "depositAccountKey", "repaymentKey", "templateKey"] as const;

/** The recipient's address for a message type, and how to name the recipient in a failure cause. */
function recipientAddress(store: SandboxStore, rec: WireRecord): { address?: string; who: string } {
  const sms = rec.type === "SMS";
  const pick = (r: WireRecord | undefined, emailField: string): string | undefined => {
    const v = r?.[sms ? "mobilePhone" : emailField];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  if (typeof rec.clientKey === "string") {
    const c = store.find("clients", rec.clientKey);
    return { address: pick(c, "emailAddress"), who: `client ${String(c?.id ?? rec.clientKey)}` };
  }
  if (typeof rec.groupKey === "string") {
    const g = store.find("groups", rec.groupKey);
    return { address: pick(g, "emailAddress"), who: `group ${String(g?.id ?? rec.groupKey)}` };
  }
  if (typeof rec.userKey === "string") {
    const u = store.find("users", rec.userKey);
    return { address: pick(u, "email"), who: `user ${String(u?.username ?? u?.id ?? rec.userKey)}` };
  }
  return { who: "the message" };
}

/**
 * One delivery attempt of a message (attempt number = its `numRetries`): returns the record with the attempt's
 * outcome (not stored).
 */
export function attemptDelivery(ctx: MessageContext, rec: WireRecord, explicitDestination: boolean): WireRecord {
  const out: WireRecord = { ...rec };
  delete out.failureReason;
  delete out.failureCause;
  delete out.sendDate;
  const sms = rec.type === "SMS";
  const fail = (reason: string, cause: string): WireRecord => ({ ...out, state: "FAILED", failureReason: reason, failureCause: cause });
  if (!explicitDestination) {
    const { address, who } = recipientAddress(ctx.store, rec);
    if (address === undefined) {
      delete out.destination;
      return sms
        ? fail("MISSING_SMS_RECIPIENT", `${who} has no mobile phone number`)
        : fail("MISSING_EMAIL_RECIPIENT_ADDRESS", `${who} has no email address`);
    }
    out.destination = address;
  }
  if (sms && String(rec.body ?? "").length > MAX_SMS_LENGTH) {
    return fail("SMS_TOO_LONG", `the SMS has ${String(rec.body).length} characters; the gateway takes at most ${MAX_SMS_LENGTH}`);
  }
  const attempt = typeof rec.numRetries === "number" ? rec.numRetries : 0;
  if (drawsFailure(ctx.store, Number(rec.sandboxSequence ?? 0), attempt)) {
    const rate = communicationSettings(ctx.store).failureRate;
    return sms
      ? fail("SMS_NOT_SENT", `sandbox: the SMS gateway refused the message (simulated, communications.failureRate ${rate})`)
      : fail("MESSAGING_EXCEPTION", `sandbox: the mail server refused the message (simulated, communications.failureRate ${rate})`);
  }
  return { ...out, state: "SENT", sendDate: ctx.clock.nowIso() };
}

/** Whether a stored message names its destination itself (sent through the API with one) rather than a recipient's. */
export function hasExplicitDestination(rec: WireRecord): boolean {
  return rec.destinationGiven === true;
}

/** Records a new message and attempts to send it; returns the stored record. */
export function recordMessage(ctx: MessageContext, draft: MessageDraft): WireRecord {
  const rec: WireRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    creationDate: ctx.clock.nowIso(),
    type: draft.type,
    event: draft.event,
    body: draft.body,
    numRetries: 0,
    state: "QUEUED",
    sandboxSequence: Number(ctx.store.nextId("messages", 0)),
  };
  for (const k of OPTIONAL) if (draft[k] !== undefined) rec[k] = draft[k];
  const explicit = draft.destination !== undefined;
  if (explicit) rec.destinationGiven = true;
  return ctx.store.insert("messages", attemptDelivery(ctx, rec, explicit));
}

/** Sends a FAILED message again: `numRetries` + 1, then one attempt; returns the stored record. */
export function resendMessage(ctx: MessageContext, rec: WireRecord): WireRecord {
  const retried: WireRecord = { ...rec, numRetries: (typeof rec.numRetries === "number" ? rec.numRetries : 0) + 1 };
  return ctx.store.replace("messages", attemptDelivery(ctx, retried, hasExplicitDestination(rec)));
}

/** The answer's shape of a stored message (the sandbox's own fields removed). */
export function messageWire(rec: WireRecord): WireRecord {
  const { sandboxSequence, destinationGiven, ...wire } = rec;
  void sandboxSequence;
  void destinationGiven;
  return wire;
}
