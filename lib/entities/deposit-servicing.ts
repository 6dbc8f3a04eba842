/**
 * Deposit servicing behind `MambuDeposit`'s methods: fund blocks and seizure
 * (`/deposits/{id}/blocks`, `/seizure-transactions`), maturity (`:startMaturity`, `:undoMaturity`),
 * `:reopen`, `:changeInterestRate`, authorization holds, cards, funded loans, document templates and
 * bulk deposits (`POST /deposits/deposit-transactions:bulk`, polled on `GET /bulks/{key}`). Each
 * performs the contract's operation by name (lib/core/account-operation.ts): the body is built and
 * checked against its Swagger definition before any request, and the account re-read after a write
 * unless `reread: false`.
 */
import { accountOperation, entityKey, expectRecord } from "../core/account-operation";
import { bulkStatusAs, BulkStatusOptions, waitForBulkAs, WaitForBulkOptions } from "../core/bulk";
import type { ActionOptions } from "../core/actions";
import { buildBody } from "../core/actions";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf, EntityClass, MambuEntity, requestJson } from "../core/entity";
import { stringifyExact } from "../core/json";
import { MambuList, paginate } from "../core/list";
import { Amount, DateInput, EntityRef, Input, operationInput, refKey } from "../core/operations";
import { setTransient } from "../core/relations";
import { offsetSourceOf, structFromWire } from "../core/struct";
import { toWireDate } from "../core/coerce";
import { CONN } from "../core/symbols";
import { validateAgainst } from "../contract/schema";
import type { BulkProcessStatus } from "../generated/types/bulks";
import type { BlockFund, ChangeInterestRateAction, StartMaturityAction } from "../generated/types/deposits";
import type { DepositTransactionBulkableInputDTO, SeizeBlockAmount } from "../generated/types/deposits_transactions";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";
import { MambuAuthorizationHold } from "./authorization-hold";
import { MambuBlockFund } from "./block-fund";
import { MambuCard } from "./card";
import type { MambuDeposit } from "./deposit";
import { MambuDepositTransaction } from "./deposit-transaction";
import { MambuInstallment } from "./installment";
import { MambuLoan } from "./loan";

type Bag = Record<string, unknown>;

/** Options of `deposit.blockFunds(id, amount, ...)` (Swagger `BlockFund` besides its id and amount: `notes`). */
export type BlockFundOptions = Omit<Input<BlockFund>, "externalReferenceId" | "amount"> & ActionOptions;
/** Options of `deposit.seize(blockId, amount, ...)` (Swagger `SeizeBlockAmount`: `transactionChannelId` is required). */
export type SeizeOptions = Omit<Input<SeizeBlockAmount>, "blockId" | "amount"> & { transactionChannelId: string } & ActionOptions;
/** Options of `deposit.startMaturity(...)` (Swagger `StartMaturityAction`: `maturityDate`, `notes`). */
export type StartMaturityOptions = Input<StartMaturityAction> & ActionOptions;
/** Options of `deposit.changeInterestRate(rate, ...)` (Swagger `ChangeInterestRateAction`: `valueDate` is required). */
export type ChangeInterestRateOptions = Omit<Input<ChangeInterestRateAction>, "interestRate"> & { valueDate: DateInput } & ActionOptions;
/** Options of `deposit.getAuthorizationHolds(...)`. */
export interface AuthorizationHoldListOptions {
  /** Only the holds in this status. */
  status?: "PENDING" | "REVERSED" | "SETTLED" | "EXPIRED";
  /** First hold (default 0). */
  offset?: number;
  /** At most this many holds (default: all of them, page by page). */
  limit?: number;
}
/** Options of `deposit.getDocument(templateId, ...)`: the period of a template that lists transactions. */
export interface DepositDocumentOptions {
  /** First day of the period (a date; naive values in the account's offset). */
  startDate?: DateInput;
  /** Last day of the period. */
  endDate?: DateInput;
}
/** One deposit of `MambuDeposit.bulkDeposit(...)` (Swagger `DepositTransactionBulkableInputDTO`); `accountId` may be the account. */
export type BulkDepositInput = Omit<Input<DepositTransactionBulkableInputDTO>, "accountId" | "amount"> & {
  accountId: string | MambuDeposit;
  amount: Amount;
};
/** Options of `MambuDeposit.bulkDeposit(...)`. */
export interface BulkDepositOptions {
  connector?: MambuConnector;
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise. */
  idempotencyKey?: string;
}
/** What `MambuDeposit.bulkDeposit(...)` answers: the bulk process to poll (`GET /bulks/{bulkProcessKey}`). */
export interface BulkDepositResult {
  /** The bulk process key (from the answer's `Location` header). */
  bulkProcessKey: string;
  /** The `Location` header as Mambu sent it. */
  location: string;
}
/** Options of `MambuDeposit.waitForBulk(key, ...)`: those of core's `waitForBulk` (lib/core/bulk.ts). */
export type { WaitForBulkOptions } from "../core/bulk";
/** Upper bound of one bulk deposit's transactions (Mambu refuses larger bulks with BULK_API_REQUEST_SIZE_LIMIT_REACHED). */
export const MAX_BULK_DEPOSITS = 1000;

function nonEmpty(value: unknown, what: string, label: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new MambuTsError(`${label}: ${what} must be a non-empty string`);
  return value;
}

function isRecord(v: unknown): v is Bag {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function listAnswer(answer: unknown, what: string, label: string): Bag[] {
  if (!Array.isArray(answer) || !answer.every(isRecord)) throw new MambuError(`malformed response from Mambu to ${label}: expected a JSON list of ${what}`);
  return answer;
}

/** `deposit.blockFunds(externalReferenceId, amount, opts)`: `POST /deposits/{id}/blocks`. */
export async function blockDepositFunds(deposit: MambuDeposit, externalReferenceId: string, amount: Amount, opts?: BlockFundOptions): Promise<MambuBlockFund> {
  const label = "MambuDeposit.blockFunds";
  nonEmpty(externalReferenceId, "externalReferenceId", label);
  const [input, action] = operationInput(label, opts as Bag | undefined, { externalReferenceId, amount });
  const answer = await accountOperation(deposit, "deposits", "createBlockFund", input, action, { returns: "answer", label });
  return structFromWire<MambuBlockFund>(MambuBlockFund, expectRecord(answer, "the block fund", label), deposit);
}

/** `deposit.getBlocks()`: `GET /deposits/{id}/blocks`. */
export async function depositBlocks(deposit: MambuDeposit): Promise<MambuBlockFund[]> {
  const answer = await callOperation("deposits", "getAllBlocks", { path: { depositAccountId: entityKey(deposit) }, connector: connectorOf(deposit) });
  const blocks = listAnswer(answer, "block funds", "MambuDeposit.getBlocks").map((raw) => structFromWire<MambuBlockFund>(MambuBlockFund, raw, deposit));
  setTransient(deposit, "blocks", blocks);
  return blocks;
}

/** `deposit.unblockFunds(externalReferenceId)`: `DELETE /deposits/{id}/blocks/{externalReferenceId}`. */
export async function unblockDepositFunds(deposit: MambuDeposit, externalReferenceId: string, opts?: ActionOptions): Promise<MambuDeposit> {
  const label = "MambuDeposit.unblockFunds";
  nonEmpty(externalReferenceId, "externalReferenceId", label);
  checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
  return accountOperation(deposit, "deposits", "unblockFund", undefined, opts ?? {}, {
    returns: "account", label, ids: [entityKey(deposit), externalReferenceId],
  });
}

/** `deposit.seize(blockId, amount, opts)`: `POST /deposits/{id}/seizure-transactions`. */
export async function seizeDepositBlock(deposit: MambuDeposit, blockId: string, amount: Amount | undefined, opts?: SeizeOptions): Promise<MambuDepositTransaction> {
  const label = "MambuDeposit.seize";
  nonEmpty(blockId, "blockId (the block's externalReferenceId)", label);
  const [input, action] = operationInput(label, opts as Bag | undefined, { blockId, amount });
  return accountOperation(deposit, "deposits_transactions", "makeSeizure", input, action, {
    returns: "transaction", txClass: MambuDepositTransaction as unknown as EntityClass<MambuDepositTransaction>, label,
  });
}

/** `deposit.startMaturity(opts)`: `POST /deposits/{id}:startMaturity`. */
export async function startDepositMaturity(deposit: MambuDeposit, opts?: StartMaturityOptions): Promise<MambuDeposit> {
  const label = "MambuDeposit.startMaturity";
  const [input, action] = operationInput(label, opts as Bag | undefined);
  return accountOperation(deposit, "deposits", "startMaturity", input, action, { returns: "account", label });
}

/** `deposit.undoMaturity()`: `POST /deposits/{id}:undoMaturity` (the contract takes no body). */
export async function undoDepositMaturity(deposit: MambuDeposit, opts?: ActionOptions): Promise<MambuDeposit> {
  const label = "MambuDeposit.undoMaturity";
  checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
  return accountOperation(deposit, "deposits", "undoMaturity", undefined, opts ?? {}, { returns: "account", label });
}

/** `deposit.reopen(notes)`: `POST /deposits/{id}:reopen`. */
export async function reopenDeposit(deposit: MambuDeposit, notes?: string, opts?: ActionOptions): Promise<MambuDeposit> {
  const label = "MambuDeposit.reopen";
  if (notes !== undefined && typeof notes !== "string") throw new MambuTsError(`${label}: notes must be a string`);
  checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
  return accountOperation(deposit, "deposits", "reopen", notes === undefined ? {} : { notes }, opts ?? {}, { returns: "account", label });
}

/** `deposit.changeInterestRate(rate, opts)`: `POST /deposits/{id}:changeInterestRate`. */
export async function changeDepositInterestRate(deposit: MambuDeposit, interestRate: Amount, opts?: ChangeInterestRateOptions): Promise<MambuDeposit> {
  const label = "MambuDeposit.changeInterestRate";
  const [input, action] = operationInput(label, opts as Bag | undefined, { interestRate });
  return accountOperation(deposit, "deposits", "changeInterestRate", input, action, { returns: "account", label });
}

/** `deposit.getAuthorizationHolds(opts)`: `GET /deposits/{id}/authorizationholds`, page by page. */
export function depositAuthorizationHolds(deposit: MambuDeposit, opts?: AuthorizationHoldListOptions): MambuList<MambuAuthorizationHold> {
  const label = "MambuDeposit.getAuthorizationHolds";
  checkOptionKeys(label, opts, ["status", "offset", "limit"]);
  const { status, offset = 0, limit } = opts ?? {};
  for (const [k, v, min] of [["offset", offset, 0], ["limit", limit, 1]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) throw new MambuTsError(`${label}: ${k} must be an integer ≥ ${min}`);
  }
  const conn = connectorOf(deposit);
  const key = entityKey(deposit);
  return new MambuList<MambuAuthorizationHold>(async function* () {
    const pages = paginate<Bag>({
      offset, limit, pageSize: conn.pageSize, concurrency: 1,
      request: { method: "GET", url: `/api/deposits/${key}/authorizationholds` },
      fetchPage: async (w) => {
        const answer = await callOperation("deposits", "getAllAuthorizationHolds", {
          path: { depositAccountId: key }, query: { status, offset: w.offset, limit: w.limit }, connector: conn,
        });
        return { items: listAnswer(answer, "authorization holds", label) };
      },
    });
    for await (const page of pages) yield page.map((raw) => structFromWire<MambuAuthorizationHold>(MambuAuthorizationHold, raw, deposit));
  }, label);
}

/** `deposit.getCards()`: `GET /deposits/{id}/cards`, each as a {@link MambuCard} on the account's connector. */
export async function depositCards(deposit: MambuDeposit): Promise<MambuCard[]> {
  const label = "MambuDeposit.getCards";
  const conn = connectorOf(deposit);
  const answer = await callOperation("deposits", "getAllCards", { path: { depositAccountId: entityKey(deposit) }, connector: conn });
  return listAnswer(answer, "cards", label).map((c) => MambuCard.of(nonEmpty(c.referenceToken, "a card's referenceToken", label), { connector: conn }));
}

/** `deposit.addCard(token)`: `POST /deposits/{id}/cards` (the account is not re-read: a card changes no balance). */
export async function addDepositCard(deposit: MambuDeposit, card: string | MambuCard, opts?: Pick<ActionOptions, "idempotencyKey">): Promise<MambuCard> {
  const label = "MambuDeposit.addCard";
  const referenceToken = nonEmpty(card instanceof MambuCard ? card.referenceToken : card, "the card reference token", label);
  checkOptionKeys(label, opts, ["idempotencyKey"]);
  await accountOperation(deposit, "deposits", "createCard", { referenceToken }, { idempotencyKey: opts?.idempotencyKey, reread: false }, { returns: "answer", label });
  return card instanceof MambuCard ? card : MambuCard.of(referenceToken, { connector: connectorOf(deposit) });
}

/** `deposit.removeCard(token)`: `DELETE /deposits/{id}/cards/{cardReferenceToken}`. */
export async function removeDepositCard(deposit: MambuDeposit, card: string | MambuCard): Promise<void> {
  const label = "MambuDeposit.removeCard";
  const token = nonEmpty(card instanceof MambuCard ? card.referenceToken : card, "the card reference token", label);
  await accountOperation(deposit, "deposits", "deleteCard", undefined, { reread: false }, { returns: "answer", label, ids: [entityKey(deposit), token] });
}

/** `deposit.getFundedLoans()`: `GET /deposits/{id}/funding` (the loans this investor account funds). */
export async function depositFundedLoans(deposit: MambuDeposit): Promise<MambuLoan[]> {
  const conn = connectorOf(deposit);
  const answer = await callOperation("deposits", "getFundedLoans", { path: { depositAccountId: entityKey(deposit) }, connector: conn });
  return listAnswer(answer, "loan accounts", "MambuDeposit.getFundedLoans").map((raw) => MambuLoan.fromWire(raw, conn, { detailsLevel: "BASIC" }));
}

/** `deposit.getFundedSchedule(loan)`: `GET /deposits/{id}/funding/{loanAccountId}/schedule`. */
export async function depositFundedSchedule(deposit: MambuDeposit, loan: EntityRef): Promise<MambuInstallment[]> {
  const label = "MambuDeposit.getFundedSchedule";
  const loanKey = refKey(loan, "loan", label);
  const answer = await callOperation("deposits", "getScheduleForFundedAccount", {
    path: { depositAccountId: entityKey(deposit), loanAccountId: loanKey }, connector: connectorOf(deposit),
  });
  const installments = isRecord(answer) ? answer.installments : undefined;
  if (!Array.isArray(installments) || !installments.every(isRecord)) throw new MambuError(`malformed schedule from Mambu to ${label}: no installments list`);
  return installments.map((raw) => structFromWire<MambuInstallment>(MambuInstallment, raw, deposit));
}

/** The text of a rendered document template (Mambu sends it as a JSON string). */
function documentText(answer: unknown, label: string): string {
  if (typeof answer === "string") return answer;
  if (answer === undefined) return "";
  throw new MambuError(`malformed response from Mambu to ${label}: expected the document's text`);
}

/** `deposit.getDocument(templateId, opts)`: `GET /deposits/{id}/templates/{templateId}`. */
export async function depositDocument(deposit: MambuDeposit, templateId: string, opts?: DepositDocumentOptions): Promise<string> {
  const label = "MambuDeposit.getDocument";
  nonEmpty(templateId, "templateId", label);
  checkOptionKeys(label, opts, ["startDate", "endDate"]);
  const query: Bag = {};
  for (const k of ["startDate", "endDate"] as const) {
    const v = opts?.[k];
    if (v !== undefined) query[k] = toWireDate(v, `${label}.${k}`, offsetSourceOf(deposit));
  }
  const answer = await callOperation("deposits", "getDepositAccountDocument", {
    path: { depositAccountId: entityKey(deposit), templateId }, query, connector: connectorOf(deposit),
  });
  return documentText(answer, label);
}

/** `transaction.getDocument(templateId)`: `GET /deposits/transactions/{id}/templates/{templateId}`. */
export async function depositTransactionDocument(tx: MambuDepositTransaction, templateId: string): Promise<string> {
  nonEmpty(templateId, "templateId", "MambuDepositTransaction.getDocument");
  const answer = await callOperation("deposits_transactions", "getDepositTransactionDocument", {
    path: { depositTransactionId: entityKey(tx), templateId }, connector: connectorOf(tx),
  });
  return documentText(answer, "MambuDepositTransaction.getDocument");
}

/** `MambuDeposit.bulkDeposit(transactions, opts)`: `POST /deposits/deposit-transactions:bulk` (answered 202 with a `Location`). */
export async function bulkDeposit(depositClass: EntityClass, transactions: readonly BulkDepositInput[], opts?: BulkDepositOptions): Promise<BulkDepositResult> {
  const label = "MambuDeposit.bulkDeposit";
  checkOptionKeys(label, opts, ["connector", "idempotencyKey"]);
  if (!Array.isArray(transactions) || transactions.length === 0) throw new MambuTsError(`${label}: give a non-empty list of deposits`);
  if (transactions.length > MAX_BULK_DEPOSITS) throw new MambuTsError(`${label}: at most ${MAX_BULK_DEPOSITS} deposits in one bulk, got ${transactions.length}`);
  const conn = connectorOf(undefined, opts?.connector);
  const owner = new depositClass();
  owner[CONN] = conn;
  const items = transactions.map((t, i) => {
    const where = `${label}[${i}]`;
    if (!isRecord(t)) throw new MambuTsError(`${where}: expected an object`);
    const account = t.accountId as unknown;
    const accountId = account instanceof MambuEntity ? (account as unknown as Bag).id : account;
    return buildBody(owner, "deposits_transactions", "DepositTransactionBulkableInputDTO", { ...t, accountId: nonEmpty(accountId, "accountId", where) }, where);
  });
  const body = { transactions: items };
  const problems = validateAgainst("deposits_transactions", { type: "object", ref: "BulkDepositTransactionsInput" }, JSON.parse(stringifyExact(body)), { path: label });
  if (problems.length) throw new MambuTsError(problems.join("; "));
  const { res } = await requestJson(conn, {
    method: "POST", path: "/deposits/deposit-transactions:bulk", bodyText: stringifyExact(body), idempotencyKey: opts?.idempotencyKey,
  });
  const location = res.headers.location;
  const key = typeof location === "string" ? location.replace(/[?#].*$/, "").split("/").filter(Boolean).pop() : undefined;
  if (typeof location !== "string" || !key) throw new MambuError(`malformed response from Mambu to ${label}: no Location header naming the bulk process`, { status: res.status });
  return { bulkProcessKey: decodeURIComponent(key), location };
}

/** `MambuDeposit.getBulkStatus(key)`: `GET /bulks/{bulkProcessKey}` (core's `getBulkStatus`). */
export function bulkStatus(key: string, opts?: BulkStatusOptions): Promise<BulkProcessStatus> {
  return bulkStatusAs("MambuDeposit.getBulkStatus", key, opts);
}

/** `MambuDeposit.waitForBulk(key, opts)`: reads `GET /bulks/{key}` until Mambu is done with the bulk (core's `waitForBulk`). */
export function waitForBulk(key: string, opts: WaitForBulkOptions = {}): Promise<BulkProcessStatus> {
  return waitForBulkAs("MambuDeposit.waitForBulk", key, opts);
}
