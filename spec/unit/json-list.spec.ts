/**
 * Reading a page of records element by element as it arrives (`jsonList`, what getAll and search use): the same
 * values as parsing the page whole, however the bytes are cut into chunks; a malformed list refused with the same
 * typed error; an answer that is not a list parsed whole; the size cap kept.
 */
import { MambuCommError, MambuError, MambuTsError } from "../../lib/errors";
import { parseJsonExact, RawNumber } from "../../lib/core/json";
import { JsonListReader, MalformedJsonList } from "../../lib/transport/json-list";
import { closeLocalServers, sleepyConnector, startLocalServer } from "../helpers/local-server";

afterEach(async () => {
  await closeLocalServers();
});

/** Reads `text` through a JsonListReader, cut into chunks at the given byte offsets. */
function readCut(text: string, cuts: number[]): ReturnType<JsonListReader["end"]> {
  const bytes = Buffer.from(text, "utf8");
  const reader = new JsonListReader(parseJsonExact);
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    if (at > from) reader.write(bytes.subarray(from, at));
    from = Math.max(from, at);
  }
  return reader.end();
}

/** Every way to cut `text` in two, and one-byte chunks. */
function cuttings(text: string): number[][] {
  const n = Buffer.byteLength(text);
  const out: number[][] = [[]];
  for (let i = 1; i < n; i++) out.push([i]);
  out.push(Array.from({ length: n }, (_, i) => i + 1));
  return out;
}

const LISTS = [
  "[]",
  " \r\n\t[ ] \n",
  '[{"id":"1","amount":1.50,"n":123456789012345678901}]',
  '[{"a":"quote \\" inside","b":"slash \\\\","c":"\\\\\\"","d":"}]{[,"}, {"e":[1,[2,{"f":"]"}]],"g":{}}]',
  '[{"name":"Zoë – 中文 😀","k":"é"},{"x":"\\u00e9\\ud83d\\ude00"}]',
  '[1, -0.0, 1e3, "s", true, false, null, [], {}, "\\\\", "\\""]',
  '[ {"a":1} ,\n {"b":[{"c":"x\\\\"}]} ]',
];

describe("JsonListReader", () => {
  it.each(LISTS)("gives what parsing the whole page gives, however the bytes arrive: %s", (text) => {
    const whole = parseJsonExact(text) as unknown[];
    for (const cuts of cuttings(text)) {
      const got = readCut(text, cuts);
      expect(got).toEqual({ items: whole });
    }
  });

  it("keeps exact numbers exact (RawNumber where a double would lose digits)", () => {
    const got = readCut('[{"amount":1.50,"big":123456789012345678}]', [9]) as { items: Array<Record<string, unknown>> };
    expect(got.items[0].amount).toBeInstanceOf(RawNumber);
    expect((got.items[0].amount as RawNumber).text).toBe("1.50");
    expect((got.items[0].big as RawNumber).text).toBe("123456789012345678");
  });

  it.each([
    "[1 2]",
    "[1,]",
    "[,1]",
    "[1,,2]",
    '[{"a":1}}]',
    '[{"a":1}',
    '[{"a":1},',
    "[1] x",
    "[1][2]",
    '["abc]',
    '[{"a":]}]',
    '[{"a" 1}]',
    "[tru]",
    "[",
  ])("refuses a malformed list, however the bytes arrive: %s", (text) => {
    for (const cuts of cuttings(text)) {
      expect(() => readCut(text, cuts)).toThrow(MalformedJsonList);
    }
  });

  it.each(['{"errors":[]}', "", "   ", '"text"', "42"])("gives back a body that is not a list whole, to be parsed as any answer: %j", (text) => {
    for (const cuts of cuttings(text)) {
      const got = readCut(text, cuts) as { whole: Buffer };
      expect(got.whole.toString("utf8")).toBe(text);
    }
  });
});

describe("MambuConnector request with jsonList", () => {
  const page = '[{"encodedKey":"8a1","loanAmount":1000.50,"name":"Zoë \\"Z\\" [x]"},{"encodedKey":"8a2","loanAmount":7}]';

  it("gives the parsed list, as without jsonList, from a body sent in small chunks; text and raw are left empty", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/vnd.mambu.v2+json" });
      const bytes = Buffer.from(page, "utf8");
      for (let i = 0; i < bytes.length; i += 7) res.write(bytes.subarray(i, i + 7));
      res.end();
    });
    const { c } = sleepyConnector(s.url);
    const streamed = await c.request({ method: "GET", path: "/loans", parse: parseJsonExact, jsonList: true });
    const whole = await c.request({ method: "GET", path: "/loans", parse: parseJsonExact });
    expect(streamed.body).toEqual(whole.body);
    expect(streamed.body).toEqual(parseJsonExact(page));
    expect(streamed.text).toBe("");
    expect(streamed.raw.length).toBe(0);
    expect(whole.text).toBe(page);
  });

  it("refuses a malformed list with the MambuError a whole parse gives (excerpt redacted), without retrying", async () => {
    const bad = '[{"encodedKey":"8a1","token":"demo-secret-value"} {"encodedKey":"8a2"}]';
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(bad);
    });
    const { c, sleeps } = sleepyConnector(s.url, { retries: 3 });
    const err = await c.request({ method: "GET", path: "/loans", query: { limit: 2 }, jsonList: true, secrets: ["demo-secret-value"] }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.message).toBe("malformed JSON from Mambu (HTTP 200, GET /api/loans?limit=2)");
    expect(err).toMatchObject({ status: 200, method: "GET", url: "/api/loans?limit=2", attempts: 1 });
    expect(err.bodyExcerpt).toBe(bad.replace("demo-secret-value", "****"));
    expect(s.hits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("parses an answer that is not a list whole, and keeps its text", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"not":"a list"}');
    });
    const { c } = sleepyConnector(s.url);
    const res = await c.request({ method: "GET", path: "/loans", jsonList: true });
    expect(res.body).toEqual({ not: "a list" });
    expect(res.text).toBe('{"not":"a list"}');
  });

  it("keeps the size cap: a list past maxResponseBytes fails with a MambuCommError while it streams", async () => {
    const big = `[${Array.from({ length: 200 }, (_, i) => `{"id":"${i}","pad":"${"x".repeat(100)}"}`).join(",")}]`;
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(big.slice(0, 5000));
      res.end(big.slice(5000));
    });
    const { c } = sleepyConnector(s.url, { maxResponseBytes: 10_000 });
    const err = await c.request({ method: "GET", path: "/loans", jsonList: true }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuCommError);
    expect(err.message).toMatch(/^response too large: Mambu sent more than 10000 bytes \(GET \/api\/loans, HTTP 200\)/);
  });

  it("reads an error answer as before (a MambuError from Mambu's errors), never as a list", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end('{"errors":[{"errorCode":4,"errorReason":"INVALID_PARAMETERS"}]}');
    });
    const { c } = sleepyConnector(s.url);
    const err = await c.request({ method: "GET", path: "/loans", jsonList: true }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.status).toBe(400);
    expect(err.message).toContain("INVALID_PARAMETERS");
  });
});

describe("MambuConnector request with readWhen (a page fetched ahead)", () => {
  const page = '[{"encodedKey":"8a1"}]';

  it("reads the body only once readWhen settles, and the timeout does not run while it waits", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(page);
    });
    const { c } = sleepyConnector(s.url, { timeout: 50 });
    let open!: () => void;
    const ready = new Promise<void>((resolve) => (open = resolve));
    let settled = false;
    const pending = c.request({ method: "GET", path: "/loans", jsonList: true, readWhen: ready }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200)); // four timeouts long
    expect(settled).toBe(false);
    open();
    const res = await pending;
    expect(res.body).toEqual([{ encodedKey: "8a1" }]);
    expect(s.hits).toBe(1);
  });

  it("gives the request up when readWhen rejects: a MambuTsError, not retried", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(page);
    });
    const { c, sleeps } = sleepyConnector(s.url, { retries: 3 });
    const ready = Promise.reject(new Error("not wanted"));
    ready.catch(() => undefined);
    const err = await c.request({ method: "GET", path: "/loans", jsonList: true, readWhen: ready }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err).not.toBeInstanceOf(MambuCommError);
    expect(err.message).toBe("request aborted by the caller: GET /api/loans");
    expect(s.hits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("an error answer is read at once, whatever readWhen does", async () => {
    const s = await startLocalServer((_n, _req, res) => {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end('{"errors":[{"errorCode":301,"errorReason":"INVALID_LOAN_ACCOUNT_ID"}]}');
    });
    const { c } = sleepyConnector(s.url);
    const never = new Promise<void>(() => undefined);
    const err = await c.request({ method: "GET", path: "/loans/x", jsonList: true, readWhen: never }).catch((e) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect(err.status).toBe(404);
  });
});
