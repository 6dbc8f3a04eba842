/**
 * `--data JSON|@file|@-`: a request body given on the command line, read from a file, or read from
 * stdin (`@-`). Files and stdin are bounded ({@link MAX_DATA_BYTES}): more is a usage error, not a
 * process that fills its memory.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { UsageError } from "./exit";

/** The largest body `--data @file` or `--data @-` reads: 10 MiB. */
export const MAX_DATA_BYTES = 10 * 1024 * 1024;

/** A readable stream such as `process.stdin` (tests pass their own). */
export type DataInput = NodeJS.ReadableStream & { isTTY?: boolean; destroy?: () => void };

/** Where `--data` reads from besides its own text. */
export interface DataSources {
  /** Read by `--data @-` (default `process.stdin`). */
  stdin?: DataInput;
  /** Limit in bytes (default {@link MAX_DATA_BYTES}). */
  maxBytes?: number;
}

function tooLarge(what: string, max: number, command: string): UsageError {
  return new UsageError(`--data ${what}: more than ${mib(max)} (the limit of a request body read by mambu); send a smaller body`, command);
}

function mib(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Whether `--data` reads stdin (`@-`). */
export function readsStdin(text: string | undefined): boolean {
  return text === "@-";
}

/**
 * The text of `--data`: the value itself, a file's content (`@path`) or stdin's (`@-`), as UTF-8.
 * Undefined when `--data` was not given.
 * @throws UsageError when the file cannot be read, or the file or stdin holds more than the limit.
 */
export async function readData(text: string | undefined, command: string, sources: DataSources = {}): Promise<string | undefined> {
  if (text === undefined) return undefined;
  const max = sources.maxBytes ?? MAX_DATA_BYTES;
  if (text === "@-") return readStdin(sources.stdin ?? process.stdin, max, command);
  if (text.startsWith("@")) return readFileBounded(text.slice(1), max, command);
  return text;
}

/** A file's content, refusing one larger than `max` without reading it whole. */
function readFileBounded(path: string, max: number, command: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new UsageError(`--data @${path}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, command);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`--data @${path}: ${path} is a directory`, command);
    if (st.size > max) throw tooLarge(`@${path}`, max, command);
    // Read in chunks up to max + 1 bytes: a file that grows meanwhile (or a device) is still bounded.
    const chunks: Buffer[] = [];
    let len = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      len += n;
      if (len > max) throw tooLarge(`@${path}`, max, command);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Everything on stdin up to its end, refusing more than `max` bytes (the stream is then let go). */
function readStdin(input: DataInput, max: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      input.removeListener("error", onError);
    };
    const onData = (d: Buffer | string): void => {
      const b = typeof d === "string" ? Buffer.from(d, "utf8") : d;
      size += b.length;
      if (size > max) {
        done();
        input.pause();
        input.destroy?.();
        reject(tooLarge("@-", max, command));
        return;
      }
      chunks.push(b);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (e: Error): void => {
      done();
      reject(new UsageError(`--data @-: cannot read stdin (${e.message})`, command));
    };
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
    input.resume();
  });
}
