/**
 * IBAN checks of the gateway (ISO 13616): two letters, two check digits, up to 30 letters or digits, 15..34
 * characters in all, and the mod-97 check. The sandbox keeps its own small check (it imports no ORM code).
 */

/** An IBAN without spaces, upper case. */
export function normaliseIban(iban: string): string {
  return iban.replace(/\s+/g, "").toUpperCase();
}

/** Whether a string is a valid IBAN (format, length 15..34, mod-97 = 1). */
export function isValidIban(value: string): boolean {
  const iban = normaliseIban(value);
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}
