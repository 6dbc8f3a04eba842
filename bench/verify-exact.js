"use strict";
/**
 * Checks that the optimised hot paths give exactly what the code they replaced gave:
 * - the exact JSON parser (dist/core/json) against the reference one (bench/lib/reference-json.js) —
 *   RawNumber exactly where the reference made one, with the same text — on the benchmark's loans
 *   and on random documents full of traps (numbers inside strings, escaped quotes and backslashes,
 *   exponents, long integers, `1.50`, whitespace, escaped and repeated keys);
 * - the wire date and date-time parsers (dist/core/coerce) against luxon's `DateTime.fromISO` as
 *   they used it (same instant, zone, offset, calendar fields, locale, validity), on valid and
 *   invalid dates, leap days, odd offsets and other ISO forms.
 *
 * Usage: npm run build && node bench/verify-exact.js [--docs 20000]
 */
const path = require("node:path");
const { ROOT } = require("./lib/common");
const { loanPages } = require("./lib/gen-loans");
const { referenceParseJsonExact } = require("./lib/reference-json");
const DIST = process.env.MAMBU_TS_DIST ? path.resolve(process.env.MAMBU_TS_DIST) : path.join(ROOT, "dist");
const { parseJsonExact, RawNumber } = require(path.join(DIST, "core", "json"));
const { parseWireDate, parseWireDateTime } = require(path.join(DIST, "core", "coerce"));
const { DateTime } = require(path.join(ROOT, "node_modules", "luxon"));

/**
 * The parsers as they were before the fast path (lib/core/coerce.ts at 7dffa88) — except that a
 * date-time without an offset, given no tenant offset, now stays the text it was (it was placed in
 * the machine's zone).
 */
function referenceDateTime(s) {
  const dt = DateTime.fromISO(s, { setZone: true });
  if (!dt.isValid) return s;
  const naive = DateTime.fromISO(s, { zone: "UTC+1", setZone: true }).offset !== DateTime.fromISO(s, { zone: "UTC+2", setZone: true }).offset;
  return naive ? s : dt;
}
function referenceDate(s) {
  const dt = DateTime.fromISO(s.length > 10 ? s.slice(0, 10) : s, { zone: "UTC" });
  return dt.isValid ? dt : s;
}

/** Everything observable about a DateTime (and its private calendar fields and locale settings). */
function describeDateTime(v) {
  if (!DateTime.isDateTime(v)) return JSON.stringify(v);
  const l = v.loc;
  return JSON.stringify([
    v.ts, v.isValid, v.invalidReason, v.zone.type, v.zone.name, v.zone.isUniversal, v.offset, v.o, v.c, v.toISO(), v.toString(),
    l.locale, l.numberingSystem, l.outputCalendar, l.weekSettings, l.specifiedLocale, l.intl, v.weekData, v.localWeekData,
  ]);
}

function checkDates(rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  const samples = [
    "2024-02-29T10:00:00+02:00", "2023-02-29T10:00:00+02:00", "2100-02-29", "2000-02-29", "1999-12-31T23:59:59Z",
    "2026-01-15T24:00:00+02:00", "2026-01-15T10:00:00-00:00", "2026-01-15T10:00:00+00:00", "2026-01-15t10:00:00z",
    "2026-01-15T10:00:00.123+02:00", "2026-01-15T10:00+02:00", "2026-01-15T10:00:00+0200", "2026-01-15T10:00:00+02",
    "2026-01-15", "2026-01-15T10:00:00", "0999-01-01T00:00:00Z", "0050-06-01", "9999-12-31T23:59:59+14:00",
    "2026-13-01", "2026-00-10", "2026-04-31", "abcd-ef-gh", "", "2026-1-5", "+002026-01-15", "2026-01-15T10:00:00+99:99",
    "2026-01-15T10:00:60+02:00", "2026-01-15T10:60:00+02:00", "2026-01-15 10:00:00+02:00", "2026-W03-4", "2026-015",
  ];
  for (let k = 0; k < 30000; k++) {
    const y = pick([1000, 1600, 1900, 1970, 1999, 2000, 2024, 2026, 2100, 2400, 9999]) + (rand() < 0.5 ? 0 : Math.floor(rand() * 3));
    const mo = 1 + Math.floor(rand() * 13);
    const d = 1 + Math.floor(rand() * 31);
    const h = Math.floor(rand() * 25);
    const mi = Math.floor(rand() * 61);
    const se = Math.floor(rand() * 61);
    const off = pick(["Z", "+00:00", "-00:00", "+02:00", "-05:30", "+05:45", "+14:00", "-12:00", "+23:59", "+24:00", "-03:07"]);
    const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
    samples.push(`${date}T${pad(h)}:${pad(mi)}:${pad(se)}${off}`, date);
  }
  let n = 0;
  for (const s of samples) {
    for (const [name, cur, ref] of [["date-time", parseWireDateTime, referenceDateTime], ["date", parseWireDate, referenceDate]]) {
      const a = describeDateTime(cur(s));
      const b = describeDateTime(ref(s));
      if (a !== b) throw new Error(`${name} ${JSON.stringify(s)}:\n  now ${a}\n  was ${b}`);
      n++;
    }
  }
  return n;
}

const REF_RAW = Symbol("ref raw");
const refRaw = (text) => ({ [REF_RAW]: text });

function same(a, b, where) {
  if (b !== null && typeof b === "object" && REF_RAW in b) {
    if (!(a instanceof RawNumber) || a.text !== b[REF_RAW]) throw new Error(`${where}: expected RawNumber(${b[REF_RAW]}), got ${String(a)}`);
    return;
  }
  if (a instanceof RawNumber) throw new Error(`${where}: unexpected RawNumber(${a.text}), reference has ${JSON.stringify(b)}`);
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) throw new Error(`${where}: array mismatch`);
    b.forEach((x, i) => same(a[i], x, `${where}[${i}]`));
    return;
  }
  if (b !== null && typeof b === "object") {
    if (a === null || typeof a !== "object" || Array.isArray(a)) throw new Error(`${where}: object mismatch`);
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join("\u0000") !== kb.join("\u0000")) throw new Error(`${where}: keys ${ka} vs ${kb}`);
    for (const k of kb) same(Object.getOwnPropertyDescriptor(a, k).value, Object.getOwnPropertyDescriptor(b, k).value, `${where}.${k}`);
    return;
  }
  if (!Object.is(a, b)) throw new Error(`${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  "0", "-0", "1", "-1", "1.5", "1.50", "-1.50", "0.0", "0.00", "100", "100.0", "1e5", "1E-5", "-2.5e+10", "0.000123",
  "12345678901234567", "123456789012345", "1234567890123456", "-12345678901234567.89", "0.10000000000000001",
  "9007199254740993", "3.14159", "10", "2500.10", "0.0000000000000001", "1.0e0",
];
const STRINGS = [
  "", "plain", "1.50", "x: 1.50,", '"quoted" 1.50', "back\\slash", "end with backslash\\", "tab\tand\nnewline",
  "\u0001\u0002mambu-ts-num:1.50", "[1.50, 2.00]", "{\"a\": 1.50}", "ünïcödé €", "\\\"", "a\\", ":1.50",
];

function randomDoc(rand, depth = 0) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const ws = () => (rand() < 0.2 ? pick([" ", "\n", "\t", "  ", "\r\n "]) : "");
  const r = rand();
  if (depth > 4 || r < 0.35) {
    const s = rand();
    if (s < 0.5) return pick(NUMBERS);
    if (s < 0.85) return JSON.stringify(pick(STRINGS));
    return pick(["true", "false", "null"]);
  }
  if (r < 0.65) {
    const n = Math.floor(rand() * 5);
    const items = [];
    for (let i = 0; i < n; i++) items.push(ws() + randomDoc(rand, depth + 1) + ws());
    return `[${items.join(",")}]`;
  }
  const n = Math.floor(rand() * 6);
  const items = [];
  for (let i = 0; i < n; i++) {
    const key = rand() < 0.1 ? pick(["a\\u0062", "q\\\"k", "b\\\\", "__proto__", "1.50"]) : JSON.stringify(`k${Math.floor(rand() * 8)}_${i}`).slice(1, -1);
    items.push(`${ws()}"${key}"${ws()}:${ws()}${randomDoc(rand, depth + 1)}${ws()}`);
  }
  return `{${items.join(",")}}`;
}

function main() {
  const i = process.argv.indexOf("--docs");
  const docs = i > 0 ? Number(process.argv[i + 1]) : 20000;
  const { pages } = loanPages(5000, 1000);
  for (const [n, p] of pages.entries()) same(parseJsonExact(p), referenceParseJsonExact(p, refRaw), `loans page ${n}`);
  const rand = prng(7);
  let withRaw = 0;
  for (let d = 0; d < docs; d++) {
    const text = randomDoc(rand);
    let ref;
    try {
      ref = referenceParseJsonExact(text, refRaw);
    } catch {
      let threw = false;
      try {
        parseJsonExact(text);
      } catch {
        threw = true;
      }
      if (!threw) throw new Error(`doc ${d}: the reference rejects it, the current parser accepts it: ${text}`);
      continue;
    }
    if (text.includes("mambu-ts-num") ) continue; // the reference revived genuine strings that looked like its sentinel
    try {
      same(parseJsonExact(text), ref, "$");
    } catch (e) {
      throw new Error(`doc ${d}: ${e.message}\n${text}`);
    }
    if (/\d\.\d*0\b|e/i.test(text)) withRaw++;
  }
  const dates = checkDates(rand);
  process.stdout.write(
    `verify-exact: ${pages.length} pages of loans and ${docs} random documents (${withRaw} with unsafe numbers): identical; ` +
      `${dates} date and date-time parses: identical\n`,
  );
}

main();
