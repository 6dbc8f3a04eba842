/**
 * The webhook of `POST /database/backup`: when the backup is done, Mambu POSTs a JSON body
 * (`{"tenantId","result","domain","fileName"}`, `result` `COMPLETE` or `ERROR`) to the callback URL the trigger
 * gave. The sandbox does the same, in the background (never while answering a request): at most
 * {@link CALLBACK_ATTEMPTS} attempts, each with a timeout, the next after a growing pause, until one is answered
 * 2xx. Only `http:` and `https:` URLs are ever called (checked when the backup is triggered, and again here);
 * redirects are not followed; the answer's body is read and dropped. Timers do not keep the process alive.
 */
import * as http from "node:http";
import * as https from "node:https";

/** The callback's body, as Mambu sends it. */
export interface BackupCallbackBody {
  tenantId: string;
  result: "COMPLETE" | "ERROR";
  domain: string;
  fileName: string;
}

/** Attempts to deliver one callback. */
export const CALLBACK_ATTEMPTS = 3;
/** Pauses before the 2nd and 3rd attempts, in ms. */
export const CALLBACK_PAUSES_MS: readonly number[] = [500, 2000];
/** Time allowed to one attempt, in ms. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Longest callback URL accepted. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/**
 * Why a callback URL is refused (undefined when it is usable): it must be an absolute `http:` or `https:` URL of
 * at most {@link MAX_CALLBACK_URL_LENGTH} characters, without spaces or control characters.
 */
export function callbackUrlProblem(url: string): string | undefined {
  if (url.length > MAX_CALLBACK_URL_LENGTH) return `callback: longer than ${MAX_CALLBACK_URL_LENGTH} characters`;
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return "callback: must not contain spaces or control characters";
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "callback: must be an absolute http(s) URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "callback: only http and https URLs are called";
  return undefined;
}

/** How one delivery went. */
export interface CallbackOutcome {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status answered, if any. */
  status?: number;
}

function attempt(url: URL, body: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(
      url,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "User-Agent": "mambu-ts-sandbox" },
        timeout: CALLBACK_TIMEOUT_MS,
      },
      (res) => {
        res.resume(); // read and drop
        res.on("end", () => resolve(res.statusCode));
        res.on("error", () => resolve(res.statusCode));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", () => resolve(undefined));
    req.end(body);
  });
}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

/**
 * POSTs the callback body to `url`, up to {@link CALLBACK_ATTEMPTS} times until a 2xx answer. Never throws.
 * `pauses` replaces {@link CALLBACK_PAUSES_MS} (tests).
 */
export async function deliverCallback(url: string, payload: BackupCallbackBody, pauses: readonly number[] = CALLBACK_PAUSES_MS): Promise<CallbackOutcome> {
  if (callbackUrlProblem(url) !== undefined) return { delivered: false, attempts: 0 };
  const target = new URL(url);
  const body = JSON.stringify(payload);
  let status: number | undefined;
  for (let n = 1; n <= CALLBACK_ATTEMPTS; n++) {
    status = await attempt(target, body);
    if (status !== undefined && status >= 200 && status < 300) return { delivered: true, attempts: n, status };
    if (n < CALLBACK_ATTEMPTS) await pause(pauses[n - 1] ?? pauses[pauses.length - 1] ?? 0);
  }
  return { delivered: false, attempts: CALLBACK_ATTEMPTS, ...(status !== undefined ? { status } : {}) };
}
