/**
 * External identifications of Mambu accounts (`/accounts/.../identifications`): the IBAN (or another scheme's
 * identification) under which the Payments API finds a Mambu deposit or loan account. {@link AccountIdentification.get}
 * lists an account's, {@link AccountIdentification.map} maps one to an account, {@link AccountIdentification.mapMany}
 * maps one to several accounts, {@link AccountIdentification.search} finds the accounts of an IBAN or scheme. IBANs
 * are checked (mod-97, country length) before any request.
 */
import { MambuTsError } from "../../errors";
import type { TppMessage } from "../../errors";
import { callOperation } from "../../core/call";
import { checkOptionKeys } from "../../core/entity";
import { answerList, answerRecord, checkId, field, READ_KEYS, str, tppMessagesOf, WRITE_KEYS, type PaymentsReadOptions, type PaymentsWriteOptions } from "./common";
import { checkIban } from "./validate";

/** An identification: an IBAN, or another scheme's identification (`other`), with the account's currency. */
export interface AccountIdentificationFields {
  iban?: string;
  /** ISO 4217 code of the account's currency. */
  currency?: string;
  other?: { identification: string; scheme: string };
}

/** A Mambu account an identification maps to. */
export interface InternalAccount {
  id?: string;
  type?: "DEPOSIT" | "LOAN" | string;
  currency?: string;
}

/** The answer of a mapping: the accounts the identification now maps to, and the API's messages. */
export interface AccountMapping {
  internalAccounts: InternalAccount[];
  tppMessages: TppMessage[];
}

/** One match of {@link AccountIdentification.search}. */
export interface AccountIdentificationMatch {
  accountId: string;
  type?: string;
  currency?: string;
  identification: AccountIdentification;
}

/** What {@link AccountIdentification.search} filters on (every filter given must match, `EQUALS`). */
export interface AccountIdentificationSearch {
  iban?: string;
  /** The scheme of an `other` identification. */
  scheme?: string;
  /** The identification of an `other` identification. */
  identification?: string;
}

/** Options of {@link AccountIdentification.get}. */
export interface AccountIdentificationListOptions extends PaymentsReadOptions {
  offset?: number;
  limit?: number;
}

function checkIdentification(path: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new MambuTsError(`${path}: give { iban } or { other: { identification, scheme } }`);
  const v = value as Record<string, unknown>;
  checkOptionKeys(path, v, ["iban", "currency", "other"]);
  const out: Record<string, unknown> = {};
  if (v.iban !== undefined) out.iban = checkIban(`${path}.iban`, v.iban);
  if (v.other !== undefined) {
    const o = v.other as Record<string, unknown> | null;
    if (o === null || typeof o !== "object") throw new MambuTsError(`${path}.other: give { identification, scheme }`);
    for (const [key, max] of [["identification", 34], ["scheme", 35]] as const) {
      const s = o[key];
      if (typeof s !== "string" || s === "") throw new MambuTsError(`${path}.other.${key}: is required`);
      if (s.length > max) throw new MambuTsError(`${path}.other.${key}: at most ${max} characters (it has ${s.length})`);
    }
    out.other = { identification: o.identification, scheme: o.scheme };
  }
  if (out.iban === undefined && out.other === undefined) throw new MambuTsError(`${path}: give an iban or an other identification`);
  if (v.currency !== undefined) {
    if (typeof v.currency !== "string" || !/^[A-Z]{3}$/.test(v.currency)) throw new MambuTsError(`${path}.currency: an ISO 4217 code such as "EUR"`);
    out.currency = v.currency;
  }
  return out;
}

function mappingOf(label: string, answer: unknown): AccountMapping {
  if (answer === undefined || answer === null || answer === "") return { internalAccounts: [], tppMessages: [] };
  const a = answerRecord(label, answer);
  const list = field(a, "internalAccounts");
  const internalAccounts = Array.isArray(list)
    ? list.filter((x): x is Record<string, unknown> => x !== null && typeof x === "object").map((x) => ({ id: str(x, "id"), type: str(x, "type"), currency: str(x, "currency") }))
    : [];
  return { internalAccounts, tppMessages: tppMessagesOf(a) };
}

/** An external identification of a Mambu account: an IBAN or another scheme's identification. */
export class AccountIdentification {
  /** The IBAN, when the identification is one. */
  readonly iban?: string;
  /** The account's currency, when given. */
  readonly currency?: string;
  /** Another scheme's identification. */
  readonly other?: { identification: string; scheme: string };

  /** @internal Built from an answer. */
  constructor(answer: Record<string, unknown>) {
    this.iban = str(answer, "iban");
    this.currency = str(answer, "currency");
    const o = field(answer, "other");
    if (o !== null && typeof o === "object" && !Array.isArray(o)) {
      const r = o as Record<string, unknown>;
      this.other = { identification: str(r, "identification") ?? "", scheme: str(r, "scheme") ?? "" };
    }
  }

  /** The identifications mapped to a Mambu account (`GET /accounts/{accountId}/identifications`). */
  static async get(accountId: string, opts: AccountIdentificationListOptions = {}): Promise<AccountIdentification[]> {
    checkOptionKeys("AccountIdentification.get", opts, [...READ_KEYS, "offset", "limit"]);
    if (opts.offset !== undefined && !(Number.isInteger(opts.offset) && opts.offset >= 0)) throw new MambuTsError("AccountIdentification.get offset: an integer ≥ 0");
    if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) throw new MambuTsError("AccountIdentification.get limit: an integer ≥ 1");
    const query: Record<string, number> = {};
    if (opts.offset !== undefined) query.offset = opts.offset;
    if (opts.limit !== undefined) query.limit = opts.limit;
    const answer = await callOperation("externalAccountIdentifications", "getMapping", {
      api: "payments",
      path: { accountId: checkId("AccountIdentification.get", accountId) },
      query,
      connector: opts.connector,
      signal: opts.signal,
    });
    return answerList("AccountIdentification.get", answer).map((a) => new AccountIdentification(a));
  }

  /**
   * Maps an identification to a Mambu account (`POST /accounts/{accountId}/identifications`); the IBAN is checked
   * before sending.
   * @throws MambuTsError naming the field to fix; MambuError (`ACCOUNT_ALREADY_MAPPED_TO_THE_SPECIFIED_IDENTIFICATION`...).
   */
  static async map(accountId: string, identification: AccountIdentificationFields, opts: PaymentsWriteOptions = {}): Promise<AccountMapping> {
    checkOptionKeys("AccountIdentification.map", opts, WRITE_KEYS);
    const id = checkId("AccountIdentification.map", accountId);
    const body = { identification: checkIdentification("identification", identification) };
    const answer = await callOperation("externalAccountIdentifications", "createMapping", {
      api: "payments",
      path: { accountId: id },
      body,
      connector: opts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
    return mappingOf("AccountIdentification.map", answer);
  }

  /**
   * Maps one identification to several Mambu accounts, replacing earlier mappings (`PUT /accounts/identifications`).
   * @throws MambuTsError for an empty list, a repeated or empty id, or a bad identification, before any request.
   */
  static async mapMany(accountIds: string[], identification: AccountIdentificationFields, opts: PaymentsWriteOptions = {}): Promise<AccountMapping> {
    checkOptionKeys("AccountIdentification.mapMany", opts, WRITE_KEYS);
    if (!Array.isArray(accountIds) || accountIds.length === 0) throw new MambuTsError("accountIds: give at least one Mambu account id");
    const seen = new Set<string>();
    accountIds.forEach((a, i) => {
      if (typeof a !== "string" || a === "") throw new MambuTsError(`accountIds[${i}]: a non-empty account id`);
      if (seen.has(a)) throw new MambuTsError(`accountIds[${i}]: given twice`);
      seen.add(a);
    });
    const body = { accountIds: [...accountIds], identification: checkIdentification("identification", identification) };
    const answer = await callOperation("externalAccountIdentifications", "createMappings", {
      api: "payments",
      body,
      connector: opts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
    return mappingOf("AccountIdentification.mapMany", answer);
  }

  /**
   * The Mambu accounts of an IBAN or of another scheme's identification (`POST /accounts/identifications:search`,
   * fields `IBAN`, `SCHEME`, `IDENTIFICATION` with `EQUALS`); at least one filter is required.
   */
  static async search(filter: AccountIdentificationSearch, opts: PaymentsWriteOptions = {}): Promise<AccountIdentificationMatch[]> {
    checkOptionKeys("AccountIdentification.search", opts, WRITE_KEYS);
    checkOptionKeys("AccountIdentification.search filter", filter, ["iban", "scheme", "identification"]);
    const filterCriteria: Array<{ field: string; operator: string; value: string }> = [];
    if (filter.iban !== undefined) filterCriteria.push({ field: "IBAN", operator: "EQUALS", value: checkIban("iban", filter.iban) });
    if (filter.scheme !== undefined) filterCriteria.push({ field: "SCHEME", operator: "EQUALS", value: checkId("AccountIdentification.search scheme", filter.scheme) });
    if (filter.identification !== undefined) {
      filterCriteria.push({ field: "IDENTIFICATION", operator: "EQUALS", value: checkId("AccountIdentification.search identification", filter.identification) });
    }
    if (filterCriteria.length === 0) throw new MambuTsError("AccountIdentification.search: give iban, scheme or identification");
    const answer = await callOperation("externalAccountIdentifications", "searchAccountIdentifications", {
      api: "payments",
      body: { filterCriteria },
      connector: opts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
    return answerList("AccountIdentification.search", answer).map((m) => {
      const ident = field(m, "identification");
      return {
        accountId: str(m, "accountId") ?? "",
        type: str(m, "type"),
        currency: str(m, "currency"),
        identification: new AccountIdentification(ident !== null && typeof ident === "object" && !Array.isArray(ident) ? (ident as Record<string, unknown>) : {}),
      };
    });
  }
}
