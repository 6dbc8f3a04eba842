/** Currency facts used to show money: decimals of a currency's minor unit, and a record's currency. */

/** ISO 4217 currencies whose minor unit is not 2 digits. */
const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Decimals of a currency's minor unit (2 when unknown). */
export function currencyDigits(code: unknown): number {
  return typeof code === "string" && code.toUpperCase() in CURRENCY_DIGITS ? CURRENCY_DIGITS[code.toUpperCase()] : 2;
}

/** The currency of a record, when it says (`currencyCode`, `currency.code`). */
export function currencyOf(r: unknown): string | undefined {
  if (r === null || typeof r !== "object") return undefined;
  const o = r as Record<string, unknown>;
  const code = o.currencyCode ?? (o.currency !== null && typeof o.currency === "object" ? (o.currency as Record<string, unknown>).code : undefined);
  return typeof code === "string" ? code : undefined;
}
