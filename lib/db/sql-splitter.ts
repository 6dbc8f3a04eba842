/**
 * Splits a MySQL dump into statements, chunk by chunk, as the `mysql` client does: a statement ends at the
 * delimiter (`;`, or what a `DELIMITER` line sets) outside quotes (`'...'`, `"..."` with backslash escapes and
 * doubled quotes), backquoted names and comments (`-- `, `#`, block comments). Executable comments
 * (`/*!40101 ... *\/`) stay in their statement, as the server runs them; a statement made only of comments is
 * dropped. Each statement comes out whole, so it can be sent alone (never several in one query).
 */
import { StringDecoder } from "string_decoder";
import { MambuTsError } from "../errors";

/** A statement of the dump, with the 1-based line where it starts. */
export interface SqlStatement {
  sql: string;
  line: number;
}

type State = "code" | "single" | "double" | "backtick" | "line-comment" | "block-comment";

/** Default bound of one statement: 256 MiB (mysqldump's extended inserts stay far below). */
export const DEFAULT_MAX_STATEMENT_CHARS = 256 * 1024 * 1024;

/** The splitter: `push` chunks (Buffers are decoded as UTF-8 across chunk edges), `end()` at the end. */
export class SqlSplitter {
  #state: State = "code";
  #buf = "";
  /** Where scanning resumes in #buf. */
  #pos = 0;
  #delimiter = ";";
  #line = 1;
  #startLine = 1;
  /** Whether the statement so far holds anything but comments and blanks. */
  #hasCode = false;
  /** Set by `end()`: no more input will come. */
  #final = false;
  readonly #decoder = new StringDecoder("utf8");
  readonly #max: number;

  constructor(options: { maxStatementChars?: number } = {}) {
    this.#max = options.maxStatementChars ?? DEFAULT_MAX_STATEMENT_CHARS;
  }

  /**
   * Adds text and returns the statements it completes.
   * @throws MambuTsError when a statement grows past the bound.
   */
  push(chunk: Buffer | string): SqlStatement[] {
    this.#buf += typeof chunk === "string" ? chunk : this.#decoder.write(chunk);
    const out = this.#scan();
    if (this.#buf.length > this.#max) {
      throw new MambuTsError(`a statement of the dump starting at line ${this.#startLine} is longer than ${this.#max} characters`);
    }
    return out;
  }

  /**
   * Ends the input.
   * @returns the last statement when the dump's last statement has no delimiter (the mysql client runs it too).
   * @throws MambuTsError when the dump ends inside a quoted string, a backquoted name or a block comment (a
   *   truncated dump).
   */
  end(): SqlStatement[] {
    this.#buf += this.#decoder.end();
    this.#final = true;
    const out = this.#scan();
    if (this.#state === "single" || this.#state === "double" || this.#state === "backtick" || this.#state === "block-comment") {
      const what = this.#state === "block-comment" ? "a comment" : this.#state === "backtick" ? "a quoted name" : "a quoted string";
      throw new MambuTsError(`the dump ends inside ${what} (the statement starting at line ${this.#startLine}): it is truncated`);
    }
    const rest = this.#buf.trim();
    if (this.#hasCode && rest !== "") out.push({ sql: rest, line: this.#line - newlines(this.#buf.trimStart()) });
    this.#buf = "";
    this.#pos = 0;
    return out;
  }

  #emit(out: SqlStatement[], end: number, skip: number): void {
    const raw = this.#buf.slice(0, end);
    const text = raw.trim();
    if (this.#hasCode && text !== "") out.push({ sql: text, line: this.#line - newlines(raw.trimStart()) });
    this.#drop(end + skip);
  }

  /** Drops the first `n` characters (a statement, or a DELIMITER line): the next statement starts after them. */
  #drop(n: number): void {
    this.#buf = this.#buf.slice(n);
    this.#pos = 0;
    this.#hasCode = false;
    this.#startLine = this.#line;
  }

  /** Whether more input is needed to decide at `i + ahead` (never at the end of the input). */
  #short(b: string, i: number, ahead: number): boolean {
    return !this.#final && i + ahead >= b.length;
  }

  #scan(): SqlStatement[] {
    const out: SqlStatement[] = [];
    for (;;) {
      const b = this.#buf;
      let i = this.#pos;
      let progressed = false;
      while (i < b.length) {
        const c = b[i]!;
        if (this.#state === "code") {
          if (c === "\n") this.#line++;
          if (!this.#hasCode && (c === "d" || c === "D")) {
            // A `DELIMITER x` line before any code is a client command, not SQL.
            const rest = b.slice(i, i + 200);
            const m = /^delimiter[ \t]+(\S+)[ \t]*(\r?\n|$)/i.exec(rest);
            if (m && (m[2] !== "" || this.#final)) {
              this.#delimiter = m[1]!;
              if (m[2]) this.#line++;
              this.#drop(i + m[0].length);
              progressed = true;
              break;
            }
            if (m && !this.#final) break; // the line is not complete yet
            if (!m && !this.#final && /^delimiter[ \t]+\S*$/i.test(rest) && rest.length < 200) break;
            if (!m && !this.#final && "delimiter".startsWith(rest.toLowerCase())) break;
          }
          if (b.startsWith(this.#delimiter, i)) {
            this.#emit(out, i, this.#delimiter.length);
            progressed = true;
            break;
          }
          if (this.#delimiter.length > 1 && this.#delimiter.startsWith(b.slice(i)) && !this.#final) break;
          if (c === "'") this.#state = "single";
          else if (c === '"') this.#state = "double";
          else if (c === "`") this.#state = "backtick";
          else if (c === "#") this.#state = "line-comment";
          else if (c === "-" && (b[i + 1] === "-" || this.#short(b, i, 1))) {
            if (this.#short(b, i, 2)) break;
            if (b[i + 1] === "-" && /[ \t\r\n]/.test(b[i + 2] ?? "\n")) this.#state = "line-comment";
            else this.#hasCode = true;
          } else if (c === "/" && (b[i + 1] === "*" || this.#short(b, i, 1))) {
            if (this.#short(b, i, 3)) break;
            if (b[i + 1] === "*") {
              // `/*!...*/` and `/*M!...*/` are executable: they count as code.
              if (b[i + 2] === "!" || (b[i + 2] === "M" && b[i + 3] === "!")) this.#hasCode = true;
              this.#state = "block-comment";
              i += 2;
              continue;
            }
            this.#hasCode = true;
          } else if (!/\s/.test(c)) this.#hasCode = true;
          if (this.#state === "single" || this.#state === "double" || this.#state === "backtick") this.#hasCode = true;
          i++;
        } else if (this.#state === "single" || this.#state === "double" || this.#state === "backtick") {
          const q = this.#state === "single" ? "'" : this.#state === "double" ? '"' : "`";
          if (c === "\\" && q !== "`") {
            if (this.#short(b, i, 1)) break;
            if (b[i + 1] === "\n") this.#line++;
            i += 2;
            continue;
          }
          if (c === "\n") this.#line++;
          if (c === q) {
            if (this.#short(b, i, 1)) break; // a doubled quote may follow
            if (b[i + 1] === q) {
              i += 2;
              continue;
            }
            this.#state = "code";
          }
          i++;
        } else if (this.#state === "line-comment") {
          if (c === "\n") {
            this.#state = "code";
            continue; // the newline is counted in code
          }
          i++;
        } else {
          if (c === "\n") this.#line++;
          if (c === "*") {
            if (this.#short(b, i, 1)) break;
            if (b[i + 1] === "/") {
              this.#state = "code";
              i += 2;
              continue;
            }
          }
          i++;
        }
      }
      if (!progressed) {
        this.#pos = i;
        return out;
      }
    }
  }
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** Splits a whole dump (tests and small dumps). */
export function splitSql(text: string): SqlStatement[] {
  const s = new SqlSplitter();
  return [...s.push(text), ...s.end()];
}
