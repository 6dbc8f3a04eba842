/**
 * Reading a JSON request body safely: the bytes must be valid UTF-8 (not silently replaced), arrays and objects
 * may nest at most `maxDepth` levels (checked before parsing, so that no later recursive walk can overflow the
 * stack), the text must be JSON, and no object may have a `"__proto__"` key. Each failure is Mambu's 400.
 */
import { invalidParameters, mambuError } from "./errors";
import { MAX_JSON_DEPTH } from "./limits";
import { findProtoKey } from "./safe-keys";
import type { SandboxError } from "./types";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 strictly; throws 400 INVALID_JSON_SYNTAX (or the given error) on an invalid byte sequence. */
export function decodeUtf8(bytes: Buffer, what = "request body", error?: (msg: string) => SandboxError): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const msg = `${what} is not valid UTF-8`;
    throw error ? error(msg) : mambuError("INVALID_JSON_SYNTAX", msg, 400);
  }
}

/** The deepest nesting of arrays/objects in JSON text (strings skipped), stopping as soon as it passes `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

/** The deepest nesting of arrays/objects in a parsed value (iterative), stopping as soon as it passes `limit`. */
export function valueDepth(value: unknown, limit = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (d + 1 > max) {
      max = d + 1;
      if (max > limit) return max;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

/**
 * Parses a JSON body: undefined for an empty (or blank) body, else the value. Throws 400 INVALID_JSON_SYNTAX for
 * invalid UTF-8, nesting deeper than `maxDepth` or text that is not JSON, and 400 INVALID_PARAMETERS for a
 * `"__proto__"` key.
 */
export function parseJsonBody(bytes: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  if (!bytes.length) return undefined;
  const text = decodeUtf8(bytes);
  if (text.trim() === "") return undefined;
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw mambuError("INVALID_JSON_SYNTAX", `JSON nested deeper than ${maxDepth} levels`, 400);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw mambuError("INVALID_JSON_SYNTAX", (e as Error).message, 400);
  }
  const proto = findProtoKey(value);
  if (proto) throw invalidParameters(`${proto}: "__proto__" is not allowed as a field name`);
  return value;
}
