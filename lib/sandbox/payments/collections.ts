/**
 * SEPA direct debits on the gateway: `POST /collections` (initiateCollection) and `GET /collections/{collectionId}`
 * (getCollectionDetails). An initiation is checked beyond the contract (./contract.ts has run): a EUR
 * amount, the requested collection date not in the past (today when absent), the mandate signed and not after that
 * date, the debtor's IBAN mapped to a Mambu deposit account in EUR (else 400 PAYMENT_FAILED), and the sequence
 * type against the mandate's earlier collections (400 FORMAT_ERROR on `paymentTypeInformation.sequenceType`): a
 * FRST or an OOFF only as a mandate's first collection, nothing after its OOFF or FNAL (rejected ones do not
 * count). It answers 201 `RCVD` with a Location; the collection then waits, accepted (`ACSP`), for its due date
 * (./collections-settle.ts). A blocking rule in force already rejects it at initiation: 201 `RJCT` with a
 * PAYMENT_FAILED message and a pacs.002 (reason MS02) to the callout, as the seed says blocked collections are
 * rejected, not refused.
 */
import { randomUUID } from "node:crypto";
import type { Router, SandboxContext, RouteRequest, RouteResponse } from "../router";
import { creditorIdentifierOf } from "./blocking-rules";
import { blockedMessage, rejectCollection } from "./collections-settle";
import { allCollections, CollectionRecord, findCollection } from "./collections-store";
import { at, checkDay, checkEurAmount, Problems, text } from "./schedule-checks";
import { accountForIban, collectionBlocked } from "./schedule-ports";
import { afterDueWork, runDuePayments } from "./schedule";
import { tppError } from "./tpp";

/** Why a sequence type cannot follow a mandate's earlier (not rejected) collections, or undefined. */
function sequenceProblem(sequenceType: string, earlier: CollectionRecord[]): string | undefined {
  const ended = earlier.find((c) => c.sequenceType === "OOFF" || c.sequenceType === "FNAL");
  if (ended) return `the mandate ended with its ${ended.sequenceType} collection ${ended.id}; it takes no more collections`;
  if (earlier.length > 0 && (sequenceType === "FRST" || sequenceType === "OOFF")) {
    return `${sequenceType} is only for a mandate's first collection; this mandate already has ${earlier.length} (use RCUR, or FNAL for the last)`;
  }
  return undefined;
}

function initiate(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const body = req.body as Record<string, unknown>;
  const today = ctx.clock.today();
  const problems = new Problems();
  checkEurAmount(problems, "instructedAmount", body.instructedAmount);
  const requested = at(body, "requestedExecutionDate");
  const dueDate = requested === undefined ? today : checkDay(problems, "requestedExecutionDate", requested, { day: today, what: "today" });
  const signed = checkDay(problems, "mandateRelatedInformation.dateOfSignature", at(body, "mandateRelatedInformation", "dateOfSignature"));
  if (signed !== undefined && signed > today) problems.add("mandateRelatedInformation.dateOfSignature", `must not be in the future (today is ${today}), got ${signed}`);
  else if (signed !== undefined && dueDate !== undefined && signed > dueDate) problems.add("mandateRelatedInformation.dateOfSignature", `must not be after the requested collection date ${dueDate}`);
  const mandateId = text(body, "mandateRelatedInformation", "mandateIdentification") ?? "";
  if (mandateId.trim() === "") problems.add("mandateRelatedInformation.mandateIdentification", "must not be blank");
  const creditorId = creditorIdentifierOf(body.creditorSchemeIdentification) ?? "";
  if (creditorId.trim() === "") problems.add("creditorSchemeIdentification.identification", "must name the creditor identifier (privateIdentification)");
  const sequenceType = text(body, "paymentTypeInformation", "sequenceType") ?? "";
  const iban = text(body, "debtorAccount", "identification", "iban");
  if (iban === undefined) problems.add("debtorAccount.identification.iban", "must be given: the debtor's account is debited by its IBAN");
  problems.throwIfAny();

  const account = accountForIban(ctx, iban as string);
  if (!account) throw tppError("PAYMENT_FAILED", "no Mambu deposit account is mapped to the debtor's IBAN", "debtorAccount.identification.iban");
  if (account.currencyCode !== "EUR") throw tppError("PAYMENT_FAILED", `the debtor's account ${String(account.id)} is in ${String(account.currencyCode)}, not EUR`, "debtorAccount");
  const earlier = allCollections(ctx).filter((c) => c.status !== "RJCT" && c.creditorId === creditorId && c.mandateId === mandateId);
  const seqProblem = sequenceProblem(sequenceType, earlier);
  if (seqProblem) throw tppError("FORMAT_ERROR", `paymentTypeInformation.sequenceType ${seqProblem}`, "paymentTypeInformation.sequenceType");

  const rec: CollectionRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    id: randomUUID(),
    request: structuredClone(body),
    status: "ACSP",
    dueDate: dueDate as string,
    accountKey: account.encodedKey,
    creditorId,
    mandateId,
    sequenceType,
    messages: [],
    creationDateTime: ctx.clock.nowIso(),
  };
  ctx.store.insert("paycollections", rec);
  const blocked = collectionBlocked(ctx, account, creditorId, mandateId);
  if (blocked) rejectCollection(ctx, rec, blockedMessage(mandateId), "MS02");
  runDuePayments(ctx); // due today: debited at once
  const answer = {
    collectionId: rec.id,
    transactionStatus: blocked ? "RJCT" : "RCVD",
    ...(blocked ? { tppMessages: [blockedMessage(mandateId)] } : {}),
  };
  return { status: 201, body: answer, headers: { Location: `/api/v1/collections/${rec.id}` } };
}

function details(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const id = req.params.collectionId;
  const rec = findCollection(ctx, id);
  if (!rec) throw tppError("RESOURCE_UNKNOWN", `Unable to find Collection with id: ${id.slice(0, 80)}.`, undefined, 404);
  // Only the declared fields: the generated schema drops CollectionDetailsResponse's additionalProperties (D02).
  const answer: Record<string, unknown> = {
    collectionId: rec.id,
    transactionStatus: rec.status,
    transactionFeeIndicator: false,
    ...(rec.messages.length ? { tppMessages: rec.messages.map((m) => ({ ...m })) } : {}),
  };
  return { status: 200, body: answer };
}

/** Registers `POST /collections` and `GET /collections/{collectionId}` on the gateway's router. */
export function registerCollectionRoutes(router: Router): void {
  router.add("POST", "/collections", afterDueWork(initiate));
  router.add("GET", "/collections/{collectionId}", afterDueWork(details));
}
