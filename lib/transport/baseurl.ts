/** Turning the configured `apiurl` into the base URL of Mambu's API v2. */
import { MambuTsError } from "../errors";
import { maskUserinfo } from "../config/keys";

/** The parsed base of every request: `https://tenant.mambu.com/api` and its protocol. */
export interface BaseUrl {
  /** `https://tenant.mambu.com/api` (no trailing slash). */
  href: string;
  protocol: "http:" | "https:";
}

/** Whether a URL hostname is loopback (`localhost`, `127.0.0.0/8`, `::1`). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Resolves `apiurl` to the API base: a bare host (`tenant.sandbox.mambu.com`, optionally with a
 * port) becomes `https://tenant.sandbox.mambu.com/api`; `https://host` is taken as is; `http://` is
 * accepted only for loopback hosts (the sandbox). Trailing slashes and a trailing `/api` are
 * tolerated.
 * @throws MambuTsError (before any request) for another scheme, `http://` to a non-loopback host,
 *   credentials, a query or a fragment in the URL, or an unparsable host.
 */
export function resolveBaseUrl(apiurl: string): BaseUrl {
  const text = apiurl.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    throw new MambuTsError(`apiurl ${JSON.stringify(withoutUserinfo(text))} is not a valid host or URL`);
  }
  if (url.username || url.password) {
    throw new MambuTsError("apiurl must not contain credentials: use apiuser/apipwd or apikey");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new MambuTsError(`apiurl must use https:// (got ${url.protocol}//)`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new MambuTsError(
      `apiurl ${url.host} must use https://: plain http:// is only allowed for loopback hosts (127.0.0.1, localhost, ::1)`,
    );
  }
  if (url.search || url.hash || text.includes("?") || text.includes("#")) {
    throw new MambuTsError("apiurl must not contain a query or a fragment");
  }
  if (!url.hostname) throw new MambuTsError(`apiurl ${JSON.stringify(withoutUserinfo(text))} has no host`);
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/i, "");
  return { href: `${url.protocol}//${url.host}${path}/api`, protocol: url.protocol };
}

const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/**
 * The base URL of another API of the same tenant: `https://tenant.mambu.com/api` with `/v1` ->
 * `https://tenant.mambu.com/v1`. Undefined keeps the API v2 base.
 * @throws MambuTsError when basePath is not one or more plain path segments (`/v1`).
 */
export function withBasePath(base: BaseUrl, basePath: string | undefined): string {
  if (basePath === undefined) return base.href;
  if (typeof basePath !== "string" || !BASE_PATH.test(basePath) || basePath.split("/").some((seg) => seg === "." || seg === "..")) {
    throw new MambuTsError(`basePath must be one or more plain path segments such as "/v1", got ${JSON.stringify(basePath)}`);
  }
  return `${base.href.replace(/\/api$/, "")}${basePath}`;
}

/** The apiurl as typed, with anything before its last `@` (a would-be `user:password`) masked. */
function withoutUserinfo(text: string): string {
  return maskUserinfo(text, true);
}
