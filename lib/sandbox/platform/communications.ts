/**
 * Routes of communication messages (`/communications/messages`, contract resource `communications_messages`):
 *
 * - `GET /communications/messages/{encodedKey}`: one message; an unknown key is 404
 *   INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY.
 * - `POST /communications/messages`: sends a message (201, the message as recorded: SENT, or FAILED with its
 *   failureReason). `type` SMS or EMAIL (the Swagger's "either SMS or Email"); a non-blank `body` (at most 10000
 *   characters) and, for EMAIL, a `subject` (at most 255: else INVALID_EMAIL_SUBJECT) — or, instead, the
 *   `templateKey` of one of the tenant's notification templates of that type, filled from the recipient and the
 *   account named; a `destination` (a phone number or an email address) or one recipient — `clientKey`,
 *   `groupKey` or `userKey` — to take it from (neither: MISSING_RECIPIENT; an unknown recipient or account:
 *   INVALID_CLIENT_ID, INVALID_GROUP_ID, INVALID_USER_ID, INVALID_LOAN_ACCOUNT_ID, INVALID_DEPOSIT_ACCOUNT_ID).
 *   `event` defaults to MANUAL, `senderKey` to the calling user. Fields the sandbox sets (state, dates,
 *   numRetries, failure details) are ignored. Error messages never quote a destination (personal data).
 * - `POST /communications/messages:search`: the body is Mambu's — an array of filter criteria on the contract's
 *   fields (encodedKey, creationDate, sendDate, senderKey, clientKey, groupKey, userKey, state, failureReason,
 *   failureCause, destination, type, event; at most 100 criteria), with `offset`/`limit`/`paginationDetails`;
 *   messages come oldest first (the contract has no sorting criteria for them).
 * - `POST /communications/messages:resend`: `{ messages: [encodedKey, ...] }` (1 to 1000 keys, each once:
 *   MAXIMUM_NUMBER_OF_COMMUNICATION_MESSAGES_TO_RESEND_EXCEEDED, DUPLICATED_NOTIFICATION_ENCODED_KEY); all must
 *   exist (404 INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY) and be FAILED (400 MESSAGE_STATE_MUST_BE_FAILED) —
 *   checked before any is resent. Each is sent again at once (`numRetries` + 1; SENT, or FAILED again by the
 *   failure share's draw for that attempt); 202 without a body.
 *
 * How messages are sent and fail: messages-dispatch.ts; the failure share: messages-settings.ts; the engine's
 * notifications and their templates: messages-notify.ts, messages-templates.ts.
 */
import { validateOperationBody, validateQuery } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import { pageResponse, parsePaging } from "../list";
import type { Router, RouteRequest, SandboxContext } from "../router";
import { runSearch, SearchSpec } from "../search";
import type { WireRecord } from "../types";
import { messageWire, MessageDraft, recordMessage, resendMessage } from "./messages-dispatch";
import { placeholderValues } from "./messages-notify";
import { communicationSettings } from "./messages-settings";
import { MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, MessageEvent, NotificationTemplate, render, templateKey, TemplateMessageType } from "./messages-templates";

const RESOURCE = "communications_messages";
const ITEM = "/communications/messages/{encodedKey}";
const SEARCH = "/communications/messages:search";
/** Most keys one `:resend` may name. */
export const MAX_RESEND = 1000;
/** Most filter criteria one search may give. */
export const MAX_CRITERIA = 100;
const MAX_KEY_LENGTH = 64;
const MAX_DESTINATION_LENGTH = 255;

const SEARCH_SPEC: SearchSpec = {
  resource: RESOURCE,
  filterDefinition: "CommunicationMessageFilterCriteria",
  sortDefinition: "CommunicationMessageFilterCriteria",
};

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const PHONE_RE = /^\+?[0-9][0-9 ().-]{1,30}[0-9]$/;

function requireMessage(ctx: SandboxContext, key: string): WireRecord {
  const rec = ctx.store.coll("messages").byKey.get(key);
  if (!rec) throw mambuError("INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY", `communication message ${key} not found`);
  return rec;
}

/** An optional string field of the body, bounded. */
function optionalString(b: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidParameters(`${field}: expected a string`);
  if (v.length > max) throw invalidParameters(`${field}: at most ${max} characters, got ${v.length}`);
  return v;
}

/** The encodedKey of a record a body names by its encodedKey (an id is not a key), or the given 400. */
function referenced(
  ctx: SandboxContext,
  b: Record<string, unknown>,
  field: string,
  coll: "clients" | "groups" | "users" | "loans" | "deposits",
  error: "INVALID_CLIENT_ID" | "INVALID_GROUP_ID" | "INVALID_USER_ID" | "INVALID_LOAN_ACCOUNT_ID" | "INVALID_DEPOSIT_ACCOUNT_ID",
): string | undefined {
  const key = optionalString(b, field, MAX_KEY_LENGTH);
  if (key === undefined) return undefined;
  if (!ctx.store.coll(coll).byKey.has(key)) throw mambuError(error, `${field}: no record has the encodedKey ${key}`, 400);
  return key;
}

/** The calling API user's record (by username), if the tenant has one. */
function callerKey(ctx: SandboxContext, req: RouteRequest): string | undefined {
  const name = req.user?.username;
  if (name === undefined) return undefined;
  return ctx.store.all("users").find((u) => u.username === name)?.encodedKey;
}

/** The tenant's notification template a send names by `templateKey` (for a message sent without a body). */
function namedTemplate(ctx: SandboxContext, key: string, type: TemplateMessageType): NotificationTemplate {
  const t = communicationSettings(ctx.store).templates.find((x) => templateKey(x) === key);
  if (!t) throw invalidParameters(`templateKey: the tenant has no notification template ${key}`);
  if (t.type !== type) throw invalidParameters(`templateKey: template ${key} is an ${t.type} template, not ${type}`);
  return t;
}

/** Reads and checks the body of `POST /communications/messages`. */
function draftOf(ctx: SandboxContext, req: RouteRequest): MessageDraft {
  const raw = req.body;
  if (raw === undefined || raw === null) throw invalidParameters("a JSON body is required");
  validateOperationBody(req.method, req.path, raw, ctx.clock.offset);
  const b = raw as Record<string, unknown>;
  if (b.type === undefined || b.type === null) throw invalidParameters("Property type may not be null");
  if (b.type !== "SMS" && b.type !== "EMAIL") throw invalidParameters(`type: the API sends SMS and EMAIL messages, got "${String(b.type)}"`);
  const type = b.type;
  const draft: MessageDraft = { type, event: (b.event as MessageEvent | undefined) ?? "MANUAL", body: "" };
  const recipients = (["clientKey", "groupKey", "userKey"] as const).filter((f) => b[f] !== undefined && b[f] !== null);
  if (recipients.length > 1) throw invalidParameters(`give one recipient (clientKey, groupKey or userKey), not ${recipients.join(" and ")}`);
  draft.clientKey = referenced(ctx, b, "clientKey", "clients", "INVALID_CLIENT_ID");
  draft.groupKey = referenced(ctx, b, "groupKey", "groups", "INVALID_GROUP_ID");
  draft.userKey = referenced(ctx, b, "userKey", "users", "INVALID_USER_ID");
  draft.loanAccountKey = referenced(ctx, b, "loanAccountKey", "loans", "INVALID_LOAN_ACCOUNT_ID");
  draft.depositAccountKey = referenced(ctx, b, "depositAccountKey", "deposits", "INVALID_DEPOSIT_ACCOUNT_ID");
  draft.senderKey = referenced(ctx, b, "senderKey", "users", "INVALID_USER_ID") ?? callerKey(ctx, req);
  draft.repaymentKey = optionalString(b, "repaymentKey", MAX_KEY_LENGTH);
  draft.templateKey = optionalString(b, "templateKey", MAX_KEY_LENGTH);

  // the content: the body (and subject) given, or the named template's filled from the recipient and the account
  let text = optionalString(b, "body", MAX_BODY_LENGTH);
  let subject: unknown = b.subject;
  if ((text === undefined || text.trim() === "") && draft.templateKey !== undefined) {
    const t = namedTemplate(ctx, draft.templateKey, type);
    const holder = draft.clientKey ?? draft.groupKey ?? draft.userKey;
    const holderColl = draft.clientKey ? "clients" : draft.groupKey ? "groups" : "users";
    const accountKey = draft.loanAccountKey ?? draft.depositAccountKey;
    const values = placeholderValues(ctx, {
      holder: holder === undefined ? undefined : ctx.store.find(holderColl, holder),
      group: draft.groupKey !== undefined,
      account: accountKey === undefined ? undefined : ctx.store.find(draft.loanAccountKey ? "loans" : "deposits", accountKey),
      kind: draft.loanAccountKey ? "LOAN" : "DEPOSIT",
    });
    text = render(t.body, values);
    if ((subject === undefined || subject === null) && t.subject !== undefined) subject = render(t.subject, values);
  }
  if (text === undefined || text.trim() === "") throw invalidParameters("body: the message needs a non-blank body (or the templateKey of a notification template)");
  draft.body = text;
  if (type === "EMAIL") {
    if (typeof subject !== "string" || subject.trim() === "") throw mambuError("INVALID_EMAIL_SUBJECT", "subject: an EMAIL message needs a non-blank subject");
    if (subject.length > MAX_SUBJECT_LENGTH) throw mambuError("INVALID_EMAIL_SUBJECT", `subject: at most ${MAX_SUBJECT_LENGTH} characters, got ${subject.length}`);
    draft.subject = subject;
  } else if (subject !== undefined && subject !== null) {
    throw invalidParameters("subject: only EMAIL messages have a subject");
  }

  // the destination (not quoted in errors: it is personal data)
  const destination = optionalString(b, "destination", MAX_DESTINATION_LENGTH)?.trim();
  if (destination !== undefined && destination !== "") {
    if (type === "EMAIL" && !EMAIL_RE.test(destination)) throw invalidParameters("destination: not an email address");
    if (type === "SMS" && !PHONE_RE.test(destination)) throw invalidParameters('destination: not a phone number (digits, spaces, "+", "-", "(", ")")');
    draft.destination = destination;
  } else if (!recipients.length) {
    throw mambuError("MISSING_RECIPIENT", "give a destination, or a clientKey, groupKey or userKey to take it from");
  }
  for (const k of Object.keys(draft) as Array<keyof MessageDraft>) if (draft[k] === undefined) delete draft[k];
  return draft;
}

/** Reads and checks the body of `:resend`: the stored FAILED messages it names, in its order. */
function resendTargets(ctx: SandboxContext, req: RouteRequest): WireRecord[] {
  if (req.body === undefined || req.body === null) throw invalidParameters("a JSON body is required: { messages: [encodedKey, ...] }");
  validateOperationBody(req.method, req.path, req.body, ctx.clock.offset);
  const keys = (req.body as { messages: string[] }).messages;
  if (keys.length === 0) throw invalidParameters("messages: give the encodedKey of at least one FAILED message");
  if (keys.length > MAX_RESEND) {
    throw mambuError("MAXIMUM_NUMBER_OF_COMMUNICATION_MESSAGES_TO_RESEND_EXCEEDED", `messages: at most ${MAX_RESEND} per request, got ${keys.length}`);
  }
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw mambuError("DUPLICATED_NOTIFICATION_ENCODED_KEY", `messages: ${k} is named twice`);
    seen.add(k);
  }
  const recs = keys.map((k) => requireMessage(ctx, k));
  const notFailed = recs.find((r) => r.state !== "FAILED");
  if (notFailed) {
    throw mambuError("MESSAGE_STATE_MUST_BE_FAILED", `message ${notFailed.encodedKey} is ${String(notFailed.state)}; only FAILED messages can be resent`);
  }
  return recs;
}

/** Registers the routes of communication messages. */
export function registerCommunicationRoutes(router: Router): void {
  router.add("GET", ITEM, (ctx, req) => {
    validateQuery(RESOURCE, "GET", ITEM, req.query); // detailsLevel: BASIC and FULL alike (no nested objects)
    return { status: 200, body: messageWire(requireMessage(ctx, req.params.encodedKey)) };
  });
  router.add("POST", "/communications/messages", (ctx, req) => ({
    status: 201,
    body: messageWire(recordMessage(ctx, draftOf(ctx, req))),
  }));
  router.add("POST", SEARCH, (ctx, req) => {
    validateQuery(RESOURCE, "POST", SEARCH, req.query);
    const paging = parsePaging(req.query);
    const body = req.body ?? [];
    if (!Array.isArray(body)) {
      throw invalidParameters("the search body is an array of filter criteria, e.g. [{\"field\":\"state\",\"operator\":\"EQUALS\",\"value\":\"FAILED\"}]");
    }
    if (body.length > MAX_CRITERIA) throw invalidParameters(`at most ${MAX_CRITERIA} filter criteria, got ${body.length}`);
    validateOperationBody(req.method, req.path, body, ctx.clock.offset);
    const found = runSearch(SEARCH_SPEC, ctx.store.all("messages"), { filterCriteria: body }, ctx);
    return pageResponse(found, paging, messageWire);
  });
  router.add("POST", "/communications/messages:resend", (ctx, req) => {
    for (const rec of resendTargets(ctx, req)) resendMessage(ctx, rec);
    return { status: 202 };
  });
}
