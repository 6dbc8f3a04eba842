/**
 * A mocked tenant (nock) that records every request it is sent, for unit specs that check what the library
 * sends: the method, path (with query), headers and body of each request, in order.
 */
import nock from "nock";
import { mambu } from "./mambu";

/** One request the tenant was sent. */
export interface SeenRequest<B = string> {
  method: string;
  /** The path with its query, e.g. `/api/consumers/C1?detailsLevel=FULL`. */
  path: string;
  headers: Record<string, string>;
  /** The body: its text as sent, or (`{ json: true }`) parsed; absent when there was none. */
  body?: B;
}

/** What {@link recordingTenant} gives a spec file. */
export interface RecordingTenant<B> {
  /** A new nock scope of the tenant whose requests are recorded in {@link RecordingTenant.seen}. */
  tenant: () => nock.Scope;
  /** The requests of the current test, in order (emptied after each test). */
  seen: Array<SeenRequest<B>>;
}

/**
 * Call at the top of a spec file: no request reaches the network (loopback neither); after each test the
 * record is emptied, the mocks removed, and the test fails when one of its mocked answers was never asked for.
 * @param opts.json parse each body as JSON (an empty body is absent).
 */
export function recordingTenant(): RecordingTenant<string>;
export function recordingTenant(opts: { json: true }): RecordingTenant<unknown>;
export function recordingTenant(opts: { json?: boolean } = {}): RecordingTenant<unknown> {
  const seen: Array<SeenRequest<unknown>> = [];
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    seen.length = 0;
    expect(pending).toEqual([]);
  });
  const tenant = (): nock.Scope => {
    const scope = mambu();
    scope.on("request", (req: { method: string; path: string; headers: Record<string, string> }, _i: unknown, body?: string) => {
      seen.push({ method: req.method, path: req.path, headers: req.headers, body: opts.json ? (body ? JSON.parse(body) : undefined) : body });
    });
    return scope;
  };
  return { tenant, seen };
}
