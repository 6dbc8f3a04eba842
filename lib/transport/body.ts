/** Reading a response body with a size cap, enforced while it streams in. */

/** Why `readCapped` stopped: the body is (or says it is) larger than the cap. */
export class BodyTooLarge extends Error {
  constructor(
    /** The cap, in bytes. */
    readonly limit: number,
    /** How the excess was seen: `content-length` (announced, nothing read) or `streamed`. */
    readonly how: "content-length" | "streamed",
  ) {
    super(`response body larger than ${limit} bytes`);
    this.name = "BodyTooLarge";
  }
}

/** The parts of a node-fetch `Response` that `readCapped` uses. */
export interface CappableResponse {
  body?: unknown;
  buffer?(): Promise<Buffer>;
}

/**
 * Reads a response body into one Buffer, counting bytes as they arrive (after decompression: the
 * stream node-fetch gives is already inflated), and stopping at the first chunk that takes the
 * total past `limit`: the stream is then destroyed (the caller aborts the request) and nothing
 * more is buffered. A `Content-Length` above `limit` fails before anything is read; no number the
 * server sends is used to allocate.
 * @throws BodyTooLarge past the cap; whatever the stream throws otherwise.
 */
export async function readCapped(res: CappableResponse, limit: number, contentLength?: string): Promise<Buffer> {
  if (contentLength !== undefined && /^\s*\d+\s*$/.test(contentLength) && Number(contentLength) > limit) {
    throw new BodyTooLarge(limit, "content-length");
  }
  const body = res.body as (AsyncIterable<unknown> & { destroy?: () => void }) | null | undefined;
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      total += buf.length;
      if (total > limit) {
        chunks.length = 0;
        throw new BodyTooLarge(limit, "streamed"); // leaving the loop destroys the stream
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks, total);
  }
  // A fetch replacement without a stream body (tests): read it whole, then check.
  const raw = res.buffer ? await res.buffer() : Buffer.alloc(0);
  if (raw.length > limit) throw new BodyTooLarge(limit, "streamed");
  return raw;
}
