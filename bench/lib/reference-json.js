"use strict";
/**
 * The exact JSON parser of mambu-ts before the benchmark's optimisations (lib/core/json.ts at
 * 7dffa88), kept as the reference that bench/verify-exact.js compares the current one against.
 * Returns the same shapes, with `{ raw: text }` marking numbers kept as source text.
 */
const SENTINEL = "\u0001\u0002mambu-ts-num:";
const SENTINEL_ESCAPED = "\\u0001\\u0002mambu-ts-num:";
const UNSAFE_NUMBER = /[:[,]\s*-?\d[\d.]{15,}|[:[,]\s*-?\d+\.\d*0(?=[\s,\]}])|[:[,]\s*-?\d+(?:\.\d+)?[eE]/;
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function isUnsafeNumberText(t) {
  if (/[eE]/.test(t)) return true;
  const digits = t.replace(/[-.]/g, "").replace(/^0+/, "");
  if (digits.length > 15) return true;
  const dot = t.indexOf(".");
  return dot >= 0 && t.endsWith("0");
}

function referenceParseJsonExact(text, makeRaw) {
  const revive = (_key, value) =>
    typeof value === "string" && value.startsWith(SENTINEL) ? makeRaw(value.slice(SENTINEL.length)) : value;
  if (!UNSAFE_NUMBER.test(text)) return JSON.parse(text);
  let changed = false;
  const marked = text.replace(TOKEN, (tok) => {
    if (tok.charCodeAt(0) === 34 || !isUnsafeNumberText(tok)) return tok;
    changed = true;
    return `"${SENTINEL_ESCAPED}${tok}"`;
  });
  return changed ? JSON.parse(marked, revive) : JSON.parse(text);
}

module.exports = { referenceParseJsonExact };
