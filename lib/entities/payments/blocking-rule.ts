/**
 * Blocking rules of SEPA direct debits on a Mambu account (`/accounts/{accountId}/blocking-rules`): refuse every
 * collection from the account, or only those of one creditor's mandate. Only SEPA direct debits can be blocked (the
 * contract's `x-blockable`). The creditor identifier and the mandate id are checked before any request.
 */
import { MambuTsError } from "../../errors";
import { callOperation } from "../../core/call";
import { checkOptionKeys } from "../../core/entity";
import { checkId, READ_KEYS, WRITE_KEYS, type PaymentsReadOptions, type PaymentsWriteOptions } from "./common";
import { checkSepaText } from "./validate";
import { checkCreditorIdentifier } from "./validate-collection";

/** One creditor's mandate: its SEPA creditor identifier and the mandate's id. */
export interface CreditorMandate {
  /** The creditor's SEPA identifier (`DE98ZZZ09999999999`). */
  creditorIdentifier: string;
  /** The mandate's id (at most 35 characters). */
  mandateIdentification: string;
}

function mandateBody(label: string, mandate: CreditorMandate): Record<string, unknown> {
  if (mandate === null || typeof mandate !== "object") throw new MambuTsError(`${label}: give { creditorIdentifier, mandateIdentification }`);
  checkOptionKeys(label, mandate, ["creditorIdentifier", "mandateIdentification"]);
  const ci = checkCreditorIdentifier("creditorIdentifier", mandate.creditorIdentifier);
  if (typeof mandate.mandateIdentification !== "string" || mandate.mandateIdentification === "") {
    throw new MambuTsError("mandateIdentification: the mandate's id is required (at most 35 characters)");
  }
  const mandateIdentification = checkSepaText("mandateIdentification", mandate.mandateIdentification, 35);
  return {
    creditorSchemeIdentification: { identification: { privateIdentification: ci } },
    mandateRelatedInformation: { mandateIdentification },
  };
}

/** SEPA direct-debit blocking rules of a Mambu account. */
export class BlockingRule {
  private constructor() {}

  /**
   * Blocks SEPA direct debits from an account (`POST /accounts/{accountId}/blocking-rules`, product
   * `SEPA_DIRECT_DEBIT`): every one, or only those of `mandate` when given.
   * @throws MambuTsError for a bad creditor identifier or mandate id, before any request; MambuError when refused.
   */
  static async create(accountId: string, mandate?: CreditorMandate, opts: PaymentsWriteOptions = {}): Promise<void> {
    checkOptionKeys("BlockingRule.create", opts, WRITE_KEYS);
    const id = checkId("BlockingRule.create", accountId);
    const body = { product: "SEPA_DIRECT_DEBIT", ...(mandate === undefined ? {} : { creditorMandate: mandateBody("BlockingRule.create", mandate) }) };
    await callOperation("sepaDirectDebit", "createBlockingRule", {
      api: "payments",
      path: { accountId: id },
      body,
      connector: opts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
  }

  /** Removes the rule of one creditor's mandate (`DELETE /accounts/{accountId}/blocking-rules` with its body). */
  static async delete(accountId: string, mandate: CreditorMandate, opts: PaymentsReadOptions = {}): Promise<void> {
    checkOptionKeys("BlockingRule.delete", opts, READ_KEYS);
    const id = checkId("BlockingRule.delete", accountId);
    if (mandate === undefined) throw new MambuTsError("BlockingRule.delete: give the mandate; BlockingRule.deleteAll removes every rule");
    const body = { product: "SEPA_DIRECT_DEBIT", creditorMandate: mandateBody("BlockingRule.delete", mandate) };
    await callOperation("sepaDirectDebit", "deleteBlockingRules", { api: "payments", path: { accountId: id }, body, connector: opts.connector, signal: opts.signal });
  }

  /** Removes every blocking rule of the account (`DELETE /accounts/{accountId}/blocking-rules` without a body). */
  static async deleteAll(accountId: string, opts: PaymentsReadOptions = {}): Promise<void> {
    checkOptionKeys("BlockingRule.deleteAll", opts, READ_KEYS);
    const id = checkId("BlockingRule.deleteAll", accountId);
    await callOperation("sepaDirectDebit", "deleteBlockingRules", { api: "payments", path: { accountId: id }, connector: opts.connector, signal: opts.signal });
  }
}
