/**
 * Authentication of sandbox requests, as Mambu does it: `Authorization: Basic base64(user:password)` or an
 * `apiKey` header, checked against the configured API users. Anything else answers 401 with Mambu's body
 * `{"errors":[{"errorCode":2,"errorSource":"credentials","errorReason":"INVALID_CREDENTIALS"}]}`.
 */
import { timingSafeEqual } from "node:crypto";
import { SandboxError } from "./types";
import type { AuthUser } from "./router";
import { Headers, headerValue } from "./request";

/** An API user of the sandbox (not a Mambu `users` record). */
export interface SandboxUser {
  username: string;
  password?: string;
  apiKey?: string;
}

/** The demo tenant's API users: `demo`/`demo` and the API key `demo-api-key` (sandbox only). */
export const DEFAULT_USERS: SandboxUser[] = [{ username: "demo", password: "demo", apiKey: "demo-api-key" }];

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function invalid(): SandboxError {
  return new SandboxError(401, 2, "INVALID_CREDENTIALS", "credentials");
}

/**
 * Returns the user that the request's headers authenticate, or throws the 401 SandboxError.
 * `apiKey` wins over Basic when both are sent (as in Mambu, where API consumers' keys take precedence). Only the
 * header object's own properties count.
 */
export function authenticate(users: SandboxUser[], headers: Headers): AuthUser {
  const apiKey = headerValue(headers, "apikey");
  if (apiKey !== undefined) {
    const u = users.find((x) => x.apiKey !== undefined && same(x.apiKey, apiKey));
    if (!u) throw invalid();
    return { username: u.username };
  }
  const auth = headerValue(headers, "authorization");
  const m = auth ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(auth) : null;
  if (!m) throw invalid();
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalid();
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const u = users.find((x) => x.username === username && x.password !== undefined && same(x.password, password));
  if (!u) throw invalid();
  return { username: u.username };
}
