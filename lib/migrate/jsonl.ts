/**
 * JSON lines sources: one JSON object per line, numbers kept exact, nested keys flattened
 * (`address.city`), each key's column; a line that is not JSON is located (a leading zero, a
 * thousands separator) and reported, and reading goes on.
 */
import { createReadStream } from "fs";
import { parseJsonExact, RawNumber } from "../core/json";
import { SourceError } from "./source-error";
import type { SourceLayout, SourceRow } from "./sources";

/**
 * Why a JSON line does not parse, and where (0-based): a number with a leading zero (`046`), a
 * number with thousands separators (`13,000.00`), or the parser's own message.
 */
export function describeJsonError(line: string, message: string, isPersonal?: (key: string) => boolean): { at: number; reason: string } {
  const m = /position (\d+)/.exec(message);
  // the parser's message may quote the line ('Unexpected token …, "{…" is not valid JSON'): never repeated
  const said = message.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, "").replace(/, "[\s\S]*" is not valid JSON$/, " (not valid JSON)");
  const generic = { at: m ? Number(m[1]) : 0, reason: `invalid JSON: ${said}` };
  if (!m) return generic;
  const isNum = (c: string | undefined): boolean => c !== undefined && /[0-9.eE+-]/.test(c);
  let start = Number(m[1]);
  if (!/\d/.test(line[start] ?? "")) return generic;
  while (start > 0 && isNum(line[start - 1])) start--;
  let end = Number(m[1]);
  while (end < line.length && isNum(line[end])) end++;
  const num = line.slice(start, end);
  const key = /"((?:[^"\\]|\\.)*)"\s*:\s*[-\d.,]*$/.exec(line.slice(0, start))?.[1];
  if (key !== undefined && isPersonal?.(key)) return { at: start, reason: `invalid JSON: the number of "${key}" is not written as JSON allows (quote it)` };
  if (line[start - 1] === "," && /\d/.test(line[start - 2] ?? "")) {
    let from = start - 1;
    while (from > 0 && /[\d,]/.test(line[from - 1])) from--;
    if (line[from - 1] === "-") from--;
    const text = line.slice(from, end);
    return { at: from, reason: `invalid JSON: ${text} looks like a number with a thousands separator (write ${text.replace(/,/g, "")}, or quote it)` };
  }
  if (/^-?0\d/.test(num)) {
    return { at: start, reason: `invalid JSON: the number ${num} has a leading zero (write ${num.replace(/^(-?)0+(?=\d)/, "$1")}, or quote it: "${num}")` };
  }
  return generic;
}

/** Flattens a parsed JSON object into dotted keys; scalars become their exact text. */
function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, string>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || v === undefined) out[key] = "";
    else if (v instanceof RawNumber) out[key] = v.text;
    else if (Array.isArray(v)) {
      out[key] = JSON.stringify(v);
      v.forEach((x, i) => {
        if (x !== null && typeof x === "object" && !(x instanceof RawNumber)) flatten(x as Record<string, unknown>, `${key}.${i}`, out);
        else out[`${key}.${i}`] = x === null ? "" : String(x);
      });
    } else if (typeof v === "object") {
      out[key] = JSON.stringify(v);
      flatten(v as Record<string, unknown>, key, out);
    } else out[key] = String(v);
  }
}

/** Reads the rows of a JSON lines file (see the module comment). */
export async function* readJsonLines(
  source: string,
  path: string,
  shown: string,
  onLayout?: (l: SourceLayout) => void,
  onError?: (e: SourceError) => void,
  isPersonal?: (key: string) => boolean,
): AsyncGenerator<SourceRow> {
  onLayout?.({ format: "jsonl" });
  let buf = "";
  let line = 0;
  let first = true;
  const parseLine = (text: string, n: number): SourceRow | undefined => {
    const t = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (t.trim() === "") return undefined;
    let parsed: unknown;
    const bad = (column: number, reason: string): undefined => {
      const e = new SourceError(shown, n, column, reason);
      if (!onError) throw e;
      onError(e);
      return undefined;
    };
    try {
      parsed = parseJsonExact(t);
    } catch (e) {
      const d = describeJsonError(t, (e as Error).message, isPersonal);
      return bad(d.at + 1, d.reason);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return bad(1, "each line must be a JSON object");
    const values: Record<string, string> = {};
    flatten(parsed as Record<string, unknown>, "", values);
    const columns: Record<string, number> = {};
    for (const k of Object.keys(values)) {
      const top = k.split(".")[0];
      const at = t.indexOf(JSON.stringify(top));
      columns[k] = at >= 0 ? at + 1 : 1;
    }
    return { source, file: shown, line: n, values, columns, raw: { kind: "jsonl", text: t } };
  };
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 64 * 1024 });
  for await (const chunk of stream) {
    buf += chunk as string;
    if (first) {
      first = false;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    }
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      line++;
      const row = parseLine(text, line);
      if (row) yield row;
    }
  }
  if (buf.length > 0) {
    line++;
    const row = parseLine(buf, line);
    if (row) yield row;
  }
}
