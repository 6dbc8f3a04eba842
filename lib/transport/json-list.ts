/**
 * Reading a JSON list as it streams in: each element is cut out of the bytes as soon as its last byte
 * arrives and parsed alone, so that a page of records never exists as one large string or buffer (what
 * made streaming a long listing hold tens of megabytes of garbage: the chunks, their concatenation and
 * the page's text, each kept until a full garbage collection).
 */
import { CappableResponse, forEachCappedChunk } from "./body";

/** The body is not a well-formed JSON list (a syntax error in an element, or between elements). */
export class MalformedJsonList extends Error {
  constructor(
    /** The first bytes of the body (for an excerpt in the error the caller throws). */
    readonly head: Buffer,
  ) {
    super("malformed JSON list");
    this.name = "MalformedJsonList";
  }
}

/** How many of the first bytes are kept for the excerpt of a malformed answer (≥ 4 bytes × the excerpt's 500 characters). */
const HEAD_BYTES = 4096;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Where the reader is in the list. */
const enum At {
  /** Before the `[` (only whitespace seen). */
  Start,
  /** Right after `[`: an element or `]`. */
  First,
  /** After `,`: an element. */
  Next,
  /** Inside an element. */
  Element,
  /** After an element: `,` or `]`. */
  After,
  /** After the closing `]`: only whitespace. */
  Done,
  /** Not a list: every byte is kept, for the caller to parse whole. */
  Whole,
}

/**
 * Splits the bytes of a JSON list (`[elem, elem, ...]`) into its elements as chunks arrive, parsing each with
 * `parse` as soon as it is complete. Structure only is checked here (strings, nesting, commas, the closing `]`,
 * nothing after it); each element's content is checked by `parse`. UTF-8 is cut only at ASCII structure bytes,
 * never inside a character. A body that does not start with `[` is kept whole (see {@link JsonListReader.end}).
 * @internal
 */
export class JsonListReader {
  /** The elements parsed so far, in order. */
  readonly items: unknown[] = [];
  #at = At.Start;
  /** Nesting depth inside the current element (0: at its top). */
  #depth = 0;
  /** Inside a string. */
  #inString = false;
  /** Backslashes just before the end of the previous chunk, inside a string. */
  #slashes = 0;
  /** The current element is a scalar (number, true, false, null): it ends at whitespace, `,` or `]`. */
  #scalar = false;
  /** Bytes of the current element from earlier chunks. */
  #parts: Buffer[] = [];
  /** The first bytes, for an excerpt; every chunk when the body is not a list. */
  #kept: Buffer[] = [];
  #keptBytes = 0;

  constructor(private readonly parse: (text: string) => unknown) {}

  /** Takes the next chunk. @throws MalformedJsonList at the first syntax error (an element `parse` refuses, or bad structure). */
  write(chunk: Buffer): void {
    if (this.#at === At.Whole || this.#at === At.Start || this.#keptBytes < HEAD_BYTES) {
      // kept: the first bytes (for an excerpt), and every byte until the body shows it is a list
      this.#kept.push(chunk);
      this.#keptBytes += chunk.length;
      if (this.#at === At.Whole) return;
    }
    const n = chunk.length;
    let i = 0;
    let start = this.#at === At.Element ? 0 : -1; // where the current element starts in this chunk
    while (i < n) {
      switch (this.#at) {
        case At.Start: {
          const c = chunk[i];
          if (isSpace(c)) i++;
          else if (c === OPEN_BRACKET) {
            this.#at = At.First;
            i++;
          } else {
            this.#at = At.Whole; // not a list: the caller parses it whole (this chunk is kept already)
            return;
          }
          break;
        }
        case At.First:
        case At.Next:
        case At.After:
        case At.Done: {
          const c = chunk[i];
          if (isSpace(c)) {
            i++;
            break;
          }
          if (this.#at === At.After) {
            if (c === COMMA) this.#at = At.Next;
            else if (c === CLOSE_BRACKET) this.#at = At.Done;
            else throw this.#malformed();
            i++;
            break;
          }
          if (this.#at === At.Done || (c === CLOSE_BRACKET && this.#at === At.Next) || c === COMMA) throw this.#malformed();
          if (c === CLOSE_BRACKET) {
            this.#at = At.Done; // `[]`
            i++;
            break;
          }
          // an element starts here
          this.#at = At.Element;
          start = i;
          this.#depth = 0;
          this.#scalar = false;
          if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.#depth = 1;
            i++;
          } else if (c === QUOTE) {
            this.#inString = true;
            this.#slashes = 0;
            i++;
          } else {
            this.#scalar = true;
          }
          break;
        }
        case At.Element:
          i = this.#scan(chunk, i, start);
          if (this.#at === At.Element) {
            // the element goes on in the next chunk
            this.#parts.push(start === 0 ? chunk : chunk.subarray(start));
            return;
          }
          start = -1;
          break;
        default:
          return;
      }
    }
    // an element whose first byte ended this chunk goes on in the next one
    if (this.#at === At.Element && start >= 0) this.#parts.push(chunk.subarray(start));
  }

  /**
   * Scans the current element from `i`; when it ends in this chunk, parses it and moves to `After`.
   * @returns where to go on reading.
   */
  #scan(chunk: Buffer, i: number, start: number): number {
    const n = chunk.length;
    if (this.#scalar) {
      while (i < n) {
        const c = chunk[i];
        if (isSpace(c) || c === COMMA || c === CLOSE_BRACKET) {
          this.#finish(chunk, start, i);
          return i;
        }
        i++;
      }
      return n;
    }
    while (i < n) {
      if (this.#inString) {
        const from = i;
        let q = chunk.indexOf(QUOTE, i);
        for (;;) {
          if (q < 0) {
            // no closing quote in this chunk: remember the backslashes it ends with
            let k = n - 1;
            while (k >= from && chunk[k] === BACKSLASH) k--;
            this.#slashes = k < from ? this.#slashes + (n - from) : n - 1 - k;
            return n;
          }
          let k = q - 1;
          while (k >= from && chunk[k] === BACKSLASH) k--;
          const run = q - 1 - k + (k < from ? this.#slashes : 0);
          if ((run & 1) === 0) break; // not escaped: the string ends here
          q = chunk.indexOf(QUOTE, q + 1);
        }
        this.#inString = false;
        this.#slashes = 0;
        i = q + 1;
        if (this.#depth === 0) {
          this.#finish(chunk, start, i); // the element was a string
          return i;
        }
        continue;
      }
      const c = chunk[i];
      if (c === QUOTE) {
        this.#inString = true;
        this.#slashes = 0;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.#depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.#depth === 0) {
          this.#finish(chunk, start, i + 1);
          return i + 1;
        }
      }
      i++;
    }
    return n;
  }

  /** The element is `chunk[start, end)` after the earlier parts: parse it, keep it. */
  #finish(chunk: Buffer, start: number, end: number): void {
    let text: string;
    if (this.#parts.length === 0) {
      text = chunk.toString("utf8", start, end);
    } else {
      this.#parts.push(chunk.subarray(0, end));
      text = Buffer.concat(this.#parts).toString("utf8");
      this.#parts = [];
    }
    let value: unknown;
    try {
      value = this.parse(text);
    } catch {
      throw this.#malformed();
    }
    this.items.push(value);
    this.#at = At.After;
  }

  #malformed(): MalformedJsonList {
    this.#parts = [];
    return new MalformedJsonList(Buffer.concat(this.#kept).subarray(0, HEAD_BYTES));
  }

  /**
   * The body has ended: the list's elements, or — when the body is not a JSON list (an object, an empty body) — its
   * bytes, for the caller to parse whole as any answer.
   * @throws MalformedJsonList when the list is not complete.
   */
  end(): { items: unknown[] } | { whole: Buffer } {
    if (this.#at === At.Whole || this.#at === At.Start) {
      const whole = Buffer.concat(this.#kept);
      this.#kept = [];
      return { whole };
    }
    if (this.#at !== At.Done) throw this.#malformed();
    this.#kept = [];
    return { items: this.items };
  }
}

/**
 * Reads a response body that should be a JSON list, element by element as it arrives (see {@link JsonListReader}),
 * with the cap of `forEachCappedChunk` (body.ts): a `Content-Length` above `limit` fails before anything is read,
 * and the first chunk taking the total past `limit` stops the transfer.
 * @throws BodyTooLarge past the cap; MalformedJsonList at a syntax error; whatever the stream throws otherwise.
 */
export async function readJsonList(
  res: CappableResponse,
  limit: number,
  contentLength: string | undefined,
  parse: (text: string) => unknown,
): Promise<{ items: unknown[] } | { whole: Buffer }> {
  const reader = new JsonListReader(parse);
  await forEachCappedChunk(res, limit, contentLength, (chunk) => reader.write(chunk));
  return reader.end();
}
