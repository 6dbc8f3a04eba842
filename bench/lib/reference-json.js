"use strict";
/**
 * The exact JSON parser of mambu-ts before the benchmark's optimisations (lib/core/json.ts at
 * 7dffa88), kept as the reference that bench/verify-exact.js compares the current one against.
 * Returns the same shapes, with `{ raw: text }` marking numbers kept as source text.
 *
 * Since then the set of numbers kept as text grew (a double does not give back `-0`, integers of 22+
 * digits nor fractions below 1e-6 as written), and a document that is just such a number is kept as
 * text too; the reference follows (the marked lines).
 */
const SENTINEL = "\u0001\u0002mambu-ts-num:";
const SENTINEL_ESCAPED = "\\u0001\\u0002mambu-ts-num:";
const UNSAFE_NUMBER = /[:[,]\s*-?\d[\d.]{15,}|[:[,]\s*-?\d+\.\d*0(?=[\s,\]}])|[:[,]\s*-?\d+(?:\.\d+)?[eE]|[:[,]\s*-0(?=[\s,\]}])|[:[,]\s*-?0\.0{6}/; // (the last two: since)
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function isUnsafeNumberText(t) {
  if (/[eE]/.test(t)) return true;
  const digits = t.replace(/[-.]/g, "").replace(/^0+/, "");
  if (digits.length > 15) return true;
  const dot = t.indexOf(".");
  if (dot >= 0 && t.endsWith("0")) return true;
  if (digits.length === 0) return t.startsWith("-"); // since: -0
  return (dot >= 0 ? dot : t.length) - (t.startsWith("-") ? 1 : 0) >= 22 || /^-?0\.0{6}/.test(t); // since: >= 1e21, < 1e-6
}

function referenceParseJsonExact(text, makeRaw) {
  const bare = text.trim(); // since: a document that is just a number
  if (/^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(bare)) {
    const n = JSON.parse(text);
    return isUnsafeNumberText(bare) ? makeRaw(bare) : n;
  }
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
