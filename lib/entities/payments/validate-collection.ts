/**
 * Checks of a SEPA direct debit (a collection, `CollectionDTO`) made before any request, on top of a payment's
 * (./validate.ts): the mandate (`mandateRelatedInformation`: its id, SEPA characters, at most 35, and its date of
 * signature, a day not in the future nor after the requested collection date), the creditor's scheme identifier
 * (`creditorSchemeIdentification.identification`: a SEPA creditor identifier such as `DE98ZZZ09999999999`, its
 * ISO 7064 mod 97-10 check digits verified as the EPC's "Creditor Identifier" rules give them — or an IBAN or
 * `other` identification), and the sequence type (`paymentTypeInformation.sequenceType`: FRST, RCUR, FNAL, OOFF).
 * Failures are `MambuTsError`s naming the field and the rule; no value a person gave is repeated.
 */
import { DateTime } from "luxon";
import { MambuTsError } from "../../errors";
import { checkIban, checkSepaPayment, checkSepaText } from "./validate";

/** The sequence types of a SEPA direct debit: first, recurring, final, one-off. */
export const SEQUENCE_TYPES: readonly string[] = ["FRST", "RCUR", "FNAL", "OOFF"];

function refuse(path: string, rule: string): never {
  throw new MambuTsError(`${path}: ${rule}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** A day as sent: a luxon `DateTime` (its calendar day) or a `YYYY-MM-DD` string; anything else is refused. */
export function checkDay(path: string, value: unknown): string {
  if (DateTime.isDateTime(value)) {
    if (!value.isValid) refuse(path, "the DateTime is invalid");
    return value.toISODate()!;
  }
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid) return value;
  refuse(path, "give a luxon DateTime or a YYYY-MM-DD date");
}

/**
 * Checks a SEPA creditor identifier (CI): 2 letters of the country, 2 check digits, a 3-character creditor
 * business code (not part of the check), then the national identifier (letters and digits, at most 28); the check
 * digits are ISO 7064 mod 97-10 over the national identifier, the country and `00`, as for an IBAN.
 * @throws MambuTsError naming `path` (the value is not shown).
 */
export function checkCreditorIdentifier(path: string, value: unknown): string {
  if (typeof value !== "string" || value === "") refuse(path, "the creditor identifier is required (such as DE98ZZZ09999999999)");
  if (value.length > 35) refuse(path, `at most 35 characters (it has ${value.length})`);
  const m = /^([A-Z]{2})([0-9]{2})[A-Z0-9]{3}([A-Z0-9]{1,28})$/.exec(value);
  if (!m) refuse(path, "a SEPA creditor identifier is a country code, 2 check digits, a 3-character business code and the national identifier, in capitals without spaces (e.g. DE98ZZZ09999999999)");
  const digits = (m[3] + m[1] + m[2]).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  if (rest !== 1) refuse(path, "the creditor identifier's check digits are wrong: check it for a typo");
  return value;
}

/**
 * Checks a collection's fields (a SEPA direct debit): the payment's (IBANs, names, SEPA characters and lengths,
 * EUR) then the mandate, the creditor scheme identification and the sequence type.
 * @returns the body to send (the amount with two decimals, the signature date as `YYYY-MM-DD`).
 * @throws MambuTsError naming the first field that breaks a rule, e.g. `mandateRelatedInformation.dateOfSignature`.
 */
export function checkCollection(fields: unknown, today: DateTime = DateTime.utc()): Record<string, unknown> {
  const body = checkSepaPayment("", fields);
  const mandate = own(body, "mandateRelatedInformation");
  if (!isRecord(mandate)) refuse("mandateRelatedInformation", 'a collection needs its mandate: { mandateIdentification, dateOfSignature }');
  const mandateId = own(mandate, "mandateIdentification");
  if (typeof mandateId !== "string" || mandateId === "") refuse("mandateRelatedInformation.mandateIdentification", "the mandate's id is required (at most 35 characters)");
  checkSepaText("mandateRelatedInformation.mandateIdentification", mandateId);
  if (own(mandate, "dateOfSignature") === undefined) refuse("mandateRelatedInformation.dateOfSignature", "the day the debtor signed the mandate is required");
  const signed = checkDay("mandateRelatedInformation.dateOfSignature", own(mandate, "dateOfSignature"));
  if (signed > today.toISODate()!) refuse("mandateRelatedInformation.dateOfSignature", "a mandate cannot be signed in the future");
  const execution = own(body, "requestedExecutionDate");
  let executionDay: string | undefined;
  if (execution !== undefined) {
    executionDay = checkDay("requestedExecutionDate", execution);
    if (signed > executionDay) refuse("mandateRelatedInformation.dateOfSignature", "the mandate must be signed before the requested collection date");
  }
  const amendment = own(mandate, "amendmentInformationDetails");
  if (isRecord(amendment) && own(amendment, "originalMandateIdentification") !== undefined) {
    checkSepaText("mandateRelatedInformation.amendmentInformationDetails.originalMandateIdentification", own(amendment, "originalMandateIdentification"), 35);
  }

  const scheme = own(body, "creditorSchemeIdentification");
  const schemeId = isRecord(scheme) ? own(scheme, "identification") : undefined;
  if (!isRecord(schemeId)) refuse("creditorSchemeIdentification.identification", 'the creditor identifier is required: { privateIdentification: "DE98ZZZ09999999999" }');
  const ci = own(schemeId, "privateIdentification");
  const iban = own(schemeId, "iban");
  if (ci !== undefined) checkCreditorIdentifier("creditorSchemeIdentification.identification.privateIdentification", ci);
  if (iban !== undefined) checkIban("creditorSchemeIdentification.identification.iban", iban);
  if (ci === undefined && iban === undefined && own(schemeId, "other") === undefined) {
    refuse("creditorSchemeIdentification.identification", "give privateIdentification (the SEPA creditor identifier), iban or other");
  }

  const pti = own(body, "paymentTypeInformation");
  const sequence = isRecord(pti) ? own(pti, "sequenceType") : undefined;
  if (typeof sequence !== "string" || !SEQUENCE_TYPES.includes(sequence)) {
    refuse("paymentTypeInformation.sequenceType", "give FRST (first of a series), RCUR (recurring), FNAL (last) or OOFF (one-off)");
  }
  return {
    ...body,
    mandateRelatedInformation: { ...mandate, dateOfSignature: signed },
    ...(executionDay === undefined ? {} : { requestedExecutionDate: executionDay }),
  };
}
