/**
 * What hangs off a loan besides its money: funding sources (`/loans/{id}/funding`, the investors a
 * loan is split among), cards (`/loans/{id}/cards`), card authorization holds
 * (`/loans/{id}/authorizationholds`) and documents rendered from templates
 * (`/loans/{id}/templates/{templateId}`). Each is the contract's operation performed by
 * {@link accountOperation}.
 */
import { ActionOptions, checkReread } from "../core/actions";
import { accountOperation, entityKey, expectRecord } from "../core/account-operation";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { MambuList, paginate } from "../core/list";
import { offsetSourceOf, MambuStruct, MambuValueObject, structFromWire } from "../core/struct";
import { toWireDate } from "../core/coerce";
import { refKey } from "../core/operations";
import type { DateInput, EntityRef, Input } from "../core/operations";
import { MambuError, MambuTsError } from "../errors";
import type { InvestorFund, InvestorFundStruct } from "../generated/types/loans";
import { MambuAuthorizationHold } from "./authorization-hold";
import { MambuCard } from "./card";
import type { MambuLoan } from "./loan";

type Bag = Record<string, unknown>;

/**
 * One funding source of a loan (Swagger `InvestorFund`): the funder (`guarantorType` CLIENT or GROUP,
 * `guarantorKey`, the `depositAccountKey` the money comes from), its `amount`, `sharePercentage` and
 * `interestCommission` (Decimal).
 */
export class MambuInvestorFund extends MambuValueObject {
  static override resource = "loans";
  static override definition = "InvestorFund";
}
export interface MambuInvestorFund extends InvestorFundStruct {}

/** A funding source given to `addFundingSources()` / `setFundingSources()`: one read from the loan, or its fields. */
export type InvestorFundInput = MambuInvestorFund | (Input<InvestorFund> & { amount: unknown; guarantorKey: string; guarantorType: "CLIENT" | "GROUP" });

/** Options of `loan.getAuthorizationHolds()`. */
export interface LoanHoldListOptions {
  /** Only the holds in this status. */
  status?: "PENDING" | "REVERSED" | "SETTLED" | "EXPIRED";
  /** First hold (default 0). */
  offset?: number;
  /** At most this many holds (default: all of them, page by page). */
  limit?: number;
}

/** Options of `loan.addCard()` / `loan.removeCard()` (the loan is not re-read: a card is no field of it). */
export interface LoanCardOptions {
  idempotencyKey?: string;
}

/** Options of `loan.getDocument(templateId, ...)`: the period the document covers. */
export interface LoanDocumentOptions {
  startDate?: DateInput;
  endDate?: DateInput;
}

function list(answer: unknown, what: string, label: string): unknown[] {
  if (answer === undefined) return [];
  if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected ${what} as a JSON list`);
  return answer;
}

function funds(loan: MambuLoan, answer: unknown, label: string): MambuInvestorFund[] {
  return list(answer, "the funding sources", label).map((raw) => structFromWire<MambuInvestorFund>(MambuInvestorFund, expectRecord(raw, "a funding source", label), loan));
}

/** `loan.getFundingSources()`: the loan's `fundingSources` as last read (no request). */
export function loanFundingSources(loan: MambuLoan): MambuInvestorFund[] {
  const raw = (loan.toJSON() as Bag).fundingSources;
  return funds(loan, raw === undefined || raw === null ? [] : raw, "MambuLoan.getFundingSources");
}

/**
 * `loan.addFundingSources(funds)` (`POST /loans/{id}/funding`) and `loan.setFundingSources(funds)`
 * (`PUT /loans/{id}/funding`): the funding sources Mambu answers with; the loan is re-read.
 */
export async function writeLoanFunding(
  loan: MambuLoan, operationId: "createLoanAccountFundingSources" | "updateLoanAccountFundingSources", given: readonly InvestorFundInput[], opts: ActionOptions | undefined, label: string,
): Promise<MambuInvestorFund[]> {
  const action = splitOperationOptions(label, opts);
  if (!Array.isArray(given) || given.length === 0) throw new MambuTsError(`${label}: give a non-empty list of funding sources`);
  const body = given.map((f) => (f instanceof MambuStruct ? f.toJSON() : f));
  const answer = await accountOperation(loan, "loans", operationId, body, action, { returns: "answer", label });
  return funds(loan, answer, label);
}

/** `loan.removeFundingSources()` / `loan.removeFundingSource(fund)`: `DELETE /loans/{id}/funding[/{fundEncodedKey}]`; the re-read loan. */
export async function deleteLoanFunding(loan: MambuLoan, fund: EntityRef | undefined, opts: ActionOptions | undefined): Promise<MambuLoan> {
  const label = fund === undefined ? "MambuLoan.removeFundingSources" : "MambuLoan.removeFundingSource";
  const action = splitOperationOptions(label, opts);
  const ids = fund === undefined ? undefined : [loanKeyOf(loan), refKey(fund, "the funding source", label)];
  return accountOperation(loan, "loans", fund === undefined ? "deleteFundingSources" : "deleteSingleFundingSource", undefined, action, {
    returns: "account", label, ids,
  });
}

function loanKeyOf(loan: MambuLoan): string {
  return entityKey(loan);
}

/** Options that are only `idempotencyKey` and `reread`, checked. */
function splitOperationOptions(label: string, opts: ActionOptions | undefined, keys: readonly string[] = ["idempotencyKey", "reread"]): ActionOptions {
  checkOptionKeys(label, opts, keys);
  checkReread(opts?.reread);
  return { idempotencyKey: opts?.idempotencyKey, reread: opts?.reread };
}

/** `loan.getCards()`: `GET /loans/{id}/cards`, as MambuCard handles (through the loan's connector). */
export async function loanCards(loan: MambuLoan): Promise<MambuCard[]> {
  const label = "MambuLoan.getCards";
  const answer = await accountOperation(loan, "loans", "getAllCards", undefined, { reread: false }, { returns: "answer", label });
  return list(answer, "the cards", label).map((raw) => {
    const token = expectRecord(raw, "a card", label).referenceToken;
    if (typeof token !== "string") throw new MambuError(`malformed response from Mambu to ${label}: a card without referenceToken`);
    return MambuCard.of(token, { connector: connectorOf(loan) });
  });
}

/** `loan.addCard(token)` / `loan.removeCard(token)`: `POST /loans/{id}/cards`, `DELETE /loans/{id}/cards/{token}`. */
export async function linkLoanCard(loan: MambuLoan, card: string | MambuCard, remove: boolean, opts: LoanCardOptions | undefined): Promise<MambuCard> {
  const label = remove ? "MambuLoan.removeCard" : "MambuLoan.addCard";
  const action = { ...splitOperationOptions(label, opts, ["idempotencyKey"]), reread: false };
  const token = card instanceof MambuCard ? card.referenceToken : card;
  if (typeof token !== "string" || token.trim() === "") throw new MambuTsError(`${label}: give the card's reference token (or the MambuCard)`);
  if (remove) {
    await accountOperation(loan, "loans", "deleteCard", undefined, action, { returns: "answer", label, ids: [loanKeyOf(loan), token] });
  } else {
    await accountOperation(loan, "loans", "createCard", { referenceToken: token }, action, { returns: "answer", label });
  }
  return card instanceof MambuCard ? card : MambuCard.of(token, { connector: connectorOf(loan) });
}

/** `loan.getAuthorizationHolds(opts)`: `GET /loans/{id}/authorizationholds`, page by page. */
export function loanAuthorizationHolds(loan: MambuLoan, opts?: LoanHoldListOptions): MambuList<MambuAuthorizationHold> {
  const label = "MambuLoan.getAuthorizationHolds";
  checkOptionKeys(label, opts, ["status", "offset", "limit"]);
  const { status, offset = 0, limit } = opts ?? {};
  checkWindow(label, offset, limit);
  const conn = connectorOf(loan);
  return new MambuList<MambuAuthorizationHold>(async function* () {
    const pages = paginate<unknown>({
      offset, limit, pageSize: conn.pageSize, concurrency: 1,
      request: { method: "GET", url: `/api${loan.entityPath()}/authorizationholds` },
      fetchPage: async (w) => {
        const answer = await accountOperation(loan, "loans", "getAllAuthorizationHolds", undefined, { reread: false }, {
          returns: "answer", label, query: { status, offset: w.offset, limit: w.limit },
        });
        return { items: list(answer, "the authorization holds", label) };
      },
    });
    for await (const page of pages) {
      yield page.map((raw) => structFromWire<MambuAuthorizationHold>(MambuAuthorizationHold, expectRecord(raw, "an authorization hold", label), loan));
    }
  }, label);
}

/** Refuses an offset or limit that is not a whole number (offset ≥ 0, limit ≥ 1). @internal */
export function checkWindow(label: string, offset: unknown, limit: unknown): void {
  for (const [k, v, min] of [["offset", offset, 0], ["limit", limit, 1]] as const) {
    if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)) throw new MambuTsError(`${label}: ${k} must be an integer ≥ ${min}`);
  }
}

/** `loan.getDocument(templateId, opts)`: `GET /loans/{id}/templates/{templateId}`, the rendered text. */
export async function loanDocument(loan: MambuLoan, templateId: string, opts?: LoanDocumentOptions): Promise<string> {
  const label = "MambuLoan.getDocument";
  checkOptionKeys(label, opts, ["startDate", "endDate"]);
  if (typeof templateId !== "string" || templateId.trim() === "") throw new MambuTsError(`${label}: give the template's id`);
  const query: Bag = {};
  for (const k of ["startDate", "endDate"] as const) {
    const v = opts?.[k];
    if (v !== undefined) query[k] = toWireDate(v, `${label}.${k}`, offsetSourceOf(loan));
  }
  const answer = await accountOperation(loan, "loans", "getLoanAccountDocument", undefined, { reread: false }, {
    returns: "answer", label, ids: [loanKeyOf(loan), templateId], query,
  });
  if (typeof answer === "string") return answer;
  if (answer === undefined) return "";
  throw new MambuError(`malformed response from Mambu to ${label}: expected the document's text`);
}
