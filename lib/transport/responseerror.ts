/** Reading Mambu's error responses into the parts of a `MambuError`. */
import { MambuError, MambuErrorEntry } from "../errors";

/** Longest body excerpt kept on an error. */
export const EXCERPT_LENGTH = 500;

/** What an error response says: the message and the fields of a `MambuError`. */
export interface ResponseFailure {
  message: string;
  status: number;
  errors: MambuErrorEntry[];
  bodyExcerpt?: string;
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
  return { message: `HTTP ${status} from Mambu (no error entries)`, status, errors: [], bodyExcerpt: excerpt(text) };
}
