/**
 * The sandbox's state as rows of Mambu's database tables (lib/contract/backup-schema.ts), for the dump of
 * `POST /database/backup`: one function reads the store once, synchronously (no other request sees a half-read
 * state), and gives the rows of every table.
 *
 * Where the API's wire shape nests what the database keeps in its own table, the rows are unfolded: addresses
 * (of clients, groups, branches, centres), identification documents, group members and their roles, custom field
 * values (one row per field, with the group index for grouped sets; link fields in `linkedEntityKeyValue`, number
 * fields also in `amount`), disbursement details, transaction details, the loan schedule (`repayment`: the
 * installments as `GET /loans/{id}/schedule` shows them: `principalDue` is the installment's expected principal,
 * as Mambu's column). A row the wire shape has no key for gets a stable key derived from its parent's (the
 * same on every backup). Money is read from the stored JSON numbers and written exactly (database-backup-sql.ts).
 * Never dumped: passwords, API keys and secret keys (no table holds them).
 */
import { createHash } from "node:crypto";
import { BACKUP_TABLES } from "../../contract/backup-schema";
import { loadEngine } from "../engine-bridge";
import { scheduleOf } from "../engine";
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";
import type { DumpRow } from "./database-backup-sql";

type Row = Map<string, unknown>;

/** A stable 32-hex-digit key for a row the wire shape gives no key (derived from its parent's key and place). */
export function derivedRowKey(...parts: string[]): string {
  return createHash("sha256").update(`backup:${parts.join(":")}`).digest("hex").slice(0, 32);
}

function row(values: Record<string, unknown>): Row {
  const r: Row = new Map();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null) r.set(k, v);
  return r;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Rows by table name, every table of the schema present (empty when the sandbox has nothing for it). */
export type BackupRows = Map<string, DumpRow[]>;

class Rows {
  readonly byTable: BackupRows = new Map(BACKUP_TABLES.map((t) => [t.name, [] as DumpRow[]]));
  private readonly seen = new Map<string, Set<string>>();

  /** Adds a row unless a row with the same primary key is already there (first wins). */
  add(table: string, r: Row, pk = "encodedKey"): void {
    const list = this.byTable.get(table);
    if (!list) throw new Error(`no backup table ${table}`);
    const key = pk.split(",").map((c) => String(r.get(c) ?? "")).join("\u0000");
    let seen = this.seen.get(table);
    if (!seen) this.seen.set(table, (seen = new Set()));
    if (seen.has(key)) return;
    seen.add(key);
    list.push(r);
  }
}

function addresses(out: Rows, parent: WireRecord): void {
  arr(parent.addresses).forEach((a, i) => {
    const ad = obj(a);
    if (!ad) return;
    out.add("address", row({
      encodedKey: str(ad.encodedKey) ?? derivedRowKey(parent.encodedKey, "address", String(i)),
      parentKey: parent.encodedKey, city: ad.city, country: ad.country, line1: ad.line1, line2: ad.line2,
      postcode: ad.postcode, region: ad.region, indexInList: ad.indexInList ?? i,
    }));
  });
}

/** Custom field definitions by set id and field id, with their set's key and their place in it. */
interface FieldIndex {
  field(setId: string, fieldId: string): { key: string; type?: string } | undefined;
}

function fieldIndex(ctx: SandboxContext, out: Rows): FieldIndex {
  const defs = new Map<string, WireRecord>();
  for (const f of ctx.store.all("customfields")) defs.set(f.encodedKey, f);
  const bySet = new Map<string, Map<string, { key: string; type?: string }>>();
  const setOf = new Map<string, { setKey: string; index: number }>();
  ctx.store.all("customfieldsets").forEach((set, si) => {
    const display = obj(set.displaySettings);
    out.add("customfieldset", row({ encodedKey: set.encodedKey, id: set.id, name: display?.displayName ?? set.id, type: set.availableFor, indexInList: display?.position ?? si }));
    const fields = new Map<string, { key: string; type?: string }>();
    arr(set.customFields).forEach((cf, i) => {
      const ref = obj(cf);
      const key = str(ref?.encodedKey);
      const def = key ? defs.get(key) : undefined;
      const id = str(ref?.id) ?? str(def?.id);
      if (!key || !id) return;
      fields.set(id, { key, type: str(def?.type) });
      setOf.set(key, { setKey: set.encodedKey, index: i });
    });
    bySet.set(String(set.id), fields);
  });
  for (const f of defs.values()) {
    const display = obj(f.displaySettings);
    const inSet = setOf.get(f.encodedKey);
    out.add("customfield", row({
      encodedKey: f.encodedKey, name: display?.displayName ?? f.id, description: display?.description, id: f.id, type: f.availableFor,
      indexInList: inSet?.index, state: f.state, valueLength: display?.fieldSize, dataType: f.type, creationDate: f.creationDate,
      lastModifiedDate: f.lastModifiedDate, customFieldSet_encodedKey_oid: inSet?.setKey,
    }));
    arr(f.selectionOptions).forEach((so, oi) => {
      arr(obj(so)?.availableOptions).forEach((o, i) => {
        const opt = obj(o);
        if (!opt) return;
        const id = str(opt.selectionKey) ?? str(opt.selectionId) ?? String(i);
        out.add("customfieldselection", row({
          encodedKey: derivedRowKey(f.encodedKey, "selection", String(oi), id), id, value: opt.value, score: opt.score, selectionindex: i, customfieldkey: f.encodedKey,
        }));
      });
    });
  }
  return { field: (setId, fieldId) => bySet.get(setId)?.get(fieldId) };
}

const LINKS = new Set(["CLIENT_LINK", "GROUP_LINK", "USER_LINK"]);

function customValues(out: Rows, fields: FieldIndex, parent: WireRecord): void {
  for (const [setId, v] of Object.entries(parent)) {
    if (!setId.startsWith("_") || v === null || typeof v !== "object") continue;
    const groups = Array.isArray(v) ? v : [v];
    groups.forEach((g, gi) => {
      const values = obj(g);
      if (!values) return;
      for (const [fieldId, value] of Object.entries(values)) {
        if (value === undefined || value === null) continue;
        const def = fields.field(setId, fieldId);
        if (!def) continue;
        const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
        const link = def.type !== undefined && LINKS.has(def.type);
        out.add("customfieldvalue", row({
          encodedKey: derivedRowKey(parent.encodedKey, "cf", def.key, String(gi)),
          parentKey: parent.encodedKey, indexInList: Array.isArray(v) ? gi : 0, value: link ? undefined : text,
          linkedEntityKeyValue: link ? text : undefined,
          amount: def.type === "NUMBER" && /^-?\d+(\.\d+)?$/.test(text.trim()) ? text.trim() : undefined,
          customFieldSetGroupIndex: Array.isArray(v) ? gi : undefined, customFieldKey: def.key,
        }));
      }
    });
  }
}

function transactionDetails(out: Rows, tx: WireRecord): string | undefined {
  const d = obj(tx.transactionDetails);
  const channel = str(d?.transactionChannelKey);
  if (!channel) return undefined;
  const key = derivedRowKey(tx.encodedKey, "details");
  out.add("transactiondetails", row({ encodedKey: key, transactionChannelKey: channel }));
  return key;
}

const num = (v: unknown): unknown => (typeof v === "number" ? v : undefined);

function loanRows(ctx: SandboxContext, out: Rows, loan: WireRecord): void {
  const b = obj(loan.balances) ?? {};
  const interest = obj(loan.interestSettings) ?? {};
  const schedule = obj(loan.scheduleSettings) ?? {};
  const disb = obj(loan.disbursementDetails);
  let disbKey: string | undefined;
  if (disb) {
    disbKey = str(disb.encodedKey) ?? derivedRowKey(loan.encodedKey, "disbursement");
    out.add("disbursementdetails", row({ encodedKey: disbKey, expectedDisbursementDate: disb.expectedDisbursementDate, disbursementDate: disb.disbursementDate, firstRepaymentDate: disb.firstRepaymentDate }));
  }
  out.add("loanaccount", row({
    encodedKey: loan.encodedKey, id: loan.id, loanName: loan.loanName, accountState: loan.accountState, accountSubstate: loan.accountSubState,
    currencyCode: obj(loan.currency)?.code, loanAmount: num(loan.loanAmount), notes: loan.notes,
    principalBalance: b.principalBalance, principalPaid: b.principalPaid, principalDue: b.principalDue,
    interestBalance: b.interestBalance, interestPaid: b.interestPaid, interestDue: b.interestDue, interestRate: num(interest.interestRate),
    interestCalculationMethod: interest.interestCalculationMethod, interestBalanceCalculationMethod: interest.interestBalanceCalculationMethod,
    repaymentInstallments: schedule.repaymentInstallments, repaymentPeriodUnit: schedule.repaymentPeriodUnit, repaymentPeriodCount: schedule.repaymentPeriodCount,
    accountHolderType: loan.accountHolderType,
    feesBalance: b.feesBalance, feesPaid: b.feesPaid, feesDue: b.feesDue, penaltyBalance: b.penaltyBalance, penaltyPaid: b.penaltyPaid, penaltyDue: b.penaltyDue,
    creationDate: loan.creationDate, lastModifiedDate: loan.lastModifiedDate, approvedDate: loan.approvedDate, closedDate: loan.closedDate,
    rescheduledAccountKey: loan.rescheduledAccountKey, lastSetToArrearsDate: loan.lastSetToArrearsDate,
    productTypeKey: loan.productTypeKey, disbursementDetailsKey: disbKey, assignedBranchKey: loan.assignedBranchKey,
    assignedCentreKey: loan.assignedCentreKey, assignedUserKey: loan.assignedUserKey, accountHolderKey: loan.accountHolderKey,
  }));
  let installments: Array<Record<string, unknown>> = [];
  try {
    installments = scheduleOf(ctx, loan).installments;
  } catch {
    installments = []; // a loan whose terms give no schedule (e.g. a revolving credit without one) has no repayments
  }
  for (const inst of installments) {
    const amount = (element: string, part: string): unknown => obj(obj(inst[element])?.amount)?.[part];
    out.add("repayment", row({
      encodedKey: str(inst.encodedKey) ?? derivedRowKey(loan.encodedKey, "installment", String(inst.number)),
      dueDate: inst.dueDate,
      principalDue: amount("principal", "expected"), principalPaid: amount("principal", "paid"),
      interestDue: amount("interest", "expected"), interestPaid: amount("interest", "paid"),
      feesDue: amount("fee", "expected"), feesPaid: amount("fee", "paid"),
      penaltyDue: amount("penalty", "expected"), penaltyPaid: amount("penalty", "paid"),
      repaidDate: inst.repaidDate, lastPaidDate: inst.lastPaidDate, state: inst.state, parentAccountKey: loan.encodedKey,
    }));
  }
}

/**
 * Every table's rows for the sandbox's current state. Refreshes the loans' arrears first (as any `/loans`
 * request does) so balances are today's. Synchronous: the state read is one instant's.
 */
export function backupRows(ctx: SandboxContext): BackupRows {
  loadEngine()?.refreshArrears(ctx);
  const out = new Rows();
  const store = ctx.store;
  const fields = fieldIndex(ctx, out);
  for (const b of store.all("branches")) {
    out.add("branch", row({ encodedKey: b.encodedKey, id: b.id, name: b.name, notes: b.notes, phoneNumber: b.phoneNumber, emailAddress: b.emailAddress, state: b.state, creationDate: b.creationDate, lastModifiedDate: b.lastModifiedDate }));
    addresses(out, b);
    customValues(out, fields, b);
  }
  for (const c of store.all("centres")) {
    out.add("centre", row({ encodedKey: c.encodedKey, id: c.id, name: c.name, notes: c.notes, state: c.state, creationDate: c.creationDate, lastModifiedDate: c.lastModifiedDate, assignedBranchKey: c.assignedBranchKey }));
    addresses(out, c);
    customValues(out, fields, c);
  }
  for (const r of store.all("userroles")) out.add("role", row({ encodedKey: r.encodedKey, id: r.id, name: r.name }));
  for (const u of store.all("users")) {
    out.add("user", row({
      encodedKey: u.encodedKey, id: u.id, firstName: u.firstName, lastName: u.lastName, userName: u.username, homePhone: u.homePhone,
      mobilePhone1: u.mobilePhone, userState: u.userState, email: u.email, title: u.title, creationDate: u.creationDate,
      lastModifiedDate: u.lastModifiedDate, isCreditOfficer: obj(u.access)?.creditOfficerAccess === true ? 1 : 0,
      assignedBranchKey: u.assignedBranchKey, role_encodedKey_oid: obj(u.role)?.encodedKey,
    }));
    customValues(out, fields, u);
  }
  for (const g of store.all("groups")) {
    out.add("group", row({
      encodedKey: g.encodedKey, id: g.id, groupName: g.groupName, homePhone: g.homePhone, mobilePhone1: g.mobilePhone, emailAddress: g.emailAddress,
      loanCycle: g.loanCycle, creationDate: g.creationDate, lastModifiedDate: g.lastModifiedDate, notes: g.notes,
      assignedCentreKey: g.assignedCentreKey, assignedUserKey: g.assignedUserKey, assignedBranchKey: g.assignedBranchKey,
    }));
    addresses(out, g);
    customValues(out, fields, g);
  }
  for (const c of store.all("clients")) {
    out.add("client", row({
      encodedKey: c.encodedKey, id: c.id, firstName: c.firstName, middleName: c.middleName, lastName: c.lastName, homePhone: c.homePhone,
      mobilePhone1: c.mobilePhone, mobilePhone2: c.mobilePhone2, emailAddress: c.emailAddress, gender: c.gender, state: c.state,
      preferredLanguage: c.preferredLanguage, notes: c.notes, loanCycle: c.loanCycle, groupLoanCycle: c.groupLoanCycle, birthDate: c.birthDate,
      creationDate: c.creationDate, lastModifiedDate: c.lastModifiedDate, activationDate: c.activationDate, approvedDate: c.approvedDate,
      closedDate: c.closedDate, assignedBranchKey: c.assignedBranchKey, assignedCentreKey: c.assignedCentreKey, assignedUserKey: c.assignedUserKey,
    }));
    addresses(out, c);
    customValues(out, fields, c);
    arr(c.idDocuments).forEach((d, i) => {
      const doc = obj(d);
      if (!doc) return;
      out.add("identificationdocument", row({
        encodedKey: str(doc.encodedKey) ?? derivedRowKey(c.encodedKey, "iddoc", String(i)), documentId: doc.documentId, documentType: doc.documentType,
        indexInList: doc.indexInList ?? i, issuingAuthority: doc.issuingAuthority, validUntil: doc.validUntil,
        identificationDocumentTemplateKey: doc.identificationDocumentTemplateKey, clientKey: c.encodedKey,
      }));
    });
    for (const gk of arr(c.groupKeys)) if (typeof gk === "string" && store.find("groups", gk)) out.add("groupmember", row({ clientkey: c.encodedKey, groupkey: gk }), "clientkey,groupkey");
  }
  for (const g of store.all("groups")) {
    for (const m of arr(g.groupMembers)) {
      const member = obj(m);
      const clientKey = str(member?.clientKey);
      if (!clientKey) continue;
      out.add("groupmember", row({ clientkey: clientKey, groupkey: g.encodedKey }), "clientkey,groupkey");
      arr(member?.roles).forEach((r, i) => {
        const role = obj(r);
        const nameKey = str(role?.groupRoleNameKey);
        if (!role || !nameKey) return;
        out.add("grouprolename", row({ encodedKey: nameKey, name: role.roleName }));
        out.add("grouprole", row({ encodedKey: str(role.encodedKey) ?? derivedRowKey(g.encodedKey, clientKey, "role", String(i)), clientKey, groupKey: g.encodedKey, groupRoleNameKey: nameKey }));
      });
    }
  }
  for (const p of store.all("loanproducts")) {
    out.add("loanproduct", row({ encodedKey: p.encodedKey, id: p.id, productName: p.name, productType: p.type, activated: p.state === "ACTIVE" ? 1 : 0, creationDate: p.creationDate, lastModifiedDate: p.lastModifiedDate }));
  }
  for (const ch of store.all("transactionchannels")) out.add("transactionchannel", row({ encodedKey: ch.encodedKey, id: ch.id, name: ch.name }));
  for (const loan of store.all("loans")) {
    loanRows(ctx, out, loan);
    customValues(out, fields, loan);
  }
  for (const tx of store.all("loanTransactions")) {
    const a = obj(tx.affectedAmounts) ?? {};
    out.add("loantransaction", row({
      encodedKey: tx.encodedKey, transactionId: tx.id, creationDate: tx.creationDate, entryDate: tx.bookingDate ?? tx.valueDate,
      principalAmount: a.principalAmount, interestAmount: a.interestAmount, feesAmount: a.feesAmount, penaltyAmount: a.penaltyAmount,
      reversalTransactionKey: tx.adjustmentTransactionKey, amount: num(tx.amount), balance: obj(tx.accountBalances)?.totalBalance,
      type: tx.type, comment: tx.notes, parentAccountKey: tx.parentAccountKey, details_encodedkey_oid: transactionDetails(out, tx),
    }));
  }
  for (const p of store.all("depositproducts")) {
    out.add("savingsproduct", row({ encodedKey: p.encodedKey, id: p.id, productName: p.name, productType: p.type, activated: p.state === "ACTIVE" ? 1 : 0, creationDate: p.creationDate, lastModifiedDate: p.lastModifiedDate }));
  }
  for (const d of store.all("deposits")) {
    out.add("savingsaccount", row({
      encodedKey: d.encodedKey, id: d.id, name: d.name, accountState: d.accountState, accountType: d.accountType, accountHolderType: d.accountHolderType,
      currencyCode: d.currencyCode, balance: obj(d.balances)?.totalBalance, creationDate: d.creationDate, lastModifiedDate: d.lastModifiedDate,
      approvedDate: d.approvedDate, activationDate: d.activationDate, closedDate: d.closedDate, notes: d.notes, productTypeKey: d.productTypeKey,
      assignedBranchKey: d.assignedBranchKey, assignedCentreKey: d.assignedCentreKey, assignedUserKey: d.assignedUserKey, accountHolderKey: d.accountHolderKey,
    }));
    customValues(out, fields, d);
  }
  for (const tx of store.all("depositTransactions")) {
    out.add("savingstransaction", row({
      encodedKey: tx.encodedKey, transactionId: tx.id, creationDate: tx.creationDate, entryDate: tx.bookingDate ?? tx.valueDate, amount: num(tx.amount),
      balance: obj(tx.accountBalances)?.totalBalance, type: tx.type, comment: tx.notes, reversalTransactionKey: tx.adjustmentTransactionKey,
      parentAccountKey: tx.parentAccountKey, details_encodedkey_oid: transactionDetails(out, tx),
    }));
  }
  for (const t of store.all("tasks")) {
    out.add("task", row({
      encodedKey: t.encodedKey, creationDate: t.creationDate, completionDate: t.completionDate, description: t.description, dueDate: t.dueDate, id: t.id,
      lastModifiedDate: t.lastModifiedDate, status: t.status, title: t.title, taskLinkType: t.taskLinkType, assignedUserKey: t.assignedUserKey,
      createdByUserKey: t.createdByUserKey, taskLinkKey: t.taskLinkKey,
    }));
  }
  return out.byTable;
}
