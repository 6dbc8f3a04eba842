/**
 * Reading a journal file back: its records with their byte positions, tolerating what a crash leaves.
 *
 * - A torn tail: whatever follows the last whole record — a half-written line, garbage, a line of NUL
 *   bytes (blocks the file system allocated but never wrote before power was lost), with or without a
 *   final newline — is not part of the journal (those writes were never acknowledged).
 * - NUL debris elsewhere: a line holding NUL bytes can only be unwritten blocks of a crash (the journal
 *   never writes NUL: JSON escapes it); it is skipped wherever it is.
 * - Anything else that is not a record, followed by records, is not a crash: the file was edited or
 *   written by something else, and reading stops with a message.
 */
import { readFileSync } from "fs";
import { fsError } from "./fserrors";
import type { JournalRecord } from "./journal";

/** A record of the journal and where it is. */
export interface JournalEntry {
  rec: JournalRecord;
  /** 1-based line number. */
  line: number;
  /** Byte offset just after its line (its newline included). */
  end: number;
}

/** A journal file as read back. */
export interface JournalHistory {
  path: string;
  entries: JournalEntry[];
  /** Size of the file in bytes. */
  size: number;
  /** Bytes up to the end of the last whole record (what is kept when the torn tail is cut off). */
  validEnd: number;
  /** Lines of the torn tail (0 when the file ends with a whole record). */
  tornLines: number;
  /** Lines of NUL bytes before the tail (skipped). */
  debrisLines: number;
}

/** A journal that cannot be trusted (a line that is not a record, followed by records). */
export class JournalCorruptError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "JournalCorruptError";
  }
}

function asRecord(buf: Buffer): JournalRecord | undefined {
  try {
    const rec = JSON.parse(buf.toString("utf8")) as unknown;
    if (rec && typeof rec === "object" && !Array.isArray(rec) && typeof (rec as { t?: unknown }).t === "string") return rec as JournalRecord;
  } catch {
    /* not a record */
  }
  return undefined;
}

/**
 * Reads a journal file (see the module comment).
 * @throws WorkdirError when it cannot be read; JournalCorruptError for a bad line before good ones.
 */
export function readJournal(path: string): JournalHistory {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw fsError("read", "the journal", path, e);
  }
  const entries: JournalEntry[] = [];
  let validEnd = 0;
  let debris = 0;
  /** Lines since the last whole record that are not records: [line number, is NUL debris]. */
  let pending: Array<{ line: number; nul: boolean }> = [];
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const stop = nl < 0 ? buf.length : nl;
    const text = buf.subarray(start, stop);
    line++;
    const blank = text.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);
    if (!blank) {
      const nul = text.includes(0);
      const rec = nl < 0 || nul ? undefined : asRecord(text);
      if (rec) {
        const bad = pending.find((p) => !p.nul);
        if (bad) {
          throw new JournalCorruptError(
            `${path}:${bad.line}: corrupt journal line (not JSON), with journal records after it: this is not what a crash leaves. Move the journal aside and run without --resume (every step is then checked against the tenant; nothing is created twice).`,
            path,
            bad.line,
          );
        }
        debris += pending.length;
        pending = [];
        entries.push({ rec, line, end: stop + 1 });
        validEnd = stop + 1;
      } else pending.push({ line, nul });
    }
    start = stop + 1;
  }
  return { path, entries, size: buf.length, validEnd, tornLines: pending.length, debrisLines: debris };
}
