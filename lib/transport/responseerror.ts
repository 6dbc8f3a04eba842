/** Reading Mambu's error responses into the parts of a `MambuError`. */
import { MambuError, MambuErrorEntry, TppMessage } from "../errors";

/** Longest body excerpt kept on an error. */
export const EXCERPT_LENGTH = 500;

/** What an error response says: the message and the fields of a `MambuError`. */
export interface ResponseFailure {
  message: string;
  status: number;
  errors: MambuErrorEntry[];
  /** The Payments API's messages (`{ tppMessages: [...] }`), when the body is one of its error answers. */
  tppMessages?: TppMessage[];
  bodyExcerpt?: string;
}

/** Most TPP messages kept from one Payments API error answer (the rest are left out). */
export const MAX_TPP_MESSAGES = 100;
/** Longest text kept of each field (category, code, path, text) of a TPP message. */
export const MAX_TPP_FIELD = 2000;
/** Longest message built from a TPP message. */
const MAX_TPP_MESSAGE = 300;

const cut = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** A field of a TPP message as a bounded string (a number or boolean written out); undefined when absent or not a scalar. */
function tppField(e: Record<string, unknown>, k: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(e, k)) return undefined;
  const v = e[k];
  if (typeof v === "string") return cut(v, MAX_TPP_FIELD);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/**
 * The TPP messages of a Payments API error answer: the object entries of `tppMessages` (at most
 * {@link MAX_TPP_MESSAGES}), each with category, code, path and text (strings of at most {@link MAX_TPP_FIELD}
 * characters; nothing else kept). Undefined when `tppMessages` is not an array with an object entry.
 */
function readTppMessages(list: unknown): TppMessage[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: TppMessage[] = [];
  for (const e of list.slice(0, MAX_TPP_MESSAGES)) {
    if (!e || typeof e !== "object" || Array.isArray(e)) continue;
    const r = e as Record<string, unknown>;
    const m: TppMessage = { category: tppField(r, "category") ?? "", code: tppField(r, "code") ?? "" };
    const path = tppField(r, "path");
    const text = tppField(r, "text");
    if (path !== undefined) m.path = path;
    if (text !== undefined) m.text = text;
    out.push(m);
  }
  return out.length ? out : undefined;
}

/** `FORMAT_ERROR (400) - the IBAN is not valid (creditorAccount.iban)`, at most 300 characters. */
function tppMessageText(status: number, first: TppMessage): string {
  let msg = `${first.code || "?"} (${status})`;
  if (first.text) msg += ` - ${first.text}`;
  if (first.path) msg += ` (${first.path})`;
  return cut(msg, MAX_TPP_MESSAGE);
}

/** At most 500 characters of an (already redacted) body, ending with `…` when cut. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH - 1)}…`;
}

/**
 * Reads an error response (status ≥ 400). With a Mambu error body (`{"errors":[...]}`) the message
 * is MambuPy's `301 (404) - INVALID_CLIENT_ID`; otherwise `HTTP 502 from Mambu (non-JSON body)` (or
 * `empty body`, `no error entries`) and an excerpt of the body.
 * @param text the response body, already redacted.
 */
export function readFailure(status: number, text: string): ResponseFailure {
  if (text.trim() === "") return { message: `HTTP ${status} from Mambu (empty body)`, status, errors: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { message: `HTTP ${status} from Mambu (non-JSON body)`, status, errors: [], bodyExcerpt: excerpt(text) };
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => e && typeof e === "object")) {
    const entries = errors as MambuErrorEntry[];
    return { message: MambuError.formatMessage(status, entries[0]), status, errors: entries };
  }
  // The Payments API's error answer: { "tppMessages": [{ "category", "code", "path"?, "text"? }] }.
  const list = (parsed as { tppMessages?: unknown } | null)?.tppMessages;
  const tpp = readTppMessages(list);
  if (tpp) {
    const total = (list as unknown[]).length; // every entry the answer holds, also those left out
    const more = total > 1 ? ` (+${total - 1} more)` : "";
    return { message: `${tppMessageText(status, tpp[0])}${more}`, status, errors: [], tppMessages: tpp };
  }
  return { message: `HTTP ${status} from Mambu (no error entries)`, status, errors: [], bodyExcerpt: excerpt(text) };
}
