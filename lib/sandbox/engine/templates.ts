/**
 * Documents from the products' templates: `GET /loans/{loanAccountId}/templates/{templateId}`,
 * `GET /deposits/{depositAccountId}/templates/{templateId}` and
 * `GET /deposits/transactions/{depositTransactionId}/templates/{templateId}`.
 *
 * A template is one of the account's product `templates` (`DocumentTemplate`: `encodedKey`, `name`, `type`), named by
 * its encodedKey (or an `id`, when the record has one); another id answers 404 `INVALID_TEMPLATE_ID`. Account
 * documents take ACCOUNT and ACCOUNT_WITH_TRANSACTIONS templates, transaction documents TRANSACTION templates
 * (400 `INVALID_TEMPLATE_TYPE` otherwise); ACCOUNT_WITH_TRANSACTIONS needs `startDate` and `endDate` (`YYYY-MM-DD`,
 * tenant dates) and lists the account's transactions valued in between (at most {@link MAX_ROWS}).
 *
 * The document is a small HTML page with the record's fields. The Swagger files say these operations produce
 * `application/vnd.mambu.v2+json` with a `string` schema, so the answer is the HTML as one JSON string. Every value
 * that comes from a record (names, notes, ids, the template's own name) is HTML-escaped.
 */
import { WireRecord } from "../types";
import { EngineContext } from "./context";
import { localDate, parseDateInput } from "./dates";
import { invalidParameters, mambuError } from "../errors";
import { requireLoan } from "./loan-common";
import { loanTransactions } from "./loan-ledger";
import { requireDeposit } from "./deposit-common";
import { path } from "./products";

/** Most transactions listed by an ACCOUNT_WITH_TRANSACTIONS document. */
export const MAX_ROWS = 1000;

/** A product's document template. */
interface Template {
  encodedKey?: string;
  id?: string;
  name: string;
  type: "ACCOUNT" | "TRANSACTION" | "ACCOUNT_WITH_TRANSACTIONS";
}

/** Escapes a value for HTML text and attribute content. */
export function escapeHtml(v: unknown): string {
  return String(v ?? "").replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function templateOf(product: WireRecord | undefined, templateId: string): Template {
  const list = Array.isArray(product?.templates) ? (product?.templates as unknown[]) : [];
  for (const t of list) {
    if (!t || typeof t !== "object") continue;
    const r = t as Record<string, unknown>;
    if (r.encodedKey === templateId || (typeof r.id === "string" && r.id === templateId)) {
      const type = r.type === "TRANSACTION" || r.type === "ACCOUNT_WITH_TRANSACTIONS" ? r.type : "ACCOUNT";
      return { encodedKey: r.encodedKey as string | undefined, name: typeof r.name === "string" ? r.name : "Document", type };
    }
  }
  throw mambuError("INVALID_TEMPLATE_ID", `template ${templateId} is not a template of product ${String(product?.id ?? product?.encodedKey ?? "")}`);
}

function holderName(ctx: EngineContext, account: WireRecord): string {
  const key = account.accountHolderKey;
  if (typeof key !== "string") return "";
  if (account.accountHolderType === "GROUP") return String(ctx.store.find("groups", key)?.groupName ?? key);
  const c = ctx.store.find("clients", key);
  return c ? [c.firstName, c.middleName, c.lastName].filter((x) => typeof x === "string" && x !== "").join(" ") : key;
}

function rows(pairs: Array<[string, unknown]>): string {
  return pairs
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("\n");
}

function page(ctx: EngineContext, title: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    `<p>Generated ${escapeHtml(ctx.clock.nowIso())}</p>`,
    "</body></html>",
  ].join("\n");
}

function transactionsTable(ctx: EngineContext, txs: WireRecord[], query: Record<string, string>): string {
  const from = parseDateInput(query.startDate, "startDate");
  const to = parseDateInput(query.endDate, "endDate");
  if (!from || !to) throw invalidParameters("startDate and endDate are required for a document with a transaction history");
  if (from > to) throw invalidParameters("startDate is after endDate");
  const picked = txs
    .filter((t) => {
      const d = localDate(String(t.valueDate), ctx.clock.offset);
      return d >= from && d <= to;
    })
    .sort((a, b) => (String(a.valueDate) < String(b.valueDate) ? -1 : String(a.valueDate) > String(b.valueDate) ? 1 : 0))
    .slice(0, MAX_ROWS);
  const lines = picked.map(
    (t) =>
      `<tr><td>${escapeHtml(t.id)}</td><td>${escapeHtml(t.valueDate)}</td><td>${escapeHtml(t.type)}</td><td>${escapeHtml(t.amount)}</td><td>${escapeHtml(path(t, "accountBalances", "totalBalance"))}</td><td>${escapeHtml(t.notes)}</td></tr>`,
  );
  return [
    `<h2>Transactions ${escapeHtml(from)} – ${escapeHtml(to)}</h2>`,
    "<table>",
    "<tr><th>ID</th><th>Value date</th><th>Type</th><th>Amount</th><th>Balance</th><th>Notes</th></tr>",
    ...lines,
    "</table>",
  ].join("\n");
}

/** `GET /loans/{loanAccountId}/templates/{templateId}`: the loan's document (an HTML string). */
export function loanDocument(ctx: EngineContext, loanId: string, templateId: string, query: Record<string, string>): string {
  const loan = requireLoan(ctx, loanId);
  const product = typeof loan.productTypeKey === "string" ? ctx.store.find("loanproducts", loan.productTypeKey) : undefined;
  const t = templateOf(product, templateId);
  if (t.type === "TRANSACTION") throw mambuError("INVALID_TEMPLATE_TYPE", `template ${templateId} is a TRANSACTION template`);
  const currency = String(path(loan, "currency", "code") ?? "");
  const b = (k: string) => path(loan, "balances", k);
  const fields = rows([
    ["Account", `${String(loan.loanName ?? "")} (${String(loan.id ?? "")})`],
    ["Account holder", holderName(ctx, loan)],
    ["Product", product?.name],
    ["State", loan.accountState],
    ["Currency", currency],
    ["Loan amount", loan.loanAmount],
    ["Interest rate", path(loan, "interestSettings", "interestRate")],
    ["Installments", path(loan, "scheduleSettings", "repaymentInstallments")],
    ["Disbursement date", path(loan, "disbursementDetails", "disbursementDate")],
    ["Principal balance", b("principalBalance")],
    ["Interest balance", b("interestBalance")],
    ["Fees balance", b("feesBalance")],
    ["Penalty balance", b("penaltyBalance")],
    ["Days in arrears", loan.daysInArrears],
  ]);
  let body = `<table>\n${fields}\n</table>`;
  if (t.type === "ACCOUNT_WITH_TRANSACTIONS") body += `\n${transactionsTable(ctx, loanTransactions(ctx, loan.encodedKey), query)}`;
  return page(ctx, t.name, body);
}

function depositProduct(ctx: EngineContext, dep: WireRecord): WireRecord | undefined {
  return typeof dep.productTypeKey === "string" ? ctx.store.find("depositproducts", dep.productTypeKey) : undefined;
}

function depositFields(ctx: EngineContext, dep: WireRecord, product: WireRecord | undefined): Array<[string, unknown]> {
  return [
    ["Account", `${String(dep.name ?? "")} (${String(dep.id ?? "")})`],
    ["Account holder", holderName(ctx, dep)],
    ["Product", product?.name],
    ["State", dep.accountState],
    ["Currency", dep.currencyCode],
    ["Total balance", path(dep, "balances", "totalBalance")],
    ["Available balance", path(dep, "balances", "availableBalance")],
  ];
}

/** `GET /deposits/{depositAccountId}/templates/{templateId}`: the deposit account's document (an HTML string). */
export function depositDocument(ctx: EngineContext, depositId: string, templateId: string, query: Record<string, string>): string {
  const dep = requireDeposit(ctx, depositId);
  const product = depositProduct(ctx, dep);
  const t = templateOf(product, templateId);
  if (t.type === "TRANSACTION") throw mambuError("INVALID_TEMPLATE_TYPE", `template ${templateId} is a TRANSACTION template`);
  let body = `<table>\n${rows(depositFields(ctx, dep, product))}\n</table>`;
  if (t.type === "ACCOUNT_WITH_TRANSACTIONS") {
    const txs: WireRecord[] = [];
    for (const tx of ctx.store.all("depositTransactions")) if (tx.parentAccountKey === dep.encodedKey) txs.push(tx);
    body += `\n${transactionsTable(ctx, txs, query)}`;
  }
  return page(ctx, t.name, body);
}

/** `GET /deposits/transactions/{depositTransactionId}/templates/{templateId}`: a deposit transaction's document. */
export function depositTransactionDocument(ctx: EngineContext, transactionId: string, templateId: string): string {
  const tx = transactionId ? ctx.store.find("depositTransactions", transactionId) : undefined;
  if (!tx) throw mambuError("INVALID_TRANSACTION_ID", `deposit transaction ${transactionId} not found`);
  const dep = requireDeposit(ctx, String(tx.parentAccountKey ?? ""));
  const product = depositProduct(ctx, dep);
  const t = templateOf(product, templateId);
  if (t.type !== "TRANSACTION") throw mambuError("INVALID_TEMPLATE_TYPE", `template ${templateId} is an ${t.type} template`);
  const fields = rows([
    ["Transaction", tx.id],
    ["Type", tx.type],
    ["Amount", tx.amount],
    ["Currency", path(tx, "currencyCode") ?? dep.currencyCode],
    ["Value date", tx.valueDate],
    ["Booking date", tx.bookingDate],
    ["Balance after", path(tx, "accountBalances", "totalBalance")],
    ["Notes", tx.notes],
    ...depositFields(ctx, dep, product).slice(0, 3),
  ]);
  return page(ctx, t.name, `<table>\n${fields}\n</table>`);
}
