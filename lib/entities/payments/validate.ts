/**
 * Checks of a SEPA payment's fields made before any request is sent, so that a mistyped IBAN, a name the clearing
 * would refuse or an amount in another currency never leaves the library:
 *
 * - IBAN: ISO 13616 mod-97 check digits and the length and format of its country's BBAN (`ibantools`), in the
 *   electronic format (capitals, no spaces);
 * - BIC: ISO 9362, 8 or 11 characters (`ibantools`);
 * - text: the EPC basic Latin character set every SEPA participant must accept — `a-z A-Z 0-9 / - ? : ( ) . , ' +`
 *   and the space (the "Character set" section of the EPC's SEPA Credit Transfer and SEPA Direct Debit
 *   customer-to-PSP implementation guidelines; a wider set is optional between banks, EPC217-08). The contract itself states no pattern (its decision
 *   D28), so the library applies the scheme's own rule;
 * - lengths: the contract's `maxLength`s (lib/contract/openapi/payments-v1.json; spec/unit/payments-validation.spec.ts
 *   checks that {@link SEPA_MAX_LENGTH} is the contract's);
 * - amounts: a `Decimal` (or a string of digits), greater than zero, in EUR with at most two decimals and at most
 *   999 999 999.99 (the SEPA schemes' limits).
 *
 * Every failure is a `MambuTsError` naming the field's path and what to fix; it never repeats a name or a text the
 * caller gave (personal data), and shows an IBAN only masked (`DE89…3000`).
 */
import { isValidBIC, validateIBAN, ValidationErrorsIBAN } from "ibantools";
import { MambuTsError } from "../../errors";
import { Decimal } from "../../core/money";

/** The EPC basic Latin character set (see the module's comment), the space included. */
const SEPA_TEXT = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

/** Largest amount of a SEPA credit transfer or direct debit (EPC rulebooks: 999 999 999.99 EUR). */
export const SEPA_MAX_AMOUNT = new Decimal("999999999.99");

/**
 * The contract's `maxLength` of each text field the library checks, by field name (the same limit wherever the
 * name appears in the Payments API's schemas).
 */
export const SEPA_MAX_LENGTH: Readonly<Record<string, number>> = Object.freeze({
  creditorName: 70,
  debtorName: 70,
  ultimateCreditor: 70,
  ultimateDebtor: 70,
  remittanceInformationUnstructured: 140,
  endToEndIdentification: 35,
  transactionIdentification: 35,
  reference: 35,
  referenceIssuer: 35,
  referenceType: 35,
  mandateIdentification: 35,
  privateIdentification: 35,
  issuer: 35,
  proprietary: 35,
});

/** Throws the `MambuTsError` of a field: its path and the rule (never the value). */
function refuse(path: string, rule: string): never {
  throw new MambuTsError(`${path}: ${rule}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An IBAN masked for a message: its country and check digits and its last four characters (`DE89…3000`). */
export function maskIban(iban: string): string {
  const s = iban.replace(/\s+/g, "");
  return s.length <= 8 ? "…" : `${s.slice(0, 4)}…${s.slice(-4)}`;
}

/** The field's value read as an own property only (no inherited `__proto__` tricks). */
function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * Checks an IBAN (`path` names the field in messages): a string in the electronic format whose country, length,
 * BBAN format and mod-97 check digits are right.
 * @throws MambuTsError naming `path` and the rule broken (the IBAN shown masked).
 */
export function checkIban(path: string, value: unknown): string {
  if (typeof value !== "string" || value === "") refuse(path, "an IBAN is required (a string such as DE89370400440532013000)");
  if (value.length > 34) refuse(path, `an IBAN has at most 34 characters (this one has ${value.length})`);
  if (!/^[A-Z0-9]+$/.test(value)) {
    refuse(path, `write the IBAN (${maskIban(value)}) in the electronic format: capital letters and digits, no spaces`);
  }
  const result = validateIBAN(value);
  if (result.valid) return value;
  const codes = result.errorCodes;
  if (codes.includes(ValidationErrorsIBAN.NoIBANCountry)) refuse(path, `IBAN ${maskIban(value)}: its first two letters are not a country with IBANs`);
  if (codes.includes(ValidationErrorsIBAN.WrongBBANLength)) refuse(path, `IBAN ${maskIban(value)}: wrong length for its country (${value.slice(0, 2)})`);
  if (codes.includes(ValidationErrorsIBAN.WrongBBANFormat)) refuse(path, `IBAN ${maskIban(value)}: its account part does not have its country's format`);
  refuse(path, `IBAN ${maskIban(value)}: its check digits are wrong (mod-97): check it for a typo`);
}

/**
 * Checks a BIC (ISO 9362: 4 letters of the institution, 2 of its country, 2 letters or digits of its location,
 * optionally 3 of its branch — 8 or 11 characters, capitals).
 * @throws MambuTsError naming `path` and the rule broken.
 */
export function checkBic(path: string, value: unknown): string {
  if (typeof value !== "string" || value === "") refuse(path, "a BIC is required (8 or 11 characters such as COBADEFFXXX)");
  if (value.length !== 8 && value.length !== 11) refuse(path, `a BIC has 8 or 11 characters (this one has ${value.length})`);
  if (!/^[A-Z0-9]+$/.test(value)) refuse(path, "write the BIC in capital letters and digits, no spaces");
  if (!isValidBIC(value)) refuse(path, `"${value}" is not a valid BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 (branch), in capitals`);
  return value;
}

/**
 * Checks a text field: a string of the EPC basic Latin set no longer than `max` characters (the contract's
 * `maxLength` of the field, from {@link SEPA_MAX_LENGTH} by default). The value itself is never shown.
 * @throws MambuTsError naming `path` and the rule broken.
 */
export function checkSepaText(path: string, value: unknown, max?: number): string {
  if (typeof value !== "string") refuse(path, "must be a string");
  const name = path.slice(path.lastIndexOf(".") + 1);
  const limit = max ?? SEPA_MAX_LENGTH[name];
  if (limit !== undefined && value.length > limit) refuse(path, `at most ${limit} characters (it has ${value.length}): shorten it`);
  if (!SEPA_TEXT.test(value)) {
    refuse(path, "use only the SEPA character set: a-z A-Z 0-9 / - ? : ( ) . , ' + and space (replace accented letters and other signs, e.g. é → e, & → +)");
  }
  return value;
}

/**
 * Checks a SEPA amount `{ amount, currency }`: `amount` a `Decimal` or a string of digits, greater than zero, at
 * most two decimals and at most {@link SEPA_MAX_AMOUNT}; `currency` `"EUR"` (SEPA schemes clear euros only).
 * Returns the amount to send, its digits kept (`{ amount: Decimal, currency: "EUR" }`).
 * @throws MambuTsError naming `path` and the rule broken.
 */
export function checkEurAmount(path: string, value: unknown): { amount: Decimal; currency: "EUR" } {
  if (!isRecord(value)) refuse(path, 'give the amount with its currency: { amount: new Decimal("12.50"), currency: "EUR" }');
  const currency = own(value, "currency");
  if (currency !== "EUR") refuse(`${path}.currency`, `SEPA payments are in euros: give "EUR"${typeof currency === "string" ? ` (not "${currency.slice(0, 3)}")` : ""}`);
  const raw = own(value, "amount");
  let amount: Decimal;
  if (Decimal.isDecimal(raw)) amount = raw as Decimal;
  else if (typeof raw === "string" && /^[0-9]+(\.[0-9]+)?$/.test(raw)) amount = new Decimal(raw);
  else if (typeof raw === "number") refuse(`${path}.amount`, 'give a Decimal or a string of digits ("12.50"), never a number (a double can change the digits)');
  else refuse(`${path}.amount`, 'give a Decimal or a string of digits such as "12.50"');
  if (!amount.isFinite() || amount.lte(0)) refuse(`${path}.amount`, "must be greater than zero");
  if (amount.decimalPlaces() > 2) refuse(`${path}.amount`, `EUR has two decimals: round it (${amount.toFixed()} has ${amount.decimalPlaces()})`);
  if (amount.gt(SEPA_MAX_AMOUNT)) refuse(`${path}.amount`, "a SEPA payment is at most 999999999.99 EUR");
  return { amount, currency: "EUR" };
}

/** Checks an `AccountDTO` (`{ identification: { iban } , currency? }`): the IBAN, and EUR when a currency is given. */
export function checkAccount(path: string, value: unknown): void {
  if (!isRecord(value)) refuse(path, 'give the account as { identification: { iban: "DE89..." } }');
  const id = own(value, "identification");
  if (!isRecord(id)) refuse(`${path}.identification`, 'give { iban: "DE89..." }');
  const other = own(id, "other");
  if (own(id, "iban") !== undefined || other === undefined) checkIban(`${path}.identification.iban`, own(id, "iban"));
  const currency = own(value, "currency");
  if (currency !== undefined && currency !== "EUR") refuse(`${path}.currency`, 'a SEPA account is in euros: give "EUR" or leave it out');
}

/** Checks an agent (`{ institutionIdentification: { bicfi }, account? }`). */
export function checkAgent(path: string, value: unknown): void {
  if (!isRecord(value)) refuse(path, 'give the agent as { institutionIdentification: { bicfi: "COBADEFFXXX" } }');
  const inst = own(value, "institutionIdentification");
  if (!isRecord(inst)) refuse(`${path}.institutionIdentification`, 'give { bicfi: "COBADEFFXXX" }');
  checkBic(`${path}.institutionIdentification.bicfi`, own(inst, "bicfi"));
  if (own(value, "account") !== undefined) checkAccount(`${path}.account`, own(value, "account"));
}

const TEXT_FIELDS = ["creditorName", "debtorName", "ultimateCreditor", "ultimateDebtor", "remittanceInformationUnstructured"] as const;

function checkOptionalText(path: string, obj: Record<string, unknown>, key: string): void {
  const v = own(obj, key);
  if (v !== undefined) checkSepaText(`${path}${key}`, v);
}

/**
 * Checks the fields shared by a SEPA credit transfer (`InitiationPaymentDTO`) and a standing order's payment
 * (`PaymentDTO`): both accounts' IBANs, both names (required), the optional texts, the agents' BICs, the structured
 * remittance and the payment identification, and the amount in EUR.
 * @param prefix the path of the payment in messages, with its trailing dot (`""` or `"payment."`)
 * @returns a copy of the fields to send, the amount written with the euro's two decimals (`"12.50"`, `"12.00"`:
 *   the currency's fraction digits, contract decision D25), every digit kept.
 * @throws MambuTsError naming the first field that breaks a rule.
 */
export function checkSepaPayment(prefix: string, fields: unknown): Record<string, unknown> {
  if (!isRecord(fields)) refuse(prefix === "" ? "payment" : prefix.slice(0, -1), "give the payment's fields as an object");
  checkAccount(`${prefix}debtorAccount`, own(fields, "debtorAccount"));
  checkAccount(`${prefix}creditorAccount`, own(fields, "creditorAccount"));
  for (const key of ["debtorName", "creditorName"]) {
    const v = own(fields, key);
    if (typeof v !== "string" || v.trim() === "") refuse(`${prefix}${key}`, "is required (at most 70 characters)");
  }
  for (const key of TEXT_FIELDS) checkOptionalText(prefix, fields, key);
  const amount = checkEurAmount(`${prefix}instructedAmount`, own(fields, "instructedAmount"));
  for (const key of ["debtorAgent", "creditorAgent"]) {
    if (own(fields, key) !== undefined) checkAgent(`${prefix}${key}`, own(fields, key));
  }
  const pid = own(fields, "paymentIdentification");
  if (pid !== undefined) {
    if (!isRecord(pid)) refuse(`${prefix}paymentIdentification`, "give { endToEndIdentification?, transactionIdentification? }");
    for (const key of ["endToEndIdentification", "transactionIdentification"]) checkOptionalText(`${prefix}paymentIdentification.`, pid, key);
  }
  const rem = own(fields, "remittanceInformationStructured");
  if (rem !== undefined) {
    if (!isRecord(rem)) refuse(`${prefix}remittanceInformationStructured`, "give { reference, referenceIssuer?, referenceType? }");
    if (own(rem, "reference") === undefined) refuse(`${prefix}remittanceInformationStructured.reference`, "is required (at most 35 characters)");
    for (const key of ["reference", "referenceIssuer", "referenceType"]) checkOptionalText(`${prefix}remittanceInformationStructured.`, rem, key);
  }
  for (const party of ["debtorIdentification", "creditorIdentification"]) {
    const p = own(fields, party);
    if (p === undefined) continue;
    if (!isRecord(p)) refuse(`${prefix}${party}`, "give { privateIdentification, ... }");
    for (const key of ["privateIdentification", "issuer", "proprietary"]) checkOptionalText(`${prefix}${party}.`, p, key);
  }
  return { ...fields, instructedAmount: { ...(own(fields, "instructedAmount") as Record<string, unknown>), amount: amount.amount.toFixed(2), currency: "EUR" } };
}
