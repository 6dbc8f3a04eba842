/**
 * Bulk processes: `getBulkStatus(key)` reads `GET /bulks/{key}` once; `waitForBulk(key, ...)` reads it until
 * Mambu is done, telling `onProgress` every status read, stopping on the caller's signal (between reads and
 * during one) and after `maxPolls` reads with an error naming the last state. `MambuDeposit.getBulkStatus` /
 * `waitForBulk` are the same functions under the deposit's name.
 */
import nock from "nock";
import { getBulkStatus, MambuDeposit, MambuError, MambuTsError, waitForBulk } from "../../lib";
import { findOperation, validateAgainst } from "../../lib/contract/schema";
import { contractTenant, testConnector } from "../helpers/mambu";

const KEY = "8a19c0a1-bk/01";
const PATH = `/api/bulks/${encodeURIComponent(KEY)}`;

const { tenant, requests } = contractTenant();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

/** An answer of `GET /bulks/{key}`, checked against the contract's BulkProcessStatus. */
function status(body: Record<string, unknown>): Record<string, unknown> {
  const m = findOperation("GET", "/api/bulks/K")!;
  expect(validateAgainst("bulks", m.op.responses["200"]!, body)).toEqual([]);
  return body;
}

const DONE = status({
  status: "COMPLETE",
  processedItems: [{ id: "901", externalId: "row-0", indexInRequest: 0 }],
  errors: [{ errorCode: 402, errorReason: "INVALID_DEPOSIT_ACCOUNT_ID", externalId: "row-1", indexInRequest: 1 }],
});

describe("getBulkStatus", () => {
  test("reads GET /bulks/{bulkProcessKey} once (the key encoded as one segment) and returns Mambu's status", async () => {
    tenant().get(PATH).reply(200, DONE);
    const s = await getBulkStatus(KEY, { connector: testConnector() });
    expect(s).toEqual(DONE);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${PATH}`]);
  });

  test("an unknown key is Mambu's 404; an empty key or an unknown option is refused before any request", async () => {
    tenant().get("/api/bulks/NOPE").reply(404, { errors: [{ errorCode: 3, errorReason: "INVALID_BULK_PROCESS_KEY" }] });
    const err = await getBulkStatus("NOPE", { connector: testConnector() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuError);
    expect((err as MambuError).status).toBe(404);
    requests.length = 0;
    await expect(getBulkStatus("", { connector: testConnector() })).rejects.toThrow("getBulkStatus: the bulk process key must be a non-empty string");
    await expect(getBulkStatus(KEY, { connector: testConnector(), limit: 1 } as never)).rejects.toThrow('getBulkStatus: unknown option "limit"');
    expect(requests).toEqual([]);
  });
});

describe("waitForBulk", () => {
  test("reads until the bulk is done: onProgress gets every status with its read number, and the last one is returned", async () => {
    for (const s of [{ status: "QUEUED" }, { status: "IN_PROGRESS" }, { status: "TRANSIENT_ERROR" }, DONE]) tenant().get(PATH).reply(200, status(s));
    const seen: Array<[string | undefined, number]> = [];
    const done = await waitForBulk(KEY, { connector: testConnector(), intervalMs: 0, onProgress: (s, poll) => seen.push([s.status, poll]) });
    expect(seen).toEqual([["QUEUED", 1], ["IN_PROGRESS", 2], ["TRANSIENT_ERROR", 3], ["COMPLETE", 4]]);
    expect(done).toEqual(DONE);
    expect(done.errors?.map((e) => [e.indexInRequest, e.errorReason])).toEqual([[1, "INVALID_DEPOSIT_ACCOUNT_ID"]]);
    expect(requests).toHaveLength(4);
  });

  test("a bulk that ends ERROR, TIMED_OUT or CANCEL ends the wait (the caller reads the status)", async () => {
    for (const end of ["ERROR", "TIMED_OUT", "CANCEL"]) {
      tenant().get(PATH).reply(200, status({ status: "IN_PROGRESS" }));
      tenant().get(PATH).reply(200, status({ status: end }));
      expect((await waitForBulk(KEY, { connector: testConnector(), intervalMs: 0 })).status).toBe(end);
    }
  });

  test("gives up after maxPolls reads with a MambuTsError saying the last state", async () => {
    tenant().get(PATH).reply(200, status({ status: "QUEUED" }));
    tenant().get(PATH).times(2).reply(200, status({ status: "IN_PROGRESS" }));
    const err = await waitForBulk(KEY, { connector: testConnector(), intervalMs: 0, maxPolls: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MambuTsError);
    expect((err as Error).message).toBe(`waitForBulk: bulk ${KEY} still IN_PROGRESS after 3 reads`);
    expect(requests).toHaveLength(3);
  });

  test("stops when the signal aborts between two reads: no further read, the usual abort error", async () => {
    tenant().get(PATH).reply(200, status({ status: "QUEUED" }));
    const ctl = new AbortController();
    const p = waitForBulk(KEY, { connector: testConnector(), intervalMs: 3_600_000, signal: ctl.signal, onProgress: () => ctl.abort() });
    await expect(p).rejects.toThrow(new MambuTsError("waitForBulk: aborted by the caller"));
    expect(requests).toHaveLength(1);
  });

  test("a signal aborted before the wait sends nothing; one aborted during a read stops that read", async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(waitForBulk(KEY, { connector: testConnector(), signal: ctl.signal })).rejects.toThrow("waitForBulk: aborted by the caller");
    expect(requests).toEqual([]);

    const during = new AbortController();
    // The answer comes only once the caller gave up.
    tenant().get(PATH).reply(async () => {
      await new Promise((resolve) => during.signal.addEventListener("abort", resolve));
      return [200, status({ status: "COMPLETE" })];
    });
    const p = waitForBulk(KEY, { connector: testConnector(), signal: during.signal });
    await new Promise<void>((resolve) => {
      const check = (): void => (requests.length ? resolve() : void setImmediate(check));
      check();
    });
    during.abort();
    await expect(p).rejects.toThrow(/request aborted by the caller: GET .*\/api\/bulks\//);
  });

  test("bad options and keys are refused before any request", async () => {
    const conn = testConnector();
    await expect(waitForBulk("", { connector: conn })).rejects.toThrow("waitForBulk: the bulk process key must be a non-empty string");
    await expect(waitForBulk(KEY, { connector: conn, intervalMs: -1 })).rejects.toThrow("waitForBulk: intervalMs must be a number of milliseconds between 0 and 3600000");
    await expect(waitForBulk(KEY, { connector: conn, maxPolls: 0 })).rejects.toThrow("waitForBulk: maxPolls must be an integer between 1 and 100000");
    await expect(waitForBulk(KEY, { connector: conn, maxPolls: 1.5 })).rejects.toThrow(/maxPolls must be an integer/);
    await expect(waitForBulk(KEY, { connector: conn, onProgress: "log" as never })).rejects.toThrow("waitForBulk: onProgress must be a function");
    await expect(waitForBulk(KEY, { connector: conn, signal: {} as never })).rejects.toThrow("waitForBulk: signal must be an AbortSignal");
    await expect(waitForBulk(KEY, { connector: conn, interval: 5 } as never)).rejects.toThrow('waitForBulk: unknown option "interval"');
    expect(requests).toEqual([]);
  });

  test("an answer without a status is a malformed answer, not the end of the bulk", async () => {
    tenant().get(PATH).reply(200, {});
    await expect(waitForBulk(KEY, { connector: testConnector(), intervalMs: 0 })).rejects.toThrow(
      new MambuError("malformed response from Mambu to waitForBulk: the bulk status has no status"),
    );
  });
});

describe("MambuDeposit.getBulkStatus / waitForBulk", () => {
  test("are the same reads under the deposit's name, and the wait takes a signal", async () => {
    tenant().get(PATH).reply(200, DONE);
    expect(await MambuDeposit.getBulkStatus(KEY, { connector: testConnector() })).toEqual(DONE);
    tenant().get(PATH).reply(200, status({ status: "QUEUED" }));
    const ctl = new AbortController();
    const p = MambuDeposit.waitForBulk(KEY, { connector: testConnector(), intervalMs: 3_600_000, signal: ctl.signal, onProgress: () => ctl.abort() });
    await expect(p).rejects.toThrow("MambuDeposit.waitForBulk: aborted by the caller");
    tenant().get(PATH).reply(200, status({ status: "IN_PROGRESS" }));
    await expect(MambuDeposit.waitForBulk(KEY, { connector: testConnector(), maxPolls: 1 })).rejects.toThrow(`MambuDeposit.waitForBulk: bulk ${KEY} still IN_PROGRESS after 1 reads`);
  });
});
