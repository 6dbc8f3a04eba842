/**
 * Sandbox e2e: a large page (over records.ts `JOIN_MAX_BYTES`) is written to the socket as its pieces rather than one
 * joined buffer, and must still arrive as the same bytes a small page is made of: `[`, each record's JSON (what a GET
 * of the record answers) joined by `,`, `]`, with a Content-Length that counts them — also when the body is sent
 * slowly (fault `slow`), and when an idempotent search is replayed from what was remembered.
 */
import http from "node:http";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { JOIN_MAX_BYTES } from "../../lib/sandbox/records";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, data: "empty", generate: { clients: 60, loans: 60 }, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
}

/** One request over HTTP, the answer's bytes as received. */
function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${sb.url}/api${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from("demo:demo").toString("base64")}`,
        Accept: "application/vnd.mambu.v2+json",
        ...(text === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(text);
  });
}

/** The bytes a page of these records must be: each one's JSON as a GET answers it, between brackets. */
async function expectedPage(ids: string[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const id of ids) parts.push((await send("GET", `/loans/${id}?detailsLevel=FULL`)).bytes);
  return Buffer.concat([Buffer.from("["), ...parts.flatMap((p, i) => (i ? [Buffer.from(","), p] : [p])), Buffer.from("]")]);
}

describe("large pages", () => {
  it("arrive as each record's JSON between brackets, with the right Content-Length", async () => {
    const page = await send("GET", "/loans?offset=5&limit=40&detailsLevel=FULL&paginationDetails=ON");
    expect(page.status).toBe(200);
    expect(page.bytes.length).toBeGreaterThan(JOIN_MAX_BYTES); // the pieces path, not a joined buffer
    expect(Number(page.headers["content-length"])).toBe(page.bytes.length);
    expect(page.headers["items-total"]).toBe("60");
    const ids = (JSON.parse(page.bytes.toString("utf8")) as Array<{ id: string }>).map((l) => l.id);
    expect(ids).toHaveLength(40);
    expect(page.bytes.equals(await expectedPage(ids))).toBe(true);
  });

  it("arrive the same when sent slowly", async () => {
    const plain = await send("GET", "/loans?limit=30&detailsLevel=FULL");
    const slow = await send("GET", "/loans?limit=30&detailsLevel=FULL", undefined, { "X-Sandbox-Fault": "slow=40" });
    expect(plain.bytes.length).toBeGreaterThan(JOIN_MAX_BYTES);
    expect(Number(slow.headers["content-length"])).toBe(slow.bytes.length);
    expect(slow.bytes.equals(plain.bytes)).toBe(true);
  });

  it("are replayed as the same bytes for a repeated idempotent search", async () => {
    const body = { filterCriteria: [{ field: "accountState", operator: "EQUALS", value: "PENDING_APPROVAL" }] };
    const key = { "Idempotency-Key": "5b0e3f3c-1d2a-4c6b-9a7e-2f1d3c4b5a69" };
    const first = await send("POST", "/loans:search?limit=40&detailsLevel=FULL", body, key);
    const again = await send("POST", "/loans:search?limit=40&detailsLevel=FULL", body, key);
    expect(first.status).toBe(200);
    expect(first.bytes.length).toBeGreaterThan(JOIN_MAX_BYTES);
    expect(again.headers["idempotency-replayed"]).toBe("true");
    expect(Number(again.headers["content-length"])).toBe(again.bytes.length);
    expect(again.bytes.equals(first.bytes)).toBe(true);
  });
});
