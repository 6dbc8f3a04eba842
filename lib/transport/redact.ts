/** Defence in depth: removing credentials from any text before it reaches a message or a log line. */

/** What replaces a secret. */
export const REDACTED = "****";

/** Secrets shorter than this are not searched for (they would garble every message). */
export const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret in `text` by `****`, also in its URL-encoded and
 * JSON-escaped forms. Longer secrets are replaced first (so a password inside a Basic token does not
 * leave the rest of the token visible). Secrets shorter than 4 characters, empty or undefined are
 * ignored.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  let out = String(text);
  // the usual case: no form occurs in the text, which every replacement below would then leave as it is
  let present = false;
  for (const form of forms) if (form.length >= MIN_SECRET_LENGTH && out.includes(form)) present = true;
  if (!present) return out;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form.length >= MIN_SECRET_LENGTH) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** `redact` applied to every string inside a JSON-like value (objects and arrays are copied). */
export function redactDeep<T>(value: T, secrets: ReadonlyArray<string | undefined | null>): T {
  if (typeof value === "string") return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k, secrets)] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}
