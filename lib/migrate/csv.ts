/**
 * CSV sources, read by csv-parse: RFC 4180 (quoted fields, `""` escapes, line breaks inside quotes),
 * CRLF, LF and lone CR record ends (mixed too), a byte order mark, any one-character delimiter —
 * streaming, in constant memory. What csv-parse does not tell, this module adds: the line each
 * record starts on, the file's line ending and BOM (failures files are written back the same way),
 * and malformed quotes as `file:line:column` {@link SourceError}s. Empty lines are skipped.
 */
import { Readable } from "stream";
import { CsvError, Options, parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { SourceError } from "./source-error";

/** One CSV record: its fields and the line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** What a CSV file looks like besides its records, known once its first line has been read. */
export interface CsvShape {
  /** Whether the file began with a byte order mark. */
  bom: boolean;
  /** The first line ending ("\r\n", "\n" or "\r"); undefined in a file of one line without one. */
  eol?: string;
}

/** csv-parse's answer per record with `info` and `raw`. */
interface ParsedRecord {
  record: string[];
  raw: string;
  info: { bytes: number };
}

function options(delimiter: string): Options {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\r" || delimiter === "\n") {
    throw new Error(`invalid CSV delimiter ${JSON.stringify(delimiter)}`);
  }
  return { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ["\r\n", "\n", "\r"], raw: true, info: true };
}

/** Whether `s[i]` starts a line break; its length ("\r\n" is one break). */
function breakAt(s: string, i: number): number {
  const c = s[i];
  if (c === "\n") return 1;
  if (c === "\r") return s[i + 1] === "\n" ? 2 : 1;
  return 0;
}

/**
 * Line numbers from csv-parse's `raw` texts: each raw text runs from the end of the record before
 * (the empty lines skipped included) to the end of its own record (of a multi-character record
 * delimiter, only its first character is in it: one break either way).
 */
class Lines {
  /** The line the next raw text starts on. */
  line = 1;

  /** The line a record starts on (after the empty lines its raw text begins with); moves past it. */
  record(raw: string): number {
    let i = 0;
    let line = this.line;
    for (let n; (n = breakAt(raw, i)); i += n) line++;
    const start = line;
    for (let n; i < raw.length; i += n || 1) if ((n = breakAt(raw, i))) line++;
    this.line = line;
    return start;
  }

  /** Line and column of the character at `at` of a raw text that starts at the current line. */
  at(raw: string, at: number): { line: number; column: number } {
    let line = this.line;
    let column = 1;
    for (let i = 0, n; i < at && i < raw.length; i += n || 1) {
      if ((n = breakAt(raw, i))) {
        line++;
        column = 1;
      } else column++;
    }
    return { line, column };
  }

  /** csv-parse's error, as a SourceError at the character it is about. */
  error(e: unknown, file: string, delimiter: string): Error {
    if (!isCsvError(e)) return e as Error;
    const raw = typeof e.raw === "string" ? e.raw : "";
    const here = (at: number, reason: string): SourceError => {
      const p = this.at(raw, at);
      return new SourceError(file, p.line, p.column, reason);
    };
    switch (e.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return here(openingQuote(raw, delimiter), "unterminated quoted field (a quote opened here is never closed)");
      case "INVALID_OPENING_QUOTE":
        return here(raw.length - 1, 'a quote inside an unquoted field (quote the whole field and double the quote: "a""b")');
      case "CSV_INVALID_CLOSING_QUOTE": {
        const got = /got "([\s\S]*)" at line/.exec(e.message)?.[1] ?? "";
        return here(raw.length, `unexpected ${JSON.stringify(got)} after the closing quote of a field`);
      }
      default:
        return here(0, e.message);
    }
  }
}

/** A csv-parse error (csv-parse/sync has its own copy of the class: told by its code). */
function isCsvError(e: unknown): e is CsvError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string" && "bytes_records" in e;
}

/**
 * The line at a byte offset of the input, for errors: csv-parse says at which byte the failing record
 * starts (`bytes_records`), while the records parsed before it may still sit in the stream's buffer.
 * Keeps the chunks not yet behind the records read (what the streams buffer), and the line count
 * up to them.
 */
class ByteLines {
  private chunks: Buffer[] = [];
  /** Byte offset of `chunks[0]`, the line there, and whether the byte before it was a \r. */
  private start = 0;
  private line = 1;
  private cr = false;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** Forgets the chunks that end at or before `offset` (the end of a record read). */
  release(offset: number): void {
    while (this.chunks.length && this.start + this.chunks[0].length <= offset) {
      const c = this.chunks.shift()!;
      [this.line, this.cr] = countLines(c, c.length, this.line, this.cr);
      this.start += c.length;
    }
  }

  lineAt(offset: number): number {
    let line = this.line;
    let cr = this.cr;
    let pos = this.start;
    for (const c of this.chunks) {
      if (pos >= offset) break;
      const n = Math.min(c.length, offset - pos);
      [line, cr] = countLines(c, n, line, cr);
      pos += n;
    }
    return line;
  }
}

/** Counts the line breaks of the first `n` bytes ("\r\n" is one, also across chunks). */
function countLines(buf: Buffer, n: number, line: number, cr: boolean): [number, boolean] {
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      if (!cr) line++;
      cr = false;
    } else {
      if (b === 0x0d) line++;
      cr = b === 0x0d;
    }
  }
  return [line, cr];
}

/** Where, in the raw text of a record, the quote that is never closed opened. */
function openingQuote(raw: string, delimiter: string): number {
  let quoting = false;
  let fieldStart = true;
  let opened = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quoting) {
      if (c === '"') {
        if (raw[i + 1] === '"') i++;
        else quoting = false;
      }
    } else if (c === '"' && fieldStart) {
      quoting = true;
      opened = i;
    } else fieldStart = c === delimiter || c === "\r" || c === "\n";
  }
  return opened;
}

/** Watches the first chunks for a BOM and the first line ending. */
class ShapeSniffer {
  /** The first bytes (as latin1 text), until it is known whether they are a BOM. */
  private head = "";
  private pendingCR = false;

  constructor(readonly shape: CsvShape) {}

  see(chunk: Buffer | string): void {
    // line breaks and the BOM's bytes are told apart in latin1, one character per byte
    const text = typeof chunk === "string" ? Buffer.from(chunk, "utf8").toString("latin1") : chunk.toString("latin1");
    if (this.head !== undefined && this.head.length < 3) {
      this.head += text.slice(0, 3);
      if (this.head.length >= 3 || !"\xef\xbb\xbf".startsWith(this.head)) this.shape.bom = this.head.startsWith("\xef\xbb\xbf");
    }
    if (this.shape.eol !== undefined) return;
    if (this.pendingCR) {
      this.shape.eol = text[0] === "\n" ? "\r\n" : "\r";
      return;
    }
    for (let i = 0; i < text.length; i++) {
      if (text[i] === "\n") {
        this.shape.eol = "\n";
        return;
      }
      if (text[i] === "\r") {
        if (i + 1 === text.length) this.pendingCR = true;
        else this.shape.eol = text[i + 1] === "\n" ? "\r\n" : "\r";
        return;
      }
    }
  }

  end(): void {
    if (this.pendingCR && this.shape.eol === undefined) this.shape.eol = "\r";
  }
}

/**
 * Reads the CSV records of a stream of chunks (a file read without an encoding, or text) with the
 * line each starts on. `shape` is filled in as the first line is read (before the first record).
 * @throws SourceError for malformed quotes (an unterminated one where it opened).
 */
export async function* readCsv(input: AsyncIterable<Buffer | string>, file: string, delimiter = ",", shape: CsvShape = { bom: false }): AsyncGenerator<CsvRecord> {
  const sniffer = new ShapeSniffer(shape);
  const bytes = new ByteLines();
  const parser = parse(options(delimiter));
  const source = Readable.from(
    (async function* () {
      for await (const chunk of input) {
        sniffer.see(chunk);
        const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        bytes.add(buf);
        yield buf;
      }
      sniffer.end();
    })(),
  );
  source.on("error", (e) => parser.destroy(e));
  source.pipe(parser);
  const lines = new Lines();
  try {
    for await (const r of parser as AsyncIterable<ParsedRecord>) {
      bytes.release(r.info.bytes);
      yield { fields: r.record, line: lines.record(r.raw) };
    }
  } catch (e) {
    if (isCsvError(e) && typeof e.bytes_records === "number") lines.line = bytes.lineAt(e.bytes_records);
    throw lines.error(e, file, delimiter);
  } finally {
    source.destroy();
  }
}

/** Splits a CSV text at once (tests and small files); `shape`, when given, is filled in. */
export function parseCsvText(text: string, file = "<text>", delimiter = ",", shape: CsvShape = { bom: false }): CsvRecord[] {
  const sniffer = new ShapeSniffer(shape);
  sniffer.see(text);
  sniffer.end();
  const lines = new Lines();
  let parsed: ParsedRecord[];
  try {
    parsed = parseSync(text, options(delimiter)) as unknown as ParsedRecord[];
  } catch (e) {
    // the records before the error were not returned: the line where the failing one starts
    if (isCsvError(e) && typeof e.bytes_records === "number") {
      const bytes = new ByteLines();
      bytes.add(Buffer.from(text, "utf8"));
      lines.line = bytes.lineAt(e.bytes_records);
    }
    throw lines.error(e, file, delimiter);
  }
  return parsed.map((r) => ({ fields: r.record, line: lines.record(r.raw) }));
}

/** Quotes a CSV field when it needs it (delimiter, quote, line break, or leading/trailing space). */
export function csvField(value: string, delimiter = ","): string {
  if (value === "") return "";
  if (value.includes(delimiter) || /["\r\n]/.test(value) || /^\s|\s$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** One CSV line (without its line ending). */
export function csvLine(fields: readonly string[], delimiter = ","): string {
  return fields.map((f) => csvField(f, delimiter)).join(delimiter);
}
