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
 * Hands a response body's chunks to `onChunk` as they arrive (after decompression: the stream
 * node-fetch gives is already inflated), counting bytes and stopping at the first chunk that takes
 * the total past `limit`: the stream is then destroyed (the caller aborts the request) and that chunk
 * is not handed over. A `Content-Length` above `limit` fails before anything is read; no number the
 * server sends is used to allocate. Returns the bytes handed over.
 * @throws BodyTooLarge past the cap; whatever the stream or `onChunk` throws otherwise.
 */
export async function forEachCappedChunk(res: CappableResponse, limit: number, contentLength: string | undefined, onChunk: (chunk: Buffer) => void): Promise<number> {
  if (contentLength !== undefined && /^\s*\d+\s*$/.test(contentLength) && Number(contentLength) > limit) {
    throw new BodyTooLarge(limit, "content-length");
  }
  const body = res.body as AsyncIterable<unknown> | null | undefined;
  if (body && typeof body[Symbol.asyncIterator] === "function") {
    let total = 0;
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      total += buf.length;
      if (total > limit) throw new BodyTooLarge(limit, "streamed"); // leaving the loop destroys the stream
      onChunk(buf);
    }
    return total;
  }
  // A fetch replacement without a stream body (tests): read it whole, then check.
  const raw = res.buffer ? await res.buffer() : Buffer.alloc(0);
  if (raw.length > limit) throw new BodyTooLarge(limit, "streamed");
  onChunk(raw);
  return raw.length;
}

/**
 * Reads a response body into one Buffer, with the cap of {@link forEachCappedChunk}: nothing more is
 * buffered once the total passes `limit`.
 * @throws BodyTooLarge past the cap; whatever the stream throws otherwise.
 */
export async function readCapped(res: CappableResponse, limit: number, contentLength?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const total = await forEachCappedChunk(res, limit, contentLength, (buf) => chunks.push(buf));
  return Buffer.concat(chunks, total);
}
